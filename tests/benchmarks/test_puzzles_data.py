"""Puzzles suite data: ordering and logic-grid puzzles, gold SMT-LIB programs, answers proved unique on z3."""

from __future__ import annotations

import pickle
import re

import pytest

from nesy.benchmarks.nlprog import join_fragments, load
from nesy.benchmarks.puzzles.checker import PuzzleChecker
from nesy.benchmarks.puzzles.data import generate
from nesy.budget import Budget
from nesy.solvers.z3_solver import Z3Solver

BUDGET = Budget(wall_seconds=20)

HEADER = (
    "(declare-datatype Entity ((alice) (bob) (carol)))\n(define-const n Int 3)\n(declare-fun pos (Entity) Int)\n"
    "(assert (forall ((x Entity)) (and (<= 1 (pos x)) (<= (pos x) n))))\n"
    "(assert (forall ((x Entity) (y Entity)) (=> (= (pos x) (pos y)) (= x y))))"
)


@pytest.fixture(scope="module")
def checker():
    return PuzzleChecker()


@pytest.fixture(scope="module")
def problems():
    return {split: generate(split, 12, seed=4) for split in ("iid", "hard")}


@pytest.mark.parametrize("split,low,high", [("iid", 3, 5), ("hard", 6, 7)])
def test_gold_programs_verify_with_a_unique_answer(problems, checker, split, low, high):
    for p in problems[split]:
        assert low <= p.meta["n_entities"] <= high
        assert p.program == join_fragments(p.fragments) and p.sentences[-1].endswith("?")
        assert p.fragments[-1].startswith("(declare-const answer ")
        verdict = checker.check(p.program, None, p.answer, BUDGET)
        assert verdict.status.value == "ok", (p.text, verdict.message)
    assert {p.meta["family"] for p in problems[split]} == {"ordering", "grid"}


def test_names_are_copied_into_the_declarations(problems):
    for p in problems["iid"]:
        declared = re.findall(r"\((\w+)\)", p.fragments[0].split("\n")[0])
        assert len(declared) == p.meta["n_entities"]
        assert all(re.search(rf"\b{name.capitalize()}\b", p.sentences[0]) for name in declared)


def test_the_issue_example(checker):
    program = "\n".join([HEADER, "(assert (> (pos alice) (pos bob)))", "(assert (= (pos carol) 1))",
                         "(declare-const answer Entity)\n(assert (= (pos answer) n))"])
    assert checker.run(program, None, BUDGET).value == "alice"
    assert checker.check(program, None, "bob", BUDGET).status.value == "mismatch"


def test_missing_clues_make_the_answer_non_unique(problems, checker):
    for p in problems["iid"][:4]:
        declarations = [f for f in p.fragments if f.startswith("(declare-datatype") or f.startswith("(declare-const")]
        verdict = checker.check(join_fragments(declarations), None, p.answer, BUDGET)
        assert verdict.status.value == "error" and "not unique" in verdict.message


def test_a_wrong_clue_fails(problems, checker):
    checked = 0
    for p in problems["iid"] + problems["hard"]:
        asked = r"\(declare-const answer Entity\)\n\(assert \(= \(pos answer\) (\w+|\(- \(\+ n 1\) \d+\))\)\)"
        match = re.fullmatch(asked, p.fragments[-1])
        if not match:
            continue  # a wrong clue: the true answer is not at the asked place
        clue = f"(assert (not (= (pos {p.answer}) {match.group(1)})))"
        wrong = join_fragments(p.fragments[:-1] + (clue, p.fragments[-1]))
        assert checker.check(wrong, None, p.answer, BUDGET).status.value in ("error", "mismatch")
        checked += 1
    assert checked >= 2


def test_refusals_and_errors(checker):
    assert checker.run("(set-option :trace true)", None, BUDGET).status.value == "rejected"
    assert checker.run(HEADER, None, BUDGET).message == "the program declares no constant 'answer'"
    unsat = HEADER + "\n(assert (= (pos alice) 5))\n(declare-const answer Int)"
    assert "contradictory" in checker.run(unsat, None, BUDGET).message


def test_pickles_fingerprint_and_load(checker):
    data = load("puzzles", "iid", n_train=3, n_test=2, seed=0)
    assert data.backend == "z3" and not {p.id for p in data.train} & {p.id for p in data.test}
    clone = pickle.loads(pickle.dumps(data.solver))
    assert clone.check(data.test[0].program, None, data.test[0].answer, BUDGET).status.value == "ok"
    assert PuzzleChecker(Z3Solver(rlimit=10**7)).fingerprint() != checker.fingerprint()
    a, b = generate("iid", 3, seed=9), generate("iid", 3, seed=9)
    assert [p.id for p in a] == [p.id for p in b]


def test_the_checker_adds_the_standing_rules_of_attributes(checker):
    short = "(declare-datatype Entity ((alice) (bob) (carol)))\n(define-const n Int 3)\n(declare-fun pos (Entity) Int)"
    program = "\n".join([short, "(assert (> (pos alice) (pos bob)))", "(assert (= (pos carol) 1))",
                         "(declare-const answer Entity)\n(assert (= (pos answer) n))"])
    assert checker.run(program, None, BUDGET).value == "alice"  # places 1..3, all different: from the checker
    grid = ("(declare-datatype Entity ((ann) (bo)))\n(declare-datatype Pet ((cat) (dog)))\n(declare-fun pet (Entity) Pet)\n"
            "(assert (= (pet ann) cat))\n(declare-const answer Pet)\n(assert (= answer (pet bo)))")
    assert checker.check(grid, None, "dog", BUDGET).status.value == "ok"  # bo cannot have ann's cat
