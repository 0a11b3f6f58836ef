"""``nesy bench clevr``: CLEVR-style visual reasoning on generated scenes (symbolic side).

CLEVR's images cannot be had here, so scenes are generated in CLEVR's scene-file layout
(:mod:`~nesy.benchmarks.clevr.scenes`) and questions are programs from CLEVR's nine families
(:mod:`~nesy.benchmarks.clevr.families`) with English text.

By default the run *learns* a question -> program parser from (scene, question, answer) triples
with zero program annotations (:mod:`~nesy.benchmarks.clevr.learning`, the learner is
:mod:`nesy.semparse`) and reports ``accuracy`` on held-out questions about held-out scenes.
``--check-executors`` (or ``--set check_executors=1``) instead runs every generated program on
both backends, the ``dsl`` backend (:mod:`~nesy.benchmarks.clevr.dsl_executor`) and the
``clingo`` backend (:mod:`~nesy.benchmarks.clevr.asp_executor`), and reports their agreement.

Options (``--set KEY=VALUE``): ``n_train`` (training questions, default 10000; 800 with
``--quick``; results name ``n_train_<split>`` as their sweep field, so ``nesy report`` plots accuracy against it per split), ``n_test`` (default 1000; 100 with ``--quick``),
``rounds`` (parse-and-verify rounds, default 1), ``check_executors`` (1 to run the check),
``n_questions`` (questions of the check, default 10000), ``n_probes`` (cross-scene programs of
the check, default 1000), ``questions_per_scene`` (default 10).

``--images`` (or ``--set images=1``) runs end to end on rendered pictures
(:mod:`~nesy.benchmarks.clevr.images`): ``accuracy`` is the learned parser's programs on the
PERCEIVED test scenes; the results add ``accuracy_symbolic`` (same programs, true scenes),
``perception_agreement`` (gold programs on perceived vs true scenes, scoring only),
``perception_setting``, ``perception_train_seconds`` and ``perception_train_images``. Its options:
``perception`` (``annotated``, the default: setting A, as NS-VQA; ``qa``: setting B, attributes
learned from question-answer pairs by abduction, as NS-CL, see
:mod:`~nesy.benchmarks.clevr.qa_perception`), ``n_perception_train`` (annotated pictures of
setting A, default 3000; 24 with ``--quick``), ``centre_epochs`` and ``crop_epochs`` (detector
epochs, default 8 each; 1 with ``--quick``), ``min_visible_pixels`` (every scene, training and test,
is drawn under CLEVR's visibility rule: each object shows at least this many pixels of its 160 x 120
picture, default 50, which is CLEVR's 200 at 320 x 240; 0: no rule, the scenes of the symbolic runs),
and setting B's ``qa_scenes`` (training pictures,
default 400), ``qa_questions`` (answered questions per picture, 20), ``qa_rounds`` (abduce-and-train
rounds, 5), ``qa_epochs`` (classifier epochs per round, 3), ``qa_samples`` (perturb-and-MAP draws
that weigh each abduced label, 2), ``qa_min_objects``/``qa_max_objects`` (objects per training
picture, 3..10).

Learner options (measured in the README): ``rerank_epochs`` (passes of the learner's step 6, rule
weights learned from the training answers, default 2; 0: off), ``rerank_step`` (step 6's change of a
rule's log-weight per wrong best parse, default 2), ``rerank_features`` (step 6's change of each
(word, call) pair's weight, in hundredths of a nat: the default 30 is ``LearnConfig.rerank_features=0.3``; 0: off),
``rerank_margin`` (step 6 also updates where a wrong parse scores within this many nats of the right
best one, default 3; 0: off), ``rerank_relaxed`` (1: step 6 also learns from questions that only the chart's
relaxations read; 0, the default: it passes them over), ``analogy`` (1, the default: rules for
wordings never seen whole, made from the kept rules' minimal pairs before step 6,
:mod:`~nesy.semparse.analogy`; 0: off), ``guided`` (1: each test question's reading is the best of its
k best parses that runs on its scene, :mod:`~nesy.semparse.guided`; 0, the default: the best parse),
``compose_unread`` (the most share of step 5's picks, in percent, that go to questions the grammar
does not read yet, ``LearnConfig.compose_unread_share``, default 80; 0: no limit, the learner before
it, whose picks at 50,000 questions were all unread yes/no ones), and
five off by default:
``neural`` (epochs of the learner's step 7: a small encoder-decoder trained on the training questions'
answer-verified parses chooses among the grammar's 8 best and its own proposals, :mod:`~nesy.semparse.neural_reader`; 0: off;
with it, ``neural_beam`` is the number of programs the model proposes per question by beam search, verified on
the training answers before it learns from them, default 8, and 0 lets it only choose among the grammar's parses),
``blind_probes`` (leave out candidates with a call blind to its world, judged on this many training
scenes; 0: off), ``probe_worlds`` (step 2's search also runs each program on this many other
training scenes, so programs equal on the question's scene by coincidence stay apart; 0: off),
``split_heads`` and ``inner_wrappers`` (1: on; ``LearnConfig.compose_split_heads`` and
``LearnConfig.inner_wrappers``).

Splits: ``iid``, ``cogent`` (train on CLEVR-CoGenT condition A scenes, test on condition B),
``hops`` (train on zero- and one-hop questions, test on two- and three-hop), ``math`` (CLEVR-Math-style
questions: :data:`~nesy.benchmarks.clevr.math_families.MATH_TRAIN`, learned as the others). The executor check draws its questions from
all fourteen families (CLEVR's nine and the five math ones) and also checks the math questions'
arithmetic with SymPy.

Example:
    >>> options_of(BenchConfig(split="iid", options={"n_train": 0}))
    Traceback (most recent call last):
    ...
    nesy.errors.NesyError: clevr: --set n_train= must be an integer >= 1, got 0
"""

from __future__ import annotations

import logging
import time
from typing import Any

from nesy.errors import NesyError
from nesy.executor import make_executor
from nesy.progress import NullProgress, Progress
from nesy.suites import BenchConfig, integer_options

from .check import check_executors
from .families import FAMILIES
from .images import run_images
from .learning import run_learning
from .math_families import MATH_FAMILIES
from .qa_perception import QA_DEFAULTS, QA_LEAST, QA_QUICK, QAConfig
from .questions import GenerationConfig, generate_questions
from .scenes import SceneConfig

log = logging.getLogger(__name__)

#: ``--images`` options: annotated training pictures and epochs of setting A, and setting B's (``qa_*``).
#: ``min_visible_pixels`` 50: CLEVR's rule (each object shows at least 200 pixels at 320 x 240), at 160 x 120.
IMAGE_DEFAULTS = {"n_perception_train": 3000, "centre_epochs": 8, "crop_epochs": 8, "min_visible_pixels": 50, **QA_DEFAULTS}
IMAGE_QUICK = {"n_perception_train": 24, "centre_epochs": 1, "crop_epochs": 1, "min_visible_pixels": 50, **QA_QUICK}
IMAGE_LEAST = {"n_perception_train": 2, "centre_epochs": 1, "crop_epochs": 1, "min_visible_pixels": 0, **QA_LEAST}

#: The learner's options (:class:`~nesy.semparse.learner.LearnConfig`'s ``rerank_epochs``, ``rerank_step``,
#: ``rerank_features`` (in hundredths), ``rerank_margin``, ``rerank_relaxed``, ``analogy_share`` (``analogy``: 1 for its default, 0 for
#: none), ``blind_probes``, ``probe_worlds``, ``compose_split_heads``, ``inner_wrappers`` and ``compose_unread_share``
#: (``compose_unread``, in percent; 0: None)), and ``guided``: each test question's
#: reading is the best of its k best parses that runs on its scene (:mod:`~nesy.semparse.guided`; 0: the best
#: parse); 0 is each one's least value (off), 1 for ``rerank_step``.
LEARNER_DEFAULTS = {"rerank_epochs": 2, "rerank_step": 2, "rerank_features": 30, "rerank_margin": 3, "rerank_relaxed": 0, "analogy": 1,
                    "blind_probes": 0, "probe_worlds": 0, "split_heads": 0, "inner_wrappers": 0, "guided": 0, "compose_unread": 80,
                    "neural": 0, "neural_beam": 8}
LEARNER_OFF = {**{name: 0 for name in LEARNER_DEFAULTS}, "rerank_step": 1}

DEFAULTS = {"check_executors": 0, "n_questions": 10000, "n_probes": 1000, "questions_per_scene": 10,
            "n_train": 10000, "n_test": 1000, "rounds": 1, "images": 0, **IMAGE_DEFAULTS, **LEARNER_DEFAULTS}
QUICK = {"check_executors": 0, "n_questions": 500, "n_probes": 100, "questions_per_scene": 10,
         "n_train": 800, "n_test": 100, "rounds": 1, "images": 0, **IMAGE_QUICK, **LEARNER_DEFAULTS}
LEAST = {"check_executors": 0, "n_questions": 1, "n_probes": 0, "questions_per_scene": 1, "n_train": 1, "n_test": 1, "rounds": 0,
         "images": 0, **IMAGE_LEAST, **LEARNER_OFF}
PERCEPTION = ("annotated", "qa")


def options_of(config: BenchConfig) -> dict[str, int]:
    """The suite's options: defaults (or quick ones) overridden by ``--set``; bad ones raise :class:`NesyError`."""
    options: dict[str, Any] = integer_options("clevr", config, DEFAULTS, QUICK, LEAST, extra=("perception",))
    for flag in ("check_executors", "images", "analogy", "split_heads", "inner_wrappers", "guided", "rerank_relaxed"):
        if options[flag] not in (0, 1):
            raise NesyError(f"clevr: --set {flag}= must be 0 or 1, got {options[flag]}")
    if options["compose_unread"] > 100:
        raise NesyError(f"clevr: --set compose_unread= is a percentage (0: no limit), got {options['compose_unread']}")
    if options["check_executors"] and options["images"]:
        raise NesyError("clevr: --check-executors and --images cannot be combined (the check runs on symbolic scenes)")
    perception = config.options.get("perception", "annotated")
    if perception not in PERCEPTION:
        raise NesyError(f"clevr: --set perception= must be one of {', '.join(PERCEPTION)}, got {perception!r}")
    if "perception" in config.options and not options["images"]:
        raise NesyError("clevr: --set perception= needs --images")
    options["perception"] = perception
    QAConfig.from_options(options)  # refuses qa_min_objects above qa_max_objects
    return options


class ClevrSuite:
    """CLEVR-style questions on generated scenes: a parser learned from answers alone, or the executor check."""

    name = "clevr"
    description = "CLEVR-style questions: a question->program parser learned from answers alone (--check-executors: dsl vs clingo)"
    splits = ("iid", "cogent", "hops", "math")

    def run(self, config: BenchConfig, progress: Progress | None = None) -> dict[str, Any]:
        options = options_of(config)
        progress = progress or NullProgress()
        if not options["check_executors"]:
            if config.split == "math" and options["images"]:
                raise NesyError("clevr: --images has no math split yet (the math split runs on symbolic scenes)")
            run = run_images if options["images"] else run_learning
            with make_executor(workers=config.workers, cache=False) as pool:
                results = run(config.split or "iid", options, seed=config.seed, pool=pool, progress=progress)
                results["workers"] = getattr(pool, "n_workers", None)
            results["options"] = options
            return results
        scene_config = SceneConfig(cogent="A") if config.split == "cogent" else SceneConfig()
        generation = GenerationConfig(
            n_questions=options["n_questions"], seed=config.seed, questions_per_scene=options["questions_per_scene"],
            scenes=scene_config, split=config.split or "iid", families=FAMILIES + MATH_FAMILIES,
        )
        started = time.perf_counter()
        scenes, questions, stats = generate_questions(generation)
        generation_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with make_executor(workers=config.workers, cache=False) as pool:
            report = check_executors(scenes, questions, pool, n_probes=options["n_probes"], seed=config.seed, progress=progress)
            workers = getattr(pool, "n_workers", None)
        eval_seconds = time.perf_counter() - started
        throughput, probes = report["throughput"], report["probes"]
        return {
            **report,
            "accuracy": report["agreement"],
            "n_train": 0,
            "n_test": report["n"],
            "train_seconds": 0.0,
            "eval_seconds": eval_seconds,
            "generation_seconds": generation_seconds,
            "generation": stats,
            "workers": workers,
            "options": options,
            "summary": [
                ("agreement (dsl vs clingo)", f"{report['agreement']:.4f} of {report['n']}"),
                ("math arithmetic (sympy)", f"{report['arithmetic']['agreement']:.4f} of {report['arithmetic']['n']}"),
                ("probe agreement", f"{probes['agreement']:.4f} of {probes['n']} ({probes['both_failed']} both failed)"),
                ("dsl programs/s", f"{throughput['dsl_per_second']:.0f}"),
                ("clingo programs/s", f"{throughput['clingo_per_second']:.0f}"),
                ("scenes", stats["scenes"]),
            ],
        }
