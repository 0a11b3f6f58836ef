"""Generated questions: scenes, a program per question from a family, its answer, balanced.

:func:`generate_questions` walks the seeded scene sequence and asks about ten questions per
scene, the families taking turns so that each gets the same number. A draw is refused when a
``unique`` is not unique on the scene or the program is degenerate (see
:mod:`~nesy.benchmarks.clevr.families`), when the same program was already asked about the
scene, or when :class:`~nesy.benchmarks.clevr.balance.AnswerBalancer` says its answer is too
common in its family; after ``attempts`` refused draws the next scene is tried.

Example:
    >>> scenes, questions, stats = generate_questions(GenerationConfig(n_questions=18, seed=0))
    >>> len(questions), [q.family for q in questions[:3]]
    (18, ['zero_hop', 'one_hop', 'two_hop'])
    >>> stats["per_family"]["comparison"], stats["rejected"]["unique"] > 0
    (2, True)
    >>> sorted(questions[0].to_json())
    ['answer', 'family', 'image_filename', 'image_index', 'program', 'question', 'question_index', 'split']
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from nesy.errors import NesyError

from .balance import AnswerBalancer
from .families import FAMILIES, Rejected, sample_program
from .math_check import question_arithmetic
from .math_families import MATH_FAMILIES, sample_math_program
from .programs import Program, program_type, to_text
from .reference import SceneIndex, answer_text
from .scenes import SceneConfig, generate_scene
from .text import question_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Question:
    """One generated question.

    Attributes:
        index: Position in the generated list.
        family: One of :data:`~nesy.benchmarks.clevr.families.FAMILIES`.
        program: CLEVR nodes.
        answer: The reference answer (bool, int or attribute value).
        image_index: The scene it is about.
        text: An English phrasing (:mod:`~nesy.benchmarks.clevr.text`).
        split: The scenes' split name.
        arithmetic: For a math family, the answer as an expression over counts
            (:mod:`~nesy.benchmarks.clevr.math_check`); empty otherwise.
    """

    index: int
    family: str
    program: Program
    answer: Any
    image_index: int
    text: str = ""
    split: str = "train"
    arithmetic: str = ""

    def to_json(self) -> dict[str, Any]:
        """CLEVR's question layout (answers written as CLEVR writes them), plus ``family``."""
        return {
            "question_index": self.index,
            "image_index": self.image_index,
            "image_filename": f"CLEVR_{self.split}_{self.image_index:06d}.png",
            "split": self.split,
            "question": self.text,
            "program": [node.to_json() for node in self.program],
            "answer": answer_text(self.answer),
            "family": self.family,
            **({"arithmetic": self.arithmetic} if self.arithmetic else {}),
        }


@dataclass(frozen=True)
class GenerationConfig:
    """What to generate.

    Attributes:
        n_questions: How many questions.
        seed: Seed of scenes and draws.
        questions_per_scene: Questions asked about one scene before the next.
        attempts: Refused draws on one scene before moving to the next.
        max_scene_switches: Scenes tried for one question before giving up (a :class:`NesyError`).
        max_share: Answer cap for many-valued answer types (see :class:`AnswerBalancer`).
        families: Families taking turns (CLEVR's nine and the CLEVR-Math-style
            :data:`~nesy.benchmarks.clevr.math_families.MATH_FAMILIES`).
        scenes: How scenes are drawn.
        split: Split name written into scenes and questions.
    """

    n_questions: int = 1000
    seed: int = 0
    questions_per_scene: int = 10
    attempts: int = 60
    max_scene_switches: int = 100
    max_share: float = 0.3
    families: tuple[str, ...] = FAMILIES
    scenes: SceneConfig = field(default_factory=SceneConfig)
    split: str = "train"

    def __post_init__(self) -> None:
        unknown = [f for f in self.families if f not in FAMILIES + MATH_FAMILIES]
        if unknown or not self.families:
            raise NesyError(f"unknown question families {unknown} (known: {', '.join(FAMILIES + MATH_FAMILIES)})")
        if self.n_questions < 0 or self.questions_per_scene < 1 or self.attempts < 1:
            raise NesyError("n_questions must be >= 0, questions_per_scene and attempts >= 1")


def generate_questions(config: GenerationConfig) -> tuple[list[dict[str, Any]], list[Question], dict[str, Any]]:
    """Scenes (those asked about), questions, and generation statistics (draws, refusals by reason, per family)."""
    rng = random.Random(config.seed)
    balancer = AnswerBalancer(max_share=config.max_share)
    rejected: Counter = Counter()
    scenes: list[dict[str, Any]] = []
    questions: list[Question] = []
    next_scene = 0

    def fresh() -> tuple[dict[str, Any], SceneIndex, set[str]]:
        nonlocal next_scene
        scene = generate_scene(next_scene, config.seed, config.scenes, config.split)
        next_scene += 1
        return scene, SceneIndex.of(scene), set()

    scene, index, asked = fresh()
    draws = 0
    for i in range(config.n_questions):
        family = config.families[i % len(config.families)]
        sample = sample_math_program if family in MATH_FAMILIES else sample_program
        found = None
        for _ in range(config.max_scene_switches):
            for _ in range(config.attempts):
                draws += 1
                try:
                    program, answer = sample(family, index, rng)
                except Rejected as exc:
                    rejected[exc.reason] += 1
                    continue
                text = to_text(program)
                if text in asked:
                    rejected["duplicate"] += 1
                elif not balancer.accept(family, program_type(program), answer):
                    rejected["balance"] += 1
                else:
                    found = (program, answer, text)
                    break
            if found:
                break
            scene, index, asked = fresh()
        if found is None:
            raise NesyError(f"could not generate a {family} question in {config.max_scene_switches} scenes")
        program, answer, text = found
        if not asked:
            scenes.append(scene)
        asked.add(text)
        sums = question_arithmetic(program, index) if family in MATH_FAMILIES else ""
        questions.append(Question(i, family, program, answer, scene["image_index"], question_text(program, rng), config.split, sums))
        if len(asked) >= config.questions_per_scene:
            scene, index, asked = fresh()
    stats = {
        "draws": draws,
        "rejected": {reason: rejected[reason] for reason in ("unique", "degenerate", "empty", "duplicate", "balance")},
        "per_family": dict(Counter(q.family for q in questions)),
        "scenes": len(scenes),
        "answer_shares": balancer.shares(),
    }
    log.info("generated %d questions on %d scenes from %d draws", len(questions), len(scenes), draws)
    return scenes, questions, stats
