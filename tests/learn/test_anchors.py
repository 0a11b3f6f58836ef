"""Choosing training fragments by anchoring: mirrored readings that verify too do not win by numbers.

The programs here are real z3 ordering puzzles checked by the puzzle checker: a reading of every
sentence from the other end verifies as well as the right one, so only the annotated program can
tell the two apart.
"""

from __future__ import annotations

from nesy.benchmarks.puzzles.checker import PuzzleChecker
from nesy.learn.anchors import Vouch, anchored_choice
from nesy.learn.edits import edits, numbers

HEADER = "(declare-datatype Entity ((ann) (bob) (cy)))\n(define-const n Int 3)\n(declare-fun pos (Entity) Int)"
TALLER, SHORTER, TALLEST = "A is taller than B.", "A is shorter than B.", "Who is the tallest?"
RIGHT = {TALLER: "(assert (> (pos {a}) (pos {b})))", SHORTER: "(assert (< (pos {a}) (pos {b})))",
         TALLEST: "(declare-const answer Entity)\n(assert (= (pos answer) n))"}
MIRROR = {TALLER: "(assert (< (pos {a}) (pos {b})))", SHORTER: "(assert (> (pos {a}) (pos {b})))",
          TALLEST: "(declare-const answer Entity)\n(assert (= (pos answer) 1))"}


def program(reading: dict[str, str], clues: list[tuple[str, str, str]], question: bool) -> str:
    parts = [HEADER] + [reading[kind].format(a=a, b=b) for kind, a, b in clues]
    return "\n".join(parts + [reading[TALLEST]] if question else parts)


def test_a_mirrored_reading_verifies_too_but_anchored_programs_decide():
    checker = PuzzleChecker()
    # "Cy is taller than Bob. Bob is shorter than... " : cy > bob > ann, so the tallest is cy
    clues = [(TALLER, "cy", "bob"), (SHORTER, "ann", "bob")]
    for reading in (RIGHT, MIRROR):
        assert checker.check(program(reading, clues, True), None, "cy").status.value == "ok"
    mixed = dict(RIGHT, **{SHORTER: MIRROR[SHORTER]})
    assert checker.check(program(mixed, clues, True), None, "cy").status.value != "ok"

    pair = lambda reading, kind: (kind, reading[kind])  # noqa: E731  (sentence shapes as the writer reads them)
    gold = Vouch((("intro", HEADER), pair(RIGHT, TALLER)), 1000)
    anchored = Vouch((("intro", HEADER), pair(RIGHT, TALLER), pair(RIGHT, SHORTER)))
    mirrored = Vouch((("intro", HEADER), pair(MIRROR, SHORTER), pair(MIRROR, TALLEST)))
    chosen = dict(anchored_choice([gold, anchored] + [mirrored] * 5))
    assert chosen[SHORTER] == RIGHT[SHORTER] and chosen[TALLER] == RIGHT[TALLER]
    assert TALLEST not in chosen  # its only programs read "shorter" against an anchor: they teach nothing
    plain = dict(anchored_choice([gold, anchored] + [mirrored] * 5, gold_weight=10**9))  # no anchors: votes decide
    assert plain[SHORTER] == MIRROR[SHORTER]


def test_trust_spreads_one_unknown_sentence_at_a_time():
    chain = [Vouch((("s0", "f0"),), 1000), Vouch((("s0", "f0"), ("s1", "good1"))),
             Vouch((("s1", "good1"), ("s2", "good2"))), Vouch((("s2", "good2"), ("s3", "good3")))]
    rivals = [Vouch((("s1", "bad1"), ("s2", "bad2"), ("s3", "bad3")))] * 3
    chosen = dict(anchored_choice(chain + rivals))
    assert chosen == {"s0": "f0", "s1": "good1", "s2": "good2", "s3": "good3"}


def test_number_edits_turn_a_borrowed_slot_into_a_number_the_programs_use():
    fragment = "(declare-const answer Entity)\n(assert (= (pos answer) (- (+ n 1) ⟨1⟩)))"
    found = edits("Counting from the tallest, who is third?", fragment, set(), set(), {"1", "3"})
    assert "(declare-const answer Entity)\n(assert (= (pos answer) (- (+ n 1) 3)))" in found
    kept = edits("Who is number ⟨1⟩?", fragment, set(), set(), {"3"})  # the sentence has the slot: kept
    assert all("⟨1⟩" in e for e in kept)
    assert numbers("(assert (= (pos ⟨1l⟩) (- (+ n 1) 2)))") == {"1", "2"}
