"""Program trees of a typed DSL: read from search results, written as call syntax, run in process.

A :class:`Tree` is a primitive call, a constant, or (inside grammar rules) a numbered slot for a
constant or a hole for a sub-program. Trees are built only from declared primitives and
constants: :func:`from_found` reads a search result with the DSL's own parser, and
:func:`evaluate` calls the primitives' implementations directly (trusted DSL objects, no text
evaluation), for in-process checks during learning.

Example:
    >>> from nesy.solvers.dsl.language import DSL
    >>> dsl = DSL("toy")
    >>> _ = dsl.primitive("add", ["int", "int"], "int", lambda a, b: a + b)
    >>> _ = dsl.constant("one", "int", 1)
    >>> _ = dsl.constant("two", "int", 2)
    >>> from nesy.semparse.enumerate import Found
    >>> tree = from_found(Found("add(two, one)", ("two", "one"), 3, (1, 0)))
    >>> to_text(tree), [leaf.index for leaf in constants_of(tree)], evaluate(dsl, tree)
    ('add(two, one)', [1, 0], 3)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from nesy.errors import NesyError
from nesy.solvers.dsl.language import DSL
from nesy.solvers.dsl.parser import Call, Name, parse

from .enumerate import Found

CALL, CONST, SLOT, HOLE = "call", "const", "slot", "hole"


@dataclass(frozen=True)
class Tree:
    """One node of a program.

    Attributes:
        name: The primitive (``call``) or constant (``const``) name; empty for slots and holes.
        args: Sub-trees of a call.
        kind: ``call``, ``const``, ``slot`` (a rule's k-th constant) or ``hole`` (a rule's j-th sub-program).
        index: For ``const``: the question word it stands for (-1 if unknown); for ``slot``/``hole``: k or j.
    """

    name: str = ""
    args: tuple["Tree", ...] = ()
    kind: str = CALL
    index: int = -1


def from_found(found: Found) -> Tree:
    """The tree of a search result; its constants carry the result's ``slots`` as indices."""
    slots = iter(found.slots) if found.slots else None

    def build(node: Any) -> Tree:
        if isinstance(node, Call):
            return Tree(node.name, tuple(build(a) for a in node.args))
        if isinstance(node, Name):
            return Tree(node.name, (), CONST, next(slots) if slots is not None else -1)
        raise NesyError(f"unexpected literal in searched program {found.program!r}")

    return build(parse(found.program))


def to_text(tree: Tree) -> str:
    """Call syntax (slots and holes written as ``$k`` and ``@j``)."""
    if tree.kind == CONST:
        return tree.name
    if tree.kind == SLOT:
        return f"${tree.index}"
    if tree.kind == HOLE:
        return f"@{tree.index}"
    return f"{tree.name}({', '.join(to_text(a) for a in tree.args)})"


def constants_of(tree: Tree) -> Iterator[Tree]:
    """The constant leaves, left to right."""
    if tree.kind == CONST:
        yield tree
    for a in tree.args:
        yield from constants_of(a)


def evaluate(dsl: DSL, tree: Tree) -> Any:
    """Run the tree with the DSL's primitives in this process (the world must be bound by the caller).

    Raises:
        Exception: whatever a primitive raises where it is undefined; NesyError for slots, holes or unknown names.
    """
    if tree.kind == CONST:
        if tree.name not in dsl.constants:
            raise NesyError(f"unknown constant {tree.name!r}")
        return dsl.constants[tree.name].value
    if tree.kind != CALL or tree.name not in dsl.primitives:
        raise NesyError(f"cannot run {to_text(tree)!r}")
    return dsl.primitives[tree.name].impl(*(evaluate(dsl, a) for a in tree.args))


def fill(fragment: Tree, slots: list[Tree], holes: list[Tree]) -> Tree:
    """Replace a rule fragment's slots and holes by the given trees."""
    if fragment.kind == SLOT:
        return slots[fragment.index]
    if fragment.kind == HOLE:
        return holes[fragment.index]
    if not fragment.args:
        return fragment
    return Tree(fragment.name, tuple(fill(a, slots, holes) for a in fragment.args), fragment.kind, fragment.index)
