"""``nesy bench hint``: read handwritten arithmetic expressions, learned from their values only.

Each example is a sequence of 8x8 symbol images (digits from the bundled set, operators and
parentheses drawn by :mod:`nesy.benchmarks.hint.symbols`) labelled only by the expression's value
under HINT's semantics (subtraction floored at 0, division rounding up, the usual precedence).
A 16-class CNN (:mod:`nesy.grounding.image_classifier`) learns to read the symbols by abduction:
clingo (:class:`~nesy.abduction.Abducer`, one ASP program per example, batched on the sandboxed
executor) finds the most probable symbol sequence whose value is the label under HINT's knowledge
written as ASP (:mod:`nesy.benchmarks.hint.knowledge`: a chart over spans with values), the CNN
is refitted on it, and a curriculum starts from the shortest expressions. Each position's ``top_k``
most probable classes are candidates; an example no such choice explains is solved again with
twice as many, then with all 16 (the widening passes). ``--set abducer=search`` abduces instead
with the best-first search of :class:`~nesy.abduction.SearchAbducer` over the Python evaluator
(:mod:`nesy.benchmarks.hint.expressions`), in this process.

Splits (what the learner is given):

* ``grammar``: given the expression grammar (precedence included) and what every symbol class
  means (the digit classes' values; class ``+`` adds, ...); the symbols' images are learned.
* ``meaning``: given the grammar, which classes are digits (and their values), operators and
  parentheses, and the four operations (add, floored subtract, multiply, ceiling divide) with their
  precedence, but not which operator class means which: each of the 24 assignments is a candidate
  theory (one ASP program, or one search problem, per theory) and
  :class:`~nesy.abduction.TheoryAbducer` abduces it together with the symbols, choosing each round
  the theory under which the solver explains the most of a probe sample (ties: the more probable
  symbols; the theories are listed in a seeded random order, so an exact tie does not favour the
  usual meanings). The results say which operation each drawn operator's images ended up meaning.

Test subsets in the spirit of HINT: ``I`` (training expressions, new images), ``SS``, ``LS``, ``SL``,
``LL`` (short/long expressions x small/large values, none seen in training). A test expression
is read as the most probable *grammatical* symbol sequence, written as a SymPy program with HINT's
semantics and evaluated by the sandboxed ``sympy`` backend in one batch, and scored by that value
(:mod:`nesy.benchmarks.hint.reading`); ``argmax_accuracy`` scores the model's own reading as it
is (a malformed one is rejected and counts as wrong), ``evaluator_agreement`` checks SymPy against
the in-process evaluator.

Options (``--set KEY=VALUE``): ``abducer`` (``clingo``, the default, or ``search``), ``n_train``
(training expressions, default 4000), ``n_test`` (per subset, default 1000), ``rounds`` (default 20),
``epochs`` (default 4), ``explore`` (sampled rounds, default 3), ``top_k`` (clingo: candidate classes
per position in the first pass, default 3; 16: all), ``abduce_ms`` (clingo: budget per example,
default 1000: past it the best assignment found is used), ``max_pops`` (search: steps per example,
default 3000), ``probe`` (meaning: probe examples per theory and round, default 100), ``advance_at``
(share of examples the model already reads as abduced that lets the curriculum add longer ones,
default 0.8). ``--train FILE`` reads training expressions from a label file
(:mod:`nesy.benchmarks.hint.labels`).
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from typing import Any, Sequence

import torch

from nesy.abduction import Abducer, AbductiveLearner, Example, SearchAbducer, SearchProblem, TheoryAbducer
from nesy.benchmarks.hint.expressions import Expression, can_complete, evaluate
from nesy.benchmarks.hint.generate import make_hint_split
from nesy.benchmarks.hint.knowledge import hint_problem
from nesy.benchmarks.hint.labels import read_hint_file
from nesy.benchmarks.hint.reading import score_readings
from nesy.benchmarks.hint.symbols import OPERATORS, SYMBOLS, images_of, load_symbol_pools
from nesy.budget import Budget
from nesy.errors import NesyError
from nesy.executor import make_executor
from nesy.grounding.image_classifier import ImageClassifier
from nesy.progress import Progress
from nesy.suites import BenchConfig, integer_options

log = logging.getLogger(__name__)

DEFAULTS = {"n_train": 4000, "n_test": 1000, "rounds": 20, "epochs": 4, "explore": 3, "top_k": 3, "abduce_ms": 1000,
            "max_pops": 3000, "probe": 100}
QUICK = {"n_train": 600, "n_test": 30, "rounds": 6, "epochs": 4, "explore": 1, "top_k": 3, "abduce_ms": 1000,
         "max_pops": 1000, "probe": 50}
LEAST = {"explore": 0}
ABDUCERS = ("clingo", "search")
SUBSETS = ("I", "SS", "LS", "SL", "LL")


def _options(config: BenchConfig) -> dict[str, Any]:
    options = integer_options("hint", config, DEFAULTS, QUICK, LEAST, extra=("train", "advance_at", "abducer"))
    advance_at = config.options.get("advance_at", 0.8)
    if isinstance(advance_at, bool) or not isinstance(advance_at, (int, float)) or not 0 < advance_at <= 1:
        raise NesyError(f"hint: --set advance_at= must be a number in (0, 1], got {advance_at!r}")
    abducer = config.options.get("abducer", "clingo")
    if abducer not in ABDUCERS:
        raise NesyError(f"hint: --set abducer= must be one of {', '.join(ABDUCERS)}, got {abducer!r}")
    return {**options, "advance_at": advance_at, "abducer": abducer}


def _check_value(label: Any) -> None:
    if isinstance(label, bool) or not isinstance(label, int) or label < 0:
        raise ValueError("a value is a non-negative integer")


def grammar_problem() -> SearchProblem:
    """Grammar and meanings given: class names are HINT's symbols."""
    return SearchProblem(SYMBOLS, evaluate, can_complete, _check_value, name="grammar")


def meaning_renames() -> dict[str, dict[str, str]]:
    """Theory name -> operator class -> the operation it means, for all 24 assignments."""
    out = {}
    for meanings in itertools.permutations(OPERATORS):
        rename = dict(zip(OPERATORS, meanings))
        out[",".join(f"{cls}={op}" for cls, op in rename.items())] = rename
    return out


def meaning_theories() -> list[SearchProblem]:
    """One search problem per assignment of the four operations to the four operator classes."""
    theories = []
    for label, rename in meaning_renames().items():

        def read(names: Sequence[str], rename=rename) -> int | None:
            return evaluate([rename.get(n, n) for n in names])

        def complete(prefix: Sequence[str], length: int, rename=rename) -> bool:
            return can_complete([rename.get(n, n) for n in prefix], length)

        theories.append(SearchProblem(SYMBOLS, read, complete, _check_value, name=label))
    return theories


def _examples(expressions: Sequence[Expression], pool, rng: random.Random) -> list[tuple[torch.Tensor, int]]:
    return [(pool.images[list(images_of(pool, e.tokens, rng))], e.value) for e in expressions]


def _test_scores(classifier: ImageClassifier, tests: dict[str, list[tuple[torch.Tensor, int]]], executor, rename) -> dict[str, Any]:
    """Read every test expression, evaluate the readings with SymPy in one batch, score per subset."""
    names = [name for name in SUBSETS for _ in tests[name]]
    examples = [example for name in SUBSETS for example in tests[name]]
    if not examples:
        return {"subsets": {name: 0.0 for name in SUBSETS}, "argmax_subsets": {name: 0.0 for name in SUBSETS}, "accuracy": 0.0,
                "argmax_accuracy": 0.0, "evaluator_agreement": 1.0, "sympy_verdicts": {}, "decoded_by_solver": 0, "unreadable": 0}
    sizes = [len(images) for images, _ in examples]
    probabilities = list(torch.split(classifier.predict_proba(torch.cat([images for images, _ in examples])), sizes))
    scores = score_readings(probabilities, [value for _, value in examples], executor, rename)

    def share(flags: list[bool], name: str | None = None) -> float:
        picked = [f for f, n in zip(flags, names) if name is None or n == name]
        return sum(picked) / max(1, len(picked))

    return {
        "accuracy": share(scores.right),
        "subsets": {name: share(scores.right, name) for name in SUBSETS},
        "argmax_accuracy": share(scores.argmax_right),
        "argmax_subsets": {name: share(scores.argmax_right, name) for name in SUBSETS},
        "evaluator_agreement": scores.agreement,
        "sympy_verdicts": scores.verdicts,
        "decoded_by_solver": scores.decoded_by_solver,
        "unreadable": scores.unreadable,
    }


def _abducer(mode: str | None, options: dict[str, Any], executor, seed: int) -> Any:
    """The abducer a run trains with: clingo over the ASP knowledge, or best-first search in Python."""
    # the candidate theories in a seeded order: a tie on the probe (early on, when operators are
    # still read at random) must not favour the usual meanings by listing them first
    order = list(meaning_renames())
    random.Random(f"hint-theories-{seed}").shuffle(order)
    if options["abducer"] == "search":
        if mode == "meaning":
            by_name = {theory.name: theory for theory in meaning_theories()}
            return TheoryAbducer([by_name[name] for name in order], max_pops=options["max_pops"], probe=options["probe"], seed=seed)
        return SearchAbducer(grammar_problem(), max_pops=options["max_pops"])
    budget = Budget(wall_seconds=options["abduce_ms"] / 1000)
    if mode == "meaning":
        renames = meaning_renames()
        problems = [hint_problem(renames[name], name) for name in order]
        theories = [Abducer(problem, executor, top_k=options["top_k"], budget=budget) for problem in problems]
        # the probe counts what each theory explains within the top-k candidates: no widening passes,
        # which would spend the budget proving that a wrong theory cannot explain an example
        probes = [Abducer(problem, executor, top_k=options["top_k"], budget=budget, widen=False) for problem in problems]
        return TheoryAbducer(theories, probes=probes, probe=options["probe"], seed=seed)
    return Abducer(hint_problem(), executor, top_k=options["top_k"], budget=budget)


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


def _probe_counts(abducer) -> list[int] | None:
    """Probe examples the best and the runner-up theory explained this round (``meaning`` split only)."""
    if not isinstance(abducer, TheoryAbducer):
        return None
    return sorted(abducer.last_scores.values(), reverse=True)[:2]


def _rename_of(abducer) -> dict[str, str] | None:
    """The chosen theory's class -> operation map (``meaning`` split only)."""
    if not isinstance(abducer, TheoryAbducer):
        return None
    return dict(pair.split("=") for pair in abducer.chosen.name.split(","))


class HintSuite:
    """HINT-style handwritten arithmetic from values only, grammar given or operator meanings abduced."""

    name = "hint"
    description = "handwritten arithmetic expressions (1-15 symbols) from values only; clingo abduction (or best-first search), SymPy evaluation; splits grammar, meaning"
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

        classifier = ImageClassifier(len(SYMBOLS), 8, seed=config.seed)
        with make_executor(workers=config.workers) as executor:
            abducer = _abducer(config.split, options, executor, config.seed)
            learner = AbductiveLearner(
                classifier, abducer, rounds=options["rounds"], epochs=options["epochs"], explore=options["explore"],
                seed=config.seed, curriculum=True, advance_at=options["advance_at"],
            )
            monitor = lambda report: {"test_symbol_accuracy": _symbol_accuracy(classifier, pools.test, _rename_of(abducer))["all"],
                                      "theory": getattr(abducer, "chosen", None) and abducer.chosen.name,
                                      "probe_explained": _probe_counts(abducer)}
            start = time.perf_counter()
            reports = learner.fit(examples, on_round=monitor, progress=progress)
            train_seconds = time.perf_counter() - start

            eval_start = time.perf_counter()
            scores = _test_scores(classifier, tests, executor, _rename_of(abducer))
            symbols = _symbol_accuracy(classifier, pools.test, _rename_of(abducer))
            eval_seconds = time.perf_counter() - eval_start
        n_test = sum(len(tests[name]) for name in SUBSETS)
        results: dict[str, Any] = {
            "mode": config.split,
            "abducer": options["abducer"],
            "abduction": _abduction_text(config.split, options),
            "reading": "most probable grammatical sequence (the model's own when grammatical, else clingo), evaluated by the sandboxed sympy backend",
            **scores,
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
            "summary": [("abducer", options["abducer"])] + [(f"accuracy {name}", f"{scores['subsets'][name]:.4f}") for name in SUBSETS]
            + [("symbol_accuracy", f"{symbols['all']:.4f}"), ("argmax_accuracy", f"{scores['argmax_accuracy']:.4f}"),
               ("evaluator_agreement", f"{scores['evaluator_agreement']:.4f}"), ("rounds run", len(reports))],
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


def _abduction_text(split: str | None, options: dict[str, Any]) -> str:
    """How the run abduced, in words (for the results JSON)."""
    theories = ("; one candidate theory per operator assignment, chosen each round on a probe of "
                f"{options['probe']} examples" + (" (top-k candidates, not widened)" if options["abducer"] == "clingo" else "")) if split == "meaning" else ""
    if options["abducer"] == "search":
        return f"best-first search over the Python evaluator, in process, at most {options['max_pops']} steps per example" + theories
    k = options["top_k"]
    widening = f"top {k} classes per position, widened to {2 * k} then all 16 where none explains the label" if 2 * k < 16 else (
        f"top {k} classes per position, widened to all 16 where none explains the label" if k < 16 else "all 16 classes per position")
    return (f"clingo on the sandboxed executor, one ASP program per example (benchmarks/hint/knowledge.py), {widening}, "
            f"{options['abduce_ms']} ms per example" + theories)


def _given(split: str | None) -> str:
    if split == "meaning":
        return ("grammar; which classes are digits (and their values), operators and parentheses; the four operations "
                "as candidates, not which operator class means which")
    return "grammar and the meaning of every symbol class"
