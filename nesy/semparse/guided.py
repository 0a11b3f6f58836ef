"""Execution-guided choice: of a question's k best readings, the first that is defined on its world.

A question is asked about its world, so what it refers to is there: "the red cube" names one
object of the scene. A reading whose ``unique`` finds no object or several, or that fails in any
other way, cannot be what was meant, whatever its score. Execution-guided decoding (Wang et al.
2018) runs the parser's k best readings on the question's own world, with no answer, and keeps the
best one that runs; the best parse stays the reading when none does. The caller runs the programs
(a sandboxed batch), so nothing here executes them.

Example:
    >>> readings = [["unique(red)", "count(red)"], ["count(blue)"], []]
    >>> runs = lambda pairs: [program.startswith("count") for _, program in pairs]
    >>> first_defined(readings, runs)
    ['count(red)', 'count(blue)', None]
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

__all__ = ["first_defined"]

T = TypeVar("T")


def first_defined(candidates: Sequence[Sequence[T]], defined: Callable[[list[tuple[int, T]]], Sequence[bool]]) -> list[T | None]:
    """Per question, its first candidate that ``defined`` accepts (its first one when none is; None: none at all).

    Args:
        candidates: Each question's readings, best first (:meth:`~nesy.semparse.semantic_parser.SemanticParser.candidates`).
        defined: Called once with every ``(question index, reading)`` pair; says of each whether it
            runs without failure on that question's world (the caller's sandboxed batch; it never sees
            an answer).

    Returns:
        One reading per question.
    """
    pairs = [(i, reading) for i, readings in enumerate(candidates) for reading in readings]
    verdicts = list(defined(pairs))
    if len(verdicts) != len(pairs):
        raise ValueError(f"first_defined: {len(pairs)} readings run but {len(verdicts)} verdicts came back")
    chosen: list[T | None] = [readings[0] if readings else None for readings in candidates]
    done = [False] * len(candidates)
    for (i, reading), ok in zip(pairs, verdicts):
        if ok and not done[i]:
            chosen[i], done[i] = reading, True
    return chosen
