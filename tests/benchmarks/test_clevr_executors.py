"""Every CLEVR module on a hand-built scene, on the dsl backend, the clingo backend and the reference;
the two backends agree on generated questions when run sandboxed and batched."""

import pytest

from nesy.benchmarks.clevr.asp_executor import execute_asp, read_answer, scene_facts, to_asp
from nesy.benchmarks.clevr.check import check_executors, run_both
from nesy.benchmarks.clevr.dsl_executor import ClevrDSLSolver, dsl_jobs, execute_dsl
from nesy.benchmarks.clevr.programs import from_text, to_text
from nesy.benchmarks.clevr.questions import GenerationConfig, generate_questions
from nesy.benchmarks.clevr.reference import execute_reference, reference_verdict
from nesy.benchmarks.clevr.scenes import build_scene
from nesy.benchmarks.clevr.vocab import DIRECTIONS
from nesy.executor import LocalExecutor
from nesy.verdict import Status, Verdict


def _at(a, b):
    """A ground position ``a`` steps right and ``b`` steps behind the origin (camera axes)."""
    right, behind = DIRECTIONS["right"], DIRECTIONS["behind"]
    return [a * right[0] + b * behind[0], a * right[1] + b * behind[1]]


def _obj(size, color, material, shape, a, b):
    return {"size": size, "color": color, "material": material, "shape": shape, "3d_coords": _at(a, b)}


#: 0 red cube; 1 red ball right-behind of it; 2 blue cylinder far left-behind; 3 green cube right-front;
#: 4 blue ball behind 0 but within the margin across (neither left nor right of 0).
SCENE = build_scene([
    _obj("large", "red", "metal", "cube", 0, 0),
    _obj("small", "red", "rubber", "sphere", 2, 1),
    _obj("large", "blue", "rubber", "cylinder", -2, 2),
    _obj("small", "green", "metal", "cube", 1, -2),
    _obj("small", "blue", "metal", "sphere", 0.1, 3),
])
GREEN = "unique(filter_color(scene(), green))"
CYLINDER = "unique(filter_shape(scene(), cylinder))"
RED_CUBE = "unique(filter_shape(filter_color(scene(), red), cube))"
BLUE_BALL = "unique(filter_shape(filter_color(scene(), blue), sphere))"

CASES = [
    ("scene()", [0, 1, 2, 3, 4]),
    ("filter_color(scene(), red)", [0, 1]),
    ("filter_shape(scene(), cube)", [0, 3]),
    ("filter_size(scene(), small)", [1, 3, 4]),
    ("filter_material(scene(), metal)", [0, 3, 4]),
    ("filter_color(scene(), yellow)", []),
    (GREEN, 3),
    (f"relate({GREEN}, left)", [0, 2, 4]),
    (f"relate({GREEN}, right)", [1]),
    (f"relate({GREEN}, behind)", [0, 1, 2, 4]),
    (f"relate({GREEN}, front)", []),
    (f"relate({RED_CUBE}, right)", [1, 3]),  # 4 is within the margin
    (f"relate({RED_CUBE}, left)", [2]),
    (f"relate({RED_CUBE}, front)", [3]),
    (f"relate({CYLINDER}, right)", [0, 1, 3, 4]),
    ("union(filter_color(scene(), red), filter_color(scene(), blue))", [0, 1, 2, 4]),
    ("intersect(filter_size(scene(), small), filter_material(scene(), metal))", [3, 4]),
    ("count(filter_color(scene(), blue))", 2),
    ("count(filter_color(scene(), yellow))", 0),
    ("exist(filter_color(scene(), yellow))", False),
    ("exist(filter_shape(scene(), cylinder))", True),
    (f"query_color({GREEN})", "green"),
    (f"query_shape({CYLINDER})", "cylinder"),
    (f"query_size({RED_CUBE})", "large"),
    (f"query_material({BLUE_BALL})", "metal"),
    (f"equal_color(query_color({CYLINDER}), query_color({BLUE_BALL}))", True),
    (f"equal_shape(query_shape({GREEN}), query_shape({CYLINDER}))", False),
    (f"equal_size(query_size({GREEN}), query_size({BLUE_BALL}))", True),
    (f"equal_material(query_material({GREEN}), query_material({CYLINDER}))", False),
    ("equal_integer(count(filter_color(scene(), red)), count(filter_color(scene(), blue)))", True),
    ("less_than(count(filter_color(scene(), red)), count(filter_size(scene(), small)))", True),
    ("less_than(count(filter_size(scene(), small)), count(filter_color(scene(), red)))", False),
    ("greater_than(count(filter_size(scene(), small)), count(filter_color(scene(), red)))", True),
    ("greater_than(count(filter_color(scene(), red)), count(filter_color(scene(), blue)))", False),
    (f"same_color({CYLINDER})", [4]),  # the other blue object, never the cylinder itself
    (f"same_shape({GREEN})", [0]),
    (f"same_size({GREEN})", [1, 4]),
    (f"same_material({CYLINDER})", [1]),
    ("same_color(unique(filter_color(scene(), green)))", []),
    (f"count(filter_shape(relate(unique(filter_shape(relate({GREEN}, right), sphere)), left), cube))", 2),
]


def _answers(text):
    program = from_text(text)
    return execute_dsl(program, SCENE), execute_asp(program, SCENE), reference_verdict(program, SCENE)


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0][:60] for c in CASES])
def test_every_module_means_the_same_on_both_backends(text, expected):
    for verdict in _answers(text):
        assert verdict.status is Status.OK, verdict.message
        assert verdict.value == expected and type(verdict.value) is type(expected)


def test_all_functions_are_covered_by_the_cases():
    from nesy.benchmarks.clevr.programs import FUNCTIONS, MATH_FUNCTIONS

    used = {node.function for text, _ in CASES for node in from_text(text)}
    assert used == set(FUNCTIONS) - set(MATH_FUNCTIONS)  # the math modules: test_clevr_math.py


@pytest.mark.parametrize("text", [
    "query_color(unique(filter_color(scene(), red)))",  # two red objects
    "count(relate(unique(filter_color(scene(), yellow)), left))",  # none
    f"exist(same_size(unique(relate({GREEN}, behind))))",  # four behind
])
def test_unique_of_a_set_that_is_not_one_object_fails_on_every_executor(text):
    dsl, asp, ref = _answers(text)
    assert dsl.status is Status.ERROR and "unique" in dsl.message
    assert asp.status is Status.ERROR and "unique" in asp.message
    assert ref.status is Status.ERROR
    with pytest.raises(Exception, match="unique"):
        execute_reference(from_text(text), SCENE)


def test_the_dsl_type_checks_before_running_and_never_evaluates_text():
    solver = ClevrDSLSolver()
    for text, message in [
        ("filter_color(scene(), left)", "type error"),
        ('filter_color(scene(), "red")', "type error"),
        ("count(unique(scene()))", "type error"),
        ("__import__(os)", "unknown primitive"),
        ("count(scene()", "syntax error"),
    ]:
        verdict = solver.run(text, SCENE)
        assert verdict.status is Status.REJECTED and message in verdict.message
    verdict = solver.run("count(scene())", {"objects": "not a scene"})
    assert verdict.status is Status.REJECTED and "input scene" in verdict.message
    trace = solver.run("count(scene())", SCENE).certificate["trace"]
    assert [step["call"] for step in trace] == ["scene()", "count(scene())"]


def test_the_asp_translation_reads_answer_sets():
    program = from_text(f"query_color({GREEN})")
    text = to_asp(program)
    assert "#script" not in text and text.endswith("#show invalid/1.")
    assert "rel(left,3,0)." in scene_facts(SCENE)  # object 0 is left of object 3
    assert read_answer(Verdict(Status.UNSAT, {"models": []})).status is Status.ERROR
    timeout = Verdict(Status.TIMEOUT, message="slow")
    assert read_answer(timeout) is timeout


def test_the_backends_agree_on_generated_questions_in_the_sandbox():
    scenes, questions, _ = generate_questions(GenerationConfig(n_questions=270, seed=4))
    with LocalExecutor(workers=2, cache=False) as pool:
        report = check_executors(scenes, questions, pool, n_probes=90, seed=4)
    assert report["n"] == 270 and report["agreement"] == 1.0 and report["n_disagreements"] == 0
    assert report["reference_agreement"] == 1.0
    assert report["probes"]["agreement"] == 1.0 and 0 < report["probes"]["both_failed"] < 90
    assert set(report["per_family"]) and all(f["n"] == 30 for f in report["per_family"].values())
    assert report["throughput"]["dsl_per_second"] > 0 and report["throughput"]["clingo_per_second"] > 0


def test_a_wrong_answer_is_a_disagreement():
    program = from_text("count(scene())")
    with LocalExecutor(workers=1, cache=False) as pool:
        runs = run_both([(program, SCENE)], pool)
        jobs = dsl_jobs([(to_text(program), SCENE)])
        assert pool.map(jobs)[0].value == 5
    assert runs["dsl"][0].value == runs["asp"][0].value == 5
    from nesy.benchmarks.clevr.reference import same_outcome

    assert not same_outcome(runs["dsl"][0], Verdict(Status.OK, 4))
    assert not same_outcome(runs["dsl"][0], Verdict(Status.ERROR))
