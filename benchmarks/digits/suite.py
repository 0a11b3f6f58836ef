"""``nesy bench digits-add --digits N``: learn to read digits from the sums of N-digit numbers.

Two N-digit numbers are shown as 2N digit images; only their sum is labelled. The learner is
:class:`~nesy.abduction.AbductiveLearner` with a small CNN (:mod:`nesy.grounding.image_classifier`)
and column-wise addition as the only knowledge. In the same run the same CNN is trained with
the true digit labels on the same training images: its test accuracy ``p`` gives the perception
ceiling ``p^(2N)`` for sums, and ``ceiling_gap = ceiling - accuracy``.

Options (``--set KEY=VALUE``): ``image_slots`` (training images shown per round, default
12000; the number of training sums is ``image_slots / 2N``), ``n_test`` (test sums, default
5000), ``rounds`` (default 16), ``epochs`` (per round, default 3), ``top_k`` (candidate digits
per image, default 10: all of them), ``supervised_epochs`` (default 30), ``abduce_ms`` (search
budget per example, default 500: past it the best assignment found so far is used), ``explore``
(default 12: the first rounds abduce by perturb-and-MAP sampling, the rest take the most probable
assignment; 0 turns sampling off), ``refit`` (default 1: after the rounds a fresh CNN is trained on
one abduced label per distinct training image, exactly as the supervised reference is trained
(same initialisation, same image order, ``supervised_epochs``), so that the ceiling gap measures the
training labels abduction got wrong rather than two training histories; 0 keeps the model trained
through the rounds; the results report both). ``--train FILE`` reads training sums from a label file
(:mod:`nesy.benchmarks.digits.labels`) instead of generating them.

The results also count test images misread by each classifier (``symbol_errors``,
``direct_symbol_errors``): with 599 test images one image is 0.17 points of ``p``, which at
N = 15 moves the ceiling ``p^30`` by about 4 points.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import torch

from nesy.abduction import Abducer, AbductiveLearner, Example
from nesy.abduction.refit import canonical_order, content_key
from nesy.budget import Budget
from nesy.benchmarks.digits.addition import addition_problem, make_examples, number
from nesy.benchmarks.digits.images import DigitPools, load_pools
from nesy.benchmarks.digits.labels import read_label_file
from nesy.errors import NesyError
from nesy.executor import make_executor
from nesy.grounding.image_classifier import ImageClassifier
from nesy.progress import Progress
from nesy.suites import BenchConfig, integer_options

log = logging.getLogger(__name__)

DEFAULTS = {"image_slots": 12000, "n_test": 5000, "rounds": 16, "epochs": 3, "top_k": 10, "supervised_epochs": 30, "abduce_ms": 500, "explore": 12, "refit": 1}
QUICK = {"image_slots": 3000, "n_test": 500, "rounds": 4, "epochs": 2, "top_k": 10, "supervised_epochs": 10, "abduce_ms": 500, "explore": 2, "refit": 1}

LEAST = {"explore": 0, "refit": 0}  #: options that may be 0; every other one must be at least 1


def _options(config: BenchConfig) -> dict[str, Any]:
    options = integer_options("digits-add", config, DEFAULTS, QUICK, LEAST, extra=("digits", "train"))
    digits = config.options.get("digits", 1)
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 30:
        raise NesyError(f"digits-add: --digits must be an integer from 1 to 30, got {digits!r}")
    options["digits"] = digits
    return options


def sum_accuracy(classifier: ImageClassifier, pool_images: torch.Tensor, examples, n_digits: int) -> float:
    """Share of examples whose predicted digits add up to the labelled sum."""
    if not examples:
        return 0.0
    index = torch.tensor([e.indices for e in examples])
    predicted = classifier.predict(pool_images[index.flatten()]).view(len(examples), 2 * n_digits).tolist()
    right = sum(number(p[:n_digits]) + number(p[n_digits:]) == e.total for p, e in zip(predicted, examples))
    return right / len(examples)


def _symbol_accuracy(classifier: ImageClassifier, pools: DigitPools, part: str = "test") -> float:
    """Per-image accuracy on a pool (the true digits are used for scoring only)."""
    pool = getattr(pools, part)
    return float((classifier.predict(pool.images) == pool.digits).float().mean())


def _label_accuracy(consolidated, pools: DigitPools) -> float | None:
    """Share of the refit's abduced labels that are the true digits (scoring only)."""
    if not consolidated or not consolidated[1]:
        return None
    truth = {content_key(image): int(d) for image, d in zip(pools.train.images, pools.train.digits)}
    inputs, labels = consolidated
    return sum(truth.get(content_key(x)) == y for x, y in zip(inputs, labels)) / len(labels)


def _monitor(classifier: ImageClassifier, pools: DigitPools):
    return lambda report: {
        "test_symbol_accuracy": _symbol_accuracy(classifier, pools),
        "train_symbol_accuracy": _symbol_accuracy(classifier, pools, "train"),
    }


def _curve(reports, n_digits: int) -> dict[str, Any]:
    """The per-round learning curve, as a ``nesy report`` line plot."""
    rounds = [r for r in reports if r.extra]
    return {
        "name": f"rounds-{n_digits}digits",
        "title": f"{n_digits}-digit addition: digit accuracy per abduction round",
        "xlabel": "round",
        "ylabel": "symbol accuracy",
        "x": [r.round for r in rounds],
        "series": {
            "test images": [r.extra["test_symbol_accuracy"] for r in rounds],
            "train images": [r.extra["train_symbol_accuracy"] for r in rounds],
        },
    }


class DigitsAddSuite:
    """Multi-digit addition from sum labels only, with the directly supervised ceiling beside it."""

    name = "digits-add"
    description = "N-digit addition on bundled 8x8 digit images, sums only (--digits N); abduction with clingo"
    splits = ("default",)

    def run(self, config: BenchConfig, progress: Progress) -> dict[str, Any]:
        options = _options(config)
        n = options["digits"]
        pools = load_pools(config.seed)
        label_problems: list[str] = []
        if config.options.get("train"):
            train, label_problems = read_label_file(config.options["train"], n, len(pools.train))
            for problem in label_problems[:20]:
                log.warning("skipped: %s", problem)
            if not train:
                raise NesyError(f"{config.options['train']}: no usable training sums ({len(label_problems)} line(s) skipped)")
        else:
            train = make_examples(pools.train.digits.tolist(), n, max(1, options["image_slots"] // (2 * n)), config.seed)
        test = make_examples(pools.test.digits.tolist(), n, options["n_test"], config.seed + 1)

        supervised_start = time.perf_counter()
        direct = ImageClassifier(10, 8, seed=config.seed)
        order = canonical_order(pools.train.images)  # the order a refit sees its distinct images in
        direct.fit(pools.train.images[order], pools.train.digits[order], epochs=options["supervised_epochs"])
        supervised_seconds = time.perf_counter() - supervised_start
        p = _symbol_accuracy(direct, pools)

        classifier = ImageClassifier(10, 8, seed=config.seed)
        examples = [Example(pools.train.images[list(e.indices)], e.total) for e in train]
        start = time.perf_counter()
        with make_executor(workers=config.workers) as pool:
            budget = Budget(wall_seconds=options["abduce_ms"] / 1000)
            abducer = Abducer(addition_problem(n), pool, top_k=options["top_k"], budget=budget)
            fresh = (lambda: ImageClassifier(10, 8, seed=config.seed)) if options["refit"] else None
            learner = AbductiveLearner(
                classifier, abducer, rounds=options["rounds"], epochs=options["epochs"], explore=options["explore"], seed=config.seed,
                refit=fresh, refit_epochs=options["supervised_epochs"],
            )
            reports = learner.fit(examples, on_round=_monitor(classifier, pools), progress=progress)
        train_seconds = time.perf_counter() - start
        rounds_model = classifier
        classifier = learner.model

        eval_start = time.perf_counter()
        accuracy = sum_accuracy(classifier, pools.test.images, test, n)
        symbol_accuracy = _symbol_accuracy(classifier, pools)
        before = {"accuracy": sum_accuracy(rounds_model, pools.test.images, test, n), "symbol_accuracy": _symbol_accuracy(rounds_model, pools)}
        eval_seconds = time.perf_counter() - eval_start
        ceiling = p ** (2 * n)
        return {
            "digits": n,
            "sweep": "digits",
            "accuracy": accuracy,
            "symbol_accuracy": symbol_accuracy,
            "ceiling": ceiling,
            "ceiling_gap": ceiling - accuracy,
            "direct_symbol_accuracy": p,
            "symbol_errors": round((1 - symbol_accuracy) * len(pools.test)),
            "direct_symbol_errors": round((1 - p) * len(pools.test)),
            "direct_sum_accuracy": sum_accuracy(direct, pools.test.images, test, n),
            "before_refit": before if options["refit"] else None,
            "refit_images": learner.refit_inputs,
            "refit_label_accuracy": _label_accuracy(learner.consolidated, pools),
            "n_train": len(train),
            "n_test": len(test),
            "train_images": len(pools.train),
            "test_images": len(pools.test),
            "train_seconds": train_seconds,
            "supervised_seconds": supervised_seconds,
            "eval_seconds": eval_seconds,
            "symbol_labels": 0,
            "label_problems": label_problems,
            "rounds": [r.to_dict() for r in reports],
            "options": options,
            "image_source": pools.source,
            "plots": [_curve(reports, n)],
            "summary": [
                ("symbol_accuracy", f"{symbol_accuracy:.4f}"),
                ("ceiling (p^2N)", f"{ceiling:.4f}"),
                ("ceiling_gap", f"{ceiling - accuracy:+.4f}"),
                ("rounds run", len(reports)),
            ],
        }
