"""SelfTrainer's extension points: gold anchors, best-first verification, latest-verified fitting, status counts."""

from __future__ import annotations

import pytest

from nesy.errors import NesyError
from nesy.executor import LocalExecutor
from nesy.grammar.seqdsl import sequence_solver
from nesy.learn import LoopConfig, SelfTrainer, Task
from nesy.proposer import Candidate
from nesy.traces import Origin, TraceStore


class Scripted:
    """Proposes fixed candidates per input and records what it was fitted on."""

    def __init__(self, candidates: dict[str, list[str]]):
        self.candidates, self.fits, self.calls = candidates, [], 0

    def propose(self, inputs, k=1, **_):
        self.calls += 1
        return [[Candidate(p, -float(r)) for r, p in enumerate(self.candidates[x][:k])] for x in inputs]

    def fit(self, pairs, **_):
        self.fits.append((self.calls, sorted(pairs)))


def task():
    return Task.from_pairs("t", [("dax", "RED"), ("wif", "BLUE")], sequence_solver())


def test_gold_programs_are_verified_stored_and_fitted_before_the_first_round(tmp_path):
    t = task()
    dax = next(i for i in t.items if i.input == "dax")
    proposer = Scripted({"dax": ['seq("RED")'], "wif": ['seq("BLUE")']})
    with LocalExecutor(workers=1) as pool:
        trainer = SelfTrainer(t, proposer, pool, tmp_path, config=LoopConfig(rounds=1, start_fraction=1.0),
                              gold={dax.id: 'seq("RED")'}, monitor=lambda r: {"round_seen": r})
        result = trainer.run()
        trainer.close()
    assert proposer.fits[0] == (0, [("dax", 'seq("RED")')])  # before any proposal
    assert result.rounds[0].extra == {"round_seen": 0}
    with TraceStore.for_run(tmp_path) as store:
        assert store.stats()["by_origin"].get("gold") == 1


def test_best_first_checks_the_others_only_where_the_best_fails_and_counts_statuses(tmp_path):
    proposer = Scripted({"dax": ['seq("RED")', 'seq("BLUE")'], "wif": ['seq(', 'seq("RED")', 'seq("BLUE")']})
    config = LoopConfig(rounds=1, k=3, start_fraction=1.0, best_first=True, fit_on="latest", keep_per_item=1)
    with LocalExecutor(workers=1) as pool:
        trainer = SelfTrainer(task(), proposer, pool, tmp_path, config=config)
        metrics = trainer.run().rounds[0]
        trainer.close()
    assert metrics.statuses == {"ok": 2, "rejected": 1, "mismatch": 1}  # dax's second candidate never checked
    assert metrics.rejected_share == 0.25 and metrics.pass_at_k == 1.0 and metrics.accuracy == 0.5


def test_fit_on_must_be_first_or_latest():
    with pytest.raises(NesyError, match="fit_on"):
        LoopConfig(fit_on="best")
