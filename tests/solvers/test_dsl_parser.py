"""The dsl backend's tokenizer and parser: call syntax, literals, positions, limits."""

from __future__ import annotations

import pytest

from nesy.errors import ProgramRejected
from nesy.solvers.dsl.parser import Call, Literal, Name, format_literal, iter_nodes, parse, where


def test_nested_calls_names_and_literals():
    tree = parse('f(g(x), -12, "a b", h())')
    assert isinstance(tree, Call) and tree.name == "f"
    g, number, text, h = tree.args
    assert g == Call("g", (Name("x", 4, 5),), 2, 6)
    assert number == Literal(-12, 8, 11)
    assert text.value == "a b"
    assert h == Call("h", (), 20, 23)
    assert (tree.pos, tree.end) == (0, 24)


def test_whitespace_and_newlines_are_free():
    tree = parse(" f (\n  1 ,\n\t2 )\n")
    assert (tree.name, [n.value for n in tree.args], tree.pos) == ("f", [1, 2], 1)


def test_bare_name_and_single_literal_programs():
    assert parse("x") == Name("x", 0, 1)
    assert parse("-0") == Literal(0, 0, 2)
    assert parse('""') == Literal("", 0, 2)


def test_string_escapes():
    assert parse(r'"a\"b\\c\nd\te"').value == 'a"b\\c\nd\te'


@pytest.mark.parametrize("value", ["", "plain", 'quote " inside', "back\\slash", "new\nline\ttab", "ünïcödé"])
def test_format_literal_round_trips(value):
    assert parse(format_literal(value)).value == value


def test_format_literal_ints_and_refusals():
    assert parse(format_literal(-42)).value == -42
    with pytest.raises(TypeError):
        format_literal(True)
    with pytest.raises(TypeError):
        format_literal(1.5)


@pytest.mark.parametrize(
    "program, message",
    [
        ("", "empty program"),
        ("   ", "empty program"),
        ("f(", "line 1, column 3: expected an expression, found the end of the program"),
        ("f(1 2)", "line 1, column 5: expected ',' or ')', found '2'"),
        ("f(1,)", "line 1, column 5: expected an expression, found ')'"),
        ("f(1))", "line 1, column 5: expected the end of the program, found ')'"),
        ("f 1", "line 1, column 3: expected the end of the program, found '1'"),
        (",", "line 1, column 1: expected an expression, found ','"),
        ("f(x.y)", "line 1, column 4: unexpected character '.'"),
        ("-x", "line 1, column 1: unexpected character '-'"),
        ('f("abc)', "line 1, column 3: unterminated string literal"),
        (r'"a\qb"', r"line 1, column 3: unknown escape '\\q'"),
        ("f(1,\n  2 3)", "line 2, column 5: expected ',' or ')'"),
        ("x + 1", "unexpected character '+'"),
        ("f(1)[0]", "unexpected character '['"),
    ],
)
def test_syntax_errors_name_the_position(program, message):
    with pytest.raises(ProgramRejected) as info:
        parse(program)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_nesting_limit_is_a_rejection_not_a_recursion_error():
    ok = "f(" * 500 + "1" + ")" * 500
    assert parse(ok, max_depth=500).name == "f"
    deep = "f(" * 100_000 + "1" + ")" * 100_000
    with pytest.raises(ProgramRejected, match="nests deeper than 500"):
        parse(deep)
    with pytest.raises(ProgramRejected, match="nests deeper than 3"):
        parse("f(f(f(f(1))))", max_depth=3)


def test_wide_programs_parse_without_recursion():
    wide = "f(" + ", ".join(str(i) for i in range(20_000)) + ")"
    assert len(parse(wide).args) == 20_000


def test_long_integer_literals_are_refused():
    assert parse("9" * 1000).value == int("9" * 1000)
    with pytest.raises(ProgramRejected, match="more than 1000 digits"):
        parse("9" * 1001)


def test_iter_nodes_and_where():
    tree = parse("f(g(1), x)")
    assert [type(n).__name__ for n in iter_nodes(tree)] == ["Call", "Call", "Literal", "Name"]
    assert where("ab\ncd", 4) == "line 2, column 2"
