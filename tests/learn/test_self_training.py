"""The verified self-training loop on a language it has never seen, and its resumption."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from nesy.executor import LocalExecutor
from nesy.grammar.proposer import GrammarProposer
from nesy.grammar.seqdsl import sequence_solver
from nesy.learn import LoopConfig, SelfTrainer, Task, evaluate
from nesy.learn.sequence import learn_sequences
from nesy.traces import Origin, TraceStore


def test_loop_learns_by_abduction_then_verified_sampling(invented_language, tmp_path):
    train, test = invented_language
    results = learn_sequences(train, test, tmp_path / "run", seed=1, workers=2)
    assert results["accuracy"] == 1.0 and results["train_verified"] == 1.0
    assert results["program_annotations"] == 0
    rounds = results["rounds"]
    assert rounds[0]["abduced"] > 0 and rounds[0]["pass_at_k"] == 0.0  # nothing to sample from at first
    assert rounds[-1]["pass_at_k"] == 1.0 and rounds[-1]["never_solved"] == 0.0
    assert [r["pool"] for r in rounds] == sorted(r["pool"] for r in rounds)  # easy to hard
    with TraceStore.for_run(tmp_path / "run") as store:
        origins = store.stats()["by_origin"]
    assert origins.get("abduced", 0) > 0 and origins.get("sampled", 0) > 0


def test_wrong_programs_are_kept_relabelled_for_the_output_they_produced(tmp_path):
    class Stubborn(GrammarProposer):  # proposes a fixed program whatever it is asked
        def propose(self, inputs, k=1, **kw):
            from nesy.proposer import Candidate

            return [[Candidate('seq("RED")', 0.0)] for _ in inputs]

        def fit(self, pairs, **kw):
            return None

    task = Task.from_pairs("t", [("dax", "RED"), ("wif", "BLUE")], sequence_solver())
    with LocalExecutor(workers=1) as pool:
        trainer = SelfTrainer(task, Stubborn(), pool, tmp_path, config=LoopConfig(rounds=1, start_fraction=1.0))
        result = trainer.run()
        trainer.close()
    assert result.rounds[0].accuracy == 0.5 and result.rounds[0].acceptance_rate == 0.5
    with TraceStore.for_run(tmp_path) as store:
        relabelled = list(store.query(origin=Origin.RELABELLED))
    assert len(relabelled) == 1 and relabelled[0].input == "wif" and relabelled[0].expected == ["RED"]


def test_a_proposer_failing_mid_round_loses_no_verified_trace(tmp_path):
    from nesy.errors import NesyError
    from nesy.proposer import Candidate

    class Flaky(GrammarProposer):  # answers the first batch right, then its endpoint "goes away"
        calls = 0

        def propose(self, inputs, k=1, **kw):
            Flaky.calls += 1
            if Flaky.calls > 1:
                raise NesyError("LLM endpoint http://127.0.0.1:9/v1: connection refused")
            return [[Candidate('seq("RED")', 0.0)] for _ in inputs]

        def fit(self, pairs, **kw):
            return None

    task = Task.from_pairs("t", [("dax", "RED"), ("wif", "BLUE")], sequence_solver())
    config = LoopConfig(rounds=1, start_fraction=1.0, batch_size=1)
    with LocalExecutor(workers=1) as pool:
        trainer = SelfTrainer(task, Flaky(), pool, tmp_path, config=config)
        try:
            trainer.run()
            raised = None
        except NesyError as exc:
            raised = str(exc)
        trainer.close()
    assert raised is not None and "connection refused" in raised
    with TraceStore.for_run(tmp_path) as store:
        kept = [(t.input, t.program) for t in store.query(verified_only=True) if t.origin is Origin.SAMPLED]
    assert kept == [("dax", 'seq("RED")')]  # the first batch's verified program survived the failure


def test_kill_minus_nine_mid_training_resumes_from_the_trace_store(tmp_path):
    run_dir = tmp_path / "run"
    out = tmp_path / "results.json"
    cmd = [sys.executable, "-m", "nesy.cli.main", "bench", "scan", "--split", "length", "--workers", "2",
           "--set", "baseline=false", "--set", f"run_dir={run_dir}", "--json", str(out), "--no-progress"]
    victim = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rounds_file = run_dir / "rounds.jsonl"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and victim.poll() is None:
        if rounds_file.exists() and rounds_file.read_text().count("\n") >= 1:
            break
        time.sleep(0.02)
    assert victim.poll() is None, "training finished before it could be killed"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert not out.exists()
    done_before = rounds_file.read_text().count("\n")

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    results = json.loads(out.read_text())
    assert results["resumed_from_round"] == done_before >= 1
    assert results["accuracy"] == 1.0 and results["train_verified"] == 1.0


def test_a_neural_proposer_in_the_loop_proposes_programs_that_verify(invented_language, tmp_path):
    """Round 0: abduction labels the easiest items; the seq2seq fits them. Round 1: its own samples verify."""
    from nesy.proposer.arch import ModelConfig
    from nesy.proposer.seq2seq import Seq2SeqConfig, Seq2SeqProposer
    from nesy.proposer.training import TrainConfig

    train, _ = invented_language
    short = [p for p in train if len(p[0].split()) <= 2]
    task = Task.from_pairs("neural", short, sequence_solver(), seed=0)
    neural = Seq2SeqProposer(
        Seq2SeqConfig(model=ModelConfig(d_model=64, layers=2, heads=4, ffn_dim=128),
                      train=TrainConfig(epochs=60, target_accuracy=1.0, batch_size=16, lr=3e-3))
    )
    abducer = GrammarProposer()
    with LocalExecutor(workers=2) as pool:
        trainer = SelfTrainer(task, neural, pool, tmp_path, abducer=abducer.abduce,
                              config=LoopConfig(rounds=2, k=4, start_fraction=0.5))
        result = trainer.run()
        trainer.close()
    first, second = result.rounds
    assert first.abduced > 0 and first.pass_at_k == 0.0
    assert second.pass_at_k > 0.25  # the network's own samples, checked by the dsl backend
    with TraceStore.for_run(tmp_path) as store:
        sampled_ok = [t for t in store.query(origin=Origin.SAMPLED, verified_only=True) if t.round == 1]
    assert sampled_ok
