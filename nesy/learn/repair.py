"""Repairing a failed program one sentence shape at a time: abduction for the sentence-by-sentence writer.

When none of the ``k`` programs the writer proposed for a training problem verifies, its best
program is often wrong in one sentence only, while that sentence's right fragment ranks too low to
be among the ``k`` best combinations: a sentence the writer reads confidently and wrongly (a reading
that verified by chance on small problems) keeps its fragment in every combination, and the ``k``
are spent on the other sentences' alternatives. :func:`single_repairs` lists the programs that
differ from the best one in one sentence shape's fragment, taking each shape's alternatives in turn
(round-robin, so that every shape gets its first alternatives tried early). The caller checks them
against the answer and keeps the first that verifies: a search for a program consistent with the
answer, guided by the solver (abduction, in the self-training loop's terms). A repaired program is
discriminating evidence for its new fragment: the same program with the old one failed.

Example:
    >>> fill = lambda fragment, slots: fragment.replace("<1>", slots[0]) if slots else fragment
    >>> reading = [("intro", ()), ("X won", ("ann",)), ("who", ())]
    >>> single_repairs(["decl", "(= (pos ann) 2)", "q"], reading,
    ...                {"X won": ["(= (pos <1>) 1)", "(= (pos <1>) 3)"], "who": ["q2"]}, fill, 10)
    [['decl', '(= (pos ann) 1)', 'q'], ['decl', '(= (pos ann) 2)', 'q2'], ['decl', '(= (pos ann) 3)', 'q']]
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Callable, Mapping, Sequence

from nesy.learn.rivals import substitute


def single_repairs(
    fragments: Sequence[str], reading: Sequence[tuple[str, tuple[str, ...]]], alternatives: Mapping[str, Sequence[str]],
    restore: Callable[[str, tuple[str, ...]], "str | None"], limit: int,
) -> list[list[str]]:
    """Up to ``limit`` distinct fragment lists, each with one sentence shape written another way.

    Args:
        fragments: The best program's fragment per sentence.
        reading: Per sentence: its slotted shape and slot values.
        alternatives: Per slotted shape: its alternative slotted fragments, best first.
        restore: Puts slot values into a slotted fragment (None: a slot the sentence lacks).
        limit: Most programs returned.
    """
    shapes = list(dict.fromkeys(source for source, _ in reading))
    seen = {tuple(fragments)}
    out: list[list[str]] = []
    for row in zip_longest(*(alternatives.get(source, ()) for source in shapes)):
        for source, target in zip(shapes, row):
            if target is None:
                continue
            changed = substitute(fragments, reading, source, target, restore)
            if changed is not None and tuple(changed) not in seen:
                seen.add(tuple(changed))
                out.append(changed)
                if len(out) == limit:
                    return out
    return out


__all__ = ["single_repairs"]
