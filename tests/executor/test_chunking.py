"""Chunk sizes of the local pool: by the batch's measured pace, within the share and the cap."""

from __future__ import annotations

from nesy.executor import Job, LocalExecutor
from nesy.executor.chunking import FIRST_CHUNK, MAX_CHUNK, ChunkSizer
from nesy.registry import get_solver
from nesy.verdict import Status


def test_before_any_result_a_chunk_is_small_and_at_most_a_quarter_of_a_workers_share():
    assert ChunkSizer(jobs=100_000, workers=2).size == FIRST_CHUNK
    assert ChunkSizer(jobs=80, workers=2).size == 10
    assert ChunkSizer(jobs=3, workers=4).size == 1


def test_fast_tasks_make_chunks_of_about_the_target_time_up_to_the_cap():
    sizer = ChunkSizer(jobs=100_000, workers=2, target_seconds=0.02)
    sizer.observe(count=FIRST_CHUNK - 1, seconds=0.001)
    assert sizer.size == FIRST_CHUNK  # too few results to judge the pace
    sizer.observe(count=1, seconds=(FIRST_CHUNK * 1e-4) - 0.001)
    assert sizer.size == 200  # 100 µs a task: 200 tasks take 20 ms
    sizer.observe(count=10_000, seconds=0.0)
    assert sizer.size == MAX_CHUNK
    small = ChunkSizer(jobs=1_000, workers=2)
    small.observe(count=500, seconds=0.0005)
    assert small.size == 125  # the cap of a quarter of a worker's share


def test_slow_tasks_go_one_at_a_time_and_a_fixed_size_is_kept():
    sizer = ChunkSizer(jobs=10_000, workers=2)
    sizer.observe(count=100, seconds=100 * 0.05)
    assert sizer.size == 1
    fixed = ChunkSizer(jobs=10_000, workers=2, fixed=8)
    fixed.observe(count=1_000, seconds=0.001)
    assert fixed.size == 8


def test_the_pool_grows_its_chunks_for_fast_checks_and_answers_every_one(monkeypatch):
    sent: list[int] = []
    original = LocalExecutor._send_chunk

    def counting(self, worker, pending, size):
        tasks = min(size, len(pending))
        if original(self, worker, pending, size):
            sent.append(tasks)
            return True
        return False

    monkeypatch.setattr(LocalExecutor, "_send_chunk", counting)
    dsl = get_solver("dsl")
    jobs = [Job(dsl, f"add(x, {i})", {"x": 1}, "check", i + 1) for i in range(4_000)]
    with LocalExecutor(workers=1, cache=False) as pool:
        verdicts = pool.map(jobs)
    assert [v.status for v in verdicts] == [Status.OK] * len(jobs)
    assert sent[0] == FIRST_CHUNK
    assert max(sent) > FIRST_CHUNK
    assert sum(sent) == len(jobs)
