"""Supervised training of a :class:`~nesy.proposer.engine.TokenModel` on (source, target) id pairs.

AdamW with linear warm-up, gradient clipping, optional label smoothing, seeded shuffling and
dropout, and an early stop once the model reproduces a target share of the training pairs
exactly. "Exactly" is measured by teacher forcing: when every target token is the arg-max given
the gold prefix, greedy decoding outputs that target, so this equals greedy exact-match accuracy
at the cost of one forward pass. Progress goes to an optional callback and to ``logging``.

Example:
    >>> TrainConfig(lr=3e-4).batch_size
    64
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Sequence

import torch

from nesy.errors import NesyError
from nesy.proposer.device import seeded
from nesy.proposer.engine import Ids, TokenModel
from nesy.proposer.protocol import FitCallback, FitProgress, FitReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainConfig:
    """Training options.

    Attributes:
        lr: Peak learning rate.
        batch_size: Pairs per optimiser step.
        weight_decay: AdamW weight decay.
        label_smoothing: Cross-entropy label smoothing (0 = none).
        warmup_steps: Steps of linear learning-rate warm-up.
        grad_clip: Gradient norm clip (0 = none).
        epochs: Epochs when neither ``epochs`` nor ``steps`` is given to ``fit``.
        target_accuracy: Stop once training exact-match accuracy reaches this (None = never).
        eval_limit: Training pairs used to measure that accuracy (a fixed seeded subset).
        seed: Seeds shuffling and dropout.
    """

    lr: float = 1e-3
    batch_size: int = 64
    weight_decay: float = 0.01
    label_smoothing: float = 0.0
    warmup_steps: int = 50
    grad_clip: float = 1.0
    epochs: int = 20
    target_accuracy: float | None = None
    eval_limit: int = 1024
    seed: int = 0


@torch.no_grad()
def exact_match(model: TokenModel, pairs: Sequence[tuple[Ids, Ids]], *, batch_size: int = 128) -> float:
    """Share of pairs whose target greedy decoding reproduces exactly (by teacher forcing)."""
    if not pairs:
        return 0.0
    was_training = model.model.training
    model.model.train(False)
    hits = 0
    for start in range(0, len(pairs), batch_size):
        chunk = pairs[start : start + batch_size]
        _, exact = model.loss_and_exact([s for s, _ in chunk], [t for _, t in chunk])
        hits += int(exact.sum())
    model.model.train(was_training)
    return hits / len(pairs)


def train(
    model: TokenModel,
    pairs: Sequence[tuple[Ids, Ids]],
    *,
    epochs: int | None = None,
    steps: int | None = None,
    config: TrainConfig = TrainConfig(),
    callback: FitCallback | None = None,
) -> FitReport:
    """Train ``model`` on encoded pairs; stops at ``epochs``, ``steps`` or the accuracy target, first come.

    Args:
        model: The model; left in eval mode afterwards.
        pairs: ``(source ids, target ids)``; targets end with the end token.
        epochs: Passes over the data (default ``config.epochs`` when ``steps`` is None too).
        steps: Optimiser steps at most.
        config: Hyper-parameters.
        callback: Called with a :class:`FitProgress` after each epoch and at the end.

    Returns:
        A :class:`FitReport`.
    """
    if not pairs:
        raise NesyError("fit needs at least one (input, program) pair")
    if epochs is None and steps is None:
        epochs = config.epochs
    if (epochs is not None and epochs < 1) or (steps is not None and steps < 1):
        raise NesyError(f"epochs and steps must be positive, got epochs={epochs} steps={steps}")
    per_epoch = -(-len(pairs) // config.batch_size)
    total_steps = min(x for x in (steps, epochs * per_epoch if epochs is not None else None) if x is not None)
    rng = random.Random(config.seed)
    eval_pairs = list(pairs) if len(pairs) <= config.eval_limit else rng.sample(list(pairs), config.eval_limit)
    net = model.model
    params = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
    warmup = max(1, config.warmup_steps)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / warmup))
    history: list[FitProgress] = []
    started = time.perf_counter()
    step, stopped_early, accuracy = 0, False, None
    loss_sum, loss_n = 0.0, 0
    net.train()
    with seeded(config.seed, model.device):
        while step < total_steps and not stopped_early:
            order = list(range(len(pairs)))
            rng.shuffle(order)
            for start in range(0, len(order), config.batch_size):
                batch = [pairs[i] for i in order[start : start + config.batch_size]]
                loss, _ = model.loss_and_exact(
                    [s for s, _ in batch], [t for _, t in batch], label_smoothing=config.label_smoothing
                )
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if config.grad_clip > 0:
                    torch.nn.utils.clip_grad_norm_(params, config.grad_clip)
                optimizer.step()
                scheduler.step()
                step += 1
                loss_sum, loss_n = loss_sum + loss.item(), loss_n + 1
                if step >= total_steps:
                    break
            epoch_done = step / per_epoch
            if config.target_accuracy is not None or step >= total_steps:
                accuracy = exact_match(model, eval_pairs)
                stopped_early = config.target_accuracy is not None and accuracy >= config.target_accuracy
            progress = FitProgress(epoch_done, step, loss_sum / max(1, loss_n), accuracy, time.perf_counter() - started)
            history.append(progress)
            log.info("epoch %.2f step %d loss %.4f accuracy %s", progress.epoch, step, progress.loss, accuracy)
            if callback is not None:
                callback(progress)
            loss_sum, loss_n = 0.0, 0
    net.train(False)
    stopped_early = stopped_early and step < total_steps
    last = history[-1]
    return FitReport(
        steps=step,
        epochs=last.epoch,
        examples=len(pairs),
        loss=last.loss,
        accuracy=accuracy,
        seconds=time.perf_counter() - started,
        stopped_early=stopped_early,
        history=tuple(history),
    )
