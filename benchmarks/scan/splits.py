"""SCAN splits that follow from a rule, rebuilt from the generated command set.

Each function returns ``(train, test)`` lists of (command, actions) pairs equal, as multisets, to the
official files (line order differs). "Contains a phrase" means as whole words: ``"jump"`` is in
``"jump twice"``; ``"turn left"`` is not in ``"turn around left"``.

* ``length``: train = outputs of at most 22 actions (16,990), test = longer (3,920).
* ``addprim_<p>``: test = commands containing the primitive phrase *p* other than *p* alone; train =
  every command without *p*, plus the bare command *p* repeated until it is 10% of the training lines
  (jump: 13,203 + 1,467 = 14,670 train, 7,706 test; turn left: 19,701 + 2,189 = 21,890 train, 1,208
  test; "turn around left"/"turn opposite left" do not contain "turn left" and stay in train).
* ``template_<t>`` for a template "X <suffix>": every command containing "turn <suffix>" is left out of
  both sets (1,209 commands); test = the remaining commands with "<u> <suffix>" for a held-out
  primitive u; train = the rest. around_right (suffix "around right", u in walk/look/run/jump):
  15,225 / 4,476; opposite_right: 15,225 / 4,476; right (suffix "right"): 15,225 / 4,476;
  jump_around_right (suffix "around right", u = jump): 18,528 / 1,173.

Example:
    >>> train, test = addprim_split("jump")
    >>> len(train), train.count(("jump", "I_JUMP")), len(test)
    (14670, 1467, 7706)
    >>> sorted(RULE_SPLITS) == sorted(["length", "addprim_jump", "addprim_turn_left",
    ...     "template_around_right", "template_jump_around_right", "template_opposite_right", "template_right"])
    True
"""

from __future__ import annotations

from functools import partial
from typing import Callable, Sequence

from ..seqdata import Pair
from .grammar import PRIMITIVES, TURN, generate_commands, interpret

SplitPairs = tuple[list[Pair], list[Pair]]
"""(train pairs, test pairs)."""

LENGTH_CUTOFF = 22
"""Longest output (in actions) of the length split's training set."""

ADDPRIM_SHARE = 0.1
"""Share of the add-primitive training lines that are the bare primitive command."""


def contains_phrase(command: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``command`` as a run of whole words.

    Example:
        >>> contains_phrase("turn left twice", "turn left"), contains_phrase("turn around left", "turn left")
        (True, False)
        >>> contains_phrase("jump right", "jump"), contains_phrase("jumping", "jump")
        (True, False)
    """
    return f" {phrase} " in f" {command} "


def length_split(max_train_actions: int = LENGTH_CUTOFF) -> SplitPairs:
    """Train on outputs of at most ``max_train_actions`` actions, test on the longer ones.

    Example:
        >>> train, test = length_split()
        >>> len(train), len(test), min(len(a.split()) for _, a in test)
        (16990, 3920, 24)
    """
    pairs = generate_commands()
    train = [p for p in pairs if len(p[1].split()) <= max_train_actions]
    test = [p for p in pairs if len(p[1].split()) > max_train_actions]
    return train, test


def addprim_split(primitive: str, share: float = ADDPRIM_SHARE) -> SplitPairs:
    """Hold out every composed use of ``primitive``; train sees it alone, as ``share`` of its lines.

    Example:
        >>> train, test = addprim_split("turn left")
        >>> len(train), train.count(("turn left", "I_TURN_LEFT")), len(test)
        (21890, 2189, 1208)
    """
    pairs = generate_commands()
    rest = [p for p in pairs if not contains_phrase(p[0], primitive)]
    copies = round(len(rest) * share / (1 - share))
    train = rest + [(primitive, interpret(primitive))] * copies
    test = [p for p in pairs if contains_phrase(p[0], primitive) and p[0] != primitive]
    return train, test


def template_split(suffix: str, held_out: Sequence[str] = tuple(PRIMITIVES)) -> SplitPairs:
    """Hold out the template "<u> <suffix>" for each primitive u in ``held_out``.

    Commands containing "turn <suffix>" are in neither set, as in the official files.

    Example:
        >>> train, test = template_split("around right", held_out=["jump"])
        >>> len(train), len(test)
        (18528, 1173)
        >>> any(contains_phrase(c, "turn around right") for c, _ in train + test)
        False
    """
    kept = [p for p in generate_commands() if not contains_phrase(p[0], f"{TURN} {suffix}")]

    def is_test(command: str) -> bool:
        return any(contains_phrase(command, f"{verb} {suffix}") for verb in held_out)

    return [p for p in kept if not is_test(p[0])], [p for p in kept if is_test(p[0])]


RULE_SPLITS: dict[str, Callable[[], SplitPairs]] = {
    "length": length_split,
    "addprim_jump": partial(addprim_split, "jump"),
    "addprim_turn_left": partial(addprim_split, "turn left"),
    "template_around_right": partial(template_split, "around right"),
    "template_jump_around_right": partial(template_split, "around right", ("jump",)),
    "template_opposite_right": partial(template_split, "opposite right"),
    "template_right": partial(template_split, "right"),
}
"""Split name (as in the official file names) -> function building ``(train, test)``."""
