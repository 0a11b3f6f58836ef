"""What the ``scan`` and ``seq`` suites share: run the general learner and the baseline on pairs."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any, Sequence

from nesy.learn.baseline import seq2seq_baseline
from nesy.learn.sequence import learn_sequences
from nesy.progress import Progress
from nesy.suites import BenchConfig

QUICK_TRAIN, QUICK_TEST = 3000, 500


def run_dir_for(config: BenchConfig, name: str) -> Path:
    """``--set run_dir=DIR`` (resumable), else a fresh temporary folder."""
    if config.options.get("run_dir"):
        return Path(str(config.options["run_dir"]))
    return Path(tempfile.mkdtemp(prefix=f"nesy-{name}-"))


def learn_and_compare(
    train: Sequence[tuple[str, str]], test: Sequence[tuple[str, str]], config: BenchConfig, progress: Progress, name: str
) -> dict[str, Any]:
    """The learner's results plus ``baseline`` (skipped with ``--set baseline=false``)."""
    if config.quick:  # a seeded subset, small enough for CI
        rng = random.Random(config.seed)
        train = rng.sample(list(train), min(QUICK_TRAIN, len(train)))
        test = rng.sample(list(test), min(QUICK_TEST, len(test)))
    results = learn_sequences(
        train, test, run_dir_for(config, name), seed=config.seed, workers=config.workers, progress=progress
    )
    if config.options.get("baseline", True) not in (False, "false", 0):
        steps = int(config.options.get("baseline_steps", 150 if config.quick else 1000))
        results["baseline"] = seq2seq_baseline(train, test, steps=steps, seed=config.seed)
    results["summary"] = [("baseline accuracy", f"{results['baseline']['accuracy']:.4f}")] if "baseline" in results else []
    results["summary"].append(("rounds", str(len(results["rounds"]))))
    return results
