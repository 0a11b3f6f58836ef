"""How many programs per second a proposer produces at a given batch size.

For each batch size ``b`` the inputs are proposed ``b`` at a time (one ``propose`` call per
chunk), after one untimed warm-up call. Throughput counts requested candidates: ``len(inputs) * k``
per pass, divided by the wall time; duplicates merged by sampling still count, since they were
generated. Best of ``repeats`` passes.

Example:
    >>> class Echo:
    ...     def propose(self, inputs, k, *, sample=True, temperature=1.0):
    ...         return [[] for _ in inputs]
    >>> sorted(measure_throughput(Echo(), ["a", "b"], k=2, batch_sizes=(1, 2)))
    [1, 2]
"""

from __future__ import annotations

import logging
import time
from typing import Sequence

from nesy.errors import NesyError
from nesy.proposer.protocol import Proposer

log = logging.getLogger(__name__)


def measure_throughput(
    proposer: Proposer,
    inputs: Sequence[str],
    k: int,
    batch_sizes: Sequence[int] = (1, 64),
    *,
    sample: bool = True,
    temperature: float = 1.0,
    repeats: int = 1,
) -> dict[int, float]:
    """Programs per second for each batch size.

    Args:
        proposer: Anything with ``propose(inputs, k, sample=, temperature=)``.
        inputs: Input texts (the same ones for every batch size).
        k: Candidates per input.
        batch_sizes: Inputs per ``propose`` call.
        sample: Sampling (True) or beam search (False).
        temperature: Sampling temperature.
        repeats: Timed passes per batch size; the fastest counts.

    Returns:
        ``{batch_size: programs_per_second}``.
    """
    if not inputs:
        raise NesyError("measure_throughput needs at least one input")
    results: dict[int, float] = {}
    for size in batch_sizes:
        if size < 1:
            raise NesyError(f"batch sizes must be positive, got {size}")
        proposer.propose(list(inputs[:size]), k, sample=sample, temperature=temperature)  # warm-up
        best = float("inf")
        for _ in range(max(1, repeats)):
            started = time.perf_counter()
            for start in range(0, len(inputs), size):
                proposer.propose(list(inputs[start : start + size]), k, sample=sample, temperature=temperature)
            best = min(best, time.perf_counter() - started)
        results[size] = len(inputs) * k / max(best, 1e-9)
        log.info("batch %d: %.1f programs/s", size, results[size])
    return results
