"""The Trace record and the shared check key."""

from __future__ import annotations

import json

import pytest

from nesy.budget import Budget
from nesy.checkkey import backend_fingerprint, check_key, solver_check_key
from nesy.solver import BaseSolver
from nesy.traces import Origin, Trace
from nesy.verdict import Status, Verdict


def make(**changes):
    fields = dict(task_id="t1", input={"x": 3}, program="(+ x 1)", backend="dsl", backend_version="1.0",
                  verdict=Verdict(Status.OK, 4, "ran", stats={"wall_seconds": 0.01}), origin=Origin.SAMPLED,
                  round=1, model_version="m1", expected=4)
    fields.update(changes)
    return Trace(**fields)


def test_round_trip_through_json():
    trace = make(budget=Budget(wall_seconds=2))
    data = json.loads(json.dumps(trace.to_dict()))
    again = Trace.from_dict(data)
    assert again == trace
    assert again.trace_id == trace.trace_id == data["trace_id"]
    assert again.check_key == trace.check_key
    assert again.budget == Budget(wall_seconds=2).to_dict()
    assert data["verified"] is True and data["origin"] == "sampled" and data["mode"] == "check"


def test_mode_is_derived_from_expected_and_validated():
    assert make().mode == "check"
    assert make(expected=None).mode == "run"
    assert make(expected=None, mode="check").mode == "check"
    with pytest.raises(ValueError):
        make(mode="prove")


def test_fields_are_validated():
    with pytest.raises(ValueError):
        make(origin="dreamed")
    with pytest.raises(ValueError):
        make(round=-1)
    with pytest.raises(TypeError):
        make(verdict={"status": "ok"})
    with pytest.raises(TypeError):
        make(program=None)
    assert make(origin="abduced").origin is Origin.ABDUCED


def test_trace_id_ignores_timings_and_messages_but_not_identity():
    base = make()
    same = make(verdict=Verdict(Status.OK, 4, "another message", stats={"wall_seconds": 9.0}))
    assert same.trace_id == base.trace_id
    assert hash(same) == hash(base)
    for changed in (make(round=2), make(origin=Origin.GOLD), make(model_version="m2"), make(task_id="t2"),
                    make(program="(+ x 2)"), make(input={"x": 4}), make(verdict=Verdict(Status.MISMATCH, 5)),
                    make(backend_version="1.1"), make(budget=Budget())):
        assert changed.trace_id != base.trace_id


def test_check_key_ignores_provenance():
    base = make()
    assert make(round=7, origin=Origin.GOLD, model_version="m9", task_id="other").check_key == base.check_key
    assert make(expected=5).check_key != base.check_key
    assert make(input={"x": 4}).check_key != base.check_key


def test_input_hash_is_order_independent():
    assert make(input={"a": 1, "b": 2}).input_hash == make(input={"b": 2, "a": 1}).input_hash
    assert make(input=[1, 2]).input_hash != make(input=[2, 1]).input_hash


class Reverse(BaseSolver):
    name, languages, version = "reverse", ("text",), "2.0"

    def config(self):
        return {"case": "keep"}

    def execute(self, program, input, budget):
        return Verdict(Status.OK, program[::-1])


def test_check_key_matches_the_solver_fingerprint_rule():
    solver = Reverse()
    program = "abc"
    budget = Budget(wall_seconds=2)
    key = solver_check_key(solver, "run", program, None, None, budget)
    assert key == check_key(solver.fingerprint(), "run", program, None, None, budget.to_dict())
    trace = Trace("t", None, program, solver.name, solver.fingerprint(), solver.run(program), budget=budget)
    assert trace.check_key == key
    # A plain version string stands for the fingerprint of a backend with no options.
    assert backend_fingerprint("z3", "4.13") != backend_fingerprint("clingo", "4.13")
    with pytest.raises(ValueError):
        check_key("fp", "prove", "p", None, None, None)


def test_run_mode_ignores_expected_in_the_key():
    assert make(expected=1, mode="run").check_key == make(expected=2, mode="run").check_key
