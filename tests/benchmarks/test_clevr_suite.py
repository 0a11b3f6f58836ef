"""The clevr suite: options, learning from answers alone, and a small executor check through the harness."""

import json
import subprocess
import sys

import pytest

from nesy.benchmarks.clevr.suite import ClevrSuite, options_of
from nesy.errors import NesyError
from nesy.registry import suite_names
from nesy.semparse.learn_config import LearnConfig
from nesy.suites import REQUIRED_FIELDS, BenchConfig, run_suite


def test_options_have_defaults_and_bad_ones_are_named():
    assert options_of(BenchConfig())["n_questions"] == 10000
    assert options_of(BenchConfig())["n_train"] == 10000
    assert options_of(BenchConfig(quick=True))["n_questions"] == 500
    assert options_of(BenchConfig(options={"check_executors": 1, "n_questions": 30}))["n_questions"] == 30
    assert options_of(BenchConfig(options={"n_train": 1000}))["n_train"] == 1000
    for bad, needle in [({"n_question": 3}, "unknown option"), ({"n_questions": 0}, "n_questions"),
                        ({"check_executors": 2}, "0 or 1"), ({"n_probes": "many"}, "n_probes"),
                        ({"n_train": 0}, "n_train"), ({"n_test": -1}, "n_test"), ({"rounds": 1.5}, "rounds")]:
        with pytest.raises(NesyError, match=needle):
            options_of(BenchConfig(options=bad))


def test_the_learner_options_have_their_defaults_and_reach_the_learner(monkeypatch):
    import nesy.benchmarks.clevr.learning as learning

    names = ("rerank_epochs", "rerank_step", "rerank_features", "rerank_margin", "rerank_relaxed", "analogy", "blind_probes",
             "probe_worlds", "split_heads", "inner_wrappers", "guided", "compose_unread", "neural", "neural_beam")
    assert {k: options_of(BenchConfig())[k] for k in names} == {
        "rerank_epochs": 2, "rerank_step": 2, "rerank_features": 30, "rerank_margin": 3, "rerank_relaxed": 0, "analogy": 1,
        "blind_probes": 0, "probe_worlds": 0, "split_heads": 0, "inner_wrappers": 0, "guided": 0, "compose_unread": 80,
        "neural": 0, "neural_beam": 8}
    for bad, needle in [({"split_heads": 2}, "0 or 1"), ({"guided": 2}, "0 or 1"), ({"inner_wrappers": -1}, "inner_wrappers"),
                        ({"blind_probes": -3}, "blind_probes"), ({"probe_worlds": -1}, "probe_worlds"),
                        ({"rerank_epochs": -1}, "rerank_epochs"), ({"analogy": 2}, "0 or 1"), ({"rerank_relaxed": 2}, "0 or 1"),
                        ({"rerank_step": 0}, "rerank_step= must be an integer >= 1"), ({"compose_unread": 101}, "percentage"),
                        ({"compose_unread": -1}, "compose_unread"), ({"neural": -1}, "neural"),
                        ({"neural_beam": -1}, "neural_beam")]:
        with pytest.raises(NesyError, match=needle):
            options_of(BenchConfig(options=bad))
    seen = []

    def learn(dsl, examples, config, progress):
        seen.append(config)
        raise RuntimeError("stop here")

    monkeypatch.setattr(learning, "learn_parser", learn)
    options = options_of(BenchConfig(options={"n_train": 20, "n_test": 5, "blind_probes": 16, "split_heads": 1, "inner_wrappers": 1,
                                                  "rerank_epochs": 0, "rerank_step": 3, "analogy": 0, "rerank_features": 50,
                                                  "rerank_margin": 2, "probe_worlds": 8, "rerank_relaxed": 1, "compose_unread": 0,
                                                  "neural": 12, "neural_beam": 0}))
    with pytest.raises(RuntimeError, match="stop here"):
        learning.learn_split("iid", options, seed=0, progress=None)
    assert (seen[0].blind_probes, seen[0].compose_split_heads, seen[0].inner_wrappers, seen[0].rerank_epochs) == (16, True, True, 0)
    assert seen[0].analogy_share == 0.0 and seen[0].rerank_step == 3.0
    assert seen[0].rerank_features == 0.5 and seen[0].rerank_margin == 2.0 and seen[0].probe_worlds == 8
    assert seen[0].rerank_relaxed is True and seen[0].compose_unread_share is None and seen[0].neural_epochs == 12
    assert seen[0].neural_beam == 0
    options["analogy"], options["compose_unread"] = 1, 80
    with pytest.raises(RuntimeError, match="stop here"):
        learning.learn_split("iid", options, seed=0, progress=None)
    assert seen[1].analogy_share == LearnConfig.analogy_share > 0 and seen[1].compose_unread_share == 0.8


def test_unknown_splits_and_math_on_pictures_are_refused_clearly():
    with pytest.raises(NesyError, match="--images has no math split"):
        run_suite(ClevrSuite(), BenchConfig(split="math", quick=True, options={"images": 1}))
    with pytest.raises(NesyError, match="no split 'val'"):
        run_suite(ClevrSuite(), BenchConfig(split="val"))


def test_learning_from_answers_alone_reports_accuracy_and_zero_program_annotations():
    results = run_suite(ClevrSuite(), BenchConfig(split="iid", seed=0, workers=2, options={"n_train": 300, "n_test": 90, "guided": 1}))
    assert set(REQUIRED_FIELDS) <= set(results)
    assert results["program_annotations"] == 0 and results["sweep"] == "n_train_iid" and results["n_train_iid"] == 300
    assert results["n_train"] == 300 and results["n_test"] == 90
    assert 0.0 <= results["accuracy"] <= results["parsed_share"] <= 1.0
    # guided by execution: a reading changes only where the best parse fails on its scene (so was wrong)
    assert results["guided"] is True and results["accuracy_best_parse"] <= results["accuracy"]
    assert sum(f["n"] for f in results["per_family"].values()) == 90
    assert 0.0 <= results["lexicon_accuracy"] <= 1.0 and results["learning"]["searched"] > 0
    assert results["train_seconds"] > 0 and results["eval_seconds"] > 0
    json.dumps(results)


def test_the_neural_reader_option_trains_it_and_reports_the_grammar_alone_beside_it():
    options = {"n_train": 300, "n_test": 60, "neural": 2}
    results = run_suite(ClevrSuite(), BenchConfig(split="iid", seed=0, workers=2, options=options))
    learning = results["learning"]
    assert 0.0 < learning["neural_labelled"] <= 1.0 and learning["neural_parameters"] > 0 and learning["neural_seconds"] > 0
    assert len(learning["neural_proposals_verified"]) == 2  # the default beam: proposals checked in each relabelling round
    assert 0.0 <= results["accuracy_grammar_alone"] <= results["parsed_share"] and 0.0 <= results["accuracy"] <= results["parsed_share"]
    assert any(name.startswith("accuracy of the grammar alone") for name, _ in results["summary"])
    json.dumps(results)


@pytest.mark.parametrize("split", ["iid", "cogent"])
def test_the_executor_check_reports_agreement_throughput_and_required_fields(split):
    options = {"check_executors": 1, "n_questions": 45, "n_probes": 20}
    results = run_suite(ClevrSuite(), BenchConfig(split=split, seed=1, workers=2, options=options))
    assert set(REQUIRED_FIELDS) <= set(results)
    assert results["accuracy"] == results["agreement"] == 1.0
    assert results["n"] == results["n_test"] == 45 and results["n_train"] == 0 and results["train_seconds"] == 0
    assert sum(f["n"] for f in results["per_family"].values()) == 45 and len(results["per_family"]) == 14  # 9 + 5 math
    assert results["arithmetic"]["agreement"] == 1.0 and results["arithmetic"]["n"] == 15  # 3 of each math family
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


@pytest.mark.skipif("clevr" not in suite_names(), reason="the clevr suite is not registered in this install yet")
def test_nesy_bench_clevr_quick_learns_from_the_command_line(tmp_path):
    out = tmp_path / "clevr-learn.json"
    command = [sys.executable, "-m", "nesy.cli.main", "bench", "clevr", "--quick", "--workers", "2", "--no-progress",
               "--json", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    results = json.loads(out.read_text())
    assert results["program_annotations"] == 0 and results["n_train"] == 800 and results["n_test"] == 100
    assert 0.0 <= results["accuracy"] <= 1.0 and results["train_seconds"] > 0
