"""Export of traces as prompt/completion rows: JSONL and Parquet."""

from __future__ import annotations

import json
import sys

import pytest

from nesy.errors import NesyError
from nesy.traces import Origin, Trace, TraceStore, export, export_jsonl, export_parquet, render_input
from nesy.traces.export import COLUMNS, format_for
from nesy.verdict import Status, Verdict


@pytest.fixture
def store(tmp_path):
    with TraceStore.for_run(tmp_path / "run") as s:
        s.add_many([
            Trace("scan-1", "jump twice", "JUMP JUMP", "dsl", "1.0", Verdict(Status.OK, ["JUMP", "JUMP"]),
                  Origin.SAMPLED, 0, "m0", expected=["JUMP", "JUMP"]),
            Trace("scan-1", "jump twice", "JUMP JUMP", "dsl", "1.0", Verdict(Status.OK, ["JUMP", "JUMP"]),
                  Origin.SAMPLED, 1, "m1", expected=["JUMP", "JUMP"]),  # same example, later round
            Trace("scan-1", "jump twice", "JUMP", "dsl", "1.0", Verdict(Status.MISMATCH, ["JUMP"]),
                  Origin.SAMPLED, 1, "m1", expected=["JUMP", "JUMP"]),
            Trace("eq-1", {"eq": "x**2 = 4", "über": 1}, "solve(Eq(x**2, 4), x)", "sympy", "1.13",
                  Verdict(Status.OK, [-2, 2]), Origin.GOLD, 0, "", expected=[-2, 2]),
            Trace("eq-2", {"eq": "x = 1"}, "solve(", "sympy", "1.13", Verdict(Status.REJECTED, None, "syntax"),
                  Origin.ABDUCED, 2, ""),
        ])
        yield s


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_render_input():
    assert render_input("jump twice") == "jump twice"
    assert render_input({"b": [1, 2], "a": "é"}) == '{"a":"é","b":[1,2]}'
    assert render_input(None) == "null"


def test_jsonl_verified_rows_and_fields(store, tmp_path):
    out = tmp_path / "out" / "train.jsonl"
    assert export_jsonl(store, out) == 2
    rows = read_jsonl(out)
    assert [tuple(row) for row in rows] == [COLUMNS, COLUMNS]
    first, second = rows
    assert first["prompt"] == "jump twice" and first["completion"] == "JUMP JUMP"
    assert first["value"] == '["JUMP","JUMP"]' and first["status"] == "ok"
    assert (first["task_id"], first["backend"], first["origin"], first["round"], first["model_version"]) == (
        "scan-1", "dsl", "sampled", 0, "m0")
    assert second["prompt"] == '{"eq":"x**2 = 4","über":1}'
    assert second["completion"] == "solve(Eq(x**2, 4), x)" and second["origin"] == "gold"
    assert json.loads(second["value"]) == [-2, 2]
    assert not list(tmp_path.glob("out/*.tmp"))


def test_jsonl_all_and_duplicates_and_filters(store, tmp_path):
    out = tmp_path / "all.jsonl"
    assert export_jsonl(store, out, verified_only=False) == 4
    assert {row["status"] for row in read_jsonl(out)} == {"ok", "mismatch", "rejected"}
    assert export_jsonl(store, out, verified_only=False, unique=False) == 5
    assert export_jsonl(store, out, verified_only=False, round=1) == 2
    assert export_jsonl(store, out, verified_only=False, origin="abduced") == 1
    assert read_jsonl(out)[0]["value"] == "null"
    assert export_jsonl(store, out, task_id="eq-2") == 0
    assert out.read_text() == ""


def test_parquet_reads_back(store, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "train.parquet"
    assert export_parquet(store, out, verified_only=False) == 4
    table = pq.read_table(out)
    assert table.column_names == list(COLUMNS)
    rows = table.to_pylist()
    assert [row["completion"] for row in rows] == ["JUMP JUMP", "JUMP", "solve(Eq(x**2, 4), x)", "solve("]
    assert rows[0]["prompt"] == "jump twice" and rows[0]["round"] == 0
    assert str(table.schema.field("round").type) == "int64"
    assert export(store, tmp_path / "v.parquet") == 2  # format from the extension, verified only
    assert pq.read_table(tmp_path / "v.parquet").num_rows == 2


def test_parquet_of_an_empty_selection_has_the_columns(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    with TraceStore.for_run(tmp_path) as empty:
        assert export_parquet(empty, tmp_path / "e.parquet") == 0
    assert pq.read_table(tmp_path / "e.parquet").column_names == list(COLUMNS)


def test_parquet_without_pyarrow_is_a_clear_error(store, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(NesyError, match=r"Parquet export needs pyarrow: pip install 'nesy\[datasets\]'"):
        export_parquet(store, tmp_path / "x.parquet")
    assert not (tmp_path / "x.parquet").exists()


def test_format_from_extension():
    assert format_for("a/b.JSONL") == "jsonl" and format_for("b.parquet") == "parquet"
    with pytest.raises(NesyError, match="cannot tell the export format"):
        format_for("b.csv")


def test_unknown_format(store, tmp_path):
    with pytest.raises(NesyError, match="unknown export format"):
        export(store, tmp_path / "x.jsonl", format="csv")
