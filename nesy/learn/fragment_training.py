"""What the writer trains on: the most voted fragment of each sentence over verified programs (a mixin of the writer).

:class:`FragmentTraining` is part of :class:`~nesy.learn.fragments.FragmentWriter`. Each verified
program vouches for the fragments its answer needed (with an ``ablation`` check, a fragment the
program still verifies without casts no vote); annotated programs outweigh any number of sampled
ones (``GOLD_WEIGHT``); with ``rivals``, a program vouches only where no rival fragment verifies
in its place (:mod:`nesy.learn.rivals`). ``fit`` trains the model on the winners and keeps the
fragments of the programs it trained on (``memory_path``).
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any, Sequence

from nesy.learn.analogy import Analogies
from nesy.learn.anchors import Vouch, anchored_choice, tally
from nesy.learn.edits import IDENT, numbers, operators, unused_slots
from nesy.learn.fragment_alternatives import _operator_shape
from nesy.learn.rivals import ambiguity, prefer_discriminating, probes, rivals_of
from nesy.proposer.protocol import FitReport

log = logging.getLogger(__name__)

GOLD_WEIGHT = 1000  #: an annotated fragment counts as this many sampled ones when votes are taken


def join_fragments(fragments: Sequence[str], separator: str = "\n") -> str:
    """The program of a sentence-by-sentence translation: its non-empty fragments, in order.

    Example:
        >>> join_fragments(["a = 1", "", "print(a)"], separator="; ")
        'a = 1; print(a)'
    """
    return separator.join(f for f in fragments if f)


class FragmentTraining:
    """Votes over verified programs and training (used by ``FragmentWriter.fit``)."""

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
