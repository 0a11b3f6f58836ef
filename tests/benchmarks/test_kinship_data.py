"""Kinship suite data: stories, gold ASP facts checked with the knowledge base on clingo."""

from __future__ import annotations

import pickle
import random
import re

import pytest

from nesy.benchmarks.kinship.checker import KinshipChecker, read_kb
from nesy.benchmarks.kinship.data import generate
from nesy.benchmarks.kinship.family import BASIC, make_tree, relation
from nesy.benchmarks.nlprog import join_fragments
from nesy.budget import Budget

BUDGET = Budget(wall_seconds=10)


@pytest.fixture(scope="module")
def checker():
    return KinshipChecker()


@pytest.fixture(scope="module")
def problems():
    return {split: generate(split, 25, seed=3) for split in ("iid", "hard")}


@pytest.mark.parametrize("split,low,high", [("iid", 2, 3), ("hard", 4, 10)])
def test_gold_programs_verify_and_hops_follow_the_split(problems, checker, split, low, high):
    for p in problems[split]:
        assert low <= p.meta["hops"] <= high
        assert p.program == join_fragments(p.fragments) and len(p.fragments) == len(p.sentences)
        assert p.sentences[-1].endswith("?") and p.fragments[-1].startswith("query(")
        verdict = checker.check(p.program, None, p.answer, BUDGET)
        assert verdict.status.value == "ok", (p.text, p.program, verdict.message)
    assert len({p.meta["hops"] for p in problems[split]}) > 1


def test_names_are_copied_into_the_program(problems):
    for p in problems["iid"]:
        for fragment in p.fragments[:-1]:
            for name in re.findall(r"\((\w+),(\w+)\)", fragment):
                for n in name:
                    assert n.capitalize() in " ".join(p.sentences)


def test_generation_is_deterministic_and_varied():
    a, b = generate("iid", 40, seed=5), generate("iid", 40, seed=5)
    assert [p.id for p in a] == [p.id for p in b]
    assert len({p.id for p in a}) == 40
    assert len({p.answer for p in a}) >= 8
    names = {w for p in a for w in re.findall(r"[A-Z][a-z]+", p.text)}
    assert len(names) > 80


def test_wrong_or_missing_facts_fail(problems, checker):
    chains = [p for p in problems["iid"] + problems["hard"] if p.meta["distractors"] == 0 and p.answer != "cousin"]
    assert len(chains) >= 3
    swap = {"father": "mother", "son": "daughter", "brother": "sister", "husband": "wife"}
    swap.update({b: a for a, b in swap.items()})
    for p in chains[:3]:
        facts = [f for f in p.fragments if f]
        for i in range(len(facts) - 1):  # a chain without one of its links says nothing about the query
            verdict = checker.check(join_fragments(facts[:i] + facts[i + 1 :]), None, p.answer, BUDGET)
            assert verdict.status.value == "error" and "no answer" in verdict.message
        subject = facts[-1][len("query(") :].split(",")[0]
        i = next(i for i, f in enumerate(facts) if f.split("(")[1].startswith(subject + ","))
        word = facts[i].split("(")[0]  # the other gender for the asked person: another relation word
        wrong = facts[:i] + [swap[word] + facts[i][len(word) :]] + facts[i + 1 :]
        assert checker.check(join_fragments(wrong), None, p.answer, BUDGET).status.value in ("mismatch", "error")
        assert checker.check(p.program, None, "cousin", BUDGET).status.value == "mismatch"


def test_only_facts_of_the_story_words_are_accepted(checker):
    assert checker.run("answer(mother).", None, BUDGET).status.value == "rejected"
    assert checker.run("mother(a,b).\nis(X,mother,Y) :- q(X).", None, BUDGET).status.value == "rejected"
    assert checker.run('#script (python)\n#end.', None, BUDGET).status.value == "rejected"
    several = "mother(ann,bob).\nfather(cy,bob).\nquery(ann,bob).\nquery(cy,bob)."
    verdict = checker.run(several, None, BUDGET)
    assert verdict.status.value == "error" and "several answers" in verdict.message


def test_knowledge_base_agrees_with_the_tree_on_every_pair(checker):
    tree = make_tree(random.Random(11), generations=4)
    facts = []
    for person in tree.people:
        for kind, other in tree.neighbours(person):
            word = BASIC[kind][0 if tree.gender[other] == "m" else 1]
            facts.append(f"{word}({other.lower()},{person.lower()}).")
    rng = random.Random(0)
    pairs = [(x, y) for x in tree.people for y in tree.people if x != y]
    compared = 0
    for x, y in rng.sample(pairs, 60) + [(x, y) for x, y in pairs if relation(tree, x, y)][:40]:
        verdict = checker.run("\n".join(facts + [f"query({x.lower()},{y.lower()})."]), None, BUDGET)
        want = relation(tree, x, y)
        got = verdict.value if verdict.status.value == "ok" else None
        assert got == want, (x, y, want, verdict.message)
        compared += want is not None
    assert compared >= 40


def test_checker_pickles_and_its_fingerprint_follows_the_knowledge_base(problems, checker):
    clone = pickle.loads(pickle.dumps(checker))
    p = problems["hard"][0]
    assert clone.check(p.program, None, p.answer, BUDGET).status.value == "ok"
    assert clone.fingerprint() == checker.fingerprint()
    changed = KinshipChecker(kb=read_kb().replace("is(X,cousin,Y) :- cousin(X,Y).", ""))
    assert changed.fingerprint() != checker.fingerprint()
