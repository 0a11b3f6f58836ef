"""Choosing where a model runs: CUDA when present, else Apple's MPS, else the CPU.

An explicit choice always wins, and asking for an accelerator that is not there is a clear
:class:`~nesy.errors.NesyError` rather than a silent fallback. The CPU thread count is left as
the environment set it (``OMP_NUM_THREADS`` / ``torch.set_num_threads``).

Example:
    >>> pick_device("cpu")
    device(type='cpu')
    >>> pick_device().type in ("cuda", "mps", "cpu")
    True
"""

from __future__ import annotations

import contextlib
import logging
from typing import Iterator

import torch

from nesy.errors import NesyError

log = logging.getLogger(__name__)

DeviceLike = str | torch.device | None


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def pick_device(prefer: DeviceLike = None) -> torch.device:
    """The device to run a model on.

    Args:
        prefer: None for automatic (cuda > mps > cpu), or a device name/object such as
            ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``.

    Returns:
        The chosen :class:`torch.device`.

    Raises:
        NesyError: The requested device does not exist on this machine or the name is not a device.
    """
    if prefer is None:
        if torch.cuda.is_available():
            device = torch.device("cuda")
        elif _mps_available():
            device = torch.device("mps")
        else:
            device = torch.device("cpu")
        log.debug("picked device %s", device)
        return device
    try:
        device = torch.device(prefer)
    except (RuntimeError, TypeError) as exc:
        raise NesyError(f"not a device: {prefer!r}") from exc
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise NesyError(f"device {prefer!r} requested but CUDA is not available on this machine")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise NesyError(f"device {prefer!r} requested but only {torch.cuda.device_count()} CUDA device(s) exist")
    elif device.type == "mps" and not _mps_available():
        raise NesyError(f"device {prefer!r} requested but MPS is not available on this machine")
    return device


@contextlib.contextmanager
def seeded(seed: int | None, device: torch.device | None = None) -> Iterator[None]:
    """Run a block with torch's random state seeded, restoring the caller's state afterwards.

    The CPU generator is always forked; a CUDA device's generator too when ``device`` is one.
    ``seed=None`` runs the block on the caller's random state, untouched.

    Example:
        >>> with seeded(3):
        ...     a = torch.rand(2)
        >>> with seeded(3):
        ...     b = torch.rand(2)
        >>> bool((a == b).all())
        True
    """
    if seed is None:
        yield
        return
    devices = [device] if device is not None and device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield
