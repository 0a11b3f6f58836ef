"""Do the two executors agree? Every program on the ``dsl`` backend and on the ``clingo`` backend.

Both run sandboxed through one executor pool (all cores), each backend as one batch, so each
one's throughput is the programs it answered per second of wall-clock time on the pool (worker
start-up is paid before timing). Two verdicts agree when both answered with the same value or
neither answered (:func:`~nesy.benchmarks.clevr.reference.same_outcome`).

Probes add programs that may fail: each is a generated question's program asked about another,
random scene, where its ``unique`` s often are not unique.

CLEVR-Math-style questions are checked once more: their arithmetic (``"5 - 2 + 1"``) is evaluated
by the sandboxed ``sympy`` backend and compared with their answers (``arithmetic`` in the report,
:mod:`~nesy.benchmarks.clevr.math_check`).

Example:
    >>> from nesy.executor import LocalExecutor
    >>> from nesy.benchmarks.clevr.questions import GenerationConfig, generate_questions
    >>> scenes, questions, _ = generate_questions(GenerationConfig(n_questions=9, seed=1))
    >>> with LocalExecutor(workers=1, cache=False) as pool:
    ...     report = check_executors(scenes, questions, pool, n_probes=9)
    >>> report["agreement"], report["n"], report["reference_agreement"], report["probes"]["n"]
    (1.0, 9, 1.0, 9)
"""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any, Callable, Sequence

from nesy.executor import Executor
from nesy.progress import NullProgress, Progress
from nesy.verdict import Status, Verdict

from .asp_executor import asp_jobs, read_answer
from .dsl_executor import dsl_jobs
from .math_check import check_arithmetic
from .programs import Program, to_text
from .questions import Question
from .reference import SceneIndex, execute_reference, same_outcome

Item = tuple[Program, dict[str, Any]]


def _advance(progress: Progress, what: str, total: int) -> Callable[[int, int], None]:
    step = progress.task(what, total=total)
    seen = [0]

    def report(done: int, _total: int) -> None:
        step(done - seen[0])
        seen[0] = done

    return report


def run_both(items: Sequence[Item], pool: Executor, progress: Progress | None = None) -> dict[str, Any]:
    """Run ``(program, scene)`` pairs on both backends; verdicts (answers) and seconds for each."""
    progress = progress or NullProgress()
    pool.map(dsl_jobs(items[:1]) + asp_jobs(items[:1]))  # start the workers and load both solvers
    started = time.perf_counter()
    dsl = pool.map(dsl_jobs(items), progress=_advance(progress, "dsl backend", len(items)))
    dsl_seconds = time.perf_counter() - started
    started = time.perf_counter()
    asp = [read_answer(v) for v in pool.map(asp_jobs(items), progress=_advance(progress, "clingo backend", len(items)))]
    asp_seconds = time.perf_counter() - started
    return {"dsl": dsl, "asp": asp, "dsl_seconds": dsl_seconds, "asp_seconds": asp_seconds}


def _statuses(verdicts: Sequence[Verdict]) -> dict[str, int]:
    return dict(Counter(v.status.value for v in verdicts))


def _disagreement(program: Program, scene: dict[str, Any], dsl: Verdict, asp: Verdict) -> dict[str, Any]:
    return {
        "program": to_text(program),
        "image_index": scene["image_index"],
        "dsl": {"status": dsl.status.value, "value": dsl.value, "message": dsl.message},
        "clingo": {"status": asp.status.value, "value": asp.value, "message": asp.message},
    }


def check_executors(
    scenes: Sequence[dict[str, Any]],
    questions: Sequence[Question],
    pool: Executor,
    *,
    n_probes: int = 0,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Agreement of the two backends on every question (and on ``n_probes`` cross-scene probes)."""
    by_image = {scene["image_index"]: scene for scene in scenes}
    items: list[Item] = [(q.program, by_image[q.image_index]) for q in questions]
    rng = random.Random(seed)
    probes: list[Item] = [(rng.choice(questions).program, rng.choice(scenes)) for _ in range(n_probes if questions else 0)]
    runs = run_both(items + probes, pool, progress)
    n, total = len(items), len(items) + len(probes)
    agree = [same_outcome(a, b) for a, b in zip(runs["dsl"], runs["asp"])]

    started = time.perf_counter()
    indexes = {i: SceneIndex.of(s) for i, s in by_image.items()}
    for program, scene in items:
        execute_reference(program, indexes[scene["image_index"]])
    reference_seconds = time.perf_counter() - started

    expected = [Verdict(Status.OK, q.answer) for q in questions]
    per_family: dict[str, dict[str, Any]] = {}
    for q, ok in zip(questions, agree[:n]):
        entry = per_family.setdefault(q.family, {"n": 0, "agree": 0})
        entry["n"] += 1
        entry["agree"] += ok
    for entry in per_family.values():
        entry["agreement"] = entry["agree"] / entry["n"]
    probe_dsl, probe_asp = runs["dsl"][n:], runs["asp"][n:]
    both_failed = sum(a.status is not Status.OK and b.status is not Status.OK for a, b in zip(probe_dsl, probe_asp))
    disagreements = [_disagreement(p, s, a, b) for (p, s), a, b, ok in zip(items + probes, runs["dsl"], runs["asp"], agree) if not ok]
    started = time.perf_counter()
    arithmetic = check_arithmetic(questions, pool)
    arithmetic["seconds"] = time.perf_counter() - started
    return {
        "agreement": sum(agree[:n]) / n if n else 1.0,
        "n": n,
        "reference_agreement": sum(same_outcome(a, e) for a, e in zip(runs["dsl"], expected)) / n if n else 1.0,
        "per_family": per_family,
        "probes": {"n": len(probes), "agreement": sum(agree[n:]) / len(probes) if probes else 1.0, "both_failed": both_failed},
        "statuses": {"dsl": _statuses(runs["dsl"]), "clingo": _statuses(runs["asp"])},
        "throughput": {
            "dsl_per_second": total / runs["dsl_seconds"] if runs["dsl_seconds"] else None,
            "clingo_per_second": total / runs["asp_seconds"] if runs["asp_seconds"] else None,
            "reference_per_second": n / reference_seconds if reference_seconds else None,
        },
        "seconds": {"dsl": runs["dsl_seconds"], "clingo": runs["asp_seconds"], "reference": reference_seconds},
        "disagreements": disagreements[:20],
        "n_disagreements": len(disagreements),
        "arithmetic": arithmetic,
    }
