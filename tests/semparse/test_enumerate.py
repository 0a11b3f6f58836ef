"""Answer-consistent programs by typed bottom-up search, on a toy DSL and on real CLEVR scenes."""

import time

import pytest

from nesy.benchmarks.clevr.dsl_executor import bound_scene, clevr_dsl, execute_dsl
from nesy.benchmarks.clevr.scenes import generate_scene
from nesy.errors import NesyError
from nesy.semparse.enumerate import consistent_programs
from nesy.solvers.dsl.language import DSL


def toy() -> DSL:
    dsl = DSL("toy")
    dsl.primitive("add", ["int", "int"], "int", lambda a, b: a + b)
    dsl.primitive("half", ["int"], "int", lambda a: a // 2 if a % 2 == 0 else 1 // 0)
    dsl.primitive("positive", ["int"], "bool", lambda a: a > 0)
    for name, value in (("one", 1), ("two", 2), ("five", 5)):
        dsl.constant(name, "int", value)
    return dsl


def test_free_search_finds_one_smallest_program_per_constant_set():
    found = consistent_programs(toy(), 3, max_size=3)
    assert [(f.program, f.size) for f in found] == [("add(one, two)", 3)]
    sizes = [f.size for f in consistent_programs(toy(), 6, max_size=5)]
    assert sizes == sorted(sizes)


def test_answers_keep_their_type_and_failing_calls_are_skipped():
    assert all(f.program.startswith("positive") for f in consistent_programs(toy(), True, max_size=2))
    assert [f.program for f in consistent_programs(toy(), 1, max_size=2)] == ["one", "half(two)"]  # half(five) fails


def test_required_constants_are_each_used_exactly_once():
    found = consistent_programs(toy(), 7, max_size=5, constants=["two", "five"])
    assert [f.program for f in found] == ["add(two, five)"]
    assert consistent_programs(toy(), 7, max_size=5, constants=["two"]) == []
    twice = consistent_programs(toy(), 4, max_size=3, constants=["two", "two"])
    assert [f.constants for f in twice] == [("two", "two")]


def test_unknown_constant_is_a_clear_error():
    with pytest.raises(NesyError, match="'seven' is not declared"):
        consistent_programs(toy(), 7, max_size=3, constants=["seven"])


def test_on_a_clevr_scene_every_found_program_really_gives_the_answer():
    scene = generate_scene(0, seed=5)
    n_red = sum(o["color"] == "red" for o in scene["objects"])
    found = consistent_programs(clevr_dsl(), n_red, max_size=4, constants=["red"], bind=lambda: bound_scene(scene))
    assert "count(filter_color(scene(), red))" in [f.program for f in found]
    for f in found:
        verdict = execute_dsl(f.program, scene)
        assert verdict.status.value == "ok" and verdict.value == n_red


def test_deadline_stops_a_long_search_with_what_it_has():
    scene = generate_scene(0, seed=5)
    constants = ["red", "cube", "left", "large", "metal", "behind", "sphere", "small", "blue", "front"]
    started = time.monotonic()
    consistent_programs(clevr_dsl(), 1, max_size=40, constants=constants, bind=lambda: bound_scene(scene),
                        deadline=time.monotonic() + 0.5)
    assert time.monotonic() - started < 5


def test_a_step_budget_stops_the_search_at_the_same_place_however_slow_the_machine():
    scene = generate_scene(0, seed=5)
    constants = ["small", "cyan", "cube", "left", "rubber"]
    answer = execute_dsl("count(filter_material(relate(unique(filter_shape(filter_color(filter_size(scene(), small), cyan), cube)), left), rubber))",
                         scene).value

    def search(**limits):
        return consistent_programs(clevr_dsl(), answer, max_size=14, constants=constants, bind=lambda: bound_scene(scene),
                                   ordered=True, every=True, max_found=300, **limits)

    full = search()
    sizes = []
    for budget in (50, 500, 5000, 50_000):
        cut = search(max_steps=budget)
        assert cut == full[: len(cut)]  # what the budget reached, in the same order
        assert cut == search(max_steps=budget, deadline=time.monotonic() + 60)  # a far safety cap changes nothing
        sizes.append(len(cut))
    assert sizes == sorted(sizes) and sizes[0] < len(full), (sizes, len(full))


def test_a_wildcard_is_filled_by_every_constant_that_gives_the_answer():
    found = consistent_programs(toy(), 7, max_size=3, constants=["two", None])
    assert [(f.program, f.constants) for f in found] == [("add(two, five)", ("two", "five"))]
    signs = consistent_programs(toy(), True, max_size=4, constants=["one", None])
    assert {f.constants for f in signs} == {("one", "one"), ("one", "two"), ("one", "five")}  # same value, all kept


def test_an_answer_type_refuses_values_of_another_type():
    scene = generate_scene(0, seed=5)
    n = 1  # a count, and also the index of object 1: unique(...) of it is an int too
    untyped = consistent_programs(clevr_dsl(), n, max_size=6, bind=lambda: bound_scene(scene))
    typed = consistent_programs(clevr_dsl(), n, max_size=6, bind=lambda: bound_scene(scene), answer_type="int")
    assert any(f.program.startswith("unique") for f in untyped)
    assert typed and not any(f.program.startswith("unique") for f in typed)


def test_distinct_splits_keep_a_call_structure_that_a_coincidence_of_values_would_drop():
    dsl = DSL("ints")
    dsl.primitive("add", ["int", "int"], "int", lambda a, b: a + b)
    dsl.primitive("mul", ["int", "int"], "int", lambda a, b: a * b)
    dsl.primitive("inc", ["int"], "int", lambda a: a + 1)
    dsl.constant("two", "int", 2)
    # add(two, two) and mul(two, two) are both 4 here: one state, so only one of them reaches inc()
    plain = [f.program for f in consistent_programs(dsl, 5, max_size=4, constants=["two", "two"], ordered=True, every=True)]
    assert "inc(add(two, two))" in plain and "inc(mul(two, two))" not in plain
    split = [f.program for f in consistent_programs(dsl, 5, max_size=4, constants=["two", "two"], ordered=True, every=True,
                                                    distinct_splits=True)]
    assert {"inc(add(two, two))", "inc(mul(two, two))"} <= set(split)
