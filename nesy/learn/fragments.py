"""A program writer that writes sentence by sentence: each sentence becomes one program fragment.

:class:`FragmentWriter` turns a text of sentences (one per line; the last one is usually the
question) into whole programs for :class:`~nesy.learn.loop.SelfTrainer`. A word-level seq2seq
(:class:`~nesy.proposer.seq2seq.Seq2SeqProposer`) translates each sentence, with names and numbers
replaced by slots (:mod:`nesy.learn.slots`) and optionally a few previous sentences as context, into
a fragment; the program is the non-empty fragments joined by newlines. ``propose`` beam-searches a
few fragments per distinct slotted sentence in one batch and combines them into the ``k`` most
probable distinct programs (:func:`~nesy.learn.kbest.k_best`). ``fit`` takes (text, program) pairs
of verified programs, recovers which fragment each sentence got, keeps the most frequent fragment
for each slotted sentence (annotated programs outweigh any number of sampled ones), and trains.

A verified program vouches only for the fragments its answer needed: a fact about a sentence the
question does not depend on verifies whatever it says. With an ``ablation`` check (set by the caller:
does this program, for this text, still verify?), ``fit`` drops each non-empty fragment of each
sampled program in turn; where the program still verifies without it, that sentence casts no vote
from that program; nor does an empty fragment of a sampled program (dropping it changes nothing),
so only annotated programs teach that a sentence says nothing.

Besides the beam, each sentence gets a few *edits* of its beam fragments, at ``edit_penalty`` nats
below the fragment edited, and a slotted sentence never trained on also gets the ``neighbours``
distinct fragments of the trained sentences most like it (shared tokens), and their edits: two slots
swapped (who did what to whom), or one program word replaced by a word of the sentence that programs
use elsewhere (``sister`` → ``wife`` when the sentence says "wife"). An edit that changes the
operators must leave a fragment whose operators some training fragment has (``a = a - b`` may become
``a = a + b``, never ``a * a - b``). They let self-training reach fragments the model does not yet
rank high; the checker decides.

Because the writer only ever reads one sentence (plus context), it handles texts longer than any it
was trained on; because names are slots, it copies names it never saw.

Example:
    >>> from nesy.learn.slots import SlotCopier
    >>> from nesy.proposer import ModelConfig, Seq2SeqConfig
    >>> small = Seq2SeqConfig(model=ModelConfig(d_model=32, layers=1, heads=2, ffn_dim=64))
    >>> copier = SlotCopier.fitted(["Ann likes Bob.", "Who likes Bob?", "Who is Ann?", "Who?"])
    >>> writer = FragmentWriter(copier, small, WriterConfig(epochs=1))
    >>> writer.remember("Ann likes Bob.\\nWho likes Bob?", ["likes(ann,bob).", "q(X) :- likes(X,bob)."])
    'likes(ann,bob).\\nq(X) :- likes(X,bob).'
    >>> writer.training_pairs([("Ann likes Bob.\\nWho likes Bob?", "likes(ann,bob).\\nq(X) :- likes(X,bob).")])
    [('⟨1⟩ likes ⟨2⟩.', 'likes(⟨1l⟩,⟨2l⟩).'), ('Who likes ⟨1⟩?', 'q(X) :- likes(X,⟨1l⟩).')]
"""

from __future__ import annotations

import json
import math
import logging
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from nesy.learn.analogy import Analogies
from nesy.learn.anchors import Vouch, anchored_choice, tally
from nesy.learn.edits import IDENT, OPERATOR, edits, numbers, operators, unused_slots
from nesy.learn.kbest import k_best
from nesy.learn.repair import single_repairs
from nesy.learn.rivals import ambiguity, prefer_discriminating, probes, rivals_of
from nesy.learn.slots import SlotCopier
from nesy.learn.topics import TopicWords
from nesy.proposer.protocol import Candidate, FitReport
from nesy.proposer.seq2seq import Seq2SeqConfig, Seq2SeqProposer

log = logging.getLogger(__name__)

#: Tokens keep their leading whitespace, so that decoding (joiner "") gives back the exact text.
SPLIT = r"regex:\s*(?:⟨\w+⟩|\d+(?:\.\d+)?|\w+|[^\w\s])"
CONTEXT_MARK = " ⟨sep⟩ "
GOLD_WEIGHT = 1000  #: an annotated fragment counts as this many sampled ones when votes are taken


@dataclass(frozen=True)
class WriterConfig:
    """How the writer reads, proposes and trains.

    Attributes:
        per_sentence: Fragments beam-searched per sentence.
        context: Previous sentences shown before each sentence (0: each sentence alone).
        max_gap: Programs more than this many nats below the best one are not proposed.
        epochs: Training epochs per ``fit`` (over the distinct sentence pairs), kept between
            ``min_steps`` and ``max_steps`` optimiser steps: reproducing the pairs is not enough,
            the alternatives must also fall well below them, or short wrong fragments outscore long
            right ones.
        min_steps: Fewest optimiser steps per ``fit``.
        max_steps: Most optimiser steps per ``fit``.
        separator: Between sentences in an input text and between fragments in a program.
        edits: Also propose edits of each sentence's best fragment (slot swaps, word substitutions).
        edit_penalty: How far below the best fragment an edit is scored, in nats.
        neighbours: Distinct fragments of the most similar trained sentences an unseen sentence also gets (with their edits).
        score_edits: An edit (or borrowed fragment) is scored by the better of ``edit_penalty`` below its
            origin and the model's own log-probability of it, so the edits the model finds likely come first.
        unused_slot_penalty: While searching (``k`` > 1), nats off a fragment per slot of its sentence it
            does not mention, applied when at least ``covering_share`` of the training fragments mention
            every slot of theirs (the best single program, ``k`` = 1, is the model's own).
        covering_share: See ``unused_slot_penalty``.
        known_penalty: While searching (``k`` > 1), nats off every fragment of a sentence trained on other
            than the one it was fitted on (0: none), so that the search spends its ``k`` programs on the
            sentences the writer has not learned yet. With it, a trained fragment that leaves slots of its
            sentence unused (where training fragments mention every slot) is doubted instead: no penalty,
            and the sentence gets its neighbours' fragments like an unseen one ("⟨1⟩ receives ⟨2⟩ from
            ⟨3⟩." fitted on ``⟨1l⟩ = ⟨1l⟩ + ⟨2⟩``, which verifies when only ⟨1⟩'s count is asked); and when
            fragments are chosen, a sampled program's fragment that leaves slots unused does not vouch
            where another verified program's fragment for the same sentence mentions them all.
        list_words: Copy a word that a list of words in the same text names (``SlotCopier.list_words``)
            as a slot, like a name; and read an opener that a text listing its names neither lists
            nor says again as a word (``SlotCopier.unlisted_openers``: "Nobody is taller than ...").
        anchored: Choose each sentence's training fragment by how anchored its programs are
            (:mod:`nesy.learn.anchors`: trust spreads from the annotated programs), not by votes alone.
        recall: A sentence trained on gets the fragment it was fitted on as its best one (a small model
            does not always reproduce every training pair).
        rivals: With an ``ablation`` check, each needed fragment of a sampled verified program is also
            checked with its sentence's rival fragments in its place (the other fragments verified programs
            gave the sentence, and the writer's ``rivals`` best alternatives for it): it vouches only where
            none verifies, for a sentence some program vouches for so (:mod:`nesy.learn.rivals`; 0: off).
        repair: With an ``ablation`` check, :meth:`FragmentWriter.repair` (the self-training loop's abducer)
            tries up to this many programs per failed text that differ from its best one in one sentence
            shape's fragment (:mod:`nesy.learn.repair`; 0: off).
        analogies: A sentence shape not trained on also gets up to this many fragments by analogy
            (:mod:`nesy.learn.analogy`: a known sentence that differs from it in a short span of words,
            changed as known pairs of sentences differing in that span change their fragments), the
            best supported ``analogy_bonus`` nats above the model's best fragment for it (or a fair
            guess), the others by their support relative to it; trained shapes get them as alternatives,
            like edits, and where the checker cannot tell a trained shape's readings apart
            (:mod:`nesy.learn.rivals`), the analogy's first one is vouched for (0: off).
        analogy_bonus: See ``analogies``.
    """

    per_sentence: int = 3
    context: int = 0
    max_gap: float = 12.0
    epochs: int = 30
    min_steps: int = 150
    max_steps: int = 600
    separator: str = "\n"
    edits: bool = True
    edit_penalty: float = 4.0
    neighbours: int = 6
    score_edits: bool = True
    unused_slot_penalty: float = 6.0
    covering_share: float = 0.95
    known_penalty: float = 0.0
    list_words: bool = True
    anchored: bool = True
    recall: bool = True
    rivals: int = 0
    repair: int = 0
    analogies: int = 0
    analogy_bonus: float = 1.0


def _operator_shape(fragment: str) -> tuple[str, ...]:
    return tuple(sorted(OPERATOR.findall(fragment)))


def join_fragments(fragments: Sequence[str], separator: str = "\n") -> str:
    """The program of a sentence-by-sentence translation: its non-empty fragments, in order."""
    return separator.join(f for f in fragments if f)


class FragmentWriter:
    """Sentence-by-sentence program writer with a copy mechanism; a proposer for ``SelfTrainer``.

    Args:
        copier: Decides which tokens are slots (fitted on the training texts).
        model_config: The seq2seq's sizes and training options (its split is set here).
        config: Writer options.
        device: Where the model runs (None: CUDA when present).
        memory_path: A JSON Lines file where ``fit`` keeps the fragments of the programs it trained
            on (read back at start), so that a run resumed from its trace store can use them.
        topics: Topic-word counts (:mod:`nesy.learn.topics`); a text's topic words read as one marker.
    """

    def __init__(
        self, copier: SlotCopier, model_config: Seq2SeqConfig | None = None, config: WriterConfig = WriterConfig(),
        device: Any = None, memory_path: str | Path | None = None, topics: TopicWords | None = None,
    ) -> None:
        self.copier, self.config, self.topics = copier, config, topics
        model_config = replace(model_config or Seq2SeqConfig(), split=SPLIT, joiner="")
        self.model = Seq2SeqProposer(model_config, device=device)
        self._fragments: dict[tuple[str, str], tuple[str, ...]] = {}  # (text, program) -> fragments
        self._gold: set[tuple[str, str]] = set()
        self.last_fit: FitReport | None = None
        self.program_words: set[str] = set()  # identifiers seen in training fragments and verified programs
        self.program_operators: set[str] = set()  # one-character operators seen in training fragments
        self.program_numbers: set[str] = set()  # number literals seen in training fragments
        #: the operators of each training fragment, sorted (``a = a - b*c``: ``('*', '-', '=')``)
        self.operator_shapes: set[tuple[str, ...]] = set()
        self.covers_slots = False  # whether every training fragment mentions every slot of its sentence
        self.known: dict[str, str] = {}  # slotted sentence -> slotted fragment, of the last fit
        self.annotated_pairs: set[tuple[str, str]] = set()  # (slotted sentence, fragment) of annotated programs
        self.alternatives: dict[str, list[str]] = {}  # slotted sentence -> its fragments when last proposed, best first
        self.analogies: Analogies | None = None  # fragments by analogy with ``known`` (``config.analogies``)
        #: (text, program) pairs -> whether each verifies; None: every fragment of a verified program votes
        self.ablation: Callable[[list[tuple[str, str]]], list[bool]] | None = None
        self.memory_path = Path(memory_path) if memory_path is not None else None
        if self.memory_path is not None and self.memory_path.exists():
            for line in self.memory_path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                    self._fragments[(record["text"], record["program"])] = tuple(record["fragments"])
                except (ValueError, KeyError, TypeError):
                    log.warning("%s: skipped a malformed line", self.memory_path)

    # -- reading ---------------------------------------------------------------------------
    def sentences(self, text: str) -> list[str]:
        """The sentences of an input text."""
        return text.split(self.config.separator)

    def reading(self, sentences: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
        """What the model reads for each sentence (slotted, with context) and its slot values."""
        out = []
        if self.topics is not None:  # a story's topic word reads as one marker, whatever it is
            topic = self.topics.of(sentences)
            sentences = [self.topics.mark(sentence, topic) for sentence in sentences]
        words = self.copier.list_words(sentences) if self.config.list_words else frozenset()
        plain = self.copier.unlisted_openers(sentences) if self.config.list_words else frozenset()
        for i, sentence in enumerate(sentences):
            context, slots = "", ()
            for previous in sentences[max(0, i - self.config.context) : i]:
                abstract, slots = self.copier.abstract(previous, slots, words, plain)
                context += abstract + CONTEXT_MARK
            abstract, slots = self.copier.abstract(sentence, slots, words, plain)
            out.append((context + abstract, slots))
        return out

    # -- memory of which fragment each sentence got ----------------------------------------
    def remember(self, text: str, fragments: Sequence[str], *, gold: bool = True) -> str:
        """Record a text's fragments (e.g. an annotated program); returns the program."""
        program = join_fragments(fragments, self.config.separator)
        self._fragments[(text, program)] = tuple(fragments)
        if gold:
            self._gold.add((text, program))
        return program

    def _fragments_of(self, text: str, program: str) -> tuple[str, ...] | None:
        found = self._fragments.get((text, program))
        if found is None:  # e.g. restored from a trace store: usable when lines and sentences align
            lines, n = program.split(self.config.separator), len(self.sentences(text))
            found = tuple(lines) if len(lines) == n else None
        return found

    # -- the proposer contract -------------------------------------------------------------
    def propose(self, inputs: Sequence[str], k: int, *, sample: bool = True, **_: Any) -> list[list[Candidate]]:
        """The ``k`` most probable distinct programs per input text (beam search per sentence).

        ``sample`` is accepted for the proposer protocol; fragments are always beam-searched, and
        variety comes from combining each sentence's alternatives.
        """
        readings = [self.reading(self.sentences(text)) for text in inputs]
        unique = sorted({source for reading in readings for source, _ in reading})
        # two beams even for the best program alone: the best fragment may name a slot its sentence lacks
        width = max(1, self.config.per_sentence if k > 1 else min(2, self.config.per_sentence))
        proposals = dict(zip(unique, self.model.propose(unique, width, sample=False))) if unique else {}
        if self.config.recall:
            proposals = {source: self._recalled(source, found) for source, found in proposals.items()}
        if self.config.edits and k > 1:
            proposals = {source: self._with_edits(source, found) for source, found in proposals.items()}
            if self.config.score_edits:
                proposals = self._rescored(proposals)
            proposals = {source: self._penalised(source, found) for source, found in proposals.items()}
            if self.config.rivals or self.config.repair:
                self.alternatives.update({source: [c.program for c in found] for source, found in proposals.items()})
        out = []
        for text, reading in zip(inputs, readings):
            # one decision per distinct slotted sentence: the same sentence shape gets the same fragment
            sources = list(dict.fromkeys(source for source, _ in reading))
            counts = Counter(source for source, _ in reading)
            slots_of = dict(reading)  # the same slotted sentence has the same number of slots
            options = [
                [(c.program, counts[source] * c.logprob) for c in proposals[source]
                 if self.copier.restore(c.program, slots_of[source]) is not None]  # no slot the sentence lacks
                for source in sources
            ]
            candidates: dict[str, Candidate] = {}
            for choice, logprob in k_best(options, 4 * k, max_gap=self.config.max_gap):
                chosen = dict(zip(sources, choice))
                fragments = tuple(self.copier.restore(chosen[source], slots).strip() for source, slots in reading)
                program = join_fragments(fragments, self.config.separator)
                if program not in candidates:
                    candidates[program] = Candidate(program, min(0.0, logprob))
                    self._fragments.setdefault((text, program), fragments)
                if len(candidates) == k:
                    break
            out.append(list(candidates.values()))
        return out

    def _recalled(self, source: str, found: list[Candidate]) -> list[Candidate]:
        """A sentence trained on gets the fragment it was fitted on first, at the best score (the model may underfit)."""
        target = self.known.get(source)
        if target is None or not found or found[0].program == target:
            return found
        return [Candidate(target, found[0].logprob)] + [c for c in found if c.program != target]

    def edits(self, source: str, fragment: str) -> list[str]:
        """Edits of a (slotted) fragment for a (slotted) sentence (:func:`nesy.learn.edits.edits`).

        Example:
            >>> writer = FragmentWriter(SlotCopier())
            >>> writer.program_words = {"likes", "fears"}
            >>> writer.edits("⟨1⟩ fears ⟨2⟩.", "likes(⟨1l⟩,⟨2l⟩).")
            ['likes(⟨2l⟩,⟨1l⟩).', 'fears(⟨1l⟩,⟨2l⟩).']
        """
        found = edits(source, fragment, self.program_words, self.program_operators, self.program_numbers)
        if not self.operator_shapes:
            return found
        own = _operator_shape(fragment)  # an edit that changes the operators must give a shape training fragments have
        return [e for e in found if _operator_shape(e) in (own, *self.operator_shapes)]

    def _penalised(self, source: str, found: list[Candidate]) -> list[Candidate]:
        """Fragments that leave slots of their sentence unused ranked lower, when training fragments (almost) never do;
        with ``known_penalty``, any fragment but the one a trained sentence was fitted on ranked lower too."""
        known = self.known.get(source) if self.config.known_penalty and not self._doubtful(source) else None
        if not self.covers_slots and known is None:
            return found
        unused = self.config.unused_slot_penalty if self.covers_slots else 0.0
        ranked = [Candidate(c.program, c.logprob - unused * unused_slots(source, c.program)
                            - (self.config.known_penalty if known is not None and c.program != known else 0.0))
                  for c in found]
        return sorted(ranked, key=Candidate.sort_key)

    def _with_edits(self, source: str, found: list[Candidate]) -> list[Candidate]:
        if not found:
            return found
        best: dict[str, float] = {c.program: c.logprob for c in found}
        # below the model's best, or below a fair guess when even its best is a poor one
        top = max(found[0].logprob, -self.config.edit_penalty)
        unknown = source not in self.known or self._doubtful(source)
        if unknown:  # try what the most similar known ones say
            for target in self._neighbours(source):
                best.setdefault(target, top - self.config.edit_penalty)
        if self.analogies is not None:  # by analogy: above the model's guess where the sentence is unknown
            found_by = self.analogies.of(source, self.config.analogies)
            for target, support in found_by:
                score = (top + self.config.analogy_bonus * support / found_by[0][1] if unknown
                         else top - self.config.edit_penalty)
                best[target] = max(best.get(target, -math.inf), score)
        if unknown or self.analogies is not None:
            found = sorted((Candidate(p, lp) for p, lp in best.items()), key=Candidate.sort_key)
        if not unknown and self.config.known_penalty:  # what it was fitted on stays a candidate (others: penalty)
            best.setdefault(self.known[source], top)
        for candidate in found:  # edits of every candidate, each scored below its own
            for edit in self.edits(source, candidate.program):
                if edit not in best:
                    best[edit] = candidate.logprob - self.config.edit_penalty
        return sorted((Candidate(p, lp) for p, lp in best.items()), key=Candidate.sort_key)

    def _doubtful(self, source: str) -> bool:
        """Whether the fragment a trained sentence was fitted on leaves slots unused, where training fragments do not
        (and no annotated program gave it); only with ``known_penalty``."""
        target = self.known.get(source)
        return (bool(self.config.known_penalty) and target is not None and self.covers_slots
                and unused_slots(source, target) > 0 and (source, target) not in self.annotated_pairs)

    def _rescored(self, proposals: dict[str, list[Candidate]]) -> dict[str, list[Candidate]]:
        """Edits and borrowed fragments scored by the model too: each gets the better of its floor and that."""
        beams = {source: {c.program for c in found[: self.config.per_sentence]} for source, found in proposals.items()}
        pairs = [(source, c.program) for source, found in proposals.items() for c in found
                 if c.program not in beams[source]]
        if not pairs:
            return proposals
        scores = dict(zip(pairs, self.model.score([s for s, _ in pairs], [p for _, p in pairs])))
        return {
            source: sorted((Candidate(c.program, max(c.logprob, scores.get((source, c.program), -math.inf)))
                            for c in found), key=Candidate.sort_key)
            for source, found in proposals.items()
        }

    def _unneeded(self, found: list[tuple[str, str, tuple[str, ...]]]) -> set[tuple[str, str, int]]:
        """(text, program, sentence index) of fragments a sampled program still verifies without."""
        if self.ablation is None:
            return set()
        probes = [
            (text, program, i, join_fragments(fragments[:i] + ("",) + fragments[i + 1 :], self.config.separator))
            for text, program, fragments in found if (text, program) not in self._gold
            for i, fragment in enumerate(fragments) if fragment
        ]
        verdicts = self.ablation([(text, ablated) for text, _, _, ablated in probes]) if probes else []
        unneeded = {(text, program, i) for (text, program, i, _), still in zip(probes, verdicts) if still}
        return unneeded | {
            (text, program, i) for text, program, fragments in found if (text, program) not in self._gold
            for i, fragment in enumerate(fragments) if not fragment
        }

    def _neighbours(self, source: str) -> list[str]:
        """The ``neighbours`` distinct fragments of the trained sentences sharing the most tokens with ``source``
        (many similar sentences often share one fragment: the next distinct one is what the search needs)."""
        tokens = set(self.model.vocab.split(source))
        scored = sorted(
            ((len(tokens & set(self.model.vocab.split(other))) / len(tokens | set(self.model.vocab.split(other))), target)
             for other, target in self.known.items()),
            key=lambda pair: -pair[0],
        )
        return list(dict.fromkeys(target for _, target in scored))[: self.config.neighbours]

    def training_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """(slotted sentence, slotted fragment) pairs of verified programs, the most voted per sentence."""
        found = [(text, program, self._fragments_of(text, program)) for text, program in pairs]
        skipped = sum(fragments is None for _, _, fragments in found)
        found = [(text, program, fragments) for text, program, fragments in found if fragments is not None]
        unneeded = self._unneeded(found)
        records, readings = [], []
        for text, program, fragments in found:
            needed, seen = [], []
            readings.append((text, fragments, self.reading(self.sentences(text))))
            for i, ((source, slots), fragment) in enumerate(zip(readings[-1][2], fragments)):
                if (text, program, i) in unneeded:
                    seen.append(source)  # seen, but this program does not vouch for it
                else:
                    needed.append((source, self.copier.abstract_target(fragment, slots)))
            weight = GOLD_WEIGHT if (text, program) in self._gold else 1
            records.append(Vouch(tuple(needed), weight, tuple(seen)))
        if skipped:
            log.warning("%d verified program(s) skipped: their fragment per sentence is unknown", skipped)
        self.annotated_pairs = {pair for record in records if record.weight >= GOLD_WEIGHT for pair in record.pairs}
        if self.config.known_penalty and self.covers_slots:
            records = self._covering_first(records)
        if self.config.rivals and self.ablation is not None:
            records = self._discriminating(records, readings)
        if self.config.anchored:
            return anchored_choice(records, GOLD_WEIGHT)
        out = []
        for source, counts in tally(records).items():
            if not counts:
                continue
            top = max(counts.values())
            out += [(source, target) for target, count in counts.items() if count == top]
        return out

    def _discriminating(self, records: list[Vouch], readings: list) -> list[Vouch]:
        """Records whose fragments vouch only where no rival fragment verifies in their place (:mod:`nesy.learn.rivals`)."""
        join = lambda fragments: join_fragments(fragments, self.config.separator)  # noqa: E731
        alternatives = {source: found[: self.config.rivals] for source, found in self.alternatives.items()}
        preferred: dict[str, str] = {}  # where the checker cannot tell readings apart, the analogy's one
        if self.analogies is not None:
            for source in {source for record in records for source, _ in record.pairs}:
                found_by = self.analogies.of(source, 1)
                if found_by:
                    preferred[source] = found_by[0][0]
                    alternatives[source] = [*alternatives.get(source, []), found_by[0][0]]
        found = probes(records, readings, rivals_of(records, alternatives), self.copier.restore, join, GOLD_WEIGHT)
        verified = self.ablation([(probe.text, probe.program) for probe in found]) if found else []
        ambiguous = ambiguity(found, verified)
        log.info("rivals: %d substitutions checked, %d verified, %d of %d records ambiguous somewhere", len(found),
                 sum(verified), len({index for index, _ in ambiguous}), len(records))
        return prefer_discriminating(records, ambiguous, GOLD_WEIGHT, preferred)

    def repair(self, pairs: Sequence[tuple[str, Any]], k: int = 2) -> dict[str, str]:
        """For each text none of whose ``k`` best programs passes the ``ablation`` check: the first program that
        differs from its best one in one sentence shape's fragment and passes.

        An abducer for :class:`~nesy.learn.loop.SelfTrainer` with its ``k`` (its checks of the ``k`` programs
        are cached; the answers given are not read: ``ablation`` checks against them); at most
        ``config.repair`` programs are tried per text.
        """
        if self.ablation is None or not self.config.repair or not pairs:
            return {}
        texts = list(dict.fromkeys(text for text, _ in pairs))
        proposed = {text: [c.program for c in found] for text, found in zip(texts, self.propose(texts, max(2, k)))}
        solved: set[str] = set()
        for ranks in (slice(0, 1), slice(1, None)):  # the best programs first, as the loop checked them
            batch = [(text, program) for text, found in proposed.items() if text not in solved for program in found[ranks]]
            solved |= {text for (text, _), ok in zip(batch, self.ablation(batch) if batch else []) if ok}
        tries, widened = [], {}  # a sentence's own alternatives, then what the trained sentences most like it say
        for text, found in proposed.items():
            fragments = self._fragments_of(text, found[0]) if found and text not in solved else None
            if fragments is not None:
                reading = self.reading(self.sentences(text))
                for source, _ in reading:
                    if source not in widened:
                        own = self.alternatives.get(source, [])
                        widened[source] = own + [t for t in self._neighbours(source) if t not in own]
                tries += [(text, tuple(changed)) for changed in single_repairs(
                    fragments, reading, widened, self.copier.restore, self.config.repair)]
        programs = [join_fragments(fragments, self.config.separator) for _, fragments in tries]
        verified = self.ablation([(text, program) for (text, _), program in zip(tries, programs)]) if tries else []
        out: dict[str, str] = {}
        for (text, fragments), program, ok in zip(tries, programs, verified):
            if ok and text not in out:
                out[text] = program
                self._fragments[(text, program)] = fragments
        log.info("repair: %d of %d failed texts repaired (%d programs tried)", len(out), len(texts) - len(solved),
                 len(tries))
        return out

    @staticmethod
    def _covering_first(records: list[Vouch]) -> list[Vouch]:
        """Sampled programs' pairs that leave slots unused vouch for nothing where another pair of the sentence does not."""
        covering = {source for record in records for source, target in record.pairs if unused_slots(source, target) == 0}
        out = []
        for record in records:
            if record.weight >= GOLD_WEIGHT:
                out.append(record)
                continue
            doubted = [(s, t) for s, t in record.pairs if s in covering and unused_slots(s, t) > 0]
            out.append(Vouch(tuple(p for p in record.pairs if p not in doubted), record.weight,
                             record.seen + tuple(s for s, _ in doubted)) if doubted else record)
        return out

    def fit(self, pairs: Sequence[tuple[str, str]], **options: Any) -> FitReport | None:
        """Train on the fragments of verified (text, program) pairs; forgets unused proposals."""
        keep = set(pairs) | self._gold
        self._fragments = {key: value for key, value in self._fragments.items() if key in keep}
        self._save_memory()
        examples = self.training_pairs(pairs)
        if not examples:
            return None
        self.program_words.update(w for _, target in examples for w in IDENT.findall(target))
        self.program_words.update(w for _, program in pairs for w in IDENT.findall(program))
        self.program_operators.update(op for _, target in examples for op in operators(target))
        self.program_numbers.update(number for _, target in examples for number in numbers(target))
        self.operator_shapes.update(_operator_shape(target) for _, target in examples)
        covered = sum(unused_slots(source, target) == 0 for source, target in examples)
        self.covers_slots = covered >= self.config.covering_share * len(examples)
        self.known = dict(examples)
        self.analogies = Analogies(self.known) if self.config.analogies else None
        if "epochs" not in options and "steps" not in options:
            per_epoch = -(-len(examples) // self.model.config.train.batch_size)
            options["steps"] = min(self.config.max_steps, max(self.config.min_steps, self.config.epochs * per_epoch))
        self.last_fit = self.model.fit(examples, **options)
        log.info("writer fitted on %d sentence pairs: %s steps, accuracy %s", len(examples), self.last_fit.steps,
                 self.last_fit.accuracy)
        return self.last_fit

    def _save_memory(self) -> None:
        if self.memory_path is None:
            return
        self.memory_path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.memory_path.with_suffix(".partial")
        with open(partial, "w", encoding="utf-8") as handle:
            for (text, program), fragments in self._fragments.items():
                handle.write(json.dumps({"text": text, "program": program, "fragments": list(fragments)}) + "\n")
        os.replace(partial, self.memory_path)  # a crash never leaves half a file
