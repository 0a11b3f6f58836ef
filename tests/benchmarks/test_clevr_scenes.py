"""CLEVR scenes: placement constraints, relations as CLEVR computes them, scene files in and out."""

import itertools
import json
import math

import pytest

from nesy.benchmarks.clevr.scenes import (
    COGENT_COLORS,
    SceneConfig,
    build_scene,
    compute_relationships,
    generate_scene,
    generate_scenes,
    load_scenes,
    validate_scene,
    write_scenes,
)
from nesy.benchmarks.clevr.vocab import ATTRIBUTES, DIRECTIONS, INVERSE, RADIUS, RELATIONS
from nesy.errors import NesyError

OBJECT_FIELDS = {"shape", "color", "size", "material", "3d_coords", "pixel_coords", "rotation"}


@pytest.fixture(scope="module")
def scenes():
    return generate_scenes(60, seed=11)


def _along(a, b, rel):
    return (b[0] - a[0]) * DIRECTIONS[rel][0] + (b[1] - a[1]) * DIRECTIONS[rel][1]


def test_scenes_have_clevr_layout_and_attribute_values(scenes):
    for k, scene in enumerate(scenes):
        assert scene["image_index"] == k and scene["image_filename"] == f"CLEVR_train_{k:06d}.png"
        assert set(scene["relationships"]) == set(RELATIONS)
        assert 3 <= len(scene["objects"]) <= 10
        for obj in scene["objects"]:
            assert set(obj) == OBJECT_FIELDS
            assert all(obj[a] in values for a, values in ATTRIBUTES.items())
            x, y, z = obj["3d_coords"]
            assert -3 <= x <= 3 and -3 <= y <= 3 and z == RADIUS[obj["size"]]
            assert 0 <= obj["rotation"] < 360 and len(obj["pixel_coords"]) == 3
        validate_scene(scene)
    assert {len(s["objects"]) for s in scenes} >= {3, 10}


def test_objects_keep_the_minimum_gap_and_the_placement_margin(scenes):
    config = SceneConfig()
    for scene in scenes:
        for a, b in itertools.combinations(scene["objects"], 2):
            (xa, ya, ra), (xb, yb, rb) = a["3d_coords"], b["3d_coords"]
            assert math.hypot(xa - xb, ya - yb) - ra - rb >= config.min_gap
            for rel in ("left", "behind"):
                assert abs(_along(a["3d_coords"], b["3d_coords"], rel)) >= config.placement_margin


def test_relations_are_clevrs_and_opposites_are_inverse(scenes):
    for scene in scenes:
        rels, objects = scene["relationships"], scene["objects"]
        assert rels == compute_relationships([o["3d_coords"] for o in objects])
        for rel in RELATIONS:
            for i, related in enumerate(rels[rel]):
                assert i not in related and related == sorted(related)
                for j in related:  # j is rel of i  <=>  i is the inverse of j
                    assert _along(objects[i]["3d_coords"], objects[j]["3d_coords"], rel) > 0.2
                    assert i in rels[INVERSE[rel]][j]
        for i, j in itertools.permutations(range(len(objects)), 2):  # the margin makes every pair comparable
            assert (j in rels["left"][i]) != (j in rels["right"][i])
            assert (j in rels["front"][i]) != (j in rels["behind"][i])


def test_objects_within_the_margin_are_in_neither_relation():
    right, behind = DIRECTIONS["right"], DIRECTIONS["behind"]
    at = lambda a, b: [a * right[0] + b * behind[0], a * right[1] + b * behind[1]]  # noqa: E731
    cube = {"shape": "cube", "color": "red", "size": "large", "material": "metal"}
    scene = build_scene([{**cube, "3d_coords": at(0, 0)}, {**cube, "3d_coords": at(0.1, 3)}, {**cube, "3d_coords": at(0.3, -0.15)}])
    rels = scene["relationships"]
    assert 1 not in rels["left"][0] and 1 not in rels["right"][0] and rels["behind"][0] == [1]
    assert rels["right"][0] == [2] and 2 not in rels["front"][0] + rels["behind"][0]


def test_generation_is_deterministic_and_seeded():
    assert generate_scene(5, seed=3) == generate_scenes(3, seed=3, start=4)[1]
    assert generate_scene(5, seed=3) != generate_scene(5, seed=4)


def test_impossible_placement_is_a_clear_error():
    config = SceneConfig(min_objects=10, max_objects=10, extent=0.5, max_tries=5, max_restarts=3)
    with pytest.raises(NesyError, match="cannot place 10 objects"):
        generate_scene(0, config=config)
    with pytest.raises(NesyError, match="min_objects"):
        SceneConfig(min_objects=4, max_objects=3)


def test_the_visibility_rule_keeps_every_object_in_view_and_leaves_other_scenes_alone():
    from nesy.benchmarks.clevr.render import visible_pixels

    plain = generate_scenes(300, seed=2)
    ruled = generate_scenes(300, seed=2, config=SceneConfig(min_visible_pixels=50))
    assert all(min(visible_pixels(s["objects"])) >= 50 for s in ruled)
    hidden = [i for i, s in enumerate(plain) if min(visible_pixels(s["objects"])) < 50]
    assert hidden  # some plain scenes hide an object; those, and only those, are drawn again
    assert [i for i in range(300) if plain[i] != ruled[i]] == hidden
    assert generate_scenes(5, seed=2, config=SceneConfig(min_visible_pixels=0)) == plain[:5]
    with pytest.raises(NesyError, match="every object showing 10000 pixels"):
        generate_scene(0, config=SceneConfig(min_visible_pixels=10_000, max_restarts=2))
    with pytest.raises(NesyError, match="min_visible_pixels"):
        SceneConfig(min_visible_pixels=-1)


def test_cogent_conditions_restrict_cube_and_cylinder_colours():
    for condition in ("A", "B"):
        for scene in generate_scenes(20, seed=1, config=SceneConfig(cogent=condition)):
            for obj in scene["objects"]:
                assert obj["color"] in COGENT_COLORS[condition][obj["shape"]]


def test_scene_files_round_trip(tmp_path, scenes):
    path = write_scenes(scenes[:5], tmp_path / "out" / "scenes.json")
    assert json.loads(path.read_text())["info"]["split"] == "train"
    assert load_scenes(path) == scenes[:5]
    (tmp_path / "bare.json").write_text(json.dumps(scenes[:2]))
    assert load_scenes(tmp_path / "bare.json") == scenes[:2]


def _spoil(scenes, change):
    broken = json.loads(json.dumps(scenes[:3]))
    change(broken[1])
    return {"scenes": broken}


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda s: s.pop("objects"), "objects: missing"),
        (lambda s: s["objects"][2].pop("color"), "objects[2].color: missing"),
        (lambda s: s["objects"][0].update(color="pink"), "objects[0].color: unknown value 'pink'"),
        (lambda s: s["objects"][1].update(shape=3), "objects[1].shape: unknown value 3"),
        (lambda s: s["objects"][0].update({"3d_coords": [1, 2]}), "objects[0].3d_coords: expected a list of 3 numbers"),
        (lambda s: s["objects"][0].pop("rotation"), "objects[0].rotation: missing"),
        (lambda s: s["relationships"]["left"][0].append(99), "relationships.left[0]: object index 99 out of range"),
        (lambda s: s["relationships"]["front"][1].append(1), "relationships.front[1]: an object cannot be front of itself"),
        (lambda s: s["relationships"].pop("behind"), "relationships.behind: missing"),
        (lambda s: s["relationships"]["right"].pop(), "relationships.right: expected one list per object"),
        (lambda s: s.update(image_index="7"), "image_index: expected an integer"),
    ],
)
def test_malformed_scene_files_are_refused_naming_file_scene_and_field(tmp_path, scenes, change, field):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_spoil(scenes, change)))
    with pytest.raises(NesyError) as info:
        load_scenes(path)
    assert str(info.value).startswith(f"{path}: scene 1: ") and field in str(info.value)


def test_unreadable_scene_files_are_refused(tmp_path):
    (tmp_path / "text.json").write_text("{not json")
    with pytest.raises(NesyError, match=r"text.json: not JSON \(line 1, column 2"):
        load_scenes(tmp_path / "text.json")
    (tmp_path / "number.json").write_text("3")
    with pytest.raises(NesyError, match="scenes: expected a list"):
        load_scenes(tmp_path / "number.json")
    with pytest.raises(NesyError, match="cannot read scene file"):
        load_scenes(tmp_path / "missing.json")
