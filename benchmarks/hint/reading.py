"""Scoring test expressions: read each one, evaluate the reading with SymPy, compare with the label.

Two readings of a test expression's images are scored:

* the *grammatical* reading (``accuracy``): the most probable grammatical symbol sequence. When
  the model's own reading (the most probable class at each position) is grammatical it is that
  optimum already; otherwise clingo finds it with the grammar-only chart
  (:func:`~nesy.benchmarks.hint.knowledge.structure_problem`, no label, batched on the executor);
* the *perceived* reading (``argmax_accuracy``): the model's own reading as it is, malformed or not.

Both are evaluated by the sandboxed SymPy backend in one batch
(:func:`~nesy.benchmarks.hint.sympy_reading.read_with_sympy`); a malformed sequence gets a
``rejected`` verdict and counts as wrong. ``evaluator_agreement`` is the share of evaluated
sequences on which SymPy's value and the in-process evaluator's
(:func:`~nesy.benchmarks.hint.expressions.evaluate`; ``None`` = no value on both sides) agree.

Example:
    >>> import torch
    >>> from nesy.executor import LocalExecutor
    >>> from nesy.benchmarks.hint.symbols import SYMBOLS
    >>> sharp = lambda text: torch.eye(16)[[SYMBOLS.index(c) for c in text]] * 0.9 + 0.005
    >>> with LocalExecutor(workers=1) as pool:
    ...     scores = score_readings([sharp("7/2"), sharp("3+")], [4, 3], pool)
    >>> scores.right, scores.argmax_right, scores.verdicts, scores.agreement  # "3+" has no grammatical reading
    ([True, False], [True, False], {'ok': 1, 'rejected': 1}, 1.0)
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import torch

from nesy.abduction import Abducer
from nesy.benchmarks.hint.expressions import evaluate, is_grammatical
from nesy.benchmarks.hint.knowledge import structure_problem
from nesy.benchmarks.hint.symbols import SYMBOLS
from nesy.benchmarks.hint.sympy_reading import read_with_sympy
from nesy.budget import Budget

log = logging.getLogger(__name__)


@dataclass
class Scores:
    """Per-expression outcomes of :func:`score_readings`.

    Attributes:
        right: The grammatical reading's SymPy value equals the label.
        argmax_right: The perceived reading's SymPy value equals the label.
        verdicts: SymPy verdict statuses over the distinct sequences evaluated.
        agreement: Share of those on which SymPy and the in-process evaluator agree.
        decoded_by_solver: Expressions whose perceived reading was not grammatical, read by clingo.
        unreadable: Expressions with no grammatical reading at all (an even number of symbols).
    """

    right: list[bool]
    argmax_right: list[bool]
    verdicts: dict[str, int]
    agreement: float
    decoded_by_solver: int
    unreadable: int


def grammatical_readings(probabilities: Sequence[torch.Tensor], executor: Any, budget: Budget | None = None) -> list[list[str] | None]:
    """The most probable grammatical sequence per expression (``None``: there is none)."""
    out: list[list[str] | None] = [[SYMBOLS[c] for c in p.argmax(dim=1).tolist()] for p in probabilities]
    solve = [i for i, tokens in enumerate(out) if not is_grammatical(tokens)]  # type: ignore[arg-type]
    if solve:
        decoder = Abducer(structure_problem(), executor, top_k=3, budget=budget or Budget(wall_seconds=1.0))
        found = decoder.abduce([probabilities[i] for i in solve], [None] * len(solve))
        for i, outcome in zip(solve, found):
            out[i] = [SYMBOLS[c] for c in outcome.symbols] if outcome.status == "abduced" else None
    return out


def score_readings(
    probabilities: Sequence[torch.Tensor], labels: Sequence[int], executor: Any, rename: Mapping[str, str] | None = None
) -> Scores:
    """Read, evaluate with SymPy (one batch), and score every expression (``rename``: class -> operation)."""
    grammatical = grammatical_readings(probabilities, executor)
    perceived = [[SYMBOLS[c] for c in p.argmax(dim=1).tolist()] for p in probabilities]
    distinct = list(dict.fromkeys(tuple(s) for s in grammatical + perceived if s is not None))
    readings = dict(zip(distinct, read_with_sympy(distinct, executor, rename)))
    rename = rename or {}
    agree = sum(r.value == evaluate([rename.get(t, t) for t in s]) for s, r in readings.items())

    def right(tokens: Sequence[str] | None, label: int) -> bool:
        return tokens is not None and readings[tuple(tokens)].value == label

    scores = Scores(
        right=[right(s, y) for s, y in zip(grammatical, labels)],
        argmax_right=[right(s, y) for s, y in zip(perceived, labels)],
        verdicts=dict(Counter(r.status for r in readings.values())),
        agreement=agree / max(1, len(readings)),
        decoded_by_solver=sum(not is_grammatical(s) for s in perceived),
        unreadable=sum(s is None for s in grammatical),
    )
    if scores.agreement < 1:
        log.warning("SymPy and the in-process evaluator disagree on %d of %d sequences", len(readings) - agree, len(readings))
    return scores
