"""The SMT-LIB reader and the command allow-list (the z3 backend's security boundary)."""

from __future__ import annotations

import pytest

from nesy.errors import ProgramRejected
from nesy.solvers.smtlib import MAX_DEPTH, Atom, SList, atoms, read_sexprs, to_text
from nesy.solvers.smtlib_script import ALLOWED_COMMANDS, parse_script, parse_term


def kinds(text: str) -> list[tuple[str, str]]:
    return [(a.kind, a.text) for a in atoms(SList(tuple(read_sexprs(text))))]


def test_token_kinds() -> None:
    assert kinds('x |a b| :named 0 42 1.50 #xFF #b101 "s""t" <=') == [
        ("symbol", "x"),
        ("symbol", "|a b|"),
        ("keyword", ":named"),
        ("numeral", "0"),
        ("numeral", "42"),
        ("decimal", "1.50"),
        ("hex", "#xFF"),
        ("binary", "#b101"),
        ("string", '"s""t"'),
        ("symbol", "<="),
    ]


def test_comments_are_dropped_even_inside_lists() -> None:
    forms = read_sexprs("; head\n(assert ; inner ( not closed\n  (> x 1)) ; tail")
    assert [to_text(f) for f in forms] == ["(assert (> x 1))"]


def test_semicolon_and_parens_inside_quoted_symbols_and_strings_are_data() -> None:
    forms = read_sexprs('(declare-const |x ; (y)| Int) (assert (= s "a ; ) b"))')
    assert forms[0].items[1].name == "x ; (y)"
    assert to_text(forms[1]) == '(assert (= s "a ; ) b"))'


def test_positions_are_one_based_lines_and_columns() -> None:
    form = read_sexprs("\n  (assert\n    foo)")[0]
    assert (form.line, form.column) == (2, 3)
    assert (form.items[1].line, form.items[1].column) == (3, 5)


@pytest.mark.parametrize(
    "text, message",
    [
        ("(assert (> x 1)", "'(' at line 1, column 1 is never closed"),
        ("(a)\n(b))", "unexpected ')' at line 2, column 4"),
        ('(assert "open', "unterminated string at line 1, column 9"),
        ("(a |open", "unterminated or invalid quoted symbol at line 1, column 4"),
        ("(a |x\\y|)", "unterminated or invalid quoted symbol"),
        ("(a [b])", "unexpected character '[' at line 1, column 4"),
        ("(a 12abc)", "unexpected character '1'"),
        ("(a #q1)", "unexpected character '#'"),
        ("(a é)", "unexpected character 'é'"),
    ],
)
def test_syntax_errors_are_rejected_with_position(text: str, message: str) -> None:
    with pytest.raises(ProgramRejected) as info:
        read_sexprs(text)
    assert message in str(info.value)


def test_depth_limit() -> None:
    ok = "(" * MAX_DEPTH + ")" * MAX_DEPTH
    assert len(read_sexprs(ok)) == 1
    with pytest.raises(ProgramRejected, match="nesting deeper than"):
        read_sexprs("(" * (MAX_DEPTH + 1) + ")" * (MAX_DEPTH + 1))


def test_to_text_handles_deep_terms_without_recursion() -> None:
    deep = "(not " * 400 + "p" + ")" * 400
    assert to_text(read_sexprs(deep)[0]) == deep


def test_atom_name_strips_bars() -> None:
    assert Atom("|a b|", "symbol").name == "a b"
    assert Atom('"s"', "string").name == '"s"'


def test_parse_script_records_declarations_and_counts() -> None:
    script = parse_script(
        "(set-logic QF_LIA) (declare-const x Int) (declare-fun f (Int Int) Bool) (push 2) (pop) (get-value (x (f x x)))"
    )
    by_name = {c.name: c for c in script.commands}
    assert by_name["declare-const"].declares == ("x", 0)
    assert by_name["declare-fun"].declares == ("f", 2)
    assert by_name["push"].count == 2 and by_name["pop"].count == 1
    assert by_name["get-value"].terms == ("x", "(f x x)")


REFUSED = [
    "(set-option :produce-models true)",
    '(set-info :source "x")',
    "(get-info :version)",
    '(echo "x")',
    "(exit)",
    "(reset)",
    "(reset-assertions)",
    "(eval x)",
    "(simplify x)",
    '(include "f.smt2")',
    "(check-sat-assuming (p))",
    "(check-sat-using smt)",
    "(apply simplify)",
    "(get-proof)",
    "(get-unsat-core)",
    "(get-assertions)",
    "(get-option :timeout)",
    "(display x)",
    "(declare-rel r (Int))",
    "(query r)",
]


@pytest.mark.parametrize("command", REFUSED)
def test_every_other_command_is_refused_by_name(command: str) -> None:
    name = command[1:].split()[0].rstrip(")")
    assert name not in ALLOWED_COMMANDS
    with pytest.raises(ProgramRejected, match=f"command '{name}' is not allowed"):
        parse_script(f"(declare-const x Int)\n{command}")


@pytest.mark.parametrize(
    "keyword", [":regular-output-channel", ":diagnostic-output-channel", ":dump-models", ":trace", ":smtlib2_log"]
)
def test_dangerous_attributes_are_refused_anywhere(keyword: str) -> None:
    with pytest.raises(ProgramRejected, match=f"attribute '{keyword}' is not allowed \\(line 2\\)"):
        parse_script(f'(declare-const x Int)\n(assert (! (> x 0) {keyword} "out.txt"))')


def test_harmless_attributes_pass() -> None:
    script = parse_script(
        "(declare-fun f (Int) Int) (assert (! (forall ((x Int)) (! (> (f x) 0) :pattern ((f x)) :qid q1)) :named a1))"
    )
    assert [c.name for c in script.commands] == ["declare-fun", "assert"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("x", "expected a command"),
        ("((assert true))", "expected a command"),
        ("(check-sat 1)", "check-sat takes no arguments"),
        ("(push x)", "push takes an optional numeral"),
        ("(push 1000)", "over the limit"),
        ("(get-value x)", "get-value takes one non-empty list"),
        ("(get-value ())", "get-value takes one non-empty list"),
        ("(assert a b)", "assert takes one term"),
        ("(declare-const x)", "malformed declare-const"),
        ("(declare-fun f Int Int)", "malformed declare-fun"),
        ("(set-logic 1)", "set-logic takes one logic name"),
        ("(assert true) (set-logic QF_LIA)", "set-logic must be the first command"),
    ],
)
def test_malformed_commands_are_rejected(text: str, message: str) -> None:
    with pytest.raises(ProgramRejected, match=message):
        parse_script(text)


def test_parse_term_accepts_one_term_only() -> None:
    assert parse_term("(and p\n q)") == "(and p q)"
    with pytest.raises(ProgramRejected, match="unbalanced parentheses"):
        parse_term("x) (set-option :trace true) (assert (= x 1)")
    with pytest.raises(ProgramRejected, match="expected one term, got 2"):
        parse_term("x (check-sat)")
    with pytest.raises(ProgramRejected, match="attribute ':trace'"):
        parse_term("(! p :trace true)")
