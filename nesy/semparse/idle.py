"""Candidate programs in which some words do nothing: ``union(scene(), X)`` soaks up the words of ``X``.

A question's candidate programs must use every one of its lexicon words' constants (step 2 of
:func:`~nesy.semparse.learner.learn_parser`). A program can meet that demand without reading a
phrase: a call whose value, on the question's world, is that of one of its arguments that uses no
constant at all (``union(scene(), relate(...))`` is every object, as ``scene()`` is) makes the words
of its other arguments idle. Such a candidate is a coincidence of the DSL's algebra, not a reading:
:func:`idle_words` finds it so the learner can leave it out. Only calls whose constant-bearing
arguments are themselves calls count: ``filter_color(scene(), red)`` on a world whose objects are
all red is a reading of "red" that this world cannot tell apart, not an idle phrase.

Nothing here knows a suite: "constant-free" and "same value" are the DSL's.

Example:
    >>> from nesy.solvers.dsl.language import DSL
    >>> from nesy.semparse.tree import CONST, Tree
    >>> dsl = DSL("sets")
    >>> _ = dsl.primitive("everything", [], "set", lambda: frozenset({1, 2, 3}))
    >>> _ = dsl.primitive("union", ["set", "set"], "set", lambda a, b: a | b)
    >>> _ = dsl.primitive("only", ["int"], "set", lambda n: frozenset({n}))
    >>> _ = dsl.constant("two", "int", 2)
    >>> two = Tree("only", (Tree("two", (), CONST, 0),))
    >>> idle_words(dsl, Tree("union", (Tree("everything"), two))), idle_words(dsl, two)
    (True, False)
"""

from __future__ import annotations

from typing import Any, Callable, ContextManager, Iterable

from nesy.solvers.dsl.language import DSL

from .blind import BlindCalls
from .enumerate import Found
from .tree import CALL, CONST, Tree, evaluate, from_found

_UNDEFINED = object()


def idle_words(dsl: DSL, tree: Tree) -> bool:
    """Whether some call's value is that of a constant-free argument while another argument is a
    call with constants (its words change nothing on the bound world)."""
    values: dict[int, Any] = {}

    def value(node: Tree) -> Any:
        if id(node) not in values:
            try:
                values[id(node)] = evaluate(dsl, node)
            except Exception:  # undefined on this world
                values[id(node)] = _UNDEFINED
        return values[id(node)]

    def has_constants(node: Tree) -> bool:
        return node.kind == CONST or any(has_constants(a) for a in node.args)

    def visit(node: Tree) -> bool:
        if node.kind != CALL:
            return False
        if len(node.args) >= 2 and any(a.kind == CALL and has_constants(a) for a in node.args):
            mine = value(node)
            if mine is not _UNDEFINED:
                for a in node.args:
                    if not has_constants(a) and _same(value(a), mine):
                        return True
        return any(visit(a) for a in node.args)

    return visit(tree)


def _same(a: Any, b: Any) -> bool:
    return a is not _UNDEFINED and type(a) is type(b) and a == b


def working_programs(dsl: DSL, found: Iterable[Found], bind: Callable[[], ContextManager[Any]], drop_idle: bool = True,
                     blind: BlindCalls | None = None) -> list[Tree]:
    """The search results as trees, less those with idle words (:func:`idle_words`) on the bound
    world, and with ``blind``, less those with a call blind to its world
    (:meth:`~nesy.semparse.blind.BlindCalls.blind`)."""
    trees = [from_found(f) for f in found]
    if drop_idle:
        with bind():
            trees = [t for t in trees if not idle_words(dsl, t)]
    if blind is not None:
        trees = [t for t in trees if not blind.blind(t)]
    return trees
