"""TraceStore in one process: round trip, dedup, queries, stats, verdict cache, bad files, resumption."""

from __future__ import annotations

import pickle
import sqlite3
import threading

import pytest

from nesy.errors import NesyError
from nesy.traces import FILENAME, Origin, Trace, TraceStore
from nesy.verdict import Status, Verdict


def trace(task="t1", program="(+ x 1)", status=Status.OK, value=4, origin=Origin.SAMPLED, round=0, **kw):
    return Trace(task, kw.pop("input", {"x": 3}), program, kw.pop("backend", "dsl"), "1.0",
                 Verdict(status, value, "msg", certificate={"steps": [1, 2]}, stats={"wall_seconds": 0.5}),
                 origin, round, kw.pop("model_version", f"m{round}"), expected=kw.pop("expected", 4), **kw)


@pytest.fixture
def store(tmp_path):
    with TraceStore.for_run(tmp_path / "run") as s:
        yield s


def test_for_run_creates_the_directory_and_file(tmp_path):
    with TraceStore.for_run(tmp_path / "a" / "b") as s:
        assert s.path == tmp_path / "a" / "b" / FILENAME
        assert s.path.is_file()
        assert s.integrity_check() == "ok"
        conn = sqlite3.connect(s.path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()


def test_round_trip_keeps_every_field(store):
    original = trace(input=[1, "two", {"three": 3.5}], budget={"wall_seconds": 2.0}, expected=None, value=None)
    assert store.add(original) is True
    loaded = store.get(original.trace_id)
    assert loaded == original
    assert loaded.verdict.certificate == {"steps": [1, 2]}
    assert loaded.verdict.stats == {"wall_seconds": 0.5}
    assert loaded.trace_id == original.trace_id and loaded.check_key == original.check_key
    assert store.get("nope") is None


def test_same_trace_twice_is_stored_once(store):
    t = trace()
    assert store.add(t) is True
    assert store.add(t) is False
    # Same identity, different timing: still the same trace.
    retimed = Trace(t.task_id, t.input, t.program, t.backend, t.backend_version,
                    Verdict(Status.OK, 4, stats={"wall_seconds": 9.0}), t.origin, t.round, t.model_version, t.expected)
    assert store.add(retimed) is False
    assert store.add_many([t, trace(round=1), trace(round=1)]) == 1
    assert len(store) == 2
    assert store.add_many([]) == 0


def test_query_filters(store):
    store.add_many([
        trace("t1", "a", round=0),
        trace("t1", "b", Status.MISMATCH, 5, round=0),
        trace("t2", "c", round=1, origin=Origin.ABDUCED),
        trace("t2", "d", Status.TIMEOUT, None, round=1),
        trace("t3", "e", round=2, origin=Origin.GOLD, backend="z3"),
    ])
    programs = lambda **kw: [t.program for t in store.query(**kw)]  # noqa: E731
    assert programs() == ["a", "b", "c", "d", "e"]
    assert programs(task_id="t2") == ["c", "d"]
    assert programs(origin="abduced") == ["c"]
    assert programs(origin=Origin.GOLD) == ["e"]
    assert programs(round=1) == ["c", "d"]
    assert programs(status=Status.MISMATCH) == ["b"]
    assert programs(status="timeout") == ["d"]
    assert programs(verified_only=True) == ["a", "c", "e"]
    assert programs(verified_only=True, round=1) == ["c"]
    assert programs(backend="z3") == ["e"]
    assert programs(limit=2) == ["a", "b"]
    assert programs(limit=0) == []
    assert programs(task_id="zzz") == []
    assert store.rounds() == [0, 1, 2]
    with pytest.raises(ValueError):
        list(store.query(origin="dreamed"))


def test_query_pages_through_many_rows(store):
    store.add_many(trace(f"t{i}", f"p{i}") for i in range(1234))
    assert [t.program for t in store.query()] == [f"p{i}" for i in range(1234)]
    assert len(list(store.query(limit=777))) == 777


def test_verified_programs_are_distinct_in_first_seen_order(store):
    store.add_many([trace(program="b", round=0), trace(program="a", round=0), trace(program="b", round=1),
                    trace(program="c", status=Status.MISMATCH, value=1), trace("t2", "z")])
    assert store.verified_programs("t1") == ["b", "a"]
    assert store.verified_programs("none") == []


def test_stats(store):
    store.add_many([
        trace("t1", "a"), trace("t1", "a", round=1), trace("t1", "b", Status.MISMATCH, 5),
        trace("t2", "c", Status.ERROR, None, origin=Origin.ABDUCED, backend="z3"),
    ])
    store.put_verdict("k", Verdict(Status.OK, 1))
    stats = store.stats()
    assert stats["traces"] == 4 and stats["verified"] == 2
    assert stats["tasks"] == 2 and stats["tasks_verified"] == 1
    assert stats["programs"] == 3 and stats["verified_programs"] == 1
    assert stats["cached_verdicts"] == 1
    assert stats["by_status"] == {"error": 1, "mismatch": 1, "ok": 2}
    assert stats["by_origin"] == {"abduced": 1, "sampled": 3}
    assert stats["by_round"] == {0: 3, 1: 1}
    assert stats["by_backend"] == {"dsl": 3, "z3": 1}


def test_verdict_cache_get_put(store):
    assert store.get_verdict("k1") is None
    verdict = Verdict(Status.SAT, {"x": 3}, "sat", certificate={"model": {"x": 3}}, stats={"solver_seconds": 0.1})
    store.put_verdict("k1", verdict)
    assert store.get_verdict("k1") == verdict
    store.put_verdict("k1", Verdict(Status.UNKNOWN))
    assert store.get_verdict("k1").status is Status.UNKNOWN
    store.put_verdicts([("k2", Verdict(Status.OK, 1)), ("k3", Verdict(Status.TIMEOUT))])
    cache = store.as_cache()
    assert cache.get("k3").status is Status.TIMEOUT
    cache.put("k4", Verdict(Status.OK, [1, 2]))
    assert store.get_verdict("k4").value == [1, 2]
    assert store.stats()["cached_verdicts"] == 4


def test_reopen_sees_rows_and_resumes(tmp_path):
    with TraceStore.for_run(tmp_path) as s:
        s.add_many([trace(round=0), trace(round=1)])
        s.put_verdict("k", Verdict(Status.OK, 1))
    with TraceStore.for_run(tmp_path) as s:
        assert len(s) == 2 and s.rounds() == [0, 1]
        assert s.get_verdict("k").value == 1
        assert s.add(trace(round=1)) is False
        assert s.add(trace(round=2)) is True
    with TraceStore(tmp_path / FILENAME, create=False) as s:
        assert s.rounds() == [0, 1, 2]


def test_closed_store_refuses_use(tmp_path):
    s = TraceStore.for_run(tmp_path)
    s.close()
    s.close()
    with pytest.raises(ValueError, match="closed"):
        s.add(trace())


def test_pickled_store_reconnects(tmp_path):
    with TraceStore.for_run(tmp_path) as s:
        s.add(trace())
        clone = pickle.loads(pickle.dumps(s))
        assert clone.path == s.path and len(clone) == 1
        clone.close()


def test_missing_file_without_create(tmp_path):
    with pytest.raises(NesyError, match="no trace store"):
        TraceStore(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()


def test_garbage_file_is_refused(tmp_path):
    bad = tmp_path / "traces.sqlite"
    bad.write_bytes(b"this is not a database\n" * 500)
    with pytest.raises(NesyError, match="not a readable nesy trace store"):
        TraceStore(bad)
    assert bad.read_bytes().startswith(b"this is not")  # left untouched


def test_other_sqlite_file_is_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(NesyError, match="not a nesy trace store"):
        TraceStore(other)


def test_newer_schema_is_refused(tmp_path):
    with TraceStore.for_run(tmp_path) as s:
        path = s.path
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(NesyError, match="schema version 99"):
        TraceStore(path)


def test_damaged_pages_are_reported(tmp_path):
    with TraceStore.for_run(tmp_path) as s:
        s.add_many(trace(f"t{i}", "x" * 2000) for i in range(200))
        path = s.path
    data = bytearray(path.read_bytes())
    assert len(data) > 8192
    data[4096:len(data) - 4096] = b"\xff" * (len(data) - 8192)  # keep the header, trash the pages
    path.write_bytes(bytes(data))
    with TraceStore(path) as s:  # the header is intact, so opening works; reading finds the damage
        with pytest.raises(NesyError, match="corrupt"):
            list(s.query())
        assert s.integrity_check() != "ok"


def test_a_directory_path_is_refused(tmp_path):
    with pytest.raises(NesyError, match="directory"):
        TraceStore(tmp_path)


def test_one_store_shared_by_threads(store):
    import threading

    wrong = []

    def work(k):
        for i in range(100):
            store.add(trace(f"k{k}-{i}"))
            store.put_verdict(f"k{k}-{i}", Verdict(Status.OK, i))
            if store.get_verdict(f"k{k}-{i}").value != i:
                wrong.append((k, i))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    assert len(store) == 400 and store.stats()["cached_verdicts"] == 400


def test_opening_waits_for_a_writer_of_a_store_not_yet_in_wal_mode(tmp_path):
    # SQLite refuses the switch to WAL at once, without its busy handler, while another connection
    # holds a write lock on a rollback-journal file (as while another process creates the store)
    path = tmp_path / FILENAME
    TraceStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(0.3, holder.execute, ("COMMIT",))
    timer.start()
    try:
        with TraceStore(path, busy_timeout=10) as store:  # waits for the writer instead of failing
            assert len(store) == 0
    finally:
        timer.join()
        holder.close()
