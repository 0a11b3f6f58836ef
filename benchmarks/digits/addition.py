"""Multi-digit addition: two N-digit numbers shown as digit images, labelled only by their sum.

The symbolic function given to the learner is column-wise addition with carries in ASP (so
sums of any length stay within clingo's integers); a label reads as the sum's digits,
least significant first. Positions ``0..N-1`` are the first number's digits, most significant
first, ``N..2N-1`` the second's.

Example:
    >>> problem = addition_problem(2)
    >>> problem.label_facts(105).split()
    ['out(0,5).', 'out(1,0).', 'out(2,1).']
    >>> problem.label_facts(199)
    Traceback (most recent call last):
    ...
    ValueError: 199 is not the sum of two 2-digit numbers (0 to 198)
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from nesy.abduction.problem import AbductionProblem

DIGITS = [str(d) for d in range(10)]

KNOWLEDGE = """
col(0..n-1).
a(I, V) :- sym(P, V), col(I), P = n-1-I.
b(I, V) :- sym(P, V), col(I), P = 2*n-1-I.
carry(0, 0).
total(I, A+B+C) :- a(I, A), b(I, B), carry(I, C).
carry(I+1, T/10) :- total(I, T).
:- total(I, T), out(I, D), T \\ 10 != D.
:- carry(n, C), out(n, D), C != D.
"""


def max_sum(n_digits: int) -> int:
    return 2 * (10**n_digits - 1)


def sum_facts(label: object, n_digits: int) -> str:
    """``out(I, D)`` facts for a sum label; ``ValueError`` for anything two N-digit numbers cannot make."""
    if isinstance(label, bool) or not isinstance(label, int):
        raise ValueError(f"{label!r} is not an integer")
    if not 0 <= label <= max_sum(n_digits):
        raise ValueError(f"{label} is not the sum of two {n_digits}-digit numbers (0 to {max_sum(n_digits)})")
    text = str(label).zfill(n_digits + 1)
    return " ".join(f"out({i},{d})." for i, d in enumerate(reversed(text)))


def addition_problem(n_digits: int) -> AbductionProblem:
    """The abduction problem for sums of two ``n_digits``-digit numbers."""
    return AbductionProblem(
        symbols=DIGITS,
        knowledge=f"#const n = {n_digits}.\n" + KNOWLEDGE,
        label_facts=lambda label: sum_facts(label, n_digits),
        name=f"addition-{n_digits}",
    )


@dataclass(frozen=True)
class AdditionExample:
    """Image indices into a pool (``2N`` of them) and the sum they show."""

    indices: tuple[int, ...]
    total: int


def number(digits: list[int]) -> int:
    return int("".join(map(str, digits))) if digits else 0


def make_examples(pool_digits: list[int], n_digits: int, count: int, seed: int) -> list[AdditionExample]:
    """``count`` random pairs of N-digit numbers drawn from a pool's images (leading zeros allowed)."""
    rng = random.Random(seed)
    examples = []
    for _ in range(count):
        indices = tuple(rng.randrange(len(pool_digits)) for _ in range(2 * n_digits))
        digits = [pool_digits[i] for i in indices]
        examples.append(AdditionExample(indices, number(digits[:n_digits]) + number(digits[n_digits:])))
    return examples
