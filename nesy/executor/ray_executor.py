"""Solver fan-out across a Ray cluster, with the same sandbox as the local pool.

Each Ray actor owns a :class:`~nesy.executor.local.LocalExecutor` on its node, so every program
still runs in an isolated worker process under its budget; the driver keeps the verdict cache.
Needs the optional extra: ``pip install 'nesy[ray]'``.

What crosses which boundary: each actor reads its workers' results as plain data only
(:mod:`nesy.executor.plain`), so a program that takes its worker over reaches no further than
that worker's own verdicts. Actors and driver talk through Ray's own serialization, which trusts
every node of the cluster (Ray's security model): run untrusted programs only on a cluster whose
nodes you control, as with any Ray job.

Example (not run as a doctest: it starts Ray)::

    with RayExecutor(num_cpus=2) as pool:           # a local Ray instance
        verdicts = pool.map(jobs)
    with RayExecutor(address="auto") as pool:       # an existing cluster
        ...
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Sequence

from nesy.errors import NesyError
from nesy.executor.base import Executor
from nesy.executor.cache import VerdictCache
from nesy.executor.job import Job
from nesy.executor.local import LocalExecutor
from nesy.verdict import Verdict

log = logging.getLogger(__name__)


class _PoolActor:
    """Body of the Ray actor: a local sandboxed pool on one node."""

    def __init__(self, workers: int) -> None:
        self.pool = LocalExecutor(workers=workers, cache=False)

    def run(self, jobs: list[Job]) -> list[Verdict]:
        return self.pool.map(jobs)

    def isolation(self) -> str:
        return self.pool.isolation()


def _import_ray():
    try:
        import ray
    except ImportError as exc:
        raise NesyError("the Ray executor needs Ray: pip install 'nesy[ray]'") from exc
    return ray


class RayExecutor(Executor):
    """Run jobs on Ray actors, each with its own sandboxed worker pool.

    Args:
        address: A Ray cluster address (``"auto"``), or None to start a local instance.
        actors: Number of pool actors (default: one per ``workers_per_actor`` CPUs of the cluster).
        workers_per_actor: Sandboxed worker processes per actor.
        chunk_size: Jobs per actor call.
        cache: Verdict cache, kept in the driver.
        num_cpus: CPUs for a local Ray instance (ignored with ``address``).
    """

    def __init__(
        self,
        address: str | None = None,
        actors: int | None = None,
        workers_per_actor: int = 1,
        chunk_size: int = 32,
        cache: VerdictCache | None | bool = None,
        num_cpus: int | None = None,
    ) -> None:
        super().__init__(cache)
        ray = self._ray = _import_ray()
        self._started_ray = False
        if not ray.is_initialized():
            ray.init(address=address, num_cpus=None if address else num_cpus, include_dashboard=False, log_to_driver=False)
            self._started_ray = True
        cpus = int(ray.cluster_resources().get("CPU", 1))
        count = actors or max(1, cpus // workers_per_actor)
        actor_class = ray.remote(num_cpus=0)(_PoolActor)
        self._actors = [actor_class.remote(workers_per_actor) for _ in range(count)]
        self.chunk_size = chunk_size

    def isolation(self) -> str:
        """How the first actor's workers are isolated from the network."""
        return self._ray.get(self._actors[0].isolation.remote())

    def _execute(
        self, jobs: Sequence[Job], on_result: Callable[[int, Verdict], None], claim: Callable[[int], bool]
    ) -> None:
        ray = self._ray
        runnable = [i for i in range(len(jobs)) if claim(i)]
        chunks = [runnable[i : i + self.chunk_size] for i in range(0, len(runnable), self.chunk_size)]
        waiting: dict[Any, list[int]] = {}
        for n, positions in enumerate(chunks):
            actor = self._actors[n % len(self._actors)]
            waiting[actor.run.remote([jobs[p] for p in positions])] = positions
        while waiting:
            done, _ = ray.wait(list(waiting), num_returns=1)
            for ref in done:
                for position, verdict in zip(waiting.pop(ref), ray.get(ref)):
                    on_result(position, verdict)

    def close(self) -> None:
        for actor in getattr(self, "_actors", []):
            self._ray.kill(actor)
        self._actors = []
        if getattr(self, "_started_ray", False):
            self._ray.shutdown()
            self._started_ray = False
