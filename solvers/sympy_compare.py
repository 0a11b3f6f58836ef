"""Decide whether a SymPy result equals an expected answer, symbolically and numerically.

Rules, applied recursively:

* lists (and finite sets) are compared as multisets, in any order; a tuple on either side (e.g. one
  solution ``(x, y)`` of a system) is compared in order; a one-element list equals its only element
  (so ``solve(2*x - 4, x)``, which gives ``[2]``, matches the expected ``2``);
* dicts need the same keys (compared like values) with matching values;
* two exact rationals must be identical (``10**12 + 1`` never matches ``10**12``);
* other expressions match when structurally equal, or numerically equal at several random points for
  their free symbols (real coordinates of either sign, so symbols carry no assumptions, as in SymPy:
  ``sqrt(x**2)`` is not ``x``; ``|a - b| <= rel_tol * max(1, |a|, |b|)``, evaluated with ``evalf(subs=...)``),
  or, when numbers cannot decide (too few points where both sides are finite), ``simplify(a - b) == 0``;
* relations match when they have the same kind and the same ``lhs - rhs`` (``Eq``/``Ne`` also with the
  sign flipped; ``a > b`` is read as ``b < a``);
* anything else (logic, intervals) must be structurally equal.

Example:
    >>> x = sympy.Symbol("x")
    >>> values_match((x + 1)**2, x**2 + 2*x + 1)
    True
    >>> values_match([sympy.Integer(2), sympy.Integer(-2)], [-2, 2.0000000000001])
    True
    >>> values_match(sympy.sqrt(2), 1.5)
    False
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import sympy
from sympy.core.relational import Relational

from nesy.errors import ProgramFailed, ProgramRejected, SolverTimeout

_PASS_THROUGH = (SolverTimeout, ProgramRejected, ProgramFailed, MemoryError, RecursionError)
_FLIPPED = {sympy.StrictGreaterThan: sympy.StrictLessThan, sympy.GreaterThan: sympy.LessThan}


@dataclass(frozen=True)
class Tolerance:
    """How numbers are compared.

    Attributes:
        rel_tol: Relative tolerance (absolute below magnitude 1).
        samples: Random points to evaluate expressions with free symbols at.
        seed: Seed of the point generator (comparisons are deterministic).
    """

    rel_tol: float = 1e-9
    samples: int = 5
    seed: int = 0


def values_match(result: Any, expected: Any, tolerance: Tolerance = Tolerance()) -> bool:
    """Whether ``result`` counts as ``expected`` (both SymPy objects, Python numbers, lists, dicts)."""
    result, expected = _plain(result), _plain(expected)
    result_seq, expected_seq = isinstance(result, (list, tuple)), isinstance(expected, (list, tuple))
    if result_seq and expected_seq:
        if len(result) != len(expected):
            return False
        if isinstance(result, tuple) or isinstance(expected, tuple):
            return all(values_match(a, b, tolerance) for a, b in zip(result, expected))
        return _multiset_match(list(result), list(expected), tolerance)
    if result_seq and len(result) == 1 and not isinstance(expected, dict):
        return values_match(result[0], expected, tolerance)
    if expected_seq and len(expected) == 1 and not isinstance(result, dict):
        return values_match(result, expected[0], tolerance)
    if result_seq or expected_seq:
        return False
    if isinstance(result, dict) or isinstance(expected, dict):
        return isinstance(result, dict) and isinstance(expected, dict) and _dicts_match(result, expected, tolerance)
    return _scalars_match(result, expected, tolerance)


def _plain(value: Any) -> Any:
    """SymPy containers as Python ones; Python numbers as SymPy numbers."""
    if isinstance(value, sympy.FiniteSet):
        return list(value)
    if isinstance(value, sympy.Tuple):
        return tuple(value)
    if isinstance(value, bool):
        return sympy.true if value else sympy.false
    if isinstance(value, (int, float)):
        return sympy.Integer(value) if isinstance(value, int) else sympy.Float(value)
    return value


def _multiset_match(result: list, expected: list, tolerance: Tolerance) -> bool:
    unused = list(expected)
    for item in result:
        for index, candidate in enumerate(unused):
            if values_match(item, candidate, tolerance):
                del unused[index]
                break
        else:
            return False
    return True


def _dicts_match(result: dict, expected: dict, tolerance: Tolerance) -> bool:
    if len(result) != len(expected):
        return False
    for key, value in result.items():
        other = next((k for k in expected if values_match(key, k, tolerance)), _MISSING)
        if other is _MISSING or not values_match(value, expected[other], tolerance):
            return False
    return True


_MISSING = object()


def _scalars_match(a: Any, b: Any, tolerance: Tolerance) -> bool:
    if not isinstance(a, sympy.Basic) or not isinstance(b, sympy.Basic):
        return a == b
    if a == b:
        return True
    if isinstance(a, Relational) and isinstance(b, Relational):
        return _relations_match(a, b, tolerance)
    if isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr):
        return expressions_match(a, b, tolerance)
    return False


def _relations_match(a: Relational, b: Relational, tolerance: Tolerance) -> bool:
    kind_a, diff_a = _normal_form(a)
    kind_b, diff_b = _normal_form(b)
    if kind_a is not kind_b or diff_a is None or diff_b is None:
        return False
    if expressions_match(diff_a, diff_b, tolerance):
        return True
    return kind_a in (sympy.Equality, sympy.Unequality) and expressions_match(diff_a, -diff_b, tolerance)


def _normal_form(relation: Relational) -> tuple[type, sympy.Expr | None]:
    kind, lhs, rhs = type(relation), relation.lhs, relation.rhs
    if kind in _FLIPPED:
        kind, lhs, rhs = _FLIPPED[kind], rhs, lhs
    if not isinstance(lhs, sympy.Expr) or not isinstance(rhs, sympy.Expr):
        return kind, None
    return kind, rhs - lhs


def expressions_match(a: sympy.Expr, b: sympy.Expr, tolerance: Tolerance = Tolerance()) -> bool:
    """Whether two expressions are equal: exactly, numerically at random points, or by ``simplify``."""
    if a == b:
        return True
    if isinstance(a, sympy.Rational) and isinstance(b, sympy.Rational):
        return False
    numeric = _numeric_match(a, b, tolerance)
    if numeric is not None:
        return numeric
    try:
        return sympy.simplify(a - b) == 0
    except _PASS_THROUGH:
        raise
    except Exception:  # SymPy could not subtract or simplify these: not shown equal
        return False


def _numeric_match(a: sympy.Expr, b: sympy.Expr, tolerance: Tolerance) -> bool | None:
    """True/False when enough points decide; None when too few points give finite values."""
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    rng = random.Random(tolerance.seed)
    wanted = tolerance.samples if symbols else 1
    agreeing = 0
    for attempt in range(3 * wanted):
        point = {symbol: _coordinate(rng, attempt) for symbol in symbols}
        va, vb = _number_at(a, point), _number_at(b, point)
        if va is None or vb is None:
            continue
        if abs(va - vb) > tolerance.rel_tol * max(1.0, abs(va), abs(vb)):
            return False
        agreeing += 1
        if agreeing >= wanted:
            return True
    return None


def _coordinate(rng: random.Random, attempt: int) -> sympy.Float:
    """A random coordinate of magnitude 0.3..2.7: positive on the first point, negative on the
    second, random signs after (so ``sqrt(x**2)`` and ``x`` differ, as they do for SymPy)."""
    sign = 1 if attempt == 0 else -1 if attempt == 1 else rng.choice((1, -1))
    return sympy.Float(sign * round(rng.uniform(0.3, 2.7), 12))


def _number_at(expr: sympy.Expr, point: dict) -> complex | None:
    try:
        value = expr.evalf(30, subs=point) if point else expr.evalf(30)
        if not value.is_number or value.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
            return None
        number = complex(value)
    except _PASS_THROUGH:
        raise
    except Exception:  # not a finite number at this point
        return None
    return number if number == number and abs(number) != float("inf") else None
