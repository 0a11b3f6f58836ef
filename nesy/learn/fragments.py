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
import logging
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

from nesy.learn.analogy import Analogies
from nesy.learn.fragment_alternatives import FragmentAlternatives
from nesy.learn.fragment_training import FragmentTraining, join_fragments
from nesy.learn.kbest import k_best
from nesy.learn.repair import single_repairs
from nesy.learn.slots import SlotCopier
from nesy.learn.topics import TopicWords
from nesy.learn.writer_config import WriterConfig
from nesy.proposer.protocol import Candidate, FitReport
from nesy.proposer.seq2seq import Seq2SeqConfig, Seq2SeqProposer

log = logging.getLogger(__name__)

#: Tokens keep their leading whitespace, so that decoding (joiner "") gives back the exact text.
SPLIT = r"regex:\s*(?:⟨\w+⟩|\d+(?:\.\d+)?|\w+|[^\w\s])"
CONTEXT_MARK = " ⟨sep⟩ "


class FragmentWriter(FragmentAlternatives, FragmentTraining):
    """Sentence-by-sentence program writer with a copy mechanism; a proposer for ``SelfTrainer``.

    Reading and proposing live here; the alternatives offered besides the beam in
    :class:`~nesy.learn.fragment_alternatives.FragmentAlternatives`, the votes and training in
    :class:`~nesy.learn.fragment_training.FragmentTraining`.

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

