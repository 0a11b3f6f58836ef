"""Objects a CLEVR-Math-style question adds to a scene: described, not seen.

"Add 2 large cylinders" puts two objects into the scene of which only the size and the shape are
known. The math modules build such a *description* and insert it into an object set:

* ``new(number)`` -- a description of ``number`` objects, nothing known about them yet;
* ``with_<attr>(description, value)`` -- the same objects with ``attr`` known to be ``value``
  (stating an attribute twice fails the program);
* ``insert(objset, description)`` -- the set plus the described objects.

An added object is an integer like a scene object, so object sets stay sorted tuples of ints:
``SLOT * slot + code`` where ``slot`` (1, 2, ...) numbers it among the added objects of its set
(an insert continues after the largest slot already in the set, so two inserts of the same
description add different objects) and ``code`` holds one decimal digit per attribute in CLEVR's
order (size, color, material, shape): 0 for unknown, else the value's position (1-based) in
:data:`~nesy.benchmarks.clevr.vocab.ATTRIBUTES`. Scene objects are below
:data:`~nesy.benchmarks.clevr.scene_files.MAX_OBJECTS`, far below ``SLOT``.

An added object has no position (it is in no spatial relation) and an unknown attribute matches no
filter value and cannot be queried (:class:`~nesy.benchmarks.clevr.reference.InvalidProgram`).

Example:
    >>> d = with_attr(with_attr(new_objects(2), "size", "large"), "shape", "cylinder")
    >>> d
    (2, 2003)
    >>> objs = insert((0, 1), d)
    >>> objs, [added_attribute(o, "shape") for o in objs[2:]], added_attribute(objs[2], "color")
    ((0, 1, 12003, 22003), ['cylinder', 'cylinder'], None)
    >>> insert(objs, new_objects(1))
    (0, 1, 12003, 22003, 30000)
"""

from __future__ import annotations

from .vocab import ATTRIBUTES

#: Added object ids are ``SLOT * slot + code`` with slot >= 1 (scene objects are far below).
SLOT = 10_000
#: Decimal place of each attribute's digit in ``code``.
PLACE = {"size": 1000, "color": 100, "material": 10, "shape": 1}

Description = tuple[int, int]  #: (how many objects, attribute code)


class Undefined(Exception):
    """A math module has no value here (an attribute stated twice, an unknown attribute queried)."""


def is_added(obj: int) -> bool:
    """Whether ``obj`` is an added (described) object rather than a scene object."""
    return obj >= SLOT


def digit(code: int, attr: str) -> int:
    """The attribute's digit in a code: 0 unknown, else the value's 1-based position."""
    return code // PLACE[attr] % 10


def new_objects(number: int) -> Description:
    """``new``: a description of ``number`` objects with nothing known."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise Undefined(f"new: {number!r} is not a positive number of objects")
    return (number, 0)


def with_attr(description: Description, attr: str, value: str) -> Description:
    """``with_<attr>``: the described objects with ``attr`` known to be ``value`` (stated twice: :class:`Undefined`)."""
    number, code = description
    if digit(code, attr):
        raise Undefined(f"with_{attr}: the {attr} is already stated")
    return (number, code + PLACE[attr] * (ATTRIBUTES[attr].index(value) + 1))


def insert(objs: tuple[int, ...], description: Description) -> tuple[int, ...]:
    """``insert``: ``objs`` plus the described objects, numbered after the largest slot already in ``objs``."""
    number, code = description
    last = max((o // SLOT for o in objs if is_added(o)), default=0)
    return tuple(objs) + tuple(SLOT * (last + k) + code for k in range(1, number + 1))


def added_attribute(obj: int, attr: str) -> str | None:
    """The value of ``attr`` of an added object, or None when the question did not state it."""
    position = digit(obj % SLOT, attr)
    return ATTRIBUTES[attr][position - 1] if position else None
