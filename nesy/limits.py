"""In-process soft limits: a wall-clock alarm that interrupts Python-level work.

The sandbox worker adds the hard limits (address space, a kill from the parent); this module
gives a backend running Python code (the DSL interpreter, SymPy) a clean ``timeout`` verdict
before that. Outside the main thread the alarm cannot be set and the context does nothing.

Example:
    >>> with wall_clock_limit(1.0):
    ...     sum(range(10))
    45
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from nesy.errors import SolverTimeout


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise SolverTimeout("wall-clock budget exhausted")


@contextmanager
def wall_clock_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`SolverTimeout` inside the block once ``seconds`` have passed.

    Nests: an enclosing limit that runs out first still fires, and is restored on exit.
    """
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left > 0 else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:  # give the enclosing limit back what is left of it (at least a tick)
            signal.setitimer(signal.ITIMER_REAL, max(1e-3, outer_left - (time.monotonic() - started)))
