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

A sequential pass whose later items depend on what an earlier one changes (step 6's perceptron
updates the weights the next question is parsed with) can still run ahead: :func:`fork_scan`
computes the items in forked workers as things stand now and stops at the first item that will
change them, so its caller gets exactly what its own loop would have computed up to there.

Example:
    >>> squares = fork_map(lambda i: i * i, 1000, workers=2, chunk=100)
    >>> squares[:4], len(squares)
    ([0, 1, 4, 9], 1000)
    >>> fork_scan(lambda i: i * i, 1000, stop=lambda square: square > 50, workers=2, chunk=4)
    [0, 1, 4, 9, 16, 25, 36, 49, 64]
"""

from __future__ import annotations

import gc
import multiprocessing
from contextlib import closing
from typing import Callable, Iterator, TypeVar

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
    out: list[T] = []
    for part in _parts(task, n, workers, chunk or max(1, min(50, n // (8 * workers)))):
        out.extend(part)
        if progress:
            progress(len(out))
    return out


def fork_scan(task: Callable[[int], T], n: int, stop: Callable[[T], bool], workers: int = 1, chunk: int = 8) -> list[T]:
    """``task(0), task(1), ...`` up to and including the first result for which ``stop`` is true (all ``n``
    if none is): what a loop that breaks there computes.

    With several workers the tasks run ahead in processes forked now (each sees everything as it
    is at this call, as :func:`fork_map`'s do), ``chunk`` indices at a time, and the results are
    read in index order; the work done past the stopping result is dropped. So a caller whose
    loop changes its state only at stopping results gets, from each call, exactly what its own
    loop would have computed, and calls again after the change.

    Args:
        task: Computes one index's result (inherited by the workers, not pickled; results are).
        n: Number of indices.
        stop: Whether a result ends the scan (it is included).
        workers: Processes (1: this process, one index at a time).
        chunk: Indices per piece of work sent to a worker.

    Returns:
        The results up to the first stopping one.
    """
    here = workers <= 1 or n <= chunk or not can_fork()  # then one index at a time: nothing past the stop is computed
    parts = _parts(task, n, 1 if here else workers, 1 if here else chunk)
    with closing(parts):  # leaving it ends the workers
        out: list[T] = []
        for part in parts:
            for result in part:
                out.append(result)
                if stop(result):
                    return out
        return out


def _parts(task: Callable[[int], T], n: int, workers: int, chunk: int) -> Iterator[list[T]]:
    """The results of ``chunk`` indices at a time, in index order: from ``workers`` processes forked at the
    first step, or computed here when each part is asked for (one worker, one part, no ``fork``)."""
    global _TASK
    spans = [(start, min(n, start + chunk)) for start in range(0, n, chunk)]
    if workers <= 1 or len(spans) < 2 or not can_fork():
        for start, stop in spans:
            yield [task(i) for i in range(start, stop)]
        return
    _TASK = task
    gc.freeze()  # the inherited objects stay out of the workers' collections, which would otherwise write to (copy) every page
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(spans))) as pool:
            yield from pool.imap(_run_span, spans)  # type: ignore[misc]
    finally:
        gc.unfreeze()
        _TASK = None
