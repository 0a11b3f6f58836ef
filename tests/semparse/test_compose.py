"""Candidates built from phrases already read: long yes/no questions whose programs no plain search reaches.

An arithmetic language: short questions ("what is three times four , plus two ?") teach the phrases; the
long ones ("is three times four more than two plus five ?") have four number words, more than
the plain search takes (``max_constants=3``), and a yes/no answer. Only the search over phrases
(:mod:`nesy.semparse.compose`) reads them, and the reading must hold on held-out numbers.
"""

import itertools
from contextlib import nullcontext

import pytest

from nesy.errors import NesyError
from nesy.semparse.compose import compose_step, phrase_atoms
from nesy.semparse.learner import Example, LearnConfig, learn_parser
from nesy.semparse.tree import to_text
from nesy.solvers.dsl.language import DSL

WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def _dsl():
    dsl = DSL("arith")
    _ = dsl.primitive("add", ["int", "int"], "int", lambda a, b: a + b)
    _ = dsl.primitive("mul", ["int", "int"], "int", lambda a, b: a * b)
    _ = dsl.primitive("more", ["int", "int"], "bool", lambda a, b: a > b)
    _ = dsl.primitive("same", ["int", "int"], "bool", lambda a, b: a == b)
    for name, value in WORDS.items():
        _ = dsl.constant(name, "int", value)
    return dsl


OPS = {"times": ("mul", lambda a, b: a * b), "plus": ("add", lambda a, b: a + b)}


def _examples(pairs):
    out = [Example((a,), WORDS[a], nullcontext, "int") for a in WORDS for _ in range(3)]
    for n, (a, b, c) in enumerate(itertools.product(WORDS, repeat=3)):
        (op, (_, f)), (then, (_, g)) = list(OPS.items())[:: 1 if n % 2 else -1]
        if n % 3 == 0:
            out.append(Example(("what", "is", a, op, b, ",", then, c, "?"), g(f(WORDS[a], WORDS[b]), WORDS[c]), nullcontext, "int"))
    for (a, op1, b), (c, op2, d) in pairs:
        left, right = OPS[op1][1](WORDS[a], WORDS[b]), OPS[op2][1](WORDS[c], WORDS[d])
        out.append(Example(("is", a, op1, b, "more", "than", c, op2, d, "?"), left > right, nullcontext, "bool"))
    return out


TERMS = [(a, op, b) for a in WORDS for op in OPS for b in WORDS]
TRAIN = [(TERMS[i], TERMS[(7 * i + 3) % len(TERMS)]) for i in range(0, len(TERMS), 2)]
CONFIG = dict(lexicon_examples=100, lexicon_max_size=6, max_constants=3, search_steps=200_000)


@pytest.fixture(scope="module")
def learned():
    return learn_parser(_dsl(), _examples(TRAIN), LearnConfig(**CONFIG))


def test_long_yes_no_questions_are_read_from_their_learned_phrases(learned):
    parser, stats = learned
    assert stats["composed_with_candidates"] > 0
    words = "is three times four more than six plus five ?".split()
    assert parser.program(words) == "more(mul(three, four), add(six, five))"
    held_out = [(TERMS[i], TERMS[(5 * i + 1) % len(TERMS)]) for i in range(1, len(TERMS), 2)]
    right = 0
    for (a, op1, b), (c, op2, d) in held_out:
        tree = parser.parse(("is", a, op1, b, "more", "than", c, op2, d, "?"))
        right += tree is not None and to_text(tree) == f"more({OPS[op1][0]}({a}, {b}), {OPS[op2][0]}({c}, {d}))"
    assert right / len(held_out) >= 0.95


def test_without_the_phrase_search_the_long_questions_are_not_read():
    parser, stats = learn_parser(_dsl(), _examples(TRAIN), LearnConfig(**CONFIG, compose=False))
    assert "composed" not in stats
    assert parser.program("is three times four more than six plus five ?".split()) != "more(mul(three, four), add(six, five))"


def test_phrases_the_grammar_parses_are_offered_with_their_values(learned):
    parser, _ = learned
    words = "is three times four more than six plus five ?".split()
    atoms = phrase_atoms(_dsl(), parser, words, [1, 3, 6, 8])
    found = {(a.program, a.value, a.first, a.last) for a in atoms}
    assert ("mul(three, four)", 12, 0, 1) in found and ("add(six, five)", 11, 2, 3) in found


def test_questions_the_grammar_does_not_read_are_searched_first(learned):
    parser, _ = learned
    examples = _examples(TRAIN)
    long = [i for i, ex in enumerate(examples) if len(ex.tokens) == 10]
    verified = [False] * len(examples)
    for i in long[::2]:
        verified[i] = True  # read already: searched only after every unread one
    unread = [i for i in long if not verified[i]]
    config = LearnConfig(**CONFIG, compose_searched=len(unread), compose_unread_share=None)
    composed = compose_step(_dsl(), examples, parser, config, lambda *a: None, {}, verified)
    assert any(composed[i] for i in unread)
    assert not any(composed[i] for i in long if verified[i])


def test_unread_questions_take_at_most_their_share_of_the_picks(learned):
    parser, _ = learned
    examples = _examples(TRAIN)
    long = [i for i, ex in enumerate(examples) if len(ex.tokens) == 10]
    verified = [True] * len(examples)
    for i in long[1::2]:
        verified[i] = False  # every other long question is not read yet
    unread = [i for i in long if not verified[i]]
    stats: dict = {}  # 4 picks, at most half of them unread: the pool ends before the third unread question
    config = LearnConfig(**CONFIG, compose_searched=4, compose_unread_share=0.5)
    composed = compose_step(_dsl(), examples, parser, config, lambda *a: None, stats, verified)
    assert stats["compose_pool"] == unread[2]
    assert not any(composed[i] for i in range(unread[2], len(examples)))
    assert any(composed[i] for i in long if verified[i] and i < unread[2])  # read ones get the other picks
    for bad in (0.0, 1.5):
        with pytest.raises(NesyError, match="compose_unread_share"):
            LearnConfig(compose_unread_share=bad)
