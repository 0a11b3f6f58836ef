"""Turning z3 models into JSON-friendly values, comparing them, and cleaning z3's error messages.

Value formats (what a ``sat`` verdict's ``value`` dict holds):

* Int -> ``int``; Bool -> ``bool``; bit-vector -> ``int`` (unsigned); String -> ``str``;
* Real with a rational value -> ``"p/q"`` (``"2"`` when whole, ``"-1/3"``), exact;
* irrational (algebraic) reals and everything else (arrays, datatype values, uninterpreted
  sort elements, floating point) -> their SMT-LIB text, e.g. ``"(root-obj (+ (^ x 2) (- 2)) 2)"``,
  ``"green"``, ``"((as const (Array Int Int)) 0)"``;
* a declared function of arity > 0 -> the model's ``(define-fun ...)`` text.

Example:
    >>> import z3
    >>> [to_json(v) for v in (z3.IntVal(3), z3.BoolVal(True), z3.RealVal("1/3"), z3.BitVecVal(5, 8))]
    [3, True, '1/3', 5]
    >>> same_value("1/2", 0.5), same_value(1, True), same_value("(f  x)", "(f x)")
    (True, False, True)
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Sequence

import z3

from nesy.solvers.smtlib import SList, read_sexprs, to_text

_Z3_ERROR = re.compile(r'\(error "(?:line (\d+) column \d+: )?((?:[^"]|"")*)"\)')


def to_json(value: z3.ExprRef) -> Any:
    """A JSON-friendly form of one z3 value (see the module docstring for the formats).

    Example:
        >>> to_json(z3.RealVal(2)), to_json(z3.StringVal("hi"))
        ('2', 'hi')
    """
    if isinstance(value, (z3.IntNumRef, z3.BitVecNumRef)):  # the common cases, without the is_* probes
        return value.as_long()
    if z3.is_true(value):
        return True
    if z3.is_false(value):
        return False
    if z3.is_int_value(value):
        return value.as_long()
    if z3.is_rational_value(value):
        fraction = Fraction(value.numerator_as_long(), value.denominator_as_long())
        return str(fraction)
    if z3.is_bv_value(value):
        return value.as_long()
    if z3.is_string_value(value):
        return value.as_string()
    return " ".join(value.sexpr().split())


def function_texts(model: z3.ModelRef) -> dict[str, str]:
    """The model's ``(define-fun NAME ...)`` text for every function of arity > 0, by name.

    Example:
        >>> f = z3.Function("f", z3.IntSort(), z3.IntSort())
        >>> s = z3.Solver(); s.add(f(1) == 2); _ = s.check()
        >>> function_texts(s.model())["f"].startswith("(define-fun f ((x!0 Int)) Int")
        True
    """
    wanted = {decl.name() for decl in model.decls() if decl.arity() > 0}
    texts: dict[str, str] = {}
    if not wanted:
        return texts
    for form in read_sexprs(model.sexpr(), max_depth=100_000):
        if isinstance(form, SList) and form.head() == "define-fun" and len(form.items) > 1:
            name = getattr(form.items[1], "name", None)
            if name in wanted:
                texts[name] = to_text(form)
    return texts


def model_values(
    model: z3.ModelRef, probes: Sequence[tuple[str, z3.ExprRef]], functions: Sequence[str] = ()
) -> dict[str, Any]:
    """Evaluate ``probes`` (key, term) with model completion; add the listed functions' texts.

    Functions the model leaves unconstrained (absent from it) are left out.

    Example:
        >>> x = z3.Int("x"); s = z3.Solver(); s.add(x > 4, x < 6); _ = s.check()
        >>> model_values(s.model(), [("x", x), ("(+ x 1)", x + 1)])
        {'x': 5, '(+ x 1)': 6}
    """
    values = {key: to_json(model.evaluate(term, model_completion=True)) for key, term in probes}
    if functions:
        texts = function_texts(model)
        values.update({name: texts[name] for name in functions if name in texts})
    return values


def _number(value: Any) -> Fraction | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            return None
    return None


def same_value(got: Any, expected: Any) -> bool:
    """Whether a model value matches an expected one.

    Booleans only match booleans; numbers match numerically across int/float/``"p/q"``;
    other strings match after collapsing whitespace.
    """
    if isinstance(got, bool) or isinstance(expected, bool):
        return isinstance(got, bool) and isinstance(expected, bool) and got == expected
    got_number, expected_number = _number(got), _number(expected)
    if got_number is not None and expected_number is not None:
        return got_number == expected_number
    if isinstance(got, str) and isinstance(expected, str):
        return " ".join(got.split()) == " ".join(expected.split())
    return got == expected


def clean_message(exc: Exception, lines: Sequence[int] = ()) -> str:
    """z3's error text on one line; ``lines[i]`` maps line ``i + 1`` of the text z3 parsed back
    to the line of the user's source.

    Example:
        >>> clean_message(z3.Z3Exception(b'(error "line 2 column 11: unknown constant y")\\n'), [1, 7])
        'unknown constant y (line 7)'
    """
    raw = exc.value if isinstance(exc, z3.Z3Exception) else str(exc)
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    match = _Z3_ERROR.search(text)
    if match is None:
        return " ".join(text.split())[:300] or type(exc).__name__
    message = " ".join(match.group(2).replace('""', '"').split())[:300]
    if match.group(1) is not None:
        index = int(match.group(1)) - 1
        if 0 <= index < len(lines):
            return f"{message} (line {lines[index]})"
    return message
