"""The typed result of running or checking one program.

A :class:`Verdict` is never "truthy": code must look at its :class:`Status`.

Example:
    >>> v = Verdict(Status.OK, value=4, message="ran")
    >>> v.status.is_success
    True
    >>> Verdict.from_dict(v.to_dict()) == v
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Status(str, Enum):
    """Outcome of one solver call."""

    OK = "ok"  #: ran (run mode) or matched the expected value (check mode)
    MISMATCH = "mismatch"  #: ran, but the value differs from the expected one
    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"  #: the backend gave up gracefully (its own limit)
    TIMEOUT = "timeout"  #: the wall-clock budget ran out
    MEMOUT = "memout"  #: the memory budget ran out
    ERROR = "error"  #: the program ran and failed, or the worker crashed
    REJECTED = "rejected"  #: refused before running (syntax, forbidden construct, size)

    @property
    def is_success(self) -> bool:
        """True when the program ran to a definite answer (ok, sat or unsat)."""
        return self in (Status.OK, Status.SAT, Status.UNSAT)

    @property
    def is_resource_limit(self) -> bool:
        """True for timeout and memout."""
        return self in (Status.TIMEOUT, Status.MEMOUT)


@dataclass(frozen=True)
class Verdict:
    """What a solver said about one program.

    Attributes:
        status: The outcome.
        value: The result (a JSON-friendly value: number, string, list, dict) or None.
        message: One human-readable line.
        certificate: Evidence: DSL execution steps, a Z3 model, answer sets, a SymPy result.
        stats: Numbers such as ``wall_seconds`` and ``solver_seconds``.
    """

    status: Status
    value: Any = None
    message: str = ""
    certificate: Any = None
    stats: dict[str, float] = field(default_factory=dict)

    def __init__(
        self,
        status: Status,
        value: Any = None,
        message: str = "",
        certificate: Any = None,
        stats: dict[str, float] | None = None,
    ) -> None:
        # Written out (the dataclass keeps it): a frozen dataclass's generated __init__ sets each
        # field through object.__setattr__, and several verdicts are made per small check.
        self.__dict__.update(
            status=status, value=value, message=message, certificate=certificate, stats={} if stats is None else stats
        )

    def __bool__(self) -> bool:  # pragma: no cover - the point is that it raises
        raise TypeError("a Verdict has no truth value; test verdict.status instead")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict."""
        return {
            "status": self.status.value,
            "value": self.value,
            "message": self.message,
            "certificate": self.certificate,
            "stats": dict(self.stats),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Verdict":
        """Inverse of :meth:`to_dict`."""
        return cls(
            status=Status(data["status"]),
            value=data.get("value"),
            message=data.get("message", ""),
            certificate=data.get("certificate"),
            stats=dict(data.get("stats") or {}),
        )

    def packed(self) -> tuple[str, Any, str, Any, dict[str, float]]:
        """The verdict as a plain tuple, status text first (see :meth:`unpacked`).

        Worker processes send verdicts this way: a plain tuple pickles in about half the time of
        the object, and a small check's verdict is sent for every check.

        Example:
            >>> Verdict.unpacked(Verdict(Status.SAT, 1).packed()) == Verdict(Status.SAT, 1)
            True
        """
        return (self.status._value_, self.value, self.message, self.certificate, self.stats)

    @classmethod
    def unpacked(cls, packed: tuple[str, Any, str, Any, dict[str, float]]) -> "Verdict":
        """The verdict that :meth:`packed` gave ``packed``."""
        status, value, message, certificate, stats = packed
        return cls(_STATUS_BY_VALUE[status], value, message, certificate, stats)

    def with_stats(self, **stats: float) -> "Verdict":
        """A copy with extra stats merged in."""
        return Verdict(self.status, self.value, self.message, self.certificate, {**self.stats, **stats})


_STATUS_BY_VALUE = {status.value: status for status in Status}


def rejected(message: str) -> Verdict:
    """Shorthand for a ``rejected`` verdict."""
    return Verdict(Status.REJECTED, message=message)
