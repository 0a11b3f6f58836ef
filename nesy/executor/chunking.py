"""How many tasks the local pool sends a worker at once.

Every chunk costs the parent a message each way, and for checks of about 50 µs that cost is a
large share of the parent's work, which on a machine with as many workers as cores comes out of
the workers' time. Slow tasks want small chunks instead, so that the batch's tail is shared out
evenly. So a chunk is sized by time: the first ones hold at most :data:`FIRST_CHUNK` tasks, and once
:data:`FIRST_CHUNK` results have come back, a chunk holds as many tasks as take about
``target_seconds`` at the batch's measured pace, between 1 and :data:`MAX_CHUNK`, and never more
than a quarter of a worker's share of the batch.

Example:
    >>> sizer = ChunkSizer(jobs=20_000, workers=2)
    >>> sizer.size  # nothing measured yet
    64
    >>> sizer.observe(count=64, seconds=64 * 50e-6)  # checks of 50 µs
    >>> sizer.size
    400
    >>> sizer.observe(count=10, seconds=10 * 0.5)  # then slow ones: the pace of the whole batch
    >>> sizer.size
    1
    >>> ChunkSizer(jobs=100, workers=2).size  # a small batch: a quarter of a worker's share
    12
    >>> ChunkSizer(jobs=20_000, workers=2, fixed=8).size
    8
"""

from __future__ import annotations

from dataclasses import dataclass

#: Most tasks in one chunk (workers also send results at least this often, see
#: :mod:`nesy.executor.worker`).
MAX_CHUNK = 512
#: Most tasks in a chunk before the batch's pace is known, and the results needed to know it.
FIRST_CHUNK = 64


@dataclass
class ChunkSizer:
    """The chunk size for one batch, from the pace its results come back at.

    Attributes:
        jobs: Tasks in the batch.
        workers: Worker processes sharing it.
        fixed: A size the caller chose; when set, nothing is measured.
        target_seconds: About how long one chunk should take a worker.
        results: Results measured so far.
        seconds: Worker time they took (from the parent's view: between its messages).
    """

    jobs: int
    workers: int
    fixed: int | None = None
    target_seconds: float = 0.02
    results: int = 0
    seconds: float = 0.0

    def observe(self, count: int, seconds: float) -> None:
        """Count ``count`` results that took a worker ``seconds`` in all."""
        self.results += count
        self.seconds += max(0.0, seconds)

    @property
    def size(self) -> int:
        """Tasks to send in the next chunk."""
        if self.fixed:
            return self.fixed
        ceiling = max(1, min(MAX_CHUNK, self.jobs // (self.workers * 4)))
        if self.results < FIRST_CHUNK or self.seconds <= 0:
            return min(FIRST_CHUNK, ceiling)
        per_task = self.seconds / self.results
        return max(1, min(ceiling, round(self.target_seconds / per_task)))
