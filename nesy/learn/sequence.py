"""The general compositional sequence learner, end to end: any (input, output) text pairs.

Training items go through :class:`~nesy.learn.loop.SelfTrainer` with the grammar proposer
(programs in the token-sequence DSL, verified by the ``dsl`` backend in the sandboxed pool,
abduced by grammar induction when nothing verifies); test items are scored by
:func:`~nesy.learn.evaluate.evaluate`. Nothing here knows any benchmark's words or rules.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Sequence

from nesy.executor import LocalExecutor
from nesy.grammar.proposer import GrammarProposer
from nesy.grammar.seqdsl import sequence_solver
from nesy.learn.evaluate import evaluate
from nesy.learn.loop import LoopConfig, SelfTrainer
from nesy.learn.task import Task
from nesy.progress import Progress

Pairs = Sequence[tuple[str, str]]


def learn_sequences(
    train: Pairs,
    test: Pairs,
    run_dir: str | Path,
    *,
    seed: int = 0,
    workers: int | None = None,
    progress: Progress | None = None,
    config: LoopConfig = LoopConfig(),
) -> dict[str, Any]:
    """Learn from ``train``, score on ``test``; return results fields (accuracy, rounds, grammar...)."""
    solver = sequence_solver()
    train_task = Task.from_pairs("train", train, solver, seed=seed)
    test_task = Task.from_pairs("test", test, solver)
    proposer = GrammarProposer()
    with LocalExecutor(workers=workers) as pool:
        started = time.perf_counter()
        trainer = SelfTrainer(train_task, proposer, pool, run_dir, abducer=proposer.abduce, config=config, progress=progress)
        try:
            learned = trainer.run()
        finally:
            trainer.close()
        train_seconds = time.perf_counter() - started
        pool.cache = None  # test checks are scored once, never cached into the training store
        started = time.perf_counter()
        scored = evaluate(proposer, test_task, pool, config.budget, progress=progress)
        eval_seconds = time.perf_counter() - started
    rounds = [m.to_dict() for m in learned.rounds]
    return {
        "accuracy": scored.accuracy,
        "n_train": len(train),
        "n_test": len(test),
        "train_seconds": train_seconds,
        "eval_seconds": eval_seconds,
        "train_verified": 1 - rounds[-1]["never_solved"] if rounds else 0.0,
        "test_statuses": scored.statuses,
        "no_program": scored.no_program,
        "resumed_from_round": learned.resumed_from,
        "rounds": rounds,
        "grammar": proposer.describe().splitlines(),
        "program_annotations": 0,
        "run_dir": str(run_dir),
        "plots": [
            {
                "name": "rounds",
                "title": "self-training rounds",
                "xlabel": "round",
                "ylabel": "share",
                "x": [r["round"] for r in rounds],
                "series": {key: [r[key] for r in rounds] for key in ("accuracy", "pass_at_k", "acceptance_rate", "never_solved")},
            }
        ],
    }
