"""The Ray executor on a local Ray instance: same sandbox, same verdicts as the local pool."""

from __future__ import annotations

import pytest

from nesy.budget import Budget
from nesy.executor import Job, make_executor
from nesy.testing import MisbehavingSolver
from nesy.verdict import Status

ray = pytest.importorskip("ray", reason="the Ray executor is an optional extra: pip install 'nesy[ray]'")


def test_ray_executor_runs_sandboxed_jobs_and_survives_misbehaviour():
    solver = MisbehavingSolver()
    budget = Budget(wall_seconds=1.0, memory_mb=256)
    programs = ["echo a", "hang 10", "crash", "alloc 2000", "echo b"] + [f"echo {i}" for i in range(40)]
    with make_executor("ray", num_cpus=2, chunk_size=8) as pool:
        assert pool.isolation() in ("network namespace", "socket guard")
        verdicts = pool.map([Job(solver, p, budget=budget) for p in programs])
        again = pool.map([Job(solver, "echo a", budget=budget)])[0]
    statuses = [v.status for v in verdicts[:5]]
    assert statuses == [Status.OK, Status.TIMEOUT, Status.ERROR, Status.MEMOUT, Status.OK]
    assert [v.value for v in verdicts[5:]] == [str(i) for i in range(40)]
    assert again.stats.get("cached") == 1.0
    assert not ray.is_initialized()
