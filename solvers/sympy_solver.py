"""The ``sympy`` backend: computer algebra in Python syntax, through an allow-listed AST walker.

A program is one expression, or ``name = expr`` statements followed by one expression whose value is
the result::

    eq1 = Eq(x + y, 10)
    eq2 = Eq(x - y, 2)
    solve([eq1, eq2], [x, y])

The text is parsed with :mod:`ast` and translated node by node (see :mod:`~nesy.solvers.sympy_ast`,
:mod:`~nesy.solvers.sympy_eval`); nothing is ever passed to ``eval``, ``sympify``, ``parse_expr`` or
``lambdify``. The allow-listed functions and constants are in :mod:`~nesy.solvers.sympy_functions`;
value formats in :mod:`~nesy.solvers.sympy_values`; check-mode equality in :mod:`~nesy.solvers.sympy_compare`.

``input`` may be None or a mapping from names to values (numbers, strings in the same safe syntax, or
lists of those) that the program sees as pre-assigned names.

Example:
    >>> solver = SympySolver()
    >>> solver.run("solve(Eq(x**2, 4), x)").value
    [-2, 2]
    >>> solver.run("expand((x + a)**2)", input={"a": 3}).value
    'x**2 + 6*x + 9'
    >>> solver.check("factor(x**2 - 1)", expected="x**2 - 1").status
    <Status.OK: 'ok'>
    >>> solver.run("__import__('os')").status
    <Status.REJECTED: 'rejected'>
"""

from __future__ import annotations

import json
import logging
import re
import signal
import threading
from dataclasses import asdict
from typing import Any, Mapping

import sympy

from nesy.budget import DEFAULT_BUDGET, Budget
from nesy.errors import ProgramFailed, ProgramRejected, SolverTimeout
from nesy.limits import wall_clock_limit
from nesy.solver import BaseSolver
from nesy.solvers.sympy_ast import check_name
from nesy.solvers.sympy_compare import Tolerance, values_match
from nesy.solvers.sympy_eval import evaluate
from nesy.solvers.sympy_functions import Limits
from nesy.solvers.sympy_values import certificate, from_json, long_int_printing, to_json
from nesy.verdict import Status, Verdict

logger = logging.getLogger(__name__)


class SympySolver(BaseSolver):
    """Runs and checks ``sympy``-language programs.

    Args:
        rel_tol: Relative tolerance of numeric comparisons in check mode.
        samples: Random points at which check mode compares expressions with free symbols.
        limits: Language limits (integer size, depth, orders, ...).
    """

    name = "sympy"
    languages = ("sympy",)
    version = f"1.0+sympy{sympy.__version__}"

    def __init__(self, rel_tol: float = 1e-9, samples: int = 5, limits: Limits = Limits()) -> None:
        self.tolerance = Tolerance(rel_tol=rel_tol, samples=samples)
        self.limits = limits

    def config(self) -> dict[str, Any]:
        """Tolerance and limits (they change answers, so they are part of the fingerprint)."""
        return {"tolerance": asdict(self.tolerance), "limits": asdict(self.limits)}

    # -- run mode -------------------------------------------------------------------------------
    def evaluate(self, program: str, input: Any = None) -> Any:
        """The program's result as SymPy objects (no budget, no verdict: callers add those).

        Raises:
            ProgramRejected, ProgramFailed: As :func:`~nesy.solvers.sympy_eval.evaluate`.
        """
        return evaluate(program, self._bindings(input), self.limits)

    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        """Evaluate the program; the verdict's value is its JSON form (see :mod:`~nesy.solvers.sympy_values`)."""
        value, evidence = self._report(self.evaluate(program, input), budget)
        return Verdict(Status.OK, value, "evaluated", evidence)

    def _report(self, result: Any, budget: Budget) -> tuple[Any, dict[str, str]]:
        """The JSON value and the certificate of a result; refuses values over ``budget.max_value_size`` characters."""
        value = to_json(result)
        with long_int_printing():
            size = len(json.dumps(value))
        if size > budget.max_value_size:
            raise ProgramFailed(f"result is {size} characters long, over the limit of {budget.max_value_size}")
        return value, certificate(result)

    def _bindings(self, input: Any) -> dict[str, Any]:
        if input is None:
            return {}
        if not isinstance(input, Mapping):
            raise ProgramRejected(f"input must be a mapping of names to values, got {type(input).__name__}")
        bindings = {}
        for key, value in input.items():
            if not isinstance(key, str) or not key.isidentifier():
                raise ProgramRejected(f"input name {key!r} is not an identifier")
            check_name(key, assigned=True)
            try:
                bindings[key] = from_json(value, self._parse_value)
            except (TypeError, ProgramRejected) as exc:
                raise ProgramRejected(f"input {key!r}: {exc}") from None
            except ProgramFailed as exc:
                raise ProgramFailed(f"input {key!r}: {exc}") from None
        return bindings

    def _parse_value(self, text: str) -> Any:
        plain = _PLAIN_NUMBER.match(text)
        if plain is not None:  # "-7/3", "42": what the evaluator would build, without parsing a program
            numerator, denominator = plain.groups()
            if denominator is None or int(denominator) != 0:
                return sympy.Rational(int(numerator), int(denominator or 1))
        return evaluate(text, None, self.limits)

    # -- check mode -----------------------------------------------------------------------------
    def check(self, program: str, input: Any = None, expected: Any = None, budget: Budget = DEFAULT_BUDGET) -> Verdict:
        """Run the program and compare its SymPy result with ``expected`` (see :mod:`~nesy.solvers.sympy_compare`).

        ``expected`` may be a number, a string in the program syntax (``"x**2 + 2*x + 1"``,
        ``"sqrt(2)/2"``), or lists/dicts of those. The comparison runs under the same budget.
        """

        def run_and_compare() -> Verdict:
            result = self.evaluate(program, input)
            target = self._expected(expected)
            if target is _UNREADABLE:
                equal = to_json(result) == expected
            else:
                equal = values_match(result, target, self.tolerance)
            value, evidence = self._report(result, budget)
            if equal:
                return Verdict(Status.OK, value, "value matches the expected one", evidence)
            return Verdict(Status.MISMATCH, value, f"expected {_short(expected)}, got {_short(value)}", evidence)

        return self._guarded(program, budget, run_and_compare, fresh=True)

    def _expected(self, expected: Any) -> Any:
        try:
            return from_json(expected, self._parse_value)
        except ProgramRejected:  # e.g. 'Interval.open(0, 1)': compare printed forms instead
            return _UNREADABLE
        except (ProgramFailed, TypeError) as exc:
            raise ProgramFailed(f"expected value {_short(expected)} could not be read: {exc}") from None

    def values_equal(self, value: Any, expected: Any) -> bool:
        """Compare two JSON values (e.g. a stored result and an answer) with the check-mode rules.

        Strings are read in the safe syntax; values that cannot be read are compared as they are.
        Runs under a 5-second alarm when none is already set.
        """
        if threading.current_thread() is not threading.main_thread() or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
            return self._json_values_match(value, expected)  # an outer alarm is running: leave it alone
        try:
            with wall_clock_limit(DEFAULT_BUDGET.wall_seconds):
                return self._json_values_match(value, expected)
        except (SolverTimeout, RecursionError):
            logger.debug("values_equal gave up on %s vs %s", _short(value), _short(expected))
            return value == expected

    def _json_values_match(self, value: Any, expected: Any) -> bool:
        try:
            left, right = from_json(value, self._parse_value), from_json(expected, self._parse_value)
        except (ProgramRejected, ProgramFailed, TypeError):
            return value == expected
        return values_match(left, right, self.tolerance)


_UNREADABLE = object()
#: An integer or a fraction of integers, short enough to be far under any integer-size limit.
_PLAIN_NUMBER = re.compile(r"(-?\d{1,30})\s*(?:/\s*(\d{1,30})\s*)?\Z")


def _short(value: Any, limit: int = 120) -> str:
    try:
        text = value if isinstance(value, str) else json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
