"""TraceStore across processes: concurrent writers, and a writer killed with SIGKILL mid-write."""

from __future__ import annotations

import multiprocessing
import os
import runpy
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from nesy.traces import FILENAME, Trace, TraceStore

WRITER = textwrap.dedent(
    """
    import sys
    from nesy.traces import Trace, TraceStore
    from nesy.verdict import Status, Verdict


    def make(worker, i, size=40):
        return Trace(f"w{worker}-t{i}", {"i": i}, f"prog-{i} " + "x" * size, "dsl", "1.0",
                     Verdict(Status.OK if i % 3 else Status.MISMATCH, i), round=worker)


    def concurrent(path, worker, count, batch, barrier):
        barrier.wait(timeout=60)  # all four start together, so creation and writes really race
        with TraceStore(path) as store:  # every process opens (and may race to create) the store itself
            for start in range(0, count, batch):
                store.add_many(make(worker, i) for i in range(start, start + batch))
                if start % (4 * batch) == 0:
                    store.put_verdict(f"w{worker}-{start}", Verdict(Status.OK, start))


    def until_killed(path, progress, synchronous):
        committed = 0
        with TraceStore(path, synchronous=synchronous) as store, open(progress, "a") as report:
            while True:
                store.add_many(make(0, i, size=3000) for i in range(committed, committed + 10))
                committed += 10
                report.write(f"{committed}\\n")  # reported only after the commit returned
                report.flush()


    if ARGS[0] == "concurrent":
        concurrent(*ARGS[1:])
    else:
        until_killed(*ARGS[1:])
    """
)


@pytest.fixture
def writer_script(tmp_path):
    path = tmp_path / "writer.py"
    path.write_text(WRITER)
    return str(path)


def test_four_processes_write_concurrently(tmp_path, writer_script):
    db = str(tmp_path / FILENAME)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(4)
    procs = [
        ctx.Process(target=runpy.run_path, args=(writer_script,), kwargs={
            "init_globals": {"ARGS": ("concurrent", db, worker, 200, 5, barrier)}, "run_name": "nesy_writer"})
        for worker in range(4)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    assert [proc.exitcode for proc in procs] == [0, 0, 0, 0]
    with TraceStore(db, create=False) as store:
        assert store.integrity_check() == "ok"
        assert len(store) == 800
        stats = store.stats()
        assert stats["by_round"] == {0: 200, 1: 200, 2: 200, 3: 200}
        assert stats["tasks"] == 800
        assert stats["cached_verdicts"] == 4 * 10
        for worker in range(4):
            tasks = {t.task_id for t in store.query(round=worker)}
            assert tasks == {f"w{worker}-t{i}" for i in range(200)}


def _reported(progress):
    lines = progress.read_text().splitlines() if progress.exists() else []
    complete = [line for line in lines if line.strip().isdigit()]
    return int(complete[-1]) if complete else 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("synchronous", ["NORMAL", "FULL"])
def test_committed_traces_survive_kill_9(tmp_path, writer_script, synchronous):
    db = tmp_path / FILENAME
    progress = tmp_path / "progress.txt"
    code = f"import runpy; runpy.run_path({writer_script!r}, init_globals={{'ARGS': ('kill', {str(db)!r}, " \
           f"{str(progress)!r}, {synchronous!r})}})"
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 60
        while _reported(progress) < 200 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the writer died before it was killed"
        assert _reported(progress) >= 200, "the writer made no progress"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    reported = _reported(progress)
    with TraceStore(db, create=False) as store:
        assert store.integrity_check() == "ok"
        tasks = {t.task_id for t in store.query()}
        assert len(tasks) >= reported
        assert {f"w0-t{i}" for i in range(reported)} <= tasks
        # The run can go on where it stopped.
        assert store.add(Trace("after", 1, "p", "dsl", "1.0", store.get(next(store.query()).trace_id).verdict))


def _child_adds(store, done):
    store.add(Trace("child", 1, "from the child", "dsl", "1.0", next(store.query()).verdict))
    done.put(os.getpid())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_store_used_after_fork_reconnects_in_the_child(tmp_path):
    from nesy.verdict import Status, Verdict

    with TraceStore.for_run(tmp_path) as store:
        store.add(Trace("parent", 1, "from the parent", "dsl", "1.0", Verdict(Status.OK, 1)))
        ctx = multiprocessing.get_context("fork")
        done = ctx.Queue()
        child = ctx.Process(target=_child_adds, args=(store, done))
        child.start()
        child_pid = done.get(timeout=60)
        child.join(timeout=60)
        assert child.exitcode == 0 and child_pid != os.getpid()
        # The parent's own connection still works after the child exited.
        assert store.add(Trace("parent", 1, "again", "dsl", "1.0", Verdict(Status.OK, 1)))
        assert sorted(t.task_id for t in store.query()) == ["child", "parent", "parent"]
        assert store.integrity_check() == "ok"
