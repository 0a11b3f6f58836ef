"""Setting B of the CLEVR-style suite: attributes learned from question-answer pairs (as NS-CL).

No attribute is annotated. What the learner gets, per training picture:

* object positions (pixel centres for a class-agnostic detector, and the spatial relations they
  imply): the localisation supervision, as NS-CL's pretrained detector had boxes;
* ``qa_questions`` questions with their answers, and the questions' programs. The programs are
  GIVEN here (the generator's), so this setting measures perception learned from answers; the
  parser learned from answers (:mod:`nesy.semparse`) is evaluated on its own.

Each round the attribute classifiers (:class:`~nesy.grounding.crop_attributes.CropAttributes`)
give probabilities for every object; each picture's questions become ASP rules (the suite's
clingo translation, :func:`~nesy.benchmarks.clevr.asp_executor.to_asp`, one namespace per
question) with the constraint that each derives its answer; clingo abduces the most probable
attribute values consistent with all of them (:class:`~nesy.grounding.attribute_abduction.AttributeAbducer`,
one program per picture, batched on the sandboxed executor), plus ``qa_samples`` perturb-and-MAP
draws whose agreement weighs each label; the classifiers are trained on the abduced labels.

Run alone: ``python -m nesy.benchmarks.clevr.qa_perception`` (JSON on stdout), or end to end:
``nesy bench clevr --images --set perception=qa``.

Example:
    >>> from nesy.benchmarks.clevr.programs import from_text
    >>> print(question_rules(from_text("count(filter_color(scene(), red))"), 2, 7))
    q7_set(0,O) :- obj(O).
    q7_set(1,O) :- q7_set(0,O), has(O,color,red).
    q7_card(1,C) :- C = #count{ P : q7_set(1,P) }.
    q7_val(2,C) :- q7_card(1,C).
    q7_answer(V) :- q7_val(2,V).
    :- not q7_answer(2).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import asdict, dataclass
from typing import Any, Sequence

import torch

from nesy.errors import NesyError
from nesy.executor import make_executor
from nesy.grounding.attribute_abduction import AttributeAbducer
from nesy.grounding.crop_attributes import CropAttributes, DetectAndClassify, position_detector
from nesy.progress import NullProgress, Progress

from .asp_executor import SHOW, to_asp
from .perception_eval import annotations, evaluate_perception
from .programs import Node
from .questions import GenerationConfig, Question, generate_questions
from .render import RenderConfig, render_images
from .scenes import SceneConfig
from .vocab import ATTRIBUTES, RELATIONS

log = logging.getLogger(__name__)

__all__ = ["QAConfig", "QA_DEFAULTS", "QA_LEAST", "QA_QUICK", "question_rules", "scene_knowledge", "train_qa_perception"]

#: ``--set`` options of setting B (``centre_epochs``/``crop_epochs`` of the detector are the suite's).
QA_DEFAULTS = {"qa_scenes": 400, "qa_questions": 20, "qa_rounds": 5, "qa_epochs": 3, "qa_samples": 2,
               "qa_min_objects": 3, "qa_max_objects": 10}
QA_QUICK = {"qa_scenes": 12, "qa_questions": 10, "qa_rounds": 1, "qa_epochs": 1, "qa_samples": 1,
            "qa_min_objects": 3, "qa_max_objects": 5}
QA_LEAST = {"qa_scenes": 1, "qa_questions": 1, "qa_rounds": 1, "qa_epochs": 1, "qa_samples": 0,
            "qa_min_objects": 1, "qa_max_objects": 1}

_PREDICATES = re.compile(r"\b(set|one|val|card|invalid|answer|answer_set|answer_obj)\(")


@dataclass(frozen=True)
class QAConfig:
    """Setting B's sizes (the ``qa_*`` options) and the detector's epochs."""

    scenes: int = 400
    questions: int = 20
    rounds: int = 5
    epochs: int = 3
    samples: int = 2
    min_objects: int = 3
    max_objects: int = 10
    centre_epochs: int = 8
    crop_epochs: int = 8

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            least = 0 if name == "samples" else 1
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise NesyError(f"clevr setting B: {name} must be an integer >= {least}, got {value!r}")
        if self.min_objects > self.max_objects:
            raise NesyError(f"clevr setting B: min_objects={self.min_objects} is above max_objects={self.max_objects}")

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> "QAConfig":
        """From the suite's options (``qa_scenes`` -> ``scenes``, ...); objects bounds checked."""
        if options["qa_min_objects"] > options["qa_max_objects"]:
            raise NesyError(f"clevr: --set qa_min_objects={options['qa_min_objects']} is above qa_max_objects={options['qa_max_objects']}")
        return cls(**{k[3:]: v for k, v in options.items() if k.startswith("qa_")},
                   centre_epochs=options["centre_epochs"], crop_epochs=options["crop_epochs"])


def _term(answer: Any) -> str:
    if isinstance(answer, bool):
        return "true" if answer else "false"
    if isinstance(answer, (int, str)):
        return str(answer)
    raise NesyError(f"clevr setting B: cannot state answer {answer!r} in ASP")


def question_rules(program: Sequence[Node], answer: Any, k: int) -> str:
    """The program's ASP rules in namespace ``q<k>_`` and the constraint that it derives ``answer``."""
    rules = _PREDICATES.sub(lambda m: f"q{k}_{m.group(1)}(", to_asp(program).replace(SHOW, "").strip())
    unique = f" :- q{k}_invalid(_)." if f"q{k}_invalid(" in rules else ""
    return rules + f"\n:- not q{k}_answer({_term(answer)})." + unique


def scene_knowledge(scene: dict[str, Any], questions: Sequence[Question]) -> str:
    """What one training picture says: its objects, their relations (from positions) and its answered questions."""
    facts = [f"obj({i})." for i in range(len(scene["objects"]))]
    for rel in RELATIONS:
        facts.extend(f"rel({rel},{i},{j})." for i, related in enumerate(scene["relationships"][rel]) for j in related)
    return " ".join(facts) + "\n" + "\n".join(question_rules(q.program, q.answer, k) for k, q in enumerate(questions))


def _truth(scenes: Sequence[dict[str, Any]]) -> torch.Tensor:
    """True value indices ``(objects, attributes)`` (to REPORT label accuracy only)."""
    return torch.tensor([[ATTRIBUTES[a].index(o[a]) for a in ATTRIBUTES] for s in scenes for o in s["objects"]], dtype=torch.long)


def train_qa_perception(
    config: QAConfig, *, pool: Any, seed: int = 0, progress: Progress | None = None, render: RenderConfig = RenderConfig(),
    cogent: str | None = None, min_visible_pixels: int = 0,
) -> tuple[DetectAndClassify, dict[str, Any]]:
    """Train the detector on positions and the attributes by abduction from answers; the model and a report.

    ``cogent``: draw the training scenes in that CLEVR-CoGenT condition (``"A"`` or ``"B"``);
    ``min_visible_pixels``: under that visibility rule (``SceneConfig.min_visible_pixels``).
    """
    progress = progress or NullProgress()
    camera = render.camera
    generation = GenerationConfig(n_questions=config.scenes * config.questions, seed=3000 + seed, questions_per_scene=config.questions,
                                  scenes=SceneConfig(min_objects=config.min_objects, max_objects=config.max_objects, cogent=cogent,
                                                     min_visible_pixels=min_visible_pixels),
                                  split="train")
    scenes, questions, _ = generate_questions(generation)
    pictures = render_images(scenes, render)
    started = time.perf_counter()
    notes = [annotations(s, camera) for s in scenes]
    detector = position_detector(camera.width, camera.height, seed=seed)
    detector.fit(pictures, [[{"x": o["x"], "y": o["y"], "object": "object"} for o in objs] for objs in notes],
                 centre_epochs=config.centre_epochs, crop_epochs=config.crop_epochs)
    detector_seconds = time.perf_counter() - started

    by_scene: dict[int, list[Question]] = {}
    for q in questions:
        by_scene.setdefault(q.image_index, []).append(q)
    knowledge = [scene_knowledge(s, by_scene.get(s["image_index"], [])) for s in scenes]
    sizes = [len(s["objects"]) for s in scenes]
    classifier = CropAttributes(ATTRIBUTES, camera.width, camera.height, seed=seed)
    x = classifier.tensor(pictures)
    index = torch.tensor([i for i, n in enumerate(sizes) for _ in range(n)], dtype=torch.long)
    xs = torch.tensor([o["x"] for objs in notes for o in objs])
    ys = torch.tensor([o["y"] for objs in notes for o in objs])
    truth = _truth(scenes)
    history: list[dict[str, Any]] = []
    advance = progress.task("setting B: abduce and train (rounds)", total=config.rounds)
    abducer = AttributeAbducer(ATTRIBUTES, pool)
    for number in range(1, config.rounds + 1):
        round_started = time.perf_counter()
        probabilities = classifier.predict_proba(x, index, xs, ys)
        per_scene = [list(parts) for parts in zip(*(torch.split(p, sizes) for p in probabilities))]
        labels = abducer.labels(per_scene, knowledge, samples=config.samples, seed=seed * 1000 + number)
        abduce_seconds = time.perf_counter() - round_started
        values = torch.cat([lab.values if lab.values is not None else torch.zeros(n, len(ATTRIBUTES), dtype=torch.long)
                            for lab, n in zip(labels, sizes)])
        weights = torch.cat([lab.confidence if lab.confidence is not None else torch.zeros(n, len(ATTRIBUTES))
                             for lab, n in zip(labels, sizes)])
        before = torch.stack([p.argmax(1) for p in probabilities], 1)
        loss = classifier.fit(x, index, xs, ys, values, weights, epochs=config.epochs)
        abduced = sum(lab.values is not None for lab in labels)
        entry = {
            "round": number,
            "abduced_scenes": abduced,
            "of_scenes": len(scenes),
            "label_accuracy": {a: float((values[:, k] == truth[:, k]).float().mean()) for k, a in enumerate(ATTRIBUTES)},
            "model_accuracy_before": {a: float((before[:, k] == truth[:, k]).float().mean()) for k, a in enumerate(ATTRIBUTES)},
            "mean_confidence": float(weights.mean()),
            "loss": loss,
            "abduce_seconds": abduce_seconds,
            "seconds": time.perf_counter() - round_started,
        }
        history.append(entry)
        log.info("setting B round %d: %s", number, entry)
        advance(1)
    seconds = time.perf_counter() - started
    report = {
        "perception_train_seconds": seconds,
        "perception_train_images": len(scenes),
        "perception_train_questions": len(questions),
        "perception_detector_seconds": detector_seconds,
        "attribute_annotations": 0,
        "localisation": "object positions given for training pictures (class-agnostic detector trained on positions only; relations from positions)",
        "training_programs": "given (the generator's programs of the training questions)",
        "qa_config": asdict(config),
        "rounds": history,
    }
    return DetectAndClassify(detector, classifier), report


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """``python -m nesy.benchmarks.clevr.qa_perception [--scenes N] ...``: train setting B, evaluate, print JSON."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description="CLEVR-style perception, setting B (question-answer pairs)")
    defaults = QAConfig()
    for name in ("scenes", "questions", "rounds", "epochs", "samples", "min_objects", "max_objects", "centre_epochs", "crop_epochs"):
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=getattr(defaults, name))
    parser.add_argument("--n-questions", type=int, default=2000, help="held-out questions (10 per scene)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        config = QAConfig(**{k: v for k, v in vars(args).items() if k in QAConfig.__dataclass_fields__})
    except NesyError as exc:
        parser.error(str(exc))
    with make_executor(cache=False) as pool:
        model, report = train_qa_perception(config, pool=pool, seed=args.seed)
    results = {"setting": "B (question-answer pairs, as NS-CL)", **report, **evaluate_perception(model, args.n_questions, seed=args.seed)}
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":  # pragma: no cover
    logging.basicConfig(level=logging.INFO)
    main()
