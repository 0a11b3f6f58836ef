"""``nesy bench proposer``: batched proposer throughput (programs/s at batch 1 vs 64), GPU or CPU.

A default-size seq2seq proposer is trained briefly on SCAN commands → their derivation programs
(abduced by the grammar learner, so no annotation), then asked for K candidates per held-out
command one input at a time and 64 at a time. ``accuracy`` is its greedy exact-match on held-out
programs (a sanity check that it learned something, not the point of the benchmark).
"""

from __future__ import annotations

import random
import time
from typing import Any

from nesy.benchmarks.scan.data import load_split
from nesy.grammar.proposer import GrammarProposer
from nesy.progress import Progress
from nesy.proposer.seq2seq import Seq2SeqConfig, Seq2SeqProposer
from nesy.proposer.throughput import measure_throughput
from nesy.suites import BenchConfig


class ProposerThroughputSuite:
    """Programs per second of a neural proposer at batch 1 and batch 64."""

    name = "proposer"
    description = "neural proposer throughput: programs/s at batch 1 vs 64 (sampling and greedy), CUDA when present"
    splits = ("default",)

    def run(self, config: BenchConfig, progress: Progress) -> dict[str, Any]:
        rng = random.Random(config.seed)
        pairs = [p for p in load_split("simple" if config.data_dir else "length", config.data_dir).train if len(p[0].split()) <= 4]
        rng.shuffle(pairs)
        grammar = GrammarProposer()
        programs = grammar.abduce(pairs)
        data = [(s, programs[s]) for s, _ in pairs if s in programs]
        train, test = data[: int(0.8 * len(data))], data[int(0.8 * len(data)) :]
        steps = int(config.options.get("steps", 60 if config.quick else 600))
        model = Seq2SeqProposer(Seq2SeqConfig(seed=config.seed))
        started = time.perf_counter()
        model.fit(train, steps=steps)
        train_seconds = time.perf_counter() - started
        inputs = [s for s, _ in test][: 64 if config.quick else 256]
        k = int(config.options.get("k", 8))
        started = time.perf_counter()
        sampling = measure_throughput(model, inputs, k, (1, 64), sample=True)
        greedy = measure_throughput(model, inputs, 1, (1, 64), sample=False)
        predictions = model.predict([s for s, _ in test])
        correct = sum(p.split() == t.split() for p, (_, t) in zip(predictions, test))
        return {
            "accuracy": correct / len(test) if test else 0.0,
            "n_train": len(train),
            "n_test": len(test),
            "train_seconds": train_seconds,
            "eval_seconds": time.perf_counter() - started,
            "device": str(model.device),
            "parameters": model.num_parameters,
            "k": k,
            "sampling_per_s": {str(b): v for b, v in sampling.items()},
            "greedy_per_s": {str(b): v for b, v in greedy.items()},
            "speedup_sampling": sampling[64] / sampling[1],
            "speedup_greedy": greedy[64] / greedy[1],
            "summary": [
                ("sampling k=%d" % k, f"{sampling[1]:.0f}/s at batch 1, {sampling[64]:.0f}/s at batch 64"),
                ("greedy", f"{greedy[1]:.0f}/s at batch 1, {greedy[64]:.0f}/s at batch 64"),
            ],
        }
