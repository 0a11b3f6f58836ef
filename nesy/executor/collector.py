"""Fewer cyclic-garbage collector passes where many small objects are made and kept.

A batch of small checks makes a few objects per verdict that all live on (the verdicts are the
batch's result). With CPython's default thresholds the collector runs every 700 new container
objects and, as the kept verdicts pile up, keeps walking them again: about a quarter of the
parent's work per result in a batch of small checks. Reference counting still frees everything
that is not part of a cycle at once; only the passes become rarer.

Example:
    >>> import gc
    >>> before = gc.get_threshold()
    >>> with fewer_collections():
    ...     gc.get_threshold()[0] >= min(before[0], YOUNG_THRESHOLD)
    True
    >>> gc.get_threshold() == before
    True
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

YOUNG_THRESHOLD = 10_000  #: new container objects between passes over the youngest generation (CPython: 700)

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, ...] = ()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the youngest generation's threshold to :data:`YOUNG_THRESHOLD` inside the block.

    Nested and concurrent blocks share one raise; the last to leave restores the thresholds it
    found, unless someone else changed them meanwhile. A collector that is off (threshold 0 or
    ``gc.disable()``) or already set higher is left as it is.
    """
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            if 0 < _saved[0] < YOUNG_THRESHOLD:
                gc.set_threshold(YOUNG_THRESHOLD, *_saved[1:])
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and gc.get_threshold() == (YOUNG_THRESHOLD, *_saved[1:]):
                gc.set_threshold(*_saved)


def quiet_worker_collector() -> None:
    """For a worker process, for good: the modules loaded so far move to the permanent generation
    (:func:`gc.freeze`) and the youngest generation is collected every :data:`YOUNG_THRESHOLD`
    allocations instead of 700. Small checks allocate many short-lived objects that reference
    counting frees at once; the default thresholds spent a few percent of each on collector
    passes that found nothing."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)
