"""ClingoSession (ground once, solve many times) and abduction with the clingo backend."""

from __future__ import annotations

import time

import clingo
import pytest

from nesy.budget import Budget
from nesy.errors import ProgramFailed, ProgramRejected, SolverTimeout
from nesy.limits import wall_clock_limit
from nesy.solvers.clingo_atoms import to_symbol
from nesy.solvers.clingo_messages import clean_message
from nesy.solvers.clingo_session import ClingoSession, FunctionContext
from nesy.solvers.clingo_solver import ClingoSolver
from nesy.verdict import Status

SPRINKLER = """
{ rain; sprinkler }.
wet :- rain. wet :- sprinkler.
slippery :- wet.
#show rain/0. #show sprinkler/0. #show slippery/0.
"""
PIGEONHOLE = "p(1..12). h(1..11). 1 { in(P,H) : h(H) } 1 :- p(P). :- in(P1,H), in(P2,H), P1 < P2."


def test_assumptions_select_answer_sets_without_regrounding():
    session = ClingoSession(SPRINKLER)
    both_false = session.solve([("rain", False), ("sprinkler", False)], limit=0)
    assert both_false.status is Status.SAT and both_false.value["models"] == [[]]
    rain = session.solve([("rain", True), ("sprinkler", False)], limit=0)
    assert rain.value["models"] == [["rain", "slippery"]]
    assert session.solve([("slippery", False), ("rain", True)]).status is Status.UNSAT
    sprinkler = session.solve([(clingo.Function("sprinkler"), True)], limit=0)
    assert sorted(sprinkler.value["models"]) == [["rain", "slippery", "sprinkler"], ["slippery", "sprinkler"]]
    assert len(session.solve(limit=0).value["models"]) == 4  # the session is unchanged by assumptions
    assert session.solve([("unknown_atom", True)]).status is Status.UNSAT


def test_enumerate_with_assumptions_and_limits():
    session = ClingoSession(SPRINKLER)
    assert sorted(session.enumerate(assumptions=[("wet", True)])) == [
        ["rain", "slippery"], ["rain", "slippery", "sprinkler"], ["slippery", "sprinkler"]
    ]  # fmt: skip
    assert len(list(session.enumerate(2))) == 2
    optimal = ClingoSession("{a;b;c}. :- not a, not b. #minimize { 1,a : a; 1,b : b; 2,c : c }.")
    assert sorted(optimal.enumerate()) == [["a"], ["b"]]  # improving models are not yielded


def test_multi_shot_extend_and_externals():
    session = ClingoSession("#external raining. wet :- raining. #show wet/0.")
    assert session.solve().value["models"] == [[]]
    session.set_external("raining", True)
    assert session.solve().value["models"] == [["wet"]]
    session.set_external("raining", None)  # released: false for good
    assert session.solve().value["models"] == [[]]
    session.extend("cold. #show cold/0.")
    assert session.solve().value["models"] == [["cold"]]
    with pytest.raises(ProgramRejected, match="#include"):
        session.extend('#include "x".')


def test_session_errors_and_timeouts():
    with pytest.raises(ProgramRejected, match="syntax error"):
        ClingoSession("a :- b")
    with pytest.raises(ProgramFailed, match="unsafe"):
        ClingoSession("p(X).")
    with pytest.raises(ProgramRejected, match="@f"):
        ClingoSession("p(@f(1)).")
    with pytest.raises(ProgramRejected):
        ClingoSession("a.").solve([("p. #script", True)])
    hard = ClingoSession(PIGEONHOLE)
    started = time.perf_counter()
    verdict = hard.solve(timeout=0.3)
    assert verdict.status is Status.UNKNOWN and time.perf_counter() - started < 0.6
    with pytest.raises(SolverTimeout):
        list(hard.enumerate(timeout=0.3))


def test_soft_alarm_during_search_raises_once_the_handle_is_closed():
    session = ClingoSession(PIGEONHOLE)
    started = time.perf_counter()
    with pytest.raises(SolverTimeout):
        with wall_clock_limit(0.1):
            session.solve(timeout=0.4)
    assert time.perf_counter() - started >= 0.35  # raised only after clingo's own timeout
    assert ClingoSession("a.").solve().status is Status.SAT  # clingo is left in a usable state
    assert session.solve([("in(1,1)", True), ("in(2,1)", True)]).status is Status.UNSAT


def test_function_context_exposes_only_the_given_functions():
    context = FunctionContext({"f": len})
    assert context.f is len
    for name in ("g", "__class__", "__init__", "_functions"):
        with pytest.raises(AttributeError):
            getattr(context, name)


def test_helpers():
    assert str(to_symbol('p(1, "a b", c)')) == 'p(1,"a b",c)'
    assert to_symbol(clingo.Number(3)) == clingo.Number(3)
    for bad in ["p :- q", 3, "p(", "@f"]:
        with pytest.raises(ProgramRejected):
            to_symbol(bad)
    assert clean_message("<block>:1:3-4: note: 'X' is unsafe\n") == "line 1:3-4: 'X' is unsafe"


KINSHIP_RULES = """
grandparent(X, Z) :- parent(X, Y), parent(Y, Z).
sibling(X, Y) :- parent(P, X), parent(P, Y), X != Y.
parent(ann, bob). parent(bob, cy).
#show grandparent/2.
"""


def test_abduction_finds_the_missing_fact():
    solver = ClingoSolver()
    candidates = ["parent(bob,dee)", "parent(ann,dee)", "parent(cy,dee)", "parent(ann,bob)"]
    verdict = solver.abduce(KINSHIP_RULES, ["grandparent(ann,dee)"], candidates, limit=5)
    assert verdict.status is Status.SAT and verdict.value["optimal"] is True
    assert verdict.value["explanations"] == [["parent(bob,dee)"]]  # a known fact is never "abduced"
    both = solver.abduce(KINSHIP_RULES, ["grandparent(ann,dee)", "sibling(cy,dee)"], candidates, limit=5)
    assert both.value["explanations"] == [["parent(bob,dee)"]]


def test_abduction_with_two_facts_negative_observations_and_no_explanation():
    solver = ClingoSolver()
    candidates = ["parent(dee,eve)", "parent(cy,eve)", "parent(eve,fay)", "parent(dee,fay)"]
    two = solver.abduce(KINSHIP_RULES, ["grandparent(bob,eve)", "grandparent(cy,fay)"], candidates, limit=5)
    assert two.value["explanations"] == [["parent(cy,eve)", "parent(eve,fay)"]]
    blocked = solver.abduce(
        KINSHIP_RULES, ["grandparent(bob,eve)", ("grandparent(cy,fay)", False)], ["parent(cy,eve)", "parent(eve,fay)"]
    )
    assert blocked.value["explanations"] == [["parent(cy,eve)"]]
    none = solver.abduce(KINSHIP_RULES, ["grandparent(ann,zed)"], ["parent(zed,ann)"])
    assert none.status is Status.UNSAT and none.value["explanations"] == []
    nothing_needed = solver.abduce(KINSHIP_RULES, ["grandparent(ann,cy)"], ["parent(zed,ann)"])
    assert nothing_needed.value["explanations"] == [[]]
    several = solver.abduce("g :- a. g :- b.", ["g"], ["a", "b"], limit=5)
    assert sorted(several.value["explanations"]) == [["a"], ["b"]] and several.value["exhausted"]


def test_abduction_refuses_unsafe_text():
    solver = ClingoSolver()
    assert solver.abduce("a.", ["a"], ["p. #script (python)"]).status is Status.REJECTED
    assert solver.abduce("#include \"x\".", ["a"], ["p"]).status is Status.REJECTED
    assert solver.abduce("a.", [("a", "yes")], ["p"]).status is Status.REJECTED
    assert solver.abduce("g :- a.", "g", "a").value["explanations"] == [["a"]]  # single atoms as text
    slow = solver.abduce(PIGEONHOLE, ["in(1,1)"], ["extra"], budget=Budget(wall_seconds=0.5))
    assert slow.status is Status.UNKNOWN and slow.value["interrupted"]


def test_statistics_are_cheap_by_default_and_detailed_on_request():
    program = "{a; b}. :- a, b. #show a/0. #show b/0."
    cheap = ClingoSession(program).solve(limit=0).certificate["statistics"]
    detailed = ClingoSession(program, detailed_statistics=True).solve(limit=0).certificate["statistics"]
    assert cheap["models_enumerated"] == 3 and "conflicts" not in cheap
    assert detailed["models_enumerated"] == 3 and detailed["atoms"] >= 2 and "conflicts" in detailed


def test_finished_checks_leave_no_control_alive_for_the_garbage_collector():
    """A control is freed as soon as its check is over (no reference cycle through the logger
    or the watchdog), so many small checks do not pile up clingo's memory between collections."""
    import gc

    solver = ClingoSolver()
    gc.collect()
    gc.disable()
    try:
        for i in range(30):
            assert solver.check(f"a({i}). b :- a({i}).", expected=[[f"a({i})", "b"]]).status is Status.OK
        alive = sum(type(obj) is clingo.Control for obj in gc.get_objects())
    finally:
        gc.enable()
    assert alive == 0
