"""The parser learner on CLEVR-style zero-hop counting questions, and on the same questions in invented words.

The second run is the proof that no suite knowledge hides in the learner: every word of every
question is replaced by a made-up word (a fixed random bijection), and the learner, given the
same DSL, scenes and answers, must learn as well.
"""

import random

import pytest

from nesy.benchmarks.clevr.dsl_executor import clevr_dsl
from nesy.benchmarks.clevr.learning import examples_of, tokenize
from nesy.benchmarks.clevr.questions import GenerationConfig, generate_questions
from nesy.semparse.learner import Example, LearnConfig, learn_parser
from nesy.semparse.tree import evaluate


def _data(n, seed):
    """Zero-hop counting questions ("How many red cubes are there?")."""
    scenes, questions, _ = generate_questions(GenerationConfig(n_questions=n, seed=seed, families=("zero_hop",)))
    return scenes, [q for q in questions if type(q.answer) is int]


TRAIN = _data(1500, 0)
TEST = _data(400, 77)


def _permuted(examples, mapping):
    return [Example(tuple(mapping[w] for w in ex.tokens), ex.answer, ex.bind, ex.answer_type) for ex in examples]  # answers keep their type


def _accuracy(parser, examples):
    dsl, right = clevr_dsl(), 0
    for ex in examples:
        tree = parser.parse(ex.tokens)
        if tree is None:
            continue
        with ex.bind():
            try:
                value = evaluate(dsl, tree)
            except Exception:
                continue
        right += type(value) is type(ex.answer) and value == ex.answer
    return right / len(examples)


@pytest.fixture(scope="module")
def plain():
    train, test = examples_of(*TRAIN), examples_of(*TEST)
    parser, stats = learn_parser(clevr_dsl(), train, LearnConfig(lexicon_examples=400, lexicon_max_size=7))
    return parser, stats, _accuracy(parser, test)


def test_zero_hop_questions_are_learned_from_answers_alone(plain):
    parser, stats, accuracy = plain
    assert accuracy >= 0.8
    assert parser.lexicon.entries.get("cubes") == "cube" and parser.lexicon.entries.get("red") == "red"
    assert stats["rules"] > 0 and stats["verified_round_1"] > 0.75
    assert 0 < stats["verified_before_compose"] <= 1 and stats["compose_pool"] == len(examples_of(*TRAIN))


def test_the_same_learner_learns_the_questions_in_invented_words(plain):
    _, _, accuracy = plain
    train, test = examples_of(*TRAIN), examples_of(*TEST)
    vocabulary = sorted({w for ex in train + test for w in ex.tokens})
    rng = random.Random(5)
    invented = ["".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3)) + str(i) for i in range(len(vocabulary))]
    rng.shuffle(invented)
    mapping = dict(zip(vocabulary, invented))
    parser, _ = learn_parser(clevr_dsl(), _permuted(train, mapping), LearnConfig(lexicon_examples=400, lexicon_max_size=7))
    assert not set(parser.lexicon.entries) & set(vocabulary)
    assert parser.lexicon.entries.get(mapping["cubes"]) == "cube"
    assert _accuracy(parser, _permuted(test, mapping)) >= accuracy - 0.05


def test_tokenize_splits_words_and_marks():
    assert tokenize("How many red cubes are there?") == ("how", "many", "red", "cubes", "are", "there", "?")
