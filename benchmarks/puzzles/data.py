"""Generating puzzles: ordering puzzles and logic grids whose solution z3 proves unique.

Half the problems are ordering puzzles (:mod:`~nesy.benchmarks.puzzles.ordering`), half logic
grids (:mod:`~nesy.benchmarks.puzzles.grid`). A puzzle keeps adding true clues until z3 proves
the hidden solution is the only one, then drops the clues the proof does not need; the question
asks something no clue states outright. Every gold program is then checked with
:class:`~nesy.benchmarks.puzzles.checker.PuzzleChecker` (answer read from the model, uniqueness
proved by a second check).

Splits: ``iid`` has 3-5 people, ``hard`` 6-7.

Example:
    >>> [p] = generate("iid", 1, seed=0)
    >>> 3 <= p.meta["n_entities"] <= 5, p.fragments[-1].startswith("(declare-const answer")
    (True, True)
    >>> checker().check(p.program, None, p.answer).status.value
    'ok'
"""

from __future__ import annotations

import logging
import random

from nesy.benchmarks.nlprog import Problem, draw_problems, make_problem
from nesy.benchmarks.puzzles import grid, ordering
from nesy.benchmarks.puzzles.checker import PuzzleChecker
from nesy.budget import Budget
from nesy.verdict import Status

log = logging.getLogger(__name__)

SIZES = {"iid": (3, 5), "hard": (6, 7)}
FAMILIES = {"ordering": ordering.draw, "grid": grid.draw}
_BUDGET = Budget(wall_seconds=20)


def checker() -> PuzzleChecker:
    """The suite's checker (z3 through the SMT-LIB allow-list, answer proved unique)."""
    return PuzzleChecker()


def _one(rng: random.Random, split: str, solver: PuzzleChecker) -> Problem | None:
    family = rng.choice(sorted(FAMILIES))
    drawn = FAMILIES[family](rng, rng.randint(*SIZES[split]))
    if drawn is None:
        return None
    meta = {"suite": "puzzles", "split": split, **drawn.meta}
    problem = make_problem(drawn.sentences, drawn.answer, drawn.fragments, meta)
    verdict = solver.check(problem.program, None, problem.answer, _BUDGET)
    if verdict.status is not Status.OK:
        log.warning("puzzles: gold program of a drawn puzzle fails (%s); drawing again", verdict.message)
        return None
    return problem


def generate(split: str, n: int, seed: int) -> list[Problem]:
    """``n`` puzzles of ``split`` (``iid``: 3-5 people, ``hard``: 6-7), the same for the same seed."""
    if split not in SIZES:
        raise ValueError(f"unknown puzzles split {split!r}")
    solver = checker()
    return draw_problems("puzzles", split, n, seed, lambda rng: _one(rng, split, solver))
