"""The trace store: every checked program of a run, and a persistent verdict cache, in one SQLite file.

One file per run directory (``run_dir/traces.sqlite``). Each process opens its own connection
(a store object carried into a forked or spawned process reconnects there); writers in several
processes are safe: SQLite's WAL journal serialises them and ``busy_timeout`` makes them wait.
Committed transactions survive a ``kill -9`` of the writer (see :mod:`nesy.traces.schema`).

Example:
    >>> import tempfile
    >>> from nesy.verdict import Status, Verdict
    >>> from nesy.traces.trace import Trace
    >>> t = Trace("t1", [1, 2], "sum", "dsl", "1.0", Verdict(Status.OK, 3), expected=3)
    >>> with TraceStore.for_run(tempfile.mkdtemp()) as store:
    ...     (store.add(t), store.add(t), len(store), store.verified_programs("t1"))
    (True, False, 1, ['sum'])
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from nesy.hashing import canonical_json
from nesy.traces.schema import connect, translate_errors
from nesy.traces.trace import Origin, Trace
from nesy.verdict import Status, Verdict

log = logging.getLogger(__name__)

FILENAME = "traces.sqlite"
_PAGE = 500  # rows fetched per query round trip
_COLUMNS = (
    "trace_id, check_key, task_id, input_hash, input, program, backend, backend_version, mode, expected, "
    "budget, status, verified, verdict, origin, round, model_version, created_at"
)
_INSERT = f"INSERT OR IGNORE INTO traces ({_COLUMNS}) VALUES ({', '.join('?' * len(_COLUMNS.split(',')))})"
_inherited: list[sqlite3.Connection] = []  # connections that crossed a fork: never used or closed again


class TraceStore:
    """Traces and cached verdicts of one run, in SQLite.

    Args:
        path: The SQLite file.
        create: Create it when missing (otherwise a missing file is a :class:`~nesy.errors.NesyError`).
        synchronous: ``"NORMAL"`` (default; survives process kills) or ``"FULL"`` (survives power loss).
        busy_timeout: Seconds a writer waits for another process's lock.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True, synchronous: str = "NORMAL",
                 busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self._options = dict(create=create, synchronous=synchronous, busy_timeout=busy_timeout)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._closed = False
        self._connection()  # validate now: a bad file fails at construction

    @classmethod
    def for_run(cls, run_dir: str | os.PathLike[str], **options: Any) -> "TraceStore":
        """The store of a run directory (``run_dir/traces.sqlite``), creating the directory."""
        run_dir = Path(run_dir)
        if options.get("create", True):
            run_dir.mkdir(parents=True, exist_ok=True)
        return cls(run_dir / FILENAME, **options)

    # -- connection ----------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise ValueError(f"trace store {self.path} is closed")
        if self._conn is not None and self._pid != os.getpid():
            _inherited.append(self._conn)  # SQLite connections must not be used (or closed) across fork
            self._conn = None
        if self._conn is None:
            self._conn = connect(self.path, **self._options)
            self._pid = os.getpid()
        return self._conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, translate_errors(self.path):
            yield self._connection()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; ``BEGIN IMMEDIATE`` takes the write lock up front (no upgrade deadlock)."""
        with self._lock, translate_errors(self.path):
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close this process's connection; the store cannot be used afterwards."""
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None
            self._closed = True

    def __enter__(self) -> "TraceStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "options": self._options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"], **state["options"])  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"TraceStore({str(self.path)!r})"

    # -- traces --------------------------------------------------------------------------------
    def add(self, trace: Trace) -> bool:
        """Store ``trace``; False when an identical trace (same ``trace_id``) was already there."""
        return self.add_many([trace]) == 1

    def add_many(self, traces: Iterable[Trace]) -> int:
        """Store many traces in one transaction; returns how many were new."""
        rows = [_row(trace) for trace in traces]
        if not rows:
            return 0
        with self._write() as conn:
            return conn.executemany(_INSERT, rows).rowcount

    def get(self, trace_id: str) -> Trace | None:
        """The trace with this id, or None."""
        with self._read() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM traces WHERE trace_id = ?", (trace_id,)).fetchone()
        return _trace(row) if row else None

    def query(self, task_id: str | None = None, origin: Origin | str | None = None, round: int | None = None,
              status: Status | str | None = None, verified_only: bool = False, limit: int | None = None,
              backend: str | None = None) -> Iterator[Trace]:
        """Traces matching every given filter, oldest first (fetched page by page)."""
        where, params = [], []
        for column, value in (("task_id", task_id), ("round", round), ("backend", backend),
                              ("origin", Origin(origin).value if origin is not None else None),
                              ("status", Status(status).value if status is not None else None)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if verified_only:
            where.append("verified = 1")
        remaining = limit if limit is not None else -1
        last = 0
        while remaining != 0:
            page = _PAGE if remaining < 0 else min(_PAGE, remaining)
            sql = f"SELECT seq, {_COLUMNS} FROM traces WHERE {' AND '.join(where + ['seq > ?'])} ORDER BY seq LIMIT ?"
            with self._read() as conn:
                rows = conn.execute(sql, (*params, last, page)).fetchall()
            for row in rows:
                yield _trace(row[1:])
            if len(rows) < page:
                return
            last = rows[-1][0]
            remaining = remaining - len(rows) if remaining > 0 else remaining

    def verified_programs(self, task_id: str) -> list[str]:
        """Distinct verified programs of a task, in the order they were first stored."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT program FROM traces WHERE task_id = ? AND verified = 1 GROUP BY program ORDER BY min(seq)",
                (task_id,),
            ).fetchall()
        return [row[0] for row in rows]

    def rounds(self) -> list[int]:
        """The rounds that have traces, ascending (the last one is where a run resumes)."""
        with self._read() as conn:
            return [row[0] for row in conn.execute("SELECT DISTINCT round FROM traces ORDER BY round")]

    def __len__(self) -> int:
        with self._read() as conn:
            return conn.execute("SELECT count(*) FROM traces").fetchone()[0]

    def stats(self) -> dict[str, Any]:
        """Counts: traces, verified, tasks (all / with a verified program), distinct programs, cached
        verdicts, and traces by status, origin, round and backend."""
        counts = {
            "traces": "SELECT count(*) FROM traces",
            "verified": "SELECT count(*) FROM traces WHERE verified = 1",
            "tasks": "SELECT count(DISTINCT task_id) FROM traces",
            "tasks_verified": "SELECT count(DISTINCT task_id) FROM traces WHERE verified = 1",
            "programs": "SELECT count(DISTINCT program) FROM traces",
            "verified_programs": "SELECT count(*) FROM (SELECT DISTINCT task_id, program FROM traces "
            "WHERE verified = 1)",
            "cached_verdicts": "SELECT count(*) FROM verdicts",
        }
        with self._read() as conn:  # one read transaction: the numbers agree with each other
            conn.execute("BEGIN")
            try:
                stats: dict[str, Any] = {name: conn.execute(sql).fetchone()[0] for name, sql in counts.items()}
                for column in ("status", "origin", "round", "backend"):
                    sql = f"SELECT {column}, count(*) FROM traces GROUP BY {column} ORDER BY {column}"
                    stats[f"by_{column}"] = dict(conn.execute(sql).fetchall())
            finally:
                conn.execute("COMMIT")
        return stats

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check``: ``"ok"`` or the problems found, one per line."""
        with self._read() as conn:
            return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check"))

    # -- verdict cache -------------------------------------------------------------------------
    def get_verdict(self, key: str) -> Verdict | None:
        """The cached verdict for a check key (see :mod:`nesy.checkkey`), or None."""
        with self._read() as conn:
            row = conn.execute("SELECT verdict FROM verdicts WHERE check_key = ?", (key,)).fetchone()
        return Verdict.from_dict(json.loads(row[0])) if row else None

    def put_verdict(self, key: str, verdict: Verdict) -> None:
        """Cache ``verdict`` under a check key (a later put for the same key replaces it)."""
        self.put_verdicts([(key, verdict)])

    def put_verdicts(self, items: Iterable[tuple[str, Verdict]]) -> None:
        """Cache many verdicts in one transaction."""
        rows = [(key, _json(verdict.to_dict()), time.time()) for key, verdict in items]
        if rows:
            with self._write() as conn:
                sql = "INSERT OR REPLACE INTO verdicts (check_key, verdict, created_at) VALUES (?, ?, ?)"
                conn.executemany(sql, rows)

    def as_cache(self) -> "StoreVerdictCache":
        """This store's verdict table as an executor cache (``get(key)`` / ``put(key, verdict)``)."""
        return StoreVerdictCache(self)


class StoreVerdictCache:
    """Adapter: a :class:`TraceStore`'s verdicts as a :class:`nesy.executor.cache.VerdictCache`."""

    def __init__(self, store: TraceStore) -> None:
        self.store = store

    def get(self, key: str) -> Verdict | None:
        return self.store.get_verdict(key)

    def put(self, key: str, verdict: Verdict) -> None:
        self.store.put_verdict(key, verdict)


def _json(value: Any) -> str:
    return canonical_json(value)


def _row(trace: Trace) -> tuple[Any, ...]:
    if not isinstance(trace, Trace):
        raise TypeError(f"a TraceStore holds Trace records, got {type(trace).__name__}")
    return (
        trace.trace_id, trace.check_key, trace.task_id, trace.input_hash, _json(trace.input), trace.program,
        trace.backend, trace.backend_version, trace.mode, _json(trace.expected),
        None if trace.budget is None else _json(trace.budget), trace.verdict.status.value, int(trace.verified),
        _json(trace.verdict.to_dict()), trace.origin.value, trace.round, trace.model_version, time.time(),
    )


def _trace(row: tuple[Any, ...]) -> Trace:
    (_, _, task_id, _, input_, program, backend, backend_version, mode, expected, budget, _, _, verdict, origin,
     round_, model_version, _) = row
    return Trace(
        task_id=task_id, input=json.loads(input_), program=program, backend=backend,
        backend_version=backend_version, verdict=Verdict.from_dict(json.loads(verdict)), origin=Origin(origin),
        round=round_, model_version=model_version, expected=json.loads(expected), mode=mode,
        budget=None if budget is None else json.loads(budget),
    )
