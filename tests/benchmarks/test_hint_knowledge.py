"""HINT's ASP knowledge on real clingo: it agrees with the Python evaluator, and abduction through it works."""

import random
import re

import pytest
import torch

from nesy.abduction import Abducer, TheoryAbducer
from nesy.benchmarks.hint.expressions import evaluate
from nesy.benchmarks.hint.generate import random_expression
from nesy.benchmarks.hint.knowledge import CHART, hint_problem, label_facts, meaning_facts, structure_problem, term_of
from nesy.benchmarks.hint.suite import meaning_renames
from nesy.benchmarks.hint.symbols import SYMBOLS
from nesy.budget import Budget
from nesy.executor import LocalExecutor
from nesy.executor.job import Job
from nesy.registry import get_solver


@pytest.fixture(scope="module")
def pool():
    with LocalExecutor(workers=2) as executor:
        yield executor


def chart_values(sequences, executor, rename=None):
    """The value the ASP chart gives each fixed symbol sequence (None: no value), one batch."""
    solver = get_solver("clingo")
    jobs = []
    for tokens in sequences:
        facts = " ".join(f"pos({i}). sym({i},{term_of(t)})." for i, t in enumerate(tokens))
        jobs.append(Job(solver, CHART + meaning_facts(rename) + "\n" + facts + "\n#show value/1.", budget=Budget(wall_seconds=10, max_models=2)))
    out = []
    for verdict in executor.map(jobs):
        assert verdict.status.value == "sat", verdict.message  # no label: the program always has one answer set
        (model,) = verdict.value["models"]
        values = [int(re.fullmatch(r"value\((\d+)\)", atom).group(1)) for atom in model]
        assert len(values) <= 1, values  # the grammar is unambiguous: at most one value
        out.append(values[0] if values else None)
    return out


def _sequences(rng):
    well_formed, malformed = [], []
    for length in range(1, 16):
        for _ in range(25):
            malformed.append([rng.choice(SYMBOLS) for _ in range(length)])
            tokens = random_expression(length, rng) if length % 2 else None
            if tokens:
                well_formed.append(tokens)
                mutated = list(tokens)
                mutated[rng.randrange(length)] = rng.choice(SYMBOLS)
                malformed.append(mutated)
    # divisions by zero, also nested inside a divisor and under a subtraction
    well_formed += [list(t) for t in ("7/0", "3/(2/0)", "0/0", "9-4/0", "(5-5)", "8/(3-5)", "2*0/(1-1)+4", "(((3)))")]
    return well_formed, malformed


def test_the_chart_agrees_with_the_python_evaluator_on_many_sequences(pool):
    well_formed, malformed = _sequences(random.Random(3))
    sequences = well_formed + malformed
    got = chart_values(sequences, pool)
    want = [evaluate(s) for s in sequences]
    assert got == want
    assert sum(v is not None for v in want) > 150 and sum(v is None for v in want) > 150  # both kinds really tested


def test_the_chart_agrees_under_every_operator_meaning(pool):
    rng = random.Random(5)
    for rename in meaning_renames().values():
        sequences = [random_expression(rng.choice([5, 7, 9]), rng) for _ in range(6)]
        assert chart_values(sequences, pool, rename) == [evaluate([rename.get(t, t) for t in s]) for s in sequences]


def _sharp(text, confidence=0.9):
    truth = torch.tensor([SYMBOLS.index(c) for c in text])
    return torch.nn.functional.one_hot(truth, len(SYMBOLS)).float() * confidence + (1 - confidence) / len(SYMBOLS)


def test_abduction_corrects_a_misread_symbol_to_fit_the_value(pool):
    p = _sharp("3+4*2")
    p[2] = torch.full((16,), 0.01)
    p[2, SYMBOLS.index("4")], p[2, SYMBOLS.index("9")] = 0.5, 0.4  # reads 4, perhaps 9
    out = Abducer(hint_problem(), pool, top_k=3).abduce([p, p, _sharp("7-")], [21, 11, 7])
    assert [SYMBOLS[s] for s in out[0].symbols] == list("3+9*2")
    assert [SYMBOLS[s] for s in out[1].symbols] == list("3+4*2")
    assert out[2].status == "inconsistent"  # no grammatical sequence of two symbols exists


def test_abduction_widens_past_top_k_when_needed(pool):
    p = _sharp("8/3")
    out = Abducer(hint_problem(), pool, top_k=1).abduce([p], [2])  # 8/3 is 3: some symbol must change
    assert out[0].status == "abduced" and out[0].widened
    assert evaluate([SYMBOLS[s] for s in out[0].symbols]) == 2


def test_unreadable_labels_are_reported_not_solved(pool):
    out = Abducer(hint_problem(), pool).abduce([_sharp("5")] * 3, [-1, "5", 2**40])
    assert [o.status for o in out] == ["unreadable"] * 3
    with pytest.raises(ValueError):
        label_facts(True)


def test_structure_problem_finds_the_most_probable_grammatical_reading(pool):
    p = _sharp("3+)")
    p[2, SYMBOLS.index("5")] = 0.3  # ")" is likelier, but only a digit makes it grammatical
    out = Abducer(structure_problem(), pool, top_k=3).abduce([p, _sharp("12")], [None, None])
    assert [SYMBOLS[s] for s in out[0].symbols] == list("3+5")
    assert out[1].status == "inconsistent"  # even lengths have no grammatical reading


def test_theory_abducer_on_clingo_finds_which_class_divides(pool):
    """Symbols are read well; the labels fit them as drawn only if "+" divides and "/" adds.

    Other theories explain the labels too, but only with less probable symbols (widened past
    the top 2): the tie on explained examples goes to the more probable reading.
    """
    renames = meaning_renames()
    swapped = "+=/,-=-,*=*,/=+"
    theories = [Abducer(hint_problem(renames[name], name), pool, top_k=2, budget=Budget(wall_seconds=2)) for name in
                ["+=+,-=-,*=*,/=/", swapped, "+=-,-=+,*=*,/=/"]]
    texts = ["8+2", "9+3/4", "7+2+1", "6/3+2"]
    labels = [evaluate([renames[swapped].get(t, t) for t in text]) for text in texts]
    abducer = TheoryAbducer(theories, probe=10)
    out = abducer.abduce([_sharp(text) for text in texts], labels)
    assert abducer.chosen.name == swapped
    assert abducer.last_scores[swapped] == 4
    assert [[SYMBOLS[s] for s in o.symbols] for o in out] == [list(t) for t in texts]
    assert len(renames) == 24
