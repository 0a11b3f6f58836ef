"""A lexicon candidate counts only if it reads its world: its value differs from the answer on some probe world.

A program about one described object ("the purple cube") is undefined on most worlds (no such
object, or more than one), and an undefined world says nothing; with the default number of probe
worlds it is still shown to read its world, while a tautology (the material of the unique metal
thing is metal) never is.
"""

from nesy.benchmarks.clevr.dsl_executor import clevr_dsl
from nesy.benchmarks.clevr.learning import examples_of
from nesy.benchmarks.clevr.questions import GenerationConfig, generate_questions
from nesy.semparse.enumerate import Found
from nesy.semparse.learner import LearnConfig
from nesy.semparse.lexicon_search import probe_examples, world_dependent


def test_a_program_defined_on_few_worlds_reads_its_world_and_a_tautology_does_not():
    dsl = clevr_dsl()
    scenes, questions, _ = generate_questions(GenerationConfig(n_questions=1000, seed=11, families=("zero_hop",)))
    examples = examples_of(scenes, questions)
    probes = probe_examples(examples, LearnConfig().probes)
    memo: dict = {}
    rare = Found("query_material(unique(filter_color(filter_shape(scene(), cube), purple)))", ("cube", "purple"), 7)
    tautology = Found("query_material(unique(filter_material(scene(), metal)))", ("metal",), 4)
    assert not world_dependent(dsl, rare, "metal", probe_examples(examples, 16))  # too few worlds define it
    assert world_dependent(dsl, rare, "metal", probes, memo)
    assert not world_dependent(dsl, tautology, "metal", probes, memo)
    assert len(memo) == 2 and world_dependent(dsl, rare, "metal", probes, memo)  # the memo answers again
    assert world_dependent(dsl, rare, "metal", [])  # without probes every program counts
