"""Cutting long sentences into clauses, the units a sentence-by-sentence writer reads.

A sentence that strings several steps together ("A number doubled, plus 3, then minus 4 is 17.")
is best read clause by clause: each clause is one unit the writer translates
(:mod:`nesy.learn.fragments`), so a sentence with more steps is more units of kinds already
learned. Where to cut is decided from the texts alone (test texts are cut the same way), and
nothing here knows a language:

* a sentence's candidate *pieces* end at clause punctuation (``,`` or ``;`` followed by white
  space), never inside a list of names or words (:mod:`nesy.learn.lists`: "Ann, Bob and Cy");
* two neighbouring pieces stay together when, in the training texts, one always comes with the
  other: the left piece's shape (as the writer reads it: names and numbers as slots,
  :mod:`nesy.learn.slots`, and the text's topic words as one marker, :mod:`nesy.learn.topics`) was
  followed by this right piece at least ``min_together`` times and in at least ``bound_share`` of
  the times it was followed by any piece, or the right piece was preceded by this left one as often
  ("⟨1⟩ gets ⟨2⟩ boxes of ⟨t⟩," is always followed by "each holding ⟨1⟩."). Pieces that combine
  freely, or too rarely seen together to tell, are cut apart ("plus ⟨1⟩," follows and precedes many).
  A pair never seen together is kept together when one of the two pieces was seen and stayed with
  its neighbour in most of its pairs ("each holding ⟨1⟩." after "⟨1⟩ gets ⟨2⟩ boxes of candles,", a
  left piece never seen), and cut otherwise;
* a boundary that an annotated program refuted (a program line needs values from both sides,
  :mod:`nesy.learn.align`) is never cut.

Example:
    >>> from itertools import permutations
    >>> texts = [[f"A number {a}, {b}, then {c} is 5."] for a, b, c in permutations(["plus 1", "minus 2", "doubled"])]
    >>> texts += [["Tom gets 3 boxes, each holding 4."], ["Ann gets 2 boxes, each holding 5."]] * 2
    >>> cutter = ClauseCutter.fitted(texts, SlotCopier.fitted(s for t in texts for s in t))
    >>> cutter.units("A number minus 7, doubled, then plus 1 is 15.")
    ['A number minus 7,', 'doubled,', 'then plus 1 is 15.']
    >>> cutter.units("Zoe gets 6 boxes, each holding 2.")
    ['Zoe gets 6 boxes, each holding 2.']
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from nesy.learn.align import align_sentences
from nesy.learn.lists import find_lists
from nesy.learn.slots import WORD, SlotCopier
from nesy.learn.topics import TopicWords

log = logging.getLogger(__name__)


@dataclass
class ClauseCutter:
    """Decides where a sentence is cut into clauses, from counts over the training texts.

    Attributes:
        copier: Reads pieces as slotted shapes (fitted on the training sentences).
        topics: Topic-word counts: a text's topic words read as one marker in shapes (None: no marker).
        marks: Clause punctuation: a piece may end after one of these when white space follows.
        bound_share: Two pieces stay together when one comes with the other at least this share of the time ...
        min_together: ... and at least this many times.
        pairs: (left shape, right shape) -> how often the two followed one another in a training sentence.
        lefts: Shape -> how often it was followed by a piece.
        rights: Shape -> how often it was preceded by a piece.
        refused: (left shape, right shape) boundaries an annotated program refuted: never cut.
    """

    copier: SlotCopier
    topics: TopicWords | None = None
    marks: str = ",;"
    bound_share: float = 0.9
    min_together: int = 3
    pairs: Counter = field(default_factory=Counter)
    lefts: Counter = field(default_factory=Counter)
    rights: Counter = field(default_factory=Counter)
    refused: set[tuple[str, str]] = field(default_factory=set)
    _partners: tuple[dict, dict] = field(default_factory=lambda: ({}, {}), init=False, repr=False)
    _clinging: tuple[dict, dict] = field(default_factory=lambda: ({}, {}), init=False, repr=False)

    @classmethod
    def fitted(cls, texts: Iterable[Sequence[str]], copier: SlotCopier, topics: TopicWords | None = None,
               **options) -> "ClauseCutter":
        """A cutter that counts the pieces of the training ``texts`` (each a list of sentences)."""
        cutter = cls(copier, topics, **options)
        for sentences in texts:
            topic = cutter.topic(sentences)
            for sentence in sentences:
                shapes = [cutter.shape(piece, topic) for piece in cutter.pieces(sentence)]
                for left, right in zip(shapes, shapes[1:]):
                    cutter.pairs[left, right] += 1
                    cutter.lefts[left] += 1
                    cutter.rights[right] += 1
        return cutter

    def pieces(self, sentence: str) -> list[str]:
        """The sentence cut after every clause mark that white space follows, outside lists.

        Example:
            >>> ClauseCutter(SlotCopier()).pieces("Ann, Bob and Cy sing; then Dee, 1,000 times, hums.")
            ['Ann, Bob and Cy sing;', 'then Dee,', '1,000 times,', 'hums.']
        """
        matches = list(WORD.finditer(sentence))
        is_name = lambda token: self.copier.is_slot(token) and not any(ch.isdigit() for ch in token)  # noqa: E731
        inside = [(matches[start].start(), matches[end - 1].end())
                  for start, end, _ in find_lists([m.group() for m in matches], is_name)]
        pattern = rf"[{re.escape(self.marks)}](?=\s)"
        cuts = [m.end() for m in re.finditer(pattern, sentence) if not any(a <= m.start() < b for a, b in inside)]
        bounds = [0, *cuts, len(sentence)]
        return [sentence[a:b].strip() for a, b in zip(bounds, bounds[1:]) if sentence[a:b].strip()]

    def topic(self, sentences: Sequence[str]) -> frozenset[str]:
        """The topic words of a text (none without topic counts)."""
        return self.topics.of(sentences) if self.topics is not None else frozenset()

    def shape(self, piece: str, topic: frozenset[str] = frozenset()) -> str:
        """A piece read as the writer reads a unit: topic words as one marker, names and numbers as slots."""
        return self.copier.abstract(TopicWords.mark(piece, topic))[0]

    def together(self, left: str, right: str) -> bool:
        """Whether pieces of shapes ``left`` and ``right`` stay one unit (see the module docstring)."""
        if self._bound(left, right):
            return True
        return self.pairs[left, right] < self.min_together and (self._clings(left, 0) or self._clings(right, 1))

    def _bound(self, left: str, right: str) -> bool:
        seen = self.pairs[left, right]
        return (left, right) in self.refused or seen >= self.min_together and (
            seen >= self.bound_share * self.lefts[left] or seen >= self.bound_share * self.rights[right])

    def _clings(self, shape: str, side: int) -> bool:
        """Whether a piece seen on this ``side`` (0: left, 1: right) of pairs stayed with its neighbour in most of them."""
        if shape not in self._clinging[side]:
            if not self._partners[0]:
                for pair in self.pairs:
                    self._partners[0].setdefault(pair[0], []).append(pair)
                    self._partners[1].setdefault(pair[1], []).append(pair)
            pairs = self._partners[side].get(shape, [])
            bound = sum(self.pairs[pair] for pair in pairs if self._bound(*pair))
            total = sum(self.pairs[pair] for pair in pairs)
            self._clinging[side][shape] = bool(total) and bound >= self.bound_share * total
        return self._clinging[side][shape]

    def units(self, sentence: str, topic: frozenset[str] = frozenset()) -> list[str]:
        """The sentence as the clauses the writer reads (one unit when nothing is cut); ``topic``: the text's topic words."""
        pieces = self.pieces(sentence)
        if len(pieces) < 2:
            return [sentence]
        units = [pieces[0]]
        shapes = [self.shape(piece, topic) for piece in pieces]
        for i in range(1, len(pieces)):
            if self.together(shapes[i - 1], shapes[i]):
                units[-1] += " " + pieces[i]
            else:
                units.append(pieces[i])
        return units

    def refuse(self, units: Sequence[str], kept: Sequence[str], topic: frozenset[str] = frozenset()) -> None:
        """Never cut again where ``units`` (a cut sentence) had a boundary that ``kept`` (the same sentence) has not."""
        ends, at = set(), 0
        for unit in kept[:-1]:
            at += len(unit) + 1
            ends.add(at)
        at = 0
        for left, right in zip(units, units[1:]):
            at += len(left) + 1
            if at not in ends:
                self.refused.add((self.shape(self.pieces(left)[-1], topic), self.shape(self.pieces(right)[0], topic)))
                self._clinging[0].clear()
                self._clinging[1].clear()

    def cut_texts(
        self, texts: Sequence[tuple[Sequence[str], Sequence[str] | None]], separator: str = "\n",
    ) -> list[tuple[tuple[str, ...], tuple[str, ...] | None]]:
        """Texts (sentences, and the fragment per sentence where annotated) as units and fragments per unit.

        The annotated texts go first: their cut sentences' lines are shared out among the clauses
        (:func:`~nesy.learn.align.align_sentences`, all together), and a boundary one of their lines
        needs both sides of is refused before any text is cut. A text without fragments is cut by
        :meth:`units` alone.

        Example:
            >>> from itertools import permutations
            >>> texts = [[f"A number {a}, {b}, then {c} is 5."] for a, b, c in permutations(["plus 1", "minus 2", "doubled"])]
            >>> cutter = ClauseCutter.fitted(texts, SlotCopier.fitted(s for t in texts for s in t))
            >>> [units, fragments], plain = cutter.cut_texts([(["A number plus 7, doubled, then minus 1 is 15."],
            ...                                                ["v = x\\nv = v + 7\\nv = 2*v\\nv = v - 1\\neq = Eq(v, 15)"]),
            ...                                               (["A number doubled, minus 4, then plus 2 is 17."], None)])
            >>> list(zip(units, fragments))
            [('A number plus 7,', 'v = x\\nv = v + 7'), ('doubled,', 'v = 2*v'), ('then minus 1 is 15.', 'v = v - 1\\neq = Eq(v, 15)')]
            >>> plain
            (('A number doubled,', 'minus 4,', 'then plus 2 is 17.'), None)
        """
        topics = [self.topic(sentences) for sentences, _ in texts]
        annotated = [(sentence, fragment, topic) for (sentences, fragments), topic in zip(texts, topics)
                     if fragments is not None for sentence, fragment in zip(sentences, fragments)]
        todo = [(s, f, t, units) for s, f, t in annotated if len(units := self.units(s, t)) > 1]
        aligned = align_sentences([(units, f) for _, f, _, units in todo], self.copier,
                                  annotated=[(s, f) for s, f, _ in annotated], separator=separator)
        runs = {}
        for (s, f, topic, units), (kept, fragments) in zip(todo, aligned):
            self.refuse(units, kept, topic)
            runs[s, f] = (tuple(kept), tuple(fragments))
        out: list[tuple[tuple[str, ...], tuple[str, ...] | None]] = []
        for (sentences, fragments), topic in zip(texts, topics):
            if fragments is None:
                out.append((tuple(u for sentence in sentences for u in self.units(sentence, topic)), None))
                continue
            units: list[str] = []
            said: list[str] = []
            for sentence, fragment in zip(sentences, fragments):
                found = runs.get((sentence, fragment), ((sentence,), (fragment,)))
                units += found[0]
                said += found[1]
            out.append((tuple(units), tuple(said)))
        log.info("%d of %d annotated sentences cut into clauses (%d boundaries refused)",
                 sum(len(u) > 1 for u, _ in runs.values()), len(annotated), len(self.refused))
        return out


__all__ = ["ClauseCutter"]
