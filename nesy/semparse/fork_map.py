"""The learner's per-question passes on several cores: a map over question indices in forked processes.

The learner's searches for one question (steps 1, 2 and 5) and its parse-and-verify pass (step 4)
do not depend on any other question, so :func:`fork_map` runs such a pass in ``workers``
processes forked from the learner: each
inherits the examples, the grammar and the scoring table as they are at the fork (nothing is
pickled but the indices and the results), runs ``task(i)`` for a contiguous span of indices and
sends the results back in order. The result is the list ``[task(i) for i in range(n)]``,
whatever the number of workers. Where ``fork`` is not available (Windows, macOS's default), with
one worker, or for a short pass, it runs in this process.

The programs run here are the learner's own enumerated candidates, evaluated with the DSL's
primitives (as in one process); nothing a model emitted is executed.

Example:
    >>> squares = fork_map(lambda i: i * i, 1000, workers=2, chunk=100)
    >>> squares[:4], len(squares)
    ([0, 1, 4, 9], 1000)
"""

from __future__ import annotations

import multiprocessing
from typing import Callable, TypeVar

T = TypeVar("T")

_TASK: Callable[[int], object] | None = None  # the task of the pass in progress (inherited by the forked workers)


def _run_span(span: tuple[int, int]) -> list[object]:
    assert _TASK is not None
    return [_TASK(i) for i in range(*span)]


def can_fork() -> bool:
    """Whether this platform can fork worker processes."""
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(task: Callable[[int], T], n: int, workers: int = 1, chunk: int | None = None,
             progress: Callable[[int], None] | None = None) -> list[T]:
    """``[task(i) for i in range(n)]``, computed by ``workers`` forked processes.

    Args:
        task: Computes one index's result; it and everything it reads are inherited, not pickled
            (its results are pickled back).
        n: Number of indices.
        workers: Processes (1: this process).
        chunk: Indices per piece of work; two pieces at least before workers are started (default:
            about eight pieces per worker, at most 50 indices each, so progress comes often and a
            slow question does not hold a worker's whole share).
        progress: Called with the number of indices done so far, now and then.

    Returns:
        The results, in index order.
    """
    global _TASK
    chunk = chunk or max(1, min(50, n // (8 * workers)))
    spans = [(start, min(n, start + chunk)) for start in range(0, n, chunk)]
    if workers <= 1 or len(spans) < 2 or not can_fork():
        out = []
        for start, stop in spans:
            out.extend(task(i) for i in range(start, stop))
            if progress:
                progress(stop)
        return out
    _TASK = task
    try:
        out = []
        with multiprocessing.get_context("fork").Pool(min(workers, len(spans))) as pool:
            for part in pool.imap(_run_span, spans):
                out.extend(part)
                if progress:
                    progress(len(out))
        return out  # type: ignore[return-value]
    finally:
        _TASK = None
