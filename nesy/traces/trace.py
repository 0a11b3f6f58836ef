"""One trace: a program a module proposed for a task, and what a solver said about it.

A :class:`Trace` is a flat, immutable record. It is content-addressed twice over:
:attr:`Trace.check_key` names the solver call (the verdict-cache key, see :mod:`nesy.checkkey`) and
:attr:`Trace.trace_id` names the record, so storing the same trace twice keeps one copy.

Example:
    >>> from nesy.verdict import Status, Verdict
    >>> t = Trace("add-1", {"x": 1}, "x + 1", "dsl", "1.0", Verdict(Status.OK, 2), Origin.SAMPLED,
    ...           round=0, model_version="m0", expected=2)
    >>> t.mode, t.verified
    ('check', True)
    >>> Trace.from_dict(t.to_dict()) == t
    True
    >>> t.trace_id == Trace.from_dict(t.to_dict()).trace_id
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any, Mapping

from nesy.budget import Budget
from nesy.checkkey import MODES, backend_fingerprint, check_key
from nesy.hashing import content_hash
from nesy.verdict import Verdict

#: Keys of :meth:`Trace.to_dict` that are computed, not stored fields.
DERIVED_KEYS = ("input_hash", "check_key", "trace_id", "verified")


class Origin(str, Enum):
    """Where a trace's program came from."""

    SAMPLED = "sampled"  #: proposed by the neural module
    ABDUCED = "abduced"  #: found by a solver's search consistent with the known answer
    GOLD = "gold"  #: given as annotation (an anchor)
    RELABELLED = "relabelled"  #: hindsight: a program that ran, relabelled with the value it produced
    REPAIRED = "repaired"  #: proposed again after the solver refused a program, with the solver's message


@dataclass(frozen=True)
class Trace:
    """A program, the solver's verdict on it, and where it came from.

    Attributes:
        task_id: The task (item) the program was proposed for.
        input: The program's input (JSON-friendly).
        program: The program text.
        backend: The solver's name (``"z3"``, ``"dsl"`` ...).
        backend_version: Preferably the solver's ``fingerprint()`` (then :attr:`check_key` equals the
            executor's verdict-cache key); a plain version string also works.
        verdict: What the solver said.
        origin: sampled, abduced, gold or relabelled (a string is converted).
        round: The learning round that produced the trace.
        model_version: The proposer checkpoint that produced it (``""`` for gold / abduced).
        expected: The expected value the program was checked against, or None.
        mode: ``"run"`` or ``"check"``; None means ``"check"`` when ``expected`` is given, else ``"run"``.
        budget: The budget of the solver call (a :class:`~nesy.budget.Budget` is turned into its dict),
            or None when unknown.
    """

    task_id: str
    input: Any
    program: str
    backend: str
    backend_version: str
    verdict: Verdict
    origin: Origin = Origin.SAMPLED
    round: int = 0
    model_version: str = ""
    expected: Any = None
    mode: str | None = None
    budget: dict[str, Any] | None = field(default=None)

    def __post_init__(self) -> None:
        for name in ("task_id", "program", "backend", "backend_version", "model_version"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"Trace.{name} must be a str, got {type(getattr(self, name)).__name__}")
        if not isinstance(self.verdict, Verdict):
            raise TypeError(f"Trace.verdict must be a Verdict, got {type(self.verdict).__name__}")
        if isinstance(self.round, bool) or not isinstance(self.round, int) or self.round < 0:
            raise ValueError(f"Trace.round must be a non-negative int, got {self.round!r}")
        object.__setattr__(self, "origin", Origin(self.origin))
        mode = self.mode if self.mode is not None else ("check" if self.expected is not None else "run")
        if mode not in MODES:
            raise ValueError(f"Trace.mode must be one of {MODES}, got {mode!r}")
        object.__setattr__(self, "mode", mode)
        if isinstance(self.budget, Budget):
            object.__setattr__(self, "budget", self.budget.to_dict())
        elif self.budget is not None:
            object.__setattr__(self, "budget", dict(self.budget))

    def __hash__(self) -> int:
        return hash(self.trace_id)

    @property
    def verified(self) -> bool:
        """True when the solver reached a definite answer (ok, sat or unsat): a usable example."""
        return self.verdict.status.is_success

    @cached_property
    def input_hash(self) -> str:
        """Content hash of :attr:`input`."""
        return content_hash(self.input)

    @cached_property
    def check_key(self) -> str:
        """The solver call's key (see :func:`nesy.checkkey.check_key`)."""
        fingerprint = backend_fingerprint(self.backend, self.backend_version)
        return check_key(fingerprint, self.mode or "run", self.program, self.input, self.expected, self.budget)

    @cached_property
    def trace_id(self) -> str:
        """Content hash of everything that makes this trace this trace (not timings or messages)."""
        return content_hash(
            "trace/v1",
            self.check_key,
            self.task_id,
            self.backend,
            self.backend_version,
            self.verdict.status.value,
            self.verdict.value,
            self.origin.value,
            self.round,
            self.model_version,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict with the stored fields and the derived keys."""
        return {
            "task_id": self.task_id,
            "input": self.input,
            "program": self.program,
            "backend": self.backend,
            "backend_version": self.backend_version,
            "verdict": self.verdict.to_dict(),
            "origin": self.origin.value,
            "round": self.round,
            "model_version": self.model_version,
            "expected": self.expected,
            "mode": self.mode,
            "budget": self.budget,
            "input_hash": self.input_hash,
            "check_key": self.check_key,
            "trace_id": self.trace_id,
            "verified": self.verified,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Trace":
        """Inverse of :meth:`to_dict` (derived keys are recomputed, not read)."""
        return cls(
            task_id=data["task_id"],
            input=data.get("input"),
            program=data["program"],
            backend=data["backend"],
            backend_version=data["backend_version"],
            verdict=Verdict.from_dict(data["verdict"]),
            origin=Origin(data.get("origin", Origin.SAMPLED.value)),
            round=int(data.get("round", 0)),
            model_version=data.get("model_version", ""),
            expected=data.get("expected"),
            mode=data.get("mode"),
            budget=data.get("budget"),
        )
