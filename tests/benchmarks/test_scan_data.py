"""The SCAN facade: split listing, loading from rules or files, and export round trips."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from nesy.benchmarks.scan import SPLITS, Split, export_split, load_split
from nesy.benchmarks.scan.files import find_split_files
from nesy.benchmarks.scan.splits import RULE_SPLITS
from nesy.benchmarks.seqdata import read_pairs
from nesy.errors import NesyError

REPO_ROOT = Path(__file__).resolve().parents[2]


def scan_data_dir() -> Path:
    """The reference SCAN files: $NESY_SCAN_DATA, else ../shared/data/scan next to the repository."""
    env = os.environ.get("NESY_SCAN_DATA", "").strip()
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "scan"


def require_shared(split: str) -> Path:
    try:
        find_split_files(split, scan_data_dir())
    except NesyError as exc:
        pytest.skip(f"reference SCAN files not available: {exc}")
    return scan_data_dir()


def test_split_listing():
    assert list(SPLITS) == [
        "simple", "length", "addprim_jump", "addprim_turn_left", "template_around_right",
        "template_jump_around_right", "template_opposite_right", "template_right", "mcd1", "mcd2", "mcd3",
    ]
    assert {n for n, info in SPLITS.items() if not info.needs_data_dir} == set(RULE_SPLITS)


@pytest.mark.parametrize("name", sorted(RULE_SPLITS))
def test_rule_splits_are_generated_without_files(name, tmp_path):
    split = load_split(name, data_dir=tmp_path / "ignored")
    assert split.source == "generated" and split.paths is None and split.name == name
    assert (split.train, split.test) == RULE_SPLITS[name]()


def test_file_split_records_its_source():
    folder = require_shared("mcd1")
    split = load_split("mcd1", data_dir=folder)
    assert split.source == str(folder)
    assert [p.name for p in split.paths] == ["tasks_train_mcd1.txt.gz", "tasks_test_mcd1.txt.gz"]
    assert (len(split.train), len(split.test)) == (8365, 1045)


def test_export_round_trip_generated(tmp_path):
    assert export_split("addprim_jump", tmp_path / "new" / "dir") == (14670, 7706)
    split = load_split("addprim_jump")
    lines = (tmp_path / "new" / "dir" / "train.txt").read_text().splitlines()
    assert lines[0] == f"IN: {split.train[0][0]} OUT: {split.train[0][1]}"
    assert read_pairs(tmp_path / "new" / "dir" / "train.txt") == split.train
    assert read_pairs(tmp_path / "new" / "dir" / "test.txt") == split.test


def test_export_round_trip_from_files_and_back_through_load(tmp_path):
    folder = require_shared("simple")
    counts = export_split("simple", tmp_path / "out", data_dir=folder)
    assert counts == (16728, 4182)
    (tmp_path / "out" / "train.txt").rename(tmp_path / "out" / "tasks_train_simple.txt")
    (tmp_path / "out" / "test.txt").rename(tmp_path / "out" / "tasks_test_simple.txt")
    again = load_split("simple", data_dir=tmp_path / "out")
    original = load_split("simple", data_dir=folder)
    assert (again.train, again.test) == (original.train, original.test)


def test_export_permuted(tmp_path):
    counts = export_split("length", tmp_path, permute_seed=4)
    permuted = load_split("length", permute_seed=4)
    assert counts == (len(permuted.train), len(permuted.test))
    assert permuted.permute_seed == 4
    written = read_pairs(tmp_path / "train.txt")
    assert written == permuted.train
    assert not {"walk", "jump"} & {w for c, _ in written for w in c.split()}
    plain = load_split("length")
    assert Counter(len(a.split()) for _, a in written) == Counter(len(a.split()) for _, a in plain.train)


def test_export_a_loaded_split_object(tmp_path):
    split = Split("tiny", [("walk", "I_WALK")], [("run", "I_RUN"), ("look", "I_LOOK")], "memory")
    assert export_split(split, tmp_path) == (1, 2)
    assert read_pairs(tmp_path / "test.txt") == [("run", "I_RUN"), ("look", "I_LOOK")]
    export_split(split, tmp_path / "p", permute_seed=0)
    assert read_pairs(tmp_path / "p" / "train.txt") != split.train


def test_export_into_a_file_path_is_a_nesy_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(NesyError, match="cannot create"):
        export_split("length", blocker / "sub")
