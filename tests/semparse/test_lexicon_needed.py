"""A second-pass lexicon word stays only if its constant is needed to explain its questions.

"What material is the small cube?" has a word ("material") that EM can pair with ``small``: a
program can filter by ``small`` twice. The check searches the questions with and without the
word's constant and drops an entry whose questions are explained as often without it.
"""

from nesy.benchmarks.clevr.dsl_executor import clevr_dsl
from nesy.benchmarks.clevr.learning import examples_of, true_lexicon
from nesy.benchmarks.clevr.questions import GenerationConfig, generate_questions
from nesy.semparse.learner import LearnConfig
from nesy.semparse.lexicon import Lexicon
from nesy.semparse.lexicon_search import needed


def test_a_word_that_only_doubles_a_constant_is_not_needed_and_a_real_one_is():
    dsl = clevr_dsl()
    scenes, questions, _ = generate_questions(GenerationConfig(n_questions=300, seed=11, families=("zero_hop",)))
    examples = examples_of(scenes, questions)
    entries = {w: c for w, c in true_lexicon().items() if c in dsl.constants}
    entries["material"] = "small"  # the wrong entry EM once made
    lexicon = Lexicon(entries)
    config = LearnConfig()
    assert any("material" in ex.tokens for ex in examples) and any("red" in ex.tokens for ex in examples)
    assert not needed(dsl, examples, lexicon, "material", config, limit=20)
    assert needed(dsl, examples, lexicon, "red", config, limit=20)
