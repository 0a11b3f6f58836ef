"""``nesy bench kinship|wordproblems|puzzles``: the quick run from the command line, and option checks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nesy.benchmarks.nlprog_suite import KinshipSuite, PuzzlesSuite
from nesy.errors import NesyError
from nesy.progress import NullProgress
from nesy.suites import BenchConfig


def test_quick_kinship_from_the_command_line_reports_learner_baselines_and_rounds(tmp_path):
    out = tmp_path / "kinship.json"
    done = subprocess.run(
        [sys.executable, "-m", "nesy.cli.main", "bench", "kinship", "--quick", "--workers", "2", "--no-progress",
         "--json", str(out), "--set", f"run_dir={tmp_path / 'run'}", "--set", "also=hard"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text())
    assert results["annotated_programs"] == 20 and results["n_test"] == 30
    assert results["accuracy"] >= 0.8  # iid stories: the writer learned the fact sentences
    assert results["baseline"]["accuracy"] < results["accuracy"]  # the direct answer predictor
    assert "accuracy" in results["annotated_only"] and 0.0 <= results["parse_error_rate"] <= 1.0
    assert sum(results["statuses"].values()) + results["no_program"] == 30
    assert results["writer_throughput"]["batched_per_second"] > 0 and results["writer_throughput"]["texts"] == 30
    rounds = results["rounds"]
    assert rounds and all({"pass_at_k", "rejected_share", "statuses", "diversity"} <= set(r) for r in rounds)
    plot = results["plots"][0]
    assert plot["x"] == [r["round"] for r in rounds] and "pass@K (train)" in plot["series"]
    hard = results["also"]["hard"]  # the same writer and baselines, scored on the hard split's tests too
    assert hard["n_test"] == 30 and sum(hard["statuses"].values()) == 30 and 0.0 <= hard["accuracy"] <= 1.0
    assert "accuracy" in hard["annotated_only"] and 0.0 <= hard["baseline"]["accuracy"] <= 1.0
    assert results["also_test_sizes"] != results["test_sizes"]  # more hops
    shown = dict(results["summary"])  # the printed table names every baseline of both splits
    assert {"annotated-only writer", "direct answer", "hard: annotated-only writer", "hard: direct answer"} <= set(shown)


@pytest.mark.parametrize("options, message", [
    ({"annotated": 21}, "at most 20"),
    ({"k": 0}, "integer >= 1"),
    ({"kk": 3}, "unknown option"),
    ({"also": "iid"}, "another split"),
])
def test_bad_options_are_refused_by_name(options, message):
    with pytest.raises(NesyError, match=message):
        PuzzlesSuite().run(BenchConfig(split="iid", quick=True, options=options), NullProgress())


def test_the_suites_split_iid_and_hard():
    assert KinshipSuite().splits == ("iid", "hard") and PuzzlesSuite.name == "puzzles"
