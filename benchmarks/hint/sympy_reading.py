"""Evaluating perceived expressions with SymPy, in the sandbox, in one batch.

A perceived symbol sequence comes from the model and is untrusted. It is parsed by structure
alone (:func:`~nesy.benchmarks.hint.expressions.fold`: no ``eval``, no value computed) and
written as a straight-line ``sympy`` program with HINT's semantics, one statement per operation::

    v1 = Max(8 - 3, 0)
    v2 = ceiling(v1 / 2) + 0*2
    v2

``a - b`` is ``Max(a - b, 0)``; ``a / b`` is ``ceiling(a / b) + 0*b``: dividing by zero gives
``zoo``, and the ``0*b`` term makes a ``zoo`` divisor give ``nan`` rather than vanish
(``ceiling(3/zoo)`` would be 0), so any division by zero leaves the program without an integer
value. Every program of a batch runs on the sandboxed ``sympy`` backend through one
``executor.map``. A sequence that does not parse is never sent: its verdict is ``rejected``.
A reading's ``value`` is the integer the program returned, or ``None`` (no value).

Example:
    >>> print(sympy_program(list("8-3/2")))
    v1 = ceiling(3 / 2) + 0*2
    v2 = Max(8 - v1, 0)
    v2
    >>> sympy_program(list("3+)"))
    Traceback (most recent call last):
    ...
    ValueError: not a grammatical expression: '3+)'
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from nesy.benchmarks.hint.expressions import fold
from nesy.budget import Budget
from nesy.executor.job import Job
from nesy.registry import get_solver
from nesy.verdict import Status

log = logging.getLogger(__name__)

_WRITE = {
    "+": "{a} + {b}",
    "-": "Max({a} - {b}, 0)",
    "*": "{a} * {b}",
    "/": "ceiling({a} / {b}) + 0*{b}",
}


def sympy_program(tokens: Sequence[str], rename: Mapping[str, str] | None = None) -> str:
    """A ``sympy`` program computing the expression's HINT value (``rename``: class -> operation).

    Raises:
        ValueError: if the tokens are not a grammatical expression.
    """
    rename = rename or {}
    lines: list[str] = []

    def combine(op: str, a: str, b: str) -> str:
        lines.append(f"v{len(lines) + 1} = " + _WRITE[op].format(a=a, b=b))
        return f"v{len(lines)}"

    result = fold([rename.get(t, t) for t in tokens], str, combine)
    return "\n".join(lines + [result])


@dataclass(frozen=True)
class Reading:
    """The SymPy backend's verdict on one perceived sequence.

    Attributes:
        status: The verdict's status (``ok``, ``error``, ``timeout``, ...; ``rejected`` for a
            sequence that does not parse, which is not sent to the solver).
        value: The integer value, or ``None`` when the program has none (malformed, division by
            zero, any non-ok verdict).
        message: The verdict's message.
    """

    status: str
    value: int | None
    message: str = ""


def _value(result: Any) -> int | None:
    """An integer result (SymPy values come back as JSON: ints, or strings such as ``'zoo'``)."""
    return result if isinstance(result, int) and not isinstance(result, bool) else None


def read_with_sympy(
    sequences: Sequence[Sequence[str]], executor: Any, rename: Mapping[str, str] | None = None, budget: Budget | None = None
) -> list[Reading]:
    """One :class:`Reading` per sequence; every parsable one is evaluated in a single sandboxed batch.

    Example:
        >>> from nesy.executor import LocalExecutor
        >>> with LocalExecutor(workers=1) as pool:
        ...     out = read_with_sympy([list("7/2"), list("3/(2/0)"), list("3+")], pool)
        >>> [(r.status, r.value) for r in out]
        [('ok', 4), ('ok', None), ('rejected', None)]
    """
    solver = get_solver("sympy")
    budget = budget or Budget(wall_seconds=5.0)
    out: list[Reading | None] = [None] * len(sequences)
    jobs, sent = [], []
    for i, tokens in enumerate(sequences):
        try:
            program = sympy_program(tokens, rename)
        except ValueError as exc:
            out[i] = Reading(Status.REJECTED.value, None, str(exc))
            continue
        jobs.append(Job(solver, program, budget=budget))
        sent.append(i)
    for i, verdict in zip(sent, executor.map(jobs) if jobs else []):
        value = _value(verdict.value) if verdict.status is Status.OK else None
        out[i] = Reading(verdict.status.value, value, verdict.message)
    log.info("sympy read %d sequences (%d not parsable)", len(sequences), len(sequences) - len(sent))
    return out  # type: ignore[return-value]
