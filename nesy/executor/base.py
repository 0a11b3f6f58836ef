"""The executor interface: solve many jobs in sandboxed workers, with a verdict cache.

Subclasses implement :meth:`Executor._execute`; caching, de-duplication of identical jobs and
progress reporting live here, so the local pool and the Ray executor behave the same.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Callable, Iterable, Sequence

from nesy.budget import DEFAULT_BUDGET, Budget
from nesy.executor.cache import MemoryCache, VerdictCache
from nesy.executor.job import Job, fingerprints
from nesy.verdict import Verdict

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  #: called with (done, total)


class Executor(ABC):
    """Runs :class:`Job` s and returns their verdicts in order.

    Args:
        cache: A :class:`VerdictCache`; ``None`` makes an in-memory one, ``False`` disables caching.
    """

    def __init__(self, cache: VerdictCache | None | bool = None) -> None:
        if cache is None or cache is True:
            cache = MemoryCache()
        self.cache: VerdictCache | None = None if cache is False else cache

    @abstractmethod
    def _execute(self, jobs: Sequence[Job], on_result: Callable[[int, Verdict], None]) -> None:
        """Run every job and call ``on_result(index, verdict)`` once per job, in any order."""

    def map(self, jobs: Iterable[Job], progress: Progress | None = None) -> list[Verdict]:
        """Solve ``jobs`` (batched across all workers); verdicts come back in the jobs' order.

        Identical jobs run once; cached verdicts are returned with ``stats["cached"] = 1``.
        """
        jobs = list(jobs)
        total = len(jobs)
        verdicts: list[Verdict | None] = [None] * total
        keys = [job.key(fp) for job, fp in zip(jobs, fingerprints(jobs))]
        first_index: dict[str, int] = {}
        to_run: list[int] = []
        done = 0
        for i, key in enumerate(keys):
            cached = self.cache.get(key) if self.cache is not None else None
            if cached is not None:
                verdicts[i] = cached.with_stats(cached=1.0)
                done += 1
            elif key not in first_index:
                first_index[key] = i
                to_run.append(i)
        if progress and done:
            progress(done, total)

        duplicates: dict[int, list[int]] = {}
        for i, key in enumerate(keys):
            if verdicts[i] is None and first_index[key] != i:
                duplicates.setdefault(first_index[key], []).append(i)

        def on_result(position: int, verdict: Verdict) -> None:
            nonlocal done
            index = to_run[position]
            verdicts[index] = verdict
            if self.cache is not None:
                self.cache.put(keys[index], verdict)
            done += 1
            for dup in duplicates.get(index, ()):
                verdicts[dup] = verdict.with_stats(cached=1.0)
                done += 1
            if progress:
                progress(done, total)

        if to_run:
            self._execute([jobs[i] for i in to_run], on_result)
        missing = [i for i, v in enumerate(verdicts) if v is None]
        if missing:  # an executor bug, never silently dropped
            raise RuntimeError(f"executor returned no verdict for jobs {missing[:5]}")
        return verdicts  # type: ignore[return-value]

    def solve(
        self,
        solver: Any,
        program: str,
        input: Any = None,
        *,
        mode: str = "run",
        expected: Any = None,
        budget: Budget = DEFAULT_BUDGET,
    ) -> Verdict:
        """Solve one program. ``solver`` is an instance or a backend name."""
        if isinstance(solver, str):
            from nesy.registry import get_solver

            solver = get_solver(solver)
        return self.map([Job(solver, program, input, mode, expected, budget)])[0]

    def close(self) -> None:
        """Release workers."""

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
