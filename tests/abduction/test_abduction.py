"""Abduction on the real clingo backend: encodings, batch outcomes, and a loop that learns."""

import pytest
import torch

from nesy.abduction import Abducer, AbductionProblem, AbductiveLearner, Example
from nesy.abduction.learner import RoundReport
from nesy.abduction.encoding import candidate_facts, symbols_from_model
from nesy.benchmarks.digits.addition import addition_problem
from nesy.errors import NesyError
from nesy.executor import LocalExecutor


@pytest.fixture(scope="module")
def pool():
    with LocalExecutor(workers=2) as executor:
        yield executor


def confident(rows, classes=10, high=0.9):
    """Each position sure of its digit; the rest of the mass grows with the class index (no ties)."""
    rest = torch.arange(1, classes + 1, dtype=torch.float32)
    probabilities = torch.zeros(len(rows), classes)
    for position, value in enumerate(rows):
        others = rest.clone()
        others[value] = 0
        probabilities[position] = others / others.sum() * (1 - high)
        probabilities[position, value] = high
    return probabilities


def test_candidates_keep_the_top_k_and_cost_falls_with_probability():
    facts = candidate_facts(torch.tensor([[0.1, 0.6, 0.3]]), ["x", "y", "z"], top_k=2).splitlines()
    assert facts[0] == "pos(0)."
    assert [line.split(".")[0] for line in facts[1:]] == ["cand(0,y)", "cand(0,z)"]
    costs = [int(line.rsplit(",", 1)[1].rstrip(").")) for line in facts[1:]]
    assert costs[0] < costs[1]
    with pytest.raises(NesyError):
        candidate_facts(torch.ones(2, 4), ["x", "y", "z"], top_k=2)
    with pytest.raises(NesyError):
        symbols_from_model(["sym(0,a)"], 2)


def test_label_overrides_perception_and_top_k_widens_when_needed(pool):
    problem = addition_problem(2)
    abducer = Abducer(problem, pool, top_k=2)
    seen = confident([1, 2, 3, 4])  # 12 + 34 = 46 is what perception says; second choices are 9s
    hesitant = seen.clone()
    hesitant[3, 5], hesitant[3, 9] = hesitant[3, 9], hesitant[3, 5]  # now 5 is position 3's runner-up
    outcomes = abducer.abduce([seen, hesitant, seen, seen], [46, 47, 47, 0])
    assert outcomes[0].status == "abduced" and outcomes[0].symbols == [1, 2, 3, 4] and not outcomes[0].widened
    assert outcomes[1].symbols == [1, 2, 3, 5] and not outcomes[1].widened  # the runner-up explains it
    assert outcomes[2].status == "abduced" and outcomes[2].widened  # 47 needs a digit outside the top 2
    assert sum(a != b for a, b in zip(outcomes[2].symbols, [1, 2, 3, 4])) == 1  # cheapest: one digit moved
    assert outcomes[3].symbols == [0, 0, 0, 0] and outcomes[3].widened
    narrow = Abducer(problem, pool, top_k=2, widen=False).abduce([seen, hesitant, seen], [46, 47, 47])
    assert [o.status for o in narrow] == ["abduced", "abduced", "inconsistent"]  # no second pass
    assert not any(o.widened for o in narrow)


def test_unreadable_and_inconsistent_labels_are_reported_and_the_batch_goes_on(pool):
    parity = AbductionProblem(["0", "1"], ":- label(L), #count { P : sym(P, 1) } != L.", lambda label: f"label({int(label)}).")
    outcomes = Abducer(parity, pool).abduce([torch.full((2, 2), 0.5)] * 4, [1, 3, "x", 2])
    assert [o.status for o in outcomes] == ["abduced", "inconsistent", "unreadable", "abduced"]
    assert outcomes[3].symbols == [1, 1]
    assert "cannot be read" in outcomes[2].message
    assert addition_problem(1).label_facts(18) and Abducer(addition_problem(1), pool).abduce([confident([0, 0])], [19])[0].status == "unreadable"


class Recorder:
    """A stand-in perception model that is always unsure and records what it is taught."""

    def __init__(self):
        self.taught = []

    def predict_proba(self, images):
        return torch.full((len(images), 10), 0.1)

    def fit(self, images, labels, epochs=1):
        self.taught.append((len(images), list(labels)))


def test_loop_teaches_only_abduced_symbols_and_stops_at_a_fixpoint(pool):
    examples = [Example(torch.zeros(2, 8, 8), 0), Example(torch.zeros(2, 8, 8), 18), Example(torch.zeros(2, 8, 8), 99)]
    model = Recorder()
    seen = []
    reports = AbductiveLearner(model, Abducer(addition_problem(1), pool), rounds=5, min_rounds=2).fit(
        examples, on_round=lambda report: seen.append(report.round) or {"probe": report.round}
    )
    assert [r.round for r in reports] == [1, 2] and seen == [1, 2]  # nothing changed in round 2: stop
    assert reports[0].abduced == 2 and reports[0].unreadable == 1 and reports[0].changed == 4 and reports[1].changed == 0
    assert model.taught[0] == (4, [0, 0, 9, 9])  # 0 = 0 + 0 and 18 = 9 + 9; the impossible 99 taught nothing
    assert isinstance(reports[0], RoundReport) and reports[0].extra == {"probe": 1}


def test_perturbation_shifts_costs_to_zero_and_strong_noise_reorders_candidates():
    flat = torch.tensor([[0.5, 0.3, 0.2]])
    plain = candidate_facts(flat, ["x", "y", "z"], top_k=2, perturbation=torch.zeros(1, 3)).splitlines()
    assert plain[1] == "cand(0,x). cost(0,x,0)." and plain[2] == f"cand(0,y). cost(0,y,{round(1000 * 0.5108)})."
    pushed = candidate_facts(flat, ["x", "y", "z"], top_k=2, perturbation=torch.tensor([[0.0, 0.0, 5.0]])).splitlines()
    assert pushed[1] == "cand(0,z). cost(0,z,0)." and pushed[2].startswith("cand(0,x).")
    with pytest.raises(NesyError):
        candidate_facts(flat, ["x", "y", "z"], top_k=2, perturbation=torch.zeros(2, 3))


def test_sampled_abduction_draws_different_consistent_assignments_where_map_repeats_one(pool):
    one_of_two = AbductionProblem(["0", "1"], ":- label(L), #count { P : sym(P, 1) } != L.", lambda label: f"label({int(label)}).")
    abducer = Abducer(one_of_two, pool)
    unsure = [torch.tensor([[0.45, 0.55], [0.55, 0.45]])] * 40  # MAP: [1, 0]; [0, 1] is nearly as likely
    best = {tuple(o.symbols) for o in abducer.abduce(unsure, [1] * 40)}
    drawn = [tuple(o.symbols) for o in abducer.abduce(unsure, [1] * 40, sample=torch.Generator().manual_seed(0))]
    assert best == {(1, 0)}
    assert set(drawn) == {(1, 0), (0, 1)} and all(sum(d) == 1 for d in drawn)  # every draw still explains the label
    again = [tuple(o.symbols) for o in abducer.abduce(unsure, [1] * 40, sample=torch.Generator().manual_seed(0))]
    assert again == drawn  # seeded: reproducible


def test_explore_rounds_are_sampled_and_the_fixpoint_waits_for_them(pool):
    examples = [Example(torch.zeros(2, 8, 8), 0), Example(torch.zeros(2, 8, 8), 18)]
    reports = AbductiveLearner(Recorder(), Abducer(addition_problem(1), pool), rounds=6, min_rounds=2, explore=3).fit(examples)
    assert [r.sampled for r in reports] == [True, True, True, False]  # 0+0 and 9+9 never change: stop at the first MAP round
