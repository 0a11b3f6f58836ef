"""Lexicon learning from answers alone: toy candidates with distractors, and real CLEVR questions."""

import random
import re

from nesy.benchmarks.clevr.dsl_executor import bound_scene, clevr_dsl
from nesy.benchmarks.clevr.questions import GenerationConfig, generate_questions
from nesy.benchmarks.clevr.reference import SceneIndex
from nesy.benchmarks.clevr.text import SYNONYMS
from nesy.semparse.enumerate import consistent_programs
from nesy.semparse.lexicon import learn_lexicon

WORDS = {"rot": "red", "blau": "blue", "gruen": "green", "wuerfel": "cube", "kugel": "sphere"}


def toy_examples(n: int, distractors: int, seed: int = 0):
    """Questions in made-up words; each has its true constant set among random distractor sets."""
    rng = random.Random(seed)
    constants = sorted(set(WORDS.values()))
    examples = []
    for _ in range(n):
        content = rng.sample(sorted(WORDS), rng.choice((1, 2)))
        tokens = ["wie", "viele", *content, "gibt", "es", "?"]
        truth = tuple(WORDS[w] for w in content)
        cands = [tuple(rng.sample(constants, rng.choice((1, 2)))) for _ in range(distractors)] + [truth]
        rng.shuffle(cands)
        examples.append((tokens, cands))
    return examples


def test_true_words_win_over_distractor_candidates():
    lexicon = learn_lexicon(toy_examples(300, distractors=6))
    assert lexicon.entries == WORDS
    assert lexicon.constants_of(["gibt", "es", "blau", "kugel", "?"]) == ["blue", "sphere"]


def test_best_candidate_is_the_true_one_for_most_examples():
    examples = toy_examples(300, distractors=6, seed=1)
    lexicon = learn_lexicon(examples)
    hits = sum(
        set(cands[best]) == {WORDS[w] for w in tokens if w in WORDS}
        for (tokens, cands), best in zip(examples, lexicon.best)
    )
    assert hits / len(examples) > 0.9


def test_without_signal_no_word_enters_the_lexicon():
    rng = random.Random(2)
    examples = [(["wie", "viele", "?"], [tuple(rng.sample(["red", "blue", "cube"], 1))]) for _ in range(100)]
    assert learn_lexicon(examples).entries == {}


def test_on_the_shortest_clevr_questions_every_learned_word_is_right():
    scenes, questions, _ = generate_questions(GenerationConfig(n_questions=5000, seed=1))
    index = {s["image_index"]: SceneIndex.of(s) for s in scenes}
    dsl = clevr_dsl()

    def tokens(text):
        return re.findall(r"\w+|[^\w\s]", text.lower())

    shortest = sorted(questions, key=lambda q: len(tokens(q.text)))[:600]
    examples = [
        (tokens(q.text), [f.constants for f in consistent_programs(dsl, q.answer, max_size=7, bind=lambda q=q: bound_scene(index[q.image_index]))])
        for q in shortest
    ]
    lexicon = learn_lexicon(examples)
    truth = {word + plural: value for value, words in SYNONYMS.items() for word in words for plural in ("", "s")}
    truth.update({value: value for value in dsl.constants})
    assert len(lexicon.entries) >= 20
    assert {w: c for w, c in lexicon.entries.items() if truth.get(w) != c} == {}
