"""Setting A's evaluation: perfect perception scores 1.0 everywhere; a tiny run reports every figure."""

import json

from nesy.benchmarks.clevr.perception_eval import annotations, main, match, scene_metrics
from nesy.benchmarks.clevr.questions import GenerationConfig, generate_questions
from nesy.benchmarks.clevr.reference import execute_reference
from nesy.benchmarks.clevr.render import DEFAULT_CAMERA
from nesy.benchmarks.clevr.scenes import compute_relationships
from nesy.benchmarks.clevr.vocab import ATTRIBUTES, RADIUS
from nesy.grounding.scene_perception import PerceivedObject, to_scene


def locate(obj):
    z = RADIUS[obj.attributes["size"]]
    return [*DEFAULT_CAMERA.to_ground(obj.x, obj.y, z), z]


def perfect(scene):
    """The scene as a perfect perception module would report it (objects in reverse order)."""
    objects = [PerceivedObject(n["x"], n["y"], {k: n[k] for k in ATTRIBUTES}, 1.0) for n in annotations(scene)][::-1]
    return to_scene(objects, locate, compute_relationships, scene["image_index"])


def test_perfect_perception_is_exact_and_answers_agree():
    scenes, questions, _ = generate_questions(GenerationConfig(n_questions=60, seed=3))
    perceived = {s["image_index"]: perfect(s) for s in scenes}
    for scene in scenes:
        m = scene_metrics(scene, perceived[scene["image_index"]], DEFAULT_CAMERA)
        assert m["exact"] and m["matched"] == m["true"] == m["perceived"]
        assert max(m["errors"]) < 1e-3
    assert all(execute_reference(q.program, perceived[q.image_index]) == q.answer for q in questions)


def test_a_wrong_attribute_or_a_missing_object_is_not_exact():
    scenes, _, _ = generate_questions(GenerationConfig(n_questions=10, seed=4))
    scene = scenes[0]
    wrong = perfect(scene)
    wrong["objects"][0]["color"] = "gray" if wrong["objects"][0]["color"] != "gray" else "red"
    m = scene_metrics(scene, wrong, DEFAULT_CAMERA)
    assert not m["exact"] and m["hits"]["color"] == m["matched"] - 1
    missing = perfect(scene)
    missing["objects"] = missing["objects"][1:]
    missing["relationships"] = compute_relationships([o["3d_coords"] for o in missing["objects"]])
    m = scene_metrics(scene, missing, DEFAULT_CAMERA)
    assert not m["exact"] and m["matched"] == m["true"] - 1


def test_match_is_one_to_one_within_the_radius():
    scenes, _, _ = generate_questions(GenerationConfig(n_questions=10, seed=5))
    scene = scenes[0]
    doubled = perfect(scene)
    doubled["objects"] = doubled["objects"] + doubled["objects"]
    assert len(match(scene["objects"], doubled["objects"], DEFAULT_CAMERA, 4.0)) == len(scene["objects"])
    far = perfect(scene)
    for o in far["objects"]:
        o["pixel_coords"][0] += 10
    assert match(scene["objects"], far["objects"], DEFAULT_CAMERA, 4.0) == []


def test_a_tiny_run_reports_every_figure(capsys):
    r = main(["--n-train", "16", "--n-questions", "20", "--centre-epochs", "1", "--crop-epochs", "1", "--device", "cpu"])
    assert json.loads(capsys.readouterr().out) == r
    assert r["program_annotations"] == 0 and r["n_questions"] == 20 and r["n_train_scenes"] == 16
    for value in [*r["detection"].values(), *r["attributes"].values(), r["scene_exact"], r["answer_agreement"]]:
        assert 0.0 <= value <= 1.0
    assert set(r["attributes"]) == set(ATTRIBUTES) and r["train_seconds"] > 0
