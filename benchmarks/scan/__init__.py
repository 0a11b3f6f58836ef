"""The SCAN benchmark's data (Lake & Baroni 2018): grammar, splits, files, export, renamed vocabularies.

* :mod:`.grammar` builds all 20,910 commands and interprets any one of them;
* :mod:`.splits` rebuilds the rule-derived splits (length, add-primitive, template);
* :mod:`.files` finds and reads any split's ``tasks_{train,test}_<name>.txt[.gz]`` in a user's folder;
* :mod:`.permute` renames the vocabulary by a seeded bijection;
* :mod:`.data` is the one door: :func:`load_split`, :func:`export_split`, :data:`SPLITS`.

Nothing here is imported by learners: benchmark knowledge stays in ``nesy.benchmarks``.

Example:
    >>> from nesy.benchmarks.scan import load_split, SPLITS
    >>> split = load_split("addprim_turn_left")
    >>> len(SPLITS), len(split.train), len(split.test)
    (11, 21890, 1208)
"""

from __future__ import annotations

from .data import DATA_ENV, SPLITS, Split, SplitInfo, export_split, load_split, resolve_data_dir
from .files import find_split_files, load_split_files, split_filenames
from .grammar import ACTION_TOKENS, COMMAND_WORDS, generate_commands, interpret, interpret_tokens
from .permute import VocabPermutation, make_permutation, permute_vocab
from .splits import RULE_SPLITS, addprim_split, contains_phrase, length_split, template_split

__all__ = [
    "ACTION_TOKENS",
    "COMMAND_WORDS",
    "DATA_ENV",
    "RULE_SPLITS",
    "SPLITS",
    "Split",
    "SplitInfo",
    "VocabPermutation",
    "addprim_split",
    "contains_phrase",
    "export_split",
    "find_split_files",
    "generate_commands",
    "interpret",
    "interpret_tokens",
    "length_split",
    "load_split",
    "load_split_files",
    "make_permutation",
    "permute_vocab",
    "resolve_data_dir",
    "split_filenames",
    "template_split",
]
