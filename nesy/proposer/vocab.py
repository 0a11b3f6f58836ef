"""A word-level vocabulary built from data, with pad/bos/eos/unk and a pluggable split.

Text is split into tokens by a named splitter (``"whitespace"``, ``"chars"`` (every character, spaces included), or
``"regex:<pattern>"``, whose matches are the tokens) or by any callable; decoding joins tokens
with ``joiner``. Named splitters survive :meth:`Vocab.save`/:meth:`Vocab.load`; a callable must be
passed again to ``load``.

Example:
    >>> vocab = Vocab.build(["dax fep", "RED RED"])
    >>> ids = vocab.encode("dax fep", eos=True)
    >>> vocab.decode(ids)
    'dax fep'
    >>> vocab.decode(vocab.encode("dax kiki"))
    'dax <unk>'
    >>> Vocab.build(["ab"], split="chars", joiner="").tokens[4:]
    ('a', 'b')
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable, Iterable, Sequence

from nesy.errors import NesyError

PAD, BOS, EOS, UNK = "<pad>", "<s>", "</s>", "<unk>"
SPECIALS = (PAD, BOS, EOS, UNK)

Splitter = Callable[[str], list[str]]


def _named_splitter(name: str) -> Splitter:
    if name == "whitespace":
        return str.split
    if name == "chars":
        return list
    if name.startswith("regex:"):
        pattern = re.compile(name[len("regex:") :])
        return pattern.findall
    raise NesyError(f"unknown splitter {name!r}: use 'whitespace', 'chars', 'regex:<pattern>' or a callable")


class Vocab:
    """Token <-> id mapping; ids 0-3 are pad, bos, eos, unk.

    Args:
        tokens: Ordinary tokens (specials are added in front and skipped here if repeated).
        split: A splitter name or a callable from text to tokens.
        joiner: The string put between tokens when decoding.
    """

    pad_id, bos_id, eos_id, unk_id = 0, 1, 2, 3

    def __init__(self, tokens: Iterable[str] = (), *, split: str | Splitter = "whitespace", joiner: str = " ") -> None:
        self.split_name: str | None = split if isinstance(split, str) else None
        self._split: Splitter = _named_splitter(split) if isinstance(split, str) else split
        self.joiner = joiner
        self._tokens: list[str] = list(SPECIALS)
        self._index: dict[str, int] = {t: i for i, t in enumerate(SPECIALS)}
        self.add(tokens)

    @classmethod
    def build(cls, texts: Iterable[str], *, split: str | Splitter = "whitespace", joiner: str = " ") -> "Vocab":
        """A vocabulary of every token in ``texts``, in order of first appearance."""
        vocab = cls(split=split, joiner=joiner)
        vocab.add_texts(texts)
        return vocab

    # -- growing ---------------------------------------------------------------------------
    def add(self, tokens: Iterable[str]) -> int:
        """Add tokens not yet known; returns how many were new."""
        new = 0
        for token in tokens:
            if token not in self._index:
                self._index[token] = len(self._tokens)
                self._tokens.append(token)
                new += 1
        return new

    def add_texts(self, texts: Iterable[str]) -> int:
        """Add every token of every text; returns how many were new."""
        return sum(self.add(self.split(text)) for text in texts)

    # -- mapping ---------------------------------------------------------------------------
    @property
    def tokens(self) -> tuple[str, ...]:
        """All tokens, by id."""
        return tuple(self._tokens)

    def __len__(self) -> int:
        return len(self._tokens)

    def __contains__(self, token: object) -> bool:
        return token in self._index

    def split(self, text: str) -> list[str]:
        """The tokens of ``text``."""
        return list(self._split(text))

    def id(self, token: str) -> int:
        """The id of ``token`` (unk's id when unknown)."""
        return self._index.get(token, self.unk_id)

    def encode(self, text: str, *, bos: bool = False, eos: bool = False) -> list[int]:
        """Token ids of ``text``, unknown tokens as unk, optionally framed by bos/eos."""
        ids = [self.id(t) for t in self.split(text)]
        return ([self.bos_id] if bos else []) + ids + ([self.eos_id] if eos else [])

    def decode(self, ids: Sequence[int]) -> str:
        """Text for ``ids``: stops at eos, drops pad and bos, shows unknown ids as unk."""
        words = []
        for i in ids:
            i = int(i)
            if i == self.eos_id:
                break
            if i in (self.pad_id, self.bos_id):
                continue
            words.append(self._tokens[i] if 0 <= i < len(self._tokens) else UNK)
        return self.joiner.join(words)

    # -- persistence -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly form (a callable splitter is recorded as ``None``)."""
        return {"tokens": self._tokens[len(SPECIALS) :], "split": self.split_name, "joiner": self.joiner}

    @classmethod
    def from_dict(cls, data: dict, *, split: Splitter | None = None) -> "Vocab":
        """Rebuild from :meth:`to_dict`; pass ``split`` when the original used a callable."""
        name = data.get("split")
        if name is None and split is None:
            raise NesyError("this vocabulary was built with a custom split function: pass split= to load it")
        return cls(data["tokens"], split=split if split is not None else name, joiner=data.get("joiner", " "))

    def save(self, path: str | Path) -> None:
        """Write the vocabulary as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path, *, split: Splitter | None = None) -> "Vocab":
        """Read a vocabulary written by :meth:`save`."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise NesyError(f"cannot read vocabulary {path}: {exc}") from exc
        return cls.from_dict(data, split=split)
