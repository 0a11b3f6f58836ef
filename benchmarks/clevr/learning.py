"""``nesy bench clevr`` learning run: a question -> program parser from answers alone, then held-out accuracy.

The splits (training and test questions are on different scenes, drawn with different seeds):

* ``iid``: every family in training and test;
* ``cogent``: training scenes in CLEVR-CoGenT's condition A (cubes and cylinders take disjoint
  colour sets), test scenes in condition B (the sets swapped);
* ``hops``: training on the zero- and one-hop families, test on the two- and three-hop ones.

The learner (:func:`nesy.semparse.learner.learn_parser`) sees only the DSL, question words,
answers and scenes: no program. Test programs are parsed without the answer and run in the
sandboxed executor on the ``dsl`` backend. The generator's truth (its words for each value, its
programs) is used only to *report* how right the learned lexicon is and, per family, how many
readings are the generator's program (``same_program``) or mean the same on 20 test scenes
(``same_meaning``: on the question's scene and 20 other test scenes).

Example:
    >>> train, test = split_configs("hops", n_train=20, n_test=10, seed=0)
    >>> train.families, test.families
    (('zero_hop', 'one_hop'), ('two_hop', 'three_hop'))
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from nesy.errors import NesyError
from nesy.progress import Progress
from nesy.semparse.guided import first_defined
from nesy.semparse.learner import Example, LearnConfig, learn_parser
from nesy.semparse.tree import CONST, Tree, evaluate
from nesy.semparse.tree import to_text as tree_text
from nesy.solvers.dsl import DSL
from nesy.solvers.dsl.parser import Call
from nesy.solvers.dsl.parser import parse as parse_call
from nesy.verdict import Status

from .dsl_executor import bound_scene, clevr_dsl, dsl_jobs
from .math_check import check_arithmetic, require_arithmetic
from .math_families import MATH_TEST, MATH_TRAIN
from .programs import to_text
from .questions import GenerationConfig, Question, generate_questions
from .reference import SceneIndex
from .scenes import SceneConfig
from .text import RELATION_WORDS, SYNONYMS

log = logging.getLogger(__name__)

HOPS_TRAIN = ("zero_hop", "one_hop")
HOPS_TEST = ("two_hop", "three_hop")
TEST_SEED_OFFSET = 100_003


def tokenize(text: str) -> tuple[str, ...]:
    """Lower-cased words and punctuation marks (a generic split, no vocabulary)."""
    return tuple(re.findall(r"\w+|[^\w\s]", text.lower()))


def split_configs(
    split: str, *, n_train: int, n_test: int, seed: int, questions_per_scene: int = 10, min_visible_pixels: int = 0
) -> tuple[GenerationConfig, GenerationConfig]:
    """Generation settings of the training and the test questions of a split; with
    ``min_visible_pixels`` every scene of both obeys CLEVR's visibility rule (``SceneConfig.min_visible_pixels``)."""
    train, test = _split_configs(split, n_train=n_train, n_test=n_test, seed=seed, questions_per_scene=questions_per_scene)
    if not min_visible_pixels:
        return train, test
    return tuple(  # type: ignore[return-value]
        dataclasses.replace(c, scenes=dataclasses.replace(c.scenes, min_visible_pixels=min_visible_pixels)) for c in (train, test)
    )


def _split_configs(split: str, *, n_train: int, n_test: int, seed: int, questions_per_scene: int) -> tuple[GenerationConfig, GenerationConfig]:
    common = {"questions_per_scene": questions_per_scene}
    if split in ("iid", "", None):
        return (GenerationConfig(n_questions=n_train, seed=seed, split="train", **common),
                GenerationConfig(n_questions=n_test, seed=seed + TEST_SEED_OFFSET, split="test", **common))
    if split == "cogent":
        return (GenerationConfig(n_questions=n_train, seed=seed, split="trainA", scenes=SceneConfig(cogent="A"), **common),
                GenerationConfig(n_questions=n_test, seed=seed + TEST_SEED_OFFSET, split="valB", scenes=SceneConfig(cogent="B"), **common))
    if split == "hops":
        return (GenerationConfig(n_questions=n_train, seed=seed, split="train", families=HOPS_TRAIN, **common),
                GenerationConfig(n_questions=n_test, seed=seed + TEST_SEED_OFFSET, split="test", families=HOPS_TEST, **common))
    if split == "math":  # see MATH_TRAIN: math families with a few plain zero-hop questions
        return (GenerationConfig(n_questions=n_train, seed=seed, split="train", families=MATH_TRAIN, **common),
                GenerationConfig(n_questions=n_test, seed=seed + TEST_SEED_OFFSET, split="test", families=MATH_TEST, **common))
    raise NesyError(f"clevr: split {split!r} has no learning run yet (iid, cogent, hops, math)")


def answer_type(answer: Any) -> str:
    """The DSL type of an answer: ``bool``, ``int`` (a count) or the type of the attribute value."""
    if isinstance(answer, bool):
        return "bool"
    if isinstance(answer, int):
        return "int"
    return _value_types()[answer]


@functools.lru_cache(maxsize=1)
def _value_types() -> dict[str, str]:
    return {name: str(c.type) for name, c in clevr_dsl().constants.items()}


def examples_of(scenes: Sequence[dict[str, Any]], questions: Sequence[Question]) -> list[Example]:
    """Learner examples: words, answer and its type, and a binder of the question's scene (no program)."""
    index = {s["image_index"]: SceneIndex.of(s) for s in scenes}
    return [Example(tokenize(q.text), q.answer, lambda ix=index[q.image_index]: bound_scene(ix), answer_type(q.answer))
            for q in questions]


def true_lexicon() -> dict[str, str]:
    """The generator's words for each value (for reporting the learned lexicon's accuracy only)."""
    truth = {}
    for value, words in SYNONYMS.items():
        for w in words:
            truth[w], truth[w + "s"] = value, value
    for relation, phrases in RELATION_WORDS.items():
        truth[relation] = relation
    dsl = clevr_dsl()
    for name in dsl.constants:
        truth.setdefault(name, name)
        truth.setdefault(name + "s", name)
    return truth


def answered_right(value: Any, answer: Any) -> bool:
    """The value is the answer, of the same type (``1`` is not ``True``).

    Example:
        >>> [answered_right(v, a) for v, a in [(1, 1), ("red", "blue"), (True, 1)]]
        [True, False, False]
    """
    return type(value) is type(answer) and value == answer


def run_programs(pool: Any, texts: Sequence[str | None], scenes: Sequence[dict[str, Any]], answers: Sequence[Any]) -> list[bool]:
    """Per question: program ``texts[i]`` (None: not parsed) gives ``answers[i]`` on ``scenes[i]`` (sandboxed ``dsl``)."""
    parsed = [i for i, t in enumerate(texts) if t is not None]
    verdicts = pool.map(dsl_jobs([(texts[i], scenes[i]) for i in parsed]))
    right = [False] * len(texts)
    for i, v in zip(parsed, verdicts):
        right[i] = v.status is Status.OK and answered_right(v.value, answers[i])
    return right


def same_meaning(parsed: str | None, truth: str, scenes: Sequence[Any]) -> bool:
    """Whether the parsed program gives the true program's value (or failure) on every one of ``scenes`` (scoring only).

    The question's own scene should be among them: on a random scene a description's ``unique``
    mostly fails, for the true program and a wrong one alike.

    Projective readings apply a description's filters in another order than the generator's
    program (``filter_shape(filter_color(X, red), cube)`` for "red cubes that are ..."), so equal
    text undercounts right readings; equal values on a few dozen scenes do not.

    Example:
        >>> from nesy.benchmarks.clevr.scenes import generate_scene
        >>> scenes = [generate_scene(i, seed=i) for i in range(5)]
        >>> a = "count(filter_shape(filter_color(scene(), red), cube))"
        >>> same_meaning(a, "count(filter_color(filter_shape(scene(), cube), red))", scenes), same_meaning(a, "count(scene())", scenes)
        (True, False)
    """
    if parsed is None:
        return False
    return all(_value(parsed, s) == _value(truth, s) for s in scenes)


@functools.lru_cache(maxsize=1)
def _scoring_dsl() -> DSL:
    """The math DSL, a superset of CLEVR's: scoring must run the math split's programs too."""
    return clevr_dsl(math=True)


def _value(program: str, scene: Any) -> Any:
    with bound_scene(scene):
        try:
            value = evaluate(_scoring_dsl(), _tree(program))
        except Exception:  # undefined on this scene (a failed unique)
            return "undefined"
    return type(value).__name__, value


@functools.lru_cache(maxsize=4096)
def _tree(program: str) -> Tree:
    def build(node: Any) -> Tree:
        return Tree(node.name, tuple(build(a) for a in node.args)) if isinstance(node, Call) else Tree(node.name, (), CONST)
    return build(parse_call(program))


def stage_reporter(progress: Progress) -> Callable[[str, int, int], None]:
    """A ``report(stage, done, total)`` callback that keeps one progress task per stage name."""
    stage: dict[str, Any] = {"name": None, "advance": None, "done": 0}

    def report(name: str, done: int, total: int) -> None:
        if stage["name"] != name:
            stage.update(name=name, advance=progress.task(name, total), done=0)
        stage["advance"](done - stage["done"])
        stage["done"] = done

    return report


@dataclass
class LearnedSplit:
    """A split's generated questions, the parser learned from the training answers, its test readings."""

    train_config: GenerationConfig
    test_config: GenerationConfig
    train_scenes: list[dict[str, Any]]
    train_questions: list[Question]
    test_scenes: list[dict[str, Any]]
    test_questions: list[Question]
    parser: Any
    stats: dict[str, Any]
    test_texts: list[str | None]  #: each test question's parsed program (None: no parse), answer unseen
    test_candidates: list[list[str]]  #: each test question's k best readings, best first (``test_texts`` is the first)
    generation_seconds: float
    train_seconds: float
    parse_seconds: float  #: reading the test questions (part of a run's evaluation time)
    arithmetic: dict[str, Any] | None = None  #: the math split's SymPy check of every question (None elsewhere)
    #: with the learner's neural reader (``neural``), each test question's best grammar parse alone (None without it)
    grammar_texts: list[str | None] | None = None


def learn_split(split: str, options: dict[str, Any], *, seed: int, progress: Progress, pool: Any = None) -> LearnedSplit:
    """Generate the split, learn the parser from the training answers alone, parse the test questions.

    For the ``math`` split every question's arithmetic is first checked by the sandboxed SymPy
    backend on ``pool`` (:mod:`~nesy.benchmarks.clevr.math_check`; a disagreement is a generator
    bug and stops the run), and the DSL has the math modules and number constants.
    """
    train_config, test_config = split_configs(split, n_train=options["n_train"], n_test=options["n_test"], seed=seed,
                                              questions_per_scene=options["questions_per_scene"],
                                              min_visible_pixels=options["min_visible_pixels"] if options.get("images") else 0)
    started = time.perf_counter()
    train_scenes, train_questions, _ = generate_questions(train_config)
    test_scenes, test_questions, _ = generate_questions(test_config)
    generation_seconds = time.perf_counter() - started
    arithmetic = None
    if split == "math":
        if pool is None:
            raise NesyError("clevr: the math split checks its arithmetic with SymPy and needs an executor (pool=)")
        started = time.perf_counter()
        arithmetic = check_arithmetic(train_questions + test_questions, pool)
        arithmetic["seconds"] = time.perf_counter() - started
        require_arithmetic(arithmetic, "clevr --split math")

    started = time.perf_counter()
    config = LearnConfig(lexicon_examples=max(300, options["n_train"] // 10), rounds=options["rounds"],
                         blind_probes=options["blind_probes"], probe_worlds=options["probe_worlds"], compose_split_heads=bool(options["split_heads"]),
                         inner_wrappers=bool(options["inner_wrappers"]),
                         compose_unread_share=options["compose_unread"] / 100 if options["compose_unread"] else None,
                         rerank_epochs=options["rerank_epochs"],
                         rerank_step=float(options["rerank_step"]), rerank_features=options["rerank_features"] / 100,
                         rerank_margin=float(options["rerank_margin"]), rerank_relaxed=bool(options["rerank_relaxed"]),
                         analogy_share=LearnConfig.analogy_share if options["analogy"] else 0.0, neural_epochs=options["neural"],
                         neural_beam=options["neural_beam"],
                         workers=getattr(pool, "n_workers", None) or 1)  # the executor's workers wait while the parser learns
    dsl = clevr_dsl(math=split == "math")
    parser, stats = learn_parser(dsl, examples_of(train_scenes, train_questions), config, stage_reporter(progress))
    train_seconds = time.perf_counter() - started
    started = time.perf_counter()
    words = [tokenize(q.text) for q in test_questions]
    readings = [parser.readings(w) for w in words]
    candidates = [[tree_text(t) for t in found] for found in parser.choose(words, readings)]
    texts = [c[0] if c else None for c in candidates]
    grammar_texts = None
    if parser.reader is not None:  # the same parses in the grammar's order: the baseline of the same run
        grammar_texts = [tree_text(found[0]) if found else None for found in dataclasses.replace(parser, reader=None).choose(words, readings)]
    return LearnedSplit(train_config, test_config, train_scenes, train_questions, test_scenes, test_questions, parser,
                        stats, texts, candidates, generation_seconds, train_seconds, time.perf_counter() - started, arithmetic,
                        grammar_texts)


def chosen_readings(pool: Any, learned: LearnedSplit, scenes: Sequence[dict[str, Any]], guided: bool) -> list[str | None]:
    """Each test question's reading: its best parse, or with ``guided`` the best of its k readings that runs
    (sandboxed ``dsl``) on ``scenes[i]``, the scene it is asked about (:func:`~nesy.semparse.guided.first_defined`;
    no answer is seen)."""
    if not guided:
        return list(learned.test_texts)

    def defined(pairs: list[tuple[int, str]]) -> list[bool]:
        return [v.status is Status.OK for v in pool.map(dsl_jobs([(text, scenes[i]) for i, text in pairs]))]

    return first_defined(learned.test_candidates, defined)


def family_counts(questions: Sequence[Question], **flags: Sequence[bool]) -> dict[str, dict[str, Any]]:
    """Per question family: ``n`` and, for each named list of per-question flags, how many are true.

    Example:
        >>> from types import SimpleNamespace as Q
        >>> family_counts([Q(family="a"), Q(family="b"), Q(family="a")], right=[True, True, False])
        {'a': {'n': 2, 'right': 1}, 'b': {'n': 1, 'right': 1}}
    """
    counts: dict[str, dict[str, Any]] = {}
    for i, q in enumerate(questions):
        entry = counts.setdefault(q.family, {"n": 0, **{name: 0 for name in flags}})
        entry["n"] += 1
        for name, values in flags.items():
            entry[name] += bool(values[i])
    return counts


def run_learning(split: str, options: dict[str, int], *, seed: int, pool, progress: Progress) -> dict[str, Any]:
    """Generate, learn, evaluate; the results dict of ``nesy bench clevr``."""
    learned = learn_split(split, options, seed=seed, progress=progress, pool=pool)
    train_questions, test_questions = learned.train_questions, learned.test_questions
    parser, stats, train_seconds = learned.parser, learned.stats, learned.train_seconds
    train_scenes, test_scenes, generation_seconds = learned.train_scenes, learned.test_scenes, learned.generation_seconds

    started = time.perf_counter()
    by_image = {s["image_index"]: s for s in test_scenes}
    scenes, answers = [by_image[q.image_index] for q in test_questions], [q.answer for q in test_questions]
    texts = chosen_readings(pool, learned, scenes, bool(options["guided"]))
    right = run_programs(pool, texts, scenes, answers)
    best_parse_right = right if not options["guided"] else run_programs(pool, learned.test_texts, scenes, answers)
    grammar_right = None if learned.grammar_texts is None else run_programs(pool, learned.grammar_texts, scenes, answers)
    grammar_accuracy = None if grammar_right is None else sum(grammar_right) / max(1, len(grammar_right))
    parsed = [i for i, t in enumerate(texts) if t is not None]
    eval_seconds = learned.parse_seconds + time.perf_counter() - started

    probe_scenes = [SceneIndex.of(s) for s in test_scenes[:20]]
    per_family = family_counts(
        test_questions, right=right, parsed=[t is not None for t in texts],
        same_program=[t == to_text(q.program) for q, t in zip(test_questions, texts)],
        same_meaning=[same_meaning(t, to_text(q.program), [by_image[q.image_index], *probe_scenes]) for q, t in zip(test_questions, texts)],
    )
    for entry in per_family.values():
        entry["accuracy"] = entry["right"] / entry["n"]
    truth = true_lexicon()
    entries = parser.lexicon.entries
    lexicon_right = sum(truth.get(w) == c for w, c in entries.items())
    wrong = [{"question": q.text, "parsed": t, "program": to_text(q.program), "answer": q.answer}
             for q, ok, t in zip(test_questions, right, texts) if not ok][:20]
    n_test = len(test_questions)
    accuracy = sum(right) / n_test if n_test else 0.0
    best_parse_accuracy = sum(best_parse_right) / n_test if n_test else 0.0
    results = {
        "accuracy": accuracy,
        "guided": bool(options["guided"]),
        "accuracy_best_parse": best_parse_accuracy,
        "accuracy_grammar_alone": grammar_accuracy,
        "program_annotations": 0,
        "n_train": len(train_questions),
        "n_test": n_test,
        "sweep": f"n_train_{split}",  # one accuracy-against-n_train plot per split in 'nesy report'
        f"n_train_{split}": len(train_questions),
        "train_seconds": train_seconds,
        "eval_seconds": eval_seconds,
        "generation_seconds": generation_seconds,
        "parsed_share": len(parsed) / n_test if n_test else 0.0,
        "same_meaning_share": sum(e["same_meaning"] for e in per_family.values()) / n_test if n_test else 0.0,
        "lexicon_size": len(entries),
        "lexicon_accuracy": lexicon_right / len(entries) if entries else 0.0,
        "lexicon": dict(sorted(entries.items())),
        "learning": stats,
        "per_family": per_family,
        "wrong_examples": wrong,
        "train_scenes": len(train_scenes),
        "test_scenes": len(test_scenes),
        "summary": [
            ("accuracy (held-out scenes)", f"{accuracy:.4f} of {n_test}" + (" (guided by execution)" if options["guided"] else "")),
            ("accuracy of the best parse alone", f"{best_parse_accuracy:.4f}"),
            *([("accuracy of the grammar alone (no neural reader)", f"{grammar_accuracy:.4f}")] if grammar_accuracy is not None else []),
            ("program annotations", 0),
            ("parsed", f"{len(parsed) / n_test if n_test else 0.0:.4f}"),
            ("lexicon", f"{len(entries)} words, {lexicon_right} right"),
            ("rules", stats.get("rules")),
            ("train seconds", f"{train_seconds:.1f}"),
            ("per family", ", ".join(f"{f} {e['accuracy']:.3f}" for f, e in sorted(per_family.items()))),
        ],
    }
    if learned.arithmetic is not None:
        arithmetic = learned.arithmetic
        results.update(arithmetic=arithmetic, train_families=list(learned.train_config.families),
                       test_families=list(learned.test_config.families))
        results["summary"].insert(2, ("sympy arithmetic agreement", f"{arithmetic['agreement']:.4f} of {arithmetic['n']}"))
    return results
