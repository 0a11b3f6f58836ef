"""Finding and loading a split's files in a user's directory (any split, any layout).

Files are named as in the official SCAN repository and its MCD materialisations:
``tasks_train_<split>.txt`` and ``tasks_test_<split>.txt``, each plain or ``.gz``. They are searched
for recursively under the directory given (symbolic links to folders are followed, once each), so
a checkout of the official repository works as it is.

Example:
    >>> split_filenames("mcd1", "train")
    ('tasks_train_mcd1.txt', 'tasks_train_mcd1.txt.gz')
    >>> import tempfile, pathlib
    >>> tmp = tempfile.TemporaryDirectory()
    >>> root = pathlib.Path(tmp.name)
    >>> (root / "deep" / "er").mkdir(parents=True)
    >>> _ = (root / "deep" / "tasks_train_mine.txt").write_text("IN: walk OUT: I_WALK\\n")
    >>> _ = (root / "deep" / "er" / "tasks_test_mine.txt").write_text("IN: run OUT: I_RUN\\n")
    >>> train, test, paths = load_split_files("mine", root)
    >>> train, test, [p.name for p in paths]
    ([('walk', 'I_WALK')], [('run', 'I_RUN')], ['tasks_train_mine.txt', 'tasks_test_mine.txt'])
    >>> tmp.cleanup()
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from nesy.errors import NesyError

from ..seqdata import Pair, read_pairs

logger = logging.getLogger(__name__)

PARTS: tuple[str, str] = ("train", "test")
_SPLIT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def split_filenames(split: str, part: str) -> tuple[str, str]:
    """The two file names (plain, gzip) a split's ``train`` or ``test`` part may have.

    Raises:
        NesyError: the split name holds characters other than letters, digits, ``_``, ``.``, ``-``.
    """
    if not _SPLIT_NAME.match(split) or ".." in split:
        raise NesyError(f"bad split name {split!r}: use letters, digits, '_', '.' and '-'")
    if part not in PARTS:
        raise NesyError(f"bad split part {part!r}: expected one of {', '.join(PARTS)}")
    name = f"tasks_{part}_{split}.txt"
    return name, name + ".gz"


def _walk(root: Path) -> list[Path]:
    """Every folder under ``root`` (itself included), following links to folders once each."""
    seen: set[str] = set()
    folders: list[Path] = []
    for current, subdirs, _files in os.walk(root, followlinks=True):
        real = os.path.realpath(current)
        if real in seen:
            subdirs[:] = []
            continue
        seen.add(real)
        subdirs.sort()
        folders.append(Path(current))
    return folders


def find_split_file(split: str, part: str, data_dir: str | Path) -> Path:
    """The one file holding ``part`` of ``split`` under ``data_dir`` (searched recursively).

    Raises:
        NesyError: ``data_dir`` is not a folder, no such file is there, or several are (named).
    """
    root = Path(data_dir).expanduser()
    if not root.is_dir():
        raise NesyError(f"SCAN data folder {root} does not exist or is not a folder")
    names = split_filenames(split, part)
    found = [folder / name for folder in _walk(root) for name in names if (folder / name).is_file()]
    if not found:
        raise NesyError(
            f"split {split!r}: no file named {names[0]} or {names[1]} under {root} (searched recursively); "
            "point the data folder at a copy of the official SCAN files"
        )
    if len(found) > 1:
        listing = ", ".join(str(p) for p in found)
        raise NesyError(f"split {split!r}: {len(found)} files could hold its {part} set: {listing}; keep one")
    return found[0]


def find_split_files(split: str, data_dir: str | Path) -> tuple[Path, Path]:
    """The (train, test) files of ``split`` under ``data_dir``; see :func:`find_split_file`."""
    train = find_split_file(split, "train", data_dir)
    return train, find_split_file(split, "test", data_dir)


def load_split_files(split: str, data_dir: str | Path) -> tuple[list[Pair], list[Pair], tuple[Path, Path]]:
    """Read ``(train, test, (train_path, test_path))`` of any split from its files.

    Raises:
        NesyError: a file is missing, ambiguous, unreadable or has a malformed line (file and line named).
    """
    paths = find_split_files(split, data_dir)
    train, test = (read_pairs(path, fmt="scan") for path in paths)
    logger.info("split %s: %d train / %d test pairs from %s, %s", split, len(train), len(test), *paths)
    return train, test, paths
