"""Fragments by analogy: a sentence that differs from a known one by a word is written as the same word changes others.

A sentence shape the writer never trained on ("Who is number ⟨1⟩ from the right?") often differs
from one it knows ("Who is number ⟨1⟩ from the left?", ``(= (pos answer) ⟨1⟩)``) in one short span
of words, and other known pairs of sentences differ in the same span the same way ("⟨1⟩ is number
⟨2⟩ from the left." and "... from the right.", whose fragments differ by ``⟨2⟩`` becoming
``(- (+ n 1) ⟨2⟩)``). :class:`Analogies` applies the fragment change those pairs show to the known
sentence's fragment: a proportion *left : right = known : new*, on slotted text, in both languages.

Words are compared case-folded, so a phrase put in front of a sentence ("Who finished number ⟨1⟩?" →
"Counting from the last, who finished number ⟨1⟩?") is the same change wherever it is put: a phrase
longer than ``longest`` words (up to ``phrase``) may be added, or stand for at most one word.

A fragment change is the one differing token span of the two fragments (their common first and last
tokens stripped). Where the old span is one number (a literal or a number slot ``⟨i⟩``) and the new
span contains it, the change *wraps* a number (``⟨2⟩`` → ``(- (+ n 1) ⟨2⟩)``): it applies to any
number of the fragment changed, with that number inside. Otherwise the old span is replaced by the new
one wherever it occurs (``<`` → ``>``). A proposal's support is how many pairs of known sentences
showed its change, summed over the known sentences it comes from. Nothing here knows a task: it
compares token strings of the user's sentences and the fragments verified programs gave them.

Example:
    >>> known = {"⟨1⟩ is number ⟨2⟩ from the left.": "(= (pos ⟨1l⟩) ⟨2⟩)",
    ...          "⟨1⟩ is number ⟨2⟩ from the right.": "(= (pos ⟨1l⟩) (- (+ n 1) ⟨2⟩))",
    ...          "Who is number ⟨1⟩ from the left?": "(= (pos answer) ⟨1⟩)"}
    >>> Analogies(known).of("Who is number ⟨1⟩ from the right?")
    [('(= (pos answer) (- (+ n 1) ⟨1⟩))', 1)]
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Mapping

from nesy.learn.slots import WORD

#: fragment tokens: slot markers, numbers, words, single other characters (whitespace kept apart)
TOKEN = re.compile(r"⟨\w+⟩|\d+(?:\.\d+)?|\w+|[^\w\s]")
NUMBER = re.compile(r"⟨\d+⟩|\d+(?:\.\d+)?")
HOLE = "\x00"  #: where a wrapping change puts the number it wraps


@dataclass(frozen=True)
class Change:
    """A fragment change: ``old`` tokens become ``new`` text; a :data:`HOLE` in ``old`` matches one number, which
    ``new``'s hole then holds."""

    old: tuple[str, ...]
    new: str


def _words(sentence: str) -> list[str]:
    """A sentence's word tokens, case-folded."""
    return [word.lower() for word in WORD.findall(sentence)]


def _span(tokens_a: list[str], tokens_b: list[str], longest: int, empty: bool = False) -> tuple[int, int, int] | None:
    """(common prefix length, end of a's differing span, end of b's) when both spans have 1..``longest`` tokens
    (with ``empty``, one of them may have none)."""
    prefix = 0
    while prefix < min(len(tokens_a), len(tokens_b)) and tokens_a[prefix] == tokens_b[prefix]:
        prefix += 1
    suffix = 0
    while (suffix < min(len(tokens_a), len(tokens_b)) - prefix
           and tokens_a[len(tokens_a) - 1 - suffix] == tokens_b[len(tokens_b) - 1 - suffix]):
        suffix += 1
    end_a, end_b = len(tokens_a) - suffix, len(tokens_b) - suffix
    least = 0 if empty else 1
    if not (least <= end_a - prefix <= longest and least <= end_b - prefix <= longest) or end_a == end_b == prefix:
        return None
    return prefix, end_a, end_b


def change(before: str, after: str) -> Change | None:
    """The one-span change that turns fragment ``before`` into ``after`` (None: not one span, or a pure insertion).

    Where one side's span is a single number that the other side's span holds once, the number is a
    :data:`HOLE`: the change wraps (or unwraps) any number.

    Example:
        >>> change("(= (pos ⟨1l⟩) 2)", "(= (pos ⟨1l⟩) (- (+ n 1) 2))")
        Change(old=('\\x00',), new='(- (+ n 1) \\x00)')
        >>> change("(= (pos ⟨1l⟩) (- (+ n 1) 2))", "(= (pos ⟨1l⟩) 2)")
        Change(old=('(', '-', '(', '+', 'n', '1', ')', '\\x00', ')'), new='\\x00')
        >>> change("(< (pos ⟨1l⟩) (pos ⟨2l⟩))", "(> (pos ⟨1l⟩) (pos ⟨2l⟩))")
        Change(old=('<',), new='>')
    """
    a, b = list(TOKEN.finditer(before)), list(TOKEN.finditer(after))
    found = _span([m.group() for m in a], [m.group() for m in b], max(len(a), len(b)))
    if found is None:
        return None
    prefix, end_a, end_b = found
    old, new_tokens = [m.group() for m in a[prefix:end_a]], b[prefix:end_b]
    start = new_tokens[0].start()
    new = after[start : new_tokens[-1].end()]
    if len(old) == 1 and NUMBER.fullmatch(old[0]):  # wrapping a number
        inside = [m for m in new_tokens if m.group() == old[0]]
        if len(inside) == 1 and len(new_tokens) > 1:
            return Change((HOLE,), new[: inside[0].start() - start] + HOLE + new[inside[0].end() - start :])
    if len(new_tokens) == 1 and NUMBER.fullmatch(new) and old.count(new) == 1 and len(old) > 1:  # unwrapping one
        return Change(tuple(HOLE if token == new else token for token in old), HOLE)
    return Change(tuple(old), new)


def apply(fragment: str, edit: Change) -> list[str]:
    """``fragment`` with ``edit`` made at each place it applies, one place per result.

    Example:
        >>> apply("(= (pos answer) ⟨1⟩)", Change(("\\x00",), "(- (+ n 1) \\x00)"))
        ['(= (pos answer) (- (+ n 1) ⟨1⟩))']
        >>> apply("(= (pos ⟨1l⟩) 1)", Change(("1",), "n"))
        ['(= (pos ⟨1l⟩) n)']
    """
    tokens = list(TOKEN.finditer(fragment))
    out = []
    for i in range(len(tokens) - len(edit.old) + 1):
        window, number = tokens[i : i + len(edit.old)], None
        for token, wanted in zip(window, edit.old):
            if wanted == HOLE and NUMBER.fullmatch(token.group()) and number is None:
                number = token.group()
            elif token.group() != wanted:
                break
        else:
            new = edit.new.replace(HOLE, number) if number is not None else edit.new
            out.append(fragment[: window[0].start()] + new + fragment[window[-1].end() :])
    return [f for f in dict.fromkeys(out) if f != fragment]


class Analogies:
    """Fragments for unknown sentence shapes by proportion with known (sentence, fragment) pairs.

    Args:
        known: Slotted sentence -> its slotted fragment (what the writer was fitted on).
        longest: Most tokens a differing span of words may have.
    """

    def __init__(self, known: Mapping[str, str], longest: int = 2, phrase: int = 6) -> None:
        self.known = dict(known)
        self.longest, self.phrase = longest, phrase
        self._tokens = {source: _words(source) for source in self.known}
        self._found: dict[str, list[tuple[str, int]]] = {}  # source -> all its fragments, best supported first
        #: (old words, new words) -> how often each fragment change went with them
        self.changes: dict[tuple[tuple[str, ...], tuple[str, ...]], Counter] = defaultdict(Counter)
        sources = list(self.known)
        for i, first in enumerate(sources):
            for second in sources[i + 1 :]:
                words = self._words(self._tokens[first], self._tokens[second])
                if words is None:
                    continue
                for (old, new), (before, after) in ((words, (first, second)), (words[::-1], (second, first))):
                    found = change(self.known[before], self.known[after])
                    if found is not None:
                        self.changes[old, new][found] += 1

    def _words(self, a: list[str], b: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The differing word spans of two sentences: each of 1..``longest`` words, or a phrase of more than ``longest``
        and at most ``phrase`` words added or standing for at most one word."""
        found = _span(a, b, max(self.longest, self.phrase), empty=True)
        if found is None:
            return None
        prefix, end_a, end_b = found
        old, new = tuple(a[prefix:end_a]), tuple(b[prefix:end_b])
        short, long = sorted((len(old), len(new)))
        if 1 <= short <= long <= self.longest or short <= 1 and self.longest < long <= self.phrase:
            return old, new
        return None

    def of(self, source: str, limit: int = 4) -> list[tuple[str, int]]:
        """Up to ``limit`` fragments for ``source`` with their support, best supported first.

        Args:
            source: A slotted sentence (usually one not in ``known``).
            limit: Most fragments returned.
        """
        if source not in self._found:  # asked for by every text with this shape, and by the rivals check
            self._found[source] = self._all(source)
        return self._found[source][:limit]

    def _all(self, source: str) -> list[tuple[str, int]]:
        tokens = _words(source)
        support: Counter = Counter()
        for other, other_tokens in self._tokens.items():
            if other == source:
                continue
            words = self._words(other_tokens, tokens)
            if words is None or words not in self.changes:
                continue
            for edit, count in self.changes[words].items():
                for fragment in apply(self.known[other], edit):
                    support[fragment] += count
        return sorted(support.items(), key=lambda p: (-p[1], p[0]))


__all__ = ["Analogies", "Change", "apply", "change"]
