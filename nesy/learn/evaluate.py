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


def evaluate(
    proposer: Any, task: Task, executor: Executor, budget: Budget = Budget(wall_seconds=5.0), batch_size: int = 1024,
    progress: Progress | None = None,
) -> Evaluation:
    """Score the proposer's top candidate for every item of ``task``."""
    advance = (progress or NullProgress()).task(f"evaluate {task.name}", total=len(task.items))
    correct = no_program = 0
    statuses: dict[str, int] = {}
    for start in range(0, len(task.items), batch_size):
        batch = task.items[start : start + batch_size]
        best = [cands[0].program if cands else None for cands in proposer.propose([i.input for i in batch], 1, sample=False)]
        jobs = [Job(task.solver, p, task.program_input(i), "check", i.answer, budget) for i, p in zip(batch, best) if p is not None]
        no_program += sum(p is None for p in best)
        for verdict in executor.map(jobs):
            statuses[verdict.status.value] = statuses.get(verdict.status.value, 0) + 1
            correct += verdict.status is Status.OK
        advance(len(batch))
    total = len(task.items)
    return Evaluation(correct / total if total else 0.0, correct, total, no_program, statuses)
