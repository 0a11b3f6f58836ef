"""Held-out evaluation: the proposer's best program per item, checked against the answer.

The program is fixed before the answer is looked at; the answer only scores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nesy.budget import Budget
from nesy.executor import Executor, Job
from nesy.learn.task import Task
from nesy.progress import NullProgress, Progress
from nesy.verdict import Status


@dataclass
class Evaluation:
    """Exact-match accuracy on a task's items."""

    accuracy: float
    correct: int
    total: int
    no_program: int  #: items the proposer had no candidate for
    statuses: dict[str, int]
    fallen_back: int = 0  #: items whose best candidate failed to run, so a later one was scored


def evaluate(
    proposer: Any, task: Task, executor: Executor, budget: Budget = Budget(wall_seconds=5.0), batch_size: int = 1024,
    progress: Progress | None = None, fallback: int = 1,
) -> Evaluation:
    """Score the proposer's top candidate for every item of ``task``.

    With ``fallback`` > 1 the proposer's ``fallback`` best candidates are first *run* (no answer
    given) and the first one the solver runs without an error is scored: a program that is
    rejected, contradictory or (for a checker that proves it) leaves its answer open cannot be
    right, and the solver says so without the answer.
    """
    advance = (progress or NullProgress()).task(f"evaluate {task.name}", total=len(task.items))
    correct = no_program = fallen_back = 0
    statuses: dict[str, int] = {}
    for start in range(0, len(task.items), batch_size):
        batch = task.items[start : start + batch_size]
        proposed = proposer.propose([i.input for i in batch], max(1, fallback), sample=False)
        best = [cands[0].program if cands else None for cands in proposed]
        if fallback > 1:
            chosen = _first_that_runs(proposed, batch, task, executor, budget)
            fallen_back += sum(c != b for c, b in zip(chosen, best))
            best = chosen
        jobs = [Job(task.solver, p, task.program_input(i), "check", i.answer, budget) for i, p in zip(batch, best) if p is not None]
        no_program += sum(p is None for p in best)
        for verdict in executor.map(jobs):
            statuses[verdict.status.value] = statuses.get(verdict.status.value, 0) + 1
            correct += verdict.status is Status.OK
        advance(len(batch))
    total = len(task.items)
    return Evaluation(correct / total if total else 0.0, correct, total, no_program, statuses, fallen_back)


def _first_that_runs(proposed: list, batch: list, task: Task, executor: Executor, budget: Budget) -> list[str | None]:
    """Per item: its first candidate that runs with status ok or sat (else its best one)."""
    flat = [(n, c.program) for n, cands in enumerate(proposed) for c in cands]
    jobs = [Job(task.solver, program, task.program_input(batch[n]), "run", None, budget) for n, program in flat]
    chosen: dict[int, str] = {}
    for (n, program), verdict in zip(flat, executor.map(jobs)):
        if n not in chosen and verdict.status in (Status.OK, Status.SAT):
            chosen[n] = program
    return [chosen.get(n, cands[0].program if cands else None) for n, cands in enumerate(proposed)]
