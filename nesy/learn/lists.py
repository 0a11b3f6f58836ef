"""Lists in a sentence ("Ann, Bob, Cy and Dee") as one slot, and their repeated parts in a program.

A sentence that lists ``k`` things usually maps to a program part repeated ``k`` times
(``((ann) (bob) (cy) (dee))``). A writer trained on lists of 3 to 5 things does not write the
part 7 times. Here a list becomes *one* slot whose value is all its items, and a program part
that repeats the items with the same text between them becomes ``⟨ie⟩ SEP ⟨iz⟩`` (``⟨iel⟩`` when the
program spells the items in lower case): "every item of list slot ``i``, joined by ``SEP``". The
writer then reads and writes the same tokens for any ``k``.

A list is found by its shape alone, never by its words: at least :data:`MIN_ITEMS` items separated
by commas, the last one after a single lower-case word (the conjunction, whatever the language),
each item one word (not a number), optionally after the same lower-case word each time
("a dog, a cat and a bird"). Either every item is a name (``is_name``: what the slot copier
copies), or every item is a lower-case word and the list ends the sentence (so that
"Counting from the tallest, who is third?" is no list).

Example:
    >>> tokens = ["There", "are", "Ann", ",", "Bob", "and", "Cy", "."]
    >>> find_lists(tokens, str.istitle)
    [(2, 7, ('Ann', 'Bob', 'Cy'))]
    >>> marked = mark_repeats("(declare-datatype E ((ann) (bob) (cy)))", 2, ("Ann", "Bob", "Cy"))
    >>> marked
    '(declare-datatype E ((⟨2el⟩) (⟨2z⟩)))'
    >>> expand_repeats(marked, {2: ("Ann", "Bob", "Cy", "Dee")})
    '(declare-datatype E ((ann) (bob) (cy) (dee)))'
"""

from __future__ import annotations

import re
from typing import Callable

MIN_ITEMS = 3  #: fewer items are read as ordinary slots ("Ann and Bob")
JOIN = "\x1f"  #: joins a list slot's items into one slot value
REPEAT = re.compile(r"⟨(\d+)e(l?)⟩(.*?)⟨\1z⟩", re.S)


def _item(token: str) -> bool:
    return token[:1].isalpha() and not any(ch.isdigit() for ch in token)


def _lower_word(token: str) -> bool:
    return token.isalpha() and token.islower()


def find_lists(tokens: list[str], is_name: Callable[[str], bool]) -> list[tuple[int, int, tuple[str, ...]]]:
    """``(start, end, items)`` of each list in a token sequence (``end`` exclusive), left to right.

    Example:
        >>> find_lists("The pets are a dog , a cat and a bird .".split(), str.istitle)
        [(3, 11, ('dog', 'cat', 'bird'))]
        >>> find_lists("Ann and Bob meet .".split(), str.istitle)  # two items: not a list
        []
        >>> find_lists("Counting from the tallest , who is third ?".split(), str.istitle)
        []
    """
    found, i = [], 0
    while i < len(tokens):
        hit = _list_at(tokens, i, is_name)
        if hit is None:
            i += 1
            continue
        found.append(hit)
        i = hit[1]
    return found


def _list_at(tokens: list[str], start: int, is_name: Callable[[str], bool]) -> tuple[int, int, tuple[str, ...]] | None:
    for width in (1, 2):  # an item: one word, or the same lower-case word then a word
        if start + width > len(tokens):
            return None
        article = tokens[start] if width == 2 else None
        if article is not None and not _lower_word(article):
            continue

        def item_at(j: int) -> str | None:
            if j + width > len(tokens) or (article is not None and tokens[j] != article):
                return None
            word = tokens[j + width - 1]
            return word if _item(word) else None

        items, j = [], start
        first = item_at(j)
        if first is None:
            continue
        items.append(first)
        j += width
        while j < len(tokens) and tokens[j] == ",":
            following = item_at(j + 1)
            if following is None:
                break
            items.append(following)
            j += 1 + width
        if j < len(tokens) and tokens[j] == ",":  # an Oxford comma before the conjunction
            j += 1
        if len(items) + 1 < MIN_ITEMS or j >= len(tokens) or not _lower_word(tokens[j]):
            continue
        last = item_at(j + 1)
        if last is None or tokens[j] == article:
            continue
        items.append(last)
        end = j + 1 + width
        names = all(is_name(v) for v in items)
        words = all(_lower_word(v) for v in items) and end < len(tokens) and tokens[end] == "."
        if len(set(items)) == len(items) and (names or words):
            return start, end, tuple(items)
    return None


def _bounded(value: str) -> str:
    return rf"(?<![A-Za-z0-9.⟨]){re.escape(value)}(?![A-Za-z0-9⟩]|\.\d)"


def mark_repeats(fragment: str, index: int, items: tuple[str, ...]) -> str:
    """``fragment`` with the run ``item1 SEP item2 SEP ... itemk`` written as ``⟨{index}e⟩SEP⟨{index}z⟩``.

    The items must follow one another with the same text between them (as written, or all in
    lower case: then the marker is ``⟨{index}el⟩``). Unchanged when there is no such run.
    """
    for lower in (False, True):
        values = [v.lower() if lower else v for v in items]
        position, spans = 0, []
        for value in values:
            match = re.compile(_bounded(value)).search(fragment, position)
            if match is None:
                break
            spans.append(match.span())
            position = match.end()
        if len(spans) < len(values):
            continue
        separators = {fragment[spans[n][1] : spans[n + 1][0]] for n in range(len(spans) - 1)}
        if len(separators) != 1:
            continue
        marker = f"⟨{index}e{'l' if lower else ''}⟩{separators.pop()}⟨{index}z⟩"
        return fragment[: spans[0][0]] + marker + fragment[spans[-1][1] :]
    return fragment


def expand_repeats(fragment: str, lists: dict[int, tuple[str, ...]]) -> str | None:
    """Every ``⟨ie⟩SEP⟨iz⟩`` replaced by list slot ``i``'s items joined by ``SEP``; None when ``i`` is no list."""
    missing = False

    def expand(match: re.Match) -> str:
        nonlocal missing
        items = lists.get(int(match.group(1)))
        if items is None:
            missing = True
            return match.group()
        return match.group(3).join(v.lower() if match.group(2) else v for v in items)

    expanded = REPEAT.sub(expand, fragment)
    return None if missing or re.search(r"⟨\d+[ez]l?⟩", expanded) else expanded
