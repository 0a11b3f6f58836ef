"""Setting B's abduction step on real CLEVR programs and clingo: the attribute that explains an answer is found."""

import pytest
import torch

from nesy.benchmarks.clevr.programs import from_text
from nesy.benchmarks.clevr.qa_perception import question_rules, scene_knowledge
from nesy.benchmarks.clevr.questions import Question
from nesy.benchmarks.clevr.scenes import build_scene
from nesy.benchmarks.clevr.vocab import ATTRIBUTES
from nesy.errors import NesyError
from nesy.executor import LocalExecutor
from nesy.grounding.attribute_abduction import AttributeAbducer, slot_probabilities

OBJECTS = [  # a red cube in the middle, a blue sphere right of it, a green cylinder left of it
    {"shape": "cube", "color": "red", "size": "large", "material": "metal", "3d_coords": [0.0, 0.0]},
    {"shape": "sphere", "color": "blue", "size": "small", "material": "rubber", "3d_coords": [1.3, 1.5]},
    {"shape": "cylinder", "color": "green", "size": "large", "material": "rubber", "3d_coords": [-1.3, -1.5]},
]


def believed(scene, wrong=()):
    """Perception that is right with probability 0.6 except at ``(object, attribute, value)`` it believes at 0.9."""
    out = []
    for name, values in ATTRIBUTES.items():
        p = torch.full((len(scene["objects"]), len(values)), 0.4 / (len(values) - 1))
        for i, obj in enumerate(scene["objects"]):
            p[i, values.index(obj[name])] = 0.6
        for i, attr, value in wrong:
            if attr == name:
                p[i] = 0.1 / (len(values) - 1)
                p[i, values.index(value)] = 0.9
        out.append(p)
    return out


def ask(scene, text, answer, k=0):
    return Question(k, "zero_hop", from_text(text), answer, scene["image_index"], text, "test")


@pytest.fixture(scope="module")
def pool():
    with LocalExecutor(workers=2, cache=False) as executor:
        yield executor


def value(labels, obj, attr):
    return ATTRIBUTES[attr][int(labels.values[obj, list(ATTRIBUTES).index(attr)])]


def test_clingo_finds_the_colour_that_explains_an_answer(pool):
    scene = build_scene(OBJECTS)
    probabilities = believed(scene, wrong=[(0, "color", "purple")])  # perception is sure the cube is purple
    question = ask(scene, "query_color(unique(filter_shape(scene(), cube)))", "red")
    (labels,) = AttributeAbducer(ATTRIBUTES, pool).labels([probabilities], [scene_knowledge(scene, [question])])
    assert labels.status == "abduced"
    assert value(labels, 0, "color") == "red"  # the answer overrides the confident mistake
    assert [value(labels, i, "shape") for i in range(3)] == ["cube", "sphere", "cylinder"]


def test_labels_the_answers_force_have_full_confidence_under_sampling(pool):
    scene = build_scene(OBJECTS)
    probabilities = believed(scene, wrong=[(1, "color", "blue"), (2, "color", "gray")])
    question = ask(scene, "count(filter_color(scene(), red))", 3)  # "three red things": every object is red
    (labels,) = AttributeAbducer(ATTRIBUTES, pool).labels([probabilities], [scene_knowledge(scene, [question])], samples=3, seed=1)
    colour = list(ATTRIBUTES).index("color")
    assert [value(labels, i, "color") for i in range(3)] == ["red"] * 3
    assert labels.confidence[:, colour].tolist() == [1.0, 1.0, 1.0]  # forced: every draw agrees
    assert labels.confidence.shape == (3, 4) and float(labels.confidence.min()) >= 0.0


def test_relations_and_counts_pick_which_object_has_the_attribute(pool):
    scene = build_scene(OBJECTS)
    assert scene["relationships"]["right"][0] == [1] and scene["relationships"]["left"][0] == [2]
    # perception swaps the sphere's and the cylinder's shapes; "the thing right of the cube is a sphere" and
    # "one cylinder" say which is which only through the relations from positions
    probabilities = believed(scene, wrong=[(1, "shape", "cylinder"), (2, "shape", "sphere")])
    questions = [ask(scene, "query_shape(unique(relate(unique(filter_shape(scene(), cube)), right)))", "sphere", 0),
                 ask(scene, "count(filter_shape(scene(), cylinder))", 1, 1)]
    assert "q1_answer(1)" in question_rules(questions[1].program, 1, 1)
    (labels,) = AttributeAbducer(ATTRIBUTES, pool).labels([probabilities], [scene_knowledge(scene, questions)])
    assert [value(labels, i, "shape") for i in range(3)] == ["cube", "sphere", "cylinder"]


def test_an_unexplainable_answer_is_reported_not_fatal(pool):
    scene = build_scene(OBJECTS)
    impossible = ask(scene, "count(scene())", 4)  # three objects can never count four
    good = ask(scene, "count(scene())", 3)
    out = AttributeAbducer(ATTRIBUTES, pool).labels([believed(scene)] * 2, [scene_knowledge(scene, [impossible]), scene_knowledge(scene, [good])])
    assert out[0].status == "inconsistent" and out[0].values is None
    assert out[1].status == "abduced"


def test_malformed_probabilities_are_refused_clearly():
    with pytest.raises(NesyError, match="one \\(objects, values\\) tensor per attribute"):
        slot_probabilities([torch.ones(2, 3)], ATTRIBUTES)
    with pytest.raises(NesyError, match="1 pictures but 2 knowledge texts"):
        AttributeAbducer(ATTRIBUTES, None).labels([believed(build_scene(OBJECTS))], ["", ""])


def test_a_no_answer_rules_a_value_out(pool):
    scene = build_scene(OBJECTS)
    # perception is sure object 1 is a sphere and fairly sure it is metal; "no metal sphere" must flip the cheaper one
    probabilities = believed(scene, wrong=[(1, "material", "metal"), (1, "shape", "sphere")])
    question = ask(scene, "exist(filter_material(filter_shape(scene(), sphere), metal))", False)
    assert ":- not q0_answer(false)." in question_rules(question.program, False, 0)
    (labels,) = AttributeAbducer(ATTRIBUTES, pool).labels([probabilities], [scene_knowledge(scene, [question])])
    assert value(labels, 1, "material") == "rubber" and value(labels, 1, "shape") == "sphere"
