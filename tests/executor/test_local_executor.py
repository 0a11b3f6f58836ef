"""The local sandboxed pool: isolation, limits, crash recovery, caching, ordering."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from nesy.budget import Budget
from nesy.errors import NesyError
from nesy.executor import Job, LocalExecutor, MemoryCache
from nesy.registry import get_solver
from nesy.solver import BaseSolver
from nesy.testing import EchoSolver, MisbehavingSolver, SlowLoadingSolver
from nesy.verdict import Status, Verdict

BUDGET = Budget(wall_seconds=1.0, memory_mb=256)
M = MisbehavingSolver()


@pytest.fixture(scope="module")
def pool():
    with LocalExecutor(workers=2) as executor:
        yield executor


def run_one(pool, program, budget=BUDGET):
    started = time.monotonic()
    verdict = pool.map([Job(M, program, budget=budget)])[0]
    return verdict, time.monotonic() - started


def test_results_keep_job_order(pool):
    jobs = [Job(EchoSolver(), f"item {i}") for i in range(300)]
    assert [v.value for v in pool.map(jobs)] == [f"item {i}" for i in range(300)]


def test_soft_timeout_inside_python(pool):
    verdict, elapsed = run_one(pool, "sleep 10")
    assert verdict.status is Status.TIMEOUT
    assert elapsed < 2 * BUDGET.wall_seconds


def test_hard_kill_when_the_solver_ignores_the_alarm(pool):
    restarts = pool.restarts
    verdict, elapsed = run_one(pool, "hang 10")
    assert verdict.status is Status.TIMEOUT
    assert "killed" in verdict.message
    assert elapsed < 2 * BUDGET.wall_seconds
    assert pool.restarts == restarts + 1
    assert run_one(pool, "echo still serving")[0].value == "still serving"


@pytest.mark.parametrize("program", ["crash", "abort"])
def test_worker_crash_is_an_error_verdict_and_the_pool_recovers(pool, program):
    verdict, _ = run_one(pool, program)
    assert verdict.status is Status.ERROR
    assert "worker died" in verdict.message
    assert run_one(pool, "echo after crash")[0].status is Status.OK


def test_memory_limit_gives_memout_then_normal_work_continues(pool):
    assert run_one(pool, "alloc 2000")[0].status is Status.MEMOUT
    assert run_one(pool, "alloc 20")[0].value == 20 * 1024 * 1024


def test_a_crash_mid_chunk_loses_no_other_job():
    with LocalExecutor(workers=1, chunk_size=8, cache=False) as one:
        programs = ["echo a", "echo b", "crash", "echo c", "hang 5", "echo d"]
        verdicts = one.map([Job(M, p, budget=BUDGET) for p in programs])
    assert [v.status for v in verdicts] == [Status.OK, Status.OK, Status.ERROR, Status.OK, Status.TIMEOUT, Status.OK]
    assert [v.value for v in verdicts if v.status is Status.OK] == ["a", "b", "c", "d"]


def test_a_hang_in_a_worker_holding_two_chunks_loses_no_job():
    # with 40 jobs in chunks of 4 the worker holds a second chunk in its socket while it runs the first
    programs = [f"echo {i}" for i in range(40)]
    programs[5], programs[22] = "hang 5", "crash"
    with LocalExecutor(workers=1, chunk_size=4, cache=False) as one:
        verdicts = one.map([Job(M, p, budget=BUDGET) for p in programs])
    statuses = [v.status for v in verdicts]
    assert statuses[5] is Status.TIMEOUT and statuses[22] is Status.ERROR
    assert [v.value for i, v in enumerate(verdicts) if i not in (5, 22)] == [str(i) for i in range(40) if i not in (5, 22)]


def test_chunks_too_large_to_wait_in_a_socket_are_sent_one_at_a_time():
    padding = " " * 40_000  # four of these make a chunk over the size sent ahead
    jobs = [Job(EchoSolver(), f"item {i}{padding}") for i in range(24)]
    with LocalExecutor(workers=2, chunk_size=4, cache=False) as two:
        values = [v.value for v in two.map(jobs)]
    assert values == [f"item {i}{padding}" for i in range(24)]


def test_loading_a_slow_solver_does_not_count_against_its_first_task():
    # the first chunk ships the solver (1.5 s to unpickle, past the 0.75 s hard limit of a task);
    # a later chunk, with nothing new to load, runs under the plain task limit again
    jobs = [Job(SlowLoadingSolver(1.5), f"item {i}", budget=Budget(wall_seconds=0.5)) for i in range(6)]
    with LocalExecutor(workers=1, chunk_size=2, cache=False) as one:
        assert [v.status for v in one.map(jobs)] == [Status.OK] * 6
        assert one.restarts == 0
        later = one.map([Job(M, "echo fine", budget=BUDGET), Job(M, "hang 5", budget=Budget(wall_seconds=0.5))])
    assert [v.status for v in later] == [Status.OK, Status.TIMEOUT]


def test_a_worker_that_dies_while_idle_is_replaced_and_the_batch_completes():
    with LocalExecutor(workers=2, cache=False) as two:
        two.map([Job(EchoSolver(), str(i)) for i in range(8)])
        two._workers[1].process.kill()
        two._workers[1].process.wait()
        started = time.monotonic()
        values = [v.value for v in two.map([Job(M, "sleep 0.3", budget=BUDGET)] + [Job(EchoSolver(), str(i)) for i in range(50)])]
        assert values == ["sleep"] + [str(i) for i in range(50)]
        assert time.monotonic() - started < 5
        assert two.restarts == 1 and all(w.process.poll() is None for w in two._workers)


def test_workers_have_no_network(pool):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    threading.Thread(target=lambda: server.accept(), daemon=True).start()
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass  # the test process can connect...
    verdict, _ = run_one(pool, f"connect 127.0.0.1:{port}")
    server.close()
    assert verdict.status is Status.ERROR  # ...a solver worker cannot
    assert pool.isolation() in ("network namespace", "socket guard")


def test_workers_cannot_write_files(pool, tmp_path):
    target = tmp_path / "out.txt"
    verdict, _ = run_one(pool, f"write {target}")
    assert verdict.status is Status.ERROR
    assert not target.exists() or target.stat().st_size == 0


def test_identical_checks_are_paid_once():
    cache = MemoryCache()
    with LocalExecutor(workers=2, cache=cache) as executor:
        first = executor.map([Job(M, "pid"), Job(M, "pid"), Job(M, "sleep 0.3")])
        started = time.monotonic()
        again = executor.map([Job(M, "sleep 0.3")])[0]
        assert time.monotonic() - started < 0.3
    assert first[1].stats.get("cached") == 1.0 and first[0].value == first[1].value
    assert again.stats.get("cached") == 1.0 and again.status is first[2].status
    assert len(cache) == 2


def test_identical_jobs_run_once_with_a_cache_and_each_time_without_one():
    dsl = get_solver("dsl")
    jobs = [Job(dsl, "add(x, 1)", {"x": x}) for x in (1, 2, 1, 2, 3)] + [Job(dsl, "add(x, 1)", {"x": 1}, "check", 2)]
    with LocalExecutor(workers=2, chunk_size=1) as cached, LocalExecutor(workers=2, cache=False, chunk_size=1) as plain:
        once, each = cached.map(jobs), plain.map(jobs)
    for verdicts in (once, each):
        assert [v.value for v in verdicts[:5]] == [2, 3, 2, 3, 4] and verdicts[5].status is Status.OK
    assert [v.stats.get("cached") for v in once] == [None, None, 1.0, 1.0, None, None]
    assert [v.stats.get("cached") for v in each] == [None] * 6


def test_cached_repeated_and_new_jobs_mixed_in_one_large_batch():
    cache = MemoryCache()
    with LocalExecutor(workers=2, cache=cache, chunk_size=4) as executor:
        executor.map([Job(M, f"echo {i}") for i in range(0, 40, 2)])  # the even ones are cached now
        programs = [f"echo {i % 50}" for i in range(200)]  # odd ones new, each repeated up to 4 times
        verdicts = executor.map([Job(M, p) for p in programs])
        assert [v.value for v in verdicts] == [p.split()[1] for p in programs]
        assert sum(v.stats.get("cached") != 1.0 for v in verdicts) == 30  # 50 distinct, 20 of them cached
        again = executor.map([Job(M, p) for p in programs[:50]])  # all cached: no worker gets anything
    assert all(v.stats.get("cached") == 1.0 for v in again) and len(cache) == 50


def test_a_callback_that_raises_mid_batch_leaves_the_pool_usable():
    def stop_at_three(done, total):
        if done == 3:
            raise KeyboardInterrupt

    with LocalExecutor(workers=1, chunk_size=2, cache=False) as executor:
        with pytest.raises(KeyboardInterrupt):
            executor.map([Job(M, f"echo {i}") for i in range(40)], progress=stop_at_three)
        again = executor.map([Job(M, f"echo {i}") for i in range(100, 110)])
    assert [v.value for v in again] == [str(i) for i in range(100, 110)]


def test_budget_is_part_of_the_cache_key(pool):
    short = pool.map([Job(M, "sleep 0.4", budget=Budget(wall_seconds=0.2))])[0]
    longer = pool.map([Job(M, "sleep 0.4", budget=Budget(wall_seconds=2.0))])[0]
    assert short.status is Status.TIMEOUT and longer.status is Status.OK


def test_check_mode_through_the_pool(pool):
    ok, mismatch = pool.map([Job(M, "echo 7", mode="check", expected="7"), Job(M, "echo 7", mode="check", expected="8")])
    assert ok.status is Status.OK and mismatch.status is Status.MISMATCH


class _Unpicklable(BaseSolver):
    name, languages, version = "unpicklable", ("text",), "1"

    def __init__(self):
        self.fn = lambda x: x

    def execute(self, program, input, budget):
        return Verdict(Status.OK, self.fn(program))


def test_a_verdict_that_cannot_be_sent_back_is_an_error_and_the_others_arrive(pool):
    unsendable, echo = pool.map([Job(M, "unsendable"), Job(M, "echo 5")])
    assert unsendable.status is Status.ERROR and "could not be sent back" in unsendable.message
    assert echo.status is Status.OK and echo.value == "5"


class _NotAVerdict:
    def check(self, program, input, expected, budget):
        return "ok"


def test_a_solver_returning_something_else_than_a_verdict_gets_an_error_verdict():
    from nesy.executor.isolation import MemoryCap
    from nesy.executor.worker import _run_task

    cap = MemoryCap()
    try:
        verdict = Verdict.unpacked(_run_task({"s": _NotAVerdict()}, {}, (0, "s", "check", "p", None, None, BUDGET), cap))
    finally:
        cap.lift()  # the cap would otherwise stay on this test process
    assert verdict.status is Status.ERROR and "not a Verdict" in verdict.message


def test_a_solver_that_cannot_be_shipped_is_a_clear_error(pool):
    with pytest.raises(NesyError, match="cannot be sent to worker processes"):
        pool.map([Job(_Unpicklable(), "x")])


def test_progress_is_reported(pool):
    seen = []
    pool.map([Job(EchoSolver(), str(i)) for i in range(50)], progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (50, 50)


def test_bad_worker_count():
    with pytest.raises(NesyError):
        LocalExecutor(workers=0)


def test_huge_integer_inputs_still_have_a_cache_key():
    key = Job(EchoSolver(), "x", input={"n": 10**6000}).key()
    assert key != Job(EchoSolver(), "x", input={"n": 10**6000 + 1}).key()
