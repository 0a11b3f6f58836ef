"""Copying names and numbers from a sentence into a program: placeholder slots.

A word-level writer cannot output a name it never saw in training. :class:`SlotCopier` replaces
such tokens by numbered placeholders before the writer reads a sentence and puts them back into
what it writes, so that a name or number is copied whatever it is. A token becomes a slot when

* it contains a digit (numbers: ``5``, ``3.5``), or
* it starts with a capital letter and its lower-case form never occurs in the training texts,
  unless it is a frequent sentence opener: it only ever starts a training sentence, in at least
  1% of them (and at least 3 times); so ``The`` or ``Who`` stay words, names become slots.

(Unseen lower-case words stay words: the model reads them as unknown. Making them slots would shift
the numbering of the names after them.) Slots are numbered ``⟨1⟩, ⟨2⟩, ...`` by first appearance:
one per distinct name (so a name said twice is one slot), one per occurrence of a number (so "6 bags
with 6 stickers" reads like "6 bags with 11 stickers"; in the program, the number's occurrences take
its slots in order). In a program
(target) fragment, the token itself becomes ``⟨i⟩`` and its lower-case form ``⟨il⟩`` (programs
often spell names in lower case, e.g. ASP constants), also as an ``_``-separated part of an
identifier (``apples_tom``); :meth:`SlotCopier.restore` inverts both. A list of three or more
names or words ("Ann, Bob and Cy") is one slot, and a program part that repeats its items
``⟨ie⟩ SEP ⟨iz⟩`` (:mod:`nesy.learn.lists`), so lists of any length read and write alike.
Nothing here knows any task's words: the copier is fitted on the user's texts.

Example:
    >>> copier = SlotCopier.fitted(["The cat of Ann sees the dog.", "Ann has 3 toys."])
    >>> abstract, slots = copier.abstract("The dog of Zoe has 12 toys.")
    >>> abstract, slots
    ('The dog of ⟨1⟩ has ⟨2⟩ toys.', ('Zoe', '12'))
    >>> target = copier.abstract_target("owns(zoe, toys_zoe, 12).", slots)
    >>> target
    'owns(⟨1l⟩, toys_⟨1l⟩, ⟨2⟩).'
    >>> copier.restore(target, slots)
    'owns(zoe, toys_zoe, 12).'
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from nesy.learn.lists import JOIN, expand_repeats, find_lists, mark_repeats

#: Tokens of a sentence: slot markers, numbers (``-4`` is one token when its minus sign is not between
#: two words: "is -4.", but "4-fold" and "5 - 3" are not), words, single punctuation marks.
WORD = re.compile(r"⟨\w+⟩|(?:(?<![\w⟩.])-)?\d+(?:\.\d+)?|\w+|[^\w\s]")
SLOT = re.compile(r"⟨(\d+)(l?)⟩")


def _bounded(value: str) -> str:
    """A pattern for ``value`` as a whole token or an ``_``-separated part of an identifier."""
    return rf"(?<![A-Za-z0-9.⟨]){re.escape(value)}(?![A-Za-z0-9⟩]|\.\d)"


@dataclass
class SlotCopier:
    """Decides which tokens are slots and maps text to and from its slotted form.

    Attributes:
        lower_words: Words seen in lower case in the training texts.
        seen: Every token seen in the training texts.
        inside: Capitalised tokens seen somewhere other than at the start of a training text.
        openers: How often each capitalised token started a training text.
        texts: How many training texts were seen.
    """

    lower_words: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    inside: set[str] = field(default_factory=set)
    openers: Counter = field(default_factory=Counter)
    texts: int = 0

    @classmethod
    def fitted(cls, texts: Iterable[str]) -> "SlotCopier":
        """A copier that knows the words of ``texts`` (training sentences, one per text; never test ones)."""
        copier = cls()
        copier.fit(texts)
        return copier

    def fit(self, texts: Iterable[str]) -> None:
        """Learn the ordinary words from ``texts`` (pass sentences: a text's first token is sentence-initial)."""
        for text in texts:
            self.texts += 1
            for position, token in enumerate(WORD.findall(text)):
                self.seen.add(token)
                if token[:1].islower():
                    self.lower_words.add(token)
                elif token[:1].isupper():
                    if position:
                        self.inside.add(token)
                    else:
                        self.openers[token] += 1

    def is_slot(self, token: str) -> bool:
        """Whether ``token`` is copied through a placeholder rather than read as a word.

        Example:
            >>> copier = SlotCopier.fitted(["Who sees Cat?", "Who is Ann?", "Who?", "Ann sees the dog"])
            >>> copier.is_slot("Cat"), copier.is_slot("Who"), copier.is_slot("The"), copier.is_slot("Zed")
            (True, False, False, True)
            >>> copier.is_slot("Ann")
            True
        """
        if token[:1] == "-" and token[1:2].isdigit():  # a negative number
            return True
        if token.startswith("⟨") or not (token[:1].isalnum() or token[:1] == "_"):
            return False
        if any(ch.isdigit() for ch in token):
            return True
        if token[:1].isupper() and token.lower() not in self.lower_words and not self.is_opener(token):
            return True
        return False

    def is_opener(self, token: str) -> bool:
        """Whether ``token`` is a frequent sentence opener (only ever first, in >= 1% of texts, >= 3 times)."""
        return token not in self.inside and self.openers[token] >= max(3, 0.01 * self.texts)

    def abstract(
        self, text: str, slots: tuple[str, ...] = (), words: frozenset[str] = frozenset(),
        plain: frozenset[str] = frozenset(),
    ) -> tuple[str, tuple[str, ...]]:
        """``text`` with slot tokens replaced by ``⟨i⟩``; returns it and the slot values.

        ``slots`` continues an earlier numbering (so a context sentence and the sentence share it).
        ``words`` are copied like names too (e.g. the items of a list of words elsewhere in the text,
        :func:`list_words`); ``plain`` tokens are never slots (:func:`unlisted_openers`).
        """
        values = list(slots)
        matches = list(WORD.finditer(text))
        tokens = [m.group() for m in matches]
        is_slot = lambda token: token not in plain and (token in words or self.is_slot(token))  # noqa: E731
        is_name = lambda token: is_slot(token) and not any(ch.isdigit() for ch in token)  # noqa: E731
        lists = {start: (end, items) for start, end, items in find_lists(tokens, is_name)}
        out, last, i = [], 0, 0
        while i < len(matches):
            match, token = matches[i], tokens[i]
            if i in lists:  # a whole list: one slot
                end, items = lists[i]
                values.append(JOIN.join(items))
                out.append(text[last : match.start()] + f"⟨{len(values)}⟩")
                last, i = matches[end - 1].end(), end
                continue
            if is_slot(token):
                number = any(ch.isdigit() for ch in token)
                if number or token not in values:
                    values.append(token)
                index = len(values) if number else values.index(token) + 1
                out.append(text[last : match.start()] + f"⟨{index}⟩")
                last = match.end()
            i += 1
        out.append(text[last:])
        return "".join(out), tuple(values)

    def list_words(self, sentences: Iterable[str]) -> frozenset[str]:
        """The items of every list of lower-case words in ``sentences`` (found by shape, :mod:`nesy.learn.lists`).

        A text that lists things ("The pets are: cat, dog and fish.") and then names one of them
        ("Ann owns the fish.") refers to the list's item: copying it as a slot lets a writer say
        "the ⟨2⟩" for any item, including words it never saw.

        Example:
            >>> copier = SlotCopier.fitted(["The pets are: cat, dog and fish.", "Ann owns the dog."])
            >>> words = copier.list_words(["The pets are: cat, dog and yak.", "Zoe owns the yak."])
            >>> sorted(words), copier.abstract("Zoe owns the yak.", words=words)
            (['cat', 'dog', 'yak'], ('⟨1⟩ owns the ⟨2⟩.', ('Zoe', 'yak')))
        """
        found: set[str] = set()
        for sentence in sentences:
            tokens = WORD.findall(sentence)
            for _, _, items in find_lists(tokens, lambda token: self.is_slot(token) and not token[:1].isdigit()):
                if all(item.islower() for item in items):
                    found.update(items)
        return frozenset(found)

    def unlisted_openers(self, sentences: Sequence[str]) -> frozenset[str]:
        """Sentence openers of a text that lists its names but does not list these, nor say them again.

        A capitalised word that starts a few training sentences and never appears inside one ("Nobody
        is taller than Evan.") is a name or a word; in a text that lists its people ("Ann, Bob and Cy
        ...") and says it nowhere else, it is a word. Texts without a list of names get none.

        Example:
            >>> copier = SlotCopier.fitted(["Nobody is late.", "Nobody is here.", "Nobody waits.", "Ann sees Bob."])
            >>> copier.texts = 1000  # three openers among many texts: too rare to be a word by counts alone
            >>> copier.unlisted_openers(["Ann, Bob and Cy sing.", "Nobody is taller than Bob."])
            frozenset({'Nobody'})
            >>> copier.unlisted_openers(["Nobody is taller than Bob."])  # no list of names: no evidence
            frozenset()
        """
        tokens = [WORD.findall(sentence) for sentence in sentences]
        is_name = lambda token: self.is_slot(token) and not any(ch.isdigit() for ch in token)  # noqa: E731
        listed = {item for found in tokens for _, _, items in find_lists(found, is_name) for item in items
                  if not item.islower()}
        if not listed:
            return frozenset()
        counts = Counter(token for found in tokens for token in found)
        return frozenset(found[0] for found in tokens if found and self.is_slot(found[0]) and found[0] not in listed
                         and found[0] not in self.inside and self.openers[found[0]] >= 3 and counts[found[0]] == 1)

    @staticmethod
    def abstract_target(fragment: str, slots: tuple[str, ...]) -> str:
        """A program fragment with each slot value (exact, or in lower case) replaced by its marker."""
        for index, value in enumerate(slots):  # lists first: their items are no slots of their own
            if JOIN in value:
                fragment = mark_repeats(fragment, index + 1, tuple(value.split(JOIN)))
        # longest values first, so that '12' is not read as a part of '123'; a number said n times: its
        # occurrences in the program take its slots in order (the last one again for any further ones)
        positions: dict[str, list[int]] = {}
        for index, value in enumerate(slots):
            if JOIN not in value:
                positions.setdefault(value, []).append(index + 1)
        for value in sorted(positions, key=lambda v: (-len(v), positions[v][0])):
            indices = positions[value]
            for suffix, form in (("", value), ("l", value.lower())):
                if suffix and form == value:
                    continue
                seen = itertools.count()
                fragment = re.sub(_bounded(form),
                                  lambda _, seen=seen, indices=indices, suffix=suffix:
                                  f"⟨{indices[min(next(seen), len(indices) - 1)]}{suffix}⟩", fragment)
        return fragment

    @staticmethod
    def restore(fragment: str, slots: tuple[str, ...]) -> str | None:
        """Put slot values back; None when the fragment names a slot the sentence does not have."""
        lists = {i + 1: tuple(value.split(JOIN)) for i, value in enumerate(slots) if JOIN in value}
        expanded = expand_repeats(fragment, lists)
        if expanded is None:
            return None
        fragment, missing = expanded, False

        def value(match: re.Match) -> str:
            nonlocal missing
            index = int(match.group(1)) - 1
            if not 0 <= index < len(slots) or JOIN in slots[index]:
                missing = True
                return match.group()
            return slots[index].lower() if match.group(2) else slots[index]

        restored = SLOT.sub(value, fragment)
        return None if missing else restored
