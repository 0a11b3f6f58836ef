"""The solver protocol every backend implements, and a base class that does the common work.

A backend author subclasses :class:`BaseSolver` and writes one method, :meth:`BaseSolver.execute`;
size checks, the soft wall-clock limit, error-to-verdict conversion, timing and check mode come
from the base class. Optional capabilities are :meth:`abduce` and :meth:`enumerate`.

Example:
    >>> class Upper(BaseSolver):
    ...     name, languages, version = "upper", ("text",), "1.0"
    ...     def execute(self, program, input, budget):
    ...         return Verdict(Status.OK, value=program.upper())
    >>> Upper().run("abc").value
    'ABC'
    >>> Upper().check("abc", expected="ABC").status
    <Status.OK: 'ok'>
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import Any, ContextManager, Iterable, Protocol, runtime_checkable

from nesy.budget import DEFAULT_BUDGET, Budget
from nesy.errors import ProgramFailed, ProgramRejected, SolverTimeout
from nesy.hashing import content_hash
from nesy.limits import wall_clock_limit
from nesy.verdict import Status, Verdict


@runtime_checkable
class Solver(Protocol):
    """What nesy needs from a backend."""

    name: str
    languages: tuple[str, ...]
    version: str

    def run(self, program: str, input: Any = None, budget: Budget = DEFAULT_BUDGET) -> Verdict:
        """Run ``program`` on ``input`` and say what came out."""

    def check(self, program: str, input: Any = None, expected: Any = None, budget: Budget = DEFAULT_BUDGET) -> Verdict:
        """Run ``program`` and compare its value with ``expected`` (``ok`` or ``mismatch``)."""

    def fingerprint(self) -> str:
        """A hash of everything that changes this backend's answers (name, version, options)."""


class BaseSolver(ABC):
    """Common machinery for backends: subclasses implement :meth:`execute`.

    Class attributes ``name``, ``languages`` and ``version`` describe the backend.
    """

    name: str = ""
    languages: tuple[str, ...] = ()
    version: str = "0"

    # -- what subclasses write -------------------------------------------------------------
    @abstractmethod
    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        """Run one program. Raise :class:`ProgramRejected` for refused programs; may raise
        :class:`SolverTimeout`, :class:`ProgramFailed` or :class:`MemoryError`."""

    def values_equal(self, value: Any, expected: Any) -> bool:
        """Whether a run's value counts as the expected one (plain equality by default)."""
        return value == expected

    def config(self) -> dict[str, Any]:
        """Options that change this backend's answers (part of :meth:`fingerprint`)."""
        return {}

    # -- what callers use ------------------------------------------------------------------
    def fingerprint(self) -> str:
        """Hash of name, version and :meth:`config`."""
        return content_hash(self.name, self.version, self.config())

    def run(self, program: str, input: Any = None, budget: Budget = DEFAULT_BUDGET) -> Verdict:
        """Run ``program`` under ``budget``; every failure becomes a verdict, never an exception."""
        return self._guarded(program, budget, lambda: self.execute(program, input, budget))

    def check(self, program: str, input: Any = None, expected: Any = None, budget: Budget = DEFAULT_BUDGET) -> Verdict:
        """Run, then compare the value with ``expected``: ``ok`` or ``mismatch``.

        Non-success verdicts (rejected, timeout, ...) are returned unchanged.
        """

        def run_and_compare() -> Verdict:
            verdict = self.execute(program, input, budget)
            if not verdict.status.is_success:
                return verdict
            return self._compared(verdict, expected, self.values_equal(verdict.value, expected))

        return self._guarded(program, budget, run_and_compare)

    def abduce(self, *args: Any, **kwargs: Any) -> Any:
        """Search for programs or symbols consistent with a known output (optional)."""
        raise NotImplementedError(f"backend {self.name!r} does not support abduction")

    def enumerate(self, *args: Any, **kwargs: Any) -> Iterable[Any]:
        """Enumerate solutions or programs (optional)."""
        raise NotImplementedError(f"backend {self.name!r} does not support enumeration")

    # -- internals -------------------------------------------------------------------------
    @staticmethod
    def _compared(verdict: Verdict, expected: Any, equal: bool) -> Verdict:
        """The check-mode verdict for a successful run: ``ok`` when ``equal``, else ``mismatch``."""
        status, message = BaseSolver._comparison(verdict.value, expected, equal)
        return Verdict(status, verdict.value, message, verdict.certificate, verdict.stats)

    @staticmethod
    def _comparison(value: Any, expected: Any, equal: bool) -> tuple[Status, str]:
        """The check-mode status and message for a successful run that gave ``value``."""
        if equal:
            return Status.OK, "value matches the expected one"
        return Status.MISMATCH, f"expected {_short(expected)}, got {_short(value)}"

    def _soft_limit(self, budget: Budget) -> ContextManager[None] | None:
        """The in-process time limit around one call: nesy's SIGALRM alarm (:mod:`nesy.limits`).

        A backend whose work runs in native code it can interrupt itself (and that measures
        what no signal can stop) may return a cheaper guard, or None for none.
        """
        return wall_clock_limit(budget.wall_seconds)

    def _guarded(self, program: str, budget: Budget, body, *, fresh: bool = False) -> Verdict:
        """``body()``'s verdict, or the verdict for the exception it raised, with ``wall_seconds``.

        ``fresh``: ``body`` makes a new verdict (and stats dict) on every call, never a shared
        one, so ``wall_seconds`` is written into it rather than into a copy (a backend's own
        check does this; a plugin's ``execute`` may return a stored verdict, so ``run`` does not).
        """
        start = time.perf_counter()
        if type(program) is str and 4 * len(program) <= budget.max_program_bytes:
            verdict = None  # the common case of _pre_checks, without the call
        else:
            verdict = self._pre_checks(program, budget)
        if verdict is None:
            limit = self._soft_limit(budget)
            try:
                if limit is None:
                    verdict = body()
                else:
                    with limit:
                        verdict = body()
            except ProgramRejected as exc:
                verdict = Verdict(Status.REJECTED, message=str(exc))
            except SolverTimeout:
                verdict = Verdict(Status.TIMEOUT, message=f"wall-clock budget of {budget.wall_seconds:g} s exhausted")
            except MemoryError:
                verdict = Verdict(Status.MEMOUT, message=f"memory budget of {budget.memory_mb} MiB exhausted")
            except ProgramFailed as exc:
                verdict = Verdict(Status.ERROR, message=str(exc))
            except RecursionError:
                verdict = Verdict(Status.ERROR, message="program nests too deeply")
            except Exception as exc:  # a backend bug or a library error: still a verdict
                verdict = Verdict(Status.ERROR, message=f"{type(exc).__name__}: {_short(str(exc), 300)}")
        if fresh:
            verdict.stats["wall_seconds"] = time.perf_counter() - start
            return verdict
        stats = {**verdict.stats, "wall_seconds": time.perf_counter() - start}  # (with_stats, inlined)
        return Verdict(verdict.status, verdict.value, verdict.message, verdict.certificate, stats)

    def _pre_checks(self, program: Any, budget: Budget) -> Verdict | None:
        if not isinstance(program, str):
            return Verdict(Status.REJECTED, message=f"a program must be text, got {type(program).__name__}")
        if 4 * len(program) <= budget.max_program_bytes:  # UTF-8 takes at most 4 bytes a character
            return None
        size = len(program.encode("utf-8", errors="replace"))
        if size > budget.max_program_bytes:
            return Verdict(
                Status.REJECTED, message=f"program is {size} bytes, over the limit of {budget.max_program_bytes} bytes"
            )
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} {self.version}>"


def _short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
