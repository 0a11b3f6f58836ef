"""Choosing each sentence's fragment from verified programs: trust spreads out from the annotated ones.

A verified program vouches for its fragments only together: a program can verify with *every*
fragment of a kind written the other way round when the answer does not tell the two apart (an
ordering puzzle read from the other end: "shorter" as ``>``, "the tallest" as place 1, and the
question likewise; the answer is the same person). Majority votes per sentence then mix both
readings, and texts that combine sentences from the two fail.

:func:`anchored_choice` therefore ranks a sentence's candidate fragments by how *anchored* the
programs behind them are. The annotated programs' (sentence, fragment) pairs are anchors. A pair
gets level 0 when some program that verified with it has every other needed pair anchored: with the
rest fixed, the checker forced this fragment. Level-0 pairs become anchors themselves, and this
repeats until nothing changes, so trust spreads from the annotated programs one unknown sentence at
a time. Any other pair's level is the fewest un-anchored other pairs among the programs behind it.
Each sentence gets its lowest-level fragments, the most voted among those (annotated programs
outweigh sampled ones by their weight). A program with a pair that an anchor contradicts (its
sentence anchored to another fragment) vouches for none of its pairs. Nothing here knows a task:
it only compares strings.

Example:
    >>> gold = (("intro", "decl"), ("A taller B", "(> a b)"))
    >>> anchored = (("intro", "decl"), ("A taller B", "(> a b)"), ("A shorter B", "(< a b)"))
    >>> mirrored = (("intro", "decl"), ("A shorter B", "(> a b)"), ("who tallest", "(= x 1)"))
    >>> records = [Vouch(gold, 1000), Vouch(anchored, 1), Vouch(mirrored, 1), Vouch(mirrored, 1)]
    >>> sorted(anchored_choice(records))  # two mirrored votes lose to one anchored one, and teach nothing
    [('A shorter B', '(< a b)'), ('A taller B', '(> a b)'), ('intro', 'decl')]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

CONTRADICTED = 1_000_000  #: the level of a pair whose programs all have a pair an anchor contradicts


@dataclass(frozen=True)
class Vouch:
    """One verified program's needed (sentence, fragment) pairs and its vote weight.

    Attributes:
        pairs: The (slotted sentence, slotted fragment) pairs the program needed.
        weight: Its vote (annotated programs count more).
        seen: Sentences of the program that vouch for nothing (still listed, so they are not forgotten).
    """

    pairs: tuple[tuple[str, str], ...]
    weight: int = 1
    seen: tuple[str, ...] = ()


def tally(records: Sequence[Vouch]) -> dict[str, Counter]:
    """Weighted votes per sentence for each fragment (a sentence only ``seen`` gets an empty count).

    Example:
        >>> tally([Vouch((("s", "a"),), 2), Vouch((("s", "b"),), 1, ("t",))])
        {'s': Counter({'a': 2, 'b': 1}), 't': Counter()}
    """
    votes: dict[str, Counter] = {}
    for record in records:
        for source, target in record.pairs:
            votes.setdefault(source, Counter())[target] += record.weight
        for source in record.seen:
            votes.setdefault(source, Counter())
    return votes


def anchored_choice(records: Sequence[Vouch], gold_weight: int = 1000) -> list[tuple[str, str]]:
    """The chosen (sentence, fragment) pairs: per sentence its lowest-level fragments, most voted first.

    Args:
        records: The verified programs.
        gold_weight: Records of at least this weight are annotated: all their pairs are anchors.

    Returns:
        The pairs chosen per sentence (ties in level and votes all kept), in first-seen order.
    """
    votes = tally(records)
    anchors = {pair for record in records if record.weight >= gold_weight for pair in record.pairs}
    while True:
        levels = _levels(records, anchors)
        fixed = {source for source, _ in anchors}
        new: dict[str, tuple[str, str]] = {}
        for (source, target), level in levels.items():
            if level == 0 and source not in fixed:
                best = new.get(source)
                if best is None or votes[source][target] > votes[source][best[1]]:
                    new[source] = (source, target)
        if not new:
            break
        anchors |= set(new.values())
    levels = _levels(records, anchors)
    out = []
    for source, counts in votes.items():
        if not counts:
            continue
        ranked = {target: (levels[source, target], -count) for target, count in counts.items()
                  if levels.get((source, target), CONTRADICTED) < CONTRADICTED}
        if not ranked:
            continue
        top = min(ranked.values())
        out += [(source, target) for target, rank in ranked.items() if rank == top]
    return out


def _levels(records: Sequence[Vouch], anchors: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Per pair: the fewest un-anchored *other* pairs in a program that verified with it.

    A program with a pair that an anchor contradicts (its sentence anchored to another fragment)
    vouches for nothing: its pairs get :data:`CONTRADICTED` or more.
    """
    fixed = {source for source, _ in anchors}
    levels: dict[tuple[str, str], int] = {}
    for record in records:
        unanchored = [pair for pair in record.pairs if pair not in anchors]
        contradicted = any(source in fixed for source, _ in unanchored)
        for pair in record.pairs:
            others = len(unanchored) - (pair not in anchors) + CONTRADICTED * contradicted
            if others < levels.get(pair, len(record.pairs) + 1):
                levels[pair] = others
    return levels


__all__ = ["Vouch", "anchored_choice", "tally"]
