"""The built-in standard DSL: integer arithmetic, booleans, comparisons, a lazy conditional, lists.

Every implementation is a module-level function, so the DSL pickles. Integer division and modulo
floor like Python's; dividing by zero, ``head``/``tail``/``last`` of an empty list fail with an
``error`` verdict. ``repeat`` checks the size of its result before building it.

Example:
    >>> from nesy.solvers.dsl.solver import DSLSolver
    >>> DSLSolver(standard_dsl()).run("reverse(concat(xs, cons(9, empty())))", input={"xs": [1, 2]}).value
    [9, 2, 1]
    >>> "repeat(list[T], int) -> list[T]" in standard_dsl().describe()
    True
"""

from __future__ import annotations

from typing import Any, TypeVar

from nesy.solvers.dsl.interpreter import current_value_limit, guard_size, nested_size
from nesy.solvers.dsl.language import DSL

T = TypeVar("T")


# -- integers -------------------------------------------------------------------------------
def add(a: int, b: int) -> int:
    """a + b"""
    return a + b


def sub(a: int, b: int) -> int:
    """a - b"""
    return a - b


def mul(a: int, b: int) -> int:
    """a * b"""
    return a * b


def div(a: int, b: int) -> int:
    """Floor division a // b."""
    return a // b


def mod(a: int, b: int) -> int:
    """a % b (sign of b, like Python)."""
    return a % b


def neg(a: int) -> int:
    """-a"""
    return -a


def abs_(a: int) -> int:
    """|a|"""
    return abs(a)


def min_(a: int, b: int) -> int:
    """The smaller of a and b."""
    return min(a, b)


def max_(a: int, b: int) -> int:
    """The larger of a and b."""
    return max(a, b)


# -- comparisons and booleans ---------------------------------------------------------------
def eq(a: Any, b: Any) -> bool:
    """a == b (any type, both the same); refuses to compare values over max_value_size elements."""
    limit = current_value_limit()
    if limit is not None:
        for side in (a, b):
            guard_size(nested_size(side, limit), "an argument of eq")
    return bool(a == b)


def lt(a: int, b: int) -> bool:
    """a < b"""
    return a < b


def le(a: int, b: int) -> bool:
    """a <= b"""
    return a <= b


def gt(a: int, b: int) -> bool:
    """a > b"""
    return a > b


def ge(a: int, b: int) -> bool:
    """a >= b"""
    return a >= b


def and_(a: bool, b: bool) -> bool:
    """a and b (both evaluated)"""
    return a and b


def or_(a: bool, b: bool) -> bool:
    """a or b (both evaluated)"""
    return a or b


def not_(a: bool) -> bool:
    """not a"""
    return not a


# -- lists ----------------------------------------------------------------------------------
def empty() -> list[Any]:
    """The empty list."""
    return []


def cons(x: T, xs: list[T]) -> list[T]:
    """x in front of xs."""
    return [x, *xs]


def append(xs: list[T], x: T) -> list[T]:
    """xs with x at the end."""
    return [*xs, x]


def concat(xs: list[T], ys: list[T]) -> list[T]:
    """xs followed by ys."""
    return [*xs, *ys]


def repeat(xs: list[T], n: int) -> list[T]:
    """xs concatenated n times (empty for n <= 0)."""
    guard_size(len(xs) * max(n, 0), "repeat's result")
    return list(xs) * n


def reverse(xs: list[T]) -> list[T]:
    """xs backwards."""
    return list(reversed(xs))


def length(xs: list[Any]) -> int:
    """Number of elements."""
    return len(xs)


def head(xs: list[T]) -> T:
    """The first element (fails on an empty list)."""
    if not xs:
        raise IndexError("head of an empty list")
    return xs[0]


def last(xs: list[T]) -> T:
    """The last element (fails on an empty list)."""
    if not xs:
        raise IndexError("last of an empty list")
    return xs[-1]


def tail(xs: list[T]) -> list[T]:
    """All but the first element (fails on an empty list)."""
    if not xs:
        raise IndexError("tail of an empty list")
    return list(xs[1:])


def sum_(xs: list[int]) -> int:
    """Sum of the elements."""
    return sum(xs)


_DECLARATIONS: list[tuple[str, list[str], str, Any]] = [
    ("add", ["int", "int"], "int", add),
    ("sub", ["int", "int"], "int", sub),
    ("mul", ["int", "int"], "int", mul),
    ("div", ["int", "int"], "int", div),
    ("mod", ["int", "int"], "int", mod),
    ("neg", ["int"], "int", neg),
    ("abs", ["int"], "int", abs_),
    ("min", ["int", "int"], "int", min_),
    ("max", ["int", "int"], "int", max_),
    ("eq", ["T", "T"], "bool", eq),
    ("lt", ["int", "int"], "bool", lt),
    ("le", ["int", "int"], "bool", le),
    ("gt", ["int", "int"], "bool", gt),
    ("ge", ["int", "int"], "bool", ge),
    ("and", ["bool", "bool"], "bool", and_),
    ("or", ["bool", "bool"], "bool", or_),
    ("not", ["bool"], "bool", not_),
    ("empty", [], "list[T]", empty),
    ("cons", ["T", "list[T]"], "list[T]", cons),
    ("append", ["list[T]", "T"], "list[T]", append),
    ("concat", ["list[T]", "list[T]"], "list[T]", concat),
    ("repeat", ["list[T]", "int"], "list[T]", repeat),
    ("reverse", ["list[T]"], "list[T]", reverse),
    ("length", ["list[T]"], "int", length),
    ("head", ["list[T]"], "T", head),
    ("last", ["list[T]"], "T", last),
    ("tail", ["list[T]"], "list[T]", tail),
    ("sum", ["list[int]"], "int", sum_),
]


def standard_dsl() -> DSL:
    """A fresh copy of the standard DSL (named ``std``); extend it freely.

    Constants ``true`` and ``false`` are the booleans; ``if_then_else(c, a, b)`` is lazy.

    Example:
        >>> dsl = standard_dsl()
        >>> dsl.primitives["if_then_else"].signature_text
        'if_then_else(bool, T, T) -> T'
        >>> dsl.constants["true"].value
        True
    """
    dsl = DSL("std")
    for name, args, returns, impl in _DECLARATIONS:
        dsl.primitive(name, args, returns, impl, doc=(impl.__doc__ or "").strip())
    dsl.conditional("if_then_else")
    dsl.constant("true", "bool", True)
    dsl.constant("false", "bool", False)
    return dsl
