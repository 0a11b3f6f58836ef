"""Every hostile or broken program in the corpus, through the real sandboxed pool.

Each case must end in a non-success verdict within twice its wall-clock budget, leave no file
behind, carry a one-line message (no traceback), and leave the pool serving normal work.
The corpus lives beside this file, one ``corpus_<backend>.py`` per backend.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

from nesy.budget import Budget
from nesy.executor import Job, LocalExecutor
from nesy.registry import get_solver
from nesy.verdict import Status

HERE = Path(__file__).parent
SANITY = {
    "dsl": ("add(1, 2)", None),
    "sympy": ("expand((x + 1)**2)", None),
    "z3": ("(declare-const x Int) (assert (= x 3)) (check-sat)", None),
    "clingo": ("a. b :- a.", None),
}


def _load_cases() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(HERE.glob("corpus_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # our own test data files
        backend = path.stem.removeprefix("corpus_")
        cases += [(backend, case) for case in module.CASES]
    return cases


CASES = _load_cases()


def test_the_corpus_is_large_and_covers_every_backend():
    assert len(CASES) >= 30
    assert {backend for backend, _ in CASES} >= set(SANITY)


@pytest.fixture(scope="module")
def pool():
    with LocalExecutor(workers=2, cache=False) as executor:
        yield executor


@pytest.mark.parametrize("backend, case", CASES, ids=[f"{b}:{c['id']}" for b, c in CASES])
def test_hostile_program_is_contained(pool, backend, case, tmp_path):
    program = case["program"].replace("{TMP}", str(tmp_path))
    budget = Budget(wall_seconds=case["wall_seconds"], memory_mb=case["memory_mb"])
    started = time.monotonic()
    verdict = pool.solve(get_solver(backend), program, case.get("input"), budget=budget)
    elapsed = time.monotonic() - started

    assert not verdict.status.is_success and verdict.status is not Status.MISMATCH, verdict
    assert elapsed < 2 * budget.wall_seconds, f"{elapsed:.2f} s for a {budget.wall_seconds} s budget"
    assert "Traceback" not in verdict.message and "\n" not in verdict.message.strip()
    assert list(tmp_path.iterdir()) == [], "the program left files behind"

    sanity_program, sanity_input = SANITY[backend]
    after = pool.solve(get_solver(backend), sanity_program, sanity_input, budget=Budget(wall_seconds=10))
    assert after.status.is_success, f"pool stopped serving {backend} after {case['id']}: {after}"
