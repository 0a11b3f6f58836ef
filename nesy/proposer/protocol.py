"""What a proposer is: inputs in, K scored candidate programs out; pairs in, a fitted model out.

A proposer maps each input text to up to ``k`` distinct candidate programs, best first, each with
the model's log-probability of the whole program (the sum of its token log-probabilities at
temperature 1, whatever temperature was used to sample it). ``fit`` trains it on
``(input, program)`` pairs and says how it went in a :class:`FitReport`.

Sampling can draw the same program more than once. Proposers return each distinct program once,
with ``count`` the number of times it was drawn, so a call may return fewer than ``k`` candidates
for an input the model is sure about; ``sample=False`` (beam search, greedy for ``k=1``) gives
``k`` distinct sequences whenever the model can produce that many.

Example:
    >>> best = Candidate("walk walk", -0.1, count=3)
    >>> best.probability > 0.9
    True
    >>> sorted([Candidate("a", -2.0), best], key=Candidate.sort_key)[0].program
    'walk walk'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence, runtime_checkable

from nesy.errors import NesyError


@dataclass(frozen=True)
class Candidate:
    """One proposed program.

    Attributes:
        program: The program text.
        logprob: The model's log-probability of the program (sum over its tokens, end token included), <= 0.
        count: How many times sampling drew it (1 for beam search).
    """

    program: str
    logprob: float
    count: int = 1

    @property
    def probability(self) -> float:
        """``exp(logprob)``."""
        return math.exp(self.logprob)

    def sort_key(self) -> tuple[float, str]:
        """Best first: higher log-probability, then the program text for a stable order."""
        return (-self.logprob, self.program)

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly form."""
        return {"program": self.program, "logprob": self.logprob, "count": self.count}


@dataclass(frozen=True)
class FitProgress:
    """Where training stands, passed to a ``fit`` callback after each epoch (and at the end).

    Attributes:
        epoch: Epochs completed (a fraction when training stopped inside an epoch).
        step: Optimiser steps taken so far.
        loss: Mean training loss since the last report.
        accuracy: Share of (evaluated) training pairs the model reproduces exactly under greedy
            decoding, or None when not measured.
        seconds: Wall time since ``fit`` started.
    """

    epoch: float
    step: int
    loss: float
    accuracy: float | None
    seconds: float


FitCallback = Callable[[FitProgress], None]


@dataclass(frozen=True)
class FitReport:
    """What one ``fit`` call did.

    Attributes:
        steps: Optimiser steps taken.
        epochs: Passes over the data (a fraction when stopped by ``steps``).
        examples: Training pairs used.
        loss: Mean training loss over the last reported stretch.
        accuracy: Last measured training exact-match accuracy (greedy), or None.
        seconds: Wall time.
        stopped_early: True when the accuracy target was reached before the step/epoch limit.
        history: Every progress report, in order.
    """

    steps: int
    epochs: float
    examples: int
    loss: float
    accuracy: float | None
    seconds: float
    stopped_early: bool = False
    history: tuple[FitProgress, ...] = field(default_factory=tuple)


@runtime_checkable
class Proposer(Protocol):
    """A neural module that proposes programs for inputs and learns from (input, program) pairs."""

    def propose(
        self, inputs: Sequence[str], k: int, *, sample: bool = True, temperature: float = 1.0
    ) -> list[list[Candidate]]:
        """Up to ``k`` distinct candidates per input, best first (one list per input, in order)."""

    def fit(self, pairs: Sequence[tuple[str, str]], **options: object) -> FitReport:
        """Train on ``(input, program)`` pairs (options such as ``epochs=`` or ``steps=``)."""


@dataclass(frozen=True)
class Attempt:
    """A program the solver refused for an input, and the solver's message (for self-repair).

    Example:
        >>> Attempt("two plus two", "add(2,", "rejected: unexpected end of program").program
        'add(2,'
    """

    input: str
    program: str
    message: str


@runtime_checkable
class Repairer(Protocol):
    """A proposer that can take a refused program back with the solver's message (optional)."""

    def repair(self, attempts: Sequence[Attempt], k: int) -> list[list[Candidate]]:
        """Up to ``k`` distinct corrected programs per attempt, best first (one list per attempt)."""


def check_request(k: int, temperature: float) -> None:
    """Reject a nonsensical ``k`` or ``temperature`` with a clear error.

    Example:
        >>> check_request(0, 1.0)
        Traceback (most recent call last):
        ...
        nesy.errors.NesyError: k must be a positive integer, got 0
    """
    if not isinstance(k, int) or k < 1:
        raise NesyError(f"k must be a positive integer, got {k!r}")
    if not temperature > 0:
        raise NesyError(f"temperature must be > 0, got {temperature!r}")
