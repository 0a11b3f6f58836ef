"""The parent's collector setting during a batch: raised inside, restored after, never forced on."""

from __future__ import annotations

import gc
import threading

from nesy.executor.collector import YOUNG_THRESHOLD, fewer_collections


def test_raised_inside_and_restored_after_nested_blocks():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == max(before[0], YOUNG_THRESHOLD)
        with fewer_collections():
            assert gc.get_threshold()[0] == max(before[0], YOUNG_THRESHOLD)
        assert gc.get_threshold()[0] == max(before[0], YOUNG_THRESHOLD)  # the inner block left it raised
    assert gc.get_threshold() == before


def test_restored_after_an_exception():
    before = gc.get_threshold()
    try:
        with fewer_collections():
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.get_threshold() == before


def test_a_collector_turned_off_stays_off_and_a_users_change_is_kept():
    before = gc.get_threshold()
    try:
        gc.set_threshold(0)
        with fewer_collections():
            assert gc.get_threshold()[0] == 0
        gc.set_threshold(700, 10, 10)
        with fewer_collections():
            gc.set_threshold(500, 5, 5)  # the user's own setting, made inside the block
        assert gc.get_threshold() == (500, 5, 5)
    finally:
        gc.set_threshold(*before)


def test_concurrent_blocks_restore_once_the_last_leaves():
    before = gc.get_threshold()
    inside, release = threading.Barrier(3), threading.Event()

    def block():
        with fewer_collections():
            inside.wait()
            release.wait()

    threads = [threading.Thread(target=block) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait()
    assert gc.get_threshold()[0] == max(before[0], YOUNG_THRESHOLD)
    release.set()
    for t in threads:
        t.join()
    assert gc.get_threshold() == before
