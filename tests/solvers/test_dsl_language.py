"""Declaring a DSL: primitives, constants, variables, signatures and pickling."""

from __future__ import annotations

import math
import operator
import pickle

import pytest

from nesy.errors import NesyError
from nesy.solvers.dsl import DSL, DSLSolver, Primitive, standard_dsl
from nesy.solvers.dsl.typeterms import parse_type


def make_arith() -> DSL:
    dsl = DSL("arith")
    dsl.primitive("add", ["int", "int"], "int", operator.add)
    dsl.primitive("gcd", ["int", "int"], "int", math.gcd, doc="greatest common divisor")
    dsl.constant("zero", "int", 0)
    dsl.variable("x", "int")
    return dsl


def test_declarations_are_recorded_with_parsed_types():
    dsl = make_arith()
    add = dsl.primitives["add"]
    assert isinstance(add, Primitive)
    assert add.arg_types == (parse_type("int"), parse_type("int")) and add.arity == 2
    assert dsl.constants["zero"].value == 0
    assert dsl.variables == {"x": parse_type("int")}
    assert dsl.kind_of("gcd") == "primitive" and dsl.kind_of("zero") == "constant" and dsl.kind_of("x") == "variable"
    assert dsl.kind_of("nope") is None


def test_decorator_registers_and_returns_the_function():
    dsl = DSL()

    @dsl.primitive("twice", ["list[T]"], "list[T]", doc="xs twice")
    def twice(xs):
        return list(xs) * 2

    assert twice([1]) == [1, 1]
    assert dsl.primitives["twice"].impl is twice
    assert dsl.primitives["twice"].signature_text == "twice(list[T]) -> list[T]"


@pytest.mark.parametrize(
    "declare, message",
    [
        (lambda d: d.primitive("add", ["int"], "int", abs), "already has a primitive named 'add'"),
        (lambda d: d.constant("x", "int", 1), "already has a variable named 'x'"),
        (lambda d: d.variable("zero", "int"), "already has a constant named 'zero'"),
        (lambda d: d.primitive("bad name", [], "int", abs), "must be an identifier"),
        (lambda d: d.primitive("f", ["int"], "int", 42), "must be callable"),
        (lambda d: d.primitive("f", "int", "int", abs), "must be a list"),
        (lambda d: d.primitive("f", ["list["], "int", abs), "bad type"),
        (lambda d: d.primitive("f", ["int"], "U", abs), "type variable U of the return type"),
        (lambda d: d.constant("c", "int", "not an int"), "is not of type int"),
        (lambda d: d.constant("c", "list[bool]", [True, 1]), "is not of type list[bool]"),
    ],
)
def test_bad_declarations_raise_clear_nesy_errors(declare, message):
    with pytest.raises(NesyError, match=message.replace("[", r"\[").replace("]", r"\]")):
        declare(make_arith())


def test_signature_names_types_and_implementations():
    signature = make_arith().signature()
    assert signature["name"] == "arith"
    assert signature["primitives"][0] == {
        "name": "add",
        "args": ["int", "int"],
        "returns": "int",
        "impl": "_operator.add",
        "conditional": False,
    }
    assert signature["primitives"][1]["impl"] == "math.gcd"
    assert signature["constants"] == [{"name": "zero", "type": "int", "value": "0"}]
    assert signature["variables"] == {"x": "int"}


def test_describe_lists_every_declaration():
    text = make_arith().describe()
    assert text.splitlines() == [
        "add(int, int) -> int",
        "gcd(int, int) -> int  # greatest common divisor",
        "zero: int",
        "x: int  # input",
    ]


def test_type_names_collects_constructors():
    assert standard_dsl().type_names() == {"int", "bool", "list"}


def test_dsl_with_module_level_functions_pickles():
    dsl = make_arith()
    copy = pickle.loads(pickle.dumps(dsl))
    assert copy.signature() == dsl.signature()
    assert copy.primitives["gcd"].impl(12, 18) == 6


def test_dsl_with_a_lambda_refuses_to_pickle_with_a_clear_message():
    dsl = make_arith()
    dsl.primitive("inc", ["int"], "int", lambda n: n + 1)
    with pytest.raises(NesyError, match="primitive 'inc'.*lambda"):
        pickle.dumps(dsl)
    with pytest.raises(NesyError, match="primitive 'inc'"):
        pickle.dumps(DSLSolver(dsl))
    assert DSLSolver(dsl).run("inc(x)", input={"x": 1}).value == 2  # still fine in-process


def test_dsl_with_a_local_function_or_unpicklable_constant_refuses_to_pickle():
    def local(n):
        return n

    dsl = DSL("local")
    dsl.primitive("ident", ["int"], "int", local)
    with pytest.raises(NesyError, match="local function"):
        pickle.dumps(dsl)
    other = DSL("const")
    other.constant("primes", "list[int]", [2, 3, 5])
    pickle.dumps(other)
    other.constant("gen", "stream", (i for i in range(3)))
    with pytest.raises(NesyError, match="constant 'gen'"):
        pickle.dumps(other)
