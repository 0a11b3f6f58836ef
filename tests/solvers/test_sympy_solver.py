"""The sympy backend in run mode: small real algebra problems, value formats, inputs, budgets."""

from __future__ import annotations

import json
import pickle

import pytest

from nesy.budget import Budget
from nesy.registry import get_solver
from nesy.solver import Solver
from nesy.solvers.sympy_solver import SympySolver
from nesy.verdict import Status


@pytest.fixture(scope="module")
def solver() -> SympySolver:
    return SympySolver()


@pytest.mark.parametrize(
    "program, value",
    [
        ("solve(Eq(x**2, 4), x)", [-2, 2]),
        ("solve(x**2 + 1, x)", ["-I", "I"]),
        ("eq1 = Eq(x + y, 10)\neq2 = Eq(x - y, 2)\nsolve([eq1, eq2], [x, y])", {"x": 6, "y": 4}),
        ("solve([x**2 - y, x + y - 2], [x, y])", [[-2, 4], [1, 1]]),
        ("solve([x**2 - y, x + y - 2], [x, y], dict=True)", [{"x": -2, "y": 4}, {"x": 1, "y": 1}]),
        ("linsolve([x + y - 10, x - y - 2], [x, y])", [[6, 4]]),
        ("solveset(x**2 - 4, x)", [-2, 2]),
        ("solveset(x**2 + 1, x, Reals)", []),
        ("solveset(x > 1, x, Reals)", "Interval.open(1, oo)"),
        ("simplify(sin(x)**2 + cos(x)**2)", 1),
        ("simplify((x**2 - 1)/(x - 1))", "x + 1"),
        ("expand((x + 1)**3)", "x**3 + 3*x**2 + 3*x + 1"),
        ("factor(x**2 - 5*x + 6)", "(x - 3)*(x - 2)"),
        ("apart(1/(x**2 - 1))", "-1/(2*(x + 1)) + 1/(2*(x - 1))"),
        ("diff(x**3 + sin(x), x)", "3*x**2 + cos(x)"),
        ("diff(x**5, x, 3)", "60*x**2"),
        ("integrate(x**2, (x, 0, 3))", 9),
        ("integrate(1/x, x)", "log(x)"),
        ("integrate(exp(-x**2), (x, -oo, oo))", "sqrt(pi)"),
        ("limit(sin(x)/x, x, 0)", 1),
        ("limit(1/x, x, 0, dir='-')", "-oo"),
        ("series(sin(x), x, 0, 6)", "x - x**3/6 + x**5/120 + O(x**6)"),
        ("summation(k**2, (k, 1, 10))", 385),
        ("summation(k, (k, 1, n))", "n**2/2 + n/2"),
        ("Rational(3, 6)", "1/2"),
        ("cos(pi/3) + sqrt(8)", "1/2 + 2*sqrt(2)"),
        ("N(sqrt(2))", 1.4142135623730951),
        ("N(pi, 30)", "3.14159265358979323846264338328"),
        ("log(8, 2) + Abs(-3) + floor(7/2) + ceiling(7/2)", 13),
        ("gcd(12, 18) + lcm(4, 6) + mod_inverse(3, 7)", 23),
        ("factorial(10)", 3628800),
        ("binomial(10, 3)", 120),
        ("isprime(97)", True),
        ("divisors(12)", [1, 2, 3, 4, 6, 12]),
        ("factorint(360)", {"2": 3, "3": 2, "5": 1}),
        ("Max(1, 2, x)", "Max(2, x)"),
        ("1 < 2 < 3", True),
        ("Eq(2 + 2, 5)", False),
        ("x == 2", "Eq(x, 2)"),
        ("(x > 1) & (x < 3)", "(x > 1) & (x < 3)"),
        ("I**2", -1),
        ("(1, x)", [1, "x"]),
    ],
)
def test_small_problems_and_their_json_values(solver: SympySolver, program: str, value) -> None:
    verdict = solver.run(program)
    assert verdict.status is Status.OK, verdict.message
    assert verdict.value == value
    json.dumps(verdict.to_dict())  # everything a verdict carries is JSON-friendly


def test_certificate_has_type_and_srepr(solver: SympySolver) -> None:
    verdict = solver.run("Rational(1, 2) + x")
    assert verdict.certificate == {"type": "Add", "srepr": "Add(Symbol('x'), Rational(1, 2))"}


def test_certificates_are_short(solver: SympySolver) -> None:
    verdict = solver.run("expand((x + y + 1)**12)")
    assert verdict.status is Status.OK
    assert len(verdict.certificate["srepr"]) <= 2000 and verdict.certificate["srepr"].endswith("...")


def test_integers_beyond_json_digit_guard_become_strings(solver: SympySolver) -> None:
    verdict = solver.run("2**20000")
    assert isinstance(verdict.value, str)
    assert verdict.value.startswith("39802") and verdict.value.endswith("09376") and len(verdict.value) == 6021
    assert int(verdict.value[-5:]) == 2**20000 % 10**5
    json.dumps(verdict.to_dict())


def test_input_binds_names(solver: SympySolver) -> None:
    verdict = solver.run("solve(a*x**2 + b*x + c, x)", input={"a": 1, "b": "-3", "c": 2})
    assert verdict.value == [1, 2]
    assert solver.run("sum_ = 1\nsum_", input=None).status is Status.OK
    assert solver.run("v[0] + v[1]", input={"v": [1.5, "1/2"]}).value == 2.0


@pytest.mark.parametrize(
    "data, words",
    [
        ([1, 2], "input must be a mapping"),
        ({"not a name": 1}, "is not an identifier"),
        ({"__builtins__": 1}, "is not allowed"),
        ({"pi": 3}, "reserved name"),
        ({"a": "a.b"}, "input 'a': attribute access"),
        ({"a": {1, 2}}, "input 'a': cannot read a value of type set"),
    ],
)
def test_bad_inputs_are_rejected(solver: SympySolver, data, words: str) -> None:
    verdict = solver.run("x", input=data)
    assert verdict.status is Status.REJECTED
    assert words in verdict.message


def test_result_size_is_bounded_by_the_budget(solver: SympySolver) -> None:
    verdict = solver.run("expand((x + 1)**30)", budget=Budget(max_value_size=50))
    assert verdict.status is Status.ERROR
    assert "over the limit of 50" in verdict.message


@pytest.mark.parametrize(
    "program",
    [
        "integrate(exp(sin(x))*log(x)/(1 + x**5), x)",
        "solve(x**7 + x**3*y - 3*sin(x) + y**5, x)",
        "expand((a + b + c + d + 1)**60)",
        "divisors(2**4000 - 1)",
    ],
)
def test_hard_problems_time_out_within_twice_the_budget(solver: SympySolver, program: str) -> None:
    verdict = solver.run(program, budget=Budget(wall_seconds=0.5))
    assert verdict.status is Status.TIMEOUT
    assert verdict.stats["wall_seconds"] < 1.0
    assert solver.run("solve(x - 1, x)").value == [1]  # still serving after the interruption


def test_check_mode_also_times_out(solver: SympySolver) -> None:
    verdict = solver.check("integrate(exp(sin(x))*log(x)/(1 + x**5), x)", expected="x", budget=Budget(wall_seconds=0.5))
    assert verdict.status is Status.TIMEOUT
    assert verdict.stats["wall_seconds"] < 1.0


def test_solver_is_picklable_registered_and_fingerprinted() -> None:
    solver = SympySolver()
    clone = pickle.loads(pickle.dumps(solver))
    assert clone.run("diff(x**2, x)").value == "2*x"
    assert isinstance(solver, Solver)
    assert isinstance(get_solver("sympy"), SympySolver)
    assert solver.name == "sympy" and solver.languages == ("sympy",)
    assert clone.fingerprint() == solver.fingerprint() != SympySolver(rel_tol=1e-6).fingerprint()


def test_runs_are_deterministic(solver: SympySolver) -> None:
    first = solver.run("solve(x**3 - 6*x**2 + 11*x - 6, x)")
    second = solver.run("solve(x**3 - 6*x**2 + 11*x - 6, x)")
    assert first.value == second.value == [1, 2, 3]
    assert first.certificate == second.certificate


def test_non_text_programs_are_rejected(solver: SympySolver) -> None:
    assert solver.run(b"x").status is Status.REJECTED  # type: ignore[arg-type]
    assert solver.run("x" * 2_000_000).status is Status.REJECTED
