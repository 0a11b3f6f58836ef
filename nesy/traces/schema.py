"""Opening a trace-store file: connection settings, schema creation and validation.

A nesy trace store is an SQLite file marked with ``PRAGMA application_id`` = :data:`APPLICATION_ID`
and versioned with ``PRAGMA user_version`` = :data:`SCHEMA_VERSION`. Any other SQLite file, a file
that is not SQLite, or a damaged one is refused with a one-line :class:`~nesy.errors.NesyError`.

Durability: the journal is WAL with ``synchronous=NORMAL`` by default. A committed transaction is in
the WAL file before ``COMMIT`` returns, so it survives a ``kill -9`` of the writing process (the
operating system still holds the written pages); only a power cut or kernel crash can lose the last
transactions. ``synchronous="FULL"`` also fsyncs the WAL at each commit and survives those too.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.sqlite"
    >>> conn = connect(path, create=True)
    >>> conn.execute("PRAGMA journal_mode").fetchone()[0]
    'wal'
    >>> conn.close()
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from pathlib import Path
from typing import Iterator

from nesy.errors import NesyError

log = logging.getLogger(__name__)

APPLICATION_ID = 0x6E657379  #: "nesy" in ASCII, stored in the SQLite header
SCHEMA_VERSION = 1
SYNCHRONOUS = ("NORMAL", "FULL")

_DDL = """
CREATE TABLE traces (
    seq INTEGER PRIMARY KEY,
    trace_id TEXT NOT NULL UNIQUE,
    check_key TEXT NOT NULL,
    task_id TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    input TEXT NOT NULL,
    program TEXT NOT NULL,
    backend TEXT NOT NULL,
    backend_version TEXT NOT NULL,
    mode TEXT NOT NULL,
    expected TEXT NOT NULL,
    budget TEXT,
    status TEXT NOT NULL,
    verified INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    origin TEXT NOT NULL,
    round INTEGER NOT NULL,
    model_version TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX traces_task ON traces (task_id, verified);
CREATE INDEX traces_round ON traces (round);
CREATE INDEX traces_status ON traces (status);
CREATE INDEX traces_check ON traces (check_key);
CREATE TABLE verdicts (
    check_key TEXT PRIMARY KEY,
    verdict TEXT NOT NULL,
    created_at REAL NOT NULL
);
"""


@contextlib.contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn SQLite errors into one-line :class:`NesyError` s that name the file."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise NesyError(f"trace store {path} is busy (another process holds it): {exc}") from exc
        raise NesyError(f"trace store {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise NesyError(f"{path} is not a readable nesy trace store (corrupt or not SQLite): {exc}") from exc


def connect(path: Path, *, create: bool, synchronous: str = "NORMAL", busy_timeout: float = 30.0) -> sqlite3.Connection:
    """Open (and with ``create``, initialise) the store at ``path``; one connection per process.

    Args:
        path: The SQLite file.
        create: Create the file and schema when missing or empty; otherwise a missing store is an error.
        synchronous: ``"NORMAL"`` (survives process kills) or ``"FULL"`` (also survives power loss).
        busy_timeout: Seconds to wait for another process's write lock.

    Raises:
        NesyError: Missing (without ``create``), not a nesy store, corrupt, or from a newer nesy.
    """
    synchronous = synchronous.upper()
    if synchronous not in SYNCHRONOUS:
        raise ValueError(f"synchronous must be one of {SYNCHRONOUS}, got {synchronous!r}")
    if path.is_dir():
        raise NesyError(f"{path} is a directory, not a trace store file")
    if not path.exists():
        if not create:
            raise NesyError(f"no trace store at {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    try:
        with translate_errors(path):
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            _validate_or_create(conn, path, create)
            mode = _journal_mode_wal(conn, busy_timeout)
            if str(mode).lower() != "wal":
                raise NesyError(f"trace store {path}: could not switch to WAL journal mode (got {mode!r})")
            conn.execute(f"PRAGMA synchronous = {synchronous}")
    except BaseException:
        conn.close()
        raise
    return conn


def _journal_mode_wal(conn: sqlite3.Connection, busy_timeout: float) -> str:
    """Switch to (or confirm) WAL mode; the journal mode is what the switch returned.

    While another connection holds a write lock on a store still in rollback-journal mode (another
    process creating it, say), SQLite refuses the switch at once with "database is locked",
    without calling the busy handler, so it is retried until ``busy_timeout`` has passed.
    """
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def _validate_or_create(conn: sqlite3.Connection, path: Path, create: bool) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]  # reading the header finds non-SQLite files
    if app_id == 0:
        if not create:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            raise NesyError(f"{path} is {'an SQLite file but not a nesy trace store' if tables else 'empty, not a nesy trace store'}")
        _create(conn, path)  # decides under the write lock: another process may be creating it right now
    elif app_id != APPLICATION_ID:
        raise NesyError(f"{path} is an SQLite file of another application (id {app_id:#x}), not a nesy trace store")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise NesyError(
            f"trace store {path} has schema version {version}; this nesy reads up to {SCHEMA_VERSION}: upgrade nesy"
        )
    if version < 1:
        raise NesyError(f"trace store {path} has no schema version: corrupt or half-created")


def _create(conn: sqlite3.Connection, path: Path) -> None:
    """Create the schema in one write transaction; another process may be racing to do the same."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] == 0:
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise NesyError(f"{path} is an SQLite file but not a nesy trace store")
            for statement in _DDL.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            log.info("created trace store %s (schema %d)", path, SCHEMA_VERSION)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
