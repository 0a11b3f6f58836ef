"""Running and checking DSL programs: type checking, values, traces, limits and failures."""

from __future__ import annotations

import json
import operator
import pickle

import pytest

from nesy.budget import Budget
from nesy.registry import get_solver
from nesy.solvers.dsl import DSL, DSLSolver, guard_size, standard_dsl
from nesy.verdict import Status


@pytest.fixture(scope="module")
def std() -> DSLSolver:
    return DSLSolver()


def run_value(solver, program, **inputs):
    verdict = solver.run(program, input=inputs or None)
    assert verdict.status is Status.OK, verdict
    return verdict.value


# -- running ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "program, inputs, expected",
    [
        ("add(x, 2)", {"x": 3}, 5),
        ("sub(mul(x, x), 1)", {"x": -4}, 15),
        ("div(-7, 2)", {}, -4),
        ("mod(-7, 2)", {}, 1),
        ("max(abs(neg(x)), 2)", {"x": 5}, 5),
        ("and(lt(1, 2), not(ge(1, 2)))", {}, True),
        ("or(false, eq(xs, cons(1, empty())))", {"xs": [1]}, True),
        ("if_then_else(gt(x, 0), x, neg(x))", {"x": -3}, 3),
        ("concat(xs, reverse(xs))", {"xs": [1, 2]}, [1, 2, 2, 1]),
        ("repeat(cons(head(xs), empty()), 3)", {"xs": ["a", "b"]}, ["a", "a", "a"]),
        ("append(tail(xs), last(xs))", {"xs": (1, 2, 3)}, [2, 3, 3]),
        ("length(concat(xs, ys))", {"xs": [1], "ys": [2, 3]}, 3),
        ("sum(cons(x, xs))", {"x": 10, "xs": [1, 2]}, 13),
        ('cons("a\\"b", empty())', {}, ['a"b']),
        ("cons(xs, cons(empty(), empty()))", {"xs": [True]}, [[True], []]),
        ("empty", {}, []),
        ("x", {"x": "just a string"}, "just a string"),
        ("-5", {}, -5),
    ],
)
def test_standard_programs_compute_their_values(std, program, inputs, expected):
    assert run_value(std, program, **inputs) == expected


def test_tuple_values_become_lists(std):
    dsl = standard_dsl()
    dsl.primitive("pairs", ["list[T]"], "list[list[T]]", _pairs)
    verdict = DSLSolver(dsl).run("pairs(xs)", input={"xs": [1, 2, 3]})
    assert verdict.value == [[1, 2], [2, 3]]
    json.dumps(verdict.to_dict())  # value and certificate are JSON-friendly


def _pairs(xs):
    return tuple((a, b) for a, b in zip(xs, xs[1:]))


def test_lazy_conditional_runs_only_the_chosen_branch(std):
    assert run_value(std, "if_then_else(eq(xs, empty()), 0, head(xs))", xs=[]) == 0
    verdict = std.run("if_then_else(true, 1, head(empty()))")
    assert verdict.certificate["steps"] == 1


def test_user_dsl_with_custom_types_and_values():
    dsl = DSL("geometry")
    dsl.primitive("point", ["int", "int"], "point", _point)
    dsl.primitive("dx", ["point", "point"], "int", _dx)
    dsl.constant("origin", "point", (0, 0))
    solver = DSLSolver(dsl)
    assert solver.run("dx(origin, point(3, 4))").value == 3
    assert solver.run("point(1, 2)").value == [1, 2]  # the tuple comes back as a JSON list
    assert solver.run("dx(origin, 3)").status is Status.REJECTED


def _point(x, y):
    return (x, y)


def _dx(p, q):
    return q[0] - p[0]


# -- type checking ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "program, inputs, message",
    [
        ('add(1, "a")', None, "type error at line 1, column 8: argument 2 of add must be int, got str"),
        ("concat(xs, ys)", {"xs": [1], "ys": ["a"]}, "argument 2 of concat must be list[int], got list[str]"),
        ("cons(1, cons(true, empty()))", None, "column 9: argument 2 of cons must be list[int], got list[bool]"),
        ("eq(empty(), 1)", None, "argument 2 of eq must be list[T], got int"),
        ("head(1)", None, "argument 1 of head must be list[T], got int"),
        ("if_then_else(1, 2, 3)", None, "argument 1 of if_then_else must be bool, got int"),
        ("if_then_else(true, 2, empty())", None, "argument 3 of if_then_else must be int, got list[T]"),
        ("add(x, 1)", {"x": "s"}, "argument 1 of add must be int, got str"),
    ],
)
def test_type_errors_are_rejected_with_position(std, program, inputs, message):
    verdict = std.run(program, input=inputs)
    assert verdict.status is Status.REJECTED
    assert message in verdict.message


def test_polymorphic_primitives_unify_per_use(std):
    verdict = std.run("cons(length(cons(true, empty())), cons(length(empty()), empty()))")
    assert verdict.value == [1, 0]
    assert verdict.certificate["type"] == "list[int]"
    assert std.run("cons(empty(), empty())").certificate["type"] == "list[list[T]]"
    assert std.run("head(cons(cons(x, empty()), empty()))", input={"x": "a"}).certificate["type"] == "list[str]"


@pytest.mark.parametrize(
    "program, inputs, message",
    [
        ("foo(1)", None, "unknown primitive 'foo' at line 1, column 1"),
        ("addd(1, 2)", None, "(did you mean 'add'?)"),
        ("add(1, y)", None, "unknown name 'y' at line 1, column 8"),
        ("add(1)", None, "add at line 1, column 1 takes 2 arguments, got 1 (add(int, int) -> int)"),
        ("neg(1, 2)", None, "takes 1 argument, got 2"),
        ("add", None, "call it as add(...)"),
        ("true()", None, "'true' at line 1, column 1 is a constant, not a primitive: write it without parentheses"),
        ("x(1)", {"x": 1}, "'x' at line 1, column 1 is a variable, not a primitive"),
        ("add(x, 1)", {"x": 1.5}, "cannot infer a type for input 'x' (a float)"),
        ("length(x)", {"x": [1, "a"]}, "mixed, unsupported or too deeply nested"),
    ],
)
def test_name_and_arity_errors_are_rejected(std, program, inputs, message):
    verdict = std.run(program, input=inputs)
    assert verdict.status is Status.REJECTED
    assert message in verdict.message


# -- inputs -------------------------------------------------------------------------------
def test_declared_variables_check_their_values():
    dsl = standard_dsl()
    dsl.variable("n", "int")
    dsl.variable("ws", "list[str]")
    solver = DSLSolver(dsl)
    assert solver.run("repeat(ws, n)", input={"n": 2, "ws": ["a"]}).value == ["a", "a"]
    wrong = solver.run("add(n, 1)", input={"n": True})
    assert wrong.status is Status.REJECTED and "input 'n' must be of type int, got a bool" in wrong.message
    missing = solver.run("add(n, 1)")
    assert missing.status is Status.REJECTED and "variable 'n' at line 1, column 5 has no value in the input" in missing.message
    assert solver.run("length(ws)", input={"ws": [1]}).status is Status.REJECTED


@pytest.mark.parametrize(
    "inputs, message",
    [
        ([1, 2], "the input must be a mapping"),
        ({1: 2}, "names must be strings"),
        ({"add": 1}, "has the name of a primitive"),
        ({"true": 1}, "has the name of a constant"),
        ({"xs": list(range(11))}, "holds over 10 elements"),
        ({"xs": [[1] * 6, [2] * 6]}, "holds over 10 elements"),
    ],
)
def test_bad_inputs_are_rejected(std, inputs, message):
    verdict = std.run("1", input=inputs, budget=Budget(max_value_size=10))
    assert verdict.status is Status.REJECTED and message in verdict.message


# -- traces -------------------------------------------------------------------------------
def test_trace_lists_every_primitive_application_in_order(std):
    verdict = std.run("mul(add(x, 1), sub(x, 1))", input={"x": 3})
    assert verdict.value == 8
    assert verdict.certificate == {
        "type": "int",
        "steps": 3,
        "truncated": False,
        "trace": [
            {"step": 1, "call": "add(x, 1)", "value": "4"},
            {"step": 2, "call": "sub(x, 1)", "value": "2"},
            {"step": 3, "call": "mul(add(x, 1), sub(x, 1))", "value": "8"},
        ],
    }
    assert verdict.stats["steps"] == 3 and verdict.message == "int value after 3 steps"


def test_trace_shortens_long_calls_and_values(std):
    program = "reverse(concat(" + ", ".join(["xs"] * 2) + "))"
    verdict = std.run(program, input={"xs": list(range(500))})
    last = verdict.certificate["trace"][-1]
    assert len(last["value"]) <= 80 and last["value"].endswith("...]")
    long_program = "length(cons(\n1,\n" + "cons(1, " * 60 + "empty()" + ")" * 60 + "))"
    entry = std.run(long_program).certificate["trace"][-1]
    assert len(entry["call"]) <= 120 and entry["call"].endswith("...") and "\n" not in entry["call"]


def test_trace_is_capped_and_says_so():
    solver = DSLSolver(max_trace=5)
    verdict = solver.run("cons(1, " * 20 + "empty()" + ")" * 20)
    assert verdict.status is Status.OK and len(verdict.value) == 20
    assert len(verdict.certificate["trace"]) == 5 and verdict.certificate["truncated"] is True
    assert verdict.certificate["steps"] == 21


# -- limits and failures ------------------------------------------------------------------
def test_step_limit(std):
    program = "neg(" * 10 + "1" + ")" * 10
    assert std.run(program, budget=Budget(max_steps=10)).value == 1
    verdict = std.run(program, budget=Budget(max_steps=9))
    assert verdict.status is Status.ERROR and verdict.message == "step limit of 9 primitive applications exceeded"


def test_value_size_limit_from_result_length(std):
    verdict = std.run("concat(xs, xs)", input={"xs": [0] * 6}, budget=Budget(max_value_size=10))
    assert verdict.status is Status.ERROR
    assert "concat at line 1, column 1 built a value of size 12, over max_value_size 10" in verdict.message


def test_repeat_refuses_before_building_a_huge_list(std):
    verdict = std.run("repeat(cons(1, empty()), 1000000000000)")
    assert verdict.status is Status.ERROR
    assert "repeat's result would have 1000000000000 elements" in verdict.message


def test_shared_structure_results_are_counted_in_full(std):
    program = "repeat(cons(repeat(cons(1, empty()), 100), empty()), 100)"
    assert std.run(program, budget=Budget(max_value_size=200)).status is Status.ERROR
    assert len(std.run(program).value) == 100


def test_guard_size_is_usable_by_user_primitives():
    dsl = standard_dsl()
    dsl.primitive("range", ["int"], "list[int]", _range_guarded)
    solver = DSLSolver(dsl)
    assert solver.run("range(3)").value == [0, 1, 2]
    verdict = solver.run("range(50)", budget=Budget(max_value_size=10))
    assert verdict.status is Status.ERROR and "range's result would have 50 elements" in verdict.message


def _range_guarded(n):
    guard_size(n, "range's result")
    return list(range(n))


@pytest.mark.parametrize(
    "program, message",
    [
        ("div(1, 0)", "primitive div failed at line 1, column 1: ZeroDivisionError: integer division or modulo by zero"),
        ("add(1, head(empty()))", "primitive head failed at line 1, column 8: IndexError: head of an empty list"),
        ("tail(empty())", "primitive tail failed"),
    ],
)
def test_primitive_exceptions_become_error_verdicts(std, program, message):
    verdict = std.run(program)
    assert verdict.status is Status.ERROR and message in verdict.message


def test_exception_from_a_user_primitive_names_it():
    dsl = DSL("fragile")
    dsl.primitive("parse_int", ["str"], "int", int)
    solver = DSLSolver(dsl)
    assert solver.run('parse_int("42")').value == 42
    verdict = solver.run('parse_int("forty")')
    assert verdict.status is Status.ERROR
    assert verdict.message.startswith("primitive parse_int failed at line 1, column 1: ValueError: invalid literal")


def test_deep_programs_run_without_recursion_errors(std):
    program = "neg(" * 500 + "7" + ")" * 500
    assert std.run(program).value == 7
    assert std.run("neg(" * 501 + "7" + ")" * 501).status is Status.REJECTED
    assert DSLSolver(max_depth=1000).run("neg(" * 1000 + "7" + ")" * 1000).value == 7


def test_program_size_limit_comes_from_the_base_class(std):
    verdict = std.run("add(1, 2)", budget=Budget(max_program_bytes=5))
    assert verdict.status is Status.REJECTED and "over the limit of 5 bytes" in verdict.message
    assert std.run(b"add(1, 2)").status is Status.REJECTED


# -- check mode ---------------------------------------------------------------------------
def test_check_ok_and_mismatch(std):
    ok = std.check("reverse(xs)", input={"xs": [1, 2]}, expected=(2, 1))
    assert ok.status is Status.OK and ok.value == [2, 1] and ok.certificate["steps"] == 1
    bad = std.check("reverse(xs)", input={"xs": [1, 2]}, expected=[1, 2])
    assert bad.status is Status.MISMATCH and bad.message == "expected [1, 2], got [2, 1]"
    assert std.check("add(1, ", expected=1).status is Status.REJECTED


def test_values_equal_normalises_tuples_only(std):
    assert std.values_equal([1, (2, 3)], (1, [2, 3]))
    assert not std.values_equal([1, 2], [2, 1])
    assert not std.values_equal("ab", ["a", "b"])


# -- identity, registry, pickling ---------------------------------------------------------
def test_default_solver_from_the_registry():
    solver = get_solver("dsl")
    assert isinstance(solver, DSLSolver) and solver.name == "dsl" and solver.languages == ("dsl",)
    assert solver.run("add(1, 2)").value == 3


def test_config_and_fingerprint_follow_the_dsl():
    first, second = DSLSolver(), DSLSolver()
    assert first.fingerprint() == second.fingerprint()
    assert first.config()["dsl"]["name"] == "std"
    names = [p["name"] for p in first.config()["dsl"]["primitives"]]
    assert {"add", "concat", "if_then_else"} <= set(names)
    second.dsl.primitive("inc", ["int"], "int", operator.pos)
    assert first.fingerprint() != second.fingerprint()
    changed_impl = standard_dsl()
    changed_impl.primitives["add"] = changed_impl.primitives["add"].__class__(
        "add", changed_impl.primitives["add"].arg_types, changed_impl.primitives["add"].return_type, operator.sub
    )
    assert DSLSolver(changed_impl).fingerprint() != first.fingerprint()
    assert DSLSolver(max_depth=10).fingerprint() != first.fingerprint()
    json.dumps(first.config())


def test_solver_pickles_round_trip():
    dsl = standard_dsl()
    dsl.primitive("pairs", ["list[T]"], "list[list[T]]", _pairs)
    for solver in (DSLSolver(), DSLSolver(dsl, max_depth=50)):
        copy = pickle.loads(pickle.dumps(solver))
        assert copy.fingerprint() == solver.fingerprint()
        assert copy.max_depth == solver.max_depth
        assert copy.run("concat(xs, xs)", input={"xs": [1]}).value == [1, 1]


def test_results_too_large_for_json_are_errors(std):
    big = "mul(" * 20 + "9" * 900 + (", " + "9" * 900 + ")") * 20  # about 18,900 digits
    verdict = std.run(big)
    assert verdict.status is Status.ERROR and "too large to report" in verdict.message
    assert std.run("neg(" + "9" * 1000 + ")").value == -int("9" * 1000)
    too_deep_type = std.run("cons(" * 70 + "empty()" + ", empty())" * 70)
    assert too_deep_type.status is Status.REJECTED and "type nests deeper than 64 levels" in too_deep_type.message


def test_deeply_nested_results_from_user_primitives_are_errors():
    dsl = DSL("boxes")
    dsl.primitive("box", ["T"], "box", _box)
    dsl.constant("nothing", "box", None)
    solver = DSLSolver(dsl)
    assert solver.run("box(box(nothing))").value == [[None]]
    deep = solver.run("box(" * 250 + "nothing" + ")" * 250)
    assert deep.status is Status.ERROR and "nests deeper than 200 levels" in deep.message


def _box(value):
    return [value]
