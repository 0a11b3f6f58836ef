"""Traces: every checked program of a run, content-addressed, stored in SQLite, exported as training data.

Example:
    >>> import tempfile
    >>> from nesy.verdict import Status, Verdict
    >>> store = TraceStore.for_run(tempfile.mkdtemp())
    >>> store.add(Trace("t1", "dax fep", "RED RED", "dsl", "1.0", Verdict(Status.OK, "RED RED"),
    ...                 Origin.GOLD, expected="RED RED"))
    True
    >>> store.stats()["by_origin"]
    {'gold': 1}
    >>> store.close()
"""

from __future__ import annotations

from nesy.traces.export import export, export_jsonl, export_parquet, render_input
from nesy.traces.schema import SCHEMA_VERSION
from nesy.traces.store import FILENAME, StoreVerdictCache, TraceStore
from nesy.traces.trace import Origin, Trace

__all__ = [
    "FILENAME",
    "SCHEMA_VERSION",
    "Origin",
    "StoreVerdictCache",
    "Trace",
    "TraceStore",
    "export",
    "export_jsonl",
    "export_parquet",
    "render_input",
]
