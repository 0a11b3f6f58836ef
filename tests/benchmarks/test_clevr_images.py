"""``nesy bench clevr --images``: options refused clearly, and the quick end-to-end path writes its fields."""

import json

import pytest
from click.testing import CliRunner

from nesy.benchmarks.clevr.suite import options_of
from nesy.cli.main import cli
from nesy.errors import NesyError
from nesy.suites import REQUIRED_FIELDS, BenchConfig

def test_image_options_have_defaults_and_bad_ones_are_named():
    options = options_of(BenchConfig(options={"images": 1}))
    assert options["perception"] == "annotated" and options["n_perception_train"] == 3000
    assert options["min_visible_pixels"] == 50  # CLEVR's 200 visible pixels at 320 x 240, at 160 x 120
    assert options_of(BenchConfig(quick=True, options={"images": 1, "perception": "qa"}))["perception"] == "qa"
    for bad, needle in [
        ({"images": 2}, "images= must be 0 or 1"),
        ({"images": 1, "n_perception_train": 0}, "n_perception_train= must be an integer >= 2"),
        ({"images": 1, "n_perception_train": "many"}, "n_perception_train"),
        ({"images": 1, "crop_epochs": 0}, "crop_epochs"),
        ({"images": 1, "min_visible_pixels": -1}, "min_visible_pixels"),
        ({"images": 1, "perception": "boxes"}, "perception= must be one of annotated, qa, got 'boxes'"),
        ({"perception": "qa"}, "perception= needs --images"),
        ({"images": 1, "check_executors": 1}, "cannot be combined"),
        ({"images": 1, "qa_min_objects": 6, "qa_max_objects": 4}, "qa_min_objects=6 is above qa_max_objects=4"),
        ({"images": 1, "qa_rounds": 0}, "qa_rounds"),
    ]:
        with pytest.raises(NesyError, match=needle):
            options_of(BenchConfig(options=bad))


def test_the_quick_images_cli_writes_end_to_end_and_perception_fields(tmp_path):
    out = tmp_path / "images.json"
    args = ["bench", "clevr", "--quick", "--images", "--workers", "2", "--no-progress", "--json", str(out),
            "--set", "n_train=60", "--set", "n_test=20", "--set", "n_perception_train=8"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    results = json.loads(out.read_text())
    assert set(REQUIRED_FIELDS) <= set(results)
    assert results["images"] is True and results["program_annotations"] == 0
    assert results["perception_setting"].startswith("A ") and results["perception_train_images"] == 8
    assert results["perception_train_seconds"] > 0 and results["n_test"] == 20
    assert results["min_visible_pixels"] == 50
    assert results["guided"] is False  # --set guided=1: readings chosen on the perceived scene (end to end) and on the true one
    for key in ("accuracy", "accuracy_symbolic", "perception_agreement", "parsed_share"):
        assert 0.0 <= results[key] <= 1.0
    assert results["accuracy"] <= results["parsed_share"]
    errors, n = results["errors"], results["n_test"]  # every end-to-end error is the parser's or perception's
    assert errors["parser"] + errors["perception"] == round(n * (1 - results["accuracy"]))
    assert errors["parser"] + errors["lucky"] == round(n * (1 - results["accuracy_symbolic"]))
    assert len(results["wrong_examples"]) == min(20, errors["parser"] + errors["perception"])
    assert {w["cause"] for w in results["wrong_examples"]} <= {"parser", "perception"}
    families = results["per_family"]  # per family, the same counts add up to the totals
    assert sum(e["n"] for e in families.values()) == n
    assert sum(e["right"] for e in families.values()) == round(n * results["accuracy"])
    assert sum(e["right_symbolic"] for e in families.values()) == round(n * results["accuracy_symbolic"])
    assert all(e["accuracy"] == e["right"] / e["n"] for e in families.values())


def test_the_visibility_rule_reaches_the_training_and_the_test_scenes_of_a_split():
    from nesy.benchmarks.clevr.learning import split_configs

    for split in ("iid", "cogent"):
        plain = split_configs(split, n_train=20, n_test=10, seed=0)
        ruled = split_configs(split, n_train=20, n_test=10, seed=0, min_visible_pixels=50)
        assert [c.scenes.min_visible_pixels for c in plain] == [0, 0]
        assert [c.scenes.min_visible_pixels for c in ruled] == [50, 50]
        assert [c.scenes.cogent for c in ruled] == [c.scenes.cogent for c in plain]
