"""The z3 backend on small real problems: verdicts, values, check mode, limits and refusals."""

from __future__ import annotations

import json
import pickle
import time

import pytest

from nesy.budget import Budget
from nesy.registry import get_solver
from nesy.solvers.z3_solver import Z3Solver
from nesy.verdict import Status

SOLVER = Z3Solver()

LIA = """
; two numbers with a given sum and difference
(declare-const x Int)
(declare-const y Int)
(assert (= (+ x y) 10))
(assert (= (- x y) 2))
(check-sat)
"""

# Four runners A, B, C, D finish in positions 1..4 (all different).
ORDERING = """
(declare-const a Int) (declare-const b Int) (declare-const c Int) (declare-const d Int)
(assert (and (<= 1 a 4) (<= 1 b 4) (<= 1 c 4) (<= 1 d 4)))
(assert (distinct a b c d))
(assert (< a b))            ; A beats B
(assert (= c (+ d 1)))      ; C finishes right after D
(assert (not (= a 1)))      ; A did not win
(check-sat)
"""

NONLINEAR = """
(declare-const x Int) (declare-const y Int) (declare-const z Int)
(assert (> x 1)) (assert (> y 1)) (assert (> z 1))
(assert (= (+ (* x x x) (* y y y)) (* z z z)))
(check-sat)
"""


def test_linear_integer_arithmetic() -> None:
    verdict = SOLVER.run(LIA)
    assert verdict.status is Status.SAT
    assert verdict.value == {"x": 6, "y": 4}
    assert verdict.message == "sat"
    assert "(define-fun x () Int\n  6)" in verdict.certificate
    assert verdict.stats["check_sats"] == 1.0 and verdict.stats["wall_seconds"] >= verdict.stats["solver_seconds"]


def test_ordering_puzzle_has_the_expected_answer() -> None:
    verdict = SOLVER.run(ORDERING)
    assert verdict.status is Status.SAT
    assert verdict.value == {"a": 3, "b": 4, "c": 2, "d": 1}
    assert SOLVER.check(ORDERING, expected={"d": 1, "a": 3}).status is Status.OK


def test_unsat_has_no_value_and_checks_against_unsat() -> None:
    program = "(declare-const x Int) (assert (> x 5)) (assert (< x 3)) (check-sat)"
    verdict = SOLVER.run(program)
    assert (verdict.status, verdict.value, verdict.certificate) == (Status.UNSAT, None, None)
    assert SOLVER.check(program, expected="unsat").status is Status.OK
    assert SOLVER.check(program, expected="UNSAT").status is Status.OK
    mismatch = SOLVER.check(program, expected="sat")
    assert mismatch.status is Status.MISMATCH and mismatch.message.startswith("expected sat")
    assert SOLVER.check(program, expected={"x": 4}).status is Status.MISMATCH


def test_check_mode_on_sat_results() -> None:
    assert SOLVER.check(LIA, expected="sat").status is Status.OK
    assert SOLVER.check(LIA, expected="unsat").status is Status.MISMATCH
    assert SOLVER.check(LIA, expected={"x": 6}).status is Status.OK
    assert SOLVER.check(LIA, expected={"x": 6.0, "y": "4"}).status is Status.OK
    wrong = SOLVER.check(LIA, expected={"x": 5})
    assert wrong.status is Status.MISMATCH and wrong.value == {"x": 6, "y": 4}
    assert SOLVER.check(LIA, expected={"z": 1}).status is Status.MISMATCH
    assert SOLVER.check(LIA, expected={"x": True}).status is Status.MISMATCH


def test_check_passes_non_success_verdicts_through() -> None:
    assert SOLVER.check("(echo \"hi\")", expected="sat").status is Status.REJECTED


def test_get_value_reports_the_requested_terms() -> None:
    verdict = SOLVER.run(LIA + "(get-value (x (*  x y) (> x y)))")
    assert verdict.value == {"x": 6, "(* x y)": 24, "(> x y)": True}
    assert SOLVER.check(LIA + "(get-value ((* x y)))", expected={"(* x y)": 24}).status is Status.OK


def test_get_value_uses_model_completion_for_unconstrained_constants() -> None:
    verdict = SOLVER.run("(declare-const x Int) (declare-const p Bool) (check-sat) (get-value (x p))")
    assert verdict.value == {"x": 0, "p": False}


def test_enum_datatype_both_syntaxes() -> None:
    new = """(declare-datatypes ((Color 0)) (((red) (green) (blue))))
             (declare-const c Color) (assert (not (= c red))) (assert (not (= c blue))) (check-sat)"""
    old = "(declare-datatypes () ((Color red green blue))) (declare-const c Color) (assert (is-green c)) (check-sat)"
    assert SOLVER.run(new).value == {"c": "green"}
    assert SOLVER.run(old).value == {"c": "green"}


def test_recursive_datatype_value_is_smtlib_text() -> None:
    program = """(declare-datatypes ((L 0)) (((nil) (cons (hd Int) (tl L)))))
                 (declare-const l L) (assert ((_ is cons) l)) (assert (= (hd l) 3)) (assert (= (tl l) nil))"""
    assert SOLVER.run(program).value == {"l": "(cons 3 nil)"}


def test_bit_vectors_are_unsigned_ints() -> None:
    program = "(declare-const x (_ BitVec 8)) (assert (= (bvmul x #x03) #x15)) (check-sat) (get-value (x (bvneg x)))"
    assert SOLVER.run(program).value == {"x": 7, "(bvneg x)": 249}


def test_reals_rationals_and_algebraic_numbers() -> None:
    rational = SOLVER.run("(declare-const r Real) (declare-const w Real) (assert (= (* 3 r) 1)) (assert (= w 2.0))")
    assert rational.value == {"r": "1/3", "w": "2"}
    assert SOLVER.check("(declare-const r Real) (assert (= (* 2 r) 1))", expected={"r": 0.5}).status is Status.OK
    root = SOLVER.run("(declare-const r Real) (assert (= (* r r) 2.0)) (assert (> r 0.0))")
    assert root.value == {"r": "(root-obj (+ (^ x 2) (- 2)) 2)"}


def test_strings_functions_arrays_and_quoted_symbols() -> None:
    program = '''(declare-const s String) (declare-fun f (Int) Int) (declare-const a (Array Int Int))
                 (declare-const |my var| Bool)
                 (assert (= s "say ""hi"""))  (assert (= (f 1) 2)) (assert (= a ((as const (Array Int Int)) 0)))
                 (assert |my var|)'''
    value = SOLVER.run(program).value
    assert value["s"] == 'say "hi"'
    assert value["f"] == "(define-fun f ((x!0 Int)) Int 2)"
    assert value["a"] == "((as const (Array Int Int)) 0)"
    assert value["my var"] is True
    json.dumps(SOLVER.run(program).to_dict())  # JSON-friendly


def test_define_fun_and_named_assertions() -> None:
    program = "(declare-const x Int) (define-fun twice ((y Int)) Int (* 2 y)) (assert (! (= (twice x) 8) :named eq))"
    assert SOLVER.run(program).value == {"x": 4}


def test_without_check_sat_one_is_implied() -> None:
    assert SOLVER.run("(declare-const x Int) (assert (= x 3))").value == {"x": 3}
    assert SOLVER.run("").status is Status.SAT


def test_push_pop_scopes_assertions_and_declarations() -> None:
    program = """(declare-const x Int) (assert (> x 0))
                 (push 1) (assert (< x 0)) (check-sat) (pop 1)
                 (push) (declare-const y Bool) (assert y) (pop)
                 (declare-const y Int) (assert (= y (+ x 1))) (assert (= x 1))
                 (check-sat)"""
    verdict = SOLVER.run(program)
    assert verdict.status is Status.SAT and verdict.value == {"x": 1, "y": 2}
    assert "check-sat results: unsat, sat" in verdict.message
    assert verdict.stats["check_sats"] == 2.0


def test_push_and_pop_zero_do_nothing() -> None:
    program = "(declare-const x Int) (push 0) (assert (= x 2)) (pop 0) (check-sat)"
    assert SOLVER.run(program).value == {"x": 2}


def test_the_last_check_sat_is_reported() -> None:
    program = "(declare-const x Int) (check-sat) (get-value (x)) (assert (> x x)) (check-sat)"
    assert SOLVER.run(program).status is Status.UNSAT


def test_pop_without_push_is_rejected() -> None:
    verdict = SOLVER.run("(declare-const x Int)\n(push 1)\n(pop 2)")
    assert verdict.status is Status.REJECTED and verdict.message == "pop 2 without a matching push (line 3)"


@pytest.mark.parametrize(
    "program",
    [
        "(declare-const x Int) (get-value (x)) (check-sat)",
        "(declare-const x Int) (check-sat) (assert (> x 1)) (get-model)",
    ],
)
def test_get_commands_must_follow_check_sat(program: str) -> None:
    verdict = SOLVER.run(program)
    assert verdict.status is Status.REJECTED and "must follow check-sat" in verdict.message


def test_unknown_via_z3_timeout_on_nonlinear_integers() -> None:
    start = time.perf_counter()
    verdict = SOLVER.run(NONLINEAR, budget=Budget(wall_seconds=0.5))
    assert time.perf_counter() - start < 1.0
    assert verdict.status is Status.UNKNOWN
    assert "timeout" in verdict.message or "canceled" in verdict.message
    assert verdict.value is None


def test_rlimit_gives_a_reproducible_unknown_and_changes_the_fingerprint() -> None:
    limited = Z3Solver(rlimit=2000)
    verdict = limited.run(NONLINEAR, budget=Budget(wall_seconds=5.0))
    assert verdict.status is Status.UNKNOWN
    assert "resource" in verdict.message or "canceled" in verdict.message
    assert limited.run(NONLINEAR, budget=Budget(wall_seconds=5.0)).message == verdict.message
    assert limited.fingerprint() != SOLVER.fingerprint()
    assert limited.config() == {"rlimit": 2000}


@pytest.mark.parametrize(
    "program, message",
    [
        ("(declare-const x Int)\n(assert (> y 1))", "z3: unknown constant y (line 2)"),
        ("(declare-const x Int)\n\n(assert (= x \"a\"))", "z3: Sorts Int and String are incompatible (line 3)"),
        ("(declare-const x Int) (assert (+ x 1))", "z3: invalid assert command, term is not Boolean (line 1)"),
        ("(declare-const x Int)\n(declare-const x Int)", "(line 2)"),
        ("(declare-const x Int) (check-sat) (get-value ((+ x q)))", "z3: unknown constant q (line 1)"),
        ("(declare-const x Foo)", "unknown sort 'Foo'"),
    ],
)
def test_z3_parse_and_sort_errors_are_rejected_on_one_line(program: str, message: str) -> None:
    verdict = SOLVER.run(program)
    assert verdict.status is Status.REJECTED
    assert message in verdict.message and "\n" not in verdict.message


def test_refusals_and_syntax_errors_are_verdicts() -> None:
    assert SOLVER.run("(set-option :produce-models true)").message == "command 'set-option' is not allowed (line 1)"
    assert "never closed" in SOLVER.run("(assert (> x 1)").message
    assert SOLVER.run(b"(check-sat)").status is Status.REJECTED  # type: ignore[arg-type]
    big = SOLVER.run("(assert true) " * 100, budget=Budget(max_program_bytes=100))
    assert big.status is Status.REJECTED and "over the limit" in big.message
    many = SOLVER.run("(check-sat) " * 33)
    assert many.status is Status.REJECTED and "over the limit of 32" in many.message


def test_input_is_a_filtered_prelude() -> None:
    prelude = "(declare-const x Int) (assert (> x 4))"
    assert SOLVER.run("(assert (< x 6)) (check-sat)", input=prelude).value == {"x": 5}
    assert "found 'check-sat'" in SOLVER.run("(check-sat)", input="(check-sat)").message
    assert "not allowed" in SOLVER.run("(check-sat)", input="(set-option :trace true)").message
    assert "input must be None or SMT-LIB text" in SOLVER.run("(check-sat)", input={"x": 1}).message
    assert "must come first" in SOLVER.run("(set-logic QF_LIA) (check-sat)", input="(declare-const x Int)").message


def test_set_logic_is_honoured() -> None:
    assert SOLVER.run("(set-logic QF_LIA) (declare-const x Int) (assert (> x 1))").value == {"x": 2}


def test_solver_identity_pickling_and_registry() -> None:
    assert (SOLVER.name, SOLVER.languages) == ("z3", ("smtlib2",))
    assert SOLVER.version.startswith("1+z3-")
    clone = pickle.loads(pickle.dumps(Z3Solver(rlimit=10_000_000)))
    assert clone.rlimit == 10_000_000 and clone.run(LIA).value == {"x": 6, "y": 4}
    assert isinstance(get_solver("z3"), Z3Solver)


def test_programs_sharing_the_process_context_do_not_see_each_others_declarations():
    solver = Z3Solver()
    first = solver.run("(declare-datatype Color ((red) (green))) (declare-const c Color) (assert (= c green)) (check-sat)")
    second = solver.run(
        "(declare-datatype Color ((blue) (pink) (gray))) (declare-const c Color) "
        "(assert (not (= c blue))) (assert (not (= c pink))) (check-sat)"
    )
    assert first.value == {"c": "green"} and second.value == {"c": "gray"}
    assert solver.run("(declare-const c Int) (assert (= c 3)) (check-sat)").value == {"c": 3}
    assert solver.run("(assert (= c 3)) (check-sat)").status is Status.REJECTED
