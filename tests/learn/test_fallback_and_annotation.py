"""Scoring the first program the solver runs cleanly (no answer shown), and choosing what to annotate."""

from __future__ import annotations

from nesy.benchmarks.nlprog import load
from nesy.benchmarks.puzzles.checker import PuzzleChecker
from nesy.executor import LocalExecutor
from nesy.learn.annotate import choose_for_annotation, sentence_shapes
from nesy.learn.evaluate import evaluate
from nesy.learn.slots import SlotCopier
from nesy.learn.task import Item, Task
from nesy.proposer.protocol import Candidate


class Fixed:
    """Proposes the same ranked programs for every input."""

    def __init__(self, programs: list[str]) -> None:
        self.programs = programs

    def propose(self, inputs, k, **_):
        return [[Candidate(p, -float(i)) for i, p in enumerate(self.programs[:k])] for _ in inputs]


def test_a_program_that_leaves_the_answer_open_falls_back_to_the_next_one_without_seeing_the_answer():
    [problem] = load("puzzles", "iid", n_train=1, n_test=1, seed=3).test
    clues = [f for f in problem.fragments if f.startswith("(assert")]
    open_program = "\n".join(f for f in problem.fragments if f not in clues[:1])  # one clue short
    task = Task("t", [Item("p", problem.text, problem.answer)], PuzzleChecker())
    with LocalExecutor(workers=1) as pool:
        plain = evaluate(Fixed([open_program, problem.program]), task, pool)
        repaired = evaluate(Fixed([open_program, problem.program]), task, pool, fallback=2)
        wrong_answer = Task("t", [Item("p", problem.text, "nobody_at_all")], PuzzleChecker())
        still_wrong = evaluate(Fixed([open_program, problem.program]), wrong_answer, pool, fallback=2)
    assert plain.accuracy == 0.0 and plain.statuses == {"error": 1} and plain.fallen_back == 0
    assert repaired.accuracy == 1.0 and repaired.fallen_back == 1
    assert still_wrong.accuracy == 0.0 and still_wrong.statuses == {"mismatch": 1}  # the answer only scores


def test_the_chosen_problems_cover_more_sentence_shapes_than_the_first_ones():
    train = load("puzzles", "iid", n_train=80, n_test=1, seed=0).train
    copier = SlotCopier.fitted(s for p in train for s in p.sentences)
    shapes = [sentence_shapes(p.sentences, copier) for p in train]
    chosen = choose_for_annotation([p.sentences for p in train], 10, copier)
    assert len(set(chosen)) == 10
    covered = set().union(*(shapes[i] for i in chosen))
    assert len(covered) > len(set().union(*shapes[:10]))
    renamed = [[s.replace("taller", "blorper").replace("shorter", "smeeker") for s in p.sentences] for p in train]
    assert choose_for_annotation(renamed, 10, SlotCopier.fitted(s for t in renamed for s in t)) == chosen
