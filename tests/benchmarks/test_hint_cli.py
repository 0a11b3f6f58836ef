"""``nesy bench hint --quick`` end to end: clingo abduction, SymPy-evaluated readings, results JSON."""

import json
import subprocess
import sys


def test_quick_cli_run_learns_to_read_symbols_from_values_only_through_clingo(tmp_path):
    out = tmp_path / "hint.json"
    result = subprocess.run(
        [sys.executable, "-m", "nesy.cli.main", "bench", "hint", "--split", "grammar", "--quick", "--workers", "2", "--json", str(out),
         "--no-progress"], capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads(out.read_text())
    assert results["symbol_labels"] == 0 and results["mode"] == "grammar" and results["abducer"] == "clingo"
    assert set(results["subsets"]) == {"I", "SS", "LS", "SL", "LL"}
    assert results["symbol_accuracy"] > 0.3  # chance is 1/16
    assert results["rounds"][0]["longest"] == 1  # the curriculum starts with single symbols
    assert results["evaluator_agreement"] == 1.0 and results["sympy_verdicts"].get("ok", 0) > 0
    assert results["accuracy"] >= results["argmax_accuracy"]  # a grammatical perception is its own best reading


def test_a_bad_abducer_is_refused_in_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "nesy.cli.main", "bench", "hint", "--quick", "--set", "abducer=prolog", "--no-progress"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    last = [line for line in result.stderr.splitlines() if line.strip()][-1]
    assert last.startswith("nesy: error:") and "abducer= must be one of clingo, search, got 'prolog'" in last
