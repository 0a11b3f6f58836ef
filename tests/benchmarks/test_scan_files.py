"""Loading any split from files in a user's folder: nested, plain or gzip, with clear errors."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from nesy.benchmarks.scan import load_split
from nesy.benchmarks.scan.files import find_split_files, load_split_files, split_filenames
from nesy.benchmarks.scan.grammar import interpret
from nesy.errors import NesyError

REPO_ROOT = Path(__file__).resolve().parents[2]


def scan_data_dir() -> Path:
    """The reference SCAN files: $NESY_SCAN_DATA, else ../shared/data/scan next to the repository."""
    env = os.environ.get("NESY_SCAN_DATA", "").strip()
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "scan"


def shared_split(name: str) -> tuple[list, list, tuple[Path, Path]]:
    try:
        return load_split_files(name, scan_data_dir())
    except NesyError as exc:
        pytest.skip(f"reference SCAN files not available: {exc}")


def write(path: Path, text: str, compress: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode()) if compress else text.encode())
    return path


def test_plain_and_gzip_files_in_nested_folders(tmp_path):
    write(tmp_path / "a" / "b" / "tasks_train_demo.txt.gz", "IN: walk OUT: I_WALK\nIN: run OUT: I_RUN\n", True)
    write(tmp_path / "c" / "tasks_test_demo.txt", "IN: jump twice OUT: I_JUMP I_JUMP")
    write(tmp_path / "c" / "tasks_test_other.txt", "IN: look OUT: I_LOOK\n")
    train, test, paths = load_split_files("demo", tmp_path)
    assert train == [("walk", "I_WALK"), ("run", "I_RUN")]
    assert test == [("jump twice", "I_JUMP I_JUMP")]
    assert paths == (tmp_path / "a" / "b" / "tasks_train_demo.txt.gz", tmp_path / "c" / "tasks_test_demo.txt")


def test_linked_folders_are_followed_once(tmp_path):
    real = tmp_path / "real"
    write(real / "tasks_train_demo.txt", "IN: walk OUT: I_WALK\n")
    write(real / "tasks_test_demo.txt", "IN: run OUT: I_RUN\n")
    root = tmp_path / "root"
    root.mkdir()
    (root / "data").symlink_to(real, target_is_directory=True)
    (real / "loop").symlink_to(root, target_is_directory=True)
    train, test, _ = load_split_files("demo", root)
    assert (train, test) == ([("walk", "I_WALK")], [("run", "I_RUN")])


def test_missing_file_names_what_was_searched_and_where(tmp_path):
    write(tmp_path / "tasks_train_mcd1.txt", "IN: walk OUT: I_WALK\n")
    with pytest.raises(NesyError) as info:
        load_split_files("mcd1", tmp_path)
    message = str(info.value)
    assert "tasks_test_mcd1.txt" in message and "tasks_test_mcd1.txt.gz" in message
    assert str(tmp_path) in message and "recursively" in message


def test_missing_folder_and_bad_names(tmp_path):
    with pytest.raises(NesyError, match="does not exist or is not a folder"):
        find_split_files("simple", tmp_path / "nowhere")
    for name in ["../simple", "a/b", "", ".hidden"]:
        with pytest.raises(NesyError, match="bad split name"):
            split_filenames(name, "train")
    with pytest.raises(NesyError, match="bad split part"):
        split_filenames("simple", "dev")


def test_two_candidates_are_an_error_naming_both(tmp_path):
    first = write(tmp_path / "x" / "tasks_train_demo.txt", "IN: a OUT: b\n")
    second = write(tmp_path / "y" / "tasks_train_demo.txt.gz", "IN: a OUT: b\n", True)
    write(tmp_path / "tasks_test_demo.txt", "IN: a OUT: b\n")
    with pytest.raises(NesyError, match="2 files could hold its train set") as info:
        load_split_files("demo", tmp_path)
    assert str(first) in str(info.value) and str(second) in str(info.value)


def test_malformed_line_names_file_and_line(tmp_path):
    write(tmp_path / "tasks_train_demo.txt", "IN: walk OUT: I_WALK\nIN: run OUT: I_RUN\n")
    bad = write(tmp_path / "sub" / "tasks_test_demo.txt.gz", "IN: walk OUT: I_WALK\nIN walk OUT I_WALK\n", True)
    with pytest.raises(NesyError, match=f"^{bad}:2: malformed scan line"):
        load_split_files("demo", tmp_path)


def test_load_split_uses_env_folder_when_no_data_dir(tmp_path, monkeypatch):
    write(tmp_path / "tasks_train_mcd2.txt", "IN: walk OUT: I_WALK\n")
    write(tmp_path / "tasks_test_mcd2.txt", "IN: run OUT: I_RUN\n")
    monkeypatch.setenv("NESY_SCAN_DATA", str(tmp_path))
    split = load_split("mcd2")
    assert (split.train, split.test, split.source) == ([("walk", "I_WALK")], [("run", "I_RUN")], str(tmp_path))
    monkeypatch.delenv("NESY_SCAN_DATA")
    with pytest.raises(NesyError, match="give a data folder .*NESY_SCAN_DATA"):
        load_split("mcd2")
    with pytest.raises(NesyError, match="known splits: simple, length"):
        load_split("no_such_split")


@pytest.mark.parametrize("name", ["mcd1", "mcd2", "mcd3"])
def test_mcd_splits_from_the_shared_folder(name):
    train, test, paths = shared_split(name)
    assert (len(train), len(test)) == (8365, 1045)
    assert all(p.name.endswith(f"_{name}.txt.gz") for p in paths)
    assert not {c for c, _ in train} & {c for c, _ in test}
    assert all(interpret(c) == a for c, a in train + test)


def test_simple_split_from_the_shared_folder():
    train, test, _ = shared_split("simple")
    assert (len(train), len(test)) == (16728, 4182)
    assert len({c for c, _ in train + test}) == 20910
    assert all(interpret(c) == a for c, a in test)
