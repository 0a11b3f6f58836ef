"""One door to every SCAN split: generated from a rule, or read from a user's files; exportable.

Rule-derived splits (``length``, ``addprim_*``, ``template_*``) are rebuilt from the grammar and need
no files. The others (``simple``, ``mcd1``-``mcd3``, or any name at all) are read from
``tasks_{train,test}_<name>.txt[.gz]`` found under a data folder: the ``data_dir`` argument, else the
``NESY_SCAN_DATA`` environment variable.

Example:
    >>> [name for name, info in SPLITS.items() if info.needs_data_dir]
    ['simple', 'mcd1', 'mcd2', 'mcd3']
    >>> split = load_split("template_jump_around_right")
    >>> split.source, len(split.train), len(split.test)
    ('generated', 18528, 1173)
    >>> load_split("addprim_jump", permute_seed=7).train[0][0] == split.train[0][0]
    False
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from nesy.errors import NesyError

from ..seqdata import Pair, write_pairs
from .files import load_split_files
from .permute import permute_vocab
from .splits import RULE_SPLITS

logger = logging.getLogger(__name__)

DATA_ENV = "NESY_SCAN_DATA"
"""Environment variable naming the data folder when ``data_dir`` is not given."""


@dataclass(frozen=True)
class SplitInfo:
    """What a split is and whether it needs a data folder."""

    name: str
    needs_data_dir: bool
    description: str


SPLITS: dict[str, SplitInfo] = {
    info.name: info
    for info in (
        SplitInfo("simple", True, "random 80/20 split of all commands (official files)"),
        SplitInfo("length", False, "train: outputs of at most 22 actions; test: longer"),
        SplitInfo("addprim_jump", False, "'jump' seen only alone in train; test: composed uses of 'jump'"),
        SplitInfo("addprim_turn_left", False, "'turn left' seen only alone in train; test: composed uses"),
        SplitInfo("template_around_right", False, "test: commands with '<u> around right'"),
        SplitInfo("template_jump_around_right", False, "test: commands with 'jump around right'"),
        SplitInfo("template_opposite_right", False, "test: commands with '<u> opposite right'"),
        SplitInfo("template_right", False, "test: commands with '<u> right'"),
        SplitInfo("mcd1", True, "maximum compound divergence split 1 (Keysers et al. 2020, files)"),
        SplitInfo("mcd2", True, "maximum compound divergence split 2 (files)"),
        SplitInfo("mcd3", True, "maximum compound divergence split 3 (files)"),
    )
}
"""The standard splits, in the usual order."""


@dataclass(frozen=True)
class Split:
    """A loaded split: its pairs, where they came from, and the vocabulary seed if renamed.

    ``source`` is ``"generated"`` or the data folder searched; ``paths`` are the files read.
    """

    name: str
    train: list[Pair]
    test: list[Pair]
    source: str
    paths: tuple[Path, Path] | None = None
    permute_seed: int | None = None


def resolve_data_dir(data_dir: str | Path | None) -> Path | None:
    """``data_dir`` if given, else ``$NESY_SCAN_DATA`` if set, else None."""
    if data_dir is not None:
        return Path(data_dir).expanduser()
    from_env = os.environ.get(DATA_ENV, "").strip()
    return Path(from_env).expanduser() if from_env else None


def load_split(name: str, data_dir: str | Path | None = None, permute_seed: int | None = None) -> Split:
    """Load one split: generated for rule-derived names, from files for every other name.

    Args:
        name: a key of :data:`SPLITS`, or any name whose ``tasks_{train,test}_<name>.txt[.gz]`` files
            exist under the data folder.
        data_dir: folder searched recursively for the files (default: ``$NESY_SCAN_DATA``); unused
            for rule-derived splits.
        permute_seed: if given, rename the vocabulary by this seed (:func:`permute_vocab`).

    Raises:
        NesyError: no data folder for a file-based split, or the files are missing or malformed.
    """
    if name in RULE_SPLITS:
        train, test = RULE_SPLITS[name]()
        source, paths = "generated", None
    else:
        folder = resolve_data_dir(data_dir)
        if folder is None:
            known = "" if name in SPLITS else f" (known splits: {', '.join(SPLITS)})"
            raise NesyError(
                f"split {name!r} is read from files tasks_train_{name}.txt[.gz] and tasks_test_{name}.txt[.gz]"
                f"{known}: give a data folder (data_dir, or ${DATA_ENV}) that holds them"
            )
        train, test, paths = load_split_files(name, folder)
        source = str(folder)
    if permute_seed is not None:
        train, test = permute_vocab(train, test, permute_seed)
    logger.debug("split %s: %d train / %d test (%s)", name, len(train), len(test), source)
    return Split(name, train, test, source, paths, permute_seed)


def export_split(
    split: str | Split,
    out_dir: str | Path,
    data_dir: str | Path | None = None,
    permute_seed: int | None = None,
) -> tuple[int, int]:
    """Write ``train.txt`` and ``test.txt`` (``IN: ... OUT: ...`` lines) into ``out_dir``.

    ``split`` is a name (loaded with :func:`load_split`) or an already loaded :class:`Split`; a
    ``permute_seed`` renames the vocabulary before writing. Returns ``(n_train, n_test)``.

    Example:
        >>> import tempfile
        >>> from nesy.benchmarks.seqdata import read_pairs
        >>> tmp = tempfile.TemporaryDirectory()
        >>> out = tmp.name
        >>> export_split("length", out)
        (16990, 3920)
        >>> read_pairs(out + "/test.txt") == load_split("length").test
        True
        >>> tmp.cleanup()
    """
    if isinstance(split, str):
        loaded = load_split(split, data_dir=data_dir, permute_seed=permute_seed)
    else:
        loaded = split
        if permute_seed is not None:
            train, test = permute_vocab(split.train, split.test, permute_seed)
            loaded = Split(split.name, train, test, split.source, split.paths, permute_seed)
    folder = Path(out_dir).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NesyError(f"cannot create {folder}: {exc.strerror or exc}") from None
    counts = write_pairs(folder / "train.txt", loaded.train), write_pairs(folder / "test.txt", loaded.test)
    logger.info("exported split %s to %s: %d train, %d test", loaded.name, folder, *counts)
    return counts
