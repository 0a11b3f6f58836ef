"""The digits-add suite: label files, options, and a quick real run through the CLI harness."""

import json
import subprocess
import sys

import pytest

from nesy.benchmarks.digits.addition import make_examples, sum_facts
from nesy.benchmarks.digits.labels import read_label_file, write_label_file
from nesy.benchmarks.digits.suite import DigitsAddSuite, _options
from nesy.errors import NesyError
from nesy.progress import NullProgress
from nesy.suites import BenchConfig


def test_sum_facts_cover_every_column_and_refuse_impossible_sums():
    assert sum_facts(0, 1) == "out(0,0). out(1,0)."
    assert sum_facts(2 * (10**15 - 1), 15).count("out(") == 16
    for bad in (-1, 19, 1.5, "7", True):
        with pytest.raises(ValueError):
            sum_facts(bad, 1)


def test_generated_sums_match_their_digits():
    examples = make_examples([3, 1, 4, 1, 5, 9, 2, 6], 2, 20, seed=0)
    digits = [3, 1, 4, 1, 5, 9, 2, 6]
    for e in examples:
        d = [digits[i] for i in e.indices]
        assert e.total == 10 * d[0] + d[1] + 10 * d[2] + d[3]


def test_label_file_problems_are_reported_with_line_numbers_and_skipped(tmp_path):
    path = tmp_path / "sums.jsonl"
    good = make_examples(list(range(10)), 2, 3, seed=0)
    write_label_file(str(path), good)
    with open(path, "a") as handle:
        handle.write("not json\n")
        handle.write(json.dumps({"images": [0, 1, 2], "sum": 3}) + "\n")
        handle.write(json.dumps({"images": [0, 1, 2, 99], "sum": 3}) + "\n")
        handle.write(json.dumps({"images": [0, 1, 2, 3], "sum": 199}) + "\n")
        handle.write(json.dumps({"sum": 3}) + "\n")
    examples, problems = read_label_file(str(path), n_digits=2, pool_size=10)
    assert examples == good
    assert [p.split(":")[1] for p in problems] == ["4", "5", "6", "7", "8"]
    assert "not JSON" in problems[0] and "expected 4 image indices" in problems[1]
    assert "outside the training pool" in problems[2] and "impossible sum" in problems[3]
    with pytest.raises(NesyError, match="cannot read label file"):
        read_label_file(str(tmp_path / "missing.jsonl"), 2, 10)


def test_bad_options_are_named():
    with pytest.raises(NesyError, match="--digits"):
        _options(BenchConfig(options={"digits": 0}))
    with pytest.raises(NesyError, match="unknown option"):
        _options(BenchConfig(options={"digits": 2, "roundz": 3}))
    with pytest.raises(NesyError, match="rounds"):
        _options(BenchConfig(options={"rounds": "many"}))


def test_a_file_with_no_usable_sums_is_refused(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"images": [0], "sum": 3}\n')
    with pytest.raises(NesyError, match="no usable training sums"):
        DigitsAddSuite().run(BenchConfig(quick=True, options={"digits": 1, "train": str(path)}), NullProgress())


def test_quick_bench_learns_digits_from_sums_alone(tmp_path):
    """From sums only the classifier must get far beyond chance (0.1) even in the quick variant."""
    out = tmp_path / "digits.json"
    result = subprocess.run(
        [sys.executable, "-m", "nesy.cli.main", "bench", "digits-add", "--digits", "1", "--quick", "--json", str(out), "--no-progress"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads(out.read_text())
    assert results["suite"] == "digits-add" and results["digits"] == 1 and results["symbol_labels"] == 0
    assert results["symbol_accuracy"] > 0.4, results["rounds"]
    assert results["direct_symbol_accuracy"] > 0.9
    assert abs(results["ceiling"] - results["direct_symbol_accuracy"] ** 2) < 1e-9
    assert abs(results["ceiling_gap"] - (results["ceiling"] - results["accuracy"])) < 1e-9
    assert [r["round"] for r in results["rounds"]] == list(range(1, len(results["rounds"]) + 1))


def test_cli_reports_a_bad_label_file_in_one_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"images": [0], "sum": 3}\n')
    result = subprocess.run(
        [sys.executable, "-m", "nesy.cli.main", "bench", "digits-add", "--digits", "1", "--quick", "--train", str(path), "--no-progress"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("nesy: error:") and "no usable training sums" in lines[-1]
    assert any("bad.jsonl:1: expected 2 image indices" in line for line in lines)  # the skipped line, named
