"""Candidate programs with a call that is blind to its world: ``filter_material(<the rubber things>, metal)``.

A question's candidate programs give its answer on its own world. Some do so with a part that
gives the *same* value on every world although what it is given changes: the metal things among
the rubber things are none, on any world, so ``count(filter_material(filter_material(scene(),
rubber), metal))`` answers 0 wherever it is asked. Such a program reads its words as a
contradiction, not as a description; it explains the questions whose answer happens to be that
constant, and the learner would keep it for a phrase ("other metal things that have the same
shape as the rubber thing") whose true reading it then never learns. :class:`BlindCalls`
finds these parts by running every call of a candidate on other worlds (probes).

A call is *blind* when it reads words (a constant stands below it), and over the probe worlds on
which it is defined (at least ``min_defined`` of them) its value never changes while the value of
one of its call arguments does. A call defined on few worlds (``unique`` of a long description)
is never judged on a handful of them. A call without constants below it reads no word, so it
misreads none: "Are there any things?" is ``exist(scene())``, yes on every world. Without worlds
that differ nothing is blind.

Nothing here knows a suite: calls, values and worlds are the DSL's.

Example:
    >>> from contextlib import contextmanager
    >>> from nesy.solvers.dsl.language import DSL
    >>> from nesy.semparse.tree import CONST, Tree
    >>> world = {"n": 0}
    >>> dsl = DSL("worlds")
    >>> _ = dsl.primitive("seen", [], "int", lambda: world["n"])
    >>> _ = dsl.primitive("mul", ["int", "int"], "int", lambda a, b: a * b)
    >>> _ = dsl.primitive("add", ["int", "int"], "int", lambda a, b: a + b)
    >>> _ = dsl.constant("zero", "int", 0)
    >>> _ = dsl.constant("two", "int", 2)
    >>> @contextmanager
    ... def bound(n):
    ...     world["n"] = n
    ...     yield
    >>> calls = BlindCalls(dsl, [lambda n=n: bound(n) for n in range(1, 9)], min_defined=4)
    >>> seen, zero, two = Tree("seen"), Tree("zero", (), CONST, 0), Tree("two", (), CONST, 1)
    >>> calls.blind(Tree("mul", (seen, zero))), calls.blind(Tree("add", (seen, two)))
    (True, False)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, ContextManager, Sequence

from nesy.solvers.dsl.language import DSL

from .lexicon_search import probe_examples
from .tree import CALL, CONST, Tree, to_text

if TYPE_CHECKING:
    from .learn_config import Example, LearnConfig

_UNDEFINED = object()


class BlindCalls:
    """Finds candidate programs with a blind call (see the module docstring).

    The values of every sub-program met are remembered, by its text, for all the probe worlds, so
    the many candidates that share parts pay for each part once (up to ``remembered`` sub-programs:
    then the memory starts again, so a long run's memory stays bounded).

    Args:
        dsl: The language (its primitives are run on the probe worlds).
        probes: Binders of the probe worlds.
        min_defined: Fewest probe worlds on which a call must be defined to be judged.
        remembered: Most sub-programs whose values are kept.
    """

    def __init__(self, dsl: DSL, probes: Sequence[Callable[[], ContextManager[Any]]], min_defined: int = 8,
                 remembered: int = 100_000) -> None:
        self.dsl = dsl
        self.probes = list(probes)
        self.min_defined = min_defined
        self.remembered = remembered
        self._values: dict[str, tuple[Any, ...]] = {}
        self._verdicts: dict[str, bool] = {}

    def blind(self, tree: Tree) -> bool:
        """Whether some call of ``tree`` is blind on the probe worlds."""
        if len(self.probes) < self.min_defined:
            return False
        if len(self._values) > self.remembered:
            self._values.clear()
            self._verdicts.clear()
        texts: dict[int, str] = {}
        order: list[Tree] = []
        self._walk(tree, texts, order, set())
        self._compute([node for node in order if texts[id(node)] not in self._values], texts)
        return any(self._blind(node, texts) for node in order if node.kind == CALL and node.args and _has_constants(node))

    def _walk(self, node: Tree, texts: dict[int, str], order: list[Tree], seen: set[str]) -> None:
        """Fill ``texts`` (by node id) and ``order`` (children before parents, each text once)."""
        for arg in node.args:
            self._walk(arg, texts, order, seen)
        texts[id(node)] = text = to_text(node)
        if text not in seen:
            seen.add(text)
            order.append(node)

    def _compute(self, missing: list[Tree], texts: dict[int, str]) -> None:
        """The values of the ``missing`` nodes (children first) on every probe world."""
        if not missing:
            return
        columns: dict[str, list[Any]] = {texts[id(node)]: [] for node in missing}
        for p, probe in enumerate(self.probes):
            with probe():
                for node in missing:
                    columns[texts[id(node)]].append(self._value(node, p, texts, columns))
        for text, column in columns.items():
            self._values[text] = tuple(column)

    def _value(self, node: Tree, p: int, texts: dict[int, str], columns: dict[str, list[Any]]) -> Any:
        if node.kind == CONST:
            return self.dsl.constants[node.name].value
        args = []
        for arg in node.args:
            text = texts[id(arg)]
            value = self._values[text][p] if text in self._values else columns[text][p]
            if value is _UNDEFINED:
                return _UNDEFINED
            args.append(value)
        try:
            return self.dsl.primitives[node.name].impl(*args)
        except Exception:  # undefined on this world (a failed unique...)
            return _UNDEFINED

    def _blind(self, node: Tree, texts: dict[int, str]) -> bool:
        text = texts[id(node)]
        if text in self._verdicts:
            return self._verdicts[text]
        mine = self._values[text]
        defined = [p for p, v in enumerate(mine) if v is not _UNDEFINED]
        verdict = False
        if len(defined) >= self.min_defined and _constant([mine[p] for p in defined]):
            verdict = any(arg.kind == CALL and not _constant([self._values[texts[id(arg)]][p] for p in defined])
                          for arg in node.args)
        self._verdicts[text] = verdict
        return verdict


def _has_constants(node: Tree) -> bool:
    return node.kind == CONST or any(_has_constants(a) for a in node.args)


def _constant(values: Sequence[Any]) -> bool:
    first = values[0]
    return all(type(v) is type(first) and v == first for v in values[1:])


def blind_calls(dsl: DSL, examples: Sequence["Example"], config: "LearnConfig") -> BlindCalls | None:
    """The check on ``config.blind_probes`` of the questions' worlds, spread over them (None: off)."""
    if not config.blind_probes:
        return None
    return BlindCalls(dsl, [ex.bind for ex in probe_examples(examples, config.blind_probes)], config.blind_min_defined)
