"""Random programs for CLEVR's nine question families.

Each family is a program shape from CLEVR's template files, filled with random choices:

* ``zero_hop``: count / exist / query of the filtered scene;
* ``one_hop``, ``two_hop``, ``three_hop``: the same after one to three ``relate`` steps, each from a
  described object ("the thing left of the red cube");
* ``single_and``: objects in two relations at once (``intersect`` of two ``relate`` s);
* ``single_or``: count of the ``union`` of two filtered sets;
* ``compare_integer``: ``equal_integer`` / ``less_than`` / ``greater_than`` of two counts;
* ``comparison``: ``equal_<attr>`` of one attribute of two described objects;
* ``same_relate``: count / exist / query of the other objects sharing an attribute (``same_<attr>``).

An object is described by a random subset of one object's attributes (never the attribute the
question asks about); sets to count are described by random attribute values. Nothing
guarantees that a description picks out one object: :func:`sample_program` raises
:class:`Rejected` when a ``unique`` is not unique on the scene (or when the program is
degenerate: one object compared with itself, the same description twice), and the caller draws again.

Example:
    >>> import random
    >>> from nesy.benchmarks.clevr.reference import SceneIndex
    >>> from nesy.benchmarks.clevr.scenes import generate_scene
    >>> from nesy.benchmarks.clevr.programs import to_text
    >>> index, rng = SceneIndex.of(generate_scene(1, seed=0)), random.Random(0)
    >>> rejected = []
    >>> while True:
    ...     try:
    ...         program, answer = sample_program("comparison", index, rng)
    ...         break
    ...     except Rejected as exc:
    ...         rejected.append(exc.reason)
    >>> to_text(program), answer
    ('equal_color(query_color(unique(filter_material(filter_size(scene(), small), rubber))), query_color(unique(filter_shape(filter_size(scene(), small), sphere))))', True)
    >>> len(rejected), sorted(set(rejected))
    (91, ['degenerate', 'unique'])
"""

from __future__ import annotations

import random
from typing import Any, Callable

from .programs import Node, Program
from .reference import InvalidProgram, SceneIndex, apply, plain
from .vocab import ATTRIBUTES, RELATIONS

FAMILIES = ("zero_hop", "one_hop", "two_hop", "three_hop", "single_and", "single_or", "compare_integer", "comparison", "same_relate")


class Rejected(Exception):
    """A drawn program was refused; ``reason`` is ``unique``, ``degenerate`` or ``empty``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Builder:
    """Appends nodes and computes their values on the scene as it goes (a failed ``unique`` rejects)."""

    def __init__(self, index: SceneIndex, rng: random.Random) -> None:
        self.index, self.rng = index, rng
        self.nodes: list[Node] = []
        self.values: list[Any] = []

    def add(self, function: str, inputs: tuple[int, ...] = (), value: str | None = None) -> int:
        node = Node(function, inputs, (value,) if value is not None else ())
        try:
            self.values.append(apply(self.index, node, [self.values[k] for k in inputs]))
        except InvalidProgram:
            raise Rejected("unique") from None
        self.nodes.append(node)
        return len(self.nodes) - 1

    # -- descriptions --------------------------------------------------------------------
    def filters(self, src: int, attrs: dict[str, str]) -> int:
        """``filter_<attr>`` nodes on ``src``, in CLEVR's order of mention (size, color, material, shape)."""
        for attr in ATTRIBUTES:
            if attr in attrs:
                src = self.add(f"filter_{attr}", (src,), attrs[attr])
        return src

    def object_attrs(self, src: int, exclude: tuple[str, ...] = ()) -> dict[str, str]:
        """A random subset of the attributes of a random object of ``src``'s set."""
        pool = self.values[src] or tuple(range(self.index.n))
        target = self.rng.choice(pool)
        return {a: self.index.attributes[a][target] for a in ATTRIBUTES if a not in exclude and self.rng.random() < 0.5}

    def random_attrs(self, src: int, at_least: int = 0, exclude: tuple[str, ...] = ()) -> dict[str, str]:
        """A description of a set to count: random attributes (each with probability 0.4, at least
        ``at_least``), valued as one of ``src``'s objects (half the time) or at random."""
        names = [a for a in ATTRIBUTES if a not in exclude]
        chosen = [a for a in names if self.rng.random() < 0.4]
        while len(chosen) < at_least:
            chosen = sorted(set(chosen) | {self.rng.choice(names)}, key=names.index)
        pool = self.values[src]
        if pool and self.rng.random() < 0.5:
            target = self.rng.choice(pool)
            return {a: self.index.attributes[a][target] for a in chosen}
        return {a: self.rng.choice(ATTRIBUTES[a]) for a in chosen}

    def ref(self, src: int, exclude: tuple[str, ...] = ()) -> int:
        """``unique`` of a description of one of ``src``'s objects."""
        return self.add("unique", (self.filters(src, self.object_attrs(src, exclude)),))

    def final(self, src: int, kinds: tuple[str, ...] = ("count", "exist", "query"), exclude: tuple[str, ...] = ()) -> None:
        """Count, exist or query an attribute of (a description of) ``src``'s set."""
        kind = self.rng.choice(kinds)
        if kind == "query":
            attr = self.rng.choice([a for a in ATTRIBUTES if a not in exclude])
            self.add(f"query_{attr}", (self.ref(src, exclude + (attr,)),))
        else:
            self.add(kind, (self.filters(src, self.random_attrs(src, exclude=exclude)),))

    def hops(self, n: int) -> int:
        """The set reached from a described object by ``n`` relate steps (each later start described in the last set)."""
        current = self.ref(self.add("scene"))
        for step in range(n):
            related = self.add("relate", (current,), self.rng.choice(RELATIONS))
            if step == n - 1:
                return related
            current = self.ref(related)
        raise ValueError("n must be at least 1")

    def distinct_objects(self, a: int, b: int) -> None:
        if self.values[a] == self.values[b]:
            raise Rejected("degenerate")


def _zero_hop(b: _Builder) -> None:
    b.final(b.add("scene"))


def _hop(n: int) -> Callable[[_Builder], None]:
    def family(b: _Builder) -> None:
        b.final(b.hops(n))

    return family


def _single_and(b: _Builder) -> None:
    first = b.ref(b.add("scene"))
    second = b.ref(b.add("scene"))
    b.distinct_objects(first, second)
    r1, r2 = b.rng.choice(RELATIONS), b.rng.choice(RELATIONS)
    both = b.add("intersect", (b.add("relate", (first,), r1), b.add("relate", (second,), r2)))
    b.final(both)


def _two_sets(b: _Builder) -> tuple[int, int]:
    """Two differently described sets of the scene."""
    first_scene, second_scene = b.add("scene"), b.add("scene")
    one, two = b.random_attrs(first_scene, at_least=1), b.random_attrs(second_scene, at_least=1)
    if one == two:
        raise Rejected("degenerate")
    return b.filters(first_scene, one), b.filters(second_scene, two)


def _single_or(b: _Builder) -> None:
    b.add("count", (b.add("union", _two_sets(b)),))


def _compare_integer(b: _Builder) -> None:
    one, two = _two_sets(b)
    first, second = b.add("count", (one,)), b.add("count", (two,))
    b.add(b.rng.choice(("equal_integer", "less_than", "greater_than")), (first, second))


def _comparison(b: _Builder) -> None:
    attr = b.rng.choice(tuple(ATTRIBUTES))
    first = b.ref(b.add("scene"), (attr,))
    second = b.ref(b.add("scene"), (attr,))
    b.distinct_objects(first, second)
    b.add(f"equal_{attr}", (b.add(f"query_{attr}", (first,)), b.add(f"query_{attr}", (second,))))


def _same_relate(b: _Builder) -> None:
    attr = b.rng.choice(tuple(ATTRIBUTES))
    same = b.add(f"same_{attr}", (b.ref(b.add("scene"), (attr,)),))
    b.final(same, exclude=(attr,))


SAMPLERS: dict[str, Callable[[_Builder], None]] = {
    "zero_hop": _zero_hop,
    "one_hop": _hop(1),
    "two_hop": _hop(2),
    "three_hop": _hop(3),
    "single_and": _single_and,
    "single_or": _single_or,
    "compare_integer": _compare_integer,
    "comparison": _comparison,
    "same_relate": _same_relate,
}


def sample_program(family: str, index: SceneIndex, rng: random.Random) -> tuple[Program, Any]:
    """Draw one program of ``family`` on the scene and return it with its answer.

    Raises:
        Rejected: the draw has a ``unique`` that is not unique on this scene, or is degenerate.
        KeyError: unknown family.
    """
    builder = _Builder(index, rng)
    SAMPLERS[family](builder)
    return tuple(builder.nodes), plain(builder.values[-1])
