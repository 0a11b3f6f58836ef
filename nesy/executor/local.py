"""The local executor: a pool of sandboxed worker processes on this machine.

Each worker is isolated (see :mod:`nesy.executor.isolation`) and runs chunks of tasks. The parent
streams results back, hard-kills a worker whose current task overruns its wall-clock budget
(``timeout``), replaces workers that die (``error``), and keeps every other task going.

Example:
    >>> from nesy.registry import get_solver
    >>> with LocalExecutor(workers=1) as pool:
    ...     pool.solve(get_solver("sympy"), "expand((x + 1)**2)").value
    'x**2 + 2*x + 1'
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import select
import time
from collections import deque
from typing import Any, Callable, Sequence

from nesy.errors import NesyError
from nesy.executor.base import Executor
from nesy.executor.cache import VerdictCache
from nesy.executor.chunking import ChunkSizer
from nesy.executor.handle import WorkerHandle, death_verdict, kill, wait
from nesy.executor.job import Job, fingerprints
from nesy.executor.messages import decode
from nesy.verdict import Status, Verdict

log = logging.getLogger(__name__)

#: A chunk is sent ahead, to wait in a busy worker's socket buffer, only below this size, so that the
#: parent's send can never block on a worker that is itself blocked sending results.
PIPELINE_BYTES = 64 * 1024


class LocalExecutor(Executor):
    """Solve jobs in ``workers`` sandboxed processes (default: one per core).

    Args:
        workers: Number of worker processes.
        cache: A verdict cache (default in-memory; ``False`` disables).
        chunk_size: Tasks sent to a worker at once; by default sized by the batch's pace
            (:class:`~nesy.executor.chunking.ChunkSizer`).
    """

    def __init__(self, workers: int | None = None, cache: VerdictCache | None | bool = None, chunk_size: int | None = None):
        super().__init__(cache)
        if workers is not None and workers < 1:
            raise NesyError(f"workers must be at least 1, got {workers}")
        self.n_workers = workers or os.cpu_count() or 1
        self.chunk_size = chunk_size
        self._workers: list[WorkerHandle] = []
        self._blobs: dict[str, bytes] = {}
        self._sids: dict[int, str] = {}  # solver fingerprints of the batch being run, by object id
        self._poller = select.poll()  # every worker's socket, registered once (not per wait)
        self._by_fd: dict[int, WorkerHandle] = {}
        self.restarts = 0

    # -- worker management ------------------------------------------------------------------
    def _spawn(self) -> WorkerHandle:
        worker = WorkerHandle.start()
        self._poller.register(worker.conn.fileno(), select.POLLIN)
        self._by_fd[worker.conn.fileno()] = worker
        return worker

    def _forget(self, worker: WorkerHandle) -> None:
        """Close ``worker``'s socket and beacon (its process is gone or going)."""
        fd = worker.conn.fileno()
        self._poller.unregister(fd)
        del self._by_fd[fd]
        worker.conn.close()
        worker.beacon.close(remove=True)

    def _ensure_workers(self) -> None:
        while len(self._workers) < self.n_workers:
            self._workers.append(self._spawn())

    def _replace(self, worker: WorkerHandle) -> WorkerHandle:
        kill(worker.process)
        self._forget(worker)
        fresh = self._workers[self._workers.index(worker)] = self._spawn()
        self.restarts += 1
        return fresh

    def isolation(self) -> str:
        """How workers are isolated from the network (starts the pool if needed)."""
        self._ensure_workers()
        worker = self._workers[0]
        while worker.isolation == "starting":
            kind, content = decode(worker.conn.recv_bytes(), worker.inflight)
            if kind == "hello":
                worker.isolation = content
                worker.beacon.unlink()
        return worker.isolation

    def _blob(self, solver: Any) -> tuple[str, bytes]:
        sid = self._sids.get(id(solver)) or solver.fingerprint()
        if sid not in self._blobs:
            try:
                self._blobs[sid] = pickle.dumps(solver)
            except Exception as exc:
                raise NesyError(
                    f"solver {getattr(solver, 'name', solver)!r} cannot be sent to worker processes (pickling failed: {exc}); "
                    "use module-level functions, not lambdas or closures"
                ) from exc
        return sid, self._blobs[sid]

    # -- scheduling -------------------------------------------------------------------------
    def _chunk_message(self, worker: WorkerHandle, chunk: list[tuple[int, Job]]) -> tuple[bytes, list[str]]:
        """The pickled ``chunk`` message for ``worker`` and the solver ids it ships for the first time."""
        new_solvers, tasks = {}, []
        for position, job in chunk:
            sid, blob = self._blob(job.solver)
            if sid not in worker.sent:
                new_solvers[sid] = blob
            tasks.append((position, sid, job.mode, job.program, job.input, job.expected, job.budget))
        return pickle.dumps(("chunk", new_solvers, tasks), protocol=pickle.HIGHEST_PROTOCOL), list(new_solvers)

    def _send_chunk(self, worker: WorkerHandle, pending: deque, size: int) -> bool:
        """Send the next ``size`` pending tasks to ``worker`` (or to its replacement, should it have
        died while idle); False (nothing sent) when the worker is still busy with a chunk and this one
        is too large to wait in its socket buffer, or when it died while busy."""
        chunk = [pending[i] for i in range(min(size, len(pending)))]
        if worker.inflight and sum(len(job.program) for _, job in chunk) > PIPELINE_BYTES:
            return False  # too large to wait in the socket, known without pickling it
        payload, new_sids = self._chunk_message(worker, chunk)
        if worker.inflight and len(payload) > PIPELINE_BYTES:
            return False
        try:
            worker.conn.send_bytes(payload)
        except OSError:
            if worker.inflight:
                return False  # it died running earlier work: the poll loop sees it go and says why
            worker = self._replace(worker)  # it died while idle (killed from outside): a fresh one takes the chunk
            payload, new_sids = self._chunk_message(worker, chunk)
            worker.conn.send_bytes(payload)
        for _ in chunk:
            pending.popleft()
        worker.sent.update(new_sids)
        if not worker.inflight:
            worker.clock = time.monotonic()
        worker.inflight.extend(chunk)
        worker.chunks.append(len(chunk))
        worker.unloaded += bool(new_sids)  # the worker says "loaded" only after unpickling new solvers
        return True

    def _ahead(self, pending: int, chunk: int) -> int:
        """Chunks a worker may hold: two while every worker can have a full one more, else one (the
        tail is shared out to idle workers only)."""
        return 2 if pending >= chunk * self.n_workers else 1

    def _fail_current(self, worker: WorkerHandle, verdict: Verdict, pending: deque, on_result) -> None:
        index, _, _ = worker.running()  # the beacon names the culprit, even with results still unsent
        position, _ = worker.inflight[index]
        del worker.inflight[index]
        on_result(position, verdict)
        pending.extendleft(reversed(worker.inflight))  # the rest of its chunks run again elsewhere
        worker.inflight.clear()
        self._replace(worker)

    def _execute(
        self, jobs: Sequence[Job], on_result: Callable[[int, Verdict], None], claim: Callable[[int], bool]
    ) -> None:
        try:
            self._run_batch(jobs, on_result, claim)
        except BaseException:  # a callback raised (Ctrl-C in a progress bar, say): no late result may reach the next batch
            for worker in list(self._workers):
                if worker.inflight or worker.chunks or worker.unloaded:
                    self._replace(worker)
            raise

    def _run_batch(
        self, jobs: Sequence[Job], on_result: Callable[[int, Verdict], None], claim: Callable[[int], bool]
    ) -> None:
        self._ensure_workers()
        self._sids = {id(job.solver): fp for job, fp in zip(jobs, fingerprints(jobs))}
        for job in {id(job.solver): job for job in jobs}.values():  # fail early, in the caller, if a solver cannot be shipped
            self._blob(job.solver)
        unclaimed: deque = deque(range(len(jobs)))
        pending: deque = deque()  # (index, job) claimed and not sent yet, or sent back by a failed worker

        def top_up(count: int) -> None:
            """Claim jobs until ``count`` wait to be sent (or none is left)."""
            while unclaimed and len(pending) < count:
                index = unclaimed.popleft()
                if claim(index):
                    pending.append((index, jobs[index]))

        sizer = ChunkSizer(len(jobs), self.n_workers, self.chunk_size)
        while True:
            chunk = sizer.size
            # Each worker gets one chunk to run and, when there is enough work, the next one waiting
            # in its socket, so that it never sits idle while its results travel back.
            for slot in range(len(self._workers)):  # (by slot: a worker found dead is replaced in its slot)
                while len(self._workers[slot].chunks) < self._ahead(len(pending) + len(unclaimed), chunk):
                    top_up(chunk)
                    if not pending or not self._send_chunk(self._workers[slot], pending, chunk):
                        break
            top_up(chunk * self.n_workers)  # the next chunks' keys, computed while the workers run
            busy = [w for w in self._workers if w.inflight]
            if not busy:  # (then nothing is left to claim or send)
                return
            timeout = max(0.0, min(w.deadline() for w in busy) - time.monotonic())
            ready = [(fd, self._by_fd.get(fd)) for fd, _ in self._poller.poll(math.ceil(timeout * 1000))]
            for fd, worker in ready:
                if worker is not None and self._by_fd.get(fd) is worker:  # (not replaced meanwhile)
                    self._receive(worker, pending, on_result, sizer)
            now = time.monotonic()
            for worker in [w for w in self._workers if w.inflight and w.deadline() <= now]:
                index, started, known = worker.running()
                budget = worker.inflight[index][1].budget.wall_seconds
                started_task = known or not worker.unloaded
                what = f"killed after {now - started:.2f} s" if started_task else "worker did not start"
                verdict = Verdict(
                    Status.TIMEOUT,
                    message=f"{what}: the wall-clock budget is {budget:g} s",
                    stats={"wall_seconds": now - started},
                )
                self._fail_current(worker, verdict, pending, on_result)

    def _receive(self, worker: WorkerHandle, pending: deque, on_result, sizer: ChunkSizer) -> None:
        """Handle one message from ``worker`` (the poller says it has one, or has gone away);
        results tell ``sizer`` the batch's pace."""
        try:
            data = worker.conn.recv_bytes()
        except (EOFError, OSError):
            self._died(worker, pending, on_result)
            return
        try:
            kind, content = decode(data, worker.inflight)  # never a plain unpickle of what a worker sends
        except Exception as exc:  # not plain data, a broken pickle, or not a message an honest worker sends
            self._refuse(worker, f"{type(exc).__name__}: {str(exc)[:200]}", pending, on_result)
            return
        if kind == "results":
            now = time.monotonic()
            sizer.observe(len(content), now - worker.clock)
            for verdict in content:
                position, _ = worker.inflight.popleft()
                worker.answered()
                on_result(position, verdict)
            worker.clock = now
        elif kind == "loaded":
            worker.unloaded, worker.clock = max(0, worker.unloaded - 1), time.monotonic()
        else:  # hello: the worker has mapped its beacon, so the file itself can go
            worker.isolation = content
            worker.beacon.unlink()

    def _died(self, worker: WorkerHandle, pending: deque, on_result) -> None:
        """``worker``'s socket closed: say why it died, and replace it."""
        verdict = death_verdict(wait(worker.process, 5))
        if worker.inflight:
            self._fail_current(worker, verdict, pending, on_result)
        else:
            self._replace(worker)

    def _refuse(self, worker: WorkerHandle, why: str, pending: deque, on_result) -> None:
        """``worker`` sent a message that is not plain data (:mod:`nesy.executor.plain`), which no
        honest worker does: it is replaced, and every task it held gets an error verdict (which of
        them the message was about cannot be known, and running them again elsewhere could repeat
        whatever took the worker over)."""
        message = f"solver worker sent a message nesy refuses to read ({why}); it was replaced"
        log.warning(message)
        held, worker.inflight = list(worker.inflight), deque()
        self._replace(worker)
        for position, _ in held:
            on_result(position, Verdict(Status.ERROR, message=message))

    def close(self) -> None:
        """Stop all workers."""
        for worker in self._workers:
            try:
                worker.conn.send(("stop",))
            except (OSError, ValueError):
                pass
        for worker in self._workers:
            if wait(worker.process, 2) is None:
                kill(worker.process)
            self._forget(worker)
        self._workers = []

    def __del__(self) -> None:  # best effort; prefer close() or a with-block
        try:
            self.close()
        except Exception:
            pass
