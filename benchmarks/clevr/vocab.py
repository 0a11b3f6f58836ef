"""CLEVR's closed vocabulary: attribute values, spatial relations and the fixed camera directions.

Everything else in :mod:`nesy.benchmarks.clevr` reads its words from here, so a renamed or
extended vocabulary is one edit (and the learner never imports it: benchmark knowledge stays in
``nesy.benchmarks``).

The directions are unit vectors in the ground plane (z = 0) as seen from CLEVR's default camera,
which looks along ``behind``: ``behind`` points away from the camera, ``front`` towards it,
``right``/``left`` across the image. They are the values CLEVR's own scene files carry
(rounded to three decimals), and ``right`` is ``behind`` turned 90 degrees clockwise seen from
above, so the four are orthogonal in pairs.

Example:
    >>> ATTRIBUTES["size"]
    ('small', 'large')
    >>> round(sum(a * b for a, b in zip(DIRECTIONS["behind"], DIRECTIONS["right"])), 9)
    0.0
    >>> INVERSE["left"], attribute_of("cyan")
    ('right', 'color')
"""

from __future__ import annotations

import math

SHAPES = ("cube", "sphere", "cylinder")
COLORS = ("gray", "red", "blue", "green", "brown", "purple", "cyan", "yellow")
SIZES = ("small", "large")
MATERIALS = ("rubber", "metal")

#: attribute name -> its values, in CLEVR's order of mention ("the <size> <color> <material> <shape>")
ATTRIBUTES: dict[str, tuple[str, ...]] = {"size": SIZES, "color": COLORS, "material": MATERIALS, "shape": SHAPES}

RELATIONS = ("left", "right", "front", "behind")

#: How many objects a CLEVR-Math-style question may add ("Add two cubes"): number name -> value.
NUMBERS: dict[str, int] = {"one": 1, "two": 2, "three": 3, "four": 4}
INVERSE = {"left": "right", "right": "left", "front": "behind", "behind": "front"}

#: CLEVR's object radii (half the side of a cube): the z coordinate of an object's centre.
RADIUS = {"small": 0.35, "large": 0.7}


def _unit(x: float, y: float) -> tuple[float, float, float]:
    norm = math.hypot(x, y)
    return (x / norm, y / norm, 0.0)


_BEHIND = _unit(-0.754, 0.657)
#: Fixed unit direction vectors (x, y, z); ``above``/``below`` are carried for CLEVR's file layout only.
DIRECTIONS: dict[str, tuple[float, float, float]] = {
    "behind": _BEHIND,
    "front": (-_BEHIND[0], -_BEHIND[1], 0.0),
    "right": (_BEHIND[1], -_BEHIND[0], 0.0),
    "left": (-_BEHIND[1], _BEHIND[0], 0.0),
    "above": (0.0, 0.0, 1.0),
    "below": (0.0, 0.0, -1.0),
}

_VALUE_ATTRIBUTE = {value: name for name, values in ATTRIBUTES.items() for value in values}


def attribute_of(value: str) -> str | None:
    """The attribute (``size``, ``color``, ``material``, ``shape``) a value belongs to, or None."""
    return _VALUE_ATTRIBUTE.get(value)
