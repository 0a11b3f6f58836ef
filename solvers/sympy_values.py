"""Convert between SymPy results and the JSON-friendly values a :class:`~nesy.verdict.Verdict` carries.

Value format (what ``Verdict.value`` holds for a ``sympy`` program):

========================================  =============================================================
SymPy result                              JSON value
========================================  =============================================================
``Integer``                               ``int`` (a decimal ``str`` beyond 4000 digits)
``Rational`` (not integer)                ``str`` such as ``"1/2"`` (SymPy's ``str`` printer)
``Float``                                 ``float`` at machine precision; a ``str`` of all digits when
                                          computed with more (``N(pi, 30)``) or not finite
``true`` / ``false``                      ``bool``
``list`` / ``tuple`` / ``Tuple``          ``list``
``dict`` (``solve`` with ``dict=True``)   ``dict`` with ``str`` keys (``{"x": 6, "y": 4}``)
``FiniteSet`` / ``EmptySet``              ``list`` in SymPy's canonical set order
anything else (expressions, relations,    ``str(expr)``, e.g. ``"x**2 + 1"``, ``"sqrt(2)/2"``,
intervals, other sets)                    ``"Eq(x, 2)"``, ``"Interval(0, 1)"``
========================================  =============================================================

Strings are valid programs again (except for printed forms such as ``Interval.open``), so
:func:`from_json` reads values back through the same safe parser.

Example:
    >>> x = sympy.Symbol("x")
    >>> to_json([sympy.Integer(2), sympy.Rational(1, 2), x**2, {x: sympy.sqrt(2)}, sympy.FiniteSet(3, 1)])
    [2, '1/2', 'x**2', {'x': 'sqrt(2)'}, [1, 3]]
    >>> certificate(sympy.Rational(1, 2))["srepr"]
    'Rational(1, 2)'
"""

from __future__ import annotations

import math
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import sympy

from nesy.errors import SolverTimeout

_MAX_JSON_INT_BITS = 13_000  # about 3900 decimal digits: below Python's int-to-str guard of 4300 digits
_CERTIFICATE_CHARS = 2_000


@contextmanager
def long_int_printing() -> Iterator[None]:
    """Allow printing integers with more than 4300 digits inside the block (restored after)."""
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(previous)


def to_json(value: Any) -> Any:
    """The JSON-friendly form of a SymPy result (see the table in this module's docstring)."""
    with long_int_printing():
        return _to_json(value)


def _to_json(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if value.bit_length() <= _MAX_JSON_INT_BITS else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (list, tuple, sympy.Tuple, sympy.FiniteSet)):
        return [_to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _to_json(item) for key, item in value.items()}
    if isinstance(value, sympy.logic.boolalg.BooleanAtom):
        return bool(value)
    if isinstance(value, sympy.Integer):
        return _to_json(int(value))
    if isinstance(value, sympy.Rational):  # as str() prints it, without the printer machinery
        return f"{value.p}/{value.q}"
    if isinstance(value, sympy.Float):
        number = float(value)
        return number if value._prec <= 53 and math.isfinite(number) else str(value)
    if value == sympy.S.EmptySet:
        return []
    return str(value)


def certificate(value: Any) -> dict[str, str]:
    """A short certificate: the result's type and ``srepr`` (cut to 2000 characters).

    ``srepr`` is exact and reads back in the safe syntax; a display form (``sympy.latex``) can be
    made from the value when wanted, and is left out here: it cost a third of nesy's own time per
    small check.
    """
    with long_int_printing():
        try:
            text = _cut(sympy.srepr(value))
        except (SolverTimeout, MemoryError):
            raise  # the budget ran out while printing: a timeout, never "not printable"
        except Exception as exc:  # a printer that cannot handle this value: say so
            text = f"<not printable: {type(exc).__name__}>"
        return {"type": type(value).__name__, "srepr": text}


def _cut(text: str) -> str:
    return text if len(text) <= _CERTIFICATE_CHARS else text[: _CERTIFICATE_CHARS - 3] + "..."


def from_json(data: Any, parse: Callable[[str], Any]) -> Any:
    """Turn a JSON value (an expected answer, an input binding, a stored result) into SymPy objects.

    Args:
        data: None, bool, int, float, str (a program in the safe syntax), or lists/dicts of those.
        parse: Evaluates a string in the safe syntax (e.g. :func:`~nesy.solvers.sympy_eval.evaluate`).

    Raises:
        TypeError: For other types.

    >>> from nesy.solvers.sympy_eval import evaluate
    >>> from_json({"x": "1/2", "y": [1, 2.5]}, evaluate)
    {x: 1/2, y: [1, 2.50000000000000]}
    """
    if data is None:
        return None
    if isinstance(data, bool):
        return sympy.true if data else sympy.false
    if isinstance(data, int):
        return sympy.Integer(data)
    if isinstance(data, float):
        if math.isnan(data):
            return sympy.nan
        return sympy.Float(data) if math.isfinite(data) else (sympy.oo if data > 0 else -sympy.oo)
    if isinstance(data, str):
        return parse(data)
    if isinstance(data, (list, tuple)):
        return [from_json(item, parse) for item in data]
    if isinstance(data, dict):
        return {from_json(key, parse): from_json(item, parse) for key, item in data.items()}
    raise TypeError(f"cannot read a value of type {type(data).__name__}")
