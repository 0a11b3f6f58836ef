"""The learner's passes on several cores give what one process gives."""

from contextlib import nullcontext

import pytest

from nesy.errors import NesyError
from nesy.semparse.fork_map import can_fork, fork_map, fork_scan
from nesy.semparse.learner import Example, LearnConfig, learn_parser
from nesy.solvers.dsl.language import DSL

needs_fork = pytest.mark.skipif(not can_fork(), reason="this platform cannot fork")


@needs_fork
def test_results_come_back_in_index_order_with_progress():
    seen = []
    table = {i: f"item {i}" for i in range(103)}  # inherited by the workers, not pickled
    out = fork_map(lambda i: (i, table[i]), 103, workers=2, chunk=10, progress=seen.append)
    assert out == [(i, f"item {i}") for i in range(103)]
    assert seen == sorted(seen) and seen[-1] == 103


@pytest.mark.parametrize("workers", [1, 2])
def test_a_scan_gives_what_a_loop_gives_up_to_its_first_stopping_result(workers):
    if workers > 1 and not can_fork():
        pytest.skip("this platform cannot fork")
    table = [i % 37 for i in range(500)]  # inherited by the workers, not pickled
    assert fork_scan(lambda i: (i, table[i]), 500, lambda r: r[1] == 36, workers=workers, chunk=5) == [(i, i) for i in range(37)]
    assert len(fork_scan(lambda i: table[i], 500, lambda r: r > 99, workers=workers, chunk=5)) == 500  # none stops: all


def test_one_worker_or_one_piece_runs_here():
    calls = []
    assert fork_map(lambda i: calls.append(i) or i, 5, workers=4, chunk=10) == [0, 1, 2, 3, 4]
    assert calls == [0, 1, 2, 3, 4]  # computed in this process (the list would stay empty in a worker)


def _arith():
    dsl = DSL("arith")
    dsl.primitive("add", ["int", "int"], "int", lambda a, b: a + b)
    dsl.primitive("mul", ["int", "int"], "int", lambda a, b: a * b)
    words = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
    for name, value in words.items():
        dsl.constant(name, "int", value)
    examples = [Example(tuple(f"what is {a} plus {b} ?".split()), words[a] + words[b], nullcontext) for a in words for b in words]
    examples += [Example(tuple(f"what is {a} times {b} ?".split()), words[a] * words[b], nullcontext) for a in words for b in words]
    examples += [Example((a,), words[a], nullcontext) for a in words for _ in range(3)]
    return dsl, examples


@needs_fork
def test_the_learned_grammar_does_not_depend_on_the_workers():
    dsl, examples = _arith()
    one, stats_one = learn_parser(dsl, examples, LearnConfig(lexicon_examples=80, workers=1))
    two, stats_two = learn_parser(dsl, examples, LearnConfig(lexicon_examples=80, workers=2))
    assert one.counts == two.counts and one.bias == two.bias
    assert stats_one["verified_round_1"] == stats_two["verified_round_1"] > 0.9
    assert two.program(tuple("what is three times four ?".split())) == "mul(three, four)"


def test_bad_worker_counts_are_refused():
    with pytest.raises(NesyError, match="must be >= 1"):
        LearnConfig(workers=0)
