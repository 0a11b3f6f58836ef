"""Which program lines each clause of an annotated sentence says: a searched monotone alignment.

An annotated program gives one fragment per sentence; once a sentence is cut into clauses
(:mod:`nesy.learn.clauses`), its lines must be shared out among the clauses. Text and program
run in the same order, so each clause says a contiguous run of the lines (a run may be empty):
a *monotone alignment*. :func:`align_sentences` searches them all and picks, for every cut
sentence together, the one that is best by, in this order:

1. **values**: a line that mentions a name or number of the sentence (not a constant: a number that
   annotated lines also use where their sentence does not say it, like the ``2`` of ``v = 2*v``)
   belongs to a clause that says it; every such value elsewhere costs one;
2. **no silent clause**: every clause that could say a line does (one per empty clause);
3. **recurrence**: the (slotted clause, slotted run) pairs recur across the annotated problems: one
   per pair no other sentence uses, one per clause shape another sentence gives another run;
4. **association**: lines and clause words go together (Dice coefficient of a line's shape and a
   word, over the annotated sentences not cut and the cut ones' clauses as currently aligned: each
   line with its clause's best word plus each clause word with its run's best line, summed); the
   sentences are re-aligned in turn until none changes (hard EM);
5. **constants**: a constant that another clause says counts against its line's placement;
6. the earliest placement (a line is said as early as it can be).

A sentence whose line needs values that no single clause holds keeps those clauses together (the
units returned show it, so that the cutter can refuse the boundary). Nothing here knows a language or
a program syntax beyond lines and tokens.

Example:
    >>> copier = SlotCopier.fitted(["A number doubled, plus 3, then minus 4 is 17.", "What is it?"])
    >>> units = ["A number doubled,", "plus 3,", "then minus 4 is 17."]
    >>> program = "v = x\\nv = 2*v\\nv = v + 3\\nv = v - 4\\neq = Eq(v, 17)"
    >>> align_sentences([(units, program)], copier)
    [(['A number doubled,', 'plus 3,', 'then minus 4 is 17.'], ['v = x\\nv = 2*v', 'v = v + 3', 'v = v - 4\\neq = Eq(v, 17)'])]
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

from nesy.learn.lists import JOIN
from nesy.learn.slots import SLOT, WORD, SlotCopier

log = logging.getLogger(__name__)

MAX_ALIGNMENTS = 20000  #: a sentence with more monotone alignments than this keeps its clauses together
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


def _mentioned(line: str, values: Sequence[str]) -> set[str]:
    """The values a line mentions, read as the writer reads it (a longer value first: ``-14`` before ``14``)."""
    return {values[int(index) - 1] for index, _ in SLOT.findall(SlotCopier.abstract_target(line, tuple(values)))}


def _values(copier: SlotCopier, text: str) -> set[str]:
    return {v for v in copier.abstract(text)[1] if JOIN not in v}


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text) if w.isalpha()}


@dataclass(frozen=True)
class _Option:
    """One monotone alignment of a sentence: the run of lines each clause says, and what it costs."""

    runs: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]  # (slotted clause, slotted run): what recurrence counts
    local: tuple[int, int]  # (values away from the clauses that say them, silent clauses)
    soft: int  # constants away from the clause that says them
    placement: tuple[int, ...]  # the clause of each line


@dataclass(frozen=True)
class _Sentence:
    units: list[str]
    shapes: tuple[tuple[str, ...], ...]  # per line, per clause: its shape with the clause's values anonymous
    said: tuple[frozenset[str], ...]  # per clause: its words
    options: list[_Option]

    def groups(self, option: _Option) -> list[tuple[frozenset[str], set[str]]]:
        """Per clause: its words and the shapes of the lines it says under ``option``."""
        return [(said, {s[u] for s, u in zip(self.shapes, option.placement) if u == i}) for i, said in enumerate(self.said)]

    def association(self, option: _Option, dice: Callable[[str, str], float]) -> float:
        """How well lines and clause words go together: each line with its clause's best word, and each
        clause word with its best line (a clause whose word no line of its run explains scores low)."""
        total = 0.0
        for said, shapes in self.groups(option):
            total += sum(max((dice(s, w) for w in said), default=0.0) for s in shapes)
            total += sum(max((dice(s, w) for s in shapes), default=0.0) for w in said)
        return total


def constants(annotated: Sequence[tuple[str, str]]) -> set[str]:
    """Numbers that annotated (sentence, fragment) pairs use where their sentence does not say them.

    Example:
        >>> sorted(constants([("Tom loses half.", "tom = tom/2"), ("Ann has 2.", "ann = 2")]))
        ['2']
    """
    found: set[str] = set()
    for sentence, fragment in annotated:
        said = set(WORD.findall(sentence))
        found.update(n for n in _NUMBER.findall(fragment) if n not in said)
    return found


def _shape(line: str, values: Sequence[str]) -> str:
    """A line with the sentence's values as one anonymous marker (what association counts)."""
    return SLOT.sub("⟨⟩", SlotCopier.abstract_target(line, tuple(values)))


class _Counts:
    """How often line shapes and words occur, alone and together, in (words, line shapes) groups."""

    def __init__(self, groups: Sequence[tuple[frozenset[str], set[str]]] = ()) -> None:
        self.lines, self.words, self.both = Counter(), Counter(), Counter()
        self.add(groups)

    def add(self, groups: Sequence[tuple[frozenset[str], set[str]]], sign: int = 1) -> None:
        for said, shapes in groups:
            for counter, keys in ((self.lines, shapes), (self.words, said), (self.both, itertools.product(shapes, said))):
                for key in keys:
                    counter[key] += sign

    def dice(self, shape: str, word: str) -> float:
        """Dice coefficient of a line shape and a word over the groups."""
        both = self.both[shape, word]
        return 2 * both / (self.lines[shape] + self.words[word]) if both > 0 else 0.0


def _group(copier: SlotCopier, sentence: str, fragment: str, separator: str) -> tuple[frozenset[str], set[str]]:
    values = sorted(_values(copier, sentence))
    return frozenset(_words(sentence)), {_shape(line, values) for line in fragment.split(separator) if line}


def _sentence(units: Sequence[str], lines: Sequence[str], copier: SlotCopier, fixed: set[str], separator: str) -> _Sentence:
    readings = [copier.abstract(unit) for unit in units]
    held = [{v for v in slots if JOIN not in v} for _, slots in readings]
    sentence_values = sorted(set().union(*held))
    mentioned = [_mentioned(line, sentence_values) for line in lines]
    could = len(lines) >= len(units)
    options = []
    for placement in itertools.combinations_with_replacement(range(len(units)), len(lines)):
        runs = tuple(separator.join(line for line, u in zip(lines, placement) if u == i) for i in range(len(units)))
        away = [values - held[u] for values, u in zip(mentioned, placement)]
        hard = sum(len(values - fixed) for values in away)
        soft = sum(len(values & fixed) for values in away)
        silent = sum(not run for run in runs) if could else 0
        pairs = tuple((shape, copier.abstract_target(run, slots)) for (shape, slots), run in zip(readings, runs))
        options.append(_Option(runs, pairs, (hard, silent), soft, placement))
    return _Sentence(list(units), tuple(tuple(_shape(line, sorted(h)) for h in held) for line in lines),
                     tuple(frozenset(_words(unit)) for unit in units), options)


def _merged(units: list[str], lines: Sequence[str], copier: SlotCopier, fixed: set[str]) -> list[str]:
    """The units with clauses joined where a line needs values no single clause holds (with a value that is
    no constant, the constants it mentions count too: ``tom = tom + 3*2`` for "Tom gets 3 boxes," / "each holding 2.")."""
    while len(units) > 1:
        held = [_values(copier, unit) for unit in units]
        values = sorted(set().union(*held))
        span = None
        for line in lines:
            need = _mentioned(line, values)
            if need - fixed and not any(need <= h for h in held):
                starts = [i for i, h in enumerate(held) if h & need]
                span = (starts[0], starts[-1])
                break
        if span is None:
            return units
        first, last = span
        units = units[:first] + [" ".join(units[first : last + 1])] + units[last + 1 :]
    return units


def align_sentences(
    cut: Sequence[tuple[Sequence[str], str]], copier: SlotCopier, *, annotated: Sequence[tuple[str, str]] = (),
    separator: str = "\n", passes: int = 10,
) -> list[tuple[list[str], list[str]]]:
    """Each cut sentence's units (clauses, some maybe joined again) and the run of lines each one says.

    Args:
        cut: Per sentence: its units (clauses, in order) and its annotated fragment.
        copier: Reads clauses and runs as the writer does (slots).
        annotated: Every annotated (sentence, fragment) pair, cut or not (constants and association
            are counted on them; default: the cut sentences alone).
        separator: Between the lines of a fragment.
        passes: Rounds of re-choosing each sentence's alignment given the others' (recurrence).
    """
    annotated = list(annotated) or [(" ".join(units), fragment) for units, fragment in cut]
    fixed = constants(annotated)
    whole = {" ".join(units) for units, _ in cut}
    base = [_group(copier, s, f, separator) for s, f in annotated if s not in whole]  # sentences not cut
    found: list[_Sentence] = []
    for units, fragment in cut:
        lines = [line for line in fragment.split(separator) if line] if fragment else []
        units = _merged(list(units), lines, copier, fixed)
        total = math.comb(len(lines) + len(units) - 1, len(units) - 1)
        if total > MAX_ALIGNMENTS:
            log.warning("%d ways to align %d lines with %d clauses: the sentence stays whole", total, len(lines), len(units))
            units = [" ".join(units)]
        found.append(_sentence(units, lines, copier, fixed, separator))
    dice = _Counts(base + [_group(copier, " ".join(s.units), separator.join(s.options[0].runs), separator)
                           for s in found]).dice
    chosen = [min(s.options, key=lambda o: (o.local, -s.association(o, dice), o.soft, o.placement)) for s in found]
    counts = _Counts(base + [g for s, o in zip(found, chosen) for g in s.groups(o)])
    for _ in range(passes):  # hard EM: association counted on the clauses as currently aligned
        changed = False
        for i, sentence in enumerate(found):
            others = Counter(pair for j, option in enumerate(chosen) if j != i for pair in option.pairs)
            runs_of: dict[str, set[str]] = {}
            for shape, run in others:
                runs_of.setdefault(shape, set()).add(run)

            def key(option: _Option) -> tuple:
                new = sum(others[pair] == 0 for pair in option.pairs)
                clash = sum(bool(runs_of.get(shape, set()) - {run}) for shape, run in option.pairs)
                return (option.local, new + clash, -sentence.association(option, counts.dice), option.soft,
                        option.placement)

            best = min(sentence.options, key=key)
            if key(best) < key(chosen[i]):
                counts.add(sentence.groups(chosen[i]), -1)
                counts.add(sentence.groups(best))
                chosen[i], changed = best, True
        if not changed:
            break
    return [(s.units, list(option.runs)) for s, option in zip(found, chosen)]


__all__ = ["MAX_ALIGNMENTS", "align_sentences", "constants"]
