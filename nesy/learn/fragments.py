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
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence

from nesy.learn.kbest import k_best
from nesy.learn.slots import SlotCopier
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
        epochs: Training epochs per ``fit`` at most (training stops once it reproduces every pair).
        separator: Between sentences in an input text and between fragments in a program.
    """

    per_sentence: int = 3
    context: int = 0
    max_gap: float = 12.0
    epochs: int = 60
    separator: str = "\n"


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
    """

    def __init__(
        self, copier: SlotCopier, model_config: Seq2SeqConfig | None = None, config: WriterConfig = WriterConfig(),
        device: Any = None, memory_path: str | Path | None = None,
    ) -> None:
        self.copier, self.config = copier, config
        model_config = replace(model_config or Seq2SeqConfig(), split=SPLIT, joiner="")
        self.model = Seq2SeqProposer(model_config, device=device)
        self._fragments: dict[tuple[str, str], tuple[str, ...]] = {}  # (text, program) -> fragments
        self._gold: set[tuple[str, str]] = set()
        self.last_fit: FitReport | None = None
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
        for i, sentence in enumerate(sentences):
            context, slots = "", ()
            for previous in sentences[max(0, i - self.config.context) : i]:
                abstract, slots = self.copier.abstract(previous, slots)
                context += abstract + CONTEXT_MARK
            abstract, slots = self.copier.abstract(sentence, slots)
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
        width = max(1, self.config.per_sentence if k > 1 else 1)
        proposals = dict(zip(unique, self.model.propose(unique, width, sample=False))) if unique else {}
        out = []
        for text, reading in zip(inputs, readings):
            options = []
            for source, slots in reading:
                restored = [(self.copier.restore(c.program, slots), c.logprob) for c in proposals[source]]
                options.append([(f.strip(), lp) for f, lp in restored if f is not None])
            candidates: dict[str, Candidate] = {}
            for fragments, logprob in k_best(options, 4 * k, max_gap=self.config.max_gap):
                program = join_fragments(fragments, self.config.separator)
                if program not in candidates:
                    candidates[program] = Candidate(program, min(0.0, logprob))
                    self._fragments.setdefault((text, program), fragments)
                if len(candidates) == k:
                    break
            out.append(list(candidates.values()))
        return out

    def training_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """(slotted sentence, slotted fragment) pairs of verified programs, the most voted per sentence."""
        votes: dict[str, Counter] = {}
        skipped = 0
        for text, program in pairs:
            fragments = self._fragments_of(text, program)
            if fragments is None:
                skipped += 1
                continue
            weight = GOLD_WEIGHT if (text, program) in self._gold else 1
            for (source, slots), fragment in zip(self.reading(self.sentences(text)), fragments):
                votes.setdefault(source, Counter())[self.copier.abstract_target(fragment, slots)] += weight
        if skipped:
            log.warning("%d verified program(s) skipped: their fragment per sentence is unknown", skipped)
        out = []
        for source, counts in votes.items():
            top = max(counts.values())
            out += [(source, target) for target, count in counts.items() if count == top]
        return out

    def fit(self, pairs: Sequence[tuple[str, str]], **options: Any) -> FitReport | None:
        """Train on the fragments of verified (text, program) pairs; forgets unused proposals."""
        keep = set(pairs) | self._gold
        self._fragments = {key: value for key, value in self._fragments.items() if key in keep}
        self._save_memory()
        examples = self.training_pairs(pairs)
        if not examples:
            return None
        options.setdefault("epochs", self.config.epochs)
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
