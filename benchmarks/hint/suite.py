"""``nesy bench hint``: read handwritten arithmetic expressions, learned from their values only.

Each example is a sequence of 8x8 symbol images (digits from the bundled set, operators and
parentheses drawn by :mod:`nesy.benchmarks.hint.symbols`) labelled only by the expression's value
under HINT's semantics (subtraction floored at 0, division rounding up, the usual precedence).
A 16-class CNN (:mod:`nesy.grounding.image_classifier`) learns to read the symbols by abduction:
:class:`~nesy.abduction.SearchAbducer` finds the most probable symbol sequence whose value is the
label, the CNN is refitted on it, and a curriculum starts from the shortest expressions.

Splits (what the learner is given):

* ``grammar``: the expression grammar and what every symbol class means (class ``+`` adds, ...);
  the symbols' images are learned.
* ``meaning``: the grammar and which classes are digits, operators and parentheses, and the four
  operations (add, floored subtract, multiply, ceiling divide), but not which operator class
  means which: each of the 24 assignments is a candidate theory and
  :class:`~nesy.abduction.TheoryAbducer` abduces it together with the symbols. The results say
  which operation each drawn operator's images ended up meaning.

Test subsets in the spirit of HINT: ``I`` (training expressions, new images), ``SS``, ``LS``, ``SL``,
``LL`` (short/long expressions x small/large values, none seen in training). A test expression
is read as the most probable *grammatical* symbol sequence and scored by its value.

Options (``--set KEY=VALUE``): ``n_train`` (training expressions, default 4000), ``n_test`` (per
subset, default 1000), ``rounds`` (default 20), ``epochs`` (default 4), ``explore`` (sampled rounds,
default 3), ``max_pops`` (search steps per example, default 3000), ``advance_at`` (share of examples the model
already reads as abduced that lets the curriculum add longer ones, default 0.8). ``--train FILE`` reads training
expressions from a label file (:mod:`nesy.benchmarks.hint.labels`).
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from typing import Any, Sequence

import torch

from nesy.abduction import AbductiveLearner, Example, SearchAbducer, SearchProblem, TheoryAbducer
from nesy.benchmarks.hint.expressions import Expression, can_complete, evaluate, make_hint_split
from nesy.benchmarks.hint.labels import read_hint_file
from nesy.benchmarks.hint.symbols import OPERATORS, SYMBOLS, images_of, load_symbol_pools
from nesy.errors import NesyError
from nesy.grounding.image_classifier import ImageClassifier
from nesy.progress import Progress
from nesy.suites import BenchConfig

log = logging.getLogger(__name__)

DEFAULTS = {"n_train": 4000, "n_test": 1000, "rounds": 20, "epochs": 4, "explore": 3, "max_pops": 3000, "advance_at": 0.8}
QUICK = {"n_train": 600, "n_test": 100, "rounds": 8, "epochs": 4, "explore": 1, "max_pops": 1000, "advance_at": 0.8}
LEAST = {"explore": 0}
SUBSETS = ("I", "SS", "LS", "SL", "LL")


def _options(config: BenchConfig) -> dict[str, Any]:
    options = dict(QUICK if config.quick else DEFAULTS)
    unknown = set(config.options) - set(options) - {"train"}
    if unknown:
        raise NesyError(f"hint: unknown option(s) {sorted(unknown)}; known: train, {', '.join(options)}")
    for key, value in config.options.items():
        if key == "train":
            continue
        if key == "advance_at":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
                raise NesyError(f"hint: --set advance_at= must be a number in (0, 1], got {value!r}")
        elif isinstance(value, bool) or not isinstance(value, int) or value < LEAST.get(key, 1):
            raise NesyError(f"hint: --set {key}= must be an integer >= {LEAST.get(key, 1)}, got {value!r}")
        options[key] = value
    return options


def _check_value(label: Any) -> None:
    if isinstance(label, bool) or not isinstance(label, int) or label < 0:
        raise ValueError("a value is a non-negative integer")


def grammar_problem() -> SearchProblem:
    """Grammar and meanings given: class names are HINT's symbols."""
    return SearchProblem(SYMBOLS, evaluate, can_complete, _check_value, name="grammar")


def meaning_theories() -> list[SearchProblem]:
    """One theory per assignment of the four operations to the four operator classes."""
    theories = []
    for meanings in itertools.permutations(OPERATORS):
        rename = dict(zip(OPERATORS, meanings))
        label = ",".join(f"{cls}={op}" for cls, op in rename.items())

        def read(names: Sequence[str], rename=rename) -> int | None:
            return evaluate([rename.get(n, n) for n in names])

        def complete(prefix: Sequence[str], length: int, rename=rename) -> bool:
            return can_complete([rename.get(n, n) for n in prefix], length)

        theories.append(SearchProblem(SYMBOLS, read, complete, _check_value, name=label))
    return theories


def _examples(expressions: Sequence[Expression], pool, rng: random.Random) -> list[tuple[torch.Tensor, int]]:
    return [(pool.images[list(images_of(pool, e.tokens, rng))], e.value) for e in expressions]


def _read_accuracy(abducer, classifier: ImageClassifier, examples: list[tuple[torch.Tensor, int]]) -> float:
    """Share of test expressions whose most probable grammatical reading has the labelled value."""
    if not examples:
        return 0.0
    sizes = [len(images) for images, _ in examples]
    probabilities = torch.split(classifier.predict_proba(torch.cat([images for images, _ in examples])), sizes)
    right = 0
    for p, (_, value) in zip(probabilities, examples):
        symbols = abducer.decode(p)
        if symbols is not None and abducer.problem.result([SYMBOLS[s] for s in symbols]) == value:
            right += 1
    return right / len(examples)


def _symbol_accuracy(classifier: ImageClassifier, pool, theory_rename: dict[str, str] | None = None) -> dict[str, float]:
    """Per-image accuracy on a pool by kind; in ``meaning`` mode an operator image counts as read
    right when the class it is read as *means* its operation under the chosen theory."""
    predicted = [SYMBOLS[i] for i in classifier.predict(pool.images).tolist()]
    truth = [SYMBOLS[i] for i in pool.digits.tolist()]
    if theory_rename:
        predicted = [theory_rename.get(p, p) for p in predicted]
    kinds = {"digits": lambda s: s.isdigit(), "operators": lambda s: s in OPERATORS, "parentheses": lambda s: s in "()"}
    out = {"all": sum(p == t for p, t in zip(predicted, truth)) / max(1, len(truth))}
    for kind, belongs in kinds.items():
        pairs = [(p, t) for p, t in zip(predicted, truth) if belongs(t)]
        out[kind] = sum(p == t for p, t in pairs) / max(1, len(pairs))
    return out


def _rename_of(abducer) -> dict[str, str] | None:
    """The chosen theory's class -> operation map (``meaning`` split only)."""
    if not isinstance(abducer, TheoryAbducer):
        return None
    return dict(pair.split("=") for pair in abducer.chosen.name.split(","))


class HintSuite:
    """HINT-style handwritten arithmetic from values only, grammar given or operator meanings abduced."""

    name = "hint"
    description = "handwritten arithmetic expressions (1-15 symbols) from values only; search abduction; splits grammar, meaning"
    splits = ("grammar", "meaning")

    def run(self, config: BenchConfig, progress: Progress) -> dict[str, Any]:
        options = _options(config)
        pools = load_symbol_pools(config.seed)
        split = make_hint_split(config.seed, options["n_train"], options["n_test"])
        label_problems: list[str] = []
        train = split.train
        if config.options.get("train"):
            train, label_problems = read_hint_file(config.options["train"])
            for problem in label_problems[:20]:
                log.warning("skipped: %s", problem)
            if not train:
                raise NesyError(f"{config.options['train']}: no usable training expressions ({len(label_problems)} line(s) skipped)")
        rng = random.Random(config.seed)
        examples = [Example(images, value) for images, value in _examples(train, pools.train, rng)]
        tests = {name: _examples(split.test[name], pools.test, rng) for name in SUBSETS}

        if config.split == "meaning":
            abducer: Any = TheoryAbducer(meaning_theories(), max_pops=options["max_pops"], seed=config.seed)
        else:
            abducer = SearchAbducer(grammar_problem(), max_pops=options["max_pops"])
        classifier = ImageClassifier(len(SYMBOLS), 8, seed=config.seed)
        learner = AbductiveLearner(
            classifier, abducer, rounds=options["rounds"], epochs=options["epochs"], explore=options["explore"],
            seed=config.seed, curriculum=True, advance_at=options["advance_at"],
        )
        monitor = lambda report: {"test_symbol_accuracy": _symbol_accuracy(classifier, pools.test, _rename_of(abducer))["all"],
                                  "theory": getattr(abducer, "chosen", None) and abducer.chosen.name}
        start = time.perf_counter()
        reports = learner.fit(examples, on_round=monitor, progress=progress)
        train_seconds = time.perf_counter() - start

        eval_start = time.perf_counter()
        per_subset = {name: _read_accuracy(abducer, classifier, tests[name]) for name in SUBSETS}
        n_test = sum(len(tests[name]) for name in SUBSETS)
        accuracy = sum(per_subset[name] * len(tests[name]) for name in SUBSETS) / max(1, n_test)
        symbols = _symbol_accuracy(classifier, pools.test, _rename_of(abducer))
        eval_seconds = time.perf_counter() - eval_start
        results: dict[str, Any] = {
            "mode": config.split,
            "accuracy": accuracy,
            "subsets": per_subset,
            "symbol_accuracy": symbols["all"],
            "symbol_accuracy_by_kind": symbols,
            "n_train": len(train),
            "n_test": n_test,
            "train_seconds": train_seconds,
            "eval_seconds": eval_seconds,
            "symbol_labels": 0,
            "given": _given(config.split),
            "label_problems": label_problems,
            "rounds": [r.to_dict() for r in reports],
            "options": options,
            "image_source": pools.source,
            "summary": [(f"accuracy {name}", f"{per_subset[name]:.4f}") for name in SUBSETS]
            + [("symbol_accuracy", f"{symbols['all']:.4f}"), ("rounds run", len(reports))],
        }
        if config.split == "meaning":
            results["abduced_meaning"] = _rename_of(abducer)
            results["operator_images_read_as"] = _operator_reading(classifier, pools.test, _rename_of(abducer) or {})
        return results


def _operator_reading(classifier: ImageClassifier, pool, rename: dict[str, str]) -> dict[str, str]:
    """For each drawn operator, the operation its test images are most often read as meaning."""
    predicted = classifier.predict(pool.images).tolist()
    out = {}
    for op in OPERATORS:
        index = SYMBOLS.index(op)
        read = [rename.get(SYMBOLS[p], SYMBOLS[p]) for p, t in zip(predicted, pool.digits.tolist()) if t == index]
        out[op] = max(set(read), key=read.count) if read else "none"
    return out


def _given(split: str | None) -> str:
    if split == "meaning":
        return ("grammar; which classes are digits (and their values), operators and parentheses; the four operations "
                "as candidates, not which operator class means which")
    return "grammar and the meaning of every symbol class"
