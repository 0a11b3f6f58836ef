"""The ``traces`` click group (``nesy traces stats|export``), driven through CliRunner."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from nesy.cli.traces_cmd import traces
from nesy.traces import FILENAME, Origin, Trace, TraceStore
from nesy.verdict import Status, Verdict


@pytest.fixture
def run_dir(tmp_path):
    run = tmp_path / "run"
    with TraceStore.for_run(run) as store:
        store.add_many([
            Trace("t1", {"x": 1}, "(+ x 1)", "dsl", "1.0", Verdict(Status.OK, 2), Origin.SAMPLED, 0, "m0", 2),
            Trace("t1", {"x": 1}, "(* x 3)", "dsl", "1.0", Verdict(Status.MISMATCH, 3), Origin.SAMPLED, 0, "m0", 2),
            Trace("t2", "p q", "p & q", "z3", "4.13", Verdict(Status.SAT, {"p": True}), Origin.ABDUCED, 1, "m1"),
        ])
    return run


def invoke(*args):
    return CliRunner().invoke(traces, [str(a) for a in args], catch_exceptions=False)


def test_stats_json_from_run_dir_and_file(run_dir):
    for path in (run_dir, run_dir / FILENAME):
        result = invoke("stats", path, "--json")
        assert result.exit_code == 0, result.output
        stats = json.loads(result.output)
        assert stats["traces"] == 3 and stats["verified"] == 2 and stats["tasks"] == 2
        assert stats["by_origin"] == {"abduced": 1, "sampled": 2}
        assert stats["by_round"] == {"0": 2, "1": 1}


def test_stats_table(run_dir):
    result = invoke("stats", run_dir)
    assert result.exit_code == 0, result.output
    for text in ("traces", "verified", "mismatch", "abduced", "z3", "by round"):
        assert text in result.output


def test_export_jsonl_verified_then_all(run_dir, tmp_path):
    out = tmp_path / "train.jsonl"
    result = invoke("export", run_dir, "--out", out)
    assert result.exit_code == 0, result.output
    assert "wrote 2 rows" in result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["prompt"], r["completion"]) for r in rows] == [('{"x":1}', "(+ x 1)"), ("p q", "p & q")]
    assert invoke("export", run_dir, "--out", out, "--all").exit_code == 0
    assert len(out.read_text().splitlines()) == 3
    assert invoke("export", run_dir, "--out", out, "--all", "--round", "1").exit_code == 0
    assert [json.loads(line)["task_id"] for line in out.read_text().splitlines()] == ["t2"]


def test_export_parquet_by_extension_and_by_option(run_dir, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    result = invoke("export", run_dir, "--out", tmp_path / "train.parquet")
    assert result.exit_code == 0, result.output
    assert pq.read_table(tmp_path / "train.parquet").num_rows == 2
    result = invoke("export", run_dir, "--out", tmp_path / "train.data", "--format", "parquet", "--all")
    assert result.exit_code == 0, result.output
    assert pq.read_table(tmp_path / "train.data").num_rows == 3


def test_export_unknown_extension_is_one_clear_line(run_dir, tmp_path):
    result = invoke("export", run_dir, "--out", tmp_path / "train.csv")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert "cannot tell the export format" in result.output


@pytest.mark.parametrize("command", [["stats"], ["export", "--out", "x.jsonl"]])
def test_missing_store_is_one_clear_line(tmp_path, command):
    for path in (tmp_path, tmp_path / "nope.sqlite"):
        result = invoke(command[0], path, *command[1:])
        assert result.exit_code == 1
        assert result.output.startswith("Error: no trace store")
        assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / FILENAME).exists() and not (tmp_path / "nope.sqlite").exists()


def test_not_a_store_is_one_clear_line(tmp_path):
    garbage = tmp_path / "g.sqlite"
    garbage.write_bytes(b"\x00garbage" * 1000)
    result = invoke("stats", garbage)
    assert result.exit_code == 1 and "not a readable nesy trace store" in result.output
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    result = invoke("stats", other)
    assert result.exit_code == 1 and "not a nesy trace store" in result.output
    assert len(result.output.strip().splitlines()) == 1
