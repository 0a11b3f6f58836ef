"""HINT's expressions: grammar, semantics and prefix feasibility -- never ``eval``.

Random expressions and the train/test split are drawn by :mod:`nesy.benchmarks.hint.generate`.

Grammar: ``expr := term (("+" | "-") term)*``, ``term := factor (("*" | "/") factor)*``,
``factor := digit | "(" expr ")"``; numbers are single digits 0-9. Semantics as in HINT: the
usual precedence, left associative, ``a - b`` is ``max(a - b, 0)``, ``a / b`` rounds up, division
by zero makes the expression invalid, parentheses carry no value.

Possible lengths: every grammatical expression has an odd number of symbols (``k`` digits,
``k - 1`` operators, and parentheses in pairs), and every odd length is possible
(``d``, ``d+d``, ``d+d+d``, ...), so the lengths are 1, 3, 5, ..., 15 (:data:`MAX_LENGTH`);
2, 4, 6, ... are impossible. The largest value of length ``n`` is ``9 ** ((n + 1) // 2)``
(all multiplications; floored subtraction and rounded-up division never exceed it).

Example:
    >>> evaluate(list("3+5*(2-4)")), evaluate(list("7/2")), evaluate(list("2-5"))
    (3, 4, 0)
    >>> evaluate(list("3+")), evaluate(list("1/0")), evaluate(list("(3)"))
    (None, None, 3)
    >>> can_complete(list("(3+"), 7), can_complete(list("(3+"), 5), can_complete(list("(3+"), 6)
    (True, True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, Sequence, TypeVar

DIGITS: tuple[str, ...] = tuple(str(d) for d in range(10))
ADDITIVE: tuple[str, ...] = ("+", "-")
MULTIPLICATIVE: tuple[str, ...] = ("*", "/")
OPERATORS: tuple[str, ...] = ADDITIVE + MULTIPLICATIVE
MAX_LENGTH = 15
T = TypeVar("T")


def possible_lengths(low: int = 1, high: int = MAX_LENGTH) -> list[int]:
    """The expression lengths in ``[low, high]`` that some grammatical expression has (the odd ones).

    Example:
        >>> possible_lengths(1, 7), possible_lengths(8, 15)
        ([1, 3, 5, 7], [9, 11, 13, 15])
    """
    return [n for n in range(max(low, 1), high + 1) if n % 2 == 1]


def largest_value(length: int) -> int:
    """The largest value an expression of ``length`` symbols can have (``9 ** digits``)."""
    return 9 ** ((length + 1) // 2)


def apply(op: str, a: int, b: int) -> int | None:
    """One HINT operation on two values (``None`` for division by zero).

    Example:
        >>> apply("-", 2, 7), apply("/", 7, 3), apply("/", 0, 4), apply("/", 4, 0)
        (0, 3, 0, None)
    """
    if op == "+":
        return a + b
    if op == "-":
        return max(a - b, 0)
    if op == "*":
        return a * b
    if op == "/":
        return None if b == 0 else -(-a // b)
    raise ValueError(f"unknown operator {op!r}")


class _Invalid(Exception):
    """Not grammatical, or division by zero: the whole expression has no value."""


class _Parser(Generic[T]):
    """Recursive descent over a token list, folding with ``leaf`` and ``combine``; raises :class:`_Invalid`."""

    def __init__(self, tokens: Sequence[str], leaf: Callable[[int], T], combine: Callable[[str, T, T], T]) -> None:
        self.tokens, self.at, self.leaf, self.combine = tokens, 0, leaf, combine

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def chain(self, operators: tuple[str, ...], operand: Callable[[], T]) -> T:
        value = operand()
        while self.peek() in operators:
            op = self.tokens[self.at]
            self.at += 1
            value = self.combine(op, value, operand())  # type: ignore[arg-type]
        return value

    def expr(self) -> T:
        return self.chain(ADDITIVE, self.term)

    def term(self) -> T:
        return self.chain(MULTIPLICATIVE, self.factor)

    def factor(self) -> T:
        token = self.peek()
        self.at += 1
        if token in DIGITS:
            return self.leaf(int(token))  # type: ignore[arg-type]
        if token == "(":
            value = self.expr()
            if self.peek() != ")":
                raise _Invalid
            self.at += 1
            return value
        raise _Invalid


def fold(tokens: Sequence[str], leaf: Callable[[int], T], combine: Callable[[str, T, T], T]) -> T:
    """Parse ``tokens`` by structure alone and fold the parse bottom-up, left to right.

    ``leaf(d)`` gives a digit's result, ``combine(op, left, right)`` an operation's. Nothing is
    evaluated here beyond those two callbacks.

    Raises:
        ValueError: if the tokens are not a grammatical expression (or unknown tokens).

    Example:
        >>> fold(list("2*(3+4)"), str, lambda op, a, b: f"[{a}{op}{b}]")
        '[2*[3+4]]'
    """
    if not tokens:
        raise ValueError("an empty expression")
    parser = _Parser(tokens, leaf, combine)
    try:
        value = parser.expr()
    except _Invalid:
        raise ValueError(f"not a grammatical expression: {''.join(map(str, tokens))[:60]!r}") from None
    except RecursionError:  # thousands of nested parentheses
        raise ValueError("too deeply nested") from None
    if parser.at != len(tokens):
        raise ValueError(f"not a grammatical expression: {''.join(map(str, tokens))[:60]!r}")
    return value


def _apply_or_invalid(op: str, a: int, b: int) -> int:
    value = apply(op, a, b)
    if value is None:
        raise _Invalid
    return value


def evaluate(tokens: Sequence[str]) -> int | None:
    """The value of an expression under HINT's semantics.

    Args:
        tokens: one symbol per item (``"3"``, ``"+"``, ``"("``, ...).

    Returns:
        The value (a non-negative integer), or ``None`` if the tokens are not a grammatical
        expression (including unknown tokens) or divide by zero anywhere.

    Example:
        >>> evaluate(["8", "-", "3", "-", "2"]), evaluate(["9", "/", "2", "/", "2"])
        (3, 3)
    """
    try:
        return fold(tokens, int, _apply_or_invalid)
    except ValueError:
        return None


def _state(prefix: Sequence[str]) -> tuple[bool, int] | None:
    """(expecting an operand, open parentheses) after ``prefix``, or ``None`` if no expression starts so."""
    depth, operand = 0, True
    for token in prefix:
        if operand:
            if token in DIGITS:
                operand = False
            elif token == "(":
                depth += 1
            else:
                return None
        elif token in OPERATORS:
            operand = True
        elif token == ")" and depth > 0:
            depth -= 1
        else:
            return None
    return operand, depth


def can_complete(prefix: Sequence[str], length: int) -> bool:
    """Can ``prefix`` be extended to a grammatical expression of exactly ``length`` symbols?

    Exact and O(len(prefix)): the prefix is run through a two-part state (expecting an operand
    or an operator; open parentheses ``k``). The shortest completion is ``k + 1`` symbols when an
    operand is due (a digit, then ``k`` closers) and ``k`` when an operator is (just the closers);
    any completion can grow by two (``+d``) and only by two, so the rest must be at least the
    shortest and of the same parity. Division by zero is not considered (a value question).

    Example:
        >>> can_complete([], 1), can_complete([], 2), can_complete(["(", "("], 5), can_complete(["3", ")"], 3)
        (True, False, True, False)
    """
    state = _state(prefix)
    if state is None:
        return False
    operand, depth = state
    rest = length - len(prefix)
    shortest = depth + 1 if operand else depth
    return rest >= shortest and (rest - shortest) % 2 == 0


def is_grammatical(tokens: Sequence[str]) -> bool:
    """Whether ``tokens`` is a complete grammatical expression (value aside)."""
    return len(tokens) > 0 and can_complete(tokens, len(tokens))


@dataclass(frozen=True)
class Expression:
    """An expression's symbols and its value.

    Example:
        >>> Expression(("3", "+", "5"), 8).text
        '3+5'
    """

    tokens: tuple[str, ...]
    value: int

    @property
    def text(self) -> str:
        return "".join(self.tokens)
