"""The ASP filter: refused constructs, accepted look-alikes, and agreement with clingo's own lexer."""

from __future__ import annotations

import itertools

import clingo
import clingo.ast
import pytest

from nesy.errors import ProgramRejected
from nesy.solvers.asp_filter import ALLOWED_DIRECTIVES, check_program, check_term, tokenize


@pytest.mark.parametrize(
    "program, construct, line",
    [
        ("a.\n#script (python)\nimport os\n#end.", "#script", 2),
        ("#script (lua)\nos.execute('ls')\n#end.", "#script", 1),
        ('a.\nb.\n#include "x".', "#include", 3),
        ("#include <incmode>.", "#include", 1),
        ("#theory t { }.", "#theory", 1),
        ("a. #end.", "#end", 1),
        ("#foo.", "#foo", 1),
        ("#Script (python)\n#end.", "#Script", 1),
        ("#showx.", "#showx", 1),
        ("# script (python)", "stray '#'", 1),
        ("p(@f(1)).", "@f", 1),
        ("p :- X = @g, q(X).", "@g", 1),
        ("a :- not @g = 1.", "@g", 1),
        ("a :- X = @ %* comment *% g(1).", "@g", 1),
        ("{a}. :~ a. [1@f(2)]", "@f", 1),
        ("p(@__import__(\"os\")).", "@__import__", 1),
    ],
)
def test_forbidden_constructs_are_refused_with_their_name_and_line(program, construct, line):
    with pytest.raises(ProgramRejected) as info:
        check_program(program)
    message = str(info.value)
    assert construct in message and message.startswith(f"line {line}:"), message


def test_allowed_functions_pass_and_are_reported():
    info = check_program("p(@add(1,2)). q(@two).", allowed_functions={"add", "two"})
    assert info.functions == {"add", "two"}
    with pytest.raises(ProgramRejected, match=r"@sub is not allowed \(allowed: add\)"):
        check_program("p(@sub(1,2)).", allowed_functions={"add"})


@pytest.mark.parametrize(
    "program",
    [
        "a. % #script (python) in a line comment\nb.",
        "a. %* #script (python)\n#end. *% b.",
        "%* outer %* #include \"x\". *% still comment #script *% a.",
        "a. %* % a line comment inside a block *% #script\n *% b.",
        'p("#script (python)"). q("@f(1)"). r("#include \\"x\\".").',
        'p("escaped \\" quote #script"). q("back\\\\slash").',
        "#!#script shebang-style comment\na.",
        ":~ a. [1@low] a. #const low=2.",
        ":~ p(W). [W@low, W] p(1). #const low=1.",
        ":~ p(W,P). [W@P] p(1,2).",
        "#sum+ { 1 : a } > 0 :- a. a.",
        "x(#inf). y(#supremum). z(#infimum). w(#sup).",
    ],
)
def test_look_alikes_in_comments_strings_and_priorities_are_accepted(program):
    check_program(program)
    control = clingo.Control(logger=lambda code, message: None)
    control.add("base", [], program)  # clingo agrees: no script, no include, no external call
    control.ground([("base", [])], context=_Refuse())


class _Refuse:
    def __getattr__(self, name):
        raise AssertionError(f"clingo tried to call @{name}")


@pytest.mark.parametrize(
    "program, problem",
    [
        ('p("abc).', "unterminated string"),
        ('p("abc\nd").', "unterminated string"),
        ('p("a\\tb").', "invalid escape"),
        ("a. %* never closed", "unterminated block comment"),
        ("a. %* outer %* inner *% still open", "unterminated block comment"),
        ("a. %* closing hidden by a line comment % *%", "unterminated block comment"),
        ("a.\0#script (python)", "NUL byte"),
    ],
)
def test_unterminated_strings_and_comments_are_refused(program, problem):
    with pytest.raises(ProgramRejected, match=problem):
        check_program(program)


def test_every_allowed_directive_is_a_real_clingo_keyword():
    for name in ALLOWED_DIRECTIVES:
        assert check_program(f"% uses #{name}\n").directives == frozenset()
    uses = check_program("#const n=2. p(1..n). #show p/1. #minimize { X : p(X) }. #external e. #count{1:a}.")
    assert uses.directives == {"const", "show", "minimize", "external", "count"}


def test_tokenize_drops_comments_and_keeps_strings_whole():
    tokens = tokenize('a("%* x") :- b. % c\n%* d *% e.')
    assert [t.text for t in tokens] == ["a", "(", '"%* x"', ")", ":", "-", "b", ".", "e", "."]
    assert tokens[2].kind == "string"


def test_check_term_accepts_atoms_only():
    check_term('edge(1, "a b")')
    for bad in ["p. q", "p :- q", "@f(1)", "#true", "p(1..3)", ""]:
        with pytest.raises(ProgramRejected):
            check_term(bad)


_SCRIPT = "#script (python) x = 1 #end."


def _programs(alphabet: list[str], max_length: int):
    for length in range(1, max_length + 1):
        for combo in itertools.product(alphabet, repeat=length):
            yield " ".join(combo)


def _clingo_sees_a_script(program: str) -> bool:
    kinds = []
    try:
        clingo.ast.parse_string(program, lambda stm: kinds.append(stm.ast_type), logger=lambda c, m: None)
    except RuntimeError:
        pass  # statements before a syntax error are still reported
    return clingo.ast.ASTType.Script in kinds


@pytest.mark.parametrize(
    "alphabet, max_length",
    [
        (["%*", "*%", "%", '"', "\n", _SCRIPT], 6),  # nesting, '%' inside block comments, strings
        (['"', '\\"', "\\", "#!", "%", "\n", _SCRIPT], 5),  # escapes, shebang comments
    ],
)
def test_filter_lexes_comments_and_strings_exactly_like_clingo(alphabet, max_length):
    """Every short program over a tricky alphabet: if the filter accepts it, clingo sees no script.

    (Each of three plausible lexer mistakes — non-nesting block comments, no line comments
    inside block comments, strings spanning lines — lets a script through on this corpus.)
    """
    accepted = 0
    for program in _programs(alphabet, max_length):
        if _SCRIPT not in program:
            continue
        try:
            check_program(program)
        except ProgramRejected:
            continue
        accepted += 1
        assert not _clingo_sees_a_script(program), program
    assert accepted > 1000  # scripts hidden in comments and strings were accepted and checked


def test_filter_never_lets_clingo_call_an_external_function():
    alphabet = ["@", "f", "(1)", "1", "X", "a :- not", "= 1", ",", "p(", ")", "a :-", "[", "]", ":~ a."]
    accepted = 0
    for program in _programs(alphabet, 4):
        if "@" not in program:
            continue
        try:
            check_program(program + ".")
        except ProgramRejected:
            continue
        accepted += 1
        control = clingo.Control(logger=lambda code, message: None)
        try:
            control.add("base", [], program + ".")
            control.ground([("base", [])], context=_Refuse())  # raises AssertionError on a call
        except RuntimeError:
            pass
    assert accepted > 300  # priorities such as '1@f' and 'X@f' were accepted and grounded
