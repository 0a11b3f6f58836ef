"""HINT's knowledge as ASP: a CYK-style chart over spans, with values, for clingo abduction.

The grammar ``E -> E + T | E - T | T``, ``T -> T * F | T / F | F``, ``F -> digit | ( E )`` is
written as a chart over spans ``I..J`` of the positions: ``f(I, J, V)``, ``t(I, J, V)`` and
``e(I, J, V)`` say that the symbols chosen for positions ``I..J`` form a factor, term or
expression of value ``V``. HINT's semantics: subtraction floored at 0, division rounding up
(``(A + B - 1) / B`` on non-negative integers), division by zero derives nothing (so the whole
expression has no value), parentheses carry no value. The grammar is unambiguous, so for the
chosen symbols every span has at most one value, and ``:- label(L), not value(L)`` keeps exactly
the assignments whose expression is grammatical and has the labelled value.

Operator symbols mean operations through ``means(Class, Operation)`` facts: the grammar mode states
the usual meanings, each candidate theory of the meaning mode another bijection. Precedence follows
the meaning (a class that means ``mul`` binds tighter).

No value bound is imposed: the chart holds every value the candidate symbols can make. Capping
values by the label is not safe (``9*9/9`` is 9 through 81; ``2-9*9`` is 0), and training
expressions of at most 7 symbols keep the chart small (at most ``9**4`` per span). Measured per
example, in process on one core, with a model that puts 0.6 on the right class: about 7 ms for
lengths 1-7 with 2 or 3 candidates per position; with all 16, 7 ms (length 1), 15 ms (3), 57 ms (5)
and 420 ms (7; up to 3.7 s with a 0.15-confident model), hence the suite's ``top_k`` 3.

:data:`STRUCTURE` is the grammar without values (grammatical or not, O(n^3) rules): with no label it
finds the most probable grammatical reading of a test expression.

Example:
    >>> problem = hint_problem()
    >>> problem.symbols[10:], problem.label_facts(7)
    (('plus', 'minus', 'times', 'divide', 'lpar', 'rpar'), 'label(7).')
    >>> problem.label_facts(-1)
    Traceback (most recent call last):
    ...
    ValueError: a value is a non-negative integer below 2147483648, got -1
"""

from __future__ import annotations

from typing import Any, Mapping

from nesy.abduction.problem import AbductionProblem
from nesy.benchmarks.hint.symbols import OPERATORS, SYMBOLS

#: ASP term per symbol class (same order as :data:`~nesy.benchmarks.hint.symbols.SYMBOLS`).
TERMS: tuple[str, ...] = tuple(str(d) for d in range(10)) + ("plus", "minus", "times", "divide", "lpar", "rpar")
#: The operation each operator symbol means under HINT's usual reading.
OPERATION = {"+": "add", "-": "sub", "*": "mul", "/": "div"}
_TERM = dict(zip(SYMBOLS, TERMS))
MAX_INT = 2**31 - 1  #: clingo's integers are 32-bit

CHART = """
digit(0..9).
last(M) :- M = #max { P : pos(P) }.
f(I, I, D) :- sym(I, D), digit(D).
f(I, J, V) :- sym(I, lpar), e(I+1, J-1, V), sym(J, rpar), I < J.
t(I, J, V) :- f(I, J, V).
t(I, J, A*B) :- t(I, K, A), sym(K+1, O), means(O, mul), f(K+2, J, B).
t(I, J, (A+B-1)/B) :- t(I, K, A), sym(K+1, O), means(O, div), f(K+2, J, B), B > 0.
e(I, J, V) :- t(I, J, V).
e(I, J, A+B) :- e(I, K, A), sym(K+1, O), means(O, add), t(K+2, J, B).
e(I, J, A-B) :- e(I, K, A), sym(K+1, O), means(O, sub), t(K+2, J, B), A >= B.
e(I, J, 0) :- e(I, K, A), sym(K+1, O), means(O, sub), t(K+2, J, B), A < B.
value(V) :- e(0, M, V), last(M).
:- label(L), not value(L).
"""

STRUCTURE = """
digit(0..9).
operator(plus; minus; times; divide).
last(M) :- M = #max { P : pos(P) }.
x(I, I) :- sym(I, D), digit(D).
x(I, J) :- sym(I, lpar), x(I+1, J-1), sym(J, rpar), I < J.
x(I, J) :- x(I, K), sym(K+1, O), operator(O), factor(K+2, J).
factor(I, I) :- sym(I, D), digit(D).
factor(I, J) :- sym(I, lpar), x(I+1, J-1), sym(J, rpar), I < J.
:- last(M), not x(0, M).
"""


def term_of(symbol: str) -> str:
    """The ASP term of a HINT symbol (``"+"`` -> ``plus``)."""
    return _TERM[symbol]


def meaning_facts(rename: Mapping[str, str] | None = None) -> str:
    """``means/2`` facts: operator class -> the operation it stands for (``None``: the usual ones).

    Example:
        >>> meaning_facts({"+": "*", "-": "-", "*": "+", "/": "/"}).split()[:2]
        ['means(plus,mul).', 'means(minus,sub).']
    """
    rename = rename or {op: op for op in OPERATORS}
    return " ".join(f"means({term_of(cls)},{OPERATION[op]})." for cls, op in rename.items())


def label_facts(label: Any) -> str:
    """``label(V).`` for a value; ``ValueError`` for anything that cannot be one."""
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label <= MAX_INT:
        raise ValueError(f"a value is a non-negative integer below {MAX_INT + 1}, got {label!r}")
    return f"label({label})."


def hint_problem(rename: Mapping[str, str] | None = None, name: str = "grammar") -> AbductionProblem:
    """The abduction problem under one reading of the operators (``None``: HINT's own)."""
    return AbductionProblem(TERMS, CHART + meaning_facts(rename), label_facts, name=name)


def structure_problem() -> AbductionProblem:
    """Grammar only, no values and no label: the most probable grammatical reading."""
    return AbductionProblem(TERMS, STRUCTURE, lambda label: "", name="structure")
