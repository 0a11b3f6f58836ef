"""Type terms of the dsl backend: parsing, unification, inference from values."""

from __future__ import annotations

import pytest

from nesy.errors import NesyError
from nesy.solvers.dsl.typeterms import (
    MAX_TYPE_DEPTH,
    FreshVars,
    TypeCon,
    TypeTooDeep,
    TypeVar,
    normalize,
    parse_type,
    rename,
    resolve,
    type_of_value,
    unify,
    value_matches,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("int", TypeCon("int")),
        ("T", TypeVar("T")),
        ("list[int]", TypeCon("list", (TypeCon("int"),))),
        (" pair[ T , list[U] ] ", TypeCon("pair", (TypeVar("T"), TypeCon("list", (TypeVar("U"),))))),
        ("Grid", TypeCon("Grid")),  # more than one letter: a base type, not a variable
    ],
)
def test_parse_type(text, expected):
    assert parse_type(text) == expected


def test_parse_type_round_trips_through_str():
    for text in ["int", "list[list[T]]", "pair[int, str]", "seq"]:
        assert str(parse_type(text)) == text


@pytest.mark.parametrize("text", ["", "list[", "list[int", "list[]", "T[int]", "int]", "3", "list[int,]", "a b", "x->y"])
def test_bad_types_are_nesy_errors(text):
    with pytest.raises(NesyError):
        parse_type(text)


def test_parse_type_rejects_non_strings_and_absurd_nesting():
    with pytest.raises(NesyError):
        parse_type(3)
    with pytest.raises(NesyError, match="deeper"):
        parse_type("list[" * (MAX_TYPE_DEPTH + 5) + "int" + "]" * (MAX_TYPE_DEPTH + 5))


def test_unify_binds_variables_inside_constructors():
    subst = {}
    assert unify(parse_type("pair[T, list[T]]"), parse_type("pair[int, U]"), subst)
    assert str(resolve(parse_type("U"), subst)) == "list[int]"


def test_unify_fails_on_clashes_and_occurs_check():
    assert not unify(parse_type("list[int]"), parse_type("list[str]"), {})
    assert not unify(parse_type("pair[int, int]"), parse_type("list[int]"), {})
    assert not unify(parse_type("T"), parse_type("list[T]"), {})  # infinite type


def test_unify_trail_records_bindings_for_undo():
    subst, trail = {}, []
    assert not unify(parse_type("pair[A, int]"), parse_type("pair[str, bool]"), subst, trail)
    assert trail == ["A"]
    for name in trail:
        del subst[name]
    assert subst == {}


def test_resolve_refuses_deep_types():
    subst = {f"V{i}": TypeCon("list", (TypeVar(f"V{i + 1}"),)) for i in range(MAX_TYPE_DEPTH + 2)}
    with pytest.raises(TypeTooDeep):
        resolve(TypeVar("V0"), subst)


def test_fresh_vars_and_rename_are_simultaneous():
    fresh = FreshVars()
    a, b = fresh.instantiate([parse_type("list[T]"), parse_type("T")])
    assert a == TypeCon("list", (b,)) and b != TypeVar("T")
    (c,) = fresh.instantiate([parse_type("T")])
    assert c != b
    assert str(rename(parse_type("pair[T, U]"), {"T": TypeVar("U"), "U": TypeVar("T")})) == "pair[U, T]"
    assert str(normalize(parse_type("pair[U, T]"))) == "pair[T, U]"


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, "int"),
        (True, "bool"),
        ("a", "str"),
        ([1, 2], "list[int]"),
        ((True,), "list[bool]"),
        ([], "list[T]"),
        ([[], [1]], "list[list[int]]"),
        ([[], []], "list[list[T]]"),
    ],
)
def test_type_of_value(value, expected):
    assert str(type_of_value(value)) == expected


@pytest.mark.parametrize("value", [1.5, None, {"a": 1}, [1, "a"], [1, True], [[1], ["a"]]])
def test_type_of_value_gives_up_on_unknown_or_mixed_values(value):
    assert type_of_value(value) is None


def test_value_matches():
    assert value_matches(3, parse_type("int"))
    assert not value_matches(True, parse_type("int"))
    assert not value_matches(3, parse_type("bool"))
    assert value_matches((1, 2), parse_type("list[int]"))
    assert not value_matches([1, "a"], parse_type("list[int]"))
    assert value_matches(["a"], parse_type("list[T]"))
    assert value_matches(object(), parse_type("grid"))  # the DSL author's own type: not checked
