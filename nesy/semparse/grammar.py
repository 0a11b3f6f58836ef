"""Grammar rules read off one (question, program) pair: each sub-program with its span of words.

The program's constants stand for words of the question (the lexicon's words, in order). A
sub-program covers the words of its constants, and with a projective program (see ``ordered``
in :func:`~nesy.semparse.enumerate.consistent_programs`) these are a contiguous run, so every
sub-program has a *span*: from its first to its last constant's word. Calls that cover the same
span (``unique(filter_shape(...))`` over "sphere") form one *unit*; the whole question is the
root unit (its span is every word). :func:`extract` turns each unit into a :class:`Rule`:

* ``label``: the unit's category, the names of its chained calls (``unique.filter_shape``),
  ``^`` for the root;
* ``text``: the words of its span, each of its own constants written ``<type>`` and each
  smaller unit inside written ``[label]`` (a hole);
* ``fragment``: its calls, with ``$k`` for its k-th own constant and ``@j`` for its j-th hole.

So "How many red things are left of the sphere?" with ``count(filter_color(relate(unique(
filter_shape(scene(), sphere)), left), red))`` gives ``^ -> how many [filter_color] ?``,
``filter_color -> <color> things are [relate]``, ``relate -> <relation> of the
[unique.filter_shape]`` and ``unique.filter_shape -> <shape>``: rules that compose into
questions never seen whole.

Example:
    >>> from nesy.semparse.tree import Tree, CONST
    >>> program = Tree("count", (Tree("filter", (Tree("scene"), Tree("red", (), CONST, 0))),))
    >>> rules = extract("how many red things ?".split(), [2], program, {"red": "color"})
    >>> [(r.label, " ".join(r.text), r.fragment_text) for r in rules]
    [('^', 'how many [filter] things ?', 'count(@0)'), ('filter', '<color>', 'filter(scene(), $0)')]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from nesy.errors import NesyError

from .tree import CALL, CONST, HOLE, SLOT, Tree, to_text

ROOT = "^"


@dataclass(frozen=True)
class Rule:
    """One grammar rule (see the module docstring).

    Attributes:
        label: Category built (``^`` for a whole question).
        text: Words, ``<type>`` slots and ``[label]`` holes.
        fragment: The program piece, with ``slot`` and ``hole`` leaves.
        type: The DSL type of the fragment's value.
    """

    label: str
    text: tuple[str, ...]
    fragment: Tree = field(compare=True)
    type: str = ""

    @property
    def fragment_text(self) -> str:
        """The fragment in call syntax (``$k`` slots, ``@j`` holes)."""
        return to_text(self.fragment)

    @property
    def holes(self) -> tuple[str, ...]:
        """Hole labels in text order."""
        return tuple(t[1:-1] for t in self.text if is_hole(t))


def is_hole(item: str) -> bool:
    """Whether a rule text item is a hole ``[label]``."""
    return len(item) > 2 and item[0] == "[" and item[-1] == "]"


def is_slot(item: str) -> bool:
    """Whether a rule text item is a constant slot ``<type>``."""
    return len(item) > 2 and item[0] == "<" and item[-1] == ">"


def _intervals(tree: Tree, out: dict[int, tuple[int, int] | None]) -> tuple[int, int] | None:
    if tree.kind == CONST:
        if tree.index < 0:
            raise NesyError(f"constant {tree.name!r} has no word position")
        out[id(tree)] = (tree.index, tree.index)
        return out[id(tree)]
    spans = [s for s in (_intervals(a, out) for a in tree.args) if s is not None]
    out[id(tree)] = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
    return out[id(tree)]


def extract(
    tokens: Sequence[str],
    positions: Sequence[int],
    program: Tree,
    constant_types: dict[str, str],
    return_types: dict[str, str] | None = None,
    wrappers: bool = False,
) -> list[Rule]:
    """The rules of one aligned pair, root first.

    Args:
        tokens: The question's words.
        positions: For each constant slot (the program's ``const`` leaves' ``index``), its word position.
        program: A projective program whose constants carry slot indices.
        constant_types: Each constant's DSL type (for the ``<type>`` markers).
        return_types: Each primitive's return type (for :attr:`Rule.type`).
        wrappers: A unit whose top call has no constant of its own (``unique``, ``query_color``,
            ``count`` around a description) stops at the first call below it that has one: that
            call is a hole, and the unit a rule of one hole (``query_color.unique -> [filter_color]``),
            so the description's rules are the same wherever it stands.

    Raises:
        NesyError: a constant without a slot, or a program that is not projective.
    """
    intervals: dict[int, tuple[int, int] | None] = {}
    _intervals(program, intervals)
    rules: list[Rule] = []
    return_types = return_types or {}

    def unit(top: Tree, root: bool) -> str:
        own: list[int] = []
        holes: list[Tree] = []
        chain: list[str] = []
        span = intervals[id(top)]
        bare = wrappers and not root and not _direct(top)

        def build(node: Tree, in_chain: bool) -> Tree:
            if node.kind == CONST:
                own.append(node.index)
                return Tree(kind=SLOT, index=node.index)
            if intervals[id(node)] is None:
                return node
            if not in_chain:
                holes.append(node)
                return Tree(kind=HOLE, index=len(holes) - 1)
            chain.append(node.name)
            return Tree(node.name, tuple(build(a, not root and intervals[id(a)] == span and not (bare and _direct(a)))
                                         for a in node.args), CALL)

        fragment = build(top, True)
        if root:
            start, end = 0, len(tokens)
        elif span is None:
            raise NesyError("a unit without constants below the root")
        else:
            start, end = positions[span[0]], positions[span[1]] + 1
        hole_spans = {}
        for j, h in enumerate(holes):
            lo, hi = intervals[id(h)]  # type: ignore[misc]
            hole_spans[positions[lo]] = (positions[hi] + 1, j)
        own_at = {positions[k]: k for k in own}
        text: list[str] = []
        slot_order: list[int] = []
        hole_order: list[int] = []
        labels: list[str] = []
        for h in holes:
            labels.append(unit(h, False))
        i = start
        while i < end:
            if i in hole_spans:
                stop, j = hole_spans[i]
                text.append(f"[{labels[j]}]")
                hole_order.append(j)
                i = stop
                continue
            if i in own_at:
                slot_order.append(own_at[i])
                text.append(f"<{constant_types[tokens_constants[i]]}>")
            elif i in lexical:
                raise NesyError(f"program is not projective: word {i} ({tokens[i]!r}) falls inside a span it is not part of")
            else:
                text.append(tokens[i])
            i += 1
        if len(slot_order) != len(own) or len(hole_order) != len(holes):
            raise NesyError("program is not projective: a sub-program's words are not one span")
        local_slot = {k: n for n, k in enumerate(slot_order)}
        local_hole = {j: n for n, j in enumerate(hole_order)}
        label = ROOT if root else ".".join(chain)
        rule = Rule(label, tuple(text), _renumber(fragment, local_slot, local_hole), return_types.get(top.name, ""))
        rules.append(rule)
        return label

    lexical = set(positions)
    tokens_constants = {}
    for leaf in _leaves(program):
        tokens_constants[positions[leaf.index]] = leaf.name
    unit(program, True)
    rules.reverse()
    return _root_first(rules)


def readings(tokens: Sequence[str], positions: Sequence[int], programs: Iterable[Tree], constant_types: dict[str, str],
             return_types: dict[str, str] | None = None, wrappers: bool = False) -> list[list[Rule]]:
    """Each program's rules (:func:`extract`), once per distinct set; programs that are not projective are left out."""
    out: list[list[Rule]] = []
    seen: set = set()
    for program in programs:
        try:
            rules = extract(tokens, positions, program, constant_types, return_types, wrappers)
        except NesyError:
            continue
        if tuple(rules) not in seen:
            seen.add(tuple(rules))
            out.append(rules)
    return out


def _direct(node: Tree) -> bool:
    """Whether a call has a constant among its own arguments."""
    return any(a.kind == CONST for a in node.args)


def _root_first(rules: list[Rule]) -> list[Rule]:
    roots = [r for r in rules if r.label == ROOT]
    return roots + [r for r in rules if r.label != ROOT]


def _leaves(tree: Tree):
    if tree.kind == CONST:
        yield tree
    for a in tree.args:
        yield from _leaves(a)


def _renumber(fragment: Tree, slots: dict[int, int], holes: dict[int, int]) -> Tree:
    if fragment.kind == SLOT:
        return Tree(kind=SLOT, index=slots[fragment.index])
    if fragment.kind == HOLE:
        return Tree(kind=HOLE, index=holes[fragment.index])
    if not fragment.args:
        return fragment
    return Tree(fragment.name, tuple(_renumber(a, slots, holes) for a in fragment.args), fragment.kind, fragment.index)
