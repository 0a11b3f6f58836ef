"""Workers talk back in plain data only: a worker taken over cannot make the parent run code."""

import os
import pickle

import pytest

from nesy.budget import Budget
from nesy.executor import Job, LocalExecutor
from nesy.executor.plain import NotPlainData, dumps, loads
from nesy.testing import MisbehavingSolver
from nesy.verdict import Status

M = MisbehavingSolver()
BUDGET = Budget(wall_seconds=5.0, memory_mb=256)


class _Creates:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_plain_data_round_trips():
    message = ("results", [(3, ("ok", [1, 2.5, "x", None, True], "ran", {"a": (1, 2)}, {"s": 0.1}))], {1, 2}, frozenset("a"), b"\x00", 1 + 2j, 10**40)
    assert loads(dumps(message)) == message


@pytest.mark.parametrize("value", [pickle, object(), range(3), Status.OK, type("Str", (str,), {})("x")])
def test_anything_else_is_refused_when_written(value):
    with pytest.raises(NotPlainData, match="not plain data"):
        dumps(("results", [value]))


def test_a_pickle_naming_a_callable_is_refused_when_read(tmp_path):
    target = tmp_path / "created"
    with pytest.raises(NotPlainData, match=r"io\.open"):
        loads(pickle.dumps(_Creates(str(target))))
    assert not target.exists()


@pytest.fixture(scope="module")
def pool():
    with LocalExecutor(workers=1, cache=False) as executor:  # (the pid job is asked twice)
        yield executor


def test_a_value_that_is_not_plain_data_is_an_error_verdict_and_the_others_arrive(pool):
    fraction, echo = pool.map([Job(M, "fraction", budget=BUDGET), Job(M, "echo 5", budget=BUDGET)])
    assert fraction.status is Status.ERROR
    assert "could not be sent back" in fraction.message and "Fraction is not plain data" in fraction.message
    assert echo.status is Status.OK and echo.value == "5"


def test_a_worker_taken_over_cannot_make_the_parent_run_code(pool, tmp_path):
    target = tmp_path / "created-by-the-parent"
    before = pool.map([Job(M, "pid", budget=BUDGET)])[0].value
    hijack = pool.map([Job(M, f"hijack {target}", budget=BUDGET)])[0]
    assert hijack.status is Status.ERROR and "refuses to read" in hijack.message and "io.open" in hijack.message
    assert not target.exists()
    after = pool.map([Job(M, "pid", budget=BUDGET), Job(M, "echo fine", budget=BUDGET)])
    assert after[0].value != before and after[0].value != os.getpid()  # the worker was replaced
    assert after[1].status is Status.OK and after[1].value == "fine"
