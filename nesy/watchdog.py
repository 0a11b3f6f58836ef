"""One watchdog thread per process that interrupts native solver calls at their deadline.

Solvers such as clingo and Z3 run their search in C and offer a thread-safe ``interrupt``
call. Arming a timer per call (clingo's async handle with its own search thread, Z3's
``timeout`` parameter with its own timer thread) costs more than a small check itself, so
nesy keeps one daemon thread per process that sleeps until the earliest armed deadline.

The contract of :func:`interrupt_after`: the interrupt runs at most while the ``with`` block is
still open — never after it has closed — and it is repeated every ``repeat`` seconds while the
block stays open past its deadline (so an interrupt that lands just before the native call
starts is not lost).

Example:
    The interrupt here sets an event the block waits on; with a solver it would be
    ``clingo.Control.interrupt`` or ``z3.Context.interrupt``.

    >>> import threading
    >>> stop = threading.Event()
    >>> with interrupt_after(stop.set, 0.05) as alarm:
    ...     interrupted = stop.wait(timeout=60)
    >>> (alarm.fired, interrupted)
    (True, True)
    >>> with interrupt_after(stop.clear, 60) as alarm:
    ...     pass
    >>> (alarm.fired, stop.is_set())
    (False, True)
"""

from __future__ import annotations

import heapq
import itertools
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["Alarm", "interrupt_after"]

_REPEAT_SECONDS = 0.05


@dataclass
class Alarm:
    """One armed deadline.

    Attributes:
        interrupt: Called (from the watchdog thread) once the deadline has passed.
        deadline: ``time.monotonic()`` value at which ``interrupt`` first runs.
        fired: True once ``interrupt`` has been called at least once.
        done: True once the guarded block has closed; the watchdog then never calls it.
    """

    interrupt: Callable[[], object]
    deadline: float
    fired: bool = False
    done: bool = False
    seq: int = field(default=0, repr=False)


def _disarmed() -> None:
    """What a closed alarm holds instead of its interrupt (never called: the watchdog skips it)."""


class _Watchdog:
    """The per-process thread and its heap of armed alarms (use :func:`interrupt_after`)."""

    def __init__(self) -> None:
        self._lock = threading.Condition(threading.Lock())
        self._heap: list[tuple[float, int, Alarm]] = []
        self._live = 0
        self._wake_at = float("inf")
        self._counter = itertools.count()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    def arm(self, interrupt: Callable[[], object], seconds: float) -> Alarm:
        deadline = time.monotonic() + max(0.0, seconds)
        with self._lock:
            self._ensure_thread()
            alarm = Alarm(interrupt, deadline, seq=next(self._counter))
            heapq.heappush(self._heap, (deadline, alarm.seq, alarm))
            self._live += 1
            if deadline < self._wake_at:
                self._lock.notify()
        return alarm

    def disarm(self, alarm: Alarm) -> None:
        with self._lock:  # the watchdog calls interrupts under this lock: none runs after this
            if not alarm.done:
                alarm.done = True
                # drop the callable: a bound ``interrupt`` would keep its solver object (and that
                # object's memory) alive until the heap is next pruned
                alarm.interrupt = _disarmed
                self._live -= 1
                if len(self._heap) > 2 * self._live + 64:
                    self._heap = [entry for entry in self._heap if not entry[2].done]
                    heapq.heapify(self._heap)

    def _ensure_thread(self) -> None:
        if self._pid != os.getpid():  # forked: the parent's thread does not exist here
            self.__init__()  # type: ignore[misc]
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="nesy-watchdog", daemon=True)
            # Started with every signal blocked (a thread inherits its creator's mask), so that a
            # process-directed SIGALRM or SIGINT always reaches the main thread: delivered here, its
            # Python handler would run at the main thread's next callback from inside clingo or z3.
            previous = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
            try:
                self._thread.start()
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def _loop(self) -> None:
        with self._lock:
            while True:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                now = time.monotonic()
                if self._heap and self._heap[0][0] <= now:
                    _, _, alarm = heapq.heappop(self._heap)
                    alarm.fired = True
                    try:
                        alarm.interrupt()
                    except Exception:  # noqa: BLE001 - a failing interrupt must not kill the watchdog
                        pass
                    alarm.deadline = now + _REPEAT_SECONDS
                    heapq.heappush(self._heap, (alarm.deadline, alarm.seq, alarm))
                    continue
                self._wake_at = self._heap[0][0] if self._heap else float("inf")
                self._lock.wait(None if not self._heap else self._wake_at - now)


_WATCHDOG = _Watchdog()


@contextmanager
def interrupt_after(interrupt: Callable[[], object], seconds: float | None) -> Iterator[Alarm | None]:
    """Call ``interrupt`` if the block is still running ``seconds`` from now.

    Args:
        interrupt: A thread-safe, quick call that stops the running native search
            (``clingo.Control.interrupt``, ``z3.Context.interrupt``).
        seconds: Time allowed; ``None`` arms nothing and yields ``None``.

    Yields:
        The :class:`Alarm` (``alarm.fired`` tells whether the deadline was reached), or ``None``.
    """
    if seconds is None:
        yield None
        return
    alarm = _WATCHDOG.arm(interrupt, seconds)
    try:
        yield alarm
    finally:
        _WATCHDOG.disarm(alarm)
