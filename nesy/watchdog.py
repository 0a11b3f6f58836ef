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
import os
import signal
import threading
import time
from collections.abc import Callable

__all__ = ["Alarm", "interrupt_after"]

_REPEAT_SECONDS = 0.05


class Alarm:
    """One armed deadline, and the ``with`` block it guards (use it as :func:`interrupt_after`).

    Attributes:
        interrupt: Called (from the watchdog thread) once the deadline has passed.
        deadline: ``time.monotonic()`` value at which ``interrupt`` first runs.
        fired: True once ``interrupt`` has been called at least once.
        done: True once the guarded block has closed; the watchdog then never calls it.

    (One object for the block and its alarm: it guards every native solver call, so arming is
    kept to a few attribute updates under the watchdog's lock.)
    """

    __slots__ = ("interrupt", "deadline", "fired", "done", "seq", "_seconds")

    def __init__(self, interrupt: Callable[[], object], seconds: float | None) -> None:
        self.interrupt = interrupt
        self._seconds = seconds
        self.deadline = float("inf")
        self.fired = self.done = False
        self.seq = 0

    def __enter__(self) -> "Alarm | None":
        seconds = self._seconds
        if seconds is None:
            return None
        deadline = time.monotonic() + (seconds if seconds > 0 else 0.0)
        watchdog = _WATCHDOG
        with watchdog._mutex:  # (arm, inlined: this runs around every native solver call)
            if watchdog._thread is None:
                watchdog._start_thread()
            watchdog._seq += 1
            self.seq, self.deadline = watchdog._seq, deadline
            heapq.heappush(watchdog._heap, (deadline, watchdog._seq, self))
            watchdog._live += 1
            if deadline < watchdog._wake_at:
                watchdog._wakeup.notify()
        return self

    def __exit__(self, *exc: object) -> bool:
        if self.seq:
            watchdog = _WATCHDOG
            with watchdog._mutex:  # (disarm, inlined) the watchdog calls interrupts under this lock
                if not self.done:
                    self.done = True
                    # drop the callable: a bound ``interrupt`` would keep its solver object (and
                    # that object's memory) alive until the heap is next pruned
                    self.interrupt = _disarmed
                    watchdog._live -= 1
                    if len(watchdog._heap) > 2 * watchdog._live + 64:
                        watchdog._prune()
        return False

    def __repr__(self) -> str:
        return f"Alarm(deadline={self.deadline:.3f}, fired={self.fired}, done={self.done})"


def _disarmed() -> None:
    """What a closed alarm holds instead of its interrupt (never called: the watchdog skips it)."""


class _Watchdog:
    """The per-process thread and its heap of armed alarms (use :func:`interrupt_after`).

    :class:`Alarm` arms and disarms itself under the plain lock here (the condition around it is
    only notified when a new deadline comes before the one the thread sleeps towards): that runs
    around every solver call, so it is kept to a few attribute updates.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._wakeup = threading.Condition(self._mutex)
        self._heap: list[tuple[float, int, Alarm]] = []
        self._live = 0
        self._wake_at = float("inf")
        self._seq = 0
        self._thread: threading.Thread | None = None

    def _prune(self) -> None:
        """Drop closed alarms from the heap (called under the lock once they are the majority)."""
        self._heap = [entry for entry in self._heap if not entry[2].done]
        heapq.heapify(self._heap)

    def _start_thread(self) -> None:
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
        with self._wakeup:
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
                self._wakeup.wait(None if not self._heap else self._wake_at - now)


_WATCHDOG = _Watchdog()


def _after_fork_in_child() -> None:
    """A forked child has no watchdog thread (only the forking thread survives): start afresh."""
    _WATCHDOG.__init__()  # type: ignore[misc]


os.register_at_fork(after_in_child=_after_fork_in_child)


interrupt_after = Alarm
"""``with interrupt_after(interrupt, seconds) as alarm:`` calls ``interrupt`` if the block is still
running ``seconds`` from now (repeated every 50 ms while it stays open, never after it closed).

Args:
    interrupt: A thread-safe, quick call that stops the running native search
        (``clingo.Control.interrupt``, ``z3.Context.interrupt``).
    seconds: Time allowed; ``None`` arms nothing and the block gets ``None``.

The block gets the :class:`Alarm` (``alarm.fired`` tells whether the deadline was reached), or ``None``.
"""
