"""``nesy bench clevr --split math``: the CLEVR-Math-style split learned from answers alone, from the command line."""

import json
import subprocess
import sys

import pytest

from nesy.benchmarks.clevr.math_families import MATH_TEST, MATH_TRAIN
from nesy.benchmarks.clevr.suite import ClevrSuite
from nesy.errors import NesyError
from nesy.registry import suite_names
from nesy.suites import REQUIRED_FIELDS, BenchConfig, run_suite


@pytest.mark.parametrize("options, needle", [({"n_train": 0}, "n_train"), ({"n_test": "ten"}, "n_test"),
                                              ({"perception": "qa"}, "needs --images")])
def test_bad_math_split_options_are_refused_with_the_option_named(options, needle):
    with pytest.raises(NesyError, match=needle):
        run_suite(ClevrSuite(), BenchConfig(split="math", options=options))


@pytest.mark.skipif("clevr" not in suite_names(), reason="the clevr suite is not registered in this install yet")
def test_nesy_bench_clevr_split_math_quick_writes_the_results_fields(tmp_path):
    out = tmp_path / "clevr-math.json"
    command = [sys.executable, "-m", "nesy.cli.main", "bench", "clevr", "--split", "math", "--quick", "--workers", "2",
               "--no-progress", "--set", "n_train=36", "--set", "n_test=15", "--json", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    results = json.loads(out.read_text())
    assert set(REQUIRED_FIELDS) <= set(results) and results["split"] == "math"
    assert results["program_annotations"] == 0 and results["n_train"] == 36 and results["n_test"] == 15
    assert results["sweep"] == "n_train_math" and results["n_train_math"] == 36
    assert results["train_families"] == list(MATH_TRAIN) and set(results["per_family"]) <= set(MATH_TEST)
    assert sum(f["n"] for f in results["per_family"].values()) == 15
    assert results["arithmetic"]["n"] == 48 and results["arithmetic"]["agreement"] == 1.0  # 33 math training + 15 test
    assert 0.0 <= results["accuracy"] <= results["parsed_share"] <= 1.0 and results["train_seconds"] > 0
