"""One unit of solver work and its content-addressed key.

Example:
    >>> from nesy.registry import get_solver
    >>> job = Job(get_solver("z3"), "(declare-const x Int) (assert (> x 2)) (check-sat)")
    >>> len(job.key())
    64
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from nesy.budget import DEFAULT_BUDGET, Budget
from nesy.checkkey import MODES, check_key, solver_check_key


@dataclass(frozen=True)
class Job:
    """Run (or check) one program with one solver under one budget.

    Attributes:
        solver: A solver instance (see :class:`nesy.solver.Solver`); it must be picklable.
        program: The program text (untrusted).
        input: The program's input (JSON-friendly), if the language takes one.
        mode: ``"run"`` or ``"check"`` (compare the value with ``expected``).
        expected: The expected value in check mode.
        budget: Limits for this call.
    """

    solver: Any
    program: str
    input: Any = None
    mode: str = "run"
    expected: Any = None
    budget: Budget = field(default=DEFAULT_BUDGET)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"Job.mode must be one of {MODES}, got {self.mode!r}")

    def key(self, fingerprint: str | None = None) -> str:
        """Content hash of everything that determines the verdict: the verdict-cache key.

        ``fingerprint`` saves recomputing ``solver.fingerprint()`` (see :func:`fingerprints`).
        """
        if fingerprint is None:
            return solver_check_key(self.solver, self.mode, self.program, self.input, self.expected, self.budget)
        return check_key(fingerprint, self.mode, self.program, self.input, self.expected, self.budget)


def fingerprints(jobs: Sequence[Job]) -> list[str]:
    """Each job's solver fingerprint, computed once per distinct solver object in the batch."""
    memo: dict[int, str] = {}
    out = []
    for job in jobs:
        key = id(job.solver)
        if key not in memo:
            memo[key] = job.solver.fingerprint()
        out.append(memo[key])
    return out
