"""Clues, questions and drawn puzzles shared by the ordering and logic-grid generators; the uniqueness proof.

A :class:`Clue` is one sentence with the SMT-LIB term it asserts. :func:`minimal_unique` adds true
clues in random order until z3 proves the hidden solution is the only one (the solution is blocked
by one clause and the check comes back ``unsat``), then drops every clue the proof does not need.

Example:
    >>> base = "(declare-datatype Entity ((ann) (bob))) (declare-fun pos (Entity) Int)"
    >>> base += " (assert (distinct (pos ann) (pos bob))) (assert (<= 1 (pos ann) 2)) (assert (<= 1 (pos bob) 2))"
    >>> clues = [Clue("Bob is taller than Ann.", "(> (pos bob) (pos ann))"), Clue("Ann is short.", "(= (pos ann) 1)")]
    >>> kept = minimal_unique(random.Random(0), base, clues, "(or (distinct (pos ann) 1) (distinct (pos bob) 2))")
    >>> len(kept)
    1
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import z3

from nesy.solvers.z3_incremental import IncrementalZ3

ORDINALS = ("first", "second", "third")


@dataclass(frozen=True)
class Clue:
    """One sentence and the term it asserts; ``fixes`` names what an equality clue pins down."""

    sentence: str
    term: str
    fixes: tuple = ()

    @property
    def fragment(self) -> str:
        """The clue as an SMT-LIB command."""
        return f"(assert {self.term})"


def name_list(names: list[str]) -> str:
    """``"A, B and C"``.

    Example:
        >>> name_list(["Ann", "Bob", "Cy"])
        'Ann, Bob and Cy'
    """
    return ", ".join(names[:-1]) + " and " + names[-1]


def minimal_unique(rng: random.Random, base: str, pool: list[Clue], blocking: str) -> list[Clue] | None:
    """A subset of ``pool`` under which ``blocking`` (the solution excluded) is unsat, with no clue to spare.

    The pool is shuffled; the shortest enough prefix is found by bisection, then each of its clues
    is dropped in turn when the rest still suffice.

    Returns None when even all clues of the pool leave another solution (or z3 gives up).
    """
    session = IncrementalZ3(base, timeout_ms=10_000)
    parsed = {c.term: session.term(c.term) for c in pool} | {blocking: session.term(blocking)}
    session.solver.set("timeout", 10_000)

    def enough(clues: list[Clue]) -> bool:  # the solver directly: no unsat-core labels needed here
        return session.solver.check(*[parsed[c.term] for c in clues], parsed[blocking]) == z3.unsat

    order = list(pool)
    rng.shuffle(order)
    if not enough(order):
        return None
    low, high = 1, len(order)  # the shortest prefix of the shuffled pool that is enough (more clues never hurt)
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if enough(order[:middle]) else (middle + 1, high)
    chosen = order[:low]
    for clue in list(chosen):  # then drop what the proof does not need
        rest = [c for c in chosen if c is not clue]
        if enough(rest):
            chosen = rest
    rng.shuffle(chosen)
    return chosen
