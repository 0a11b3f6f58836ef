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
from nesy.executor.collector import fewer_collections
from nesy.executor.job import Job, fingerprints
from nesy.verdict import Verdict

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  #: called with (done, total)


class Executor(ABC):
    """Runs :class:`Job` s and returns their verdicts in order.

    Args:
        cache: A :class:`VerdictCache`; ``None`` makes an in-memory one, ``False`` disables caching:
            then every job runs, identical ones in a batch included, and the parent computes no
            check keys (what a throughput measurement, or a batch known to hold no repeats, wants).
    """

    def __init__(self, cache: VerdictCache | None | bool = None) -> None:
        if cache is None or cache is True:
            cache = MemoryCache()
        self.cache: VerdictCache | None = None if cache is False else cache

    @abstractmethod
    def _execute(
        self, jobs: Sequence[Job], on_result: Callable[[int, Verdict], None], claim: Callable[[int], bool]
    ) -> None:
        """Run the jobs that ``claim(index)`` accepts and call ``on_result(index, verdict)`` once
        for each, in any order.

        ``claim`` is called once per job, just before it would be sent (with a cache it computes
        the job's key: a job answered from the cache or identical to an earlier one is declined
        and answered by :meth:`map`); calling it as late as possible lets key computation overlap
        the workers' runs instead of delaying the first one.
        """

    def map(self, jobs: Iterable[Job], progress: Progress | None = None) -> list[Verdict]:
        """Solve ``jobs`` (batched across all workers); verdicts come back in the jobs' order.

        With a cache, identical jobs run once and cached verdicts are returned with
        ``stats["cached"] = 1``; without one, every job runs.
        """
        jobs = list(jobs)
        total = len(jobs)
        verdicts: list[Verdict | None] = [None] * total
        solver_fingerprints = fingerprints(jobs) if self.cache is not None else []
        keys: list[str] = [""] * total
        first_index: dict[str, int] = {}  # key -> the job that runs for every job with that key
        duplicates: dict[int, list[int]] = {}  # running job -> identical jobs answered with it
        done = 0

        def answered(index: int, verdict: Verdict) -> None:
            nonlocal done
            verdicts[index] = verdict
            done += 1
            if progress:
                progress(done, total)

        def claim(index: int) -> bool:
            if self.cache is None:
                return True  # no cache: every job runs, and no key is computed
            key = keys[index] = jobs[index].key(solver_fingerprints[index])
            cached = self.cache.get(key)
            if cached is not None:
                answered(index, cached.with_stats(cached=1.0))
                return False
            first = first_index.setdefault(key, index)
            if first == index:
                return True
            if verdicts[first] is not None:
                answered(index, verdicts[first].with_stats(cached=1.0))
            else:
                duplicates.setdefault(first, []).append(index)
            return False

        def on_result(index: int, verdict: Verdict) -> None:
            if self.cache is not None:
                self.cache.put(keys[index], verdict)
            answered(index, verdict)
            for dup in duplicates.pop(index, ()):
                answered(dup, verdict.with_stats(cached=1.0))

        if jobs:
            with fewer_collections():  # the verdicts pile up: see nesy.executor.collector
                self._execute(jobs, on_result, claim)
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
