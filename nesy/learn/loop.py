"""Verified self-training: sample K → verify in the solver pool → store traces → fit → repeat.

Each round takes an easy-to-hard slice of the training items (it doubles until it is all of
them), asks the proposer for K candidates per item in batches, verifies them in the sandboxed
pool while the next batch is being proposed, and stores every verdict as a trace. A program that
ran but missed its answer is kept, relabelled, as a correct example for the output it produced.
With ``self_repair`` on, items whose programs the solver refused get a second attempt from the
proposer, shown the solver's message (:mod:`nesy.learn.self_repair`). Items nothing verified for
go to abduction (a solver-backed search for programs consistent with the answer); then the
proposer is fitted on the verified programs. Metrics of every round are
appended to ``rounds.jsonl`` beside the trace store, and a rerun after a crash resumes from them.

Annotated programs (``gold``) are verified like any other, stored with origin ``gold``, fitted on
before the first round and kept in every later fit as anchors. A ``monitor`` may measure the
proposer after each round's fit (for example on held-out items); its dict lands in the round's
``extra``. Every round also counts the verdict statuses of its sampled candidates.
"""

from __future__ import annotations

import json
import logging
import math
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from collections import Counter
from typing import Any, Callable, Mapping, Sequence

from nesy.budget import Budget
from nesy.errors import NesyError
from nesy.executor import Executor, Job
from nesy.learn.metrics import RoundMetrics, round_metrics
from nesy.learn.self_repair import RefusedPrograms
from nesy.learn.task import Item, Task
from nesy.progress import NullProgress, Progress
from nesy.proposer.protocol import Repairer
from nesy.traces import Origin, Trace, TraceStore
from nesy.verdict import Status, Verdict

log = logging.getLogger(__name__)

Abducer = Callable[[Sequence[tuple[str, str]]], dict[str, str]]  #: (input, answer) pairs -> {input: program}
Monitor = Callable[[int], "dict[str, Any] | None"]  #: round number -> measurements after that round's fit


@dataclass(frozen=True)
class LoopConfig:
    """Knobs of the loop (defaults suit small symbolic and neural proposers alike)."""

    rounds: int = 6
    k: int = 4
    start_fraction: float = 0.25
    batch_size: int = 512
    keep_per_item: int = 4
    best_first: bool = False  #: verify each item's best candidate first, the others only where it fails
    self_repair: bool = False  #: give refused programs back to the proposer with the solver's message (:mod:`.self_repair`)
    fit_on: str = "first"  #: fit on each item's first verified programs, or the "latest" ones (gold always kept)
    budget: Budget = field(default_factory=lambda: Budget(wall_seconds=5.0, memory_mb=512))

    def __post_init__(self) -> None:
        if self.fit_on not in ("first", "latest"):
            raise NesyError(f"LoopConfig.fit_on must be 'first' or 'latest', got {self.fit_on!r}")


@dataclass
class LearnResult:
    """What :meth:`SelfTrainer.run` did."""

    rounds: list[RoundMetrics]
    verified: dict[str, str]  #: item id -> a verified program
    resumed_from: int  #: rounds found complete in the run directory
    seconds: float


class SelfTrainer:
    """The loop over one task and one proposer.

    Args:
        task: Training items and the verifying solver.
        proposer: Anything with ``propose(inputs, k)`` and ``fit(pairs)`` (see :mod:`nesy.proposer`).
        executor: The sandboxed pool that verifies candidates.
        run_dir: Where the trace store and ``rounds.jsonl`` live (resumed if present).
        abducer: Called with (input, answer) pairs when items have no verified program.
        config: Loop settings.
        progress: Progress display.
        gold: Annotated programs by item id (verified, then fitted on before the first round).
        monitor: Called with the round number after each round's fit.
    """

    def __init__(
        self,
        task: Task,
        proposer: Any,
        executor: Executor,
        run_dir: str | Path,
        abducer: Abducer | None = None,
        config: LoopConfig = LoopConfig(),
        progress: Progress | None = None,
        gold: Mapping[str, str] | None = None,
        monitor: Monitor | None = None,
    ) -> None:
        self.task, self.proposer, self.executor = task, proposer, executor
        self.gold, self.monitor = dict(gold or {}), monitor
        self.run_dir = Path(run_dir)
        self.store = TraceStore.for_run(self.run_dir)
        self.executor.cache = self.store.as_cache()  # the same check is never paid twice, across restarts
        self.abducer = abducer
        self.config = config
        self.progress = progress or NullProgress()
        self.curriculum = task.curriculum()
        self.verified: dict[str, list[str]] = {}

    # -- bookkeeping ------------------------------------------------------------------------
    def _rounds_file(self) -> Path:
        return self.run_dir / "rounds.jsonl"

    def _completed_rounds(self) -> list[RoundMetrics]:
        if not self._rounds_file().exists():
            return []
        rows = []
        for line in self._rounds_file().read_text().splitlines():
            if line.strip():
                try:
                    rows.append(RoundMetrics(**json.loads(line)))
                except (json.JSONDecodeError, TypeError):
                    break  # a line cut short by a crash: that round reruns
        return rows

    def _trace(self, item: Item, program: str, verdict: Verdict, origin: Origin, round_: int, expected: Any = None) -> Trace:
        solver = self.task.solver
        return Trace(
            item.id, item.input, program, solver.name, solver.fingerprint(), verdict, origin, round_,
            f"round-{round_}", expected=item.answer if expected is None else expected, mode="check",
            budget=self.config.budget,
        )

    def _record(self, item: Item, program: str, verdict: Verdict, origin: Origin, round_: int, traces: list) -> bool:
        traces.append(self._trace(item, program, verdict, origin, round_))
        if verdict.status is Status.OK:
            programs = self.verified.setdefault(item.id, [])
            if program in programs and self.config.fit_on == "latest":
                programs.remove(program)  # verified again: now the latest
            if program not in programs:
                programs.append(program)
            return True
        if verdict.status is Status.MISMATCH and verdict.value is not None:  # hindsight relabelling
            relabelled = Verdict(Status.OK, verdict.value, "relabelled: correct for the output it produced")
            traces.append(self._trace(item, program, relabelled, Origin.RELABELLED, round_, expected=verdict.value))
        return False

    def _restore(self) -> None:
        by_id = {item.id: item for item in self.task.items}
        for trace in self.store.query(verified_only=True):
            if trace.origin is not Origin.RELABELLED and trace.task_id in by_id and trace.verdict.status is Status.OK:
                programs = self.verified.setdefault(trace.task_id, [])
                if trace.program not in programs:
                    programs.append(trace.program)

    # -- one round --------------------------------------------------------------------------
    def _verify(self, pairs: list[tuple[Item, str]]) -> list[Verdict]:
        jobs = [
            Job(self.task.solver, program, self.task.program_input(item), "check", item.answer, self.config.budget)
            for item, program in pairs
        ]
        return self.executor.map(jobs)

    def _verify_candidates(self, flat: list[tuple[Item, str, int]]) -> list[Verdict | None]:
        """Verdicts for ``(item, program, rank)`` candidates; None for those ``best_first`` skipped."""
        pairs = [(item, program) for item, program, _ in flat]
        if not self.config.best_first:
            return list(self._verify(pairs))
        verdicts: list[Verdict | None] = [None] * len(flat)
        first = [i for i, (_, _, rank) in enumerate(flat) if rank == 0]
        for i, verdict in zip(first, self._verify([pairs[i] for i in first])):
            verdicts[i] = verdict
        solved = {flat[i][0].id for i in first if verdicts[i].status is Status.OK}
        rest = [i for i, (item, _, rank) in enumerate(flat) if rank and item.id not in solved]
        for i, verdict in zip(rest, self._verify([pairs[i] for i in rest])):
            verdicts[i] = verdict
        return verdicts

    def _sample(
        self, pool: list[Item], round_: int, traces: list, refused: RefusedPrograms | None
    ) -> tuple[int, int, int, int, int, Counter]:
        """Propose and verify (noting ``refused`` programs, when self-repair collects them); returns
        (top1_ok, any_ok, sampled, verified, distinct_sampled, statuses)."""
        advance = self.progress.task(f"round {round_}: propose + verify", total=len(pool))
        top1 = any_ok = sampled = verified = 0
        statuses: Counter = Counter()
        distinct: set[str] = set()
        pending: list[tuple[list[tuple[Item, str, int]], Future]] = []
        failure: BaseException | None = None
        with ThreadPoolExecutor(max_workers=1) as verifier:  # solving overlaps the next batch's inference
            try:
                for start in range(0, len(pool), self.config.batch_size):
                    batch = pool[start : start + self.config.batch_size]
                    proposals = self.proposer.propose([item.input for item in batch], self.config.k)
                    flat = [(item, c.program, rank) for item, cands in zip(batch, proposals) for rank, c in enumerate(cands)]
                    pending.append((flat, verifier.submit(self._verify_candidates, flat)))
                    advance(len(batch))
            except Exception as exc:  # e.g. a served proposer gone away: record what was proposed, then raise
                failure = exc
            for flat, future in pending:
                ok_items: set[str] = set()
                for (item, program, rank), verdict in zip(flat, future.result()):
                    if verdict is None:
                        continue
                    sampled += 1
                    statuses[verdict.status.value] += 1
                    if refused is not None:
                        refused.note(item, program, verdict)
                    distinct.add(program)
                    if self._record(item, program, verdict, Origin.SAMPLED, round_, traces):
                        verified += 1
                        top1 += rank == 0
                        ok_items.add(item.id)
                any_ok += len(ok_items)
        if failure is not None:
            raise failure
        return top1, any_ok, sampled, verified, len(distinct), statuses

    def _refused(self) -> RefusedPrograms | None:
        """Where a round notes refused programs: only with ``self_repair`` and a proposer that can repair."""
        if not self.config.self_repair:
            return None
        if not isinstance(self.proposer, Repairer):
            log.info("self-repair skipped: %s has no repair()", type(self.proposer).__name__)
            return None
        return RefusedPrograms()

    def _repair(self, refused: RefusedPrograms | None, round_: int, traces: list) -> int:
        """Self-repair: items that nothing verified get a second attempt from the solver's messages."""
        attempts = refused.unsolved(self.verified) if refused is not None else []
        if not attempts:
            return 0
        proposals = self.proposer.repair([attempt for _, attempt in attempts], self.config.k)
        flat = [(item, c.program) for (item, _), candidates in zip(attempts, proposals) for c in candidates]
        repaired = {
            item.id
            for (item, program), verdict in zip(flat, self._verify(flat))
            if self._record(item, program, verdict, Origin.REPAIRED, round_, traces)
        }
        return len(repaired)

    def _abduce(self, pool: list[Item], round_: int, traces: list) -> int:
        unsolved = [item for item in pool if item.id not in self.verified]
        if not unsolved or self.abducer is None:
            return 0
        programs = self.abducer([(item.input, self.task.answer_text(item)) for item in pool])
        found = [(item, programs[item.input]) for item in unsolved if item.input in programs]
        return sum(
            self._record(item, program, verdict, Origin.ABDUCED, round_, traces)
            for (item, program), verdict in zip(found, self._verify(found))
        )

    def _anchor(self) -> None:
        """Verify the annotated programs, store them as gold traces and fit on them."""
        by_id = {item.id: item for item in self.task.items}
        found = [(by_id[i], program) for i, program in self.gold.items() if i in by_id]
        traces: list[Trace] = []
        accepted = sum(
            self._record(item, program, verdict, Origin.GOLD, 0, traces)
            for (item, program), verdict in zip(found, self._verify(found))
        )
        if accepted < len(self.gold):
            log.warning("%d of %d annotated programs did not verify (or name no item)", len(self.gold) - accepted, len(self.gold))
        self.store.add_many(traces)
        self._fit()

    def _fit(self) -> None:
        by_id = {item.id: item for item in self.task.items}
        keep = self.config.keep_per_item
        pairs = []
        for i, programs in self.verified.items():
            chosen = programs[-keep:] if self.config.fit_on == "latest" else programs[:keep]
            if self.gold.get(i) in programs and self.gold[i] not in chosen:
                chosen = [self.gold[i], *chosen]  # annotated programs stay anchors
            pairs += [(by_id[i].input, p) for p in chosen]
        if pairs:
            self.proposer.fit(pairs)

    def run(self) -> LearnResult:
        """Run (or resume) the loop; stops when every training item has a verified program."""
        started = time.perf_counter()
        history = self._completed_rounds()
        resumed = len(history)
        if resumed:
            self._restore()
            self._fit()
            log.info("resumed after %d completed round(s), %d items verified", resumed, len(self.verified))
        elif self.gold:
            self._anchor()
        n = len(self.curriculum)
        for round_ in range(resumed, self.config.rounds):
            if history and history[-1].pool == n and history[-1].never_solved == 0.0:
                break
            round_start = time.perf_counter()
            pool = self.curriculum[: max(1, min(n, math.ceil(n * self.config.start_fraction * 2**round_)))]
            traces: list[Trace] = []
            try:
                refused = self._refused()
                top1, any_ok, sampled, verified, distinct, statuses = self._sample(pool, round_, traces, refused)
                repaired = self._repair(refused, round_, traces)
                abduced = self._abduce(pool, round_, traces)
            except BaseException:
                self.store.add_many(traces)  # what this round verified before the failure is kept (and resumed from)
                raise
            self.store.add_many(traces)
            self._fit()
            seconds = time.perf_counter() - round_start  # the monitor's measuring is not training time
            extra = self.monitor(round_) if self.monitor is not None else None
            metrics = round_metrics(
                round_, pool=len(pool), top1_ok=top1, any_ok=any_ok,
                distinct_verified=[len(self.verified.get(item.id, [])) for item in pool],
                sampled=sampled, verified=verified, distinct_sampled=distinct,
                never_solved=1 - sum(1 for item in self.task.items if item.id in self.verified) / max(1, n),
                abduced=abduced, seconds=seconds, statuses=statuses, extra=extra, repaired=repaired,
            )
            with open(self._rounds_file(), "a") as f:
                f.write(json.dumps(metrics.to_dict()) + "\n")
            history.append(metrics)
            log.info("round %d: %s", round_, metrics)
        verified = {i: programs[0] for i, programs in self.verified.items()}
        return LearnResult(history, verified, resumed, time.perf_counter() - started)

    def close(self) -> None:
        self.store.close()
