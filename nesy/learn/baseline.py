"""The plain seq2seq baseline: a small transformer trained directly input → output.

Same size class as the neural proposers (:class:`~nesy.proposer.seq2seq.Seq2SeqProposer`
defaults), no programs, no solver: the usual way compositional generalisation is measured.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any, Mapping, Sequence

from nesy.proposer.arch import ModelConfig
from nesy.proposer.seq2seq import Seq2SeqConfig, Seq2SeqProposer
from nesy.proposer.training import TrainConfig


def seq2seq_baseline(
    train: Sequence[tuple[str, str]], test: Sequence[tuple[str, str]], *, steps: int = 2000, seed: int = 0,
    batch_size: int = 64, model: ModelConfig | None = None, also: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> dict[str, Any]:
    """Train for ``steps`` optimiser steps and report greedy exact-match accuracy on ``test``.

    ``model`` sets the sizes (default: :class:`ModelConfig`'s); the position table is made long
    enough for the longest input and output. ``also`` names further test sets scored by the same
    model (their accuracies under ``"also"``).
    """
    also = dict(also or {})
    every = [*train, *test, *(pair for pairs in also.values() for pair in pairs)]
    longest = max(len(t.split()) for _, t in every) + 2
    longest_input = max(len(s.split()) for s, _ in every) + 2
    positions = max(64, longest + 8, longest_input + 8)
    sizes = model or ModelConfig()
    config = Seq2SeqConfig(
        model=dataclasses.replace(sizes, max_positions=positions, seed=seed),
        train=TrainConfig(batch_size=batch_size, seed=seed),
        max_new_tokens=longest,
        batch_size=256,
        seed=seed,
    )
    model = Seq2SeqProposer(config)
    started = time.perf_counter()
    report = model.fit(list(train), steps=steps)
    train_seconds = time.perf_counter() - started
    started = time.perf_counter()

    def accuracy(pairs: Sequence[tuple[str, str]]) -> float:
        predictions = model.predict([s for s, _ in pairs])
        return sum(p.split() == t.split() for p, (_, t) in zip(predictions, pairs)) / len(pairs) if pairs else 0.0

    scores = {"accuracy": accuracy(test), **({"also": {name: accuracy(pairs) for name, pairs in also.items()}} if also else {})}
    return {
        **scores,
        "model": "bart",
        "parameters": model.num_parameters,
        "steps": report.steps,
        "epochs": report.epochs,
        "train_seconds": train_seconds,
        "eval_seconds": time.perf_counter() - started,
    }
