"""CLEVR's module semantics and a fast in-process reference executor.

The semantics are those of CLEVR's ``question_engine.py``:

* ``scene`` is every object; ``filter_<attr>`` keeps the objects with that value;
* ``unique`` of a set that is not exactly one object is invalid (CLEVR's ``__INVALID__``): the
  whole program fails, here with :class:`InvalidProgram`;
* ``relate(o, rel)`` is ``relationships[rel][o]``: the objects that are ``rel`` of ``o``;
* ``same_<attr>(o)`` is the *other* objects sharing ``o``'s value (never ``o`` itself);
* ``union``/``intersect`` are set operations; ``count`` is the size, ``exist`` non-emptiness;
* ``query_<attr>`` reads a value; ``equal_*``, ``less_than``, ``greater_than`` compare;
* the CLEVR-Math-style modules: ``subtract`` is set difference, ``new``/``with_<attr>``/``insert``
  add described objects (:mod:`~nesy.benchmarks.clevr.hypothetical`).

Object sets are sorted tuples of object indices (lists in answers), an object is its index.

Example:
    >>> from nesy.benchmarks.clevr.programs import from_text
    >>> from nesy.benchmarks.clevr.scenes import build_scene
    >>> scene = build_scene([{"shape": "cube", "color": "red", "size": "large", "material": "metal", "3d_coords": [0, 0]},
    ...                      {"shape": "cube", "color": "blue", "size": "small", "material": "rubber", "3d_coords": [0, 2]}])
    >>> execute_reference(from_text("count(same_shape(unique(filter_color(scene(), red))))"), scene)
    1
    >>> reference_verdict(from_text("query_color(unique(filter_shape(scene(), cube)))"), scene).message
    'unique: 2 objects, not exactly one (node 2)'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from nesy.verdict import Status, Verdict

from .hypothetical import Undefined, added_attribute, insert, is_added, new_objects, with_attr
from .programs import Node
from .vocab import ATTRIBUTES, NUMBERS, RELATIONS


class InvalidProgram(Exception):
    """The program has no answer on this scene (a ``unique`` of a set that is not one object)."""


@dataclass(frozen=True)
class SceneIndex:
    """What the modules read from a scene: each attribute's value per object, and the relations."""

    n: int
    attributes: dict[str, tuple[str, ...]]
    relations: dict[str, tuple[tuple[int, ...], ...]]

    @classmethod
    def of(cls, scene: dict[str, Any]) -> "SceneIndex":
        """Index a (validated) scene dict."""
        objects = scene["objects"]
        return cls(
            len(objects),
            {attr: tuple(o[attr] for o in objects) for attr in ATTRIBUTES},
            {rel: tuple(tuple(sorted(js)) for js in scene["relationships"][rel]) for rel in RELATIONS},
        )


# -- the modules ----------------------------------------------------------------------------
def all_objects(index: SceneIndex) -> tuple[int, ...]:
    """``scene``: every object."""
    return tuple(range(index.n))


def filter_attr(index: SceneIndex, objs: tuple[int, ...], attr: str, value: str) -> tuple[int, ...]:
    """``filter_<attr>``: the objects of ``objs`` whose ``attr`` is ``value``."""
    values = index.attributes[attr]
    return tuple(o for o in objs if (added_attribute(o, attr) if is_added(o) else values[o]) == value)


def unique(objs: tuple[int, ...]) -> int:
    """``unique``: the one object of ``objs``; :class:`InvalidProgram` unless there is exactly one."""
    if len(objs) != 1:
        raise InvalidProgram(f"unique: {len(objs)} objects, not exactly one")
    return objs[0]


def relate(index: SceneIndex, obj: int, rel: str) -> tuple[int, ...]:
    """``relate``: the objects that are ``rel`` of ``obj`` (none for an added object: it has no position)."""
    return () if is_added(obj) else index.relations[rel][obj]


def union(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """``union``: objects in either set."""
    return tuple(sorted(set(a) | set(b)))


def intersect(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """``intersect``: objects in both sets."""
    return tuple(sorted(set(a) & set(b)))


def query(index: SceneIndex, obj: int, attr: str) -> str:
    """``query_<attr>``: the value of ``attr`` of ``obj`` (:class:`InvalidProgram` if an added object's is unknown)."""
    if not is_added(obj):
        return index.attributes[attr][obj]
    value = added_attribute(obj, attr)
    if value is None:
        raise InvalidProgram(f"query_{attr}: the {attr} of an added object is unknown")
    return value


def same_attr(index: SceneIndex, obj: int, attr: str) -> tuple[int, ...]:
    """``same_<attr>``: the other scene objects (never ``obj``) whose ``attr`` equals ``obj``'s."""
    values = index.attributes[attr]
    mine = added_attribute(obj, attr) if is_added(obj) else values[obj]
    return tuple(j for j in range(index.n) if j != obj and values[j] == mine)


def apply(index: SceneIndex, node: Node, args: Sequence[Any]) -> Any:
    """The value of one node given its inputs' values."""
    fn = node.function
    kind, _, attr = fn.partition("_")
    if fn == "scene":
        return all_objects(index)
    if fn == "unique":
        return unique(args[0])
    if fn == "relate":
        return relate(index, args[0], node.value_inputs[0])
    if fn == "union":
        return union(args[0], args[1])
    if fn == "intersect":
        return intersect(args[0], args[1])
    if fn == "count":
        return len(args[0])
    if fn == "exist":
        return len(args[0]) > 0
    if fn == "less_than":
        return args[0] < args[1]
    if fn == "greater_than":
        return args[0] > args[1]
    if kind == "equal":  # equal_integer and equal_<attr>
        return args[0] == args[1]
    if kind == "filter":
        return filter_attr(index, args[0], attr, node.value_inputs[0])
    if kind == "query":
        return query(index, args[0], attr)
    if kind == "same":
        return same_attr(index, args[0], attr)
    return _apply_math(node, args)


def subtract(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """``subtract``: the objects of ``a`` that are not in ``b``."""
    drop = set(b)
    return tuple(o for o in a if o not in drop)


def _apply_math(node: Node, args: Sequence[Any]) -> Any:
    fn = node.function
    try:
        if fn == "subtract":
            return subtract(args[0], args[1])
        if fn == "new":
            return new_objects(NUMBERS[node.value_inputs[0]])
        if fn == "insert":
            return insert(args[0], args[1])
        if fn.startswith("with_"):
            return with_attr(args[0], fn[len("with_"):], node.value_inputs[0])
    except Undefined as exc:
        raise InvalidProgram(str(exc)) from None
    raise ValueError(f"unknown function {fn!r}")


def plain(value: Any) -> Any:
    """An answer as JSON-friendly data (object sets become lists)."""
    return list(value) if isinstance(value, tuple) else value


def node_values(program: Sequence[Node], index: SceneIndex) -> list[Any]:
    """Every node's value, in order; raises :class:`InvalidProgram` (naming the node) when a ``unique`` fails."""
    values: list[Any] = []
    for i, node in enumerate(program):
        try:
            values.append(apply(index, node, [values[k] for k in node.inputs]))
        except InvalidProgram as exc:
            raise InvalidProgram(f"{exc} (node {i})") from None
    return values


def execute_reference(program: Sequence[Node], scene: "dict[str, Any] | SceneIndex") -> Any:
    """The program's answer on ``scene``; raises :class:`InvalidProgram` when it has none."""
    index = scene if isinstance(scene, SceneIndex) else SceneIndex.of(scene)
    return plain(node_values(program, index)[-1])


def reference_verdict(program: Sequence[Node], scene: "dict[str, Any] | SceneIndex") -> Verdict:
    """:func:`execute_reference` as a verdict: ``ok`` with the answer, or ``error`` when there is none."""
    try:
        return Verdict(Status.OK, execute_reference(program, scene), "answered")
    except InvalidProgram as exc:
        return Verdict(Status.ERROR, message=str(exc))


def _canonical(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ("set", tuple(_canonical(v) for v in value))
    return (type(value).__name__, value)  # True and 1 stay apart


def same_outcome(a: Verdict, b: Verdict) -> bool:
    """Both answered with the same value (``True`` is not ``1``), or neither answered.

    Example:
        >>> same_outcome(Verdict(Status.OK, True), Verdict(Status.OK, 1))
        False
        >>> same_outcome(Verdict(Status.ERROR), Verdict(Status.TIMEOUT))
        True
    """
    answered_a, answered_b = a.status is Status.OK, b.status is Status.OK
    if answered_a and answered_b:
        return _canonical(a.value) == _canonical(b.value)
    return answered_a == answered_b


def answer_text(value: Any) -> str:
    """An answer as CLEVR's question files write it: ``yes``/``no``, digits, or the value's name.

    Example:
        >>> answer_text(True), answer_text(3), answer_text("cube")
        ('yes', '3', 'cube')
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
