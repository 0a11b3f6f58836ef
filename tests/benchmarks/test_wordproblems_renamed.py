"""The word-problems learner knows no suite words: with every word but the names renamed, it still learns.

Every word of the stories (items, verbs, question words; not the people's names) is replaced by a
made-up word through one seeded bijection, for training and test alike; the gold programs stay as
they are. The same learner, with the suite's options, must learn the renamed suite from 20 annotated
programs plus answers.
"""

from __future__ import annotations

import dataclasses
import random
import re

import torch

from nesy.benchmarks.nlnames import FEMALE, MALE
from nesy.benchmarks.nlprog import load
from nesy.benchmarks.nlprog_suite import DEFAULTS, WordProblemsSuite, _learn_config
from nesy.learn.textprog import TextProblem, learn_text_programs

NAMES = set(MALE) | set(FEMALE)


def renaming(sentences: list[str], seed: int = 1) -> dict[str, str]:
    """A bijection from every (lower-cased) non-name word of ``sentences`` to a made-up word."""
    rng, out = random.Random(seed), {}
    for word in sorted({w.lower() for s in sentences for w in re.findall(r"[A-Za-z]+", s) if w not in NAMES}):
        while True:
            made_up = "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(3))
            if made_up not in out.values():
                out[word] = made_up
                break
    return out


def renamed(sentence: str, mapping: dict[str, str]) -> str:
    def one(match: re.Match) -> str:
        word = match.group()
        if word in NAMES:
            return word
        new = mapping[word.lower()]
        return new.capitalize() if word[0].isupper() else new
    return re.sub(r"[A-Za-z]+", one, sentence)


def test_the_learner_learns_the_suite_with_every_word_renamed(tmp_path):
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the solver workers use the other core
    data = load("wordproblems", "iid", n_train=120, n_test=40, seed=0)
    mapping = renaming([s for p in data.train + data.test for s in p.sentences])
    view = lambda p, annotated: TextProblem(  # noqa: E731
        p.id, tuple(renamed(s, mapping) for s in p.sentences), p.answer, p.fragments if annotated else None)
    train = [view(p, i < 20) for i, p in enumerate(data.train)]
    test = [view(p, False) for p in data.test]
    assert "apples" not in " ".join(s for p in train for s in p.sentences)  # nothing of the suite's words is left
    options = {**DEFAULTS, **WordProblemsSuite.own_defaults, "rounds": 3, "k": 16, "monitor": 0}
    config = _learn_config(options, seed=0)
    try:
        results = learn_text_programs(train, test, data.solver, tmp_path / "run",
                                      dataclasses.replace(config, baselines=False), workers=2)
    finally:
        torch.set_num_threads(threads)
    assert results["annotated_programs"] == 20
    assert results["train_verified"] >= 0.9
    assert results["accuracy"] >= 0.85
