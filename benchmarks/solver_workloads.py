"""Small verified problems per backend, each with the same problem solved by the library directly.

Used by the ``solvers`` benchmark suite to measure nesy's overhead (parsing, allow-lists, the
sandbox, the verdict) against calling the solver library on the same problem with no nesy at all.

Example:
    >>> w = WORKLOADS["z3"](3, seed=0)
    >>> len(w.programs), w.direct(0) == w.expected[0]
    (3, True)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable


@dataclass
class Workload:
    """``n`` programs for one backend, their expected values, and a direct library solve of item i."""

    backend: str
    programs: list[str]
    inputs: list[Any]
    expected: list[Any]
    direct: Callable[[int], Any]


def _unique(draw: Callable[[], tuple], n: int) -> list[tuple]:
    """``n`` distinct draws, in order of drawing."""
    seen: dict[tuple, None] = {}
    while len(seen) < n:
        seen.setdefault(draw(), None)
    return list(seen)


def z3_workload(n: int, seed: int) -> Workload:
    """Two linear equations in two integers, unique solution; direct: z3 on the same SMT-LIB text.

    Every workload's programs are distinct, so nesy's de-duplication of identical checks cannot help it.
    """
    import z3

    rng = random.Random(seed)
    pairs = _unique(lambda: (rng.randint(-500, 500), rng.randint(-500, 500)), n)
    programs = [
        f"(declare-const x Int)(declare-const y Int)(assert (= (+ x y) {x + y}))(assert (= (- x y) {x - y}))(check-sat)"
        for x, y in pairs
    ]

    def direct(i: int) -> Any:
        solver = z3.Solver()
        solver.from_string(programs[i])
        solver.check()
        model = solver.model()
        return {d.name(): model[d].as_long() for d in model.decls()}

    return Workload("z3", programs, [None] * n, [{"x": x, "y": y} for x, y in pairs], direct)


def clingo_workload(n: int, seed: int) -> Workload:
    """Which of 1..k are multiples of m; direct: clingo's Control on the same ASP text."""
    import clingo

    rng = random.Random(seed)
    params = [(rng.randint(5, 30), rng.randint(2, 5)) for _ in range(n)]
    # item(i) makes every program distinct (nesy would otherwise solve repeated programs once)
    programs = [f"item({i}). n(1..{k}). m(X) :- n(X), X \\ {m} = 0. #show m/1." for i, (k, m) in enumerate(params)]
    expected = [[[f"m({x})" for x in sorted(range(m, k + 1, m), key=lambda v: f"m({v})")]] for k, m in params]

    def direct(i: int) -> Any:
        control = clingo.Control(["--models=0"], logger=lambda code, msg: None)
        control.add("base", [], programs[i])
        control.ground([("base", [])])
        models: list[list[str]] = []
        control.solve(on_model=lambda model: models.append(sorted(str(s) for s in model.symbols(shown=True))))
        return models

    return Workload("clingo", programs, [None] * n, expected, direct)


def sympy_workload(n: int, seed: int) -> Workload:
    """Solve a*x + b = c; direct: the same SymPy calls on objects built in Python."""
    import sympy

    rng = random.Random(seed)
    params = _unique(lambda: (rng.randint(1, 9), rng.randint(-50, 50), rng.randint(-50, 50)), n)
    programs = [f"solve(Eq({a}*x + {b}, {c}), x)" for a, b, c in params]
    expected = [[str(sympy.Rational(c - b, a))] for a, b, c in params]
    x = sympy.Symbol("x")

    def direct(i: int) -> Any:
        a, b, c = params[i]
        return [str(s) for s in sympy.solve(sympy.Eq(a * x + b, c), x)]

    return Workload("sympy", programs, [None] * n, expected, direct)


def dsl_workload(n: int, seed: int) -> Workload:
    """``add(mul(x, a), b)`` in the standard DSL; direct: nesy's interpreter in this process, unsandboxed."""
    from nesy.solvers.dsl import DSLSolver
    from nesy.budget import DEFAULT_BUDGET

    rng = random.Random(seed)
    params = _unique(lambda: (rng.randint(-9, 9), rng.randint(-99, 99), rng.randint(-99, 99)), n)
    programs = [f"add(mul(x, {a}), {b})" for a, b, _ in params]
    inputs = [{"x": x} for _, _, x in params]
    interpreter = DSLSolver()

    def direct(i: int) -> Any:
        return interpreter.run(programs[i], inputs[i], DEFAULT_BUDGET).value

    return Workload("dsl", programs, inputs, [x * a + b for a, b, x in params], direct)


WORKLOADS: dict[str, Callable[[int, int], Workload]] = {
    "dsl": dsl_workload,
    "sympy": sympy_workload,
    "z3": z3_workload,
    "clingo": clingo_workload,
}
