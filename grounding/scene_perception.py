"""Scene perception: find the objects in a picture and classify their attributes, batched.

Two small networks (:mod:`~nesy.grounding.scene_nets`), both learned from pictures annotated with
each object's image position and attribute values (what NS-VQA's Mask R-CNN and attribute
network learn from):

1. a centre network proposes object centres (peaks of a heat map at stride 4);
2. a crop network looks at a fixed-size crop around each proposal and says whether an object is
   centred there, how far its centre is from the crop's centre (sub-pixel refinement; the crop is
   taken twice, the second time at the refined centre), and each attribute's value.

Nothing here knows what the attributes mean: the vocabulary (attribute name -> values) is the
caller's, and so is the mapping from image positions to scene coordinates and the relation
function (:func:`to_scene`). Runs on CUDA when present (:func:`~nesy.proposer.device.pick_device`).

Example:
    >>> import numpy as np
    >>> vocab = {"shade": ("dark", "light")}
    >>> pictures = np.full((2, 32, 32, 3), 200, np.uint8)
    >>> pictures[0, 8:16, 8:16] = 30
    >>> pictures[1, 16:24, 16:24] = 120
    >>> notes = [[{"x": 11.5, "y": 11.5, "shade": "dark"}], [{"x": 19.5, "y": 19.5, "shade": "light"}]]
    >>> model = ScenePerception(vocab, width=32, height=32, crop=16, device="cpu")
    >>> model.fit(pictures, notes, centre_epochs=1, crop_epochs=1).pictures
    2
    >>> found = model.perceive(pictures)
    >>> len(found)
    2
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import torch
from torch import nn

from nesy.errors import NesyError
from nesy.proposer.device import DeviceLike, pick_device, seeded

from .perception_data import check_annotations, check_pictures, sample_crops, to_scene
from .scene_nets import CropNet, centre_net, crops_at, focal_heat_loss, heat_targets

__all__ = ["PerceivedObject", "PerceptionFit", "ScenePerception", "to_scene"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PerceivedObject:
    """One object found in a picture: its image position, attribute values and confidence."""

    x: float
    y: float
    attributes: dict[str, str]
    score: float


@dataclass
class PerceptionFit:
    """What :meth:`ScenePerception.fit` did."""

    pictures: int
    objects: int
    centre_loss: float
    crop_loss: float
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)


def _stepper(module: nn.Module, lr: float, steps: int) -> Callable[[torch.Tensor], float]:
    """Puts ``module`` in training mode; returns one Adam step (one-cycle schedule over ``steps``) per loss."""
    module.train(True)
    optimizer = torch.optim.Adam(module.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, lr, total_steps=max(steps, 1))

    def step(loss: torch.Tensor) -> float:
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        return loss.item()

    return step


class ScenePerception:
    """Pictures -> objects with attributes and image positions.

    Args:
        attributes: Attribute name -> its values (the caller's vocabulary).
        width: Picture width in pixels.
        height: Picture height in pixels (both multiples of ``stride``).
        stride: Cell size of the centre heat map.
        crop: Side of the crops the attribute network sees (a multiple of 8).
        heat_threshold: Least heat-map probability of a proposal.
        min_distance: Two detections closer than this (pixels) are one object.
        batch_size: Pictures per training batch of the centre network (crops: 8 times as many).
        lr: Adam learning rate of both networks.
        seed: Seed of initialisation and sampling.
        device: None picks CUDA when present, else the CPU.
    """

    def __init__(
        self,
        attributes: Mapping[str, Sequence[str]],
        width: int,
        height: int,
        *,
        stride: int = 4,
        crop: int = 24,
        heat_threshold: float = 0.15,
        min_distance: float = 4.0,
        batch_size: int = 16,
        lr: float = 3e-3,
        seed: int = 0,
        device: DeviceLike = None,
    ) -> None:
        if not attributes or any(len(v) < 1 for v in attributes.values()):
            raise NesyError("scene perception: attributes must map each name to at least one value")
        if width % stride or height % stride or crop % 8:
            raise NesyError(f"scene perception: width and height must be multiples of stride {stride}, crop of 8")
        self.attributes = {name: tuple(values) for name, values in attributes.items()}
        self.width, self.height, self.stride, self.crop = width, height, stride, crop
        self.heat_threshold, self.min_distance = heat_threshold, min_distance
        self.batch_size, self.lr, self.seed = batch_size, lr, seed
        self.device = pick_device(device)
        with seeded(seed):
            self.centre = centre_net(stride).to(self.device)
            self.crops = CropNet([len(v) for v in self.attributes.values()], crop).to(self.device)

    # -- inputs -----------------------------------------------------------------------------
    def _tensor(self, pictures: Any) -> torch.Tensor:
        array = check_pictures(pictures, self.height, self.width)
        x = torch.as_tensor(array).permute(0, 3, 1, 2).float().div(255).sub(0.5).div(0.25)
        return x

    def _with_coords(self, x: torch.Tensor) -> torch.Tensor:
        n = len(x)
        ys = torch.linspace(-1, 1, self.height).view(1, 1, -1, 1).expand(n, 1, self.height, self.width)
        xs = torch.linspace(-1, 1, self.width).view(1, 1, 1, -1).expand(n, 1, self.height, self.width)
        return torch.cat([x, xs, ys], dim=1)

    def _place(self, xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
        return torch.stack([xs.float() / self.width - 0.5, ys.float() / self.height - 0.5], dim=1)

    # -- training ---------------------------------------------------------------------------
    def fit(self, pictures: Any, annotations: Sequence[Sequence[Mapping[str, Any]]], *, centre_epochs: int = 6, crop_epochs: int = 8) -> PerceptionFit:
        """Train both networks on annotated pictures.

        Args:
            pictures: ``(n, height, width, 3)`` uint8 array or tensor.
            annotations: Per picture, its objects: ``{"x", "y"}`` (pixel centre) and one value per attribute.
            centre_epochs: Passes of the centre network over the pictures.
            crop_epochs: Passes of the crop network over the objects (plus sampled non-centres).
        """
        started = time.perf_counter()
        x = self._tensor(pictures)
        if len(annotations) != len(x):
            raise NesyError(f"scene perception: {len(x)} pictures but {len(annotations)} annotation lists")
        centres, labels = check_annotations(annotations, self.attributes)
        with seeded(self.seed, self.device):
            centre_loss = self._fit_centres(x, centres, centre_epochs)
            crop_loss = self._fit_crops(x, centres, labels, crop_epochs)
        seconds = time.perf_counter() - started
        log.info("scene perception: fitted on %d pictures in %.1f s", len(x), seconds)
        return PerceptionFit(len(x), sum(len(c) for c in centres), centre_loss, crop_loss, seconds)

    def _fit_centres(self, x: torch.Tensor, centres: list[list[tuple[float, float]]], epochs: int) -> float:
        target = heat_targets(centres, (self.height // self.stride, self.width // self.stride), self.stride)
        inputs = self._with_coords(x)
        step = _stepper(self.centre, self.lr, epochs * max(1, -(-len(x) // self.batch_size)))
        loss_value = float("nan")
        for _ in range(epochs):
            for batch in torch.randperm(len(x)).split(self.batch_size):
                if len(batch) < 2:
                    continue
                loss_value = step(focal_heat_loss(self.centre(inputs[batch].to(self.device)), target[batch].to(self.device)))
        return loss_value

    def _fit_crops(self, x: torch.Tensor, centres: list[list[tuple[float, float]]], labels: torch.Tensor, epochs: int) -> float:
        batch_size = 8 * self.batch_size
        step = _stepper(self.crops, self.lr, epochs * max(1, -(-3 * len(labels) // batch_size)))  # three crops per object
        loss_value = float("nan")
        for _ in range(epochs):
            sample = sample_crops(centres, labels, self.width, self.height)
            for batch in torch.randperm(len(sample.index)).split(batch_size):
                if len(batch) < 2:
                    continue
                crops = crops_at(x, sample.index[batch], sample.xs[batch], sample.ys[batch], self.crop).to(self.device)
                logits, offset, objectness = self.crops(crops, self._place(sample.xs[batch], sample.ys[batch]).to(self.device))
                centred, off, pulled = (m[batch].to(self.device) for m in (sample.centred, sample.off, sample.pulled))
                judged = centred | off
                loss = nn.functional.binary_cross_entropy_with_logits(objectness[judged], centred[judged].float())
                if pulled.any():
                    loss = loss + 2 * nn.functional.l1_loss(offset[pulled], sample.offsets[batch].to(self.device)[pulled])
                if centred.any():
                    target = sample.labels[batch].to(self.device)[centred]
                    loss = loss + sum(nn.functional.cross_entropy(lg[centred], target[:, k]) for k, lg in enumerate(logits))
                loss_value = step(loss)
        return loss_value

    # -- inference --------------------------------------------------------------------------
    @torch.no_grad()
    def _proposals(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        self.centre.train(False)
        heat = torch.cat([torch.sigmoid(self.centre(b.to(self.device))).cpu() for b in self._with_coords(x).split(4 * self.batch_size)])
        peaks = (heat == nn.functional.max_pool2d(heat, 3, 1, 1)) & (heat > self.heat_threshold)
        index, _, gy, gx = peaks.nonzero(as_tuple=True)
        return index, (gx.float() + 0.5) * self.stride - 0.5, (gy.float() + 0.5) * self.stride - 0.5

    @torch.no_grad()
    def _read(self, x: torch.Tensor, index: torch.Tensor, xs: torch.Tensor, ys: torch.Tensor) -> tuple[Any, ...]:
        self.crops.train(False)
        out_logits, out_offset, out_obj = [], [], []
        for part in torch.arange(len(index)).split(32 * self.batch_size):
            cx, cy = xs[part].round(), ys[part].round()
            logits, offset, objectness = self.crops(
                crops_at(x, index[part], cx, cy, self.crop).to(self.device), self._place(cx, cy).to(self.device)
            )
            out_logits.append([lg.cpu() for lg in logits])
            out_offset.append(torch.stack([cx, cy], 1) + offset.cpu())
            out_obj.append(torch.sigmoid(objectness).cpu())
        if not out_offset:
            return [torch.zeros(0, len(v)) for v in self.attributes.values()], torch.zeros(0, 2), torch.zeros(0)
        logits = [torch.cat([chunk[k] for chunk in out_logits]) for k in range(len(self.attributes))]
        return logits, torch.cat(out_offset), torch.cat(out_obj)

    def perceive(self, pictures: Any, passes: int = 3) -> list[list[PerceivedObject]]:
        """The objects of each picture, most confident first.

        Args:
            pictures: ``(n, height, width, 3)`` uint8 array or tensor.
            passes: Crops read per proposal, each at the centre the previous one found (at least 1).
        """
        x = self._tensor(pictures)
        index, xs, ys = self._proposals(x)
        for _ in range(max(1, passes)):
            logits, centre, score = self._read(x, index, xs, ys)
            xs, ys = centre[:, 0].clamp(0, self.width - 1), centre[:, 1].clamp(0, self.height - 1)
        values = [lg.argmax(1) for lg in logits]
        found: list[list[PerceivedObject]] = [[] for _ in range(len(x))]
        for k in score.argsort(descending=True).tolist():
            if score[k] < 0.5:
                break
            px, py = float(centre[k, 0]), float(centre[k, 1])
            kept = found[int(index[k])]
            if any((o.x - px) ** 2 + (o.y - py) ** 2 < self.min_distance**2 for o in kept):
                continue
            attrs = {name: vals[int(values[a][k])] for a, (name, vals) in enumerate(self.attributes.items())}
            kept.append(PerceivedObject(px, py, attrs, float(score[k])))
        return found

    def perceive_scenes(
        self, pictures: Any, locate: Callable[[PerceivedObject], Sequence[float]], relate: Callable[[list[list[float]]], dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Perceived scenes in CLEVR's layout (see :func:`to_scene`), one per picture."""
        return [to_scene(objects, locate, relate, index=i) for i, objects in enumerate(self.perceive(pictures))]

