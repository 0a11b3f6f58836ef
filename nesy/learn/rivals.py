"""Discriminating verification: a verified program vouches for a reading only where a rival reading fails.

A sentence may have two readings that both verify on a small problem: "X is immediately left of Y"
read as plain ``(< x y)`` verifies wherever the weaker constraint still leaves the unique answer,
and "X came in second" read as place 1 verifies whenever the asked person lands on the asked place
anyway. Such a verification says nothing about which reading is right. So each needed fragment of
a verified program is put to the test: its sentence's *rival* fragments (the other fragments
verified programs gave that sentence shape, and the writer's best alternatives for it) are put in
its place, one at a time, and checked again. Where no rival verifies, the verification
*discriminates*: the checker forced this fragment. Where a rival verifies too, it is ambiguous.

:func:`prefer_discriminating` turns the verdicts into votes: for a sentence shape that some program
(or an annotated one) vouches for discriminatingly, the ambiguous programs cast no vote for it; for
one that none does, votes are taken as before (keeping both readings of a tie in training made the
writer's choice between them a coin toss at test time). Nothing here knows a task: it compares
strings; the solver decided which substitutes verify.

Example:
    >>> weak = Vouch((("intro", "decl"), ("X just before Y", "(< x y)"), ("who", "q")))
    >>> strong = Vouch((("intro", "decl"), ("X just before Y", "(= (+ x 1) y)"), ("who", "q")))
    >>> # the weak reading verified, and so did the strong one in its place: ambiguous
    >>> # the strong reading verified where the weak one in its place failed: discriminating
    >>> out = prefer_discriminating([weak, strong], {(0, "X just before Y"): {"(= (+ x 1) y)"}})
    >>> [dict(v.pairs).get("X just before Y") for v in out]
    [None, '(= (+ x 1) y)']
    >>> out[0].seen
    ('X just before Y',)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from nesy.learn.anchors import Vouch

Ambiguity = Mapping[tuple[int, str], "set[str]"]  #: (record index, sentence) -> rivals that verified in its place


@dataclass(frozen=True)
class Probe:
    """One rival put in a fragment's place: which record and sentence, the rival, and the program to check."""

    record: int
    source: str
    rival: str
    text: str
    program: str


def rivals_of(records: Sequence[Vouch], alternatives: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Per sentence shape: the fragments verified programs vouch for, then the writer's alternatives.

    Example:
        >>> rivals_of([Vouch((("s", "a"),)), Vouch((("s", "b"),))], {"s": ["c", "a"]})
        {'s': ['a', 'b', 'c']}
    """
    out: dict[str, list[str]] = {}
    for record in records:
        for source, target in record.pairs:
            out.setdefault(source, [])
            if target not in out[source]:
                out[source].append(target)
    for source, found in alternatives.items():
        if source in out:
            out[source] += [target for target in found if target not in out[source]]
    return out


def probes(
    records: Sequence[Vouch], programs: Sequence[tuple[str, Sequence[str], Sequence[tuple[str, tuple[str, ...]]]]],
    rivals: Mapping[str, Sequence[str]], restore: Callable[[str, tuple[str, ...]], "str | None"],
    join: Callable[[Sequence[str]], str], gold_weight: int,
) -> list[Probe]:
    """Every (record, needed sentence, rival) substitution of the sampled records, as programs to check.

    A rival that gives the very same program in this text (a slot whose value here equals a number the
    other reading writes: ``(- (+ n 1) ⟨1⟩)`` and ``(- (+ n ⟨1⟩) ⟨1⟩)`` where ⟨1⟩ is 1) is a probe too: it
    verifies as the program did, so the text cannot tell the two readings apart.

    Args:
        records: The verified programs' vouches (annotated ones, of ``gold_weight`` or more, are not probed).
        programs: Per record: its text, its fragments and its reading (slotted sentence and slot values per sentence).
        rivals: Per slotted sentence: the rival slotted fragments.
        restore: Puts a sentence's slot values into a slotted fragment (None: the fragment names a slot it lacks).
        join: Joins fragments into a program.
        gold_weight: See ``records``.
    """
    out = []
    for index, (record, (text, fragments, reading)) in enumerate(zip(records, programs)):
        if record.weight >= gold_weight:
            continue
        for source, target in record.pairs:
            for rival in rivals.get(source, ()):
                changed = substitute(fragments, reading, source, rival, restore) if rival != target else None
                if changed is not None:  # the same program when the text's numbers make the two readings alike
                    out.append(Probe(index, source, rival, text, join(changed)))
    return out


def substitute(fragments: Sequence[str], reading: Sequence[tuple[str, tuple[str, ...]]], source: str, target: str,
               restore: Callable[[str, tuple[str, ...]], "str | None"]) -> list[str] | None:
    """The fragments with every sentence of shape ``source`` written as ``target`` (None: a slot it lacks).

    Example:
        >>> fill = lambda fragment, slots: fragment.replace("<1>", slots[0]) if slots else None
        >>> substitute(["a", "b", "c"], [("s", ("x",)), ("t", ()), ("s", ("y",))], "s", "f(<1>)", fill)
        ['f(x)', 'b', 'f(y)']
    """
    changed = list(fragments)
    for i, (other, slots) in enumerate(reading):  # the same sentence shape reads the same everywhere
        if other == source:
            restored = restore(target, slots)
            if restored is None:
                return None
            changed[i] = restored.strip()
    return changed


def ambiguity(found: Sequence[Probe], verified: Sequence[bool]) -> dict[tuple[int, str], set[str]]:
    """(record, sentence) -> the rivals that verified in the fragment's place.

    Example:
        >>> ambiguity([Probe(0, "s", "b", "t", "p1"), Probe(0, "s", "c", "t", "p2")], [False, True])
        {(0, 's'): {'c'}}
    """
    out: dict[tuple[int, str], set[str]] = {}
    for probe, ok in zip(found, verified):
        if ok:
            out.setdefault((probe.record, probe.source), set()).add(probe.rival)
    return out


def prefer_discriminating(records: Sequence[Vouch], ambiguous: Ambiguity, gold_weight: int = 1000,
                          preferred: Mapping[str, str] | None = None) -> list[Vouch]:
    """The records with their ambiguous pairs demoted to ``seen`` where the sentence has discriminating evidence.

    Args:
        records: The verified programs' vouches.
        ambiguous: Per (record index, sentence): the rival fragments that verified in its place.
        gold_weight: Records of at least this weight are annotated (kept as they are, and discriminating).
        preferred: Per sentence, a fragment to vouch for where the evidence does not decide: an ambiguous
            pair of a sentence without discriminating evidence vouches for it instead when it is one of
            the rivals that verified in its place (the checker accepted that program too).

    Returns:
        The records, in order.

    Example:
        >>> record = Vouch((("intro", "decl"), ("who 2nd from top", "(= x 2)")))
        >>> ambiguous = {(0, "who 2nd from top"): {"(= x (- (+ n 1) 2))"}}
        >>> prefer_discriminating([record], ambiguous, preferred={"who 2nd from top": "(= x (- (+ n 1) 2))"})[0].pairs
        (('intro', 'decl'), ('who 2nd from top', '(= x (- (+ n 1) 2))'))
    """
    decided = {source for index, record in enumerate(records) for source, _ in record.pairs
               if record.weight >= gold_weight or not ambiguous.get((index, source))}
    preferred = preferred or {}
    out: list[Vouch] = []
    for index, record in enumerate(records):
        doubtful = {source: ambiguous[index, source] for source, _ in record.pairs
                    if record.weight < gold_weight and ambiguous.get((index, source))}
        if not doubtful:
            out.append(record)
            continue
        dropped = tuple(source for source in doubtful if source in decided)
        kept = tuple((source, preferred[source] if source not in decided and preferred.get(source) in doubtful[source]
                      else target) for source, target in record.pairs if source not in dropped)
        out.append(Vouch(kept, record.weight, record.seen + dropped))
    return out


__all__ = ["Ambiguity", "Probe", "ambiguity", "prefer_discriminating", "probes", "rivals_of", "substitute"]
