"""Span rules read off aligned (question, program) pairs, and the chart parser composing them."""

import pytest

from nesy.errors import NesyError
from nesy.semparse.grammar import ROOT, extract
from nesy.semparse.parser import ChartParser, lead_ins
from nesy.semparse.tree import CONST, Tree, to_text

TYPES = {"red": "color", "blue": "color", "cube": "shape", "ball": "shape", "left": "relation", "behind": "relation"}
RETURNS = {"count": "int", "filter_color": "objset", "filter_shape": "objset", "relate": "objset", "unique": "object", "scene": "objset"}


def c(name, slot):
    return Tree(name, (), CONST, slot)


def call(name, *args):
    return Tree(name, tuple(args))


def obj(shape, slot):
    return call("unique", call("filter_shape", call("scene"), c(shape, slot)))


def one_hop(color, relation, shape):
    """'how many <color> things are <relation> of the <shape> ?' and its program (slots 0, 1, 2)."""
    words = f"how many {color} things are {relation} of the {shape} ?".split()
    program = call("count", call("filter_color", call("relate", obj(shape, 2), c(relation, 1)), c(color, 0)))
    return words, [2, 5, 8], program


def test_rules_are_one_per_span_with_typed_slots_and_labelled_holes():
    words, positions, program = one_hop("red", "left", "cube")
    rules = extract(words, positions, program, TYPES, RETURNS)
    assert [(r.label, " ".join(r.text), r.fragment_text) for r in rules] == [
        (ROOT, "how many [filter_color] ?", "count(@0)"),
        ("filter_color", "<color> things are [relate]", "filter_color(@0, $0)"),
        ("relate", "<relation> of the [unique.filter_shape]", "relate(@0, $0)"),
        ("unique.filter_shape", "<shape>", "unique(filter_shape(scene(), $0))"),
    ]
    assert rules[0].type == "int" and rules[-1].type == "object"


def test_a_program_that_is_not_projective_is_refused():
    words, _, program = one_hop("red", "left", "cube")
    with pytest.raises(NesyError, match="not projective"):
        extract(words, [2, 8, 5], program, TYPES, RETURNS)


def test_rules_from_one_relation_compose_into_a_chain_of_two():
    counts = {}
    for rule in extract(*one_hop("red", "left", "cube"), TYPES, RETURNS):
        counts[rule] = counts.get(rule, 0) + 1
    # "the ball that is behind the cube" as an object: from a question that queries it
    words = "what is the ball that is behind the cube ?".split()
    program = call("count", call("unique", call("filter_shape", call("relate", obj("cube", 2), c("behind", 1)), c("ball", 0))))
    for rule in extract(words, [3, 6, 8], program, TYPES, RETURNS):
        counts[rule] = counts.get(rule, 0) + 1
    parser = ChartParser(counts, backoff=8.0)
    question = "how many blue things are left of the ball that is behind the cube ?".split()
    lexical = [(w, TYPES[w]) if w in TYPES else None for w in question]
    best = parser.parse(question, lexical)[0]
    assert to_text(best.program) == (
        "count(filter_color(relate(unique(filter_shape(relate(unique(filter_shape(scene(), cube)), behind), ball)), left), blue))"
    )
    assert parser.parse("how many blue things are ?".split(), [None, None, ("blue", "color"), None, None, None]) == []


def test_with_wrappers_a_description_reads_the_same_wherever_it_stands():
    words, positions, program = one_hop("red", "left", "cube")
    rules = extract(words, positions, program, TYPES, RETURNS, wrappers=True)
    got = {(r.label, " ".join(r.text), r.fragment_text) for r in rules}
    assert ("relate", "<relation> of the [unique]", "relate(@0, $0)") in got
    assert ("unique", "[filter_shape]", "unique(@0)") in got
    assert ("filter_shape", "<shape>", "filter_shape(scene(), $0)") in got
    parser = ChartParser({rule: 1.0 for rule in rules})
    words = "how many blue things are behind of the ball ?".split()
    lexical = [None, None, ("blue", "color"), None, None, ("behind", "relation"), None, None, ("ball", "shape"), None]
    assert [to_text(p.program) for p in parser.parse(words, lexical)] == [
        "count(filter_color(relate(unique(filter_shape(scene(), ball)), behind), blue))"]


def test_a_hole_may_leave_out_a_lead_in_that_some_rule_has_before_a_hole():
    counts = dict.fromkeys(extract(*one_hop("red", "left", "cube"), TYPES, RETURNS), 1.0)
    # "the object that is to the left of the cube": its words before the relation stand in the root rule
    words = "what is the object that is to the left of the cube ?".split()
    program = call("count", call("unique", call("relate", obj("cube", 1), c("left", 0))))
    counts.update(dict.fromkeys(extract(words, [8, 11], program, TYPES, RETURNS), 1.0))
    assert ("object", "that", "is", "to", "the") in lead_ins(counts)

    def read(question, skip=8):
        words = question.split()
        parser = ChartParser(counts, backoff=8.0, skip=skip)
        return [to_text(p.program) for p in parser.parse(words, [(w, TYPES[w]) if w in TYPES else None for w in words])]

    two_hops = "how many blue things are left of the object that is to the behind of the ball ?"
    assert read(two_hops)[0] == "count(filter_color(relate(unique(relate(unique(filter_shape(scene(), ball)), behind)), left), blue))"
    assert read(two_hops, skip=0) == [] and read(two_hops, skip=4) == []
    assert read("how many blue things are left of the object which sits to the behind of the ball ?") == []
