"""The nesy command as a user meets it: exit codes, one-line errors, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

Z3_SAT = "(declare-const x Int) (assert (> x 41)) (assert (< x 43)) (check-sat)"


def nesy(*args: str, stdin: str | None = None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nesy.cli.main", *args], capture_output=True, text=True, input=stdin, timeout=300, cwd=cwd
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("nesy: error:"), result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_solvers_lists_builtins_with_versions_and_languages():
    rows = {row["name"]: row for row in json.loads(nesy("solvers", "--json").stdout)}
    assert rows["z3"]["languages"] == ["smtlib2"] and rows["z3"]["version"]
    assert rows["clingo"]["languages"] == ["asp"]
    assert {"dsl", "sympy"} <= set(rows)
    assert "z3" in nesy("solvers").stdout


def test_run_json_prints_exactly_one_object(tmp_path):
    program = tmp_path / "p.smt2"
    program.write_text(Z3_SAT)
    result = nesy("run", "--backend", "z3", "--json", str(program))
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)  # exactly one JSON document
    assert verdict["status"] == "sat" and verdict["value"] == {"x": 42}
    assert {"status", "value", "message", "seconds"} <= set(verdict)


def test_run_reads_stdin_and_checks_expected_values():
    result = nesy("run", "-b", "sympy", "--expected", "[-2, 2]", "--json", "-", stdin="solve(Eq(x**2, 4), x)")
    assert json.loads(result.stdout)["status"] == "ok"
    wrong = nesy("run", "-b", "sympy", "--expected", "[3]", "--json", "-", stdin="solve(Eq(x**2, 4), x)")
    assert wrong.returncode == 0 and json.loads(wrong.stdout)["status"] == "mismatch"


def test_a_bad_program_is_a_verdict_with_exit_zero():
    result = nesy("run", "--backend", "z3", "--json", "-", stdin="(assert (((")
    assert result.returncode == 0
    assert json.loads(result.stdout)["status"] == "rejected"
    human = nesy("run", "--backend", "z3", "-", stdin="(set-option :regular-output-channel \"/tmp/x\")")
    assert human.returncode == 0 and "rejected" in human.stdout


def test_a_program_over_the_size_limit_is_rejected_unread(tmp_path):
    big = tmp_path / "big.smt2"
    big.write_text("; " + "x" * 1_100_000 + "\n(check-sat)")
    verdict = json.loads(nesy("run", "--backend", "z3", "--json", str(big)).stdout)
    assert verdict["status"] == "rejected" and "size limit" in verdict["message"]


def test_timeout_budget_from_the_command_line():
    hard = "(declare-const a Int) (declare-const b Int) (declare-const c Int) (assert (> a 0)) (assert (> b 0)) (assert (> c 0)) (assert (= (+ (* a a a) (* b b b)) (* c c c))) (check-sat)"
    verdict = json.loads(nesy("run", "--backend", "z3", "--timeout", "0.5", "--json", "-", stdin=hard).stdout)
    assert verdict["status"] in ("unknown", "timeout")
    assert verdict["seconds"] < 10


@pytest.mark.parametrize(
    "args, needles",
    [
        (("run", "--backend", "z4", "-"), ("unknown backend 'z4'", "z3")),
        (("run", "--backend", "z3", "/no/such/file.smt2"), ("cannot read program file",)),
        (("run", "--backend", "z3", "--timeout", "-1", "-"), ("--timeout",)),
        (("run", "--backend", "z3", "--input", "{not json", "-"), ("--input", "not valid JSON")),
        (("run", "-"), ("--backend",)),
        (("bench", "no-such-suite"), ("unknown suite",)),
        (("bench", "solvers", "--split", "nope"), ("no split 'nope'",)),
        (("bench", "solvers", "--set", "novalue"), ("KEY=VALUE",)),
        (("report", "/no/such/results.json"), ("no such results file",)),
        (("traces", "stats", "/no/such/run"), ()),
        (("frobnicate",), ("No such command",)),
    ],
)
def test_bad_usage_is_one_clear_line_and_exit_two(args, needles):
    assert_one_line_error(nesy(*args, stdin=""), *needles)


def test_bench_quick_writes_results_and_report_renders_them(tmp_path):
    out = tmp_path / "solvers.json"
    result = nesy("bench", "solvers", "--quick", "--split", "z3", "--workers", "2", "--json", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    for field in ("suite", "split", "seed", "accuracy", "n_train", "n_test", "train_seconds", "eval_seconds", "versions", "git_hash"):
        assert field in data
    assert data["suite"] == "solvers" and data["split"] == "z3" and data["accuracy"] == 1.0
    z3 = data["backends"]["z3"]
    assert z3["verified"] == z3["direct_correct"] == z3["direct_all_correct"] == data["n_test"]
    assert z3["direct_all_per_s"] > 0 and z3["scaling_direct"] > 0  # the library alone in 2 processes
    assert 0 < z3["parent_cpu_us_all"] < 1e6 / z3["pool_all_per_s"]  # the parent's share of each result's time
    report = nesy("report", str(out), "--out", str(tmp_path / "report"))
    assert report.returncode == 0, report.stderr
    assert "| solvers | z3 | 0 | 1.0000 |" in (tmp_path / "report" / "report.md").read_text()
    assert (tmp_path / "report" / "accuracy.png").stat().st_size > 1000


def test_suites_lists_the_solver_benchmark():
    rows = json.loads(nesy("suites", "--json").stdout)
    assert any(row["name"] == "solvers" and "z3" in row["splits"] for row in rows)
