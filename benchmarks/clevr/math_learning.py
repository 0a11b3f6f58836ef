"""The ``math`` split of ``nesy bench clevr``: a parser of CLEVR-Math-style questions learned from answers alone.

The split (training and test questions are about different scenes, drawn with different seeds):

* training: the five CLEVR-Math-style families
  (:data:`~nesy.benchmarks.clevr.math_families.MATH_FAMILIES`) taking turns twice, then one
  question of CLEVR's ``zero_hop`` family (plain count / exist / query): 10 of 11 training
  questions are math questions, 1 of 11 a plain one (its short questions teach attribute words);
* test: the five math families only.

Measured at 10,000 training questions (README): math families alone 0.178 (no size or material
word learned), zero-hop as 1 of 6 0.266-0.355 (the lexicon came from zero-hop questions alone: no
number word, additions under 0.1), zero-hop as 1 of 11 0.472.

Every question's arithmetic is checked by the sandboxed SymPy backend before learning
(:mod:`~nesy.benchmarks.clevr.math_check`); a disagreement stops the run (a generator bug).
The learner (:func:`nesy.semparse.learner.learn_parser`) gets the DSL with the math modules and
the number constants (``two`` is 2, :func:`~nesy.benchmarks.clevr.dsl_executor.clevr_dsl` with
``math=True``), the question words, the answers and the scenes: no program
(``program_annotations`` 0). Test programs are parsed without the answer and run sandboxed on
the ``dsl`` backend, as in the other splits (:mod:`~nesy.benchmarks.clevr.learning`).

Example:
    >>> train, test = math_configs(n_train=12, n_test=10, seed=0)
    >>> train.families.count("zero_hop"), len(train.families), test.families == MATH_FAMILIES, train.seed != test.seed
    (1, 11, True, True)
"""

from __future__ import annotations

import logging
import time
from typing import Any

from nesy.errors import NesyError
from nesy.progress import Progress
from nesy.semparse.learner import LearnConfig, learn_parser
from nesy.semparse.tree import to_text as tree_text

from .dsl_executor import clevr_dsl
from .learning import TEST_SEED_OFFSET, examples_of, run_programs, stage_reporter, tokenize, true_lexicon
from .math_check import check_arithmetic, require_arithmetic
from .math_families import MATH_FAMILIES
from .programs import to_text
from .questions import GenerationConfig, generate_questions

log = logging.getLogger(__name__)

MATH_TRAIN = MATH_FAMILIES * 2 + ("zero_hop",)
MATH_TEST = MATH_FAMILIES


def math_configs(*, n_train: int, n_test: int, seed: int, questions_per_scene: int = 10) -> tuple[GenerationConfig, GenerationConfig]:
    """Generation settings of the ``math`` split's training and test questions."""
    return (GenerationConfig(n_questions=n_train, seed=seed, split="train", families=MATH_TRAIN, questions_per_scene=questions_per_scene),
            GenerationConfig(n_questions=n_test, seed=seed + TEST_SEED_OFFSET, split="test", families=MATH_TEST,
                             questions_per_scene=questions_per_scene))


def _per_family(questions, right, texts) -> dict[str, dict[str, Any]]:
    per_family: dict[str, dict[str, Any]] = {}
    for q, ok, text in zip(questions, right, texts):
        entry = per_family.setdefault(q.family, {"n": 0, "right": 0, "parsed": 0, "same_program": 0})
        entry["n"] += 1
        entry["right"] += ok
        entry["parsed"] += text is not None
        entry["same_program"] += text == to_text(q.program)
    for entry in per_family.values():
        entry["accuracy"] = entry["right"] / entry["n"]
    return per_family


def run_math_learning(split: str, options: dict[str, Any], *, seed: int, pool: Any, progress: Progress) -> dict[str, Any]:
    """Generate the split, check its arithmetic with SymPy, learn from the answers, evaluate: the results dict.

    ``split`` is ``math`` (the argument keeps the signature of the other learning runs).
    """
    if split != "math":
        raise NesyError(f"clevr: run_math_learning runs the math split, not {split!r}")
    train_config, test_config = math_configs(n_train=options["n_train"], n_test=options["n_test"], seed=seed,
                                             questions_per_scene=options["questions_per_scene"])
    started = time.perf_counter()
    train_scenes, train_questions, train_stats = generate_questions(train_config)
    test_scenes, test_questions, _ = generate_questions(test_config)
    generation_seconds = time.perf_counter() - started
    started = time.perf_counter()
    arithmetic = check_arithmetic(train_questions + test_questions, pool)
    arithmetic["seconds"] = time.perf_counter() - started
    require_arithmetic(arithmetic, "clevr --split math")

    started = time.perf_counter()
    config = LearnConfig(lexicon_examples=max(300, options["n_train"] // 10), rounds=options["rounds"])
    parser, stats = learn_parser(clevr_dsl(math=True), examples_of(train_scenes, train_questions), config, stage_reporter(progress))
    train_seconds = time.perf_counter() - started

    started = time.perf_counter()
    texts = [tree_text(p) if p is not None else None for p in (parser.parse(tokenize(q.text)) for q in test_questions)]
    by_image = {s["image_index"]: s for s in test_scenes}
    right = run_programs(pool, texts, [by_image[q.image_index] for q in test_questions], [q.answer for q in test_questions])
    eval_seconds = time.perf_counter() - started

    n_test, parsed = len(test_questions), sum(t is not None for t in texts)
    accuracy = sum(right) / n_test if n_test else 0.0
    per_family = _per_family(test_questions, right, texts)
    truth, entries = true_lexicon(), parser.lexicon.entries
    lexicon_right = sum(truth.get(w) == c for w, c in entries.items())
    wrong = [{"question": q.text, "parsed": t, "program": to_text(q.program), "answer": q.answer}
             for q, ok, t in zip(test_questions, right, texts) if not ok][:20]
    return {
        "accuracy": accuracy,
        "program_annotations": 0,
        "n_train": len(train_questions),
        "n_test": n_test,
        "sweep": "n_train_math",
        "n_train_math": len(train_questions),
        "train_families": list(MATH_TRAIN),
        "test_families": list(MATH_TEST),
        "train_seconds": train_seconds,
        "eval_seconds": eval_seconds,
        "generation_seconds": generation_seconds,
        "parsed_share": parsed / n_test if n_test else 0.0,
        "lexicon_size": len(entries),
        "lexicon_accuracy": lexicon_right / len(entries) if entries else 0.0,
        "lexicon": dict(sorted(entries.items())),
        "learning": stats,
        "arithmetic": arithmetic,
        "per_family": per_family,
        "generation": train_stats,
        "wrong_examples": wrong,
        "train_scenes": len(train_scenes),
        "test_scenes": len(test_scenes),
        "summary": [
            ("accuracy (held-out scenes, math families)", f"{accuracy:.4f} of {n_test}"),
            ("program annotations", 0),
            ("sympy arithmetic agreement", f"{arithmetic['agreement']:.4f} of {arithmetic['n']}"),
            ("parsed", f"{parsed / n_test if n_test else 0.0:.4f}"),
            ("lexicon", f"{len(entries)} words, {lexicon_right} right"),
            ("train seconds", f"{train_seconds:.1f}"),
            ("per family", ", ".join(f"{f} {e['accuracy']:.3f}" for f, e in sorted(per_family.items()))),
        ],
    }
