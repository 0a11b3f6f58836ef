"""``nesy bench clevr --images --set perception=qa``: setting B (attributes from question-answer pairs) end to end."""

import json

import pytest

from nesy.benchmarks.clevr.qa_perception import QAConfig
from nesy.benchmarks.clevr.suite import ClevrSuite, options_of
from nesy.errors import NesyError
from nesy.suites import BenchConfig, run_suite


def test_the_suite_options_become_setting_b_config():
    options = options_of(BenchConfig(options={"images": 1, "perception": "qa", "qa_scenes": 50, "crop_epochs": 3}))
    config = QAConfig.from_options(options)
    assert (config.scenes, config.crop_epochs, config.questions) == (50, 3, 20)
    with pytest.raises(NesyError, match="setting B: rounds must be an integer >= 1, got 0"):
        QAConfig(rounds=0)
    with pytest.raises(NesyError, match="min_objects=5 is above max_objects=4"):
        QAConfig(min_objects=5, max_objects=4)


def test_setting_b_through_the_suite_reports_rounds_and_no_attribute_annotations():
    options = {"n_train": 60, "n_test": 20, "images": 1, "perception": "qa", "qa_scenes": 6}
    results = run_suite(ClevrSuite(), BenchConfig(quick=True, workers=2, options=options))
    assert results["perception_setting"].startswith("B ") and results["attribute_annotations"] == 0
    assert results["perception_train_images"] >= 6 and "positions" in results["localisation"]
    (first,) = results["rounds"]  # one round with --quick
    assert first["abduced_scenes"] == first["of_scenes"] == results["perception_train_images"]
    assert set(first["label_accuracy"]) == {"size", "color", "material", "shape"}
    # the answers carry information: the abduced colours beat the untrained classifier's guesses by far
    assert first["label_accuracy"]["color"] >= first["model_accuracy_before"]["color"] + 0.3
    json.dumps(results)
