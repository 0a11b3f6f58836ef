"""The K best ways to pick one option per position, scored by the sum of their log-probabilities.

A program written sentence by sentence has a few candidate fragments per sentence; the best whole
programs are the best combinations. Merging the positions one at a time and keeping the ``k``
best partial combinations after each merge is exact: a combination outside the top ``k`` of a
prefix cannot be in the top ``k`` of the whole.

Example:
    >>> best = k_best([[("a", -0.1), ("b", -2.0)], [("x", -0.5), ("y", -0.7)]], k=3)
    >>> [(choice, round(score, 2)) for choice, score in best]
    [(('a', 'x'), -0.6), (('a', 'y'), -0.8), (('b', 'x'), -2.5)]
"""

from __future__ import annotations

import math
from typing import Hashable, Sequence, TypeVar

T = TypeVar("T", bound=Hashable)


def k_best(
    options: Sequence[Sequence[tuple[T, float]]], k: int, *, max_gap: float = math.inf
) -> list[tuple[tuple[T, ...], float]]:
    """The ``k`` highest-scoring combinations, best first (ties: earlier options first).

    Args:
        options: For each position, its options with log-probabilities.
        k: How many combinations to return at most.
        max_gap: Drop combinations more than this below the best one (a position without options
            gives no combination at all).

    Returns:
        ``(choice per position, total log-probability)`` pairs.
    """
    beams: list[tuple[tuple[T, ...], float]] = [((), 0.0)]
    for position in options:
        merged = [(choice + (option,), score + logprob) for choice, score in beams for option, logprob in position]
        merged.sort(key=lambda pair: -pair[1])  # stable: ties keep the earlier option first
        beams = merged[:k]
        if not beams:
            return []
    best = beams[0][1]
    return [(choice, score) for choice, score in beams if score >= best - max_gap]
