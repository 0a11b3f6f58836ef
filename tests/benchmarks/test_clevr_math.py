"""CLEVR-Math-style questions: the math modules on both backends, the generator's arithmetic checked by
SymPy against the dsl executor, executor agreement on math programs, malformed values refused."""

import dataclasses

import pytest

from nesy.benchmarks.clevr.asp_executor import execute_asp
from nesy.benchmarks.clevr.check import check_executors
from nesy.benchmarks.clevr.dsl_executor import dsl_jobs, execute_dsl
from nesy.benchmarks.clevr.math_check import check_arithmetic, require_arithmetic
from nesy.benchmarks.clevr.math_families import MATH_FAMILIES, read_math_program
from nesy.benchmarks.clevr.programs import MATH_FUNCTIONS, from_text, program_from_json
from nesy.benchmarks.clevr.questions import GenerationConfig, generate_questions
from nesy.benchmarks.clevr.reference import reference_verdict
from nesy.benchmarks.clevr.scenes import build_scene
from nesy.errors import NesyError
from nesy.executor import LocalExecutor
from nesy.verdict import Status


def _obj(size, color, material, shape, x, y):
    return {"size": size, "color": color, "material": material, "shape": shape, "3d_coords": [x, y]}


#: 0 large red metal cube, 1 small red rubber sphere, 2 large blue rubber cylinder, 3 small green metal cube.
SCENE = build_scene([
    _obj("large", "red", "metal", "cube", 0, 0),
    _obj("small", "red", "rubber", "sphere", 3, 0),
    _obj("large", "blue", "rubber", "cylinder", 0, 3),
    _obj("small", "green", "metal", "cube", 3, 3),
])
TWO_LARGE_CUBES = "with_shape(with_size(new(two), large), cube)"

MATH_CASES = [
    ("subtract(scene(), filter_color(scene(), red))", [2, 3]),
    ("count(subtract(scene(), filter_shape(filter_color(scene(), red), cube)))", 3),
    ("count(subtract(subtract(scene(), filter_color(scene(), red)), filter_shape(scene(), cube)))", 1),
    # added objects are integers past the scene's (slot 1, 2, ...; digits: size 2, shape 1)
    (f"insert(scene(), {TWO_LARGE_CUBES})", [0, 1, 2, 3, 12001, 22001]),
    (f"insert(insert(scene(), {TWO_LARGE_CUBES}), with_color(new(one), cyan))", [0, 1, 2, 3, 12001, 22001, 30700]),
    (f"count(filter_shape(insert(scene(), {TWO_LARGE_CUBES}), cube))", 4),
    (f"count(filter_size(insert(scene(), {TWO_LARGE_CUBES}), small))", 2),
    (f"count(filter_color(insert(scene(), {TWO_LARGE_CUBES}), red))", 2),  # their colour is unknown: no filter keeps them
    ("count(filter_material(insert(scene(), with_material(new(four), rubber)), rubber))", 6),
    (f"count(filter_shape(insert(subtract(scene(), filter_shape(scene(), cube)), {TWO_LARGE_CUBES}), cube))", 2),
    ("query_shape(unique(insert(filter_color(scene(), yellow), with_shape(new(one), sphere))))", "sphere"),
    ("count(same_shape(unique(insert(filter_color(scene(), yellow), with_shape(new(one), cube)))))", 2),
    ("exist(relate(unique(insert(filter_color(scene(), yellow), with_shape(new(one), cube))), left))", False),
]


@pytest.mark.parametrize("text, expected", MATH_CASES, ids=[c[0][:60] for c in MATH_CASES])
def test_every_math_module_means_the_same_on_both_backends(text, expected):
    program = from_text(text)
    for verdict in (execute_dsl(program, SCENE), execute_asp(program, SCENE), reference_verdict(program, SCENE)):
        assert verdict.status is Status.OK, verdict.message
        assert verdict.value == expected and type(verdict.value) is type(expected)


def test_the_cases_cover_every_math_module():
    used = {node.function for text, _ in MATH_CASES for node in from_text(text)}
    assert set(MATH_FUNCTIONS) <= used


@pytest.mark.parametrize("text", [
    "count(insert(scene(), with_color(with_color(new(two), red), blue)))",  # the colour stated twice
    "query_color(unique(insert(filter_color(scene(), yellow), with_shape(new(one), cube))))",  # never stated
])
def test_an_undefined_math_step_fails_on_every_executor(text):
    program = from_text(text)
    dsl, asp, ref = execute_dsl(program, SCENE), execute_asp(program, SCENE), reference_verdict(program, SCENE)
    assert dsl.status is asp.status is ref.status is Status.ERROR
    assert "undefined" in asp.message


@pytest.mark.parametrize("nodes, message", [
    ([{"function": "new", "inputs": [], "value_inputs": ["five"]}], "'five' is not a number"),
    ([{"function": "new", "inputs": [], "value_inputs": ["red"]}], "'red' is not a number"),
    ([{"function": "scene", "inputs": [], "value_inputs": []},
      {"function": "insert", "inputs": [0, 0], "value_inputs": []}], "insert needs description, node 0 gives objset"),
    ([{"function": "new", "inputs": [], "value_inputs": ["two"]},
      {"function": "with_color", "inputs": [0], "value_inputs": ["cube"]}], "'cube' is not a color"),
])
def test_malformed_math_programs_are_refused_with_the_node_named(nodes, message):
    with pytest.raises(NesyError, match=message):
        program_from_json(nodes, "q.json: question 3")
    assert execute_dsl("count(insert(scene(), new(2)))", SCENE).status is Status.REJECTED  # a number literal is no number name


def test_the_bench_scores_math_readings_by_their_meaning():
    from nesy.benchmarks.clevr.learning import same_meaning

    truth = "count(subtract(scene(), filter_color(scene(), red)))"
    assert same_meaning("count(subtract(scene(), filter_color(scene(), red)))", truth, [SCENE])
    assert not same_meaning("count(subtract(scene(), filter_color(scene(), green)))", truth, [SCENE])
    assert not same_meaning(f"count(insert(scene(), {TWO_LARGE_CUBES}))", truth, [SCENE])


def test_unknown_families_are_refused():
    with pytest.raises(NesyError, match="unknown question families \\['division'\\]"):
        GenerationConfig(families=("addition", "division"))


def test_generated_answers_are_the_dsl_executors_and_sympy_agrees_with_them():
    scenes, questions, stats = generate_questions(GenerationConfig(n_questions=150, seed=7, families=MATH_FAMILIES))
    assert stats["per_family"] == {family: 30 for family in MATH_FAMILIES}
    by_image = {s["image_index"]: s for s in scenes}
    with LocalExecutor(workers=2, cache=False) as pool:
        verdicts = pool.map(dsl_jobs([(q.program, by_image[q.image_index]) for q in questions]))
        report = check_arithmetic(questions, pool)
    assert [v.value for v in verdicts] == [q.answer for q in questions]
    assert all(type(q.answer) is int for q in questions)
    assert report == {"n": 150, "agreement": 1.0, "n_disagreements": 0, "disagreements": []}
    require_arithmetic(report)  # does not raise
    assert all(len(q.arithmetic.split()) == 2 * len(read_math_program(q.program).steps) + 1 for q in questions)
    texts = " ".join(q.text for q in questions)
    for word in ("Subtract all", "Add", "How many", "left?"):
        assert word in texts


def test_an_answer_sympy_disagrees_with_fails_loudly():
    scenes, questions, _ = generate_questions(GenerationConfig(n_questions=4, seed=1, families=("subtraction", "addition")))
    broken = [dataclasses.replace(questions[0], answer=questions[0].answer + 1), *questions[1:]]
    with LocalExecutor(workers=1, cache=False) as pool:
        report = check_arithmetic(broken, pool)
    assert report["n_disagreements"] == 1 and report["disagreements"][0]["question_index"] == 0
    with pytest.raises(NesyError, match="generated answer on 1 question"):
        require_arithmetic(report, "test")


def test_additions_never_ask_about_an_attribute_they_did_not_state():
    _, questions, _ = generate_questions(GenerationConfig(n_questions=200, seed=3, families=("addition", "subtraction_addition")))
    for q in questions:
        steps = read_math_program(q.program)
        added = [s for s in steps.steps if s[0] == "add"]
        assert len(added) == 1 and set(steps.asked) <= set(added[0][2])


def test_the_backends_agree_on_math_and_plain_questions_in_the_sandbox():
    scenes, questions, _ = generate_questions(GenerationConfig(n_questions=250, seed=5, families=MATH_FAMILIES))
    with LocalExecutor(workers=2, cache=False) as pool:
        report = check_executors(scenes, questions, pool, n_probes=50, seed=5)
    assert report["n"] == 250 and report["agreement"] == 1.0 and report["reference_agreement"] == 1.0
    assert report["probes"]["agreement"] == 1.0
    assert set(report["per_family"]) == set(MATH_FAMILIES)
    assert report["arithmetic"]["n"] == 250 and report["arithmetic"]["agreement"] == 1.0
