"""Every hostile sympy case ends in a non-success verdict and writes nothing (in-process part).

Cases marked ``needs_sandbox`` (a memory bomb that only the worker's address-space limit stops
quickly) are left to the sandbox test in ``tests/hostile``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from nesy.budget import Budget
from nesy.solvers.sympy_solver import SympySolver
from nesy.verdict import Status

_PATH = Path(__file__).resolve().parents[1] / "hostile" / "corpus_sympy.py"
_SPEC = importlib.util.spec_from_file_location("corpus_sympy", _PATH)
corpus = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(corpus)  # type: ignore[union-attr]

EXPECTED = {  # the exact outcome where it is known; the others just must not succeed
    "sympy-attribute-escape": Status.REJECTED,
    "sympy-dunder-import": Status.REJECTED,
    "sympy-sympify-string": Status.REJECTED,
    "sympy-lambdify": Status.REJECTED,
    "sympy-string-keyword-smuggle": Status.REJECTED,
    "sympy-input-code-string": Status.REJECTED,
    "sympy-open-write": Status.REJECTED,
    "sympy-power-tower": Status.REJECTED,
    "sympy-factorial-bomb": Status.REJECTED,
    "sympy-doubling-chain": Status.ERROR,
    "sympy-list-repetition": Status.ERROR,
    "sympy-hard-integral": Status.TIMEOUT,
    "sympy-hidden-huge-power": Status.TIMEOUT,
    "sympy-huge-program": Status.REJECTED,
    "sympy-deep-unary": Status.REJECTED,
    "sympy-syntax-garbage": Status.REJECTED,
}


def test_corpus_shape() -> None:
    ids = [case["id"] for case in corpus.CASES]
    assert len(ids) == len(set(ids)) >= 8
    for case in corpus.CASES:
        assert set(case) <= {"id", "program", "input", "wall_seconds", "memory_mb", "needs_sandbox"}
        assert case["id"].startswith("sympy-")
    assert set(EXPECTED) <= set(ids)


@pytest.mark.parametrize("case", [c for c in corpus.CASES if not c.get("needs_sandbox")], ids=lambda c: c["id"])
def test_hostile_case_fails_safely(case: dict, tmp_path: Path) -> None:
    program = case["program"].replace("{TMP}", str(tmp_path))
    budget = Budget(wall_seconds=case["wall_seconds"], memory_mb=case["memory_mb"])
    verdict = SympySolver().run(program, input=case["input"], budget=budget)
    assert not verdict.status.is_success, verdict
    assert verdict.status is not Status.MISMATCH
    assert verdict.message and "\n" not in verdict.message and "Traceback" not in verdict.message
    if case["id"] in EXPECTED:
        assert verdict.status is EXPECTED[case["id"]], verdict.message
    assert verdict.stats["wall_seconds"] < 2 * case["wall_seconds"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("case", [c for c in corpus.CASES if not c.get("needs_sandbox")], ids=lambda c: c["id"])
def test_hostile_case_as_expected_value_is_never_run(case: dict, tmp_path: Path) -> None:
    """The same texts given as the *expected* answer are parsed by the same walker, never executed."""
    expected = case["program"].replace("{TMP}", str(tmp_path))
    if len(expected) > 100_000 or case["wall_seconds"] < 2.0 or case["input"] is not None:
        pytest.skip("huge, slow or input-based cases are covered as programs")
    verdict = SympySolver().check("x", expected=expected, budget=Budget(wall_seconds=2.0))
    assert verdict.status in (Status.MISMATCH, Status.ERROR), verdict
    assert list(tmp_path.iterdir()) == []
