"""The shared natural-language problem interface: strict JSONL files and ``load``."""

from __future__ import annotations

import json
import pickle

import pytest

from nesy.benchmarks.nlprog import SUITES, load, make_problem, read_problems, write_problems
from nesy.errors import NesyError

GOOD = make_problem(["Ann is Bob's mother.", "How is Bob related to Ann?"], "son",
                    ["mother(ann,bob).", "query(bob,ann)."], {"suite": "kinship", "hops": 1})


def _write(tmp_path, lines):
    path = tmp_path / "problems.jsonl"
    path.write_text("".join(line + "\n" for line in lines))
    return path


def test_round_trip(tmp_path):
    path = tmp_path / "p.jsonl"
    write_problems(path, [GOOD, GOOD])
    back = read_problems(path)
    assert back == [GOOD, GOOD] and back[0].meta == GOOD.meta and back[0].text == GOOD.text


@pytest.mark.parametrize("mutate,message", [
    (lambda r: r.pop("answer"), "missing field 'answer'"),
    (lambda r: r.update(sentences="one sentence"), "field 'sentences' must be list"),
    (lambda r: r.update(fragments=["mother(ann,bob)."]), "2 sentences but 1 fragments"),
    (lambda r: r.update(program="x."), "not the non-empty fragments joined"),
    (lambda r: r.update(meta=[]), "field 'meta' must be dict"),
    (lambda r: r.update(fragments=[1, 2]), "'fragments' must be a list of strings"),
])
def test_bad_records_name_file_and_line(tmp_path, mutate, message):
    record = GOOD.to_json()
    mutate(record)
    path = _write(tmp_path, [json.dumps(GOOD.to_json()), json.dumps(record)])
    with pytest.raises(NesyError, match=rf"problems\.jsonl:2: .*{message}"):
        read_problems(path)


def test_bad_json_and_missing_file(tmp_path):
    path = _write(tmp_path, [json.dumps(GOOD.to_json()), "", "{not json"])
    with pytest.raises(NesyError, match=r"problems\.jsonl:3: not JSON"):
        read_problems(path)
    with pytest.raises(NesyError, match="cannot read"):
        read_problems(tmp_path / "absent.jsonl")


def test_load_kinship_splits_are_disjoint_and_the_solver_pickles():
    data = load("kinship", "hard", n_train=20, n_test=10, seed=1)
    assert (len(data.train), len(data.test), data.backend) == (20, 10, "clingo")
    assert not {p.id for p in data.train} & {p.id for p in data.test}
    assert {p.meta["split"] for p in data.train} == {"iid"} and {p.meta["split"] for p in data.test} == {"hard"}
    solver = pickle.loads(pickle.dumps(data.solver))
    assert solver.check(data.test[0].program, None, data.test[0].answer).status.value == "ok"


def test_load_refuses_unknown_names():
    assert SUITES == ("puzzles", "kinship", "wordproblems")
    with pytest.raises(NesyError, match="unknown natural-language suite 'chess'"):
        load("chess", "iid", 1, 1, 0)
    with pytest.raises(NesyError, match="unknown split 'long'"):
        load("kinship", "long", 1, 1, 0)


def test_gold_and_wrong_programs_of_every_suite_through_the_sandboxed_pool():
    from nesy.executor import Job, LocalExecutor
    from nesy.budget import Budget

    budget = Budget(wall_seconds=20, memory_mb=1024)
    jobs, wanted = [], []
    for suite in SUITES:
        data = load(suite, "iid", n_train=1, n_test=1, seed=0)
        p = data.test[0]
        no_question = "\n".join(f for f in p.fragments[:-1] if f)
        for program in (p.program, no_question):
            jobs.append(Job(data.solver, program, mode="check", expected=p.answer, budget=budget))
        wanted += ["ok", "not ok"]
    with LocalExecutor(workers=1, cache=False) as pool:
        verdicts = pool.map(jobs)
    got = [v.status.value if v.status.value == "ok" else "not ok" for v in verdicts]
    assert got == wanted, [v.message for v in verdicts]
