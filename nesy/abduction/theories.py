"""Abducing the knowledge too: choose among candidate theories the one that explains the labels.

Sometimes a user knows the *kind* of knowledge but not all of it: which operation each operator
symbol stands for, say. :class:`TheoryAbducer` takes one :class:`~nesy.abduction.search.SearchProblem`
per candidate theory (same symbols, different result functions). Each round it abduces a probe
sample of the examples under every theory, keeps the theory that explains the most of them
(ties: the lower total cost, i.e. the more probable symbols), and abduces the whole batch under it.
Early on, while the model reads everything at random, the theories tie and one is picked; the
model then learns to read symbols the way that theory needs, and the choice stays consistent.
The report says which theory won and by how much, round by round.

Example:
    >>> import torch
    >>> import operator
    >>> def theory(op):  # "digit o digit", where o means op
    ...     read = lambda s: op(int(s[0]), int(s[2])) if s[1] == "o" and "o" not in (s[0], s[2]) else None
    ...     return SearchProblem(["1", "2", "o"], read, name=f"o={op.__name__}")
    >>> plus, times = theory(operator.add), theory(operator.mul)
    >>> p = torch.tensor([[0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.1, 0.8, 0.1]])  # reads "2 o 2"
    >>> abducer = TheoryAbducer([plus, times], probe=10)
    >>> out = abducer.abduce([p, p], [4, 4])
    >>> out[0].symbols, abducer.chosen.name
    ([1, 2, 1], 'o=add')
    >>> out = abducer.abduce([torch.tensor([[0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.8, 0.1, 0.1]])], [2])
    >>> abducer.chosen.name, abducer.last_scores
    ('o=mul', {'o=add': 1, 'o=mul': 1})
"""

from __future__ import annotations

import logging
import random
from typing import Any, Sequence

import torch

from nesy.abduction.abducer import ABDUCED, Abduced
from nesy.abduction.search import SearchAbducer, SearchProblem
from nesy.errors import NesyError

log = logging.getLogger(__name__)


class TheoryAbducer:
    """Abduces under whichever candidate theory explains the most examples.

    Args:
        theories: One search problem per candidate theory (the same symbols in each).
        probe: Examples per round scored under every theory (a random sample; all if fewer).
        probe_pops: Search steps per probe example (kept small: the probe only compares theories).
        max_pops: Search steps per example for the abduction itself.
        seed: Seeds the probe sample.
    """

    def __init__(
        self, theories: Sequence[SearchProblem], *, probe: int = 200, probe_pops: int = 2000, max_pops: int = 20000, seed: int = 0
    ) -> None:
        if not theories:
            raise NesyError("TheoryAbducer: give at least one candidate theory")
        if len({tuple(t.symbols) for t in theories}) != 1:
            raise NesyError("TheoryAbducer: every candidate theory must use the same symbols")
        self.theories = list(theories)
        self.probe = probe
        self._probe = [SearchAbducer(t, max_pops=probe_pops) for t in self.theories]
        self._full = [SearchAbducer(t, max_pops=max_pops) for t in self.theories]
        self._rng = random.Random(seed)
        self.chosen: SearchProblem = self.theories[0]
        self.last_scores: dict[str, int] = {}

    @property
    def problem(self) -> SearchProblem:
        """The theory chosen in the last round (the first one before any round)."""
        return self.chosen

    def _score(self, index: int, probabilities: Sequence[torch.Tensor], labels: Sequence[Any], noise) -> tuple[int, int]:
        out = [self._probe[index].abduce_one(p, y, n) for p, y, n in zip(probabilities, labels, noise)]
        found = [o for o in out if o.status == ABDUCED]
        return len(found), sum(o.cost or 0 for o in found)

    def abduce(
        self, probabilities: Sequence[torch.Tensor], labels: Sequence[Any], progress=None, *, sample: torch.Generator | None = None
    ) -> list[Abduced]:
        """Pick the theory on a probe sample, then abduce every example under it."""
        if len(probabilities) != len(labels):
            raise ValueError(f"{len(probabilities)} examples but {len(labels)} labels")
        picked = list(range(len(labels)))
        if len(picked) > self.probe:
            picked = self._rng.sample(picked, self.probe)
        probe_p = [probabilities[i] for i in picked]
        probe_y = [labels[i] for i in picked]
        no_noise = [None] * len(picked)
        scores = [self._score(t, probe_p, probe_y, no_noise) for t in range(len(self.theories))]
        best = max(range(len(self.theories)), key=lambda t: (scores[t][0], -scores[t][1]))
        self.chosen = self.theories[best]
        self.last_scores = {t.name: s[0] for t, s in zip(self.theories, scores)}
        log.info("theory %s explains %d of %d probe examples (runner-up %d)", self.chosen.name, scores[best][0], len(picked),
                 max((s[0] for t, s in enumerate(scores) if t != best), default=0))
        return self._full[best].abduce(probabilities, labels, progress, sample=sample)

    def decode(self, probabilities: torch.Tensor, max_pops: int | None = None) -> list[int] | None:
        """The most probable valid sequence under the chosen theory."""
        return self._full[self.theories.index(self.chosen)].decode(probabilities, max_pops)
