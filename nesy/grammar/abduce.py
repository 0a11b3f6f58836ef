"""Abduction of a word's role from examples: which role makes the known parts produce the output.

Given an example in which one word's role is unknown and every other word is known, the output
is segmented into copies of the operands' values; each segmentation is a candidate template.
Atoms are abduced as the contiguous piece of output the rest of the example does not explain.

Example:
    >>> segmentations(list("XYXY"), {"A": ["X"], "B": ["Y"]}, max_len=8)
    [('A', 'B', 'A', 'B')]
"""

from __future__ import annotations

from typing import Sequence

from nesy.grammar.rules import JUXT, Grammar, ParseError, Role


def segmentations(target: list[str], pieces: dict[str, list[str]], max_len: int, limit: int = 64) -> list[tuple[str, ...]]:
    """Every way (up to ``limit``) to write ``target`` as a sequence of ``pieces``' values."""
    if any(not value for value in pieces.values()):
        return []  # an empty operand could stand anywhere: uninformative
    found: list[tuple[str, ...]] = []
    stack: list[tuple[int, tuple[str, ...]]] = [(0, ())]
    while stack and len(found) < limit:
        pos, template = stack.pop()
        if pos == len(target):
            if template:
                found.append(template)
            continue
        if len(template) >= max_len:
            continue
        for name, value in pieces.items():
            if target[pos : pos + len(value)] == value:
                stack.append((pos + len(value), template + (name,)))
    return sorted(found, key=len)


def all_templates(kind: str, max_len: int) -> list[tuple[str, ...]]:
    """Every operand template of ``kind`` up to ``max_len`` references, shortest first.

    Example:
        >>> all_templates("postfix", 2)
        [('A',), ('A', 'A')]
    """
    refs = {"prefix": ("B",), "postfix": ("A",), "infix": ("A", "B")}[kind]
    found: list[tuple[str, ...]] = []
    layer: list[tuple[str, ...]] = [()]
    for _ in range(max_len):
        layer = [t + (r,) for t in layer for r in refs]
        found += layer
    return found


def _value(grammar: Grammar, words: Sequence[str]) -> list[str] | None:
    try:
        return grammar.interpret(words)
    except ParseError:
        return None


def operator_candidates(grammar: Grammar, words: list[str], index: int, target: list[str], max_len: int) -> list[Role]:
    """Operator roles for ``words[index]`` under which the example could produce ``target``."""
    left, right = words[:index], words[index + 1 :]
    roles: list[Role] = []
    shapes = []
    if left and not right:
        shapes.append(("postfix", {"A": _value(grammar, left)}))
    if right and not left:
        shapes.append(("prefix", {"B": _value(grammar, right)}))
    if left and right:
        shapes.append(("infix", {"A": _value(grammar, left), "B": _value(grammar, right)}))
    for kind, pieces in shapes:
        if any(value is None for value in pieces.values()):
            continue
        roles += [Role(kind, template) for template in segmentations(target, pieces, max_len)]
    return roles


def atom_candidates(grammar: Grammar, words: list[str], index: int, target: list[str]) -> list[Role]:
    """Atom roles for ``words[index]``: each contiguous piece of ``target`` (the empty one included)
    under which the whole example interprets to ``target``."""
    word = words[index]
    pieces = {()} | {tuple(target[i:j]) for i in range(len(target)) for j in range(i + 1, len(target) + 1)}
    found = []
    for piece in sorted(pieces, key=len):
        trial = Grammar({**grammar.roles, word: Role("atom", piece)}, grammar.juxt)
        if _value(trial, words) == target:
            found.append(Role("atom", piece))
    return found


def juxtaposition_candidates(grammar: Grammar, words: list[str], target: list[str], max_len: int) -> list[Role]:
    """Juxtaposition roles for a two-term example (two atoms side by side)."""
    if len(words) != 2:
        return []
    a, b = _value(grammar, words[:1]), _value(grammar, words[1:])
    if a is None or b is None:
        return []
    return [Role("infix", template) for template in segmentations(target, {"A": a, "B": b}, max_len)]


def with_role(grammar: Grammar, word: str, role: Role) -> Grammar:
    """A copy of ``grammar`` with ``word`` (or juxtaposition) given ``role``."""
    if word == JUXT:
        return Grammar(dict(grammar.roles), role)
    return Grammar({**grammar.roles, word: role}, grammar.juxt)
