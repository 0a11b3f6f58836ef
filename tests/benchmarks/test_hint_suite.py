"""The hint suite: its theories, options, label files and a quick real run."""

import json

import pytest

from nesy.benchmarks.hint.expressions import evaluate
from nesy.benchmarks.hint.suite import HintSuite, _options, grammar_problem, meaning_renames, meaning_theories
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


def meaning_theory_names():
    return set(meaning_renames())


def test_options_are_checked():
    with pytest.raises(NesyError, match="unknown option"):
        _options(BenchConfig(options={"epoch": 3}))
    with pytest.raises(NesyError, match="advance_at"):
        _options(BenchConfig(options={"advance_at": 1.5}))
    with pytest.raises(NesyError, match="max_pops"):
        _options(BenchConfig(options={"max_pops": 0}))
    with pytest.raises(NesyError, match="abducer= must be one of clingo, search, got 'z3'"):
        _options(BenchConfig(options={"abducer": "z3"}))
    with pytest.raises(NesyError, match="top_k"):
        _options(BenchConfig(options={"top_k": "all"}))
    assert _options(BenchConfig(options={"explore": 0}))["explore"] == 0
    assert _options(BenchConfig())["abducer"] == "clingo"
    assert _options(BenchConfig(options={"abducer": "search"}))["abducer"] == "search"


def test_search_abducer_still_runs_on_request():
    options = {"abducer": "search", "n_train": 80, "rounds": 2, "n_test": 10}
    results = run_suite(HintSuite(), BenchConfig(split="grammar", quick=True, options=options), NullProgress())
    assert results["abducer"] == "search" and "best-first search" in results["abduction"]
    assert results["rounds"][0]["abduced"] > 0 and results["evaluator_agreement"] == 1.0


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
    assert results["abducer"] == "clingo" and results["rounds"][0]["extra"]["theory"] in meaning_theory_names()
    assert len(results["rounds"][0]["extra"]["probe_explained"]) == 2
