"""nesy: neural modules propose symbolic programs, sandboxed solvers verify them, verified
traces train the modules again.

The core API::

    from nesy import Budget, LocalExecutor, get_solver
    with LocalExecutor(workers=2) as pool:
        verdict = pool.solve(get_solver("sympy"), "solve(Eq(x**2, 4), x)")
"""

from __future__ import annotations

from nesy.budget import DEFAULT_BUDGET, Budget
from nesy.errors import NesyError, ProgramFailed, ProgramRejected, SolverTimeout, UnknownBackend
from nesy.registry import get_solver, register_solver, solver_names
from nesy.solver import BaseSolver, Solver
from nesy.verdict import Status, Verdict

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_BUDGET",
    "BaseSolver",
    "Budget",
    "NesyError",
    "ProgramFailed",
    "ProgramRejected",
    "Solver",
    "SolverTimeout",
    "Status",
    "UnknownBackend",
    "Verdict",
    "get_solver",
    "register_solver",
    "solver_names",
    "__version__",
]


def __getattr__(name: str):
    # Executors and the trace store import multiprocessing/sqlite machinery: load them on first use.
    if name in ("LocalExecutor", "Job"):
        from nesy import executor

        return getattr(executor, name)
    if name == "TraceStore":
        from nesy.traces import TraceStore

        return TraceStore
    raise AttributeError(f"module 'nesy' has no attribute {name!r}")
