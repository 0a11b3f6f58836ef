"""Candidates whose words change nothing (``union(everything, X)``) are left out of the learner's candidates."""

from contextlib import contextmanager

from nesy.semparse.enumerate import consistent_programs
from nesy.semparse.idle import idle_words, working_programs
from nesy.semparse.tree import to_text
from nesy.solvers.dsl.language import DSL

WORLD = {"items": frozenset()}


@contextmanager
def world(items):
    old, WORLD["items"] = WORLD["items"], frozenset(items)
    try:
        yield
    finally:
        WORLD["items"] = old


def _dsl():
    dsl = DSL("sets")
    _ = dsl.primitive("everything", [], "set", lambda: WORLD["items"])
    _ = dsl.primitive("union", ["set", "set"], "set", lambda a, b: a | b)
    _ = dsl.primitive("below", ["set", "int"], "set", lambda s, n: frozenset(x for x in s if x < n))
    _ = dsl.primitive("size", ["set"], "int", len)
    for name, value in (("three", 3), ("five", 5)):
        _ = dsl.constant(name, "int", value)
    return dsl


def _found(answer):
    return consistent_programs(_dsl(), answer, max_size=8, constants=["five"], bind=lambda: world(range(1, 8)), every=True,
                               max_found=50, answer_type="int", slack=4)


def test_a_union_with_everything_is_idle_and_a_filter_is_not():
    dsl = _dsl()
    idle = "size(union(everything(), below(everything(), five)))"
    assert idle in [f.program for f in _found(7)]  # the search offers the idle reading: "five" changes nothing
    assert idle not in [to_text(t) for t in working_programs(dsl, _found(7), lambda: world(range(1, 8)))]
    kept = [to_text(t) for t in working_programs(dsl, _found(4), lambda: world(range(1, 8)))]
    assert "size(below(everything(), five))" in kept
    with world(range(1, 8)):
        assert all(not idle_words(dsl, t) for t in working_programs(dsl, _found(7), lambda: world(range(1, 8))))


def test_without_the_option_every_program_is_kept():
    found = _found(7)
    assert len(working_programs(_dsl(), found, lambda: world(range(1, 8)), drop_idle=False)) == len(found) > 0
