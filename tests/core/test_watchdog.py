"""The per-process watchdog: interrupts at the deadline, repeats while blocked, never after the block."""

import threading
import time

from nesy.watchdog import interrupt_after


def test_interrupt_runs_at_the_deadline_and_repeats_until_the_block_closes():
    released = threading.Event()
    calls: list[float] = []

    def interrupt() -> None:
        calls.append(time.monotonic())
        if len(calls) == 3:
            released.set()

    start = time.monotonic()
    with interrupt_after(interrupt, 0.05) as alarm:
        assert released.wait(5), "the watchdog never repeated its interrupt"
    count = len(calls)
    time.sleep(0.2)
    assert alarm.fired and alarm.done
    assert calls[0] - start >= 0.05
    assert len(calls) == count, "an interrupt ran after the block had closed"


def test_a_block_that_ends_in_time_is_never_interrupted():
    calls: list[int] = []
    for _ in range(200):
        with interrupt_after(lambda: calls.append(1), 0.5) as alarm:
            pass
        assert not alarm.fired
    time.sleep(0.6)
    assert calls == []


def test_none_arms_nothing_and_a_failing_interrupt_does_not_stop_the_watchdog():
    with interrupt_after(lambda: None, None) as nothing:
        assert nothing is None

    def broken() -> None:
        raise RuntimeError("boom")

    fired = threading.Event()
    with interrupt_after(broken, 0.0):
        with interrupt_after(fired.set, 0.05):
            assert fired.wait(5)


def test_an_earlier_deadline_armed_later_wakes_the_watchdog():
    fired = threading.Event()
    with interrupt_after(lambda: None, 30):
        start = time.monotonic()
        with interrupt_after(fired.set, 0.05):
            assert fired.wait(5)
        assert time.monotonic() - start < 5


def test_a_closed_alarm_no_longer_holds_its_interrupt():
    """The heap is pruned lazily: a closed alarm must not keep its solver object alive meanwhile."""

    class Solver:
        def interrupt(self) -> None:
            raise AssertionError("a closed alarm was fired")

    solver = Solver()
    with interrupt_after(solver.interrupt, 60) as alarm:
        pass
    assert alarm.done and getattr(alarm.interrupt, "__self__", None) is not solver
