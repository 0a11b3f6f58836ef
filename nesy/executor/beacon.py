"""A 24-byte shared page where a worker says which task it is running and since when.

The worker writes it before each task (no system call, no message); the parent reads it to set
the running task's deadline and, when it kills or loses a worker, to know exactly which task was
to blame. Results themselves travel in batches, so this is what keeps attribution exact.

Example:
    >>> import tempfile
    >>> beacon = Beacon.create(tempfile.mkdtemp())
    >>> beacon.start(7, 12.5)
    >>> Beacon.attach(beacon.path).read()
    (7, 12.5)
    >>> beacon.idle(); beacon.read() is None
    True
"""

from __future__ import annotations

import mmap
import os
import struct
from pathlib import Path

_LAYOUT = struct.Struct("@qdq")  # position, start time (CLOCK_MONOTONIC, shared by all processes), position again
_FIRST, _STARTED, _SECOND = 0, 1, 2  # the three fields, as 8-byte items
_IDLE = -1


class Beacon:
    """One worker's "now running" page, backed by a small file (tmpfs when available)."""

    def __init__(self, path: str, page: mmap.mmap) -> None:
        self.path, self._page = path, page
        # Each field is read and written as one item of a typed view: one aligned 8-byte copy. (struct's
        # pack_into clears its bytes before it writes them, so a read in between would see a 0.)
        self._positions = memoryview(page).cast("q")
        self._times = memoryview(page).cast("d")

    @classmethod
    def create(cls, directory: str | None = None) -> "Beacon":
        """Make a new page (in ``directory``, default /dev/shm or the temp dir)."""
        directory = directory or ("/dev/shm" if os.path.isdir("/dev/shm") else None)
        import tempfile

        fd, path = tempfile.mkstemp(prefix="nesy-beacon-", dir=directory)
        os.write(fd, _LAYOUT.pack(_IDLE, 0.0, _IDLE))
        os.close(fd)
        beacon = cls.attach(path)
        return beacon

    @classmethod
    def attach(cls, path: str) -> "Beacon":
        """Map an existing page."""
        with open(path, "r+b") as f:
            return cls(path, mmap.mmap(f.fileno(), _LAYOUT.size))

    def start(self, position: int, started: float) -> None:
        """Worker side: task ``position`` started at ``started`` (``time.monotonic()``).

        Each field is one aligned 8-byte store, in an order :meth:`read` relies on: the leading
        position is withdrawn first and written last.
        """
        self._positions[_FIRST] = _IDLE
        self._times[_STARTED] = started
        self._positions[_SECOND] = position
        self._positions[_FIRST] = position

    def idle(self) -> None:
        """Worker side: no task is running (the leading position is withdrawn first)."""
        self._positions[_FIRST] = _IDLE
        self._positions[_SECOND] = _IDLE
        self._times[_STARTED] = 0.0

    def read(self) -> tuple[int, float] | None:
        """Parent side: ``(position, started)`` of the running task, or None when idle.

        The fields are read one at a time, the leading position again at the end: a read that
        overlaps a write sees the positions differ and reads again. (A copy of the whole page
        in one go could see both positions of the old task and the time of :meth:`idle`, 0.0,
        and that task would overrun its budget at once.)
        """
        for _ in range(100):
            first = self._positions[_FIRST]
            started = self._times[_STARTED]
            second = self._positions[_SECOND]
            if first == second == self._positions[_FIRST]:
                return None if first == _IDLE else (first, started)
        return None

    def unlink(self) -> None:
        """Remove the file; the mappings stay valid (call once both sides have mapped it)."""
        Path(self.path).unlink(missing_ok=True)

    def close(self, remove: bool = False) -> None:
        self._positions.release()
        self._times.release()
        self._page.close()
        if remove:
            self.unlink()
