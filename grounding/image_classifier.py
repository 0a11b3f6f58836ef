"""A small convolutional classifier for symbol images, batched, GPU when present.

The perception module of abduction tasks (:mod:`nesy.abduction`): it maps a batch of
single-channel images to class probabilities and is (re)fitted on labels that the abducer
derived from result labels. Nothing in it knows what the classes mean.

Example:
    >>> import torch
    >>> clf = ImageClassifier(n_classes=3, image_size=8, seed=0, device="cpu")
    >>> images = torch.rand(6, 8, 8)
    >>> clf.fit(images, [0, 1, 2, 0, 1, 2], epochs=2).examples
    6
    >>> clf.predict_proba(images).shape
    torch.Size([6, 3])
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

import torch
from torch import nn

from nesy.proposer.device import DeviceLike, pick_device, seeded

log = logging.getLogger(__name__)


def _network(n_classes: int, image_size: int, width: int) -> nn.Module:
    """Two conv blocks and a linear head; keeps the spatial size for images of 8 pixels or more."""
    pooled = max(1, image_size // 4)
    return nn.Sequential(
        nn.Conv2d(1, width, 3, padding=1),
        nn.BatchNorm2d(width),
        nn.ReLU(),
        nn.MaxPool2d(2) if image_size >= 4 else nn.Identity(),
        nn.Conv2d(width, 2 * width, 3, padding=1),
        nn.BatchNorm2d(2 * width),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(pooled),
        nn.Flatten(),
        nn.Dropout(0.2),
        nn.Linear(2 * width * pooled * pooled, n_classes),
    )


@dataclass
class FitReport:
    """What one call to :meth:`ImageClassifier.fit` did."""

    examples: int
    epochs: int
    final_loss: float


class ImageClassifier:
    """Image → class probabilities, trained with cross-entropy on (possibly abduced) labels.

    Args:
        n_classes: Number of classes.
        image_size: Height = width of the (square, single-channel) images.
        width: Channels of the first convolution.
        lr: Adam learning rate.
        batch_size: Training and inference batch size.
        seed: Seed for initialisation and shuffling (None: torch's global state).
        device: ``None`` picks CUDA when present, else the CPU.
    """

    def __init__(
        self,
        n_classes: int,
        image_size: int,
        *,
        width: int = 32,
        lr: float = 2e-3,
        batch_size: int = 128,
        seed: int | None = 0,
        device: DeviceLike = None,
    ) -> None:
        self.n_classes = n_classes
        self.image_size = image_size
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed
        self.device = pick_device(device)
        with seeded(seed):
            self.model = _network(n_classes, image_size, width).to(self.device)
        self._optimizer = torch.optim.Adam(self.model.parameters(), lr=lr)
        self._calls = 0

    def _batch(self, images: torch.Tensor) -> torch.Tensor:
        if images.dim() != 3 or images.shape[1:] != (self.image_size, self.image_size):
            raise ValueError(f"expected images of shape (n, {self.image_size}, {self.image_size}), got {tuple(images.shape)}")
        return images.to(self.device, torch.float32).unsqueeze(1)

    @torch.no_grad()
    def predict_proba(self, images: torch.Tensor) -> torch.Tensor:
        """Class probabilities, shape ``(n, n_classes)``, on the CPU; computed in batches."""
        self.model.train(False)
        out = [
            torch.softmax(self.model(self._batch(images[i : i + 4 * self.batch_size])), dim=1).cpu()
            for i in range(0, len(images), 4 * self.batch_size)
        ]
        return torch.cat(out) if out else torch.zeros(0, self.n_classes)

    def predict(self, images: torch.Tensor) -> torch.Tensor:
        """The most probable class of each image."""
        return self.predict_proba(images).argmax(dim=1)

    def fit(self, images: torch.Tensor, labels: Sequence[int] | torch.Tensor, *, epochs: int = 1) -> FitReport:
        """Train on ``(image, label)`` pairs for ``epochs`` passes, continuing from the current weights."""
        targets = torch.as_tensor(labels, dtype=torch.long)
        if len(targets) != len(images):
            raise ValueError(f"{len(images)} images but {len(targets)} labels")
        if len(targets) == 0:
            return FitReport(0, 0, float("nan"))
        self.model.train(True)
        fit_seed = (self.seed or 0) * 1_000_003 + self._calls
        generator = torch.Generator().manual_seed(fit_seed)
        self._calls += 1
        # dropout draws from torch's global generator: seed it too, so a seed fixes the whole fit
        with seeded(None if self.seed is None else fit_seed, self.device):
            loss_value = self._epochs(images, targets, epochs, generator)
        log.debug("fitted on %d examples for %d epochs, loss %.4f", len(targets), epochs, loss_value)
        return FitReport(len(targets), epochs, loss_value)

    def _epochs(self, images: torch.Tensor, targets: torch.Tensor, epochs: int, generator: torch.Generator) -> float:
        loss_value = float("nan")
        for _ in range(epochs):
            order = torch.randperm(len(targets), generator=generator)
            for start in range(0, len(order), self.batch_size):
                batch = order[start : start + self.batch_size]
                if len(batch) < 2:
                    continue  # batch norm needs two examples
                logits = self.model(self._batch(images[batch]))
                loss = nn.functional.cross_entropy(logits, targets[batch].to(self.device))
                self._optimizer.zero_grad()
                loss.backward()
                self._optimizer.step()
                loss_value = loss.item()
        return loss_value
