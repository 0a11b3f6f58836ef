"""Every hostile z3 case ends in a non-success verdict and writes nothing (in-process part).

Cases marked ``needs_sandbox`` (memory bombs: z3 may exit the process) are left to the sandbox test.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from nesy.budget import Budget
from nesy.solvers.z3_solver import Z3Solver
from nesy.verdict import Status

_PATH = Path(__file__).resolve().parents[1] / "hostile" / "corpus_z3.py"
_SPEC = importlib.util.spec_from_file_location("corpus_z3", _PATH)
corpus = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(corpus)  # type: ignore[union-attr]

EXPECTED = {  # the exact outcome for the cases where it is known; others just must not succeed
    "z3-set-option-output": Status.REJECTED,
    "z3-attribute-in-term": Status.REJECTED,
    "z3-comment-cr-smuggle": Status.REJECTED,
    "z3-string-backslash-smuggle": Status.REJECTED,
    "z3-quoted-symbol-smuggle": Status.REJECTED,
    "z3-nonlinear-timeout": Status.UNKNOWN,
    "z3-deep-nesting": Status.REJECTED,
    "z3-huge-program": Status.REJECTED,
}


def test_corpus_shape() -> None:
    ids = [case["id"] for case in corpus.CASES]
    assert len(ids) == len(set(ids)) >= 8
    for case in corpus.CASES:
        assert set(case) <= {"id", "program", "input", "wall_seconds", "memory_mb", "needs_sandbox"}
        assert case["id"].startswith("z3-")


@pytest.mark.parametrize(
    "case", [c for c in corpus.CASES if not c.get("needs_sandbox")], ids=lambda c: c["id"]
)
def test_hostile_case_fails_safely(case: dict, tmp_path: Path) -> None:
    program = case["program"].replace("{TMP}", str(tmp_path))
    data = case["input"].replace("{TMP}", str(tmp_path)) if isinstance(case["input"], str) else case["input"]
    budget = Budget(wall_seconds=case["wall_seconds"], memory_mb=case["memory_mb"])
    verdict = Z3Solver().run(program, input=data, budget=budget)
    assert not verdict.status.is_success, verdict
    assert verdict.status is not Status.MISMATCH
    assert verdict.message and "\n" not in verdict.message
    if case["id"] in EXPECTED:
        assert verdict.status is EXPECTED[case["id"]], verdict.message
    assert verdict.stats["wall_seconds"] < 2 * case["wall_seconds"]
    assert list(tmp_path.iterdir()) == []
