"""Random HINT expressions and the deterministic HINT-style split (train; test ``I``, ``SS``, ``LS``, ``SL``, ``LL``).

Expressions are drawn factor by factor and checked with
:func:`~nesy.benchmarks.hint.expressions.evaluate` (never ``eval``).

Example:
    >>> import random
    >>> tokens = random_expression(5, random.Random(1), max_value=20)
    >>> len(tokens), evaluate(tokens) <= 20
    (5, True)
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from typing import Sequence

from nesy.benchmarks.hint.expressions import (
    DIGITS,
    MAX_LENGTH,
    OPERATORS,
    Expression,
    evaluate,
    largest_value,
    possible_lengths,
)

log = logging.getLogger(__name__)

#: The chance that a factor with room is a parenthesised group.
PAREN_SHARE = 0.25


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
