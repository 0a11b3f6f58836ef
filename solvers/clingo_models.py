"""Turning clingo models into JSON-friendly answer sets while clingo searches.

:class:`ModelCollector` is the ``on_model`` callback of :class:`~nesy.solvers.clingo_session.ClingoSession`.
For a program that optimises (``--opt-mode=optN``), improving models are dropped once a
better one arrives, and only proven-optimal ones are reported when there are any; answer
sets that look the same (equal shown atoms) are kept once.

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
from typing import Any, Sequence

import clingo


class ModelCollector:
    """The ``on_model`` callback: keeps answer sets, costs and optimality (runs in clingo's thread).

    Args:
        limit_atoms: Most atoms kept over all answer sets; beyond it the search stops (``overflow``).
        restrict_to: Report a model as the listed atoms it contains (default: its shown atoms).
        deadline: ``time.perf_counter()`` value after which text conversion stops (``late``):
            it costs a few microseconds per atom, so huge answer sets could outlast the budget.
        optimising: Whether the program may optimise; when False, costs and optimality are not
            asked of clingo (each answer set then has cost ``[]`` and is not "proven optimal").
    """

    _CHUNK = 5000

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
        cost, proven = (list(model.cost), model.optimality_proven) if self.optimising else ([], False)
        supersede = bool(self.costs and self.costs[-1] and not self.proven[-1])  # improving model beaten
        if self.atoms - (len(self.models[-1]) if supersede else 0) + len(symbols) > self.limit_atoms:
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
        if tuple(atoms) in self.seen:  # the same shown atoms again (hidden atoms differ)
            return True
        self.atoms += len(atoms)
        self.seen.add(tuple(atoms))
        self.models.append(atoms)
        self.costs.append(cost)
        self.proven.append(proven)
        return True

    def _texts(self, symbols: Sequence[clingo.Symbol]) -> list[str] | None:
        """The atoms as sorted text, or None (``late``) once the deadline has passed."""
        atoms: list[str] = []
        for start in range(0, len(symbols), self._CHUNK):
            if time.perf_counter() > self.deadline:
                self.late = True
                return None
            atoms.extend(map(str, symbols[start : start + self._CHUNK]))
        atoms.sort()
        return atoms

    def value(self, *, exhausted: bool, interrupted: bool) -> dict[str, Any]:
        """The JSON-friendly value of one solve call (see :mod:`nesy.solvers.clingo_solver`)."""
        proven = [i for i, ok in enumerate(self.proven) if ok]
        keep = proven or range(len(self.models))
        return {
            "models": [self.models[i] for i in keep],
            "costs": [self.costs[i] for i in keep],
            "optimal": bool(proven),
            "exhausted": bool(exhausted) and not interrupted,
            "interrupted": bool(interrupted),
        }
