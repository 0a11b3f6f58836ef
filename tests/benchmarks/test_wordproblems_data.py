"""Word-problems suite data: GSM-style stories, gold SymPy programs checked on the sympy backend."""

from __future__ import annotations

import pickle
import re

import pytest

from nesy.benchmarks.nlprog import join_fragments, load
from nesy.benchmarks.wordproblems.data import FAMILIES, checker, generate
from nesy.budget import Budget

BUDGET = Budget(wall_seconds=10)


@pytest.fixture(scope="module")
def problems():
    return {split: generate(split, 40, seed=7) for split in ("iid", "hard")}


@pytest.mark.parametrize("split,low,high", [("iid", 2, 4), ("hard", 5, 8)])
def test_gold_programs_verify_and_steps_follow_the_split(problems, split, low, high):
    solver = checker()
    for p in problems[split]:
        assert low <= p.meta["steps"] <= high
        assert isinstance(p.answer, int) and p.sentences[-1].endswith("?")
        assert p.program == join_fragments(p.fragments) and all(p.fragments)
        verdict = solver.check(p.program, None, p.answer, BUDGET)
        assert verdict.status.value == "ok", (p.text, p.program, verdict.message)
    assert {p.meta["family"] for p in problems[split]} == set(FAMILIES[split])


def test_names_are_copied_as_identifiers(problems):
    for p in problems["iid"]:
        if p.meta["family"] == "linear":
            continue
        names = [w.lower() for w in re.findall(r"\b[A-Z][a-z]+", p.sentences[0])]
        assert p.fragments[0].split(" = ")[0] in names, (p.sentences[0], p.fragments[0])


def test_wrong_or_missing_steps_fail(problems):
    solver = checker()
    tried = 0
    for p in problems["iid"]:
        numbers = [i for i, f in enumerate(p.fragments) if re.search(r"\b\d+\b", f) and "solve" not in f]
        if p.meta["family"] != "change" or len(numbers) < 3:
            continue
        i = numbers[1]  # a step after the start: change one of its numbers
        wrong = list(p.fragments)
        wrong[i] = re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + 1), wrong[i], count=1)
        assert solver.check(join_fragments(wrong), None, p.answer, BUDGET).status.value == "mismatch"
        missing = p.fragments[:i] + p.fragments[i + 1 :]
        verdict = solver.check(join_fragments(missing), None, p.answer, BUDGET)
        assert verdict.status.value == "mismatch", (p.text, verdict.message)
        tried += 1
    assert tried >= 3
    assert solver.check("tom = 5\n__import__('os')", None, 5, BUDGET).status.value == "rejected"


def test_deterministic_varied_and_loadable():
    a, b = generate("hard", 30, seed=2), generate("hard", 30, seed=2)
    assert [p.id for p in a] == [p.id for p in b] and len({p.id for p in a}) == 30
    data = load("wordproblems", "iid", n_train=10, n_test=5, seed=0)
    assert data.backend == "sympy" and not {p.id for p in data.train} & {p.id for p in data.test}
    solver = pickle.loads(pickle.dumps(data.solver))
    assert solver.check(data.test[0].program, None, data.test[0].answer, BUDGET).status.value == "ok"
