"""In-process soft limits: a wall-clock alarm that interrupts Python-level work.

The sandbox worker adds the hard limits (address space, a kill from the parent); this module
gives a backend running Python code (the DSL interpreter, SymPy) a clean ``timeout`` verdict
before that. Outside the main thread the alarm cannot be set and the context does nothing.

:func:`alarm_deferred` holds the alarm back while native code that calls back into Python
(clingo's model callbacks) runs: an exception raised inside such a callback would abort the
process, so the alarm is only noted there and raised once the native call has returned.

Swapping signal handlers costs more than a small DSL program, so a process that runs many
checks (a sandbox worker) calls :func:`own_alarm` once: nesy's handler then stays installed and
each limit only sets the timer.

Example:
    >>> with wall_clock_limit(1.0):
    ...     sum(range(10))
    45
    >>> with wall_clock_limit(0.05):
    ...     with alarm_deferred():
    ...         time.sleep(0.1)  # the alarm rings here, but is held back ...
    ...     print("never reached")  # ... and raised as the deferred block closes
    Traceback (most recent call last):
    ...
    nesy.errors.SolverTimeout: wall-clock budget exhausted
"""

from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from threading import get_ident
from typing import Iterator

from nesy.errors import SolverTimeout

_owned = False  # own_alarm() was called: _on_alarm stays the SIGALRM handler for good
_depth = 0  # wall_clock_limit blocks open in the main thread (nesy's handler is installed)
_deferring = 0  # alarm_deferred blocks open while nesy's handler is installed
_rang = False  # the alarm rang inside such a block


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    global _rang
    if _deferring:
        _rang = True
        return
    raise SolverTimeout("wall-clock budget exhausted")


_main_ident = threading.main_thread().ident  # read on every native solver call: kept, not looked up


def _forked() -> None:
    global _main_ident
    _main_ident = threading.get_ident()  # the forking thread is the child's main thread


os.register_at_fork(after_in_child=_forked)


def _main_thread() -> bool:
    return threading.get_ident() == _main_ident


def own_alarm() -> None:
    """Install nesy's SIGALRM handler for the rest of the process (sandbox workers call this once).

    Example:
        >>> import subprocess, sys
        >>> code = "from nesy.limits import own_alarm; own_alarm(); import signal; print(signal.getsignal(signal.SIGALRM).__name__)"
        >>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
        '_on_alarm'
    """
    global _owned
    if _main_thread():
        signal.signal(signal.SIGALRM, _on_alarm)
        _owned = True


@contextmanager
def wall_clock_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`SolverTimeout` inside the block once ``seconds`` have passed.

    Nests: an enclosing limit that runs out first still fires, and is restored on exit.
    """
    global _depth
    if not _main_thread() or seconds <= 0:
        yield
        return
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    swap = not (_owned or _depth)
    previous = signal.signal(signal.SIGALRM, _on_alarm) if swap else None
    _depth += 1
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left > 0 else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _depth -= 1
        if swap:
            signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:  # give the enclosing limit back what is left of it (at least a tick)
            signal.setitimer(signal.ITIMER_REAL, max(1e-3, outer_left - (time.monotonic() - started)))


class alarm_deferred:  # noqa: N801 - used like contextlib's lowercase context managers
    """Hold back SIGALRM while the block runs, then deliver it (see the module docstring).

    With nesy's handler installed this costs a counter; with any other handler, that handler is
    swapped for one that only notes the alarm and is run once the block is over. Blocking the
    signal is not enough: the kernel then hands it to another thread (torch's, Ray's) and Python
    still runs the handler in the main thread at its next callback. (A class, not a generator
    function: it wraps every native solver call, and plain methods cost less.)
    """

    __slots__ = ("_mode", "_previous", "_noted")

    def __enter__(self) -> None:
        global _deferring
        if get_ident() != _main_ident:
            self._mode = 0
        elif _owned or _depth:
            self._mode = 1
            _deferring += 1
        else:
            self._mode = 2
            noted: list[int] = []
            self._noted = noted
            self._previous = signal.signal(signal.SIGALRM, lambda signum, frame: noted.append(signum))

    def __exit__(self, exc_type: object, exc: object, tb: object) -> bool:
        global _deferring, _rang
        if self._mode == 1:
            _deferring -= 1
            if _rang and not _deferring:
                _rang = False  # taken now; lost only when the block raised something else
                if exc_type is None:
                    raise SolverTimeout("wall-clock budget exhausted")
        elif self._mode == 2:
            previous = self._previous
            signal.signal(signal.SIGALRM, previous)
            if self._noted and callable(previous):
                previous(signal.SIGALRM, None)  # the deferred handler (nesy's raises SolverTimeout)
            elif self._noted and previous == signal.SIG_DFL:
                signal.raise_signal(signal.SIGALRM)
        return False
