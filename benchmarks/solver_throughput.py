"""``nesy bench solvers``: verified small programs per second per backend, nesy against the library.

For each backend the same n small problems are solved six ways, all in this run:

* ``direct``: the solver library called directly in this process (no nesy at all);
* ``direct_one`` / ``direct_all``: the library directly in one fresh process, and split over as many
  fresh processes as the pool has workers (no nesy; :mod:`~nesy.benchmarks.direct_parallel`): how far
  this machine lets throughput grow;
* ``inprocess``: nesy's backend ``check`` in this process (parsing, allow-lists, verdicts; no sandbox);
* ``pool_1``: nesy's sandboxed pool with one worker, batched;
* ``pool_all``: the pool with one worker per core (or ``--workers``).

Reported ratios: ``overhead`` = pool_1 time / direct time (same number of cores: the price of
nesy's safety, goal at most 1.3), ``scaling`` = pool_1 time / pool_all time (goal: near the
number of workers), ``scaling_direct`` = direct_one time / direct_all time (the library's own
scaling on this machine, the ceiling for nesy's; both in fresh processes, since a long-lived
process can run a library slower), ``overhead_all_cores`` = pool_all time / direct_all time.
``accuracy`` is the share of nesy verdicts that are ``ok`` against the known answers.
``parent_cpu_us_1`` / ``parent_cpu_us_all``: this process's CPU time per result while the pool runs
(scheduling, receiving and reading verdicts), which on a machine with as many workers as cores comes
out of the workers' time.

Before the clock starts, this process and each pool solve a tenth as many other programs of the
same kind (another seed), so that no way pays for cold library caches the others have warmed.
"""

from __future__ import annotations

import os
import time
from typing import Any, Callable

from nesy.benchmarks.direct_parallel import direct_in_processes
from nesy.benchmarks.solver_workloads import WORKLOADS, Workload
from nesy.budget import Budget
from nesy.executor import Job, LocalExecutor
from nesy.progress import Progress
from nesy.registry import get_solver
from nesy.suites import BenchConfig
from nesy.verdict import Status

DEFAULT_N = {"dsl": 20000, "sympy": 600, "z3": 3000, "clingo": 3000}
BUDGET = Budget(wall_seconds=10.0, memory_mb=1024)


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - started


def _jobs(solver: Any, workload: Workload) -> list[Job]:
    return [Job(solver, p, i, "check", e, BUDGET) for p, i, e in zip(workload.programs, workload.inputs, workload.expected)]


def _measure_backend(workload: Workload, warm: Workload, workers: int, progress: Progress, seeds: tuple[int, int]) -> dict[str, Any]:
    """Time the six ways on ``workload`` (drawn with ``seeds[0]``); each first solves ``warm``
    (other programs of the same kind, ``seeds[1]``) untimed, so that every way starts with the same
    warm library caches (SymPy's, z3's)."""
    solver = get_solver(workload.backend)
    n = len(workload.programs)
    jobs = _jobs(solver, workload)
    warm_jobs = _jobs(solver, warm)
    for i in range(len(warm.programs)):  # warms this process for both the direct and in-process runs
        warm.direct(i)
        solver.check(warm_jobs[i].program, warm_jobs[i].input, warm_jobs[i].expected, BUDGET)
    advance = progress.task(f"{workload.backend}: direct + in-process", total=2 * n)

    def direct() -> int:
        correct = 0
        for i in range(n):
            correct += workload.direct(i) == workload.expected[i]
            advance(1)
        return correct

    def inprocess() -> int:
        correct = 0
        for job in jobs:
            correct += solver.check(job.program, job.input, job.expected, BUDGET).status is Status.OK
            advance(1)
        return correct

    direct_correct, direct_s = _timed(direct)
    _, inprocess_s = _timed(inprocess)
    _, direct_one_s = direct_in_processes(workload.backend, n, seeds[0], len(warm.programs), seeds[1], 1)
    direct_all_correct, direct_all_s = direct_in_processes(workload.backend, n, seeds[0], len(warm.programs), seeds[1], workers)
    timings: dict[str, float] = {}
    parent_cpu: dict[str, float] = {}
    verdicts = []
    for label, count in (("pool_1", 1), ("pool_all", workers)):
        with LocalExecutor(workers=count, cache=False) as pool:
            pool.map(warm_jobs)  # start the workers and warm them, outside the clock
            bar = progress.task(f"{workload.backend}: sandboxed pool, {count} worker(s)", total=n)
            last = [0]

            def report(done: int, total: int) -> None:
                bar(done - last[0])
                last[0] = done

            cpu = time.process_time()
            verdicts, timings[label] = _timed(lambda: pool.map(jobs, progress=report))
            parent_cpu[label] = time.process_time() - cpu
    ok = sum(v.status is Status.OK for v in verdicts)
    return {
        "n": n,
        "verified": ok,
        "direct_correct": direct_correct,
        "direct_all_correct": direct_all_correct,
        "direct_per_s": n / direct_s,
        "direct_one_per_s": n / direct_one_s,
        "direct_all_per_s": n / direct_all_s,
        "inprocess_per_s": n / inprocess_s,
        "pool_1_per_s": n / timings["pool_1"],
        "pool_all_per_s": n / timings["pool_all"],
        "workers": workers,
        "parent_cpu_us_1": 1e6 * parent_cpu["pool_1"] / n,
        "parent_cpu_us_all": 1e6 * parent_cpu["pool_all"] / n,
        "overhead": timings["pool_1"] / direct_s,
        "overhead_inprocess": inprocess_s / direct_s,
        "scaling": timings["pool_1"] / timings["pool_all"],
        "scaling_direct": direct_one_s / direct_all_s,
        "overhead_all_cores": timings["pool_all"] / direct_all_s,
    }


def _incremental_z3(quick: bool) -> dict[str, float]:
    from nesy.solvers.z3_incremental import incremental_vs_fresh

    n = 50 if quick else 400
    incremental_s, fresh_s = incremental_vs_fresh(n)
    return {"checks": n, "incremental_s": incremental_s, "fresh_s": fresh_s, "speedup": fresh_s / incremental_s}


class SolverThroughputSuite:
    """Throughput of verified small programs per backend through nesy vs the libraries directly."""

    name = "solvers"
    description = "verified small programs/s per backend: sandboxed nesy vs the solver library directly"
    splits = ("all", "dsl", "sympy", "z3", "clingo")

    def run(self, config: BenchConfig, progress: Progress) -> dict[str, Any]:
        backends = list(WORKLOADS) if config.split == "all" else [config.split]
        workers = config.workers or os.cpu_count() or 1
        scale = float(config.options.get("scale", 0.05 if config.quick else 1.0))
        started = time.perf_counter()
        per_backend = {}
        for offset, backend in enumerate(backends):
            n = max(8, int(DEFAULT_N[backend] * scale))
            seeds = (config.seed + offset, config.seed + offset + 1000)
            workload = WORKLOADS[backend](n, seeds[0])
            warm = WORKLOADS[backend](max(4, n // 10), seeds[1])
            per_backend[backend] = _measure_backend(workload, warm, workers, progress, seeds)
        total = sum(r["n"] for r in per_backend.values())
        verified = sum(r["verified"] for r in per_backend.values())
        results: dict[str, Any] = {
            "accuracy": verified / total,
            "n_train": 0,
            "n_test": total,
            "train_seconds": 0.0,
            "eval_seconds": time.perf_counter() - started,
            "cpu_count": os.cpu_count(),
            "backends": per_backend,
            "summary": [
                (f"{b}", f"{r['pool_all_per_s']:.0f}/s all cores, {r['direct_per_s']:.0f}/s direct, "
                 f"overhead {r['overhead']:.2f}x, scaling {r['scaling']:.2f}x (the library alone: {r['scaling_direct']:.2f}x), "
                 f"parent CPU {r['parent_cpu_us_all']:.1f} µs/result")
                for b, r in per_backend.items()
            ],
        }
        if "z3" in backends:
            results["z3_incremental"] = _incremental_z3(config.quick)
            results["summary"].append(("z3 incremental", f"{results['z3_incremental']['speedup']:.1f}x faster than fresh solvers"))
        results["plots"] = [
            {
                "name": "throughput",
                "title": "verified programs per second",
                "xlabel": "backend index: " + ", ".join(per_backend),
                "ylabel": "programs/s",
                "x": list(range(len(per_backend))),
                "series": {
                    key: [r[f"{key}_per_s"] for r in per_backend.values()]
                    for key in ("direct", "direct_all", "inprocess", "pool_1", "pool_all")
                },
            }
        ]
        return results
