"""``nesy bench clevr --images``: the learned parser's programs run on PERCEIVED scenes (end to end).

The run:

1. generates the split's training and test questions (as the symbolic run does,
   :func:`~nesy.benchmarks.clevr.learning.split_configs`) and learns a question -> program parser
   from the training answers alone (:func:`nesy.semparse.learner.learn_parser`, zero program
   annotations);
2. trains perception on pictures of scenes drawn like the training scenes (CoGenT condition A for
   ``cogent``; every scene of the run, training and test, under CLEVR's visibility rule,
   ``min_visible_pixels``): setting ``annotated`` (as NS-VQA) fits
   :class:`~nesy.grounding.scene_perception.ScenePerception` on ``n_perception_train`` separately
   generated annotated pictures (:func:`~nesy.benchmarks.clevr.perception_eval.train_perception`);
   setting ``qa`` (as NS-CL) learns the attributes from question-answer pairs by abduction
   (:mod:`~nesy.benchmarks.clevr.qa_perception`);
3. renders the test scenes, perceives them (picture ``i`` is test scene ``i``), parses each test
   question without its answer and runs the program on the perceived scene in the sandboxed
   executor (``dsl`` backend): ``accuracy`` is end to end. The same programs on the true scenes
   give ``accuracy_symbolic``; GOLD programs on perceived vs true scenes give
   ``perception_agreement`` (scoring only: nothing learns from gold programs).

Example:
    >>> from nesy.benchmarks.clevr.learning import answered_right
    >>> answered_right(True, 1)
    False
"""

from __future__ import annotations

import logging
import time
from typing import Any

from nesy.progress import Progress

from .learning import chosen_readings, family_counts, learn_split, run_programs
from .perception_eval import answers_agree, perceived_scenes, train_perception
from .programs import to_text
from .qa_perception import QAConfig, train_qa_perception
from .render import RenderConfig, render_images
from .scenes import SceneConfig

log = logging.getLogger(__name__)

__all__ = ["run_images"]


def _perception(options: dict[str, Any], scenes: SceneConfig, seed: int, pool: Any, progress: Progress) -> tuple[Any, dict[str, Any]]:
    """The trained perception model (on pictures of scenes drawn like the training ones) and what to report about its training."""
    if options["perception"] == "qa":
        config = QAConfig.from_options(options)
        model, report = train_qa_perception(config, seed=seed, pool=pool, progress=progress, cogent=scenes.cogent,
                                            min_visible_pixels=scenes.min_visible_pixels)
        return model, {"perception_setting": "B (question-answer pairs, as NS-CL)", **report}
    model, fit, render_seconds = train_perception(
        options["n_perception_train"], seed=seed, centre_epochs=options["centre_epochs"], crop_epochs=options["crop_epochs"], scenes=scenes
    )
    return model, {
        "perception_setting": "A (scene annotations, as NS-VQA)",
        "perception_train_seconds": fit.seconds,
        "perception_train_images": options["n_perception_train"],
        "perception_render_seconds": render_seconds,
        "perception_epochs": {"centre": options["centre_epochs"], "crop": options["crop_epochs"]},
    }


def cause_of(right: bool, right_symbolic: bool) -> str | None:
    """One question's: ``parser`` (wrong end to end and on the true scene), ``perception`` (wrong end to
    end, right on the true scene), ``lucky`` (right end to end, wrong on the true scene), None (right on both).
    With ``guided`` the true scene's reading may differ from the perceived one's, so the split is approximate."""
    if right:
        return None if right_symbolic else "lucky"
    return "perception" if right_symbolic else "parser"


def error_causes(right: list[bool], right_symbolic: list[bool]) -> dict[str, int]:
    """Where the end-to-end errors come from, counted per :func:`cause_of`.

    Example:
        >>> error_causes([False, False, True, True], [False, True, False, True])
        {'parser': 1, 'perception': 1, 'lucky': 1}
    """
    causes = [cause_of(a, b) for a, b in zip(right, right_symbolic)]
    return {name: causes.count(name) for name in ("parser", "perception", "lucky")}


def run_images(split: str, options: dict[str, Any], *, seed: int, pool: Any, progress: Progress) -> dict[str, Any]:
    """Learn the parser, train perception, answer the test questions on perceived pictures."""
    learned = learn_split(split, options, seed=seed, progress=progress, pool=pool)
    test_scenes, test_questions = learned.test_scenes, learned.test_questions

    model, perception = _perception(options, learned.train_config.scenes, seed, pool, progress)

    started = time.perf_counter()
    render = RenderConfig()
    pictures = render_images(test_scenes, render)
    perceived = perceived_scenes(model, pictures, render.camera, learned.test_config.scenes.relation_eps)
    for true, seen in zip(test_scenes, perceived):  # picture i is test scene i
        seen["image_index"] = true["image_index"]
    perceive_seconds = time.perf_counter() - started

    started = time.perf_counter()
    position = {s["image_index"]: i for i, s in enumerate(test_scenes)}
    where = [position[q.image_index] for q in test_questions]
    answers = [q.answer for q in test_questions]
    seen_scenes, true_scenes = [perceived[i] for i in where], [test_scenes[i] for i in where]
    guided = bool(options["guided"])  # the readings are chosen on the scene the answer comes from: perceived, or true
    readings = chosen_readings(pool, learned, seen_scenes, guided)
    right = run_programs(pool, readings, seen_scenes, answers)
    right_symbolic = run_programs(pool, chosen_readings(pool, learned, true_scenes, guided), true_scenes, answers)
    agreement = answers_agree(test_questions, {s["image_index"]: s for s in perceived})
    grammar = None  # with the learner's neural reader: the grammar's best parse alone, the baseline of the same run
    if learned.grammar_texts is not None:
        grammar = {"accuracy": run_programs(pool, learned.grammar_texts, seen_scenes, answers),
                   "accuracy_symbolic": run_programs(pool, learned.grammar_texts, true_scenes, answers)}
    eval_seconds = learned.parse_seconds + time.perf_counter() - started

    n = len(test_questions)
    share = (lambda flags: sum(flags) / n if n else 0.0)
    accuracy, symbolic, agree = share(right), share(right_symbolic), share(agreement)
    parsed = share([t is not None for t in learned.test_texts])
    errors = error_causes(right, right_symbolic)
    per_family = family_counts(test_questions, right=right, right_symbolic=right_symbolic)
    for entry in per_family.values():
        entry["accuracy"], entry["accuracy_symbolic"] = entry["right"] / entry["n"], entry["right_symbolic"] / entry["n"]
    wrong = [{"question": q.text, "parsed": t, "program": to_text(q.program), "answer": q.answer,
              "cause": cause_of(ok, ok_true)}
             for q, t, ok, ok_true in zip(test_questions, readings, right, right_symbolic) if not ok][:20]
    return {
        "accuracy": accuracy,
        "accuracy_symbolic": symbolic,
        "grammar_alone": None if grammar is None else {name: share(flags) for name, flags in grammar.items()},
        "perception_agreement": agree,
        "guided": guided,
        **perception,
        "min_visible_pixels": learned.test_config.scenes.min_visible_pixels,
        "images": True,
        "program_annotations": 0,
        "n_train": len(learned.train_questions),
        "n_test": n,
        "train_seconds": learned.train_seconds,
        "eval_seconds": eval_seconds,
        "perceive_seconds": perceive_seconds,
        "generation_seconds": learned.generation_seconds,
        "parsed_share": parsed,
        "errors": errors,
        "per_family": per_family,
        "wrong_examples": wrong,
        "learning": learned.stats,
        "train_scenes": len(learned.train_scenes),
        "test_scenes": len(test_scenes),
        "summary": [
            ("accuracy (end to end, perceived scenes)", f"{accuracy:.4f} of {n}"),
            ("accuracy_symbolic (same programs, true scenes)", f"{symbolic:.4f}"),
            ("perception_agreement (gold programs)", f"{agree:.4f}"),
            *([("grammar alone, no neural reader (end to end / true scenes)",
                f"{share(grammar['accuracy']):.4f} / {share(grammar['accuracy_symbolic']):.4f}")] if grammar else []),
            ("end-to-end errors", f"{errors['parser']} parser (wrong on the true scene too), {errors['perception']} perception"),
            ("per family (end to end)", ", ".join(f"{f} {e['accuracy']:.3f}" for f, e in sorted(per_family.items()))),
            ("perception", perception["perception_setting"]),
            ("perception train seconds", f"{perception['perception_train_seconds']:.1f}"),
            ("perception train images", perception["perception_train_images"]),
            ("parser train seconds", f"{learned.train_seconds:.1f}"),
            ("program annotations", 0),
        ],
    }
