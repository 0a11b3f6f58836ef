"""The solver worker process: receives chunks of tasks, runs them isolated, streams verdicts back.

Messages from the parent: ``("chunk", {solver_id: pickled solver}, [task, ...])`` or ``("stop",)``;
a task is ``(position, solver_id, mode, program, input, expected, budget)``.
Messages to the parent: ``("hello", isolation)`` once, ``("loaded",)`` after a chunk's new solvers
are unpickled (the first task's clock starts then; a chunk without new solvers sends none), and
``("results", [(position, packed verdict), ...])`` for finished tasks, sent at least every 20
milliseconds while tasks complete (batching the sends is what keeps small tasks cheap; the parent's
view of when the running task started is at most that stale). Messages to the parent are plain
data only (:mod:`nesy.executor.messages`).
"""

from __future__ import annotations

import pickle
import time
from multiprocessing.connection import Connection
from typing import Any

from nesy.executor.beacon import Beacon
from nesy.executor.chunking import MAX_CHUNK
from nesy.executor.collector import quiet_worker_collector
from nesy.executor.isolation import MemoryCap, isolate
from nesy.executor.plain import dumps
from nesy.limits import own_alarm
from nesy.verdict import Status, Verdict


_CAP_MEASURED_AGAIN = (Status.MEMOUT, Status.ERROR)


def _run_task(solvers: dict[str, Any], load_errors: dict[str, str], task: tuple, cap: MemoryCap) -> tuple:
    """Run one task; its verdict, packed (:meth:`Verdict.packed`) to travel back."""
    position, sid, mode, program, input, expected, budget = task
    if sid in load_errors:
        return Verdict(Status.ERROR, message=f"solver could not be loaded in the worker: {load_errors[sid]}").packed()
    solver = solvers[sid]
    cap.hold(budget.memory_mb)
    try:
        if mode == "check":
            verdict = solver.check(program, input, expected, budget)
        else:
            verdict = solver.run(program, input, budget)
    except MemoryError:
        verdict = Verdict(Status.MEMOUT, message=f"memory budget of {budget.memory_mb} MiB exhausted")
    except BaseException as exc:  # a solver that broke its own contract still yields a verdict
        verdict = Verdict(Status.ERROR, message=f"{type(exc).__name__}: {str(exc)[:300]}")
    if not isinstance(verdict, Verdict) or not isinstance(verdict.status, Status):
        verdict = Verdict(Status.ERROR, message=f"solver returned {type(verdict).__name__} {verdict!r:.80}, not a Verdict")
    if verdict.status in _CAP_MEASURED_AGAIN:
        cap.lift()  # what the task left behind counts against no later task: measure afresh
    return verdict.packed()


FLUSH_SECONDS = 0.02  #: results are sent at least this often while tasks complete
FLUSH_COUNT = MAX_CHUNK  #: ... and at least every this many results (a whole chunk at most)


def _send(conn, message: tuple) -> None:
    """Send ``message`` as plain data (:mod:`nesy.executor.plain`: the parent reads nothing else)."""
    conn.send_bytes(dumps(message))


def _flush(conn, results: list[tuple[int, tuple]], cap: MemoryCap) -> None:
    """Send finished tasks' packed verdicts (:meth:`Verdict.packed`: plain tuples pickle faster).
    A verdict that is not plain data is replaced by an error verdict that says so.

    The chunk's memory cap stays on (measuring and setting it again costs about as much as a
    small check); should pickling the results hit it, the cap is lifted and they are sent again.
    """
    if not results:
        return
    try:
        try:
            _send(conn, ("results", results))
        except MemoryError:
            cap.lift()
            _send(conn, ("results", results))
    except (pickle.PicklingError, TypeError, AttributeError):
        for position, packed in results:  # find the one that cannot travel
            try:
                _send(conn, ("results", [(position, packed)]))
            except (pickle.PicklingError, TypeError, AttributeError) as exc:
                failed = Verdict(Status.ERROR, message=f"verdict could not be sent back: {exc}")
                _send(conn, ("results", [(position, failed.packed())]))
    results.clear()


def main(fd: int, beacon_path: str) -> None:
    """Entry point of a worker process: ``fd`` is its end of a socket pair with the parent."""
    serve(Connection(fd), Beacon.attach(beacon_path))


def serve(conn, beacon: Beacon) -> None:
    """Answer the parent's messages on ``conn`` until it says stop or goes away."""
    _send(conn, ("hello", isolate()))
    own_alarm()  # nesy's soft-limit handler stays installed: each check then only sets the timer
    quiet_worker_collector()
    solvers: dict[str, Any] = {}
    load_errors: dict[str, str] = {}
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "stop":
            return
        _, new_solvers, tasks = message
        for sid, blob in new_solvers.items():
            try:
                solvers[sid] = pickle.loads(blob)
            except Exception as exc:
                load_errors[sid] = f"{type(exc).__name__}: {exc}"
        if new_solvers:
            _send(conn, ("loaded",))
        results: list[tuple[int, tuple]] = []
        cap = MemoryCap()  # held while the chunk's tasks run, lifted before the last results and between chunks
        last_flush = time.monotonic()
        for task in tasks:
            beacon.start(task[0], time.monotonic())
            results.append((task[0], _run_task(solvers, load_errors, task, cap)))
            now = time.monotonic()
            if len(results) >= FLUSH_COUNT or now - last_flush >= FLUSH_SECONDS:
                _flush(conn, results, cap)
                last_flush = now
        cap.lift()
        _flush(conn, results, cap)
        beacon.idle()
