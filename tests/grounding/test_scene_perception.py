"""Scene perception on small synthetic pictures: it learns to count and classify, is seeded, and refuses bad input."""

import numpy as np
import pytest

from nesy.errors import NesyError
from nesy.grounding.scene_perception import PerceivedObject, ScenePerception, to_scene

VOCAB = {"color": ("red", "blue"), "shape": ("square", "disc")}
RGB = {"red": (200, 30, 30), "blue": (30, 60, 210)}
H, W = 48, 64


def picture(rng):
    """A grey picture with 1-3 well separated squares and discs; its annotations."""
    image = np.full((H, W, 3), 190, np.uint8)
    notes = []
    ys, xs = np.mgrid[0:H, 0:W]
    for _ in range(int(rng.integers(1, 4))):
        for _ in range(100):
            x, y = float(rng.integers(6, W - 6)) + 0.5, float(rng.integers(6, H - 6)) + 0.5
            if all((x - n["x"]) ** 2 + (y - n["y"]) ** 2 >= 14**2 for n in notes):
                break
        else:
            continue
        color, shape = rng.choice(VOCAB["color"]), rng.choice(VOCAB["shape"])
        if shape == "square":
            inside = (np.abs(xs - x) <= 4) & (np.abs(ys - y) <= 4)
        else:
            inside = (xs - x) ** 2 + (ys - y) ** 2 <= 4.6**2
        image[inside] = RGB[color]
        notes.append({"x": x, "y": y, "color": str(color), "shape": str(shape)})
    noise = rng.normal(0, 3, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8), notes


def data(n, seed):
    rng = np.random.default_rng(seed)
    pics, notes = zip(*(picture(rng) for _ in range(n)))
    return np.stack(pics), list(notes)


@pytest.fixture(scope="module")
def trained():
    pictures, notes = data(100, seed=0)
    model = ScenePerception(VOCAB, width=W, height=H, crop=16, batch_size=16, seed=0, device="cpu")
    report = model.fit(pictures, notes, centre_epochs=5, crop_epochs=5)
    return model, report


def test_finds_the_right_objects_after_a_short_training(trained):
    model, report = trained
    assert report.pictures == 100 and report.objects > 100
    pictures, notes = data(30, seed=1)
    found = model.perceive(pictures)
    counts_right = sum(len(f) == len(n) for f, n in zip(found, notes))
    assert counts_right >= 27, [(len(f), len(n)) for f, n in zip(found, notes)]
    hits = total = 0
    for objects, truth in zip(found, notes):
        for t in truth:
            near = [o for o in objects if (o.x - t["x"]) ** 2 + (o.y - t["y"]) ** 2 <= 2.0**2]
            total += 1
            hits += bool(near) and near[0].attributes == {"color": t["color"], "shape": t["shape"]}
    assert hits >= 0.9 * total


def test_empty_batch_and_blank_picture(trained):
    model, _ = trained
    assert model.perceive(np.zeros((0, H, W, 3), np.uint8)) == []
    assert model.perceive(np.full((1, H, W, 3), 190, np.uint8)) == [[]]


def test_same_seed_same_model():
    pictures, notes = data(12, seed=3)
    outputs = []
    for _ in range(2):
        model = ScenePerception(VOCAB, width=W, height=H, crop=16, batch_size=8, seed=5, device="cpu")
        model.fit(pictures, notes, centre_epochs=1, crop_epochs=1)
        outputs.append(model.perceive(pictures[:4]))
    assert outputs[0] == outputs[1]


def test_to_scene_uses_the_callers_mapping_and_relations():
    objects = [PerceivedObject(10.0, 20.0, {"color": "red"}, 0.9), PerceivedObject(30.0, 5.0, {"color": "blue"}, 0.8)]
    scene = to_scene(objects, lambda o: [o.x / 10, o.y / 10, 0.0], lambda coords: {"left": [[], [0]], "n": len(coords)}, index=7)
    assert scene["image_index"] == 7
    assert [o["3d_coords"] for o in scene["objects"]] == [[1.0, 2.0, 0.0], [3.0, 0.5, 0.0]]
    assert scene["objects"][1]["color"] == "blue" and scene["relationships"] == {"left": [[], [0]], "n": 2}


def test_bad_inputs_are_refused_with_one_clear_error():
    model = ScenePerception(VOCAB, width=W, height=H, crop=16, device="cpu")
    with pytest.raises(NesyError, match=r"expected pictures of shape \(n, 48, 64, 3\) \(uint8\), got \(2, 48, 48, 3\)"):
        model.perceive(np.zeros((2, H, H, 3), np.uint8))
    with pytest.raises(NesyError, match="of float64"):
        model.perceive(np.zeros((2, H, W, 3)))
    pictures, notes = data(2, seed=4)
    with pytest.raises(NesyError, match="2 pictures but 1 annotation lists"):
        model.fit(pictures, notes[:1])
    notes[1][0]["shape"] = "star"
    with pytest.raises(NesyError, match=r"annotation 1, object 0: shape: unknown value 'star' \(known: square, disc\)"):
        model.fit(pictures, notes)
    del notes[1][0]["x"]
    with pytest.raises(NesyError, match=r"annotation 1, object 0: x: expected a finite number, got None"):
        model.fit(pictures, notes)
    with pytest.raises(NesyError, match="multiples of stride"):
        ScenePerception(VOCAB, width=30, height=H)
    with pytest.raises(NesyError, match="at least one value"):
        ScenePerception({"color": ()}, width=W, height=H)
