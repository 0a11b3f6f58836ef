"""Grammar induction learns compositional languages from pairs alone, whatever their words."""

from __future__ import annotations

import itertools
import random

import pytest

from nesy.grammar.induce import GrammarInducer
from nesy.grammar.rules import JUXT, Grammar, ParseError, Role, to_program
from nesy.grammar.seqdsl import sequence_solver
from nesy.verdict import Status

# An invented language (not SCAN): three nouns, a colour modifier by juxtaposition, a "fep" that
# repeats five times, a "kiki" that mirrors, and two connectives with different orders.
NOUNS = {"dax": "RED", "wif": "BLUE", "lug": "GREEN"}
MODS = {"zup": "UP", "mip": "DOWN"}


def _meaning(words: list[str]) -> list[str]:
    """Reference semantics of the invented language, used only to make data."""
    for conn, flip in (("blicket", True), ("tufa", False)):  # lowest precedence, binary
        if conn in words:
            i = words.index(conn)
            a, b = _meaning(words[:i]), _meaning(words[i + 1 :])
            return b + a + b if flip else a + b
    if words[-1] == "fep":
        return _meaning(words[:-1]) * 5
    if len(words) == 3 and words[1] == "kiki":  # A kiki B -> B A A B
        a, b = _meaning(words[:1]), _meaning(words[2:])
        return b + a + a + b
    if len(words) == 2:
        return [MODS[words[1]], NOUNS[words[0]]]
    return [NOUNS[words[0]]]


def _phrases() -> list[list[str]]:
    atoms = [[n] for n in NOUNS] + [[n, m] for n in NOUNS for m in MODS]
    basic = atoms + [a + ["kiki"] + b for a in ([[n] for n in NOUNS]) for b in ([[m] for m in MODS] + [[n] for n in NOUNS])]
    basic = [p for p in basic if not (len(p) == 3 and p[2] in MODS)]  # kiki joins nouns only
    verbs = basic + [p + ["fep"] for p in basic]
    sentences = verbs + [a + [c] + b for a, b in itertools.product(verbs, repeat=2) for c in ("blicket", "tufa")]
    return sentences


def _pairs(sentences):
    return [(" ".join(s), " ".join(_meaning(s))) for s in sentences]


def test_learns_an_invented_language_and_generalises_to_longer_sentences():
    sentences = _phrases()
    short = [s for s in sentences if len(s) <= 5]
    long = [s for s in sentences if len(s) > 5]
    report = GrammarInducer().induce(_pairs(short))
    assert report.train_accuracy == 1.0 and not report.unresolved
    assert all(report.grammar.interpret(s) == _meaning(s) for s in long)
    assert report.grammar.roles["fep"].kind == "postfix" and report.grammar.roles["fep"].template == ("A",) * 5


def test_the_same_learner_is_blind_to_names():
    rng = random.Random(0)
    sentences = [s for s in _phrases() if len(s) <= 5]
    words = sorted({w for s in sentences for w in s})
    renamed = dict(zip(words, rng.sample([f"w{i}" for i in range(len(words))], len(words))))
    pairs = [(" ".join(renamed[w] for w in s), " ".join(t.lower() for t in _meaning(s))) for s in sentences]
    report = GrammarInducer().induce(pairs)
    assert report.train_accuracy == 1.0


def test_an_inconsistent_language_is_reported_not_hidden():
    pairs = [("a", "X"), ("b", "Y"), ("a b", "Y X"), ("b a", "X X X")]
    report = GrammarInducer().induce(pairs)
    assert report.train_accuracy < 1.0 and report.failures


def test_derivations_are_programs_the_dsl_backend_verifies():
    g = Grammar(
        {"x": Role("atom", ("X",)), "l": Role("atom", ("L",)), "twice": Role("postfix", ("A", "A"), 1)},
        Role("infix", ("B", "A"), 2),
    )
    program = to_program(g.parse("x l twice".split()))
    verdict = sequence_solver().check(program, expected=["L", "X", "L", "X"])
    assert verdict.status is Status.OK
    with pytest.raises(ParseError):
        g.parse(["twice"])
    assert Grammar.from_dict(g.to_dict()) == g
    assert JUXT in g.describe() or "A B" in g.describe()
