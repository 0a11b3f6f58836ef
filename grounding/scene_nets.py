"""The two small networks of :mod:`~nesy.grounding.scene_perception` and their training targets.

* :func:`centre_net`: a fully convolutional network from a picture (RGB plus two coordinate
  channels) to an object-centre heat map at ``stride`` (a patchify stem, then dilated 3x3
  convolutions so one cell sees a whole object);
* :class:`CropNet`: from a fixed-size crop around a proposed centre (and the crop's place in the
  picture, which tells how far away it is) to one set of logits per attribute, the offset from
  the crop's centre to the object's centre, and whether an object is centred there at all.

Example:
    >>> import torch
    >>> centre_net(4)(torch.zeros(2, 5, 24, 32)).shape
    torch.Size([2, 1, 6, 8])
    >>> logits, offset, objectness = CropNet([3, 2], crop=16)(torch.zeros(4, 3, 16, 16), torch.zeros(4, 2))
    >>> [t.shape for t in logits], offset.shape, objectness.shape
    ([torch.Size([4, 3]), torch.Size([4, 2])], torch.Size([4, 2]), torch.Size([4]))
"""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn


def _block(cin: int, cout: int, kernel: int = 3, stride: int = 1, dilation: int = 1) -> list[nn.Module]:
    pad = 0 if kernel == stride else dilation * (kernel // 2)
    return [nn.Conv2d(cin, cout, kernel, stride, pad, dilation), nn.BatchNorm2d(cout), nn.ReLU()]


def centre_net(stride: int = 4, width: int = 16) -> nn.Module:
    """Picture ``(n, 5, h, w)`` -> centre logits ``(n, 1, h / stride, w / stride)``."""
    return nn.Sequential(
        *_block(5, width, kernel=stride, stride=stride),
        *_block(width, width),
        *_block(width, width, dilation=2),
        *_block(width, width, dilation=4),
        nn.Conv2d(width, 1, 1),
    )


class CropNet(nn.Module):
    """Crop ``(n, 3, crop, crop)`` and its place ``(n, 2)`` -> attribute logits, centre offset, objectness.

    Args:
        n_values: Number of values of each attribute.
        crop: Crop side in pixels (a multiple of 8).
        width: Channels of the first convolution.
    """

    def __init__(self, n_values: Sequence[int], crop: int = 24, width: int = 16) -> None:
        super().__init__()
        self.features = nn.Sequential(
            *_block(3, width),
            nn.MaxPool2d(2),
            *_block(width, 2 * width),
            nn.MaxPool2d(2),
            *_block(2 * width, 4 * width),
            nn.MaxPool2d(2),
            nn.Flatten(),
        )
        side = crop // 8
        self.hidden = nn.Sequential(nn.Linear(4 * width * side * side + 2, 128), nn.ReLU())
        self.heads = nn.ModuleList(nn.Linear(128, n) for n in n_values)
        self.offset = nn.Linear(128, 2)
        self.objectness = nn.Linear(128, 1)

    def forward(self, crops: torch.Tensor, place: torch.Tensor) -> tuple[list[torch.Tensor], torch.Tensor, torch.Tensor]:
        h = self.hidden(torch.cat([self.features(crops), place], dim=1))
        return [head(h) for head in self.heads], self.offset(h), self.objectness(h).squeeze(1)


def heat_targets(centres: Sequence[Sequence[tuple[float, float]]], shape: tuple[int, int], stride: int, sigma: float = 0.8) -> torch.Tensor:
    """Gaussian bumps ``(n, 1, gh, gw)`` at each picture's object centres (pixel coordinates), peak 1 at the nearest cell."""
    gh, gw = shape
    ys, xs = torch.meshgrid(torch.arange(gh, dtype=torch.float32), torch.arange(gw, dtype=torch.float32), indexing="ij")
    out = torch.zeros(len(centres), 1, gh, gw)
    for i, points in enumerate(centres):
        for x, y in points:
            cx, cy = (x + 0.5) / stride - 0.5, (y + 0.5) / stride - 0.5
            bump = torch.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * sigma**2))
            bump = bump / bump.max()
            out[i, 0] = torch.maximum(out[i, 0], bump)
    return out


def focal_heat_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """CenterNet's penalty-reduced focal loss (peaks are the cells where ``target`` is 1)."""
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    peak = target >= 0.999
    pos = -((1 - p) ** 2) * torch.log(p) * peak
    neg = -((1 - target) ** 4) * (p**2) * torch.log(1 - p) * ~peak
    return (pos.sum() + neg.sum()) / peak.sum().clamp(min=1)


def crops_at(pictures: torch.Tensor, index: torch.Tensor, xs: torch.Tensor, ys: torch.Tensor, crop: int) -> torch.Tensor:
    """``(k, c, crop, crop)`` crops of ``pictures`` ``(n, c, h, w)`` centred at integer pixels ``(xs, ys)`` of picture ``index``."""
    half = crop // 2
    padded = nn.functional.pad(pictures, (half, half, half, half))
    offs = torch.arange(crop)
    rows = (ys.long()[:, None] + offs[None, :])[:, :, None].expand(-1, crop, crop)
    cols = (xs.long()[:, None] + offs[None, :])[:, None, :].expand(-1, crop, crop)
    return padded[index.long()[:, None, None], :, rows, cols].permute(0, 3, 1, 2)
