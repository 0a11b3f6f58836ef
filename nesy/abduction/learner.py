"""The abductive learning loop: perceive, abduce the symbols a label demands, refit, repeat.

A user gives a perception model (anything with ``predict_proba(images)`` and
``fit(images, labels, epochs=)``), an :class:`~nesy.abduction.abducer.Abducer` (the symbolic
knowledge), and examples that carry only a result label. Each round the model's batched
probabilities go to the solver, which returns the most probable symbols consistent with each
label; the model is then trained on those symbols. Examples whose label no symbols explain are
counted and skipped, never fatal.

Example:
    >>> import torch
    >>> from nesy.executor import LocalExecutor
    >>> from nesy.abduction.abducer import Abducer
    >>> from nesy.abduction.problem import AbductionProblem
    >>> class Fixed:  # a stand-in perception model that always says "probably 0"
    ...     def predict_proba(self, images): return torch.tensor([[0.8, 0.2]]).repeat(len(images), 1)
    ...     def fit(self, images, labels, epochs=1): self.seen = list(labels)
    >>> ones = AbductionProblem(["0", "1"], ":- label(L), #count { P : sym(P, 1) } != L.",
    ...                         lambda label: f"label({int(label)}).")
    >>> model = Fixed()
    >>> with LocalExecutor(workers=1) as pool:
    ...     reports = AbductiveLearner(model, Abducer(ones, pool), rounds=1).fit([Example(torch.zeros(2, 4, 4), 2)])
    >>> model.seen, reports[0].abduced
    ([1, 1], 1)
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from typing import Any, Callable, Protocol, Sequence

import torch

from nesy.abduction.abducer import ABDUCED, FAILED, INCONSISTENT, UNREADABLE, Abducer
from nesy.abduction.refit import consolidate
from nesy.progress import NullProgress, Progress

log = logging.getLogger(__name__)


class Perception(Protocol):
    """What the loop needs from a perception model."""

    def predict_proba(self, images: torch.Tensor) -> torch.Tensor: ...

    def fit(self, images: torch.Tensor, labels: Sequence[int], *, epochs: int = 1) -> Any: ...


@dataclass(frozen=True)
class Example:
    """One result-labelled example: a sequence of perceived items and the label of the whole."""

    images: torch.Tensor  #: ``(positions, ...)``: one input per symbol position
    label: Any


@dataclass
class RoundReport:
    """What one round did (``extra`` holds whatever the ``on_round`` monitor returned)."""

    round: int
    abduced: int
    inconsistent: int
    unreadable: int
    failed: int
    widened: int
    not_optimal: int  #: abduced with the best assignment found when the budget ran out
    sampled: bool  #: abduced by perturb-and-MAP sampling (an ``explore`` round)
    changed: int  #: abduced symbols that differ from the previous round's
    seconds: float
    confirmed: int = 0  #: abduced examples whose abduced symbols are the model's own most probable reading
    longest: int = 0  #: the most positions of an example in play this round (see ``curriculum``)
    in_play: int = 0  #: examples abduced for this round
    abduce_seconds: float = 0.0  #: of ``seconds``, the time spent abducing (the rest: perceiving and fitting)
    extra: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class AbductiveLearner:
    """Trains a perception model from result labels by repeated abduction.

    Args:
        perception: The model to train.
        abducer: The symbolic side (knowledge, solver, batch execution).
        rounds: Most rounds.
        epochs: Training passes over the abduced symbols per round.
        min_rounds: Rounds before the loop may stop at a fixpoint (no abduced symbol changed).
        explore: The first ``explore`` rounds abduce by sampling (Gumbel-perturbed probabilities,
            see :meth:`Abducer.abduce`) instead of taking the single most probable assignment.
            Early on the model's favourite consistent assignment is often wrong, and refitting on
            it makes it more favoured still; drawing assignments in proportion to their
            probability keeps the alternatives alive until the model can tell them apart.
        seed: Seeds the sampling (round ``r`` uses ``seed + r``).
        curriculum: Start with the shortest examples (fewest positions) and add the next length
            once the model's own reading (the most probable class at each position) already is
            the abduced assignment for at least ``advance_at`` of the examples in play
            (``RoundReport.confirmed``); the loop may stop
            at a fixpoint only once every length is in play. Long examples are hard to abduce
            while the model still reads short ones badly, and short ones teach it cheaply.
        advance_at: The confirmed share that lets the curriculum add the next length.
        refit: A factory for a fresh perception model. After the rounds, each distinct input gets
            the label most of its last abductions gave it (:func:`~nesy.abduction.refit.consolidate`)
            and a fresh model is trained on them for ``refit_epochs``; it becomes :attr:`model`.
            ``None`` (the default): :attr:`model` is the model trained through the rounds.
        refit_epochs: Training passes of the refit.
    """

    def __init__(
        self,
        perception: Perception,
        abducer: Abducer,
        *,
        rounds: int = 10,
        epochs: int = 3,
        min_rounds: int = 3,
        explore: int = 0,
        seed: int = 0,
        curriculum: bool = False,
        advance_at: float = 0.9,
        refit: Callable[[], Perception] | None = None,
        refit_epochs: int = 30,
    ) -> None:
        self.perception = perception
        self.abducer = abducer
        self.rounds = rounds
        self.epochs = epochs
        self.min_rounds = min_rounds
        self.explore = explore
        self.seed = seed
        self.curriculum = curriculum
        self.advance_at = advance_at
        self.refit = refit
        self.refit_epochs = refit_epochs
        self.model: Perception = perception  #: the trained model (the refit one when ``refit`` is given)
        self.refit_inputs = 0  #: distinct inputs the refit was trained on
        self.consolidated: tuple[torch.Tensor, list[int]] | None = None  #: the refit's (inputs, labels)

    def fit(
        self,
        examples: Sequence[Example],
        *,
        on_round: Callable[[RoundReport], dict[str, Any] | None] | None = None,
        progress: Progress | None = None,
    ) -> list[RoundReport]:
        """Run the rounds; ``on_round`` may measure the model after each (its dict lands in ``extra``)."""
        progress = progress or NullProgress()
        if not examples:
            return []
        lengths = sorted({len(e.images) for e in examples})
        level = 0 if self.curriculum else len(lengths) - 1
        previous: list[list[int] | None] = [None] * len(examples)
        reports: list[RoundReport] = []
        advance = progress.task("abductive learning (rounds)", total=self.rounds)
        for number in range(1, self.rounds + 1):
            start = time.perf_counter()
            active = [i for i, e in enumerate(examples) if len(e.images) <= lengths[level]]
            sizes = [len(examples[i].images) for i in active]
            all_images = torch.cat([examples[i].images for i in active])
            probabilities = list(torch.split(self.perception.predict_proba(all_images), sizes))
            sample = torch.Generator().manual_seed(self.seed + number) if number <= self.explore else None
            abduce_start = time.perf_counter()
            outcomes = self.abducer.abduce(probabilities, [examples[i].label for i in active], sample=sample)
            abduce_seconds = time.perf_counter() - abduce_start
            chosen_images, chosen_labels, changed, confirmed = [], [], 0, 0
            for i, p, outcome in zip(active, probabilities, outcomes):
                if outcome.status != ABDUCED:
                    continue
                confirmed += p.argmax(dim=1).tolist() == list(outcome.symbols)
                chosen_images.append(examples[i].images)
                chosen_labels.extend(outcome.symbols)
                if previous[i] is not None:
                    changed += sum(a != b for a, b in zip(previous[i], outcome.symbols))
                else:
                    changed += len(outcome.symbols)
                previous[i] = outcome.symbols
            if chosen_images:
                self.perception.fit(torch.cat(chosen_images), chosen_labels, epochs=self.epochs)
            statuses = [o.status for o in outcomes]
            report = RoundReport(
                round=number,
                abduced=statuses.count(ABDUCED),
                inconsistent=statuses.count(INCONSISTENT),
                unreadable=statuses.count(UNREADABLE),
                failed=statuses.count(FAILED),
                widened=sum(o.widened for o in outcomes),
                not_optimal=sum(o.status == ABDUCED and not o.optimal for o in outcomes),
                sampled=sample is not None,
                changed=changed,
                seconds=time.perf_counter() - start,
                confirmed=confirmed,
                longest=lengths[level],
                in_play=len(active),
                abduce_seconds=abduce_seconds,
            )
            if on_round is not None:
                report.extra = on_round(report)
            reports.append(report)
            advance(1)
            log.info("round %d: %s", number, report.to_dict())
            complete = level == len(lengths) - 1
            if not complete and confirmed >= self.advance_at * len(active):
                level += 1
            if complete and changed == 0 and number >= max(self.min_rounds, self.explore + 1):
                break
        if self.refit is not None:
            inputs, labels = consolidate([e.images for e in examples], previous)
            self.model = self.refit()
            if labels:
                self.model.fit(inputs, labels, epochs=self.refit_epochs)
            self.refit_inputs = len(labels)
            self.consolidated = (inputs, labels)
            log.info("refit a fresh model on %d distinct inputs for %d epochs", len(labels), self.refit_epochs)
        return reports
