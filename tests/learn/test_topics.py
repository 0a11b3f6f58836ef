"""Topic words: a story's repeated, rarely used word reads as one marker, found by counts for any vocabulary."""

from __future__ import annotations

import random
import re

from nesy.benchmarks.wordproblems.data import generate
from nesy.learn.fragments import FragmentWriter, WriterConfig
from nesy.learn.slots import SlotCopier
from nesy.learn.topics import MARK, TopicWords


def renamed(sentences, mapping):
    """Sentences with every word in ``mapping`` replaced (whole words)."""
    return tuple(re.sub(r"[a-z]+", lambda m: mapping.get(m.group(), m.group()), s) for s in sentences)


def test_item_words_are_topics_and_program_words_or_common_words_are_not():
    problems = generate("iid", 200, seed=3)
    topics = TopicWords.fitted((p.sentences for p in problems), (p.program for p in problems[:20]))
    for p in problems:
        words = topics.of(p.sentences)
        if p.meta["family"] in ("think", "linear"):
            assert not words, (p.sentences, words)
        else:  # the item ("apples", "toy cars") is in every sentence of a change or compare story
            assert words and all(w in p.sentences[0] for w in words), (p.sentences, words)
    assert "number" not in topics.of(["Ann thinks of a number.", "Ann doubles the number.", "The number is 4."])
    program_word = TopicWords.fitted([["x"]] * 40, ["apples = 3"])
    assert not program_word.of(["Tom has 2 apples.", "Tom eats 1 apples.", "How many apples?"])


def test_renamed_items_read_the_same_as_the_originals():
    problems = generate("iid", 120, seed=4)
    items = sorted({w for p in problems if p.meta["family"] == "change"
                    for w in TopicWords.fitted([p.sentences for p in problems]).of(p.sentences)})
    rng = random.Random(0)
    mapping = {w: "".join(rng.choice("bdfgklmnprstvz") for _ in range(7)) for w in items}  # words never seen
    train = [p.sentences for p in problems]
    copier = SlotCopier.fitted(s for sentences in train for s in sentences)
    writer = FragmentWriter(copier, config=WriterConfig(), topics=TopicWords.fitted(train))
    for p in problems[:40]:
        if p.meta["family"] != "change":
            continue
        original = writer.reading(p.sentences)
        assert writer.reading(renamed(p.sentences, mapping)) == original
        assert all(MARK in source for source, _ in original)
