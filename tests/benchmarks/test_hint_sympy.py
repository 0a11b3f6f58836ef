"""Test-time reading of HINT expressions: structure-only parsing, SymPy in the sandbox, scores."""

import random

import pytest
import torch

from nesy.benchmarks.hint.expressions import evaluate
from nesy.benchmarks.hint.generate import random_expression
from nesy.benchmarks.hint.reading import grammatical_readings, score_readings
from nesy.benchmarks.hint.symbols import SYMBOLS
from nesy.benchmarks.hint.sympy_reading import read_with_sympy, sympy_program
from nesy.executor import LocalExecutor


@pytest.fixture(scope="module")
def pool():
    with LocalExecutor(workers=2) as executor:
        yield executor


def _sharp(text, confidence=0.9):
    truth = torch.tensor([SYMBOLS.index(c) for c in text])
    return torch.nn.functional.one_hot(truth, len(SYMBOLS)).float() * confidence + (1 - confidence) / len(SYMBOLS)


def test_programs_are_written_from_structure_with_hint_semantics():
    assert sympy_program(list("2-7")) == "v1 = Max(2 - 7, 0)\nv1"
    assert sympy_program(list("(4)")) == "4"
    assert sympy_program(list("1+2*3")).splitlines() == ["v1 = 2 * 3", "v2 = 1 + v1", "v2"]
    assert sympy_program(list("1+2"), {"+": "*"}) == "v1 = 1 * 2\nv1"
    for bad in ["", "3+", "(3", "3)", "--3", "12", "3(4)", "+"]:
        with pytest.raises(ValueError):
            sympy_program(list(bad))


def test_sympy_agrees_with_the_python_evaluator(pool):
    rng = random.Random(7)
    sequences = [random_expression(rng.choice([1, 3, 5, 7, 9, 11, 13, 15]), rng) for _ in range(150)]
    sequences += [list(t) for t in ("7/0", "3/(2/0)", "0/0", "9-4/0", "(1/0)*0", "9*9*9*9*9*9*9*9")]
    readings = read_with_sympy(sequences, pool)
    assert [r.value for r in readings] == [evaluate(s) for s in sequences]
    assert all(r.status == "ok" for r in readings[:150])
    assert readings[-1].value == 9**8 and readings[-5].value is None  # 3/(2/0): no value, not 0


def test_a_malformed_sequence_is_rejected_and_the_batch_goes_on(pool):
    out = read_with_sympy([list("3+"), list("4*2"), list(")("), list("8-9")], pool)
    assert [(r.status, r.value) for r in out] == [("rejected", None), ("ok", 8), ("rejected", None), ("ok", 0)]
    assert "grammatical" in out[0].message


def test_scores_use_the_grammatical_reading_and_count_malformed_perceptions_as_wrong(pool):
    shaky = _sharp("3+)")
    shaky[2, SYMBOLS.index("5")] = 0.3  # perceived "3+)", the grammatical reading is "3+5"
    probabilities = [_sharp("7/2"), shaky, _sharp("9-4"), _sharp("7/0")]
    assert grammatical_readings(probabilities, pool)[1] == list("3+5")
    scores = score_readings(probabilities, [4, 8, 6, 0], pool)
    assert scores.right == [True, True, False, False]
    assert scores.argmax_right == [True, False, False, False]
    assert scores.verdicts["rejected"] == 1 and scores.decoded_by_solver == 1
    assert scores.agreement == 1.0
