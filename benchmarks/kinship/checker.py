"""The kinship checker: a story's ASP facts plus the relation knowledge base, solved by clingo.

A program is **facts only**: ``W(x,y).`` for the eight basic words of
:data:`~nesy.benchmarks.kinship.family.BASIC` ("x is the W of y") and one ``query(x,y).``
("how is x related to y?"), with lower-case constants. Anything else (rules, other predicates,
directives, comments) is refused before solving, so a program cannot state the answer itself.
The checker appends the knowledge base (``kb.lp`` beside this module, or text given to it) and
runs the whole on :class:`~nesy.solvers.clingo_solver.ClingoSolver`; the value is the one word
``W`` with ``answer(W)``. No answer or several answers is an ``error`` verdict.

Example:
    >>> checker = KinshipChecker()
    >>> program = "mother(anna,ben).\\nsister(cleo,ben).\\nquery(cleo,anna)."
    >>> checker.run(program).value
    'daughter'
    >>> checker.check(program, None, "daughter").status.value
    'ok'
    >>> checker.check("mother(anna,ben).\\nquery(cleo,anna).", None, "daughter").message
    'the facts give no answer for the query'
    >>> checker.run("answer(daughter).").status.value
    'rejected'
"""

from __future__ import annotations

import os
import re
from typing import Any

from nesy.budget import Budget
from nesy.errors import ProgramFailed, ProgramRejected
from nesy.solver import BaseSolver
from nesy.solvers.clingo_solver import ClingoSolver
from nesy.verdict import Status, Verdict

from nesy.benchmarks.kinship.family import BASIC

KB_PATH = os.path.join(os.path.dirname(__file__), "kb.lp")
PREDICATES = tuple(sorted(w for pair in BASIC.values() for w in pair)) + ("query",)
"""Predicates a program may state facts of (all of arity 2)."""

_FACT = re.compile(r"\s*([a-z][a-z_]*)\(\s*([a-z][a-z0-9_]*)\s*,\s*([a-z][a-z0-9_]*)\s*\)\s*\.")


def read_kb(path: str = KB_PATH) -> str:
    """The knowledge base text."""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def check_facts(program: str, predicates: tuple[str, ...] = PREDICATES) -> int:
    """The number of facts in ``program``; raises :class:`ProgramRejected` at the first non-fact.

    Example:
        >>> check_facts("son(ben,anna). query(ben,anna).")
        2
        >>> check_facts("son(ben,anna).\\nson(X,Y) :- p(X,Y).")
        Traceback (most recent call last):
        ...
        nesy.errors.ProgramRejected: line 2: only facts p(a,b). with p one of brother, daughter, ..., query are allowed
    """
    position, count = 0, 0
    while program[position:].strip():
        match = _FACT.match(program, position)
        if not match or match.group(1) not in predicates:
            line = program.count("\n", 0, position + len(program[position:]) - len(program[position:].lstrip())) + 1
            raise ProgramRejected(
                f"line {line}: only facts p(a,b). with p one of {', '.join(predicates)} are allowed"
            )
        position, count = match.end(), count + 1
    return count


class KinshipChecker(BaseSolver):
    """Facts from a story + relation knowledge base on clingo; the value is the relation word.

    Args:
        kb: Knowledge base text (default: ``kb.lp`` of this package).
        clingo: The clingo backend to run on (default: a plain :class:`ClingoSolver`).
    """

    name = "kinship"
    languages = ("asp",)
    version = "1"

    def __init__(self, kb: str | None = None, clingo: ClingoSolver | None = None) -> None:
        self.kb = read_kb() if kb is None else kb
        self.clingo = clingo or ClingoSolver()

    def config(self) -> dict[str, Any]:
        """The knowledge base and the clingo backend's fingerprint change answers."""
        return {"kb": self.kb, "clingo": self.clingo.fingerprint()}

    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        """Check the facts, solve with the knowledge base, and read ``answer(W)``."""
        check_facts(program)
        verdict = self.clingo.execute(f"{program}\n{self.kb}", input, budget.replace(max_models=2))
        if verdict.status is Status.UNSAT:
            raise ProgramFailed("the facts contradict the knowledge base")
        if verdict.status is not Status.SAT:
            return verdict
        models = verdict.value["models"]
        words = sorted({atom[len("answer(") : -1] for model in models for atom in model if atom.startswith("answer(")})
        if not words:
            raise ProgramFailed("the facts give no answer for the query")
        if len(words) > 1 or len(models) > 1:
            raise ProgramFailed(f"the facts give several answers: {', '.join(words)}")
        return Verdict(Status.OK, words[0], "one answer", verdict.certificate, verdict.stats)
