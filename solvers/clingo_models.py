"""Turning clingo models into JSON-friendly answer sets while clingo searches.

:class:`ModelCollector` is the ``on_model`` callback of :class:`~nesy.solvers.clingo_session.ClingoSession`.
For a program that optimises (``--opt-mode=optN``), improving models are dropped once a
better one arrives, and only proven-optimal ones are reported when there are any; answer
sets that look the same (equal shown atoms) are kept once. :func:`atom_texts` turns symbols into
text through a per-process cache (clingo interns symbols for the life of the process, and
``str(symbol)`` costs about as much as grounding a small rule).

Example:
    >>> import clingo
    >>> control = clingo.Control(["--opt-mode=optN", "--models=0"])
    >>> control.add("base", [], "{a; b}. :- not a, not b. #minimize { 1,a : a; 1,b : b }.")
    >>> control.ground([("base", [])])
    >>> collector = ModelCollector(limit_atoms=100)
    >>> control.solve(on_model=collector).exhausted
    True
    >>> value = collector.value(exhausted=True, interrupted=False)
    >>> sorted(value["models"]), value["costs"], value["optimal"]
    ([['a'], ['b']], [[1], [1]], True)
"""

from __future__ import annotations

import time
from itertools import islice
from typing import Any, Sequence

import clingo

ATOM_TEXT_CACHE_SIZE = 1 << 16  #: symbols whose text is kept; the cache is emptied when it is full
_atom_text: dict[int, str] = {}  # by clingo's raw symbol value (symbols are interned: equal values, equal symbols)


def atom_texts(symbols: Sequence[clingo.Symbol]) -> list[str]:
    """The text of each symbol, in order.

    ``Model.symbols`` gives a sequence over clingo's raw symbol array: that is read directly and
    its texts go through the per-process cache (no ``Symbol`` object per atom); any other
    sequence of symbols is converted one by one.

    Example:
        >>> atom_texts([clingo.Function("edge", [clingo.Number(1), clingo.String("a b")])])
        ['edge(1,"a b")']
    """
    raw = getattr(symbols, "_p_symbols", None)
    if raw is None:
        return [str(symbol) for symbol in symbols]
    texts = list(map(_atom_text.get, raw))
    if None in texts:
        if len(_atom_text) >= ATOM_TEXT_CACHE_SIZE:
            _atom_text.clear()
        for index, text in enumerate(texts):
            if text is None:
                value = raw[index]
                texts[index] = _atom_text[value] = str(clingo.Symbol(value))
    return texts


def symbol_count(symbols: Sequence[clingo.Symbol]) -> int:
    """``len(symbols)``, read from clingo's raw array when there is one (no Python-level call)."""
    return len(getattr(symbols, "_p_symbols", symbols))


class ModelCollector:
    """The ``on_model`` callback: keeps answer sets, costs and optimality (runs in clingo's thread).

    Args:
        limit_atoms: Most atoms kept over all answer sets; beyond it the search stops (``overflow``).
        restrict_to: Report a model as the listed atoms it contains (default: its shown atoms).
        deadline: ``time.perf_counter()`` value after which text conversion stops (``late``):
            it costs a few microseconds per atom, so huge answer sets could outlast the budget.
        optimising: Whether the program may optimise; when False, costs and optimality are not
            asked of clingo (each answer set then has cost ``[]`` and is not "proven optimal"),
            and only ``models`` is kept while clingo searches.
    """

    _CHUNK = 5000
    __slots__ = ("optimising", "models", "costs", "proven", "seen", "atoms", "limit_atoms", "deadline",
                 "overflow", "late", "restrict_to")  # fmt: skip

    def __init__(
        self,
        limit_atoms: int,
        restrict_to: Sequence[clingo.Symbol] | None = None,
        deadline: float = float("inf"),
        optimising: bool = True,
    ) -> None:
        self.optimising = optimising
        self.models: list[list[str]] = []
        self.costs: list[list[int]] = []
        self.proven: list[bool] = []
        self.seen: set[tuple[str, ...]] = set()
        self.atoms, self.limit_atoms, self.deadline = 0, limit_atoms, deadline
        self.overflow = self.late = False
        self.restrict_to = restrict_to

    def __call__(self, model: clingo.Model) -> bool:
        if self.restrict_to is not None:
            symbols = [a for a in self.restrict_to if model.contains(a)]
        else:
            symbols = model.symbols(shown=True)
        if self.optimising:
            return self._add_scored(model, symbols)
        count = symbol_count(symbols)
        if self.atoms + count > self.limit_atoms:
            self.overflow = True
            return False
        if count <= self._CHUNK:
            atoms = atom_texts(symbols)
            atoms.sort()
        else:
            atoms = self._texts(symbols)
            if atoms is None:
                return False
        key = tuple(atoms)
        if key not in self.seen:  # else the same shown atoms again (hidden atoms differ)
            self.seen.add(key)
            self.atoms += len(atoms)
            self.models.append(atoms)
            self.costs.append([])
        return True

    def _add_scored(self, model: clingo.Model, symbols: Sequence[clingo.Symbol]) -> bool:
        """:meth:`__call__` for a program that optimises: costs kept, a beaten improving model dropped."""
        supersede = bool(self.costs and self.costs[-1] and not self.proven[-1])
        held = self.atoms - len(self.models[-1]) if supersede else self.atoms
        if held + len(symbols) > self.limit_atoms:
            self.overflow = True
            return False
        atoms = self._texts(symbols)
        if atoms is None:
            return False
        if supersede:
            self.seen.discard(tuple(self.models[-1]))
            self.atoms -= len(self.models.pop())
            self.costs.pop()
            self.proven.pop()
        key = tuple(atoms)
        if key in self.seen:
            return True
        self.atoms += len(atoms)
        self.seen.add(key)
        self.models.append(atoms)
        self.costs.append(list(model.cost))
        self.proven.append(model.optimality_proven)
        return True

    def _texts(self, symbols: Sequence[clingo.Symbol]) -> list[str] | None:
        """The atoms as sorted text, or None (``late``) once the deadline has passed.

        An answer set of at most ``_CHUNK`` atoms goes through :func:`atom_texts` at once (a few
        milliseconds at most); a larger one is converted chunk by chunk with a deadline check
        before each (uncached: it would flush the cache).
        """
        if len(symbols) <= self._CHUNK:
            texts = atom_texts(symbols)
            texts.sort()
            return texts
        atoms: list[str] = []
        texts = map(str, symbols)  # iterated, not sliced: a slice of clingo's sequence costs per item
        for _ in range(0, len(symbols), self._CHUNK):
            if time.perf_counter() > self.deadline:
                self.late = True
                return None
            atoms.extend(islice(texts, self._CHUNK))
        atoms.sort()
        return atoms

    def value(self, *, exhausted: bool, interrupted: bool) -> dict[str, Any]:
        """The JSON-friendly value of one solve call (see :mod:`nesy.solvers.clingo_solver`)."""
        models, costs, optimal = self.models, self.costs, any(self.proven)
        if optimal:
            keep = [i for i, ok in enumerate(self.proven) if ok]
            models, costs = [models[i] for i in keep], [costs[i] for i in keep]
        return {
            "models": models,
            "costs": costs,
            "optimal": optimal,
            "exhausted": bool(exhausted) and not interrupted,
            "interrupted": bool(interrupted),
        }
