"""The solver libraries alone in several processes: the machine's own scaling, beside nesy's.

``nesy bench solvers`` reports how nesy's throughput grows from one worker to all of them. How
far that *can* grow depends on the machine as much as on nesy (shared caches, memory bandwidth,
virtual cores), so the same problems are also solved by the library directly in ``workers``
fresh processes with no nesy at all, started and warmed before the clock starts and released
together. nesy's scaling is then read against this one, measured in the same run.

Example:
    >>> correct, seconds = direct_in_processes("dsl", 40, seed=0, warm_n=4, warm_seed=1, workers=2)
    >>> correct, seconds > 0
    (40, True)
"""

from __future__ import annotations

import subprocess
import sys
import time

from nesy.benchmarks.solver_workloads import WORKLOADS
from nesy.errors import NesyError


def direct_in_processes(backend: str, n: int, seed: int, warm_n: int, warm_seed: int, workers: int) -> tuple[int, float]:
    """Solve workload ``(backend, n, seed)`` directly, split over ``workers`` processes.

    Each process draws the same workload (workloads are seeded), solves the warm-up workload
    ``(backend, warm_n, warm_seed)`` untimed, then every ``workers``-th problem once all are ready.

    Returns:
        How many answers matched the expected ones, and the seconds from the start signal until
        the last process finished.
    """
    code = "from nesy.benchmarks.direct_parallel import _part; _part({!r}, {}, {}, {}, {}, {}, {})"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code.format(backend, n, seed, warm_n, warm_seed, part, workers)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for part in range(workers)
    ]
    try:
        for process in processes:
            _expect(process, "ready")
        started = time.perf_counter()
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        correct = sum(int(_expect(process, None)) for process in processes)
        return correct, time.perf_counter() - started
    finally:
        for process in processes:
            process.kill()
            process.wait()


def _expect(process: subprocess.Popen, word: str | None) -> str:
    line = process.stdout.readline().strip()
    if not line or (word is not None and line != word):
        process.kill()
        raise NesyError(f"direct solver process failed: {process.stderr.read().strip()[-500:] or 'no output'}")
    return line


def _part(backend: str, n: int, seed: int, warm_n: int, warm_seed: int, part: int, parts: int) -> None:
    """One process's share (run by :func:`direct_in_processes`)."""
    workload, warm = WORKLOADS[backend](n, seed), WORKLOADS[backend](warm_n, warm_seed)
    for i in range(len(warm.programs)):
        warm.direct(i)
    print("ready", flush=True)
    sys.stdin.readline()
    correct = sum(workload.direct(i) == workload.expected[i] for i in range(part, n, parts))
    print(correct, flush=True)
