"""Learning to write solver programs for text problems from a few annotated programs and answers.

:func:`learn_text_programs` runs verified self-training with a sentence-by-sentence
:class:`~nesy.learn.fragments.FragmentWriter`: the writer is first fitted on the annotated problems'
(sentence, fragment) pairs, then :class:`~nesy.learn.loop.SelfTrainer` samples ``k`` programs per
training problem, has the user's solver check each against the problem's answer in the sandboxed
pool, and fits the writer on the verified ones, round after round. In the same run it measures two
baselines: (a) the same writer fitted on the annotated programs only, (b) a direct answer predictor
of the same size (a seq2seq from the whole text to the answer). Test problems are scored by the
solver's verdict on the writer's single best program; their answers are never shown to the writer.

Only what a user supplies is used: texts split into sentences, answers, a checking solver, and the
fragments of the problems they annotated (:attr:`TextProblem.fragments` is None for the others).

Example:
    >>> TextProblem("p1", ("Ann likes Bob.", "Whom does Ann like?"), [["q(bob)"]]).text
    'Ann likes Bob.\\nWhom does Ann like?'
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from nesy.budget import Budget
from nesy.executor import Job, make_executor
from nesy.learn.baseline import seq2seq_baseline
from nesy.learn.clauses import ClauseCutter
from nesy.learn.evaluate import Evaluation, evaluate
from nesy.learn.fragments import FragmentWriter, WriterConfig, join_fragments
from nesy.learn.loop import LoopConfig, SelfTrainer
from nesy.learn.slots import SlotCopier
from nesy.learn.task import Item, Task
from nesy.learn.topics import TopicWords
from nesy.progress import NullProgress, Progress
from nesy.proposer.arch import ModelConfig
from nesy.proposer.seq2seq import Seq2SeqConfig
from nesy.proposer.training import TrainConfig
from nesy.verdict import Status

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextProblem:
    """One problem as the learner sees it.

    Attributes:
        id: Stable identifier.
        sentences: The text, one sentence each (the question usually last).
        answer: What the solver's check compares a program's answer with.
        fragments: The program per sentence, only for annotated problems (else None).
    """

    id: str
    sentences: tuple[str, ...]
    answer: Any
    fragments: tuple[str, ...] | None = None

    @property
    def text(self) -> str:
        """The sentences, one per line (what the writer reads)."""
        return "\n".join(self.sentences)


@dataclass(frozen=True)
class TextProgramConfig:
    """Sizes and schedule of a run.

    Attributes:
        rounds: Self-training rounds at most.
        k: Programs sampled per problem per round.
        start_fraction: Share of the (shortest) training problems in the first round; doubles each round.
        keep_per_item: Verified programs per problem used for fitting (its latest ones; annotated ones always).
        writer: Writer options.
        model: Seq2seq sizes (the writer's and the direct baseline's).
        train: Writer training options.
        budget: Solver budget per check.
        baselines: Measure the annotated-only writer and the direct answer predictor.
        direct_steps: Optimiser steps of the direct answer predictor.
        monitor: Test problems scored after every round (0: none); the per-round test curve.
        fallback: Test problems get the writer's first program among its ``fallback`` best that the
            solver runs without an error (no answer is shown; 1: the best program as it is).
        topic_words: Read each text's topic words as one marker (:mod:`nesy.learn.topics`), counted on
            the training texts and the annotated programs.
        clauses: Cut long sentences into clauses, the units the writer reads (:mod:`nesy.learn.clauses`:
            at clause punctuation, where the training texts show the pieces combining freely); an
            annotated sentence's lines are shared out among its clauses by a searched alignment.
        seed: Seeds the models.
    """

    rounds: int = 6
    k: int = 8
    start_fraction: float = 0.25
    keep_per_item: int = 1
    writer: WriterConfig = field(default_factory=WriterConfig)
    model: ModelConfig = field(default_factory=lambda: ModelConfig(d_model=128, layers=2, heads=4, ffn_dim=256))
    train: TrainConfig = field(default_factory=lambda: TrainConfig(batch_size=32, warmup_steps=20))
    budget: Budget = field(default_factory=lambda: Budget(wall_seconds=5.0, memory_mb=1024))
    baselines: bool = True
    direct_steps: int = 1500
    monitor: int = 0
    fallback: int = 1
    topic_words: bool = False
    clauses: bool = False
    seed: int = 0


def answer_text(answer: Any) -> str:
    """An answer as text for the direct predictor (strings as they are, anything else as JSON).

    Example:
        >>> answer_text("aunt"), answer_text(12), answer_text({"a": 1})
        ('aunt', '12', '{"a": 1}')
    """
    return answer if isinstance(answer, str) else json.dumps(answer, sort_keys=True)


def cut_into_clauses(
    train: Sequence[TextProblem], test: Sequence[TextProblem], separator: str = "\n", topic_words: bool = False,
) -> tuple[list[TextProblem], list[TextProblem]]:
    """The problems with their sentences cut into clauses (:mod:`nesy.learn.clauses`), counted on ``train``'s texts
    (with ``topic_words``, a text's topic words read as one marker there, as the writer reads them).

    Example:
        >>> texts = [f"A number {a}, then {b} is 6." for a in ("plus 1", "doubled") for b in ("minus 2", "plus 3")]
        >>> train = [TextProblem(str(i), (t, "What is it?"), 0) for i, t in enumerate(texts)]
        >>> _, [test] = cut_into_clauses(train, [TextProblem("t", ("A number plus 4, then minus 5 is 2.",), 3)])
        >>> test.sentences
        ('A number plus 4,', 'then minus 5 is 2.')
    """
    topics = (TopicWords.fitted((p.sentences for p in train), (f for p in train if p.fragments for f in p.fragments))
              if topic_words else None)
    copier = SlotCopier.fitted(s for p in train for s in p.sentences)
    cutter = ClauseCutter.fitted((p.sentences for p in train), copier, topics)
    cut = cutter.cut_texts([(p.sentences, p.fragments) for p in list(train) + list(test)], separator)
    problems = [replace(p, sentences=units, fragments=fragments)
                for p, (units, fragments) in zip(list(train) + list(test), cut)]
    return problems[: len(train)], problems[len(train) :]


def _task(name: str, problems: Sequence[TextProblem], solver: Any) -> Task:
    items = [Item(p.id, p.text, p.answer, float(len(p.sentences))) for p in problems]
    return Task(name, items, solver, answer_text=lambda item: answer_text(item.answer))


def _writer(copier: SlotCopier, config: TextProgramConfig, memory_path: Path | None = None,
            topics: TopicWords | None = None) -> FragmentWriter:
    model = Seq2SeqConfig(model=config.model, train=config.train, batch_size=256, seed=config.seed)
    return FragmentWriter(copier, model, config.writer, memory_path=memory_path, topics=topics)


def _scores(scored: Evaluation) -> dict[str, Any]:
    checked = sum(scored.statuses.values())
    return {
        "accuracy": scored.accuracy,
        "statuses": scored.statuses,
        "parse_error_rate": scored.statuses.get("rejected", 0) / checked if checked else 0.0,
        "fallen_back": scored.fallen_back,  # problems whose best program failed to run: a later one was scored
    }


def learn_text_programs(
    train: Sequence[TextProblem],
    test: Sequence[TextProblem],
    solver: Any,
    run_dir: str | Path,
    config: TextProgramConfig = TextProgramConfig(),
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    also: Mapping[str, Sequence[TextProblem]] | None = None,
) -> dict[str, Any]:
    """Self-train the writer on ``train``, score it on ``test``; returns results fields.

    ``also`` names further test sets scored by the same writer and baselines, once trained (their
    scores under ``results["also"][name]``): e.g. another split whose training problems are the same.

    Args:
        train: Training problems; those with ``fragments`` are the annotated ones.
        test: Held-out problems (their fragments, if any, are ignored).
        solver: Picklable nesy solver whose ``check(program, None, answer, budget)`` verifies a program.
        run_dir: Trace store, ``rounds.jsonl`` and the writer's fragment memory (a rerun resumes).
        config: Sizes and schedule.
        workers: Solver worker processes (default: one per core).
        progress: Progress display.
        also: Further test sets by name.
    """
    progress = progress or NullProgress()
    run_dir = Path(run_dir)
    also = {name: list(problems) for name, problems in (also or {}).items()}
    if config.clauses:  # cut as one test set, so that every test text is cut by the same rule
        tests = [*test, *(p for problems in also.values() for p in problems)]
        train, tests = cut_into_clauses(train, tests, config.writer.separator, config.topic_words)
        test, start = tests[: len(test)], len(test)
        for name, problems in also.items():
            also[name], start = tests[start : start + len(problems)], start + len(problems)
    annotated = [p for p in train if p.fragments is not None]
    copier = SlotCopier.fitted(s for p in train for s in p.sentences)
    topics = (TopicWords.fitted((p.sentences for p in train), (f for p in annotated for f in p.fragments))
              if config.topic_words else None)
    train_task, test_task = _task("train", train, solver), _task("test", test, solver)
    also_tasks = {name: _task(name, problems, solver) for name, problems in also.items()}
    results: dict[str, Any] = {"annotated_programs": len(annotated), "n_train": len(train), "n_test": len(test)}
    if also:
        results["also"] = {name: {"n_test": len(problems)} for name, problems in also.items()}
    with make_executor(workers=workers) as pool:
        if config.baselines:  # (a) the same writer, annotated programs only
            started = time.perf_counter()
            plain = _writer(copier, config, topics=topics)
            plain.fit([(p.text, plain.remember(p.text, p.fragments)) for p in annotated])
            cache, pool.cache = pool.cache, None
            results["annotated_only"] = {**_scores(evaluate(plain, test_task, pool, config.budget, fallback=config.fallback)),
                                         "seconds": time.perf_counter() - started}
            for name, task in also_tasks.items():
                results["also"][name]["annotated_only"] = _scores(evaluate(plain, task, pool, config.budget,
                                                                           fallback=config.fallback))
            pool.cache = cache

        writer = _writer(copier, config, run_dir / "fragments.jsonl", topics)
        answers = {p.text: p.answer for p in train}

        def still_verifies(pairs: list[tuple[str, str]]) -> list[bool]:
            jobs = [Job(solver, program, None, "check", answers[text], config.budget) for text, program in pairs]
            return [verdict.status is Status.OK for verdict in pool.map(jobs)]

        writer.ablation = still_verifies
        gold = {p.id: writer.remember(p.text, p.fragments) for p in annotated}
        monitor_task = _task("monitor", test[: config.monitor], solver)
        monitor_seconds = [0.0]

        def monitor(round_: int) -> dict[str, Any] | None:
            if not config.monitor:
                return None
            began = time.perf_counter()
            cache, pool.cache = pool.cache, None  # test checks never enter the training store
            scored = evaluate(writer, monitor_task, pool, config.budget, fallback=config.fallback)
            pool.cache = cache
            monitor_seconds[0] += time.perf_counter() - began
            return {"test_accuracy": scored.accuracy, "writer_pairs": writer.last_fit.examples if writer.last_fit else 0}

        loop = LoopConfig(rounds=config.rounds, k=config.k, start_fraction=config.start_fraction,
                          keep_per_item=config.keep_per_item, best_first=True, fit_on="latest", budget=config.budget)
        started = time.perf_counter()
        trainer = SelfTrainer(train_task, writer, pool, run_dir, config=loop, progress=progress, gold=gold, monitor=monitor,
                              abducer=(lambda pairs: writer.repair(pairs, config.k)) if config.writer.repair else None)
        try:
            learned = trainer.run()
        finally:
            trainer.close()
        train_seconds = time.perf_counter() - started - monitor_seconds[0]  # measuring is not training
        pool.cache = None
        started = time.perf_counter()
        scored = evaluate(writer, test_task, pool, config.budget, progress=progress, fallback=config.fallback)
        eval_seconds = time.perf_counter() - started
        for name, task in also_tasks.items():
            results["also"][name].update(_scores(evaluate(writer, task, pool, config.budget, progress=progress,
                                                          fallback=config.fallback)))
    results["writer_throughput"] = writer_throughput(writer, [p.text for p in test[:50]])
    rounds = [m.to_dict() for m in learned.rounds]
    results.update(_scores(scored))
    results.update(
        train_seconds=train_seconds,
        eval_seconds=eval_seconds,
        train_verified=1 - rounds[-1]["never_solved"] if rounds else len(gold) / max(1, len(train)),
        no_program=scored.no_program,
        resumed_from_round=learned.resumed_from,
        rounds=rounds,
        writer_parameters=writer.model.num_parameters,
        writer_pairs=writer.last_fit.examples if writer.last_fit else 0,
        run_dir=str(run_dir),
    )
    if config.baselines:  # (b) a direct answer predictor of the same size
        def pairs(problems: Sequence[TextProblem]) -> list[tuple[str, str]]:
            return [(" ".join(p.sentences), answer_text(p.answer)) for p in problems]

        direct = seq2seq_baseline(pairs(train), pairs(test), steps=config.direct_steps, seed=config.seed,
                                  model=config.model, also={name: pairs(problems) for name, problems in also.items()})
        for name, accuracy in direct.pop("also", {}).items():
            results["also"][name]["baseline"] = {"accuracy": accuracy}
        results["baseline"] = {**direct, "kind": "direct answer predictor (text -> answer), same model size"}
    return results


def writer_throughput(writer: FragmentWriter, texts: Sequence[str]) -> dict[str, float]:
    """Best programs written per second for ``texts``: in one batched call, and one text per call."""
    if not texts:
        return {}
    started = time.perf_counter()
    writer.propose(list(texts), 1, sample=False)
    batched = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        writer.propose([text], 1, sample=False)
    single = time.perf_counter() - started
    return {"texts": len(texts), "batched_per_second": len(texts) / batched, "one_at_a_time_per_second": len(texts) / single}


def rounds_plot(results: dict[str, Any], name: str, title: str) -> dict[str, Any]:
    """The per-round curve of a :func:`learn_text_programs` result, as a ``nesy report`` line plot.

    Example:
        >>> rounds_plot({"rounds": [{"round": 0, "accuracy": 0.5, "pass_at_k": 0.75, "rejected_share": 0.1}]},
        ...             "r", "t")["series"]["pass@K (train)"]
        [0.75]
    """
    rounds = results.get("rounds", [])
    series = {
        "accuracy (train, top-1)": [r["accuracy"] for r in rounds],
        "pass@K (train)": [r["pass_at_k"] for r in rounds],
        "rejected share": [r.get("rejected_share", 0.0) for r in rounds],
    }
    if rounds and all((r.get("extra") or {}).get("test_accuracy") is not None for r in rounds):
        series["accuracy (test subset)"] = [r["extra"]["test_accuracy"] for r in rounds]
    return {"name": name, "title": title, "xlabel": "round", "ylabel": "share", "x": [r["round"] for r in rounds],
            "series": series}


__all__ = ["TextProblem", "TextProgramConfig", "answer_text", "cut_into_clauses", "join_fragments", "learn_text_programs",
           "rounds_plot"]
