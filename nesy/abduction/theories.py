"""Abducing the knowledge too: choose among candidate theories the one that explains the labels.

Sometimes a user knows the *kind* of knowledge but not all of it: which operation each operator
symbol stands for, say. :class:`TheoryAbducer` takes one abducer per candidate theory -- a clingo
:class:`~nesy.abduction.abducer.Abducer` over one :class:`~nesy.abduction.problem.AbductionProblem`
each, a :class:`~nesy.abduction.search.SearchAbducer`, or a bare
:class:`~nesy.abduction.search.SearchProblem` (wrapped in a search abducer) -- all over the same
symbols. Each round it abduces a probe sample of the examples under every theory, keeps the theory
that explains the most of them (ties: the lower total cost, i.e. the more probable symbols), and
abduces the whole batch under it. Early on, while the model reads everything at random, the
theories tie and one is picked; the model then learns to read symbols the way that theory needs,
and the choice stays consistent. The report says which theory won and by how much, round by round.

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


def _abducer(theory: Any, max_pops: int) -> Any:
    """An abducer for a theory: a search problem gets a :class:`SearchAbducer`; an abducer is kept."""
    if isinstance(theory, SearchProblem):
        return SearchAbducer(theory, max_pops=max_pops)
    if not callable(getattr(theory, "abduce", None)) or getattr(theory, "problem", None) is None:
        raise NesyError(f"TheoryAbducer: a theory must be a SearchProblem or an abducer (with .problem and .abduce), got {type(theory).__name__}")
    return theory


class TheoryAbducer:
    """Abduces under whichever candidate theory explains the most examples.

    Args:
        theories: One abducer (or search problem) per candidate theory, all over the same symbols;
            each one's ``problem.name`` names the theory.
        probes: Abducers that score the probe, one per theory in the same order (e.g. with a smaller
            budget); ``None``: the theories' own abducers (search problems: ``probe_pops`` steps).
        probe: Examples per round scored under every theory (a random sample; all if fewer).
        probe_pops: Search steps per probe example for search problems (kept small: the probe only
            compares theories).
        max_pops: Search steps per example for the abduction itself, for search problems.
        seed: Seeds the probe sample.
    """

    def __init__(
        self,
        theories: Sequence[Any],
        *,
        probes: Sequence[Any] | None = None,
        probe: int = 200,
        probe_pops: int = 2000,
        max_pops: int = 20000,
        seed: int = 0,
    ) -> None:
        if not theories:
            raise NesyError("TheoryAbducer: give at least one candidate theory")
        self._full = [_abducer(t, max_pops) for t in theories]
        if probes is None:
            self._probe = [_abducer(t, probe_pops) if isinstance(t, SearchProblem) else a for t, a in zip(theories, self._full)]
        elif len(probes) != len(theories):
            raise NesyError(f"TheoryAbducer: {len(probes)} probe abducers for {len(theories)} theories")
        else:
            self._probe = [_abducer(p, probe_pops) for p in probes]
        if len({tuple(a.problem.symbols) for a in self._full + self._probe}) != 1:
            raise NesyError("TheoryAbducer: every candidate theory must use the same symbols")
        self.theories = [a.problem for a in self._full]
        self.probe = probe
        self._rng = random.Random(seed)
        self._best = 0
        self.last_scores: dict[str, int] = {}

    @property
    def chosen(self) -> Any:
        """The problem of the theory chosen in the last round (the first one before any round)."""
        return self.theories[self._best]

    @property
    def problem(self) -> Any:
        """Same as :attr:`chosen`."""
        return self.chosen

    @property
    def abducer(self) -> Any:
        """The abducer of the chosen theory."""
        return self._full[self._best]

    def _score(self, index: int, probabilities: Sequence[torch.Tensor], labels: Sequence[Any]) -> tuple[int, int]:
        found = [o for o in self._probe[index].abduce(probabilities, labels) if o.status == ABDUCED]
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
        scores = [self._score(t, probe_p, probe_y) for t in range(len(self.theories))]
        self._best = max(range(len(self.theories)), key=lambda t: (scores[t][0], -scores[t][1]))
        self.last_scores = {t.name: s[0] for t, s in zip(self.theories, scores)}
        log.info("theory %s explains %d of %d probe examples (runner-up %d)", self.chosen.name, scores[self._best][0], len(picked),
                 max((s[0] for t, s in enumerate(scores) if t != self._best), default=0))
        return self.abducer.abduce(probabilities, labels, progress, sample=sample)

    def decode(self, probabilities: torch.Tensor, *args: Any, **kwargs: Any) -> list[int] | None:
        """The most probable valid sequence under the chosen theory (abducers that can decode)."""
        decode = getattr(self.abducer, "decode", None)
        if decode is None:
            raise NesyError(f"TheoryAbducer: the abducer of theory {self.chosen.name!r} cannot decode")
        return decode(probabilities, *args, **kwargs)
