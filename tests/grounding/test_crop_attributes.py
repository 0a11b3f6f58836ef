"""Crop attribute classifiers learn from weighted labels; with a position-only detector they perceive scenes."""

import numpy as np
import pytest
import torch

from nesy.grounding.crop_attributes import CropAttributes, DetectAndClassify, position_detector

VOCAB = {"shade": ("dark", "light")}


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny networks: one intra-op thread (extra threads thrash on a shared 2-core machine)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def squares(n: int, seed: int = 0):
    """Pictures with one 8x8 square each, dark or light, at a random place; its centre and shade."""
    rng = np.random.default_rng(seed)
    pictures = np.full((n, 32, 32, 3), 200, np.uint8)
    centres, shades = [], []
    for i in range(n):
        x, y, dark = int(rng.integers(4, 20)), int(rng.integers(4, 20)), bool(rng.integers(2))
        pictures[i, y:y + 8, x:x + 8] = 30 if dark else 120
        centres.append((x + 3.5, y + 3.5))
        shades.append(0 if dark else 1)
    return pictures, centres, torch.tensor(shades)


def where(centres):
    return torch.arange(len(centres)), torch.tensor([c[0] for c in centres]), torch.tensor([c[1] for c in centres])


def test_labels_of_weight_zero_teach_nothing():
    pictures, centres, shades = squares(32)
    model = CropAttributes(VOCAB, 32, 32, crop=16, device="cpu", seed=1)
    x = model.tensor(pictures)
    wrong = 1 - shades  # every label wrong, but only the first half counts
    weights = torch.zeros(32, 1)
    weights[16:] = 1.0
    labels = torch.where(torch.arange(32) < 16, wrong, shades)[:, None]
    model.fit(x, *where(centres), labels, weights, epochs=40)
    (p,) = model.predict_proba(x, *where(centres))
    assert (p.argmax(1) == shades).float().mean() >= 0.9  # the weighted (right) half won, the wrong half was ignored


def test_detector_trained_on_positions_and_classifier_perceive_scenes():
    pictures, centres, shades = squares(32, seed=2)
    detector = position_detector(32, 32, device="cpu")
    assert detector.attributes == {"object": ("object",)}
    detector.fit(pictures, [[{"x": x, "y": y, "object": "object"}] for x, y in centres], centre_epochs=10, crop_epochs=10)
    classifier = CropAttributes(VOCAB, 32, 32, crop=16, device="cpu")
    classifier.fit(classifier.tensor(pictures), *where(centres), shades[:, None], torch.ones(32, 1), epochs=30)
    found = DetectAndClassify(detector, classifier).perceive(pictures[:8])
    alone = detector.perceive(pictures[:8])
    assert [[(o.x, o.y) for o in objs] for objs in found] == [[(o.x, o.y) for o in objs] for objs in alone]
    near = [(o, int(s)) for objs, (x, y), s in zip(found, centres, shades) for o in objs if (o.x - x) ** 2 + (o.y - y) ** 2 < 4]
    assert len(near) >= 4
    assert all(o.attributes["shade"] == VOCAB["shade"][s] for o, s in near)
