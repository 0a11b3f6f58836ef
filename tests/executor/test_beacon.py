"""The worker's beacon: the parent never reads a task's position with another task's (or no) start time."""

import multiprocessing
import time

from nesy.executor.beacon import Beacon


def _write_for(path: str, seconds: float) -> None:
    beacon = Beacon.attach(path)
    end, position = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        for _ in range(500):
            position += 1
            beacon.start(position, 1000.0 + position)
            beacon.idle()
    beacon.close()


def test_reads_during_writes_in_another_process_are_never_torn():
    # The bug this pins: a read between idle() and the next start() could see the old task's
    # position with idle's start time 0.0, and the parent then killed that task at once
    # ("killed after 26210 s: the wall-clock budget is 10 s").
    beacon = Beacon.create()
    writer = multiprocessing.get_context("spawn").Process(target=_write_for, args=(beacon.path, 2.5))
    writer.start()
    try:
        deadline, seen, torn = time.monotonic() + 1.5, 0, []
        while time.monotonic() < deadline and writer.is_alive():
            now = beacon.read()
            if now is not None:
                seen += 1
                if now[1] != 1000.0 + now[0]:
                    torn.append(now)
    finally:
        writer.join()
        beacon.close(remove=True)
    assert seen > 100  # the reads did overlap running tasks
    assert torn == []
