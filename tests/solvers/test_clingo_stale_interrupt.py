"""A deadline that fires as a solve ends must not spoil the session's next query.

``Control.interrupt`` with no search running stops clingo's *next* solve at its start, so an
interrupt landing just after a timed-out search ends would otherwise turn the next easy query
into a spurious ``unknown``.
"""

import threading

from nesy.errors import SolverTimeout
from nesy.limits import wall_clock_limit
from nesy.solvers.clingo_session import ClingoSession
from nesy.verdict import Status
from nesy.watchdog import interrupt_after

# Pigeonhole 10 -> 9 when ``go`` is assumed (hard for clingo); trivially satisfiable otherwise.
GATED_PIGEONS = (
    "{go}. p(1..10). h(1..9). 1 { in(P,H) : h(H) } 1 :- p(P), go. :- in(P,H), in(Q,H), P < Q. #show go/0."
)


def test_easy_query_after_a_timed_out_one_with_a_pending_interrupt():
    session = ClingoSession(GATED_PIGEONS)
    hard = session.solve(assumptions=[("go", True)], timeout=0.2)
    assert hard.status is Status.UNKNOWN and hard.value["interrupted"]
    session._control.interrupt()  # the race made certain: an interrupt still pending after the solve
    easy = session.solve(assumptions=[("go", False)], limit=0, timeout=5)
    assert easy.status is Status.SAT and easy.value["models"] == [[]]


def test_enumeration_after_a_pending_interrupt_sees_every_model():
    session = ClingoSession("{a; b}. #show a/0. #show b/0.")
    session.solve(timeout=5)
    session._stale_interrupt = True  # as after a deadline that fired
    session._control.interrupt()
    assert sorted(map(tuple, session.enumerate(timeout=5))) == [(), ("a",), ("a", "b"), ("b",)]


def test_soft_alarm_taken_by_another_thread_waits_for_the_search():
    """A SIGALRM taken by another thread must not raise inside clingo's callbacks (that aborts)."""
    with interrupt_after(lambda: None, 10):  # the watchdog thread exists
        pass
    bystander_done = threading.Event()
    bystander = threading.Thread(target=bystander_done.wait, args=(5,))  # a thread that takes signals
    bystander.start()
    session = ClingoSession(GATED_PIGEONS)
    try:
        with wall_clock_limit(0.1):
            session.solve(assumptions=[("go", True)], timeout=0.4)
    except SolverTimeout:
        pass
    else:
        raise AssertionError("the soft alarm never fired")
    finally:
        bystander_done.set()
        bystander.join()
    assert session.solve(assumptions=[("go", False)], limit=1, timeout=5).status is Status.SAT
