"""Best-first search abduction, theory abduction and the length curriculum, on small real problems."""

from __future__ import annotations

import itertools
import math
import operator

import pytest
import torch

from nesy.abduction import AbductiveLearner, Example, SearchAbducer, SearchProblem, TheoryAbducer
from nesy.abduction.search import best_first, integer_costs
from nesy.errors import NesyError

DIGITS = [str(d) for d in range(10)]


def digit_sum() -> SearchProblem:
    return SearchProblem(DIGITS, lambda names: sum(int(n) for n in names), name="sum")


def random_probabilities(positions: int, classes: int, seed: int) -> torch.Tensor:
    return torch.softmax(3 * torch.randn(positions, classes, generator=torch.Generator().manual_seed(seed)), dim=1)


@pytest.mark.parametrize("seed", range(8))
def test_search_finds_the_most_probable_consistent_sequence(seed):
    """Against brute force over all 10^3 sequences: the same optimum cost, and a consistent answer."""
    p = random_probabilities(3, 10, seed)
    label = seed + 7
    out = SearchAbducer(digit_sum()).abduce([p], [label])[0]
    assert out.status == "abduced" and sum(out.symbols) == label
    costs = integer_costs(p)
    best = min(sum(costs[i, c].item() for i, c in enumerate(seq)) for seq in itertools.product(range(10), repeat=3) if sum(seq) == label)
    assert out.cost == best


def test_sequences_leave_the_queue_in_order_of_probability():
    p = random_probabilities(3, 4, 1)
    seen: list[list[str]] = []
    best_first(integer_costs(p), ["a", "b", "c", "d"], lambda names: seen.append(names) or False, None, 10_000)
    assert len(seen) == 4**3
    costs = integer_costs(p)
    totals = [sum(costs[i, "abcd".index(n)].item() for i, n in enumerate(names)) for names in seen]
    assert totals == sorted(totals)


def test_pruning_keeps_only_completable_prefixes():
    """Alternating digit / operator grammar: no pruned prefix is ever offered to the result function."""
    symbols = ["1", "2", "+"]

    def complete(prefix, length):
        return all((s == "+") == (i % 2 == 1) for i, s in enumerate(prefix)) and length % 2 == 1

    offered = []
    problem = SearchProblem(symbols, lambda names: offered.append(list(names)) or sum(int(n) for n in names[::2]), complete)
    out = SearchAbducer(problem).abduce([torch.full((5, 3), 1 / 3)], [5])[0]
    assert out.status == "abduced"
    assert all(complete(names, 5) for names in offered)
    assert sum(int(symbols[s]) for s in out.symbols[::2]) == 5


def test_impossible_budget_and_unreadable_labels_are_reported_not_raised():
    check = lambda label: None if isinstance(label, int) else (_ for _ in ()).throw(ValueError("not an int"))
    problem = SearchProblem(DIGITS, lambda names: sum(int(n) for n in names), check_label=check)
    p = random_probabilities(2, 10, 0)
    impossible, unreadable = SearchAbducer(problem).abduce([p, p], [19, "x"])
    assert impossible.status == "inconsistent"
    assert unreadable.status == "unreadable" and "not an int" in unreadable.message
    starved = SearchAbducer(problem, max_pops=3).abduce([random_probabilities(4, 10, 2)], [36])[0]
    assert starved.status == "failed" and "3 search steps" in starved.message


def test_sampling_draws_differ_stay_consistent_and_reproduce():
    p = torch.full((3, 10), 0.1)  # every sequence equally probable: MAP is one, draws vary
    abducer = SearchAbducer(digit_sum())
    draws = [abducer.abduce([p], [12], sample=torch.Generator().manual_seed(s))[0].symbols for s in range(6)]
    assert all(sum(d) == 12 for d in draws)
    assert len({tuple(d) for d in draws}) > 1
    again = abducer.abduce([p], [12], sample=torch.Generator().manual_seed(0))[0].symbols
    assert again == draws[0]


def test_decode_gives_the_most_probable_valid_sequence():
    problem = SearchProblem(["1", "+"], lambda names: None if names[0] == "+" else len(names))
    p = torch.tensor([[0.3, 0.7], [0.2, 0.8]])
    assert SearchAbducer(problem).decode(p) == [0, 1]


def test_search_problem_refuses_duplicate_symbols_and_bad_budget():
    with pytest.raises(NesyError, match="distinct"):
        SearchProblem(["a", "a"], len)
    with pytest.raises(NesyError, match="max_pops"):
        SearchAbducer(digit_sum(), max_pops=0)


def _theory(op) -> SearchProblem:
    def read(names):
        if len(names) != 3 or names[1] != "o" or "o" in (names[0], names[2]):
            return None
        return op(int(names[0]), int(names[2]))

    return SearchProblem(DIGITS + ["o"], read, name=op.__name__)


def test_theory_abducer_picks_the_theory_that_explains_the_labels():
    """Digits are read well, the operator class is unknown: the labels say it multiplies."""
    sharp = lambda d: torch.nn.functional.one_hot(torch.tensor(d), 11).float() * 0.9 + 0.01
    examples, labels = [], []
    for a, b in [(2, 3), (4, 4), (3, 5), (6, 2), (7, 3)]:
        examples.append(torch.stack([sharp(a), sharp(10), sharp(b)]))
        labels.append(a * b)
    abducer = TheoryAbducer([_theory(operator.add), _theory(operator.mul), _theory(operator.sub)], probe=10)
    out = abducer.abduce(examples, labels)
    assert abducer.chosen.name == "mul"
    assert abducer.last_scores["mul"] == 5 and abducer.last_scores["add"] < 5
    assert all(o.status == "abduced" for o in out)


def test_theory_abducer_refuses_mismatched_symbols():
    with pytest.raises(NesyError, match="same symbols"):
        TheoryAbducer([_theory(operator.add), SearchProblem(["0"], len)])


class Recorder:
    """A perception model that predicts uniformly and records what it is trained on."""

    def __init__(self, classes):
        self.classes = classes
        self.fitted_lengths = []

    def predict_proba(self, images):
        return torch.full((len(images), self.classes), 1 / self.classes)

    def fit(self, images, labels, epochs=1):
        self.fitted_lengths.append(len(labels))


class Reader(Recorder):
    """Reads an image filled with the value v as class v, for sure."""

    def predict_proba(self, images):
        return torch.nn.functional.one_hot(images.flatten(1)[:, 0].long(), self.classes).float()


def _filled(*values):
    return torch.stack([torch.full((2, 2), float(v)) for v in values])


def test_curriculum_adds_longer_examples_once_the_model_reads_the_short_ones():
    examples = [Example(_filled(3), 3), Example(_filled(5), 5), Example(_filled(2, 3, 4), 9)]
    model = Reader(10)
    reports = AbductiveLearner(model, SearchAbducer(digit_sum()), rounds=3, curriculum=True, advance_at=1.0).fit(examples)
    assert [r.longest for r in reports] == [1, 3, 3]
    assert [r.in_play for r in reports] == [2, 3, 3]
    assert [r.confirmed for r in reports] == [2, 3, 3]
    assert model.fitted_lengths[:2] == [2, 5]
    assert not math.isnan(reports[0].seconds)


def test_curriculum_waits_while_the_model_misreads_the_short_examples():
    examples = [Example(_filled(3), 3), Example(_filled(5), 5), Example(_filled(2, 3, 4), 9)]
    reports = AbductiveLearner(Recorder(10), SearchAbducer(digit_sum()), rounds=3, curriculum=True).fit(examples)
    assert [r.longest for r in reports] == [1, 1, 1]
    assert all(r.abduced == 2 and r.confirmed == 0 for r in reports)


def test_consolidate_votes_per_distinct_input_and_orders_canonically():
    from nesy.abduction.refit import canonical_order, consolidate

    a, b, c = torch.zeros(2, 2), torch.ones(2, 2), torch.full((2, 2), 2.0)
    inputs, labels = consolidate([torch.stack([a, b]), torch.stack([a, c]), torch.stack([b, a])], [[1, 7], [1, 8], [7, 2]])
    by_value = {float(x[0, 0]): y for x, y in zip(inputs, labels)}
    assert by_value == {0.0: 1, 1.0: 7, 2.0: 8}  # a: two votes for 1 beat one for 2
    assert canonical_order(inputs) == list(range(3))
    skipped, none = consolidate([torch.stack([a])], [None])
    assert none == [] and len(skipped) == 0


def test_refit_trains_a_fresh_model_on_the_consolidated_labels():
    examples = [Example(torch.zeros(1, 2, 2), 3), Example(torch.ones(1, 2, 2), 5), Example(torch.zeros(1, 2, 2), 3)]
    fresh = []

    def factory():
        fresh.append(Recorder(10))
        return fresh[-1]

    learner = AbductiveLearner(Recorder(10), SearchAbducer(digit_sum()), rounds=2, refit=factory, refit_epochs=5)
    learner.fit(examples)
    assert learner.model is fresh[0] and learner.refit_inputs == 2
    assert fresh[0].fitted_lengths == [2]
