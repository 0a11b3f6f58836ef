"""The bundled handwritten digits (scikit-learn's 8x8 set), split into disjoint image pools.

No download: scikit-learn ships the 1,797 images inside its wheel (``pip install 'nesy[digits]'``).
Train and test examples draw their images from disjoint pools, so a test image is never seen
in training.

Example:
    >>> pools = load_pools(seed=0)
    >>> pools.train.images.shape[1:], len(pools.train) + len(pools.test)
    (torch.Size([8, 8]), 1797)
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from nesy.errors import NesyError


@dataclass(frozen=True)
class ImagePool:
    """Images (``(n, 8, 8)`` floats in [0, 1]) and their true digits (used only for scoring)."""

    images: torch.Tensor
    digits: torch.Tensor

    def __len__(self) -> int:
        return len(self.digits)


@dataclass(frozen=True)
class DigitPools:
    train: ImagePool
    test: ImagePool
    source: str


def load_pools(seed: int = 0, test_share: float = 1 / 3) -> DigitPools:
    """Shuffle the bundled digits with ``seed`` and cut them into train and test pools."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise NesyError("the digit suites need scikit-learn's bundled digits: pip install 'nesy[digits]'") from None
    data = load_digits()
    images = torch.tensor(data.images, dtype=torch.float32) / 16.0
    digits = torch.tensor(data.target, dtype=torch.long)
    order = torch.randperm(len(digits), generator=torch.Generator().manual_seed(seed))
    cut = int(round(len(digits) * (1 - test_share)))
    train, test = order[:cut], order[cut:]
    return DigitPools(ImagePool(images[train], digits[train]), ImagePool(images[test], digits[test]), "sklearn.datasets.load_digits")
