"""Renamed words: the writer reads puzzles whose every lower-case word is invented exactly as it reads the originals.

List words become slots by shape, unlisted openers become words by their place in the text, and
annotation is chosen from the slotted shapes, so renaming the vocabulary changes no decision.
"""

from __future__ import annotations

import re

import pytest

from nesy.benchmarks.nlprog import load
from nesy.benchmarks.nlprog_suite import KinshipSuite, PuzzlesSuite
from nesy.errors import NesyError
from nesy.learn.annotate import choose_for_annotation
from nesy.learn.fragments import FragmentWriter
from nesy.learn.slots import SlotCopier


def invented(word: str) -> str:
    """A made-up word for ``word`` (one-to-one: the word reversed, between two fixed letters)."""
    return "q" + word[::-1] + "x"


def rename(text: str) -> str:
    return re.sub(r"\b[a-z]+\b", lambda m: invented(m.group()), text)


def test_renamed_puzzles_read_into_the_same_shapes_with_invented_words():
    data = load("puzzles", "iid", n_train=60, n_test=30, seed=1)
    original = [p.sentences for p in data.train + data.test]
    renamed = [tuple(rename(s) for s in sentences) for sentences in original]
    writers = [FragmentWriter(SlotCopier.fitted(s for t in texts[:60] for s in t)) for texts in (original, renamed)]
    listed = 0
    for before, after in zip(original, renamed):
        for (source, slots), (new_source, new_slots) in zip(writers[0].reading(before), writers[1].reading(after)):
            assert new_source == rename(source)
            assert new_slots == tuple(rename(v) if v.islower() else v for v in slots)
            listed += any(v.islower() for v in slots)  # a value like "fish" copied as a slot
    assert listed >= 10
    n = 10
    assert choose_for_annotation(renamed[:60], n, writers[1].copier) == \
        choose_for_annotation(original[:60], n, writers[0].copier)


def test_the_suite_renames_training_and_test_texts_alike_and_the_gold_programs_still_verify():
    data = load("puzzles", "iid", n_train=20, n_test=10, seed=2)
    renamed = PuzzlesSuite().renamed(data, 5)
    mapping: dict[str, set[str]] = {}
    for before, after in zip(data.train + data.test, renamed.train + renamed.test):
        for old, new in zip(before.sentences, after.sentences):
            old_words, new_words = re.findall(r"[A-Za-z]+", old), re.findall(r"[A-Za-z]+", new)
            assert len(old_words) == len(new_words)
            for a, b in zip(old_words, new_words):
                mapping.setdefault(a.lower(), set()).add(b.lower())
    renamed_words = {a: b.pop() for a, b in mapping.items() if len(b) == 1}
    assert len(renamed_words) == len(mapping)  # one new word per word, in training and test texts alike
    assert len(set(renamed_words.values())) == len(renamed_words)  # and no two words merged
    assert sum(a != b for a, b in renamed_words.items()) > 50
    for problem in renamed.train + renamed.test:
        assert data.solver.check(problem.program, None, problem.answer).status.value == "ok"
    with pytest.raises(NesyError, match="permute-vocab"):
        KinshipSuite().renamed(load("kinship", "iid", n_train=2, n_test=1, seed=0), 5)
