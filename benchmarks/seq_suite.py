"""``nesy bench seq --train FILE --test FILE``: the same learner on a user's own sequence task.

Files in SCAN's line format (``IN: ... OUT: ...``) or JSONL with ``input``/``output`` fields.
"""

from __future__ import annotations

from typing import Any

from nesy.benchmarks.scan.permute import permute_vocab
from nesy.benchmarks.seq_common import learn_and_compare
from nesy.benchmarks.seqdata import read_pairs
from nesy.errors import NesyError
from nesy.progress import Progress
from nesy.suites import BenchConfig


class SeqSuite:
    """Any compositional sequence task a user brings."""

    name = "seq"
    description = "your own input→output sequence task: --train FILE --test FILE (SCAN lines or JSONL)"
    splits = ("files",)

    def run(self, config: BenchConfig, progress: Progress) -> dict[str, Any]:
        paths = {part: config.options.get(part) for part in ("train", "test")}
        missing = [f"--{part}" for part, path in paths.items() if not path]
        if missing:
            raise NesyError(f"nesy bench seq needs {' and '.join(missing)} FILE")
        train, test = read_pairs(paths["train"]), read_pairs(paths["test"])
        if not train or not test:
            raise NesyError(f"no pairs in {paths['train'] if not train else paths['test']}")
        permute = config.options.get("permute_vocab")
        if permute is not None:
            train, test = permute_vocab(train, test, int(permute))
        results = learn_and_compare(train, test, config, progress, "seq")
        return {"train_file": str(paths["train"]), "test_file": str(paths["test"]), "permute_vocab": permute, **results}
