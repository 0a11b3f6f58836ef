"""Step 6 (rerank): rule weights learned from the answers make the reading that is never wrong win."""

from contextlib import contextmanager

import pytest

from nesy.errors import NesyError
from nesy.semparse.fork_map import can_fork
from nesy.semparse.grammar import Rule
from nesy.semparse.learn_config import Example, LearnConfig
from nesy.semparse.lexicon import Lexicon
from nesy.semparse.parser import ChartParser
from nesy.semparse.rerank import AveragedWeights, rerank_step
from nesy.semparse.semantic_parser import SemanticParser
from nesy.semparse.tree import HOLE, SLOT, Tree
from nesy.solvers.dsl.language import DSL

NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
HOLE0, HOLE1 = Tree(kind=HOLE, index=0), Tree(kind=HOLE, index=1)
WORD = Rule("n", ("<int>",), Tree(kind=SLOT, index=0))
# "[n] and [n]": the truth is max; min is right wherever the two numbers are equal, and kept more often
TRUE = Rule("^", ("[n]", "and", "[n]"), Tree("max", (HOLE0, HOLE1)))
LUCKY = Rule("^", ("[n]", "and", "[n]"), Tree("min", (HOLE0, HOLE1)))


def _dsl():
    dsl = DSL("numbers")
    dsl.primitive("max", ["int", "int"], "int", max)
    dsl.primitive("min", ["int", "int"], "int", min)
    for name, value in NUMBERS.items():
        dsl.constant(name, "int", value)
    return dsl


@contextmanager
def _no_world():
    yield


def _parser(counts):
    return SemanticParser(Lexicon({w: w for w in NUMBERS}), {w: "int" for w in NUMBERS}, counts)


def _examples(pairs):
    return [Example((a, "and", b), max(NUMBERS[a], NUMBERS[b]), _no_world) for a, b in pairs]


def test_a_coincidence_kept_more_often_loses_to_the_reading_that_is_never_wrong():
    parser = _parser({WORD: 10.0, TRUE: 1.0, LUCKY: 5.0})
    assert parser.program(("two", "and", "five")) == "min(two, five)"
    train = _examples([("one", "one"), ("two", "two"), ("one", "three"), ("four", "two"), ("three", "three")])
    stats = {}
    learned = rerank_step(_dsl(), train, parser, LearnConfig(rerank_epochs=3), lambda *a: None, stats)
    assert learned.program(("two", "and", "five")) == "max(two, five)"
    assert learned.bias[TRUE] > 0 > learned.bias[LUCKY]
    assert stats["rerank_updates"][0] >= 1 and stats["rerank_updates"][-1] == 0
    assert stats["rerank_top_right"][-1] == 1.0
    assert learned.counts == parser.counts and learned.k == parser.k  # only the weights change


def test_a_pass_visits_at_most_rerank_questions():
    parser = _parser({WORD: 10.0, TRUE: 1.0, LUCKY: 5.0})
    train = _examples([("one", "three"), ("four", "two"), ("two", "five"), ("five", "one")] * 5)  # min is wrong on each
    stats = {}
    rerank_step(_dsl(), train, parser, LearnConfig(rerank_epochs=1, rerank_questions=3), lambda *a: None, stats)
    assert stats["rerank_updates"] == [1]  # the first update makes max win on the other two visited
    assert stats["rerank_top_right"] == [2 / 3]
    with pytest.raises(NesyError, match="must be >= 1"):
        LearnConfig(rerank_questions=0)


def test_answers_no_parse_gives_change_nothing():
    parser = _parser({WORD: 10.0, TRUE: 1.0, LUCKY: 5.0})
    wrong = [Example(("two", "and", "five"), 7, _no_world)]  # neither max nor min: nothing to learn from
    stats = {}
    learned = rerank_step(_dsl(), wrong, parser, LearnConfig(rerank_epochs=2), lambda *a: None, stats)
    assert learned.bias == {} and stats["rerank_updates"] == [0, 0]
    assert learned.program(("two", "and", "five")) == "min(two, five)"


def test_the_chart_adds_the_bias_to_a_rules_log_probability():
    lexical = [("two", "int"), None, ("five", "int")]
    words = ["two", "and", "five"]
    plain = ChartParser({WORD: 1.0, TRUE: 1.0, LUCKY: 3.0}).parse(words, lexical)
    biased = ChartParser({WORD: 1.0, TRUE: 1.0, LUCKY: 3.0}, bias={TRUE: 2.0}).parse(words, lexical)
    assert [p.text for p in plain] == ["min(two, five)", "max(two, five)"]
    assert [p.text for p in biased] == ["max(two, five)", "min(two, five)"]
    assert biased[0].score == pytest.approx(plain[1].score + 2.0)


def test_reweighing_in_place_scores_exactly_as_a_chart_built_with_the_merged_bias():
    counts = {WORD: 1.0, TRUE: 1.0, LUCKY: 3.0}
    lexical = [("two", "int"), None, ("five", "int")]
    words = ["two", "and", "five"]
    parser = _parser(counts)
    parser.bias = {LUCKY: 0.5}
    assert parser.parses(words)[0].text == "min(two, five)"  # the chart is built, with LUCKY's bias
    parser.reweigh({TRUE: 2.0, LUCKY: -0.25})
    rebuilt = ChartParser(counts, k=parser.k, bias={TRUE: 2.0, LUCKY: -0.25}).parse(words, lexical)
    assert [(p.text, p.score) for p in parser.parses(words)] == [(p.text, p.score) for p in rebuilt]
    assert parser.parses(words)[0].text == "max(two, five)" and parser.bias == {TRUE: 2.0, LUCKY: -0.25}
    parser.reweigh({Rule("^", ("[n]", "or", "[n]"), Tree("min", (HOLE0, HOLE1))): 9.0})  # not in the grammar: no effect
    assert [(p.text, p.score) for p in parser.parses(words)] == [(p.text, p.score) for p in rebuilt]


def test_the_average_counts_each_weight_from_the_step_after_its_change():
    weights = AveragedWeights()
    for step in range(4):
        weights.tick()
        if step == 0:
            weights.add("rule", 2.0)
    assert weights.weights["rule"] == 2.0 and weights.average()["rule"] == pytest.approx(1.5)


def test_bad_rerank_settings_are_refused():
    with pytest.raises(NesyError, match="rerank"):
        LearnConfig(rerank_epochs=-1)
    with pytest.raises(NesyError, match="rerank"):
        LearnConfig(rerank_step=0.0)
    with pytest.raises(NesyError, match="sizes and counts"):
        LearnConfig(rerank_k=0)


# a second wording, never in training: its coincidence (min) is kept more often than its true reading (max)
TRUE_OR = Rule("^", ("[n]", "and", "[n]", "or", "more"), Tree("max", (HOLE0, HOLE1)))
LUCKY_OR = Rule("^", ("[n]", "and", "[n]", "or", "more"), Tree("min", (HOLE0, HOLE1)))


def test_word_features_carry_what_one_wording_teaches_to_a_wording_never_trained_on():
    counts = {WORD: 10.0, TRUE: 1.0, LUCKY: 2.0, TRUE_OR: 1.0, LUCKY_OR: 2.0}
    train = _examples([("one", "three"), ("four", "two"), ("two", "five"), ("five", "one")] * 3)
    unseen = ("two", "and", "five", "or", "more")
    plain = rerank_step(_dsl(), train, _parser(counts), LearnConfig(rerank_epochs=2), lambda *a: None, {})
    shared = rerank_step(_dsl(), train, _parser(counts), LearnConfig(rerank_epochs=2, rerank_features=1.0), lambda *a: None, {})
    assert plain.program(("two", "and", "five")) == shared.program(("two", "and", "five")) == "max(two, five)"
    assert plain.program(unseen) == "min(two, five)"  # its own rules never moved
    assert shared.program(unseen) == "max(two, five)"  # ("and", max) gained, ("and", min) lost
    assert shared.bias[TRUE_OR] > 0 > shared.bias[LUCKY_OR] and TRUE_OR not in plain.bias
    with pytest.raises(NesyError, match="rerank_features"):
        LearnConfig(rerank_features=-0.5)


def test_a_margin_widens_the_gap_where_the_best_parse_is_right_but_a_wrong_one_is_close():
    counts = {WORD: 10.0, TRUE: 5.0, LUCKY: 4.0}  # max already wins, by log(5/4) = 0.22 nats
    train = _examples([("one", "three"), ("four", "two"), ("five", "five")])  # min is wrong on the first two only
    stats = {}
    plain = rerank_step(_dsl(), train, _parser(counts), LearnConfig(rerank_epochs=1), lambda *a: None, stats)
    assert plain.bias == {} and stats["rerank_updates"] == [0] and stats["rerank_margin_updates"] == [0]
    stats = {}
    wide = rerank_step(_dsl(), train, _parser(counts), LearnConfig(rerank_epochs=1, rerank_margin=1.0), lambda *a: None, stats)
    assert stats["rerank_updates"] == [0] and stats["rerank_margin_updates"] == [1]  # then 2.22 nats apart: past the margin
    assert wide.bias[TRUE] > 0 > wide.bias[LUCKY]
    with pytest.raises(NesyError, match="rerank_margin"):
        LearnConfig(rerank_margin=-1.0)


def test_with_rerank_relaxed_questions_read_only_by_the_relaxations_teach_too():
    lead_in = Rule("^", ("half", "of", "[n]"), Tree("min", (HOLE0, HOLE0)))  # "of" stands before a hole: a lead-in
    counts = {WORD: 10.0, TRUE: 1.0, LUCKY: 5.0, lead_in: 1.0}
    pairs = [("one", "three"), ("four", "two"), ("two", "five")]
    train = [Example((a, "and", "of", b), max(NUMBERS[a], NUMBERS[b]), _no_world) for a, b in pairs]
    assert _parser(counts).parses(train[0].tokens) == []  # no rule reads "and of": only the relaxations (leaving out "of")
    assert _parser(counts).program(train[0].tokens) == "min(one, three)"
    stats = {}
    plain = rerank_step(_dsl(), train, _parser(counts), LearnConfig(rerank_epochs=2), lambda *a: None, stats)
    assert stats["rerank_updates"] == [0, 0] and plain.program(("two", "and", "five")) == "min(two, five)"
    stats = {}
    relaxed = rerank_step(_dsl(), train, _parser(counts), LearnConfig(rerank_epochs=2, rerank_relaxed=True), lambda *a: None, stats)
    assert stats["rerank_updates"][0] >= 1
    assert relaxed.program(train[0].tokens) == "max(one, three)"
    assert relaxed.program(("two", "and", "five")) == "max(two, five)"  # the same rules read the plain wording


@pytest.mark.skipif(not can_fork(), reason="this platform cannot fork")
def test_reading_ahead_on_two_workers_learns_exactly_what_one_process_learns():
    counts = {WORD: 10.0, TRUE: 1.0, LUCKY: 5.0, TRUE_OR: 1.0, LUCKY_OR: 2.0}
    pairs = [(a, b) for a in NUMBERS for b in NUMBERS] * 4  # 100 questions: several read-aheads, updates in between
    train = _examples(pairs) + [Example((a, "and", b, "or", "more"), max(NUMBERS[a], NUMBERS[b]), _no_world) for a, b in pairs[:30]]
    learned = []
    for workers in (1, 2):
        stats = {}
        config = LearnConfig(rerank_epochs=3, rerank_features=0.5, rerank_margin=3.0, rerank_step=0.5, workers=workers)
        learned.append((rerank_step(_dsl(), train, _parser(counts), config, lambda *a: None, stats).bias, stats))
    (one, one_stats), (two, two_stats) = learned
    assert one_stats["rerank_updates"][0] + one_stats["rerank_margin_updates"][0] >= 3  # something to get right
    assert two == one
    assert {k: v for k, v in two_stats.items() if k != "rerank_seconds"} == {k: v for k, v in one_stats.items() if k != "rerank_seconds"}
