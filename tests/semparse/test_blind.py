"""Candidates with a call blind to its world (the small ones among the big ones) are left out."""

import random
from contextlib import contextmanager

from nesy.semparse.blind import BlindCalls
from nesy.semparse.enumerate import Found, consistent_programs
from nesy.semparse.idle import working_programs
from nesy.semparse.tree import from_found, to_text
from nesy.solvers.dsl.language import DSL

WORLD = {"things": ()}  # (size, colour, number) triples


@contextmanager
def world(things):
    old, WORLD["things"] = WORLD["things"], tuple(things)
    try:
        yield
    finally:
        WORLD["things"] = old


def _unique(things):
    if len(things) != 1:
        raise ValueError("not exactly one")
    return next(iter(things))


def _dsl():
    dsl = DSL("things")
    _ = dsl.primitive("scene", [], "set", lambda: frozenset(WORLD["things"]))
    _ = dsl.primitive("filter_size", ["set", "size"], "set", lambda s, v: frozenset(t for t in s if t[0] == v))
    _ = dsl.primitive("filter_color", ["set", "color"], "set", lambda s, v: frozenset(t for t in s if t[1] == v))
    _ = dsl.primitive("count", ["set"], "int", len)
    _ = dsl.primitive("exist", ["set"], "bool", lambda s: bool(s))
    _ = dsl.primitive("unique", ["set"], "thing", _unique)
    _ = dsl.primitive("query_color", ["thing"], "color", lambda t: t[1])
    _ = dsl.primitive("same_color", ["thing"], "set", lambda t: frozenset(o for o in WORLD["things"] if o[1] == t[1] and o != t))
    for size in ("big", "small"):
        _ = dsl.constant(size, "size", size)
    for color in ("red", "blue", "green"):
        _ = dsl.constant(color, "color", color)
    return dsl


def _worlds(n, seed=0):
    rng = random.Random(seed)
    return [[(rng.choice(("big", "small")), rng.choice(("red", "blue", "green")), k) for k in range(rng.randint(2, 6))]
            for _ in range(n)]


def _probes(n=40):
    return [lambda things=things: world(things) for things in _worlds(n)]


def _tree(dsl, program):
    return from_found(Found(program, (), 0))


def test_the_small_things_among_the_big_ones_are_blind_and_a_description_is_not():
    dsl = _dsl()
    calls = BlindCalls(dsl, _probes())
    assert calls.blind(_tree(dsl, "count(filter_size(filter_size(scene(), big), small))"))  # none, on every world
    assert not calls.blind(_tree(dsl, "count(filter_color(filter_size(scene(), big), red))"))
    assert not calls.blind(_tree(dsl, "count(scene())"))


def test_a_call_that_reads_no_word_is_not_judged():
    dsl = _dsl()
    calls = BlindCalls(dsl, _probes())  # every world has things: "Are there any things?" is yes everywhere
    assert not calls.blind(_tree(dsl, "exist(scene())"))
    assert calls.blind(_tree(dsl, "exist(filter_size(filter_size(scene(), big), small))"))


def test_the_memory_of_values_stays_bounded_and_verdicts_do_not_change():
    dsl = _dsl()
    calls = BlindCalls(dsl, _probes(), remembered=3)
    programs = ["count(filter_size(filter_size(scene(), big), small))", "count(filter_color(filter_size(scene(), big), red))"] * 3
    assert [calls.blind(_tree(dsl, p)) for p in programs] == [True, False] * 3
    assert len(calls._values) <= 3 + 5


def test_a_call_defined_on_few_worlds_is_not_judged():
    dsl = _dsl()
    program = "query_color(unique(filter_color(filter_size(scene(), big), red)))"  # red wherever it is defined
    assert BlindCalls(dsl, _probes(), min_defined=2).blind(_tree(dsl, program))
    assert not BlindCalls(dsl, _probes(), min_defined=1000).blind(_tree(dsl, program))


def test_without_worlds_that_differ_nothing_is_blind():
    dsl = _dsl()
    same = [lambda: world([("big", "red")])] * 20
    assert not BlindCalls(dsl, same).blind(_tree(dsl, "count(filter_size(filter_size(scene(), big), small))"))
    assert not BlindCalls(dsl, []).blind(_tree(dsl, "count(filter_size(filter_size(scene(), big), small))"))


def test_the_learner_drops_the_contradiction_that_answers_none_and_keeps_the_reading():
    # "How many small things have the same colour as the big thing?" on a world where none has
    dsl = _dsl()
    here = [("big", "red", 0), ("small", "green", 1), ("small", "blue", 2)]
    found = consistent_programs(dsl, 0, max_size=8, constants=["small", "big"], bind=lambda: world(here), every=True,
                                max_found=50, answer_type="int", slack=3, distinct_splits=True)
    before = [to_text(t) for t in working_programs(dsl, found, lambda: world(here))]
    after = [to_text(t) for t in working_programs(dsl, found, lambda: world(here), blind=BlindCalls(dsl, _probes()))]
    contradiction = "count(filter_size(filter_size(scene(), big), small))"
    assert contradiction in before and contradiction not in after
    assert set(after) < set(before)
    reading = "count(filter_size(same_color(unique(filter_size(scene(), big))), small))"  # (a coincidence of
    assert not BlindCalls(dsl, _probes()).blind(_tree(dsl, reading))  # values hides it from this search)


def test_with_split_heads_the_reading_hidden_by_the_contradiction_is_found_and_alone_kept():
    dsl = _dsl()
    here = [("big", "red", 0), ("small", "green", 1), ("small", "blue", 2)]
    found = consistent_programs(dsl, 0, max_size=8, constants=["small", "big"], bind=lambda: world(here), every=True,
                                max_found=50, answer_type="int", slack=3, distinct_splits=True, split_heads=True)
    kept = [to_text(t) for t in working_programs(dsl, found, lambda: world(here), blind=BlindCalls(dsl, _probes()))]
    assert "count(filter_size(same_color(unique(filter_size(scene(), big))), small))" in kept
    assert "count(filter_size(filter_size(scene(), big), small))" in [f.program for f in found]
    assert "count(filter_size(filter_size(scene(), big), small))" not in kept
