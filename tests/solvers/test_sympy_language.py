"""The sympy language: what the allow-listed AST walker accepts, refuses, and guards against."""

from __future__ import annotations

import pytest
import sympy

from nesy.errors import ProgramFailed, ProgramRejected
from nesy.solvers.sympy_ast import parse_program
from nesy.solvers.sympy_eval import evaluate
from nesy.solvers.sympy_functions import CONSTANTS, FUNCTIONS, Limits
from nesy.solvers.sympy_solver import SympySolver
from nesy.verdict import Status

x, y = sympy.symbols("x y")

REFUSED = [
    # (program, words the message must contain)
    ("x.__class__", "attribute access"),
    ("(x + 1).subs(x, 2)", "attribute access"),
    ("lambda: 1", "lambda"),
    ("[i for i in [1, 2]]", "comprehension"),
    ("{i for i in [1, 2]}", "comprehension"),
    ("{i: i for i in [1, 2]}", "comprehension"),
    ("gcd(i for i in [1, 2])", "generator expression"),
    ("f'{x}'", "f-string"),
    ("solve(*[x], x)", "starred argument"),
    ("[*[x]]", "starred argument"),
    ("(a := 2)", "walrus"),
    ("import os\nx", "import"),
    ("from os import path\nx", "import"),
    ("def f():\n    return 1\nx", "def"),
    ("class A:\n    pass\nx", "class"),
    ("for i in [1]:\n    i\nx", "loop"),
    ("while x:\n    pass\nx", "loop"),
    ("with x:\n    pass\nx", "with"),
    ("try:\n    x\nexcept Exception:\n    x\nx", "try"),
    ("del x\nx", "del"),
    ("global x\nx", "global"),
    ("if x:\n    x\nx", "if"),
    ("1 if x else 2", "conditional expression"),
    ("{1: 2}", "dict literal"),
    ("{1, 2}", "set literal"),
    ("[1, 2][0:1]", "slice"),
    ("yield 1", "yield"),
    ("return 1", "return"),
    ("assert x", "assert"),
    ("pass", "pass"),
    ("x: int = 1\nx", "annotated assignment"),
    ("x @ y", "@ operator"),
    ("x ^ 2", "use ** for powers"),
    ("x << 2", "<< operator"),
    ("x is y", "is"),
    ("x in [1]", "in"),
    ("x not in [1]", "not in"),
    ("'abc'", "string literal"),
    ("b'abc'", "literal bytes"),
    ("None", "literal NoneType"),
    ("...", "literal ellipsis"),
    ("2j", "complex literals"),
    ("1e999", "not finite"),
    ("open('/etc/passwd')", "function 'open' is not allowed"),
    ("sympify('x')", "function 'sympify' is not allowed"),
    ("Symbol('x')", "function 'Symbol' is not allowed"),
    ("(x + 1)(2)", "only allow-listed functions may be called"),
    ("x(1)", "function 'x' is not allowed"),
    ("solve(x, x)[0](1)", "only allow-listed functions may be called"),
    ("solve(x, x, **{'dict': True})", "**keyword arguments"),
    ("solve(x, x, check=False)", "keyword argument 'check' of solve() is not allowed"),
    ("solve(x, x, dict=1)", "solve(dict=...) must be one of True, False"),
    ("limit(1/x, x, 0, dir=x)", "limit(dir=...) must be one of"),
    ("limit(1/x, x, 0, dir='up')", "limit(dir=...) must be one of"),
    ("__import__", "name '__import__' is not allowed"),
    ("_private + 1", "name '_private' is not allowed"),
    ("a__b", "name 'a__b' is not allowed"),
    ("pi = 3\npi", "cannot assign to the reserved name 'pi'"),
    ("solve = 3\nx", "cannot assign to the reserved name 'solve'"),
    ("a, b = 1, 2\na", "only simple assignments"),
    ("a = b = 1\na", "only simple assignments"),
    ("a[0] += 1\na", "only simple assignments"),
    ("x\ny", "only the last statement may be a bare expression"),
    ("a = 1", "the last statement must be an expression"),
    ("", "empty program"),
    ("sin", "'sin' is a function"),
    ("sin(x, y)", "sin() takes at least 1 and at most 1 positional arguments, got 2"),
    ("limit(x, x)", "limit() takes at least 3"),
]


@pytest.mark.parametrize("program, words", REFUSED, ids=[p for p, _ in REFUSED])
def test_refused_constructs_get_a_rejected_verdict_naming_them(program: str, words: str) -> None:
    verdict = SympySolver().run(program)
    assert verdict.status is Status.REJECTED, verdict
    assert words in verdict.message
    assert "\n" not in verdict.message


def test_rejections_name_the_position() -> None:
    with pytest.raises(ProgramRejected, match=r"attribute access is not allowed \(line 2, column 5\)"):
        parse_program("a = 1\nb = a.real\nb")
    with pytest.raises(ProgramRejected, match=r"the \^ operator .* \(line 1, column 1\)"):
        parse_program("x ^ 2")


def test_the_first_offence_in_source_order_is_reported() -> None:
    with pytest.raises(ProgramRejected, match="import is not allowed"):
        parse_program("import os\nos.system('true')\nx")


def test_forbidden_construct_anywhere_stops_the_program_before_anything_runs() -> None:
    # the hard integral would take seconds; the lambda after it is found first, statically
    verdict = SympySolver().run("a = integrate(exp(sin(x))*log(x)/(1 + x**5), x)\nb = lambda: 1\na")
    assert verdict.status is Status.REJECTED
    assert verdict.stats["wall_seconds"] < 1.0


@pytest.mark.parametrize("program", ["1 +", "solve((x, x)", "x = = 2", "\x00x", "  x", "def"])
def test_syntax_errors_are_rejected(program: str) -> None:
    verdict = SympySolver().run(program)
    assert verdict.status is Status.REJECTED
    assert "syntax error" in verdict.message or "could not be parsed" in verdict.message


@pytest.mark.parametrize(
    "program",
    [
        "sin(" * 120 + "x" + ")" * 120,  # deeper than Limits.max_depth
        "(" * 1000 + "x" + ")" * 1000,  # deeper than the parser allows
        "+".join(["1"] * 200_000),  # a flat sum the parser nests 200 000 deep
        "-" * 100_000 + "x",
        "[" * 150 + "x" + "]" * 150,
    ],
    ids=["calls", "parentheses", "flat-sum", "unary", "lists"],
)
def test_deep_nesting_is_rejected_not_a_recursion_error(program: str) -> None:
    verdict = SympySolver().run(program)
    assert verdict.status is Status.REJECTED
    assert "nest" in verdict.message or "parenthes" in verdict.message


def test_node_and_statement_limits() -> None:
    with pytest.raises(ProgramRejected, match="more than 50 syntax nodes"):
        parse_program(" + ".join(["x"] * 40), Limits(max_nodes=50))
    with pytest.raises(ProgramRejected, match="over the limit of 3"):
        parse_program("a = 1\nb = 2\nc = 3\nd = 4\nd", Limits(max_statements=3))


def test_names_become_symbols_and_constants_are_sympy_constants() -> None:
    assert evaluate("alpha + beta") == sympy.Symbol("alpha") + sympy.Symbol("beta")
    assert evaluate("[pi, E, I, oo]") == [sympy.pi, sympy.E, sympy.I, sympy.oo]
    assert evaluate("solveset(x**2 - 4, x, Integers)") == sympy.FiniteSet(-2, 2)


def test_operators_map_to_sympy() -> None:
    assert evaluate("7 // 2") == 3
    assert evaluate("7 % 3") == 1
    assert evaluate("x % 3") == sympy.Mod(x, 3)
    assert evaluate("1/3") == sympy.Rational(1, 3)
    assert evaluate("-x + +y") == y - x
    assert evaluate("x == 2") == sympy.Eq(x, 2)
    assert evaluate("x != 2") == sympy.Ne(x, 2)
    assert evaluate("1 < x <= 3") == sympy.And(sympy.Lt(1, x), sympy.Le(x, 3))
    assert evaluate("x > 1 and x < 3") == evaluate("(x > 1) & (x < 3)")
    assert evaluate("x < 1 or x > 3") == evaluate("(x < 1) | (x > 3)")
    assert evaluate("not (x > 1)") == evaluate("~(x > 1)") == sympy.Le(x, 1)
    assert evaluate("2 == 2") is sympy.true


def test_assignments_augmented_assignments_and_subscripts() -> None:
    assert evaluate("a = 3\na += 2\na *= x\na") == 5 * x
    assert evaluate("s = solve(x**2 - 9, x)\ns[-1] - s[0]") == 6
    assert evaluate("solve([x + y - 10, x - y - 2], [x, y])[x]") == 6
    assert evaluate("solve([x**2 - y, x + y - 2], [x, y], dict=True)[1][y]") == 1
    assert evaluate("linsolve([x + y - 10, x - y - 2], [x, y])[0][1]") == 4


def test_bindings_shadow_symbols() -> None:
    assert evaluate("a*x", bindings={"a": sympy.Integer(4)}) == 4 * x


@pytest.mark.parametrize(
    "program, words",
    [
        ("[1, 2][5]", "out of range"),
        ("[1] + [2]", "'+' needs numbers or expressions, got a list"),
        ("[x] * 10**9", "'*' needs numbers or expressions"),
        ("x[0]", "cannot index Symbol"),
        ("[1, 2][x]", "list indices must be integers"),
        ("solve([x + y - 1, x - y], [x, y])[z]", "no entry z"),
        ("(x > 1) + 1", "'+' needs numbers or expressions"),
        ("x & 1", "And needs conditions"),
        ("[1] < 2", "comparisons need numbers"),
        ("Mod(7, 0)", "Mod() failed"),
        ("solve(sin(x) - x**x, x)", "solve() failed"),
    ],
)
def test_run_time_errors_are_error_verdicts(program: str, words: str) -> None:
    verdict = SympySolver().run(program)
    assert verdict.status is Status.ERROR, verdict
    assert words in verdict.message
    assert "\n" not in verdict.message


@pytest.mark.parametrize(
    "program",
    [
        "2**2**2**30",
        "10**10**8",
        "(2**50000)**3",
        "a = 10**30000\na**4",
        "Rational(1, 3)**(10**7)",
        "x**(10**9)",
        "2**(10**9*x)",
        "exp(10**9*log(2))",
        "E**(10**9)",
        "root(2, Rational(1, 10**9))",
        "factorial(10**6)",
        "binomial(10**6, 5*10**5)",
        "N(pi, 10**6)",
        "N(pi, 0)",
        "diff(sin(x), x, 10**9)",
        "diff(sin(x), (x, 10**9))",
        "series(sin(x), x, 0, 10**9)",
        "integrate(2**x, (x, 0, 10**9))",
        "summation(2**k, (k, 1, 10**9))",
        "limit(2**x, x, 10**9)",
    ],
)
def test_huge_results_are_refused_before_computing(program: str) -> None:
    verdict = SympySolver().run(program)
    assert verdict.status is Status.REJECTED, verdict
    assert verdict.message.startswith("refused:")
    assert verdict.stats["wall_seconds"] < 1.0


def test_big_but_allowed_numbers_work() -> None:
    solver = SympySolver()
    assert solver.run("2**20000 % 1000").value == 2**20000 % 1000
    assert solver.run("factorial(1000) // factorial(998)").value == 999000
    assert solver.run("binomial(10**30, 2)").value == 10**30 * (10**30 - 1) // 2
    assert solver.run("(-1)**(10**12) + 1**(10**12)").value == 2


def test_growth_past_the_integer_limit_is_stopped_after_one_step() -> None:
    verdict = SympySolver().run("a = 2**60000\nb = a*a\nc = b*b\nc")
    assert verdict.status is Status.ERROR
    assert "result too large" in verdict.message and "(line 2, column 5)" in verdict.message


def test_the_allow_list_is_sympy_callables_and_reserved_names_do_not_overlap() -> None:
    assert {"solve", "simplify", "integrate", "diff", "limit", "Eq", "sqrt", "N"} <= set(FUNCTIONS)
    assert not {"sympify", "parse_expr", "lambdify", "nsimplify", "Symbol", "eval", "exec", "open"} & set(FUNCTIONS)
    assert not set(FUNCTIONS) & set(CONSTANTS)
    assert all(callable(spec.target) for spec in FUNCTIONS.values())


def test_program_text_never_reaches_sympys_string_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    import sympy.parsing.sympy_parser as sympy_parser

    def forbidden(*args, **kwargs):
        raise AssertionError("parse_expr was called")

    monkeypatch.setattr(sympy_parser, "parse_expr", forbidden)
    solver = SympySolver()
    programs = [
        "solve(Eq(x**2, 4), x)",
        "limit(1/x, x, 0, dir='-')",
        "integrate(sin(x)*x, (x, 0, pi))",
        "series(exp(x), x, 0, 4)",
        "solveset(x**2 - 1, x, Reals)",
        "Rational(3, 6) + N(sqrt(2), 20)",
    ]
    for program in programs:
        assert solver.run(program).status is Status.OK, program
    assert solver.check("factor(x**2 - 1)", expected="(x - 1)*(x + 1)").status is Status.OK


def test_evaluate_raises_typed_errors() -> None:
    with pytest.raises(ProgramRejected):
        evaluate("x.y")
    with pytest.raises(ProgramFailed):
        evaluate("[1][3]")
