"""Small edits of a slotted program fragment, and how many of its sentence's slots it leaves unused.

The fragment writer proposes, besides what its model ranks high, a few edits of each fragment,
so that self-training can reach fragments the model does not rank high yet; the checker decides
which are right. All edits work on slotted text (``⟨1⟩ gives ⟨2⟩ to ⟨3⟩.``) and know no task's words:

* **slot swaps**: two slots of the sentence exchanged (who did what to whom);
* **slot fills**: one slot reference replaced by a slot of the sentence the fragment does not use;
* **word substitutions**: one program word replaced by a word of the sentence that programs use
  elsewhere (``sister`` → ``wife`` when the sentence says "wife");
* **operator substitutions**: one one-character operator replaced by another that programs use
  (``+`` → ``-``, ``<`` → ``>``);
* **number substitutions**: one number replaced by another that programs use, and so is a slot the
  sentence does not have (a fragment borrowed from "number ⟨2⟩" for a sentence that says "third").

:func:`unused_slots` counts the sentence's slots a fragment does not mention; the writer learns
from its training pairs whether fragments mention every slot of their sentence and, if they do,
ranks fragments that leave slots unused lower.

Example:
    >>> edits("⟨1⟩ fears ⟨2⟩.", "likes(⟨1l⟩,⟨2l⟩).", {"likes", "fears"}, set())
    ['likes(⟨2l⟩,⟨1l⟩).', 'fears(⟨1l⟩,⟨2l⟩).']
    >>> found = edits("⟨1⟩ loses ⟨2⟩ of ⟨3⟩.", "⟨1l⟩ = ⟨1l⟩ + ⟨2⟩*⟨2⟩", set(), {"+", "-", "*"})
    >>> "⟨1l⟩ = ⟨1l⟩ + ⟨2⟩*⟨3⟩" in found, "⟨1l⟩ = ⟨1l⟩ - ⟨2⟩*⟨2⟩" in found
    (True, True)
    >>> unused_slots("⟨1⟩ loses ⟨2⟩ of ⟨3⟩.", "⟨1l⟩ = ⟨1l⟩ + ⟨2⟩*⟨2⟩")
    1
"""

from __future__ import annotations

import itertools
import re

IDENT = re.compile(r"(?<![⟨\w])[A-Za-z_][A-Za-z0-9_]*")
SOURCE_SLOT = re.compile(r"⟨(\d+)⟩")
TARGET_SLOT = re.compile(r"⟨(\d+)(?:e?l?|z)⟩")
#: a one-character operator between operands: ``a + b``, ``2*x``, ``(< (pos a) 1)``; not the hyphen of a
#: name such as ``declare-const`` (a letter on either side)
OPERATOR = re.compile(r"(?<=[\s\w⟩)(])(?!(?<=[A-Za-z]).[A-Za-z])[^\w\s()\[\]{}⟨⟩,.;:'\"](?=[\s\w⟨(])")

#: a number literal (``2``, ``3.5``) or a number slot ``⟨i⟩`` (group 1: its index)
NUMBER = re.compile(r"(?<![\w.⟨])\d+(?:\.\d+)?(?![\w.⟩])|⟨(\d+)⟩")


def slots_of(source: str) -> set[int]:
    """The slot numbers a slotted sentence has (after the last context mark, if any)."""
    return {int(n) for n in SOURCE_SLOT.findall(source.rsplit("⟨sep⟩", 1)[-1])}


def unused_slots(source: str, fragment: str) -> int:
    """How many slots of the sentence ``fragment`` does not mention."""
    return len(slots_of(source) - {int(n) for n in TARGET_SLOT.findall(fragment)})


def operators(fragment: str) -> set[str]:
    """The one-character operators of a fragment.

    Example:
        >>> sorted(operators("v = 2*v + ⟨1⟩")), sorted(operators("(declare-const a Int) (assert (< (- a 1) n))"))
        (['*', '+', '='], ['-', '<'])
    """
    return set(OPERATOR.findall(fragment))


def edits(
    source: str, fragment: str, program_words: set[str], program_operators: set[str],
    program_numbers: set[str] = frozenset(),
) -> list[str]:
    """Slot swaps, slot fills, word, operator and number substitutions of ``fragment`` (distinct, in that order).

    Example:
        >>> edits("Who is third?", "(= (pos answer) (- (+ n 1) ⟨1⟩))", set(), set(), {"1", "3"})
        ['(= (pos answer) (- (+ n 3) ⟨1⟩))', '(= (pos answer) (- (+ n 1) 1))', '(= (pos answer) (- (+ n 1) 3))']
    """
    out = []
    slots = sorted(slots_of(source))
    for i, j in itertools.combinations(slots, 2):
        swapped = re.sub(rf"⟨({i}|{j})(e?l?|z)⟩", lambda m: f"⟨{j if m.group(1) == str(i) else i}{m.group(2)}⟩",
                         fragment)  # list markers too: "⟨2⟩ (⟨1⟩ children)" borrows from "⟨1⟩ children: ⟨2⟩"
        if swapped != fragment:
            out.append(swapped)
    unused = set(slots) - {int(n) for n in TARGET_SLOT.findall(fragment)}
    for match in re.finditer(r"⟨(\d+)(l?)⟩", fragment):
        for u in sorted(unused):
            out.append(fragment[: match.start()] + f"⟨{u}{match.group(2)}⟩" + fragment[match.end() :])
    words = [w for w in dict.fromkeys(re.findall(r"[a-z_][a-z0-9_]*", source)) if w in program_words]
    for old in dict.fromkeys(IDENT.findall(fragment)):
        if old in program_words:
            out += [re.sub(rf"(?<![⟨\w]){old}(?!\w)", new, fragment) for new in words if new != old]
    for match in OPERATOR.finditer(fragment):
        for new in sorted(program_operators - {match.group()}):
            out.append(fragment[: match.start()] + new + fragment[match.end() :])
    for match in NUMBER.finditer(fragment):  # a number, or a slot the sentence lacks (a borrowed fragment)
        if match.group(1) is not None and int(match.group(1)) in slots:
            continue
        for new in sorted(program_numbers - {match.group()}, key=lambda n: (len(n), n)):
            out.append(fragment[: match.start()] + new + fragment[match.end() :])
    return [e for e in dict.fromkeys(out) if e != fragment]


def numbers(fragment: str) -> set[str]:
    """The number literals of a fragment (not slots, not parts of names).

    Example:
        >>> sorted(numbers("(assert (= (pos ⟨1l⟩) (- (+ n 1) 2)))"))
        ['1', '2']
    """
    return {match.group() for match in NUMBER.finditer(fragment) if match.group(1) is None}
