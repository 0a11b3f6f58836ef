"""The last step of abductive learning: one label per distinct input, and a fresh model trained on them.

During the rounds the model is refitted again and again, first on labels that are largely
wrong; its final weights still carry that history. Once abduction has settled, the labels it
gives are the best knowledge the loop has, so nesy can train a *fresh* model on them the way a
supervised model would be trained. An input that occurs in several examples (the same image in
many sums) gets the label most of its last abductions gave it.

Inputs are put in a canonical order (by content hash) so that the refit is trained exactly like
any other model trained with :func:`canonical_order` on the same inputs: with the same labels,
the two are the same model, and a remaining difference measures only the labels abduction got wrong.

Example:
    >>> import torch
    >>> a, b = torch.zeros(2, 2), torch.ones(2, 2)
    >>> inputs, labels = consolidate([torch.stack([a, b]), torch.stack([a, a])], [[3, 4], [3, 5]])
    >>> sorted(labels), len(inputs)  # a: labelled 3 twice; b: 4
    ([3, 4], 2)
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Sequence

import torch


def content_key(item: torch.Tensor) -> str:
    """A hash of one input's values (same values, same key)."""
    return hashlib.sha1(item.detach().cpu().contiguous().float().numpy().tobytes()).hexdigest()


def canonical_order(items: torch.Tensor) -> list[int]:
    """Indices that sort ``items`` (first dimension) by content hash."""
    keys = [content_key(item) for item in items]
    return sorted(range(len(items)), key=keys.__getitem__)


def consolidate(
    example_inputs: Sequence[torch.Tensor], example_labels: Sequence[Sequence[int] | None]
) -> tuple[torch.Tensor, list[int]]:
    """Distinct inputs in canonical order, each with the label most of its occurrences got.

    ``example_labels[i]`` is the abduced label sequence of example ``i`` (``None``: not abduced;
    its inputs count only through other examples). Ties go to the smallest label.
    """
    votes: dict[str, Counter] = {}
    first: dict[str, torch.Tensor] = {}
    for inputs, labels in zip(example_inputs, example_labels):
        if labels is None:
            continue
        for item, label in zip(inputs, labels):
            key = content_key(item)
            votes.setdefault(key, Counter())[label] += 1
            first.setdefault(key, item)
    keys = sorted(votes)
    if not keys:
        return torch.zeros(0), []
    labels = [min(votes[k].items(), key=lambda kv: (-kv[1], kv[0]))[0] for k in keys]
    return torch.stack([first[k] for k in keys]), labels
