"""The clevr suite: options, the not-yet-implemented learning, and a small executor check through the harness."""

import json
import subprocess
import sys

import pytest

from nesy.benchmarks.clevr.suite import ClevrSuite, options_of
from nesy.errors import NesyError
from nesy.registry import suite_names
from nesy.suites import REQUIRED_FIELDS, BenchConfig, run_suite


def test_options_have_defaults_and_bad_ones_are_named():
    assert options_of(BenchConfig())["n_questions"] == 10000
    assert options_of(BenchConfig(quick=True))["n_questions"] == 500
    assert options_of(BenchConfig(options={"check_executors": 1, "n_questions": 30}))["n_questions"] == 30
    for bad, needle in [({"n_question": 3}, "unknown option"), ({"n_questions": 0}, "n_questions"),
                        ({"check_executors": 2}, "0 or 1"), ({"n_probes": "many"}, "n_probes")]:
        with pytest.raises(NesyError, match=needle):
            options_of(BenchConfig(options=bad))


def test_without_the_check_learning_is_refused():
    with pytest.raises(NesyError, match="learning is not implemented yet"):
        run_suite(ClevrSuite(), BenchConfig(split="iid", quick=True))
    with pytest.raises(NesyError, match="no split 'val'"):
        run_suite(ClevrSuite(), BenchConfig(split="val"))


@pytest.mark.parametrize("split", ["iid", "cogent"])
def test_the_executor_check_reports_agreement_throughput_and_required_fields(split):
    options = {"check_executors": 1, "n_questions": 45, "n_probes": 20}
    results = run_suite(ClevrSuite(), BenchConfig(split=split, seed=1, workers=2, options=options))
    assert set(REQUIRED_FIELDS) <= set(results)
    assert results["accuracy"] == results["agreement"] == 1.0
    assert results["n"] == results["n_test"] == 45 and results["n_train"] == 0 and results["train_seconds"] == 0
    assert sum(f["n"] for f in results["per_family"].values()) == 45 and len(results["per_family"]) == 9
    assert results["throughput"]["dsl_per_second"] > 0 and results["throughput"]["clingo_per_second"] > 0
    assert results["probes"]["n"] == 20 and results["workers"] == 2
    json.dumps(results)  # the results file can be written


@pytest.mark.skipif("clevr" not in suite_names(), reason="the clevr suite is not registered in this install yet")
def test_nesy_bench_clevr_runs_the_check_from_the_command_line(tmp_path):
    out = tmp_path / "clevr.json"
    command = [sys.executable, "-m", "nesy.cli.main", "bench", "clevr", "--quick", "--workers", "2", "--no-progress",
               "--check-executors", "--set", "n_questions=27", "--set", "n_probes=5", "--json", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["agreement"] == 1.0
