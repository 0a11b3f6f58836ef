"""The parent's handle on one sandboxed worker process: its socket, beacon and tasks in flight.

:class:`WorkerHandle` starts a worker (a fresh interpreter running :mod:`nesy.executor.worker`)
and keeps what the parent needs to schedule it and to time its tasks: which tasks it holds, in
the order it runs them, which one the beacon says is running and since when, and so when it
must be killed. :func:`death_verdict` says why a worker that went away died.

Example:
    >>> hard_limit(2.0), hard_limit(0.1)
    (3.0, 0.35)
    >>> death_verdict(101).status.value, death_verdict(-9).message
    ('memout', 'solver worker died (signal SIGKILL); it was replaced')
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from nesy.executor.beacon import Beacon
from nesy.verdict import Status, Verdict

#: Exit codes by which a solver library says it ran out of memory (z3 exits with 101).
MEMOUT_EXIT_CODES = {101: "z3 ran out of memory"}
STARTUP_SECONDS = 120.0  #: how long a worker may take to start and unpickle its solvers


def hard_limit(wall_seconds: float) -> float:
    """Seconds after which the parent kills a task: the budget plus a grace of half of it (>= 0.25 s)."""
    return wall_seconds + max(0.25, 0.5 * wall_seconds)


def wait(process: subprocess.Popen, seconds: float) -> int | None:
    """``process``'s exit code, waiting at most ``seconds`` (None if it is still running)."""
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return None


def kill(process: subprocess.Popen) -> None:
    """Kill ``process`` if it is still running, and reap it."""
    if process.poll() is None:
        process.kill()
    wait(process, 5)


def death_verdict(code: int | None) -> Verdict:
    """The verdict for the task a worker was running when it exited with ``code``."""
    if code in MEMOUT_EXIT_CODES:
        return Verdict(Status.MEMOUT, message=f"{MEMOUT_EXIT_CODES[code]} (worker exit code {code}); it was replaced")
    cause = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
    return Verdict(Status.ERROR, message=f"solver worker died ({cause}); it was replaced")


@dataclass
class WorkerHandle:
    """One worker process as the parent sees it."""

    process: subprocess.Popen
    conn: Connection
    isolation: str = "starting"
    sent: set[str] = field(default_factory=set)  # solver ids it has been sent
    inflight: deque = field(default_factory=deque)  # (position, job) in the order the worker runs them
    chunks: deque = field(default_factory=deque)  # tasks still unanswered in each chunk sent, oldest first
    beacon: Beacon | None = None
    unloaded: int = 0  # chunks sent with new solvers whose "loaded" message has not arrived yet
    clock: float = 0.0  # when the chunk was sent, or the last message arrived

    @classmethod
    def start(cls) -> "WorkerHandle":
        """Start a worker in a fresh interpreter (not multiprocessing's spawn, which re-imports the
        caller's ``__main__``), joined to the parent by a socket pair and a beacon."""
        ours, theirs = socket.socketpair()
        beacon = Beacon.create()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        quiet = subprocess.DEVNULL if not os.environ.get("NESY_WORKER_STDERR") else None
        process = subprocess.Popen(
            [sys.executable, "-c", f"from nesy.executor.worker import main; main({theirs.fileno()}, {beacon.path!r})"],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=quiet,
            env=env,
        )
        theirs.close()
        return cls(process, Connection(ours.detach()), beacon=beacon)

    def running(self) -> tuple[int, float, bool]:
        """Index into ``inflight`` of the task the worker is running, when it started, and whether
        the beacon says so (else: the oldest task, timed from the last message)."""
        now = self.beacon.read() if self.beacon is not None else None
        if now is not None:
            for index, (position, _) in enumerate(self.inflight):
                if position == now[0]:
                    return index, now[1], True
        return 0, self.clock, False

    def deadline(self) -> float:
        """When the running task overruns its budget (or the worker its start-up time)."""
        index, started, known = self.running()
        if not known and self.unloaded:  # between chunks: unpickling solvers may take a while
            return self.clock + STARTUP_SECONDS
        return started + hard_limit(self.inflight[index][1].budget.wall_seconds)

    def answered(self, count: int = 1) -> None:
        """Count ``count`` results of the oldest chunk."""
        self.chunks[0] -= count
        if self.chunks[0] <= 0:
            self.chunks.popleft()
