"""Export traces as fine-tuning data: JSONL or Parquet rows with ``prompt`` and ``completion``.

``prompt`` is the program's input as text (a string input as is, anything else as canonical JSON),
``completion`` is the program. The other columns (:data:`COLUMNS`) keep the trace's provenance so a
data set can be filtered later; ``value`` is the verdict's value as JSON text (one column type for
every backend). Tools such as TRL's ``SFTTrainer`` or ``datasets.load_dataset("json", ...)`` read
these files directly.

Example:
    >>> import json, pathlib, tempfile
    >>> from nesy.verdict import Status, Verdict
    >>> from nesy.traces.store import TraceStore
    >>> from nesy.traces.trace import Trace
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> with TraceStore.for_run(tmp) as store:
    ...     _ = store.add(Trace("t1", {"x": 2}, "x * 2", "dsl", "1.0", Verdict(Status.OK, 4), expected=4))
    ...     export_jsonl(store, tmp / "train.jsonl")
    1
    >>> row = json.loads((tmp / "train.jsonl").read_text())
    >>> row["prompt"], row["completion"], row["value"]
    ('{"x":2}', 'x * 2', '4')
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, Iterator

from nesy.errors import NesyError
from nesy.hashing import canonical_json
from nesy.traces.store import TraceStore
from nesy.traces.trace import Origin, Trace

log = logging.getLogger(__name__)

#: Columns of every exported row, in order.
COLUMNS = ("prompt", "completion", "task_id", "backend", "status", "origin", "round", "model_version", "value",
           "input_hash", "trace_id")
FORMATS = ("jsonl", "parquet")


def render_input(value: Any) -> str:
    """A program input as prompt text: strings as they are, anything else as canonical JSON.

    Example:
        >>> render_input("jump twice"), render_input([1, {"b": 2, "a": 1}])
        ('jump twice', '[1,{"a":1,"b":2}]')
    """
    return value if isinstance(value, str) else canonical_json(value)


def to_row(trace: Trace) -> dict[str, Any]:
    """One export row (see :data:`COLUMNS`)."""
    return {
        "prompt": render_input(trace.input),
        "completion": trace.program,
        "task_id": trace.task_id,
        "backend": trace.backend,
        "status": trace.verdict.status.value,
        "origin": trace.origin.value,
        "round": trace.round,
        "model_version": trace.model_version,
        "value": canonical_json(trace.verdict.value),
        "input_hash": trace.input_hash,
        "trace_id": trace.trace_id,
    }


def iter_rows(store: TraceStore, verified_only: bool = True, unique: bool = True, task_id: str | None = None,
              origin: Origin | str | None = None, round: int | None = None) -> Iterator[dict[str, Any]]:
    """Export rows of the matching traces, oldest first.

    Args:
        store: The trace store.
        verified_only: Only traces whose verdict is a success (ok, sat, unsat).
        unique: Keep one row per (task, input, program): the same program verified in several rounds
            is one training example, not several.
        task_id: Only this task.
        origin: Only this origin.
        round: Only this round.
    """
    seen: set[tuple[str, str, str]] = set()
    for trace in store.query(task_id=task_id, origin=origin, round=round, verified_only=verified_only):
        if unique:
            key = (trace.task_id, trace.input_hash, trace.program)
            if key in seen:
                continue
            seen.add(key)
        yield to_row(trace)


def export_jsonl(store: TraceStore, path: str | os.PathLike[str], verified_only: bool = True, unique: bool = True,
                 **filters: Any) -> int:
    """Write rows as JSON Lines (UTF-8), atomically; returns the number of rows written.

    ``filters`` are ``task_id``, ``origin`` and ``round`` (see :func:`iter_rows`).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    try:
        with tmp.open("w", encoding="utf-8") as out:
            for row in iter_rows(store, verified_only=verified_only, unique=unique, **filters):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    log.info("exported %d rows to %s", count, path)
    return count


def export_parquet(store: TraceStore, path: str | os.PathLike[str], verified_only: bool = True, unique: bool = True,
                   **filters: Any) -> int:
    """Write rows as one Parquet file (needs pyarrow: ``pip install 'nesy[datasets]'``); returns the row count.

    Raises:
        NesyError: pyarrow is not installed.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise NesyError("Parquet export needs pyarrow: pip install 'nesy[datasets]'") from exc
    schema = pa.schema([(name, pa.int64() if name == "round" else pa.string()) for name in COLUMNS])
    rows = list(iter_rows(store, verified_only=verified_only, unique=unique, **filters))
    table = pa.Table.from_pylist(rows, schema=schema)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        pq.write_table(table, str(tmp))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    log.info("exported %d rows to %s", len(rows), path)
    return len(rows)


def export(store: TraceStore, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> int:
    """Export in ``format`` (``"jsonl"`` or ``"parquet"``; None: from the file extension).

    Raises:
        NesyError: Unknown format or extension.
    """
    fmt = format or format_for(path)
    if fmt == "jsonl":
        return export_jsonl(store, path, **options)
    if fmt == "parquet":
        return export_parquet(store, path, **options)
    raise NesyError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def format_for(path: str | os.PathLike[str]) -> str:
    """The export format a file name asks for.

    Example:
        >>> format_for("out/train.jsonl"), format_for("train.parquet")
        ('jsonl', 'parquet')
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise NesyError(f"cannot tell the export format from {str(path)!r}: name it .jsonl or .parquet, or pass a format")
