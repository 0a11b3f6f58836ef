"""Step 7 (neural reader): a model trained on the answer-verified parses chooses among the grammar's."""

import dataclasses

import pytest

from nesy.errors import NesyError
from nesy.semparse.learn_config import Example, LearnConfig
from nesy.semparse.neural_reader import NeuralReader, _add_verified_proposals, dsl_names, neural_step, prefix_text, prefix_tree
from nesy.semparse.tree import CONST, Tree

from .test_rerank import LUCKY, TRUE, WORD, _dsl, _examples, _no_world, _parser

SMALL = dict(neural_epochs=40, neural_d_model=32, neural_layers=1, neural_relabel=1)


def _learned(config: LearnConfig):
    parser = _parser({WORD: 10.0, TRUE: 1.0, LUCKY: 5.0})  # the grammar alone reads min, right only on equal numbers
    train = _examples([("one", "three"), ("four", "two"), ("two", "five"), ("five", "three"), ("one", "four"), ("two", "two"),
                       ("three", "three"), ("four", "one")])
    stats = {}
    reader = neural_step(_dsl(), train, parser, config, lambda *a: None, stats)
    return parser, dataclasses.replace(parser, k=config.neural_k, reader=reader, _chart=None, _relaxed=None), stats


def test_the_reader_learns_from_the_verified_parses_and_outvotes_a_coincidence_the_grammar_prefers():
    parser, read, stats = _learned(LearnConfig(**SMALL, neural_grammar_weight=0.0, neural_beam=0))
    assert parser.program(("three", "and", "five")) == "min(three, five)"
    assert read.program(("three", "and", "five")) == "max(three, five)"
    assert stats["neural_labelled"] == 1.0  # max gives every answer, so each question has a verified parse
    assert stats["neural_relabelled"] == [2]  # the equal pairs, labelled min by the grammar first, go to max
    assert stats["neural_parameters"] > 0 and stats["neural_seconds"] > 0


def test_without_a_beam_the_reader_only_chooses_among_the_grammar_readings():
    _, read, _ = _learned(LearnConfig(**SMALL, neural_beam=0))
    assert {prefix_text(t) for t in read.candidates(("three", "and", "five"))} == {"max three five", "min three five"}
    assert read.candidates(("three", "or", "five")) == []  # no parse: nothing to choose from


def test_without_a_verified_parse_there_is_nothing_to_learn_and_no_reader():
    parser = _parser({WORD: 10.0, TRUE: 1.0, LUCKY: 5.0})
    wrong = [Example(("two", "and", "five"), 7, _no_world)]  # neither max nor min gives 7
    stats = {}
    assert neural_step(_dsl(), wrong, parser, LearnConfig(**SMALL), lambda *a: None, stats) is None
    assert stats["neural_labelled"] == 0.0


def test_a_heavy_grammar_weight_keeps_the_grammar_order():
    class Flat:  # a model with no preference
        def score(self, questions, programs):
            return [0.0] * len(programs)

    parser = _parser({WORD: 10.0, TRUE: 1.0, LUCKY: 5.0})
    words = ("three", "and", "five")
    ordered = NeuralReader(Flat(), grammar_weight=1.0).order([words], [parser.readings(words)])
    assert [prefix_text(t) for t in ordered[0]] == ["min three five", "max three five"]


def test_prefix_text_writes_calls_and_constants_in_prefix_order():
    tree = Tree("max", (Tree("min", (Tree("one", (), CONST, 0), Tree("two", (), CONST, 1))), Tree("three", (), CONST, 2)))
    assert prefix_text(tree) == "max min one two three"


@pytest.mark.parametrize("bad", [dict(neural_epochs=-1), dict(neural_k=0), dict(neural_d_model=30), dict(neural_grammar_weight=-1)])
def test_bad_neural_options_are_refused(bad):
    with pytest.raises(NesyError, match="neural_"):
        LearnConfig(**bad)


class _Stub:
    """A model that proposes fixed texts (untrusted: some are not programs) and prefers programs with max."""

    def __init__(self, texts):
        self.texts = texts

    def propose(self, inputs, k, sample):
        from nesy.proposer.protocol import Candidate

        return [[Candidate(text, -1.0) for text in self.texts[:k]] for _ in inputs]

    def score(self, questions, programs):
        return [-1.0 if program.startswith("max") else -3.0 for program in programs]


UNTRUSTED = ["max three five", "max three", "__import__ os", "max three five six", "", "min three five", "five"]


def test_prefix_tree_builds_only_whole_programs_of_the_dsls_names():
    calls, constants = dsl_names(_dsl())
    assert prefix_text(prefix_tree("max three min one two", calls, constants)) == "max three min one two"
    for bad in UNTRUSTED[1:5] + ["three five", "max(three, five)", "min min min"]:
        assert prefix_tree(bad, calls, constants) is None, bad


def test_verified_proposals_join_a_questions_programs_and_the_rest_are_dropped():
    dsl = _dsl()
    reader = NeuralReader(_Stub(UNTRUSTED), beam=8, calls=dsl_names(dsl)[0], constants=dsl_names(dsl)[1])
    train = _examples([("three", "five")])  # the answer is 5
    verified = [[]]
    stats = {"neural_proposals_verified": []}
    _add_verified_proposals(reader, dsl, train, verified, 1, stats, lambda done: None)
    assert [prefix_text(t) for t in verified[0]] == ["max three five", "five"]  # min gives 3; the rest are not programs
    assert stats["neural_proposals_verified"] == [2]
    _add_verified_proposals(reader, dsl, train, verified, 1, stats, lambda done: None)
    assert len(verified[0]) == 2 and stats["neural_proposals_verified"] == [2, 0]  # nothing twice


def test_the_reader_reads_a_proposal_the_grammar_cannot_parse():
    parser = _parser({WORD: 10.0, LUCKY: 5.0})  # the grammar knows only min
    words = ("three", "and", "five")
    calls, constants = dsl_names(_dsl())
    reader = NeuralReader(_Stub(UNTRUSTED), grammar_weight=1.0, beam=8, calls=calls, constants=constants)
    ordered = [prefix_text(t) for t in reader.order([words], [parser.readings(words)])[0]]
    assert ordered[0] == "max three five" and set(ordered) == {"max three five", "min three five", "five"}
    choosing_only = NeuralReader(_Stub(UNTRUSTED), grammar_weight=1.0, beam=0, calls=calls, constants=constants)
    assert [prefix_text(t) for t in choosing_only.order([words], [parser.readings(words)])[0]] == ["min three five"]
