"""The fragments a sentence is offered besides the model's beam: recalled, borrowed, edited (a mixin of the writer).

:class:`FragmentAlternatives` is part of :class:`~nesy.learn.fragments.FragmentWriter`: the
fragment a trained sentence was fitted on (recalled at the model's best score), the fragments of
the trained sentences most like an unknown one (``neighbours``) and by analogy, and *edits* of
each (:func:`nesy.learn.edits.edits`) at ``edit_penalty`` nats below the fragment edited; and the
penalties for fragments that leave slots of their sentence unused.
"""

from __future__ import annotations

import math

from nesy.learn.edits import OPERATOR, edits, unused_slots
from nesy.proposer.protocol import Candidate


def _operator_shape(fragment: str) -> tuple[str, ...]:
    return tuple(sorted(OPERATOR.findall(fragment)))



class FragmentAlternatives:
    """Alternatives to the model's beam for each slotted sentence (used by ``FragmentWriter.propose``)."""

    def _recalled(self, source: str, found: list[Candidate]) -> list[Candidate]:
        """A sentence trained on gets the fragment it was fitted on first, at the best score (the model may underfit)."""
        target = self.known.get(source)
        if target is None or not found or found[0].program == target:
            return found
        return [Candidate(target, found[0].logprob)] + [c for c in found if c.program != target]

    def edits(self, source: str, fragment: str) -> list[str]:
        """Edits of a (slotted) fragment for a (slotted) sentence (:func:`nesy.learn.edits.edits`).

        Example:
            >>> from nesy.learn.fragments import FragmentWriter
            >>> from nesy.learn.slots import SlotCopier
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
