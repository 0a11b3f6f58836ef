"""Attribute classifiers on crops at given object positions, trained on (weighted) labels.

Setting B of scene perception (as NS-CL) learns attributes with no attribute annotation: the
labels come from abduction (:mod:`~nesy.grounding.attribute_abduction`) and carry a confidence
per label, which weighs its loss. Objects are found by a class-agnostic detector: a
:class:`~nesy.grounding.scene_perception.ScenePerception` whose only "attribute" has one value, so
it learns object positions and nothing else (:func:`position_detector`).
:class:`DetectAndClassify` puts the two together and perceives scenes as ScenePerception does.

Example:
    >>> import numpy as np
    >>> vocab = {"shade": ("dark", "light")}
    >>> pictures = np.full((2, 32, 32, 3), 200, np.uint8)
    >>> pictures[0, 8:16, 8:16] = 30
    >>> pictures[1, 16:24, 16:24] = 120
    >>> model = CropAttributes(vocab, 32, 32, crop=16, device="cpu")
    >>> x = model.tensor(pictures)
    >>> where = torch.tensor([0, 1]), torch.tensor([11.5, 19.5]), torch.tensor([11.5, 19.5])
    >>> loss = model.fit(x, *where, torch.tensor([[0], [1]]), torch.ones(2, 1), epochs=30)
    >>> [p.argmax(1).tolist() for p in model.predict_proba(x, *where)]
    [[0, 1]]
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Mapping, Sequence

import torch
from torch import nn

from nesy.proposer.device import DeviceLike, pick_device, seeded

from .perception_data import check_pictures, to_scene
from .scene_nets import CropNet, crops_at
from .scene_perception import PerceivedObject, ScenePerception

log = logging.getLogger(__name__)

__all__ = ["CropAttributes", "DetectAndClassify", "position_detector"]

#: The detector's only attribute: "there is an object here" (one value: it learns nothing from labels).
OBJECT = {"object": ("object",)}


def position_detector(width: int, height: int, *, seed: int = 0, device: DeviceLike = None) -> ScenePerception:
    """A class-agnostic detector, fitted on annotations that carry only positions: ``{"x", "y", "object": "object"}``."""
    return ScenePerception(OBJECT, width, height, seed=seed, device=device)


class CropAttributes:
    """Crops around object positions -> one probability vector per attribute.

    Args:
        attributes: Attribute name -> its values.
        width: Picture width.
        height: Picture height.
        crop: Crop side (a multiple of 8).
        batch_size: Crops per training step.
        lr: Adam learning rate.
        jitter: Training crops are moved up to this many pixels (the detector is not exact).
        seed: Seed of initialisation and sampling.
        device: None picks CUDA when present.
    """

    def __init__(
        self, attributes: Mapping[str, Sequence[str]], width: int, height: int, *, crop: int = 24, batch_size: int = 128,
        lr: float = 2e-3, jitter: int = 1, seed: int = 0, device: DeviceLike = None,
    ) -> None:
        self.attributes = {name: tuple(values) for name, values in attributes.items()}
        self.width, self.height, self.crop = width, height, crop
        self.batch_size, self.lr, self.jitter, self.seed = batch_size, lr, jitter, seed
        self.device = pick_device(device)
        with seeded(seed):
            self.net = CropNet([len(v) for v in self.attributes.values()], crop).to(self.device)
        self.optimizer = torch.optim.Adam(self.net.parameters(), lr=lr)

    def tensor(self, pictures: Any) -> torch.Tensor:
        """Pictures ``(n, height, width, 3)`` uint8 -> the normalised ``(n, 3, height, width)`` input."""
        array = check_pictures(pictures, self.height, self.width)
        return torch.as_tensor(array).permute(0, 3, 1, 2).float().div(255).sub(0.5).div(0.25)

    def _forward(self, x: torch.Tensor, index: torch.Tensor, xs: torch.Tensor, ys: torch.Tensor) -> list[torch.Tensor]:
        cx, cy = xs.round().clamp(0, self.width - 1), ys.round().clamp(0, self.height - 1)
        place = torch.stack([cx / self.width - 0.5, cy / self.height - 0.5], dim=1)
        logits, _, _ = self.net(crops_at(x, index, cx, cy, self.crop).to(self.device), place.to(self.device))
        return logits

    @torch.no_grad()
    def predict_proba(self, x: torch.Tensor, index: torch.Tensor, xs: torch.Tensor, ys: torch.Tensor) -> list[torch.Tensor]:
        """Per attribute, ``(objects, values)`` probabilities of the objects at ``(xs, ys)`` of picture ``index``."""
        self.net.train(False)
        parts = [self._forward(x, index[b], xs[b], ys[b]) for b in torch.arange(len(index)).split(4 * self.batch_size)]
        if not parts:
            return [torch.zeros(0, len(v)) for v in self.attributes.values()]
        return [torch.cat([p[k] for p in parts]).softmax(1).cpu() for k in range(len(self.attributes))]

    def fit(
        self, x: torch.Tensor, index: torch.Tensor, xs: torch.Tensor, ys: torch.Tensor, labels: torch.Tensor,
        weights: torch.Tensor, *, epochs: int = 1,
    ) -> float:
        """Train on ``(objects, attributes)`` value indices, each label's loss times its weight; the last loss."""
        self.net.train(True)
        loss_value = float("nan")
        with seeded(self.seed, self.device):
            for _ in range(epochs):
                for batch in torch.randperm(len(index)).split(self.batch_size):
                    if len(batch) < 2:
                        continue
                    shift = torch.randint(-self.jitter, self.jitter + 1, (2, len(batch))).float()
                    logits = self._forward(x, index[batch], xs[batch] + shift[0], ys[batch] + shift[1])
                    w, y = weights[batch].to(self.device), labels[batch].to(self.device)
                    loss = sum((nn.functional.cross_entropy(lg, y[:, k], reduction="none") * w[:, k]).mean() for k, lg in enumerate(logits))
                    self.optimizer.zero_grad()
                    loss.backward()
                    self.optimizer.step()
                    loss_value = loss.item()
        self.seed += 1  # the next call draws other batches
        return loss_value


class DetectAndClassify:
    """A position detector and attribute classifiers, perceiving pictures as :class:`ScenePerception` does."""

    def __init__(self, detector: ScenePerception, classifier: CropAttributes) -> None:
        self.detector, self.classifier = detector, classifier
        self.device = classifier.device

    def perceive(self, pictures: Any) -> list[list[PerceivedObject]]:
        """The objects of each picture with their most probable attribute values."""
        found = self.detector.perceive(pictures)
        index = torch.tensor([i for i, objs in enumerate(found) for _ in objs], dtype=torch.long)
        xs = torch.tensor([o.x for objs in found for o in objs])
        ys = torch.tensor([o.y for objs in found for o in objs])
        probabilities = self.classifier.predict_proba(self.classifier.tensor(pictures), index, xs, ys)
        values = [p.argmax(1).tolist() for p in probabilities]
        out: list[list[PerceivedObject]] = [[] for _ in found]
        for k, (i, o) in enumerate((i, o) for i, objs in enumerate(found) for o in objs):
            attrs = {name: vals[values[a][k]] for a, (name, vals) in enumerate(self.classifier.attributes.items())}
            out[i].append(PerceivedObject(o.x, o.y, attrs, o.score))
        return out

    def perceive_scenes(
        self, pictures: Any, locate: Callable[[PerceivedObject], Sequence[float]], relate: Callable[[list[list[float]]], dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Perceived scenes in CLEVR's layout (see :func:`~nesy.grounding.perception_data.to_scene`)."""
        return [to_scene(objects, locate, relate, index=i) for i, objects in enumerate(self.perceive(pictures))]
