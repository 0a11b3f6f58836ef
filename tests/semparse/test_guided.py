"""Execution-guided choice: the best reading that runs on the question's world wins over a better-scored one that fails."""

import pytest

from nesy.semparse.grammar import Rule
from nesy.semparse.guided import first_defined
from nesy.semparse.lexicon import Lexicon
from nesy.semparse.semantic_parser import SemanticParser
from nesy.semparse.tree import HOLE, SLOT, Tree, evaluate, to_text
from nesy.solvers.dsl.language import DSL

NUMBERS = {"two": 2, "three": 3, "six": 6, "zero": 0}
HOLE0, HOLE1 = Tree(kind=HOLE, index=0), Tree(kind=HOLE, index=1)
WORD = Rule("n", ("<int>",), Tree(kind=SLOT, index=0))
# "[n] per [n]": read as division (kept more often) or as multiplication; division by zero fails
DIVIDE = Rule("^", ("[n]", "per", "[n]"), Tree("div", (HOLE0, HOLE1)))
TIMES = Rule("^", ("[n]", "per", "[n]"), Tree("mul", (HOLE0, HOLE1)))


def _dsl():
    dsl = DSL("numbers")
    dsl.primitive("div", ["int", "int"], "int", lambda a, b: a // b if b else (_ for _ in ()).throw(ZeroDivisionError("by zero")))
    dsl.primitive("mul", ["int", "int"], "int", lambda a, b: a * b)
    for name, value in NUMBERS.items():
        dsl.constant(name, "int", value)
    return dsl


def _runs(dsl):
    def defined(pairs):
        out = []
        for _, tree in pairs:
            try:
                evaluate(dsl, tree)
                out.append(True)
            except Exception:
                out.append(False)
        return out
    return defined


def test_the_best_reading_that_runs_is_chosen_and_the_best_parse_stays_where_none_fails():
    parser = SemanticParser(Lexicon({w: w for w in NUMBERS}), {w: "int" for w in NUMBERS}, {WORD: 10.0, DIVIDE: 5.0, TIMES: 1.0})
    questions = [("six", "per", "zero"), ("six", "per", "two"), ("six", "and", "two")]
    candidates = [parser.candidates(q) for q in questions]
    assert [[to_text(t) for t in c] for c in candidates] == [["div(six, zero)", "mul(six, zero)"],
                                                             ["div(six, two)", "mul(six, two)"], []]
    chosen = first_defined(candidates, _runs(_dsl()))
    assert [to_text(t) if t is not None else None for t in chosen] == ["mul(six, zero)", "div(six, two)", None]
    assert parser.program(("six", "per", "zero")) == "div(six, zero)"  # the plain best parse is unchanged


def test_no_reading_runs_keeps_the_best_parse_and_a_short_batch_is_refused():
    assert first_defined([["a", "b"]], lambda pairs: [False, False]) == ["a"]
    with pytest.raises(ValueError, match="2 readings run but 1 verdicts"):
        first_defined([["a", "b"]], lambda pairs: [True])
