"""HINT's expressions: grammar, semantics, prefix feasibility and generation -- never ``eval``.

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

import logging
import random
from dataclasses import dataclass, field
from typing import Callable, Generic, Sequence, TypeVar

log = logging.getLogger(__name__)

DIGITS: tuple[str, ...] = tuple(str(d) for d in range(10))
ADDITIVE: tuple[str, ...] = ("+", "-")
MULTIPLICATIVE: tuple[str, ...] = ("*", "/")
OPERATORS: tuple[str, ...] = ADDITIVE + MULTIPLICATIVE
MAX_LENGTH = 15
PAREN_SHARE = 0.25
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


def _expression(length: int, rng: random.Random, paren_share: float, wrap: bool = True) -> list[str]:
    """``length`` (odd) random symbols.

    With probability ``paren_share / 2`` (when ``wrap``) the whole expression is parenthesised;
    otherwise it is a chain of factors, each a digit or -- with probability ``paren_share`` when
    there is room -- a parenthesised sub-expression (possibly a single digit, ``(7)``). Groups
    never directly nest (no ``((...))``).
    """
    if wrap and length >= 3 and rng.random() < paren_share / 2:
        return ["("] + _expression(length - 2, rng, paren_share, False) + [")"]
    if length == 1:
        return [rng.choice(DIGITS)]
    tokens: list[str] = []
    rest, first = length, True
    while True:
        top = rest - 2 if first else rest  # the first factor leaves room for a second
        group_lengths = range(3, top + 1, 2)
        if group_lengths and rng.random() < paren_share:
            size = rng.choice(group_lengths)
            tokens += ["("] + _expression(size - 2, rng, paren_share, False) + [")"]
        else:
            size = 1
            tokens.append(rng.choice(DIGITS))
        rest -= size
        first = False
        if rest == 0:
            return tokens
        tokens.append(rng.choice(OPERATORS))
        rest -= 1


def random_expression(
    length: int,
    rng: random.Random,
    max_value: int | None = None,
    min_value: int = 0,
    tries: int = 200,
    paren_share: float = PAREN_SHARE,
) -> list[str] | None:
    """A random grammatical expression of exactly ``length`` symbols whose value is in range.

    Shapes are drawn factor by factor (a digit, or with probability ``paren_share`` where there
    is room a parenthesised sub-expression; the whole expression is parenthesised with
    probability ``paren_share / 2``), operators and digits uniformly; candidates that divide by
    zero or whose final value is outside ``[min_value, max_value]`` are redrawn (intermediate
    values are not constrained). Generated groups never directly nest (no ``((...))``).

    Args:
        length: 1 to :data:`MAX_LENGTH`; even lengths have no expression (``None``).
        rng: the random stream.
        max_value: the largest value allowed (``None``: no bound).
        min_value: the smallest value allowed.
        tries: candidates to draw before giving up.
        paren_share: the chance that a factor with room is a parenthesised group.

    Returns:
        The tokens, or ``None`` if none of ``tries`` candidates fits (or none can).

    Raises:
        ValueError: for a length outside 1 to :data:`MAX_LENGTH`.

    Example:
        >>> import random
        >>> tokens = random_expression(7, random.Random(0), max_value=99)
        >>> len(tokens), 0 <= evaluate(tokens) <= 99
        (7, True)
        >>> random_expression(4, random.Random(0)), random_expression(3, random.Random(0), min_value=82)
        (None, None)
    """
    if not 1 <= length <= MAX_LENGTH:
        raise ValueError(f"expression length must be 1 to {MAX_LENGTH}, got {length}")
    if length % 2 == 0 or min_value > largest_value(length) or (max_value is not None and max_value < min_value):
        return None
    for _ in range(tries):
        tokens = _expression(length, rng, paren_share)
        value = evaluate(tokens)
        if value is not None and value >= min_value and (max_value is None or value <= max_value):
            return tokens
    return None


@dataclass(frozen=True)
class HintSplit:
    """Training expressions and the test subsets ``I``, ``SS``, ``LS``, ``SL``, ``LL``."""

    train: list[Expression]
    test: dict[str, list[Expression]] = field(default_factory=dict)


def _draw(
    rng: random.Random, lengths: Sequence[int], count: int, low: int, high: int | None, avoid: set[tuple[str, ...]], name: str
) -> list[Expression]:
    """``count`` distinct expressions with a length from ``lengths`` and a value in range, none in ``avoid``."""
    lengths = [n for n in lengths if low <= largest_value(n)]
    out: list[Expression] = []
    taken = set(avoid)
    attempts = 0
    while lengths and len(out) < count and attempts < 50 * count:
        attempts += 1
        tokens = random_expression(rng.choice(lengths), rng, high, low, tries=20)
        if tokens is None or tuple(tokens) in taken:
            continue
        taken.add(tuple(tokens))
        out.append(Expression(tuple(tokens), evaluate(tokens)))  # type: ignore[arg-type]
    if len(out) < count:
        log.warning("hint split: only %d of %d %s expressions could be drawn", len(out), count, name)
    return out


def make_hint_split(
    seed: int, n_train: int, n_test_per_subset: int, short_max: int = 7, long_max: int = MAX_LENGTH, small_max: int = 99
) -> HintSplit:
    """A deterministic HINT-style split.

    Training: ``n_train`` expressions, lengths uniform over the possible lengths
    ``1..short_max`` (so one- and three-symbol expressions are plentiful, repeats included),
    values ``0..small_max``. Test subsets (``n_test_per_subset`` each, distinct within a subset):

    * ``I``: training expressions themselves (distinct ones, to be shown with test images);
    * ``SS``: short (length <= ``short_max``) and small (value <= ``small_max``), not in training;
    * ``LS``: long (``short_max + 1`` to ``long_max``) and small;
    * ``SL``: short and large (value above ``small_max``);
    * ``LL``: long and large.

    A subset that cannot be filled (e.g. ``SS`` when training holds every short expression)
    comes back smaller, with a logged warning.

    Example:
        >>> split = make_hint_split(0, 200, 20)
        >>> sorted(split.test), len(split.train), all(len(e.tokens) > 7 for e in split.test["LS"])
        (['I', 'LL', 'LS', 'SL', 'SS'], 200, True)
        >>> all(e.value > 99 for e in split.test["SL"] + split.test["LL"])
        True
    """
    if not 1 <= short_max < long_max <= MAX_LENGTH:
        raise ValueError(f"need 1 <= short_max < long_max <= {MAX_LENGTH}, got {short_max} and {long_max}")
    rng = random.Random(f"hint-split-{seed}")
    short, long = possible_lengths(1, short_max), possible_lengths(short_max + 1, long_max)
    train: list[Expression] = []
    for _ in range(n_train):
        tokens = None
        while tokens is None:
            tokens = random_expression(rng.choice(short), rng, small_max, 0)
        train.append(Expression(tuple(tokens), evaluate(tokens)))  # type: ignore[arg-type]
    seen = {e.tokens for e in train}
    distinct = list(dict.fromkeys(train))
    test = {
        "I": rng.sample(distinct, min(n_test_per_subset, len(distinct))),
        "SS": _draw(rng, short, n_test_per_subset, 0, small_max, seen, "SS"),
        "LS": _draw(rng, long, n_test_per_subset, 0, small_max, seen, "LS"),
        "SL": _draw(rng, short, n_test_per_subset, small_max + 1, None, seen, "SL"),
        "LL": _draw(rng, long, n_test_per_subset, small_max + 1, None, seen, "LL"),
    }
    return HintSplit(train, test)
