"""Renamed words: the writer reads puzzles whose every lower-case word is invented exactly as it reads the originals.

List words become slots by shape, unlisted openers become words by their place in the text, and
annotation is chosen from the slotted shapes, so renaming the vocabulary changes no decision.
"""

from __future__ import annotations

import re

from nesy.benchmarks.nlprog import load
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
