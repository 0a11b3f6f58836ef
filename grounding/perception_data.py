"""Inputs and outputs of :mod:`~nesy.grounding.scene_perception`: checks, crop sampling, scenes.

* :func:`check_pictures` / :func:`check_annotations`: one :class:`~nesy.errors.NesyError` naming
  the picture, object and field for anything malformed;
* :func:`sample_crops`: per training epoch, three crops per object: one near its centre (an
  object is centred here: its attributes), one a little farther (the offset to its centre), one
  that is no object's centre (half anywhere, half just beside an object);
* :func:`to_scene`: perceived objects -> a scene in CLEVR's layout, coordinates and relations
  computed by the caller's functions.

Example:
    >>> check_pictures(np.zeros((1, 8, 8, 3), np.uint8), 8, 10)
    Traceback (most recent call last):
    ...
    nesy.errors.NesyError: scene perception: expected pictures of shape (n, 8, 10, 3) (uint8), got (1, 8, 8, 3)
    >>> check_annotations([[{"x": 1, "y": 2, "shade": "teal"}]], {"shade": ("dark", "light")})
    Traceback (most recent call last):
    ...
    nesy.errors.NesyError: scene perception: annotation 0, object 0: shade: unknown value 'teal' (known: dark, light)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import torch

from nesy.errors import NesyError

__all__ = ["CropSample", "check_annotations", "check_pictures", "sample_crops", "to_scene"]


def check_pictures(pictures: Any, height: int, width: int) -> np.ndarray:
    """``pictures`` as a ``(n, height, width, 3)`` uint8 array, or a :class:`NesyError`."""
    array = pictures.cpu().numpy() if isinstance(pictures, torch.Tensor) else np.asarray(pictures)
    if array.ndim != 4 or array.shape[1:] != (height, width, 3) or array.dtype != np.uint8:
        raise NesyError(
            f"scene perception: expected pictures of shape (n, {height}, {width}, 3) (uint8), got {tuple(array.shape)}"
            + ("" if array.dtype == np.uint8 else f" of {array.dtype}")
        )
    return array


def check_annotations(
    annotations: Sequence[Sequence[Mapping[str, Any]]], attributes: Mapping[str, Sequence[str]]
) -> tuple[list[list[tuple[float, float]]], torch.Tensor]:
    """Object centres per picture, and a ``(objects, attributes)`` tensor of value indices."""
    centres: list[list[tuple[float, float]]] = []
    labels: list[list[int]] = []
    for i, objects in enumerate(annotations):
        points = []
        for j, obj in enumerate(objects):
            where = f"scene perception: annotation {i}, object {j}"
            if not isinstance(obj, Mapping):
                raise NesyError(f"{where}: expected a mapping, got {type(obj).__name__}")
            for key in ("x", "y"):
                if not isinstance(obj.get(key), (int, float)) or isinstance(obj.get(key), bool) or not math.isfinite(obj[key]):
                    raise NesyError(f"{where}: {key}: expected a finite number, got {obj.get(key)!r}")
            row = []
            for name, values in attributes.items():
                if name not in obj:
                    raise NesyError(f"{where}: {name}: missing")
                if obj[name] not in values:
                    raise NesyError(f"{where}: {name}: unknown value {obj[name]!r} (known: {', '.join(values)})")
                row.append(list(values).index(obj[name]))
            points.append((float(obj["x"]), float(obj["y"])))
            labels.append(row)
        centres.append(points)
    return centres, torch.tensor(labels, dtype=torch.long).view(-1, len(attributes))


@dataclass
class CropSample:
    """Crop centres (integer pixels) of one epoch and their targets, all about the nearest object.

    ``centred``: within ``centred`` pixels of it (objectness 1, attribute targets apply);
    ``off``: at least ``near`` pixels from every object (objectness 0); crops in between only
    learn the offset. ``pulled``: within ``reach`` pixels, so the offset to it is learned.
    """

    index: torch.Tensor
    xs: torch.Tensor
    ys: torch.Tensor
    centred: torch.Tensor
    off: torch.Tensor
    pulled: torch.Tensor
    offsets: torch.Tensor
    labels: torch.Tensor


def _disc(x: float, y: float, radius: float, low: float = 0.0) -> tuple[float, float]:
    angle = float(torch.rand(1)) * 2 * math.pi
    r = low + (radius - low) * math.sqrt(float(torch.rand(1)))
    return x + r * math.cos(angle), y + r * math.sin(angle)


def sample_crops(
    centres: Sequence[Sequence[tuple[float, float]]], labels: torch.Tensor, width: int, height: int,
    centred: float = 2.5, near: float = 4.5, reach: float = 7.0,
) -> CropSample:
    """Per object: a crop within ``centred`` pixels, one within ``reach``, one ``near``..``near + 6`` away or anywhere."""
    rows: list[tuple[int, int, int, float, float, float, int]] = []
    first = 0
    for i, points in enumerate(centres):
        wanted = []
        for n, (x, y) in enumerate(points):
            wanted += [_disc(x, y, centred), _disc(x, y, reach)]
            wanted.append(_disc(x, y, near + 6, near) if n % 2 else (float(torch.rand(1)) * width, float(torch.rand(1)) * height))
        for wx, wy in wanted:
            cx, cy = min(max(round(wx), 0), width - 1), min(max(round(wy), 0), height - 1)
            dist, k = min((((x - cx) ** 2 + (y - cy) ** 2) ** 0.5, k) for k, (x, y) in enumerate(points))
            nx, ny = points[k]
            rows.append((i, cx, cy, dist, nx - cx, ny - cy, first + k))
        first += len(points)
    t = torch.tensor([r[:6] for r in rows], dtype=torch.float32).view(-1, 6)
    which = torch.tensor([r[6] for r in rows], dtype=torch.long)
    dist = t[:, 3]
    return CropSample(t[:, 0].long(), t[:, 1], t[:, 2], dist <= centred + 0.75, dist >= near, dist <= reach + 0.75, t[:, 4:6], labels[which])


def to_scene(
    objects: Sequence[Any], locate: Callable[[Any], Sequence[float]], relate: Callable[[list[list[float]]], dict[str, Any]],
    index: int = 0,
) -> dict[str, Any]:
    """A scene in CLEVR's layout from perceived objects (``x``, ``y``, ``attributes``).

    Args:
        objects: Perceived objects.
        locate: Object -> its scene coordinates (the caller's image-to-scene mapping).
        relate: Coordinates of all objects -> ``relationships`` (the caller's relation function).
        index: The scene's ``image_index``.
    """
    built = [
        {**obj.attributes, "3d_coords": [round(float(c), 4) for c in locate(obj)], "pixel_coords": [round(obj.x, 2), round(obj.y, 2), 0.0], "rotation": 0.0}
        for obj in objects
    ]
    return {"image_index": index, "objects": built, "relationships": relate([o["3d_coords"] for o in built])}
