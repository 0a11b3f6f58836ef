"""Renaming a task's vocabulary by a seeded random bijection.

Every input word becomes a made-up lowercase word and every output token a made-up uppercase token,
the same way in train and test, so a learner cannot lean on the names (``walk``, ``I_WALK``) and any
benchmark knowledge tied to them. Made-up names never equal an original name nor contain any run of
three or more letters of one (``run`` in ``I_RUN``), and input and output names never share a
spelling (ignoring case), so the renaming does not leak which word goes with which token.

Example:
    >>> train = [("walk twice", "I_WALK I_WALK")]
    >>> test = [("look", "I_LOOK")]
    >>> new_train, new_test = permute_vocab(train, test, seed=3)
    >>> new_train == permute_vocab(train, test, seed=3)[0]
    True
    >>> words = new_train[0][0].split()
    >>> len(words), words[0] != "walk", new_train[0][1].split()[0] == new_train[0][1].split()[1]
    (2, True, True)
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Iterable

from ..seqdata import Pair

_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"


@dataclass(frozen=True)
class VocabPermutation:
    """A renaming of input words and of output tokens (both injective)."""

    input_map: dict[str, str]
    output_map: dict[str, str]

    def apply(self, pairs: Iterable[Pair]) -> list[Pair]:
        """Rename every word and token of ``pairs``.

        Raises:
            KeyError: a word or token the permutation was not built for.
        """
        return [
            (" ".join(self.input_map[w] for w in src.split()), " ".join(self.output_map[t] for t in tgt.split()))
            for src, tgt in pairs
        ]

    def inverse(self) -> "VocabPermutation":
        """The renaming back to the original names.

        Example:
            >>> perm = make_permutation([("walk", "I_WALK")], seed=0)
            >>> perm.inverse().apply(perm.apply([("walk", "I_WALK")]))
            [('walk', 'I_WALK')]
        """
        return VocabPermutation(
            {v: k for k, v in self.input_map.items()}, {v: k for k, v in self.output_map.items()}
        )


def _letter_runs(names: Iterable[str]) -> set[str]:
    return {run for name in names for run in re.findall(r"[a-z]{3,}", name.lower())}


def _fresh_names(count: int, rng: random.Random, taken: set[str], banned_runs: set[str]) -> list[str]:
    """``count`` distinct made-up lowercase words, none in ``taken`` (which they are added to)."""
    syllables = [c + v for c in _CONSONANTS for v in _VOWELS]
    length = 3
    while len(syllables) ** length < 8 * (count + len(taken)):
        length += 1
    names: list[str] = []
    while len(names) < count:
        name = "".join(rng.choice(syllables) for _ in range(length))
        pieces = {name[i:j] for i in range(len(name)) for j in range(i + 3, len(name) + 1)}
        if name in taken or not banned_runs.isdisjoint(pieces):
            continue
        taken.add(name)
        names.append(name)
    return names


def make_permutation(pairs: Iterable[Pair], seed: int) -> VocabPermutation:
    """A seeded renaming of every input word and output token occurring in ``pairs``.

    The result depends only on the seed and the set of names, not on the order of ``pairs``.
    """
    pairs = list(pairs)
    inputs = sorted({w for src, _ in pairs for w in src.split()})
    outputs = sorted({t for _, tgt in pairs for t in tgt.split()})
    rng = random.Random(seed)
    banned = _letter_runs(inputs + outputs)
    taken = {name.lower() for name in inputs + outputs}
    new_inputs = _fresh_names(len(inputs), rng, taken, banned)
    new_outputs = [name.upper() for name in _fresh_names(len(outputs), rng, taken, banned)]
    rng.shuffle(new_inputs)
    rng.shuffle(new_outputs)
    return VocabPermutation(dict(zip(inputs, new_inputs)), dict(zip(outputs, new_outputs)))


def permute_vocab(pairs_train: Iterable[Pair], pairs_test: Iterable[Pair], seed: int) -> tuple[list[Pair], list[Pair]]:
    """Rename the vocabulary of train and test by one seeded bijection (see :func:`make_permutation`).

    Example:
        >>> permute_vocab([("a b", "X")], [("b a", "X X")], seed=0)
        ([('... ...', '...')], [('... ...', '... ...')])
    """
    train, test = list(pairs_train), list(pairs_test)
    permutation = make_permutation(train + test, seed)
    return permutation.apply(train), permutation.apply(test)
