"""The sympy backend in check mode: symbolic and numeric equality, multisets, relations, mismatches."""

from __future__ import annotations

import pytest
import sympy

from nesy.budget import Budget
from nesy.solvers.sympy_compare import Tolerance, expressions_match, values_match
from nesy.solvers.sympy_solver import SympySolver
from nesy.verdict import Status

x, y = sympy.symbols("x y")


@pytest.fixture(scope="module")
def solver() -> SympySolver:
    return SympySolver()


MATCHES = [
    ("expand((x + 1)**2)", "(x + 1)**2"),
    ("(x + 1)**2", "x**2 + 2*x + 1"),
    ("factor(x**2 - 1)", "(x - 1)*(x + 1)"),
    ("sin(x)**2", "1 - cos(x)**2"),
    ("diff(sin(x)*exp(x), x)", "exp(x)*(sin(x) + cos(x))"),
    ("integrate(x*exp(x), x)", "(x - 1)*exp(x)"),
    ("sqrt(2)", 1.4142135623730951),
    ("sqrt(2)", "2**(1/2)"),
    ("N(pi, 30)", "pi"),
    ("1/2", 0.5),
    ("Rational(1, 2)", "1/2"),
    ("solve(x**2 - 4, x)", [2, -2]),
    ("solve(x**2 - 4, x)", ["-2", "2"]),
    ("solve(x**2 - 2, x)", ["sqrt(2)", -1.41421356237310]),
    ("solve(2*x - 4, x)", 2),
    ("solve([x + y - 10, x - y - 2], [x, y])", {"x": 6, "y": 4}),
    ("solve([x**2 - y, x + y - 2], [x, y])", [[1, 1], [-2, 4]]),
    ("solveset(x**2 - 4, x)", [2, -2]),
    ("factorint(12)", {"3": 1, "2": 2}),
    ("Eq(x, 2)", "Eq(2, x)"),
    ("Eq(x + 1, 3)", "Eq(x - 2, 0)"),
    ("x > 2", "2 < x"),
    ("x >= 2", "Le(2, x)"),
    ("isprime(7)", True),
    ("2 == 2", True),
    ("solveset(x > 1, x, Reals)", "Interval.open(1, oo)"),  # not readable: compared as printed
    ("nan", "nan"),
    ("oo", "oo"),
]


@pytest.mark.parametrize("program, expected", MATCHES, ids=[f"{p} == {e!r}" for p, e in MATCHES])
def test_equal_forms_match(solver: SympySolver, program: str, expected) -> None:
    verdict = solver.check(program, expected=expected)
    assert verdict.status is Status.OK, verdict.message
    assert verdict.message == "value matches the expected one"


MISMATCHES = [
    ("(x + 1)**2", "x**2 + 1"),
    ("sqrt(2)", 1.5),
    ("sqrt(2)", 1.41421),  # outside the 1e-9 tolerance
    ("10**12 + 1", 10**12),  # exact integers are compared exactly
    ("solve(x**2 - 4, x)", [2, 2]),
    ("solve(x**2 - 4, x)", [2]),
    ("solve(x**2 - 4, x)", [2, -2, 3]),
    ("solve([x + y - 10, x - y - 2], [x, y])", {"x": 4, "y": 6}),
    ("solve([x + y - 10, x - y - 2], [x, y])", [6, 4]),
    ("solve([x**2 - y, x + y - 2], [x, y])", [[4, -2], [1, 1]]),  # a solution tuple is ordered
    ("log(x*y)", "log(x) + log(y)"),  # symbols carry no assumptions
    ("sqrt(x**2)", "x"),
    ("x > 2", "x < 2"),
    ("x > 2", "x >= 2"),
    ("Eq(x, 2)", "Eq(x, 3)"),
    ("isprime(8)", True),
    ("x", None),
    ("x", "__import__('os').system('true')"),  # unreadable: compared as printed, never run
]


@pytest.mark.parametrize("program, expected", MISMATCHES, ids=[f"{p} != {e!r}" for p, e in MISMATCHES])
def test_different_values_mismatch(solver: SympySolver, program: str, expected) -> None:
    verdict = solver.check(program, expected=expected)
    assert verdict.status is Status.MISMATCH, verdict.message
    assert verdict.message.startswith("expected ") and ", got " in verdict.message
    assert verdict.value is not None and verdict.certificate["srepr"]


def test_mismatch_reports_value_and_expected(solver: SympySolver) -> None:
    verdict = solver.check("solve(x**2 - 9, x)", expected=[3, 4])
    assert verdict.value == [-3, 3]
    assert verdict.message == "expected [3, 4], got [-3, 3]"


def test_check_returns_failures_unchanged(solver: SympySolver) -> None:
    assert solver.check("x.y", expected="x").status is Status.REJECTED
    assert solver.check("[1][4]", expected=1).status is Status.ERROR
    assert solver.check("2**2**2**30", expected=0).status is Status.REJECTED


def test_unsupported_expected_values_are_errors(solver: SympySolver) -> None:
    verdict = solver.check("x", expected={1, 2})
    assert verdict.status is Status.ERROR
    assert "could not be read" in verdict.message


def test_check_uses_the_input(solver: SympySolver) -> None:
    assert solver.check("a*x", input={"a": 2}, expected="x + x").status is Status.OK


def test_values_equal_reads_json_values(solver: SympySolver) -> None:
    assert solver.values_equal("x**2 + 2*x + 1", "(x + 1)**2")
    assert solver.values_equal([1, 2], [2, 1])
    assert solver.values_equal({"x": 6, "y": 4}, {"y": "16/4", "x": 6.0})
    assert solver.values_equal("Interval.open(1, oo)", "Interval.open(1, oo)")
    assert not solver.values_equal("a", "b")
    assert not solver.values_equal(1, 2)
    assert not solver.values_equal("Interval.open(1, oo)", "Interval.open(2, oo)")


def test_tolerance_is_configurable() -> None:
    loose = SympySolver(rel_tol=1e-3)
    assert loose.check("sqrt(2)", expected=1.4142).status is Status.OK
    assert SympySolver().check("sqrt(2)", expected=1.4142).status is Status.MISMATCH
    assert expressions_match(sympy.sqrt(2), sympy.Float(1.4142), Tolerance(rel_tol=1e-3))


def test_values_match_directly() -> None:
    assert values_match((x + 1) ** 2, x**2 + 2 * x + 1)
    assert values_match(sympy.FiniteSet(1, 2), [2, 1])
    assert values_match(sympy.Tuple(1, 2), [1, 2])
    assert not values_match(sympy.Tuple(1, 2), [2, 1])
    assert not values_match({x: 1}, [1])
    assert not values_match(sympy.Interval(0, 1), sympy.Interval(0, 2))
    assert values_match(sympy.And(x > 1, x < 3), sympy.And(x < 3, x > 1))


def test_numbers_decide_where_simplify_is_not_needed() -> None:
    # equal for every x, and checked numerically at random points of both signs
    a = sympy.sin(3 * x)
    b = 3 * sympy.sin(x) - 4 * sympy.sin(x) ** 3
    assert expressions_match(a, b)
    assert not expressions_match(a, b + sympy.Rational(1, 10**6))


def test_simplify_decides_when_numbers_cannot() -> None:
    # zoo at every sample point on both sides: numbers are inconclusive, structure differs
    assert not expressions_match(sympy.zoo * x, sympy.zoo * y)
    assert expressions_match(sympy.Integer(2) ** sympy.Rational(1, 2), sympy.sqrt(2))


def test_comparison_runs_under_the_budget(solver: SympySolver) -> None:
    hard = "integrate(exp(sin(x))*log(x)/(1 + x**5), x)"
    verdict = solver.check("x", expected=hard, budget=Budget(wall_seconds=0.5))
    assert verdict.status is Status.TIMEOUT
    assert verdict.stats["wall_seconds"] < 1.0


@pytest.mark.parametrize("text", ["-7/3", "42", "6/4", "-0", "0/5", "1/0", "3 / 4", "12345678901234567890/3"])
def test_plain_numbers_read_as_the_evaluator_reads_them(solver: SympySolver, text: str) -> None:
    """Expected values such as "-7/3" skip the program parser; the result must not change."""
    from nesy.solvers.sympy_eval import evaluate

    assert solver._parse_value(text) == evaluate(text)


def test_rationals_print_to_json_as_sympy_prints_them() -> None:
    from nesy.solvers.sympy_values import to_json

    for value in (sympy.Rational(-7, 3), sympy.Rational(1, 2), sympy.Rational(10**40 + 1, 3)):
        assert to_json(value) == str(value)
