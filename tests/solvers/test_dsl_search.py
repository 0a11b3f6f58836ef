"""Typed program enumeration and example-driven abduction over DSLs."""

from __future__ import annotations

import operator
import time

import pytest

from nesy.budget import Budget
from nesy.errors import NesyError
from nesy.solvers.dsl import DSL, DSLSolver, standard_dsl
from nesy.solvers.dsl.enumeration import FAILED, Enumerator, _compositions
from nesy.solvers.dsl.parser import iter_nodes, parse
from nesy.solvers.dsl.typeterms import INT, parse_type
from nesy.verdict import Status


@pytest.fixture(scope="module")
def std() -> DSLSolver:
    return DSLSolver()


def node_count(program: str) -> int:
    return sum(1 for _ in iter_nodes(parse(program)))


def depth(program: str) -> int:
    return program.count("(") - program.count("()") + 1


# -- enumeration --------------------------------------------------------------------------
def test_enumeration_is_type_correct_and_in_size_order(std):
    programs = list(std.enumerate("int", max_depth=3, max_programs=400, variables={"x": "int", "xs": "list[int]"}))
    assert len(programs) == 400 and len(set(programs)) == 400
    sizes = [node_count(p) for p in programs]
    assert sizes == sorted(sizes)
    for program in programs:
        verdict = std.run(program, input={"x": 3, "xs": [1, 2]})
        assert verdict.status in (Status.OK, Status.ERROR), (program, verdict)  # never rejected
        if verdict.status is Status.OK:
            assert verdict.certificate["type"] in ("int", "T")


def test_enumeration_respects_depth_and_count(std):
    programs = list(std.enumerate("list[int]", max_depth=2, max_programs=10_000, variables={"xs": "list[int]"}))
    assert programs[:3] == ["xs", "empty()", "reverse(xs)"]
    assert all(depth(p) <= 2 for p in programs)
    assert "concat(xs, xs)" in programs and "cons(1, xs)" in programs
    assert "reverse(reverse(xs))" not in programs  # depth 3
    assert len(list(std.enumerate("int", max_depth=3, max_programs=7))) == 7


def test_enumeration_of_leaves_only(std):
    assert list(std.enumerate("bool", max_depth=1)) == ["true", "false"]
    assert list(std.enumerate("int", max_depth=1, literals=[5, -1])) == ["5", "-1"]
    assert list(std.enumerate("str", max_depth=1, literals=['say "hi"'])) == ['"say \\"hi\\""']


def test_enumeration_with_a_polymorphic_user_dsl():
    dsl = DSL("pairs")
    dsl.primitive("pair", ["A", "B"], "pair[A, B]", _pair)
    dsl.primitive("first", ["pair[A, B]"], "A", _first)
    dsl.constant("one", "int", 1)
    dsl.constant("yes", "bool", True)
    solver = DSLSolver(dsl)
    programs = list(solver.enumerate("pair[int, bool]", max_depth=2, literals=[]))
    assert programs == ["pair(one, yes)"]
    assert list(solver.enumerate("pair[int, bool]", max_depth=2))[:2] == ["pair(one, yes)", "pair(0, yes)"]
    bools = list(solver.enumerate("bool", max_depth=3, literals=[]))
    assert "first(pair(yes, one))" in bools and "first(pair(one, yes))" not in bools
    for program in bools:
        assert solver.run(program).value is True


def _pair(a, b):
    return (a, b)


def _first(p):
    return p[0]


def test_enumeration_uses_declared_variables_and_default_literals():
    dsl = DSL("strings")
    dsl.primitive("join", ["str", "str"], "str", operator.add)
    dsl.variable("s", "str")
    programs = list(DSLSolver(dsl).enumerate("str", max_depth=2))
    assert programs == ["s", "join(s, s)"]  # no int in the DSL: no 0/1/2 literals


def test_enumerate_rejects_variables_named_like_primitives(std):
    with pytest.raises(NesyError, match="name of a primitive"):
        list(std.enumerate("int", variables={"add": "int"}))


def test_observational_equivalence_prunes_duplicates():
    examples = [{"x": 2}, {"x": 5}]
    kept = [c.text for c in Enumerator(standard_dsl(), {"x": INT}, [2], examples, max_depth=2)]
    assert "add(x, x)" in kept and "mul(x, 2)" not in kept and "mul(2, x)" not in kept
    assert "abs(x)" not in kept and "max(x, x)" not in kept  # same values as x
    assert "head(empty())" not in kept  # fails on every example


def test_enumerator_records_failures_per_example():
    examples = [{"xs": [1]}, {"xs": []}]
    candidates = {c.text: c for c in Enumerator(standard_dsl(), {"xs": parse_type("list[int]")}, [], examples, max_depth=2)}
    assert candidates["head(xs)"].values == (1, FAILED)


def test_compositions():
    assert list(_compositions(4, 2)) == [(1, 3), (2, 2), (3, 1)]
    assert list(_compositions(2, 3)) == []


# -- abduction ----------------------------------------------------------------------------
def test_abduce_doubling(std):
    verdict = std.abduce([({"x": 1}, 2), ({"x": 3}, 6), ({"x": -2}, -4)], "int")
    assert verdict.status is Status.OK
    assert verdict.value in ("add(x, x)", "mul(x, 2)", "mul(2, x)")
    assert verdict.certificate["size"] == 3 and verdict.certificate["program"] == verdict.value
    for example, expected in [({"x": 7}, 14), ({"x": 0}, 0)]:
        assert std.check(verdict.value, input=example, expected=expected).status is Status.OK


@pytest.mark.parametrize(
    "examples, expected_program",
    [
        ([({"xs": [1, 2, 3]}, [3, 2, 1]), ({"xs": [4]}, [4])], "reverse(xs)"),
        ([({"xs": [1, 2]}, [1, 2, 1, 2]), ({"xs": []}, [])], "concat(xs, xs)"),
        ([({"x": 3, "y": 4}, 4), ({"x": 5, "y": 1}, 5)], "max(x, y)"),
        ([({"xs": [5, 1]}, 2), ({"xs": []}, 0)], "length(xs)"),
        ([({"x": 3}, True), ({"x": -3}, False)], "lt(0, x)"),
    ],
)
def test_abduce_finds_small_programs(std, examples, expected_program):
    verdict = std.abduce(examples)
    assert verdict.status is Status.OK and verdict.value == expected_program


def test_abduce_with_a_lazy_conditional():
    dsl = DSL("signs")
    dsl.primitive("lt", ["int", "int"], "bool", operator.lt)
    dsl.primitive("neg", ["int"], "int", operator.neg)
    dsl.primitive("inv", ["int"], "int", _inverse)  # fails on 0: only the chosen branch may run
    dsl.conditional("if")
    solver = DSLSolver(dsl)
    examples = [({"x": -3}, 3), ({"x": 4}, 4), ({"x": 0}, 0)]
    verdict = solver.abduce(examples, "int", literals=[0])
    assert verdict.status is Status.OK and verdict.value == "if(lt(0, x), x, neg(x))"
    for example, expected in [({"x": -9}, 9), ({"x": 2}, 2)]:
        assert solver.check(verdict.value, input=example, expected=expected).status is Status.OK
    guarded = solver.abduce([({"x": 0}, 0), ({"x": 5}, 0)], "int", literals=[0])
    assert guarded.value == "0"
    assert solver.run("if(lt(x, 1), x, inv(x))", input={"x": 0}).value == 0


def _inverse(n):
    return 1 // n


def test_abduce_reports_unknown_when_nothing_fits(std):
    verdict = std.abduce([({"x": 1}, "one")], max_depth=2)
    assert verdict.status is Status.UNKNOWN and verdict.value is None
    assert "no program of depth <= 2" in verdict.message
    capped = std.abduce([({"x": 1}, 1000), ({"x": 2}, 7)], "int", max_programs=5, max_depth=3)
    assert capped.status is Status.UNKNOWN and capped.certificate["tried"] == 5


def test_abduce_times_out_under_a_small_budget(std):
    examples = [({"x": 1}, 987654), ({"x": 2}, 123457)]
    started = time.perf_counter()
    verdict = std.abduce(examples, "int", max_depth=6, budget=Budget(wall_seconds=0.5))
    assert verdict.status is Status.TIMEOUT
    assert time.perf_counter() - started < 1.0 + 1.0  # loose bound: within 2x budget plus setup


def test_abduce_uses_declared_variable_types_and_checks_examples():
    dsl = standard_dsl()
    dsl.variable("n", "int")
    solver = DSLSolver(dsl)
    assert solver.abduce([({"n": 2}, 3), ({"n": 10}, 11)]).value == "add(n, 1)"
    with pytest.raises(NesyError, match="at least one"):
        solver.abduce([])
    with pytest.raises(NesyError, match="example 1 has variables"):
        solver.abduce([({"n": 1}, 1), ({"m": 1}, 1)])
    with pytest.raises(NesyError, match="cannot infer one type for input 'y'"):
        solver.abduce([({"y": 1}, 1), ({"y": "a"}, 1)])
    with pytest.raises(NesyError, match="name of a primitive"):
        solver.abduce([({"add": 1}, 1)])


def test_abduce_with_empty_lists_in_examples(std):
    verdict = std.abduce([({"xs": []}, []), ({"xs": [1, 2]}, [2, 1])])
    assert verdict.status is Status.OK and verdict.value == "reverse(xs)"
    failing_on_empty = std.abduce([({"xs": []}, []), ({"xs": [1, 2]}, [2])])
    assert failing_on_empty.status is Status.OK and failing_on_empty.value != "tail(reverse(xs))"  # fails on []
    for example, expected in [({"xs": []}, []), ({"xs": [1, 2]}, [2])]:
        assert std.check(failing_on_empty.value, input=example, expected=expected).status is Status.OK


def test_literals_must_be_ints_or_strings(std):
    with pytest.raises(NesyError, match="literals must be ints or strings"):
        list(std.enumerate("int", literals=[True]))
    with pytest.raises(NesyError, match="literals must be ints or strings"):
        std.abduce([({"x": 1}, 1)], literals=[1.5])
