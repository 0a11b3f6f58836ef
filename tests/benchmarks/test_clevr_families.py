"""Question generation: nine families, uniqueness rejection, answer balance, CLEVR layout, text."""

import random
from collections import Counter

import pytest

from nesy.benchmarks.clevr.balance import AnswerBalancer
from nesy.benchmarks.clevr.families import FAMILIES, Rejected, sample_program
from nesy.benchmarks.clevr.programs import program_from_json, program_type
from nesy.benchmarks.clevr.questions import GenerationConfig, generate_questions
from nesy.benchmarks.clevr.reference import SceneIndex, execute_reference
from nesy.benchmarks.clevr.scenes import SceneConfig, build_scene
from nesy.errors import NesyError

SHAPES_OF = {
    "zero_hop": set(), "one_hop": {"relate"}, "two_hop": {"relate"}, "three_hop": {"relate"},
    "single_and": {"intersect", "relate"}, "single_or": {"union", "count"},
    "compare_integer": {"count"}, "comparison": {"unique"}, "same_relate": {"unique"},
}


@pytest.fixture(scope="module")
def generated():
    return generate_questions(GenerationConfig(n_questions=900, seed=2))


def test_families_take_turns_and_have_their_shape(generated):
    scenes, questions, stats = generated
    assert stats["per_family"] == {family: 100 for family in FAMILIES}
    for q in questions:
        functions = [n.function for n in q.program]
        assert SHAPES_OF[q.family] <= set(functions)
        hops = functions.count("relate")
        if q.family.endswith("_hop"):
            assert hops == FAMILIES.index(q.family)
        if q.family == "compare_integer":
            assert functions[-1] in ("equal_integer", "less_than", "greater_than")
        if q.family == "comparison":
            assert functions[-1].startswith("equal_") and functions[-1] != "equal_integer"
        if q.family == "same_relate":
            assert any(f.startswith("same_") for f in functions)


def test_every_question_is_answerable_and_its_answer_is_the_reference_one(generated):
    scenes, questions, stats = generated
    by_image = {s["image_index"]: s for s in scenes}
    for q in questions:
        assert execute_reference(q.program, by_image[q.image_index]) == q.answer  # every unique is unique
        assert program_type(q.program) in ("int", "bool", "size", "color", "material", "shape")
    assert stats["rejected"]["unique"] > 0 and stats["draws"] > len(questions)
    assert len({(q.image_index, q.program) for q in questions}) == len(questions)
    assert max(Counter(q.image_index for q in questions).values()) <= 10


def test_programs_whose_unique_is_not_unique_are_rejected():
    twins = build_scene([
        {"shape": "cube", "color": "red", "size": "large", "material": "metal", "3d_coords": [x, 0]} for x in (-2, 0, 2)
    ])
    index, rng = SceneIndex.of(twins), random.Random(0)
    for family in ("comparison", "same_relate", "one_hop", "single_and"):
        for _ in range(30):
            with pytest.raises(Rejected) as info:
                sample_program(family, index, rng)
            assert info.value.reason in ("unique", "degenerate")
    program, answer = sample_program("compare_integer", index, rng)  # no unique in it
    assert answer == execute_reference(program, twins)
    with pytest.raises(NesyError, match="could not generate a comparison question"):
        one_object = SceneConfig(min_objects=1, max_objects=1)  # comparing two objects is impossible
        generate_questions(GenerationConfig(n_questions=8, families=("comparison",), max_scene_switches=2, scenes=one_object))


def test_answers_are_balanced_within_each_family(generated):
    _, questions, stats = generated
    groups = Counter((q.family, program_type(q.program)) for q in questions)
    balancer = AnswerBalancer()
    for (family, kind), n in groups.items():
        answers = Counter((type(q.answer), q.answer) for q in questions if (q.family, program_type(q.program)) == (family, kind))
        top = answers.most_common(1)[0][1]
        assert top <= balancer.slack + balancer.cap(kind) * (n - 1) + 1
    assert stats["rejected"]["balance"] > 0
    yes = Counter(q.answer for q in questions if q.family == "comparison")
    assert max(yes.values()) <= balancer.slack + balancer.cap("bool") * 100  # at most 58 of 100 (0.55 share + slack)


def test_balancer_refuses_a_dominant_answer():
    balancer = AnswerBalancer(max_share=0.3, slack=1)
    accepted = [balancer.accept("f", "int", 0) for _ in range(10)]
    assert accepted.count(True) == 1
    assert all(balancer.accept("f", "int", k) for k in (1, 2, 3))  # 1 + 0.3 * 4 >= 2: room again for 0
    assert balancer.accept("f", "int", 0) and not balancer.accept("f", "int", 0)
    assert balancer.accept("other", "int", 0)  # groups are separate
    assert balancer.accept("f", "bool", 1) and balancer.accept("f", "bool", True)  # True is not 1


def test_generation_is_deterministic_and_questions_have_clevr_layout(generated):
    scenes, questions, _ = generate_questions(GenerationConfig(n_questions=27, seed=2))
    assert [q.to_json() for q in questions] == [q.to_json() for q in generated[1][:27]]
    record = questions[4].to_json()
    assert program_from_json(record["program"]) == questions[4].program
    assert record["answer"] in ("yes", "no") or record["answer"].isdigit() or record["answer"].isalpha()
    assert all(q.text.endswith("?") and len(q.text) > 15 for q in questions)
    with pytest.raises(NesyError, match="unknown question families"):
        GenerationConfig(families=("four_hop",))


def test_the_sample_files_in_examples_read_back_and_answer_on_both_backends():
    import json
    from pathlib import Path

    from nesy.benchmarks.clevr.asp_executor import execute_asp
    from nesy.benchmarks.clevr.dsl_executor import execute_dsl
    from nesy.benchmarks.clevr.reference import answer_text
    from nesy.benchmarks.clevr.scenes import load_scenes

    folder = Path(__file__).resolve().parents[2] / "examples" / "clevr"
    scenes = {s["image_index"]: s for s in load_scenes(folder / "scenes.json")}
    questions = json.loads((folder / "questions.json").read_text())["questions"]
    assert len(questions) == 27
    for record in questions:
        program, scene = program_from_json(record["program"], f"question {record['question_index']}"), scenes[record["image_index"]]
        assert answer_text(execute_reference(program, scene)) == record["answer"]
        assert answer_text(execute_dsl(program, scene).value) == answer_text(execute_asp(program, scene).value) == record["answer"]
