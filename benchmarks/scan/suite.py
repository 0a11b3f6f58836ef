"""``nesy bench scan``: SCAN (Lake & Baroni 2018) with the general sequence learner and a baseline.

Options: ``--data-dir DIR`` for the file-based splits (simple, mcd1–3), ``--permute-vocab SEED`` to
rename every input word and output token, ``--set baseline=false``, ``--set baseline_steps=N``,
``--set run_dir=DIR`` (resumable after a crash).
"""

from __future__ import annotations

from typing import Any

from nesy.benchmarks.scan.data import SPLITS, export_split, load_split
from nesy.benchmarks.seq_common import learn_and_compare
from nesy.progress import Progress
from nesy.suites import BenchConfig


class ScanSuite:
    """SCAN splits: rule-derived ones generated here, the others read from the official files."""

    name = "scan"
    description = "SCAN compositional generalisation (length, addprim, template, simple, MCD); --data-dir for files"
    splits = ("length", *[s for s in SPLITS if s != "length"])

    def run(self, config: BenchConfig, progress: Progress) -> dict[str, Any]:
        permute = config.options.get("permute_vocab")
        split = load_split(config.split, config.data_dir, None if permute is None else int(permute))
        results = learn_and_compare(split.train, split.test, config, progress, f"scan-{config.split}")
        return {"permute_vocab": permute, "data_source": str(split.source), **results}

    def export(self, split: str, out_dir: str, data_dir: str | None = None, permute_seed: int | None = None) -> tuple[int, int]:
        """Write ``train.txt`` and ``test.txt`` in SCAN's line format."""
        return export_split(split, out_dir, data_dir=data_dir, permute_seed=permute_seed)
