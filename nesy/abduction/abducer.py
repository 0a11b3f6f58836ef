"""Batched abduction through the sandboxed clingo backend.

For every example the abducer writes one ASP program (the problem's knowledge, nesy's choice
rules, the example's candidates and the label's facts) and solves them all as one batch on the
executor's workers. By default every class is a candidate at every position, so the answer is the
most probable consistent assignment overall (clingo optimises; nothing is enumerated). With
``top_k`` only the k most probable classes are candidates at first: cheaper, but biased, since the
best assignment inside the top k is taken even where a more probable one needs a k+1-th class (on
2-digit addition learnt from sums this froze digit accuracy near 0.65, against 0.99 with every
class). An example with no consistent assignment among the top-k candidates is
solved again with twice as many candidates, then with every class; one still inconsistent has a label no symbols can
explain (``inconsistent``); a label that cannot be read is ``unreadable``; a solver timeout or
error is ``failed``; a search that runs out of budget after finding an assignment keeps the best
one found (``optimal=False``). No outcome stops the batch.

Example:
    >>> import torch
    >>> from nesy.executor import LocalExecutor
    >>> from nesy.abduction.problem import AbductionProblem
    >>> same = AbductionProblem(["0", "1"], ":- label(L), sym(0, A), sym(1, B), (A + B) \\\\ 2 != L.",
    ...                         lambda label: f"label({int(label)}).")
    >>> with LocalExecutor(workers=1) as pool:
    ...     out = Abducer(same, pool).abduce([torch.tensor([[0.9, 0.1], [0.6, 0.4]])], [1])
    >>> out[0].status, out[0].symbols
    ('abduced', [0, 1])
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Sequence

import torch

from nesy.abduction.encoding import CHOICE_RULES, SEARCH, candidate_facts, gumbel_noise, symbols_from_model
from nesy.abduction.problem import AbductionProblem
from nesy.budget import Budget
from nesy.executor.job import Job
from nesy.registry import get_solver
from nesy.verdict import Status

log = logging.getLogger(__name__)

ABDUCED, INCONSISTENT, UNREADABLE, FAILED = "abduced", "inconsistent", "unreadable", "failed"


@dataclass(frozen=True)
class Abduced:
    """The outcome for one example.

    Attributes:
        status: ``abduced``, ``inconsistent``, ``unreadable`` or ``failed``.
        symbols: Class index per position (``abduced`` only).
        cost: The optimum's cost (sum of ``-ln p`` in :data:`~nesy.abduction.encoding.SCALE` units).
        widened: True when the top-k candidates were not enough and more classes were tried.
        optimal: False when the budget ran out before optimality was proved (the best assignment
            found so far is used: still consistent with the label, perhaps not the most probable).
        message: Why, for any status but ``abduced``.
    """

    status: str
    symbols: list[int] | None = None
    cost: int | None = None
    widened: bool = False
    message: str = ""
    optimal: bool = True


class Abducer:
    """Most probable label-consistent symbols for a batch of examples.

    Args:
        problem: The knowledge and symbols.
        executor: Where the clingo programs run (a :class:`~nesy.executor.LocalExecutor` or Ray).
        top_k: Candidates per position in the first pass (None, the default: every class).
        budget: Per-program budget; ``max_models`` is forced to 1 (the first optimum).
        widen: False: no widening passes; an example the top-k candidates cannot explain is
            ``inconsistent`` (cheap where only a count matters, e.g. probing candidate theories).
        search: clingo search options (default :data:`~nesy.abduction.encoding.SEARCH`: domain
            heuristic, core-guided optimisation; ``("--heuristic=Domain", "--opt-strategy=bb")``
            is often faster where many classes are candidates).
    """

    def __init__(
        self,
        problem: AbductionProblem,
        executor: Any,
        *,
        top_k: int | None = None,
        budget: Budget | None = None,
        widen: bool = True,
        search: Sequence[str] = SEARCH,
    ) -> None:
        self.problem = problem
        self.executor = executor
        self.top_k = top_k
        self.widen = widen
        base = budget or Budget(wall_seconds=2.0)
        self.budget = Budget(**{**base.to_dict(), "max_models": 1})
        self.solver = get_solver("clingo", search=search)
        self.program = problem.knowledge + "\n" + CHOICE_RULES

    def _passes(self) -> list[tuple[bool, int | None]]:
        """Candidates per position in each pass: top-k, then twice as many, then every class."""
        if self.top_k is None or self.top_k >= len(self.problem.symbols):
            return [(False, None)]
        if not self.widen:
            return [(False, self.top_k)]
        wider = [(True, 2 * self.top_k)] if 2 * self.top_k < len(self.problem.symbols) else []
        return [(False, self.top_k)] + wider + [(True, None)]

    def abduce(
        self, probabilities: Sequence[torch.Tensor], labels: Sequence[Any], progress=None, *, sample: torch.Generator | None = None
    ) -> list[Abduced]:
        """One :class:`Abduced` per example; ``probabilities[i]`` has shape ``(positions_i, classes)``.

        With ``sample`` (a seeded generator) each example's log-probabilities get Gumbel noise
        before the search, so the answer is a draw of a consistent assignment, roughly in
        proportion to its probability (perturb-and-MAP), not always the single most probable one;
        ``cost`` is then that of the perturbed scores.
        """
        if len(probabilities) != len(labels):
            raise ValueError(f"{len(probabilities)} examples but {len(labels)} labels")
        noise = [gumbel_noise(tuple(p.shape), sample) if sample is not None else None for p in probabilities]
        results: list[Abduced | None] = [None] * len(labels)
        label_texts: list[str | None] = []
        for i, label in enumerate(labels):
            try:
                label_texts.append(self.problem.label_facts(label))
            except (ValueError, TypeError) as exc:
                label_texts.append(None)
                results[i] = Abduced(UNREADABLE, message=f"label {label!r} cannot be read: {exc}")
        pending = [i for i in range(len(labels)) if results[i] is None]
        for widened, top_k in self._passes():
            if not pending:
                break
            jobs = [
                Job(self.solver, self.program, candidate_facts(probabilities[i], self.problem.symbols, top_k, noise[i]) + "\n" + label_texts[i],
                    budget=self.budget)
                for i in pending
            ]
            verdicts = self.executor.map(jobs, progress)
            retry = []
            for i, verdict in zip(pending, verdicts):
                found = verdict.value.get("models") if isinstance(verdict.value, dict) else None
                if verdict.status in (Status.SAT, Status.UNKNOWN) and found:
                    # unknown: the search ran out of time; its best answer set so far is still consistent
                    terms = symbols_from_model(found[-1], probabilities[i].shape[0])
                    costs = verdict.value.get("costs") or [[0]]
                    results[i] = Abduced(
                        ABDUCED, [self.problem.index_of(t) for t in terms], (costs[-1] or [0])[0], widened,
                        optimal=verdict.status is Status.SAT,
                    )
                elif verdict.status is Status.UNSAT:
                    retry.append(i)
                    results[i] = Abduced(INCONSISTENT, widened=widened, message="no symbols consistent with the label")
                else:
                    results[i] = Abduced(FAILED, widened=widened, message=f"{verdict.status.value}: {verdict.message}")
            pending = retry
        counts: dict[str, int] = {}
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1  # type: ignore[union-attr]
        log.info("abduction over %d examples: %s", len(results), counts)
        return results  # type: ignore[return-value]
