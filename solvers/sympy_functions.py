"""The allow-list of SymPy functions and constants a ``sympy`` program may use, and its resource guards.

Every callable name a program may use is a key of :data:`FUNCTIONS`; every reserved constant name is a
key of :data:`CONSTANTS`. Any other identifier becomes a plain :class:`sympy.Symbol`. Guards refuse
calls whose exact result would be enormous (``2**2**30``, ``factorial(10**9)``) *before* SymPy
computes them, because one such big-integer operation runs in C where no alarm can stop it.

Example:
    >>> FUNCTIONS["solve"].keywords["dict"]
    (True, False)
    >>> check_power(Limits(), sympy.Integer(2), sympy.Integer(64))
    >>> check_power(Limits(), sympy.Integer(2), sympy.Integer(10**9))
    Traceback (most recent call last):
    ...
    nesy.errors.ProgramRejected: refused: a power of 2 with exponent 1000000000 would have about 1e+09 bits (limit 100000)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import sympy

from nesy.errors import ProgramRejected


@dataclass(frozen=True)
class Limits:
    """Static and size limits of the ``sympy`` language.

    Attributes:
        max_int_bits: Largest exact integer (numerator/denominator) a program may build.
        max_exponent: Largest rational constant allowed in the exponent of a non-constant power
            (a value substituted later could make it a huge number).
        max_bound: Largest rational constant allowed in substitution points: integration and
            summation bounds, limit and series points.
        max_depth: Deepest syntax tree accepted.
        max_nodes: Most syntax-tree nodes accepted.
        max_statements: Most statements in one program.
        max_digits: Most digits ``N(expr, digits)`` may ask for.
        max_order: Highest derivative/series order.
    """

    max_int_bits: int = 100_000
    max_exponent: int = 100_000
    max_bound: int = 1_000_000
    max_depth: int = 100
    max_nodes: int = 20_000
    max_statements: int = 200
    max_digits: int = 1_000
    max_order: int = 1_000


Guard = Callable[[Limits, tuple, dict], None]


@dataclass(frozen=True)
class FunctionSpec:
    """How one allow-listed function may be called.

    Attributes:
        target: The SymPy callable.
        min_args: Fewest positional arguments.
        max_args: Most positional arguments (None: any number).
        keywords: Allowed keyword arguments: a tuple of the constant values it may take, or None
            for any expression of the language.
        guard: Called with (limits, args, kwargs) before ``target``; raises ProgramRejected.
    """

    target: Callable[..., Any]
    min_args: int = 1
    max_args: int | None = 1
    keywords: Mapping[str, tuple | None] = field(default_factory=dict)
    guard: Guard | None = None


def reject(message: str) -> None:
    """Raise :class:`ProgramRejected` with a 'refused:' message."""
    raise ProgramRejected(f"refused: {message}")


def approx(number: sympy.Rational) -> str:
    """A short text for a possibly huge rational (never prints thousands of digits).

    >>> approx(sympy.Integer(12)), approx(sympy.Integer(10)**40)
    ('12', '~10^40')
    """
    bits = max(int(number.p).bit_length(), int(number.q).bit_length())
    if bits < 50:
        return str(number)
    return f"~10^{int(bits * math.log10(2))}"


def rational_bits(number: sympy.Rational) -> int:
    """Bits of the larger of numerator and denominator."""
    return max(int(number.p).bit_length(), int(number.q).bit_length())


def _log2_abs(n: int) -> float:
    n = abs(int(n))
    return math.log2(n) if 0 < n.bit_length() < 1000 else float(n.bit_length())


_TRIVIAL_BASES = (sympy.S.Zero, sympy.S.One, sympy.S.NegativeOne, sympy.I, -sympy.I)


def check_power(limits: Limits, base: Any, exponent: Any) -> None:
    """Refuse ``base**exponent`` when it could build a huge exact number.

    With a rational exponent the result's size is estimated from the largest rational inside the
    base (SymPy distributes powers over products: ``(10**9*x)**n`` computes ``10**(9*n)``); any
    exponent of a non-trivial base may also hold no constant above ``limits.max_exponent``.
    """
    if not isinstance(base, sympy.Basic) or not isinstance(exponent, sympy.Basic) or base in _TRIVIAL_BASES:
        return
    if isinstance(exponent, sympy.Rational):
        size = max((max(_log2_abs(r.p), _log2_abs(r.q)) for r in base.atoms(sympy.Rational)), default=0.0)
        bits = float(abs(exponent)) * size if rational_bits(exponent) < 1000 else math.inf
        if bits > limits.max_int_bits:
            about = f"about {bits:.3g}" if math.isfinite(bits) else "far more than"
            reject(f"a power of {_describe(base)} with exponent {approx(exponent)} would have {about} bits (limit {limits.max_int_bits})")
        if isinstance(base, sympy.Rational):
            return
    check_substitution_points(exponent, limits.max_exponent, "an exponent")


def _describe(base: sympy.Basic) -> str:
    return approx(base) if isinstance(base, sympy.Rational) else "an expression"


def check_substitution_points(value: Any, bound: int, what: str) -> None:
    """Refuse rational constants above ``bound`` in ``value`` (an exponent, bounds, a limit point)."""
    if isinstance(value, (tuple, list)):
        for item in value:
            check_substitution_points(item, bound, what)
    elif isinstance(value, sympy.Basic):
        for number in value.atoms(sympy.Rational):
            if abs(number) > bound:
                reject(f"{what} contains the constant {approx(number)} (limit {bound})")


def _integer_arg(value: Any) -> int | None:
    return int(value) if isinstance(value, sympy.Integer) else None


def _log2_factorial(n: int) -> float:
    return math.lgamma(n + 1) / math.log(2) if n < 2**1000 else math.inf


def _guard_factorial(limits: Limits, args: tuple, kwargs: dict) -> None:
    n = _integer_arg(args[0])
    if n is not None and n > 0 and _log2_factorial(n) > limits.max_int_bits:
        reject(f"factorial({approx(args[0])}) would have more than {limits.max_int_bits} bits")


def _guard_binomial(limits: Limits, args: tuple, kwargs: dict) -> None:
    n, k = _integer_arg(args[0]), _integer_arg(args[1])
    if n is None or k is None or n <= 0 or not 0 < k < n:
        return
    k = min(k, n - k)
    bits = float(min(k * n.bit_length(), 2**1000))  # an upper bound; exact enough for small k
    if n < 2**1000:
        bits = min(bits, _log2_factorial(n) - _log2_factorial(k) - _log2_factorial(n - k))
    if bits > limits.max_int_bits:
        reject(f"binomial({approx(args[0])}, {approx(args[1])}) would have about {bits:.3g} bits (limit {limits.max_int_bits})")


def _guard_orders(limits: Limits, args: tuple, kwargs: dict) -> None:
    for value in list(args[1:]) + list(kwargs.values()):
        parts = value if isinstance(value, tuple) else (value,)
        for part in parts:
            if isinstance(part, sympy.Integer) and abs(int(part)) > limits.max_order:
                reject(f"order {approx(part)} is over the limit of {limits.max_order}")


def _guard_bounds(limits: Limits, args: tuple, kwargs: dict) -> None:
    check_substitution_points(tuple(args[1:]) + tuple(kwargs.values()), limits.max_bound, "a bound or limit point")


def _guard_digits(limits: Limits, args: tuple, kwargs: dict) -> None:
    digits = args[1] if len(args) > 1 else None
    if digits is not None and not (isinstance(digits, sympy.Integer) and 1 <= int(digits) <= limits.max_digits):
        reject(f"N(expr, digits) needs 1 <= digits <= {limits.max_digits}")


def _guard_exp(limits: Limits, args: tuple, kwargs: dict) -> None:
    check_power(limits, sympy.E, args[0])


def _guard_root(limits: Limits, args: tuple, kwargs: dict) -> None:
    if isinstance(args[1], sympy.Basic) and args[1] != 0:
        check_power(limits, args[0], 1 / args[1])


def _series_guard(limits: Limits, args: tuple, kwargs: dict) -> None:
    _guard_bounds(limits, args[1:3], {})
    _guard_orders(limits, (None,) + tuple(args[3:]), kwargs)


def _spec(target: Callable[..., Any], min_args: int = 1, max_args: int | None = 1, guard: Guard | None = None, **keywords: tuple | None) -> FunctionSpec:
    return FunctionSpec(target, min_args, max_args, keywords, guard)


_ONE_ARG = ("simplify", "expand", "cancel", "together", "trigsimp", "powsimp", "sqrt", "cbrt", "Abs", "sign", "re",
            "im", "arg", "conjugate", "floor", "ceiling", "frac", "sin", "cos", "tan", "cot", "sec", "csc", "asin",
            "acos", "atan", "acot", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "isprime", "divisors",
            "primefactors", "factorint", "totient", "Not")
_TWO_ARGS = ("Eq", "Ne", "Lt", "Le", "Gt", "Ge", "atan2", "Mod", "mod_inverse", "collect")
_ANY_ARGS = ("And", "Or", "Min", "Max", "gcd", "lcm", "FiniteSet", "Union", "Intersection")

FUNCTIONS: dict[str, FunctionSpec] = {
    **{name: _spec(getattr(sympy, name)) for name in _ONE_ARG},
    **{name: _spec(getattr(sympy, name), 2, 2) for name in _TWO_ARGS},
    **{name: _spec(getattr(sympy, name), 0, None) for name in _ANY_ARGS},
    "solve": _spec(sympy.solve, 1, None, dict=(True, False)),
    "solveset": _spec(sympy.solveset, 1, 3, domain=None),
    "linsolve": _spec(sympy.linsolve, 1, None),
    "factor": _spec(sympy.factor, 1, None),
    "apart": _spec(sympy.apart, 1, 2),
    "diff": _spec(sympy.diff, 1, None, _guard_orders),
    "integrate": _spec(sympy.integrate, 1, None, _guard_bounds),
    "limit": _spec(sympy.limit, 3, 3, _guard_bounds, dir=("+", "-", "+-")),
    "series": _spec(sympy.series, 1, 4, _series_guard),
    "summation": _spec(sympy.summation, 2, None, _guard_bounds),
    "Rational": _spec(sympy.Rational, 1, 2),
    "N": _spec(sympy.N, 1, 2, _guard_digits),
    "exp": _spec(sympy.exp, 1, 1, _guard_exp),
    "log": _spec(sympy.log, 1, 2),
    "root": _spec(sympy.root, 2, 3, _guard_root),
    "factorial": _spec(sympy.factorial, 1, 1, _guard_factorial),
    "binomial": _spec(sympy.binomial, 2, 2, _guard_binomial),
    "Interval": _spec(sympy.Interval, 2, 4),
}
"""Allow-listed functions by the name a program calls them with."""

CONSTANTS: dict[str, sympy.Basic] = {
    "pi": sympy.pi,
    "E": sympy.E,
    "I": sympy.I,
    "oo": sympy.oo,
    "zoo": sympy.zoo,
    "nan": sympy.nan,
    "Reals": sympy.S.Reals,
    "Complexes": sympy.S.Complexes,
    "Integers": sympy.S.Integers,
    "Naturals": sympy.S.Naturals,
}
"""Reserved names that stand for SymPy constants (every other free name is a Symbol)."""
