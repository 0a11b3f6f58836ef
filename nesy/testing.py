"""Tiny solvers for testing executors and sandboxes (importable, hence picklable by reference).

Their "programs" are instructions to misbehave on purpose: hang past the soft limit, crash the
worker, allocate memory. Nothing here evaluates program text.

Example:
    >>> EchoSolver().run("hi").value
    'hi'
"""

from __future__ import annotations

import fractions
import os
import pickle
import signal
import socket
import struct
import threading
import time
from typing import Any

from nesy.budget import Budget
from nesy.errors import ProgramRejected
from nesy.solver import BaseSolver
from nesy.verdict import Status, Verdict


class EchoSolver(BaseSolver):
    """Returns its program text as the value (measures pure executor overhead)."""

    name, languages, version = "echo", ("text",), "1"

    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        return Verdict(Status.OK, value=program)


class SlowLoadingSolver(EchoSolver):
    """An :class:`EchoSolver` that takes ``load_seconds`` to unpickle (a large model, say): the
    time a worker spends loading it must not count against the first task's budget."""

    name = "slowload"

    def __init__(self, load_seconds: float = 1.0) -> None:
        self.load_seconds = load_seconds

    def __setstate__(self, state: dict) -> None:
        time.sleep(state["load_seconds"])
        self.__dict__.update(state)


class _OpenForWriting:
    """Unpickles as ``open(path, "w")``: creates the file (in the process that unpickles it)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple:
        return (open, (self.path, "w"))


def _send_to_every_socket(payload: bytes) -> None:
    """Write ``payload`` as one message (the length-prefixed framing of
    :class:`multiprocessing.connection.Connection`) to every socket this process holds."""
    for fd in map(int, os.listdir("/proc/self/fd")):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                os.write(fd, struct.pack("!i", len(payload)) + payload)
        except OSError:
            pass


class MisbehavingSolver(BaseSolver):
    """Program text picks a misbehaviour: ``sleep S``, ``hang S`` (ignores the soft limit),
    ``crash``, ``abort``, ``alloc MB``, ``connect HOST:PORT``, ``write PATH``, ``pid``, ``unsendable`` (a value
    that cannot be pickled), ``fraction`` (a value that is not plain data), ``hijack PATH`` (act as
    a worker taken over: send the parent a pickle that would create PATH if the parent unpickled
    it freely), or ``echo TEXT``."""

    name, languages, version = "misbehave", ("text",), "1"

    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        op, _, arg = program.partition(" ")
        if op == "sleep":
            time.sleep(float(arg))
        elif op == "hang":  # block the soft-limit alarm: only the parent's hard kill can stop this
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(float(arg))
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
        elif op == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        elif op == "abort":
            os.abort()
        elif op == "alloc":
            block = bytearray(int(float(arg) * 1024 * 1024))
            return Verdict(Status.OK, value=len(block))
        elif op == "connect":
            host, _, port = arg.rpartition(":")
            with socket.create_connection((host, int(port)), timeout=1):
                return Verdict(Status.OK, value="connected")
        elif op == "write":
            with open(arg, "w") as f:
                f.write("x" * 10)
            return Verdict(Status.OK, value="written")
        elif op == "pid":
            return Verdict(Status.OK, value=os.getpid())
        elif op == "echo":
            return Verdict(Status.OK, value=arg)
        elif op == "unsendable":
            return Verdict(Status.OK, value=threading.Lock())
        elif op == "fraction":
            return Verdict(Status.OK, value=fractions.Fraction(1, 3))
        elif op == "hijack":
            _send_to_every_socket(pickle.dumps(("results", [_OpenForWriting(arg)])))
        else:
            raise ProgramRejected(f"unknown instruction {op!r}")
        return Verdict(Status.OK, value=op)
