"""Grammar induction learns compositional languages from pairs alone, whatever their words."""

from __future__ import annotations

import random

import pytest

from nesy.grammar.induce import GrammarInducer
from nesy.grammar.rules import JUXT, Grammar, ParseError, Role, to_program
from nesy.grammar.seqdsl import sequence_solver
from nesy.verdict import Status

def test_learns_an_invented_language_and_generalises_to_longer_sentences(invented_language):
    train, test = invented_language
    report = GrammarInducer().induce(train)
    assert report.train_accuracy == 1.0 and not report.unresolved
    assert all(report.grammar.interpret(s.split()) == t.split() for s, t in test)
    assert report.grammar.roles["fep"].kind == "postfix" and report.grammar.roles["fep"].template == ("A",) * 5


def test_the_same_learner_is_blind_to_names(invented_language):
    train, test = invented_language
    rng = random.Random(0)
    words = sorted({w for s, _ in train for w in s.split()})
    renamed = dict(zip(words, rng.sample([f"w{i}" for i in range(len(words))], len(words))))

    def rename(pairs):
        return [(" ".join(renamed[w] for w in s.split()), t.lower()) for s, t in pairs]

    report = GrammarInducer().induce(rename(train))
    assert report.train_accuracy == 1.0
    assert all(report.grammar.interpret(s.split()) == t.split() for s, t in rename(test))


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
