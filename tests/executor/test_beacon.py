"""The worker's beacon: the parent never reads a task's position with another task's (or no) start time."""

import subprocess
import sys
import time

from nesy.executor.beacon import Beacon

# The worker's side, in its own process (as the executor's workers are): flip between tasks for a while.
WRITER = """
import sys, time
from nesy.executor.beacon import Beacon
beacon = Beacon.attach(sys.argv[1])
end, position = time.monotonic() + float(sys.argv[2]), 0
while time.monotonic() < end:
    for _ in range(500):
        position += 1
        beacon.start(position, 1000.0 + position)
        beacon.idle()
beacon.close()
"""


def test_reads_during_writes_in_another_process_are_never_torn():
    # The bug this pins: a read between idle() and the next start() could see the old task's
    # position with idle's start time 0.0, and the parent then killed that task at once
    # ("killed after 26210 s: the wall-clock budget is 10 s").
    beacon = Beacon.create()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, beacon.path, "3.0"])
    try:
        deadline, seen, torn = time.monotonic() + 4.0, 0, []
        while time.monotonic() < deadline and writer.poll() is None:
            now = beacon.read()
            if now is not None:
                seen += 1
                if now[1] != 1000.0 + now[0]:
                    torn.append(now)
    finally:
        writer.wait()
        beacon.close(remove=True)
    assert writer.returncode == 0
    assert seen > 100  # the reads did overlap running tasks
    assert torn == []
