"""The dsl hostile corpus, in-process (cases that need the sandbox's hard limits are skipped here)."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

from nesy.budget import Budget
from nesy.solvers.dsl import DSLSolver
from nesy.verdict import Status

_PATH = Path(__file__).parents[1] / "hostile" / "corpus_dsl.py"
_spec = importlib.util.spec_from_file_location("corpus_dsl", _PATH)
_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_corpus)  # our own test data file
CASES = _corpus.CASES


def test_corpus_is_well_formed():
    assert len(CASES) >= 8 and len({c["id"] for c in CASES}) == len(CASES)
    for case in CASES:
        assert set(case) <= {"id", "program", "input", "wall_seconds", "memory_mb", "needs_sandbox"}
        assert case["id"].startswith("dsl-")
        assert isinstance(case["program"], str)


@pytest.mark.parametrize("case", [c for c in CASES if not c.get("needs_sandbox")], ids=lambda c: c["id"])
def test_hostile_case_ends_in_a_non_success_verdict(case, tmp_path):
    program = case["program"].replace("{TMP}", str(tmp_path))
    budget = Budget(wall_seconds=case["wall_seconds"], memory_mb=case["memory_mb"])
    started = time.perf_counter()
    verdict = DSLSolver().run(program, case["input"], budget)
    elapsed = time.perf_counter() - started
    assert not verdict.status.is_success and verdict.status is not Status.MISMATCH, verdict
    assert verdict.message and "\n" not in verdict.message and "Traceback" not in verdict.message
    assert elapsed < 2 * budget.wall_seconds
    assert list(tmp_path.iterdir()) == []
