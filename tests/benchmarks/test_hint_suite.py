"""The hint suite: its theories, options, label files and a quick real run."""

import json

import pytest

from nesy.benchmarks.hint.expressions import evaluate
from nesy.benchmarks.hint.suite import HintSuite, _options, grammar_problem, meaning_theories
from nesy.errors import NesyError
from nesy.progress import NullProgress
from nesy.suites import BenchConfig, run_suite


def test_meaning_theories_are_the_24_operator_assignments():
    theories = meaning_theories()
    assert len({t.name for t in theories}) == 24
    expression = list("6-2*3")
    values = {t.name: t.result(expression) for t in theories}
    assert values["+=+,-=-,*=*,/=/"] == evaluate(expression) == 0
    assert values["+=+,-=*,*=-,/=/"] == 6 * 2 - 3 == 9  # "-" now multiplies and binds tighter
    assert grammar_problem().result(expression) == 0
    assert all(t.can_complete(list("(3"), 5) for t in theories)


def test_options_are_checked():
    with pytest.raises(NesyError, match="unknown option"):
        _options(BenchConfig(options={"epoch": 3}))
    with pytest.raises(NesyError, match="advance_at"):
        _options(BenchConfig(options={"advance_at": 1.5}))
    with pytest.raises(NesyError, match="max_pops"):
        _options(BenchConfig(options={"max_pops": 0}))
    assert _options(BenchConfig(options={"explore": 0}))["explore"] == 0


def test_quick_run_learns_to_read_symbols_from_values_only():
    results = run_suite(HintSuite(), BenchConfig(split="grammar", quick=True), NullProgress())
    assert results["symbol_labels"] == 0 and results["mode"] == "grammar"
    assert set(results["subsets"]) == {"I", "SS", "LS", "SL", "LL"}
    assert results["symbol_accuracy"] > 0.3  # chance is 1/16
    assert results["rounds"][0]["longest"] == 1  # the curriculum starts with single symbols


def test_a_label_file_with_bad_lines_is_reported_and_the_rest_used(tmp_path):
    path = tmp_path / "train.jsonl"
    lines = [json.dumps({"expression": "3+4", "value": 7}), "not json", json.dumps({"expression": "3+4", "value": 8}),
             json.dumps({"expression": "5", "value": 5})]
    path.write_text("\n".join(lines) + "\n")
    options = {"train": str(path), "rounds": 1, "n_test": 5}
    results = run_suite(HintSuite(), BenchConfig(split="meaning", quick=True, options=options), NullProgress())
    assert results["n_train"] == 2
    assert [p.split(":")[1] for p in results["label_problems"]] == ["2", "3"]
    assert "impossible value" in results["label_problems"][1]
    assert results["abduced_meaning"] and set(results["operator_images_read_as"]) == {"+", "-", "*", "/"}
