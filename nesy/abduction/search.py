"""Abduction by best-first search over symbol sequences, for knowledge given as a function.

Where the knowledge is easiest to state as a function from a symbol sequence to a result (an
arithmetic expression's value, say) rather than as ASP rules, :class:`SearchAbducer` finds the
most probable sequence whose result equals the label. It is an A* search over prefixes: a
prefix costs the sum of ``-ln p`` of its symbols, and the estimate of the rest is the cost of the
most probable symbol at each remaining position, which never overestimates; so complete sequences
leave the queue in order of probability and the first one whose result matches is the most
probable consistent one. Each popped node adds at most two successors (its next sibling and its
first child), and an optional ``can_complete`` test prunes prefixes no valid sequence starts with.
Nothing is enumerated blindly; a search that exceeds ``max_pops`` ends as ``failed``.

The sequences a model proposes are data: the result function sees symbol *names* from a fixed
alphabet and must never evaluate text as code.

Example:
    >>> import torch
    >>> problem = SearchProblem(["0", "1", "2"], lambda s: sum(int(x) for x in s))
    >>> p = torch.tensor([[0.6, 0.3, 0.1], [0.5, 0.3, 0.2]])
    >>> out = SearchAbducer(problem).abduce([p], [3])
    >>> out[0].status, out[0].symbols
    ('abduced', [1, 2])
"""

from __future__ import annotations

import heapq
import logging
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import torch

from nesy.abduction.abducer import ABDUCED, FAILED, INCONSISTENT, UNREADABLE, Abduced
from nesy.abduction.encoding import MIN_PROBABILITY, SCALE, gumbel_noise
from nesy.errors import NesyError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchProblem:
    """Knowledge as functions over symbol names.

    Attributes:
        symbols: Class index -> symbol name.
        result: A complete sequence of names -> its result (``None``: not a valid sequence).
        can_complete: ``(prefix names, full length) -> bool``: may a valid sequence of that length
            start with the prefix? Must never say False wrongly; ``None`` prunes nothing.
        check_label: Raises ``ValueError`` for a label that cannot be a result (reported as
            ``unreadable``); ``None`` accepts every label.
        name: For logs and reports.
    """

    symbols: Sequence[str]
    result: Callable[[Sequence[str]], Any]
    can_complete: Callable[[Sequence[str], int], bool] | None = None
    check_label: Callable[[Any], None] | None = None
    name: str = "search"

    def __post_init__(self) -> None:
        if len(set(self.symbols)) != len(self.symbols):
            raise NesyError(f"search problem {self.name!r}: symbols must be distinct, got {list(self.symbols)}")


def best_first(
    costs: torch.Tensor,
    symbols: Sequence[str],
    accept: Callable[[list[str]], bool],
    can_complete: Callable[[Sequence[str], int], bool] | None,
    max_pops: int,
) -> tuple[list[int] | None, int, bool]:
    """The cheapest sequence ``accept`` takes: ``(classes or None, cost, exhausted)``.

    ``costs`` is ``(positions, classes)`` in integer units; ``exhausted`` is True when the whole
    space was searched (so ``None`` means no sequence is acceptable), False when ``max_pops`` ran out.
    """
    length, n_classes = costs.shape
    order = torch.argsort(costs, dim=1).tolist()  # per position, classes from cheapest
    table = costs.tolist()
    rest = [0] * (length + 1)  # rest[i]: cheapest possible cost of positions i..end
    for i in range(length - 1, -1, -1):
        rest[i] = rest[i + 1] + table[i][order[i][0]]
    names = [[symbols[c] for c in row] for row in order]

    def valid(prefix: list[str]) -> bool:
        return can_complete is None or can_complete(prefix, length)

    def first_valid(prefix_names: list[str], position: int, rank: int) -> int | None:
        while rank < n_classes:
            if valid(prefix_names + [names[position][rank]]):
                return rank
            rank += 1
        return None

    # a node is a prefix whose last symbol is the ``rank``-th cheapest at its position
    heap: list[tuple[int, int, tuple[int, ...]]] = []
    start = first_valid([], 0, 0) if length else None
    if start is None:
        return None, 0, True
    counter = 0
    heapq.heappush(heap, (table[0][order[0][start]] + rest[1], counter, (start,)))
    pops = 0
    while heap:
        if pops >= max_pops:
            return None, 0, False
        cost, _, ranks = heapq.heappop(heap)
        pops += 1
        position = len(ranks) - 1
        prefix_names = [names[i][r] for i, r in enumerate(ranks[:-1])]
        prefix_cost = cost - rest[position + 1] - table[position][order[position][ranks[-1]]]
        sibling = first_valid(prefix_names, position, ranks[-1] + 1)
        if sibling is not None:
            counter += 1
            sibling_cost = prefix_cost + table[position][order[position][sibling]] + rest[position + 1]
            heapq.heappush(heap, (sibling_cost, counter, ranks[:-1] + (sibling,)))
        here = prefix_names + [names[position][ranks[-1]]]
        if position + 1 == length:
            if accept(here):
                return [order[i][r] for i, r in enumerate(ranks)], cost, False
            continue
        child = first_valid(here, position + 1, 0)
        if child is not None:
            counter += 1
            heapq.heappush(heap, (cost - rest[position + 1] + table[position + 1][order[position + 1][child]] + rest[position + 2],
                                  counter, ranks + (child,)))
    return None, 0, True


def integer_costs(probabilities: torch.Tensor, perturbation: torch.Tensor | None = None) -> torch.Tensor:
    """``round(-ln p * SCALE)`` per position and class (perturbed scores shifted to a minimum of 0)."""
    scores = probabilities.float().clamp_min(MIN_PROBABILITY).log()
    if perturbation is not None:
        scores = scores + perturbation.float()
        scores = scores - scores.max(dim=1, keepdim=True).values
    return (-scores * SCALE).round().long()


class SearchAbducer:
    """Most probable label-consistent symbol sequences, found by best-first search.

    A drop-in for :class:`~nesy.abduction.abducer.Abducer` in
    :class:`~nesy.abduction.learner.AbductiveLearner` (same ``abduce`` signature and outcomes).

    Args:
        problem: The symbols and the result function.
        max_pops: Most nodes taken from the queue per example before the search gives up (``failed``).
    """

    def __init__(self, problem: SearchProblem, *, max_pops: int = 20000) -> None:
        if max_pops < 1:
            raise NesyError(f"SearchAbducer: max_pops must be at least 1, got {max_pops}")
        self.problem = problem
        self.max_pops = max_pops

    def abduce_one(self, probabilities: torch.Tensor, label: Any, noise: torch.Tensor | None = None) -> Abduced:
        """The outcome for one example (``probabilities``: ``(positions, classes)``)."""
        if probabilities.dim() != 2 or probabilities.shape[1] != len(self.problem.symbols):
            raise NesyError(f"expected probabilities of shape (positions, {len(self.problem.symbols)}), got {tuple(probabilities.shape)}")
        if self.problem.check_label is not None:
            try:
                self.problem.check_label(label)
            except (ValueError, TypeError) as exc:
                return Abduced(UNREADABLE, message=f"label {label!r} cannot be read: {exc}")
        result = self.problem.result
        symbols, cost, exhausted = best_first(
            integer_costs(probabilities, noise), self.problem.symbols, lambda names: result(names) == label,
            self.problem.can_complete, self.max_pops,
        )
        if symbols is not None:
            return Abduced(ABDUCED, symbols, cost)
        if exhausted:
            return Abduced(INCONSISTENT, message="no symbols consistent with the label")
        return Abduced(FAILED, message=f"no consistent symbols within {self.max_pops} search steps")

    def abduce(
        self, probabilities: Sequence[torch.Tensor], labels: Sequence[Any], progress=None, *, sample: torch.Generator | None = None
    ) -> list[Abduced]:
        """One :class:`Abduced` per example; ``sample`` draws by perturb-and-MAP as in :class:`Abducer`."""
        if len(probabilities) != len(labels):
            raise ValueError(f"{len(probabilities)} examples but {len(labels)} labels")
        out = []
        for p, label in zip(probabilities, labels):
            noise = gumbel_noise(tuple(p.shape), sample) if sample is not None else None
            out.append(self.abduce_one(p, label, noise))
        counts: dict[str, int] = {}
        for r in out:
            counts[r.status] = counts.get(r.status, 0) + 1
        log.info("search abduction over %d examples: %s", len(out), counts)
        return out

    def decode(self, probabilities: torch.Tensor, max_pops: int | None = None) -> list[int] | None:
        """The most probable *valid* sequence (no label): reading under the knowledge's grammar."""
        result = self.problem.result
        symbols, _, _ = best_first(integer_costs(probabilities), self.problem.symbols, lambda names: result(names) is not None,
                                   self.problem.can_complete, max_pops or self.max_pops)
        return symbols
