"""TheoryAbducer over clingo abducers: the theory that explains the labels is chosen on the solver."""

import operator

import pytest
import torch

from nesy.abduction import Abducer, AbductionProblem, SearchAbducer, SearchProblem, TheoryAbducer
from nesy.errors import NesyError
from nesy.executor import LocalExecutor

SYMBOLS = ["0", "1", "2", "3", "o"]  # "digit o digit"; what o does is the unknown part of the knowledge


def asp_theory(operation: str, name: str) -> AbductionProblem:
    knowledge = f"""
    digit(0..3).
    :- sym(1, V), digit(V).
    :- sym(0, o). :- sym(2, o).
    value(A {operation} B) :- sym(0, A), sym(2, B), digit(A), digit(B).
    :- label(L), not value(L).
    """
    return AbductionProblem(SYMBOLS, knowledge, lambda label: f"label({int(label)}).", name=name)


def search_theory(op, name: str) -> SearchProblem:
    def result(names):
        return op(int(names[0]), int(names[2])) if names[1] == "o" and "o" not in (names[0], names[2]) else None

    return SearchProblem(SYMBOLS, result, name=name)


@pytest.fixture(scope="module")
def pool():
    with LocalExecutor(workers=2) as executor:
        yield executor


def read(a: int, b: int) -> torch.Tensor:
    """Digits and the operator read confidently."""
    return torch.nn.functional.one_hot(torch.tensor([a, 4, b]), 5).float() * 0.9 + 0.02


def test_the_solver_chooses_the_theory_that_explains_the_labels(pool):
    pairs = [(2, 3), (3, 3), (1, 2), (2, 2), (3, 1)]
    labels = [a * b for a, b in pairs]
    theories = [Abducer(asp_theory("+", "add"), pool), Abducer(asp_theory("*", "mul"), pool), Abducer(asp_theory("-", "sub"), pool)]
    abducer = TheoryAbducer(theories, probe=10)
    out = abducer.abduce([read(a, b) for a, b in pairs], labels)
    assert abducer.chosen.name == "mul" and abducer.abducer is theories[1]
    assert abducer.last_scores["mul"] == 5 and abducer.last_scores["add"] < 5  # 9 = 3*3 is no sum of two digits 0-3
    assert [o.symbols for o in out] == [[a, 4, b] for a, b in pairs]


def test_clingo_and_search_theories_agree_and_probes_can_differ(pool):
    pairs, labels = [(2, 3), (3, 3)], [6, 9]
    on_solver = TheoryAbducer([Abducer(asp_theory("+", "add"), pool), Abducer(asp_theory("*", "mul"), pool)],
                              probes=[Abducer(asp_theory("+", "add"), pool, top_k=1), Abducer(asp_theory("*", "mul"), pool, top_k=1)])
    by_search = TheoryAbducer([search_theory(operator.add, "add"), SearchAbducer(search_theory(operator.mul, "mul"))])
    images = [read(a, b) for a, b in pairs]
    assert [o.symbols for o in on_solver.abduce(images, labels)] == [o.symbols for o in by_search.abduce(images, labels)]
    assert on_solver.chosen.name == by_search.chosen.name == "mul"


def test_bad_theories_are_refused_clearly(pool):
    with pytest.raises(NesyError, match="SearchProblem or an abducer"):
        TheoryAbducer([asp_theory("+", "add")])  # a problem without an abducer
    with pytest.raises(NesyError, match="probe abducers"):
        TheoryAbducer([Abducer(asp_theory("+", "add"), pool)], probes=[])
    with pytest.raises(NesyError, match="same symbols"):
        TheoryAbducer([Abducer(asp_theory("+", "add"), pool), SearchProblem(["0"], len)])
    with pytest.raises(NesyError, match="at least one"):
        TheoryAbducer([])
