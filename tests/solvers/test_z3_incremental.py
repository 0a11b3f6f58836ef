"""The incremental z3 session: push/pop checks, assumptions, model enumeration and uniqueness."""

from __future__ import annotations

import pytest
import z3

from nesy.errors import ProgramRejected
from nesy.solvers.z3_incremental import IncrementalZ3, incremental_vs_fresh

ORDERING = """
(declare-const a Int) (declare-const b Int) (declare-const c Int) (declare-const d Int)
(assert (and (<= 1 a 4) (<= 1 b 4) (<= 1 c 4) (<= 1 d 4)))
(assert (distinct a b c d))
(assert (< a b))
(assert (= c (+ d 1)))
"""


def test_ordering_puzzle_solution_is_unique() -> None:
    session = IncrementalZ3(ORDERING + "(assert (not (= a 1))) (check-sat) (get-model)")
    found = session.models(limit=5)
    assert found.values == ({"a": 3, "b": 4, "c": 2, "d": 1},)
    assert found.exhausted and found.unique


def test_without_the_last_clue_the_puzzle_is_ambiguous() -> None:
    session = IncrementalZ3(ORDERING)
    everything = session.models(limit=100)
    assert everything.exhausted and len(everything.values) == 3
    assert len({tuple(sorted(m.items())) for m in everything.values}) == 3  # distinct
    assert not everything.unique
    capped = session.models(limit=2)
    assert len(capped.values) == 2 and not capped.exhausted and not capped.unique
    # the clue, given as an extra constraint, makes it unique again; the base is unchanged afterwards
    assert session.models(limit=3, extra=["(not (= a 1))"]).unique
    assert len(session.models(limit=100).values) == 3


def test_models_over_a_subset_of_constants() -> None:
    session = IncrementalZ3(ORDERING)
    found = session.models(limit=10, over=["d"])
    assert sorted(m["d"] for m in found.values) == [1, 2, 3] and found.exhausted
    assert all(set(m) == {"d"} for m in found.values)


def test_check_pushes_and_pops_extra_constraints() -> None:
    session = IncrementalZ3("(declare-const x Int) (assert (<= 0 x 10))")
    assert session.check("(> x 9)").model == {"x": 10}
    blocked = session.check("(> x 10)")
    assert blocked.status == "unsat" and blocked.model is None
    assert session.check().status == "sat"  # the extra constraint was popped
    x = session.constants["x"]
    assert session.check(x == 4).model == {"x": 4}
    session.add("(< x 3)")
    assert session.check("(> x 2)").status == "unsat"
    assert session.check().model["x"] < 3


def test_check_assumptions_reports_the_core() -> None:
    session = IncrementalZ3("(declare-const x Int) (declare-const y Int) (assert (= (+ x y) 10))")
    result = session.check_assumptions("(> x 2)", "(> y 2)", "(> x 20)", "(>= y 0)")
    assert result.status == "unsat"
    assert set(result.core) <= {"(> x 2)", "(> y 2)", "(> x 20)", "(>= y 0)"}
    assert "(> x 20)" in result.core and "(> x 2)" not in result.core
    ok = session.check_assumptions("(> x 2)", "(> y 2)")
    assert ok.status == "sat" and ok.core == () and ok.model["x"] + ok.model["y"] == 10


def test_base_from_z3_expressions() -> None:
    ctx = z3.Context()
    x, y = z3.Ints("x y", ctx=ctx)
    f = z3.Function("f", z3.IntSort(ctx), z3.IntSort(ctx))
    session = IncrementalZ3([x + y == 3, x > 0, y > 0, f(x) == y])
    assert session.ctx == ctx
    assert sorted(session.constants) == ["x", "y"]
    assert session.check("(= (f x) 2)").model == {"x": 1, "y": 2}
    assert len(session.models(limit=10).values) == 2


def test_definitions_and_datatypes_are_usable_in_extras() -> None:
    session = IncrementalZ3(
        "(declare-datatypes ((Color 0)) (((red) (green) (blue)))) (declare-const c Color)"
        "(define-fun warm ((k Color)) Bool (= k red))"
    )
    assert session.check("(warm c)").model == {"c": "red"}
    assert session.models(limit=5, extra=["(not (warm c))"]).values.__len__() == 2
    assert str(session.term("(warm c)")) == "c == red"


def test_unknown_on_a_tiny_timeout() -> None:
    session = IncrementalZ3(
        "(declare-const x Int) (declare-const y Int) (declare-const z Int)"
        "(assert (and (> x 1) (> y 1) (> z 1) (= (+ (* x x x) (* y y y)) (* z z z))))",
        timeout_ms=50,
    )
    result = session.check()
    assert result.status == "unknown" and result.reason in ("timeout", "canceled")
    found = session.models(limit=3)
    assert found.values == () and not found.exhausted


@pytest.mark.parametrize(
    "base, message",
    [
        ("(declare-const x Int) (push 1)", "may not use 'push'"),
        ("(set-option :trace true)", "'set-option' is not allowed"),
        ("(declare-const x Int) (assert (> y 1))", "unknown constant y"),
    ],
)
def test_bad_bases_are_refused(base: str, message: str) -> None:
    with pytest.raises(ProgramRejected, match=message):
        IncrementalZ3(base)


def test_extras_go_through_the_filter() -> None:
    session = IncrementalZ3("(declare-const x Int)")
    with pytest.raises(ProgramRejected, match="unbalanced"):
        session.check('(> x 1)) (set-option :regular-output-channel "out.txt") (assert (> x 1)')
    with pytest.raises(ProgramRejected, match="attribute ':dump-models'"):
        session.check("(! (> x 1) :dump-models true)")
    with pytest.raises(ProgramRejected, match="unknown constant q"):
        session.check("(> q 1)")
    assert session.check("(> x 1)").status == "sat"  # the session still works


def test_incremental_vs_fresh_returns_two_durations() -> None:
    incremental, fresh = incremental_vs_fresh(3)
    assert incremental > 0 and fresh > 0
