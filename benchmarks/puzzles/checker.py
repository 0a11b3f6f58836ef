"""The puzzle checker: an SMT-LIB program with an ``answer`` constant, its answer read and proved unique on z3.

The program (all of a puzzle's fragments) declares a constant ``answer`` (from the question's
fragment) and constrains it. The checker runs it on :class:`~nesy.solvers.z3_solver.Z3Solver`
(the allow-listed SMT-LIB subset; nothing bypasses that filter) with a final ``(check-sat)``,
reads ``answer`` from the model, then runs the program again with
``(assert (not (= answer V)))`` appended: only ``unsat`` there proves that ``V`` is the only
answer the program allows. The value is ``V`` (an entity or attribute name, or an integer).

The puzzles' standing rules are the checker's, as the relation rules are the kinship checker's
knowledge base (:func:`library`): every attribute a program declares with
``(declare-fun f (Entity) S)`` gives different people different values, and an ``Int``
attribute (a place) lies between 1 and ``n``. So a sentence that introduces people in a row or a
category of values is written as its declarations only.

Errors (``error`` verdicts): unsatisfiable constraints, no ``answer`` constant, or an answer that
is not unique (the message names two possible answers).

Example:
    >>> checker = PuzzleChecker()
    >>> base = "(declare-datatype Entity ((ann) (bob))) (define-const n Int 2) (declare-fun pos (Entity) Int)"
    >>> question = " (declare-const answer Entity) (assert (forall ((x Entity)) (<= (pos x) (pos answer))))"
    >>> checker.run(base + " (assert (> (pos bob) (pos ann)))" + question).value
    'bob'
    >>> checker.check(base + question, None, "bob").message  # without the clue: bob or ann
    'the answer is not unique: ... or ...'
"""

from __future__ import annotations

import re
from typing import Any

from nesy.budget import Budget
from nesy.errors import ProgramFailed
from nesy.solver import BaseSolver
from nesy.solvers.z3_solver import Z3Solver
from nesy.verdict import Status, Verdict

ANSWER = "answer"
_SYMBOL = re.compile(r"[a-z][a-z0-9_]*\Z")
_ATTRIBUTE = re.compile(r"\(declare-fun ([a-z][a-z0-9_]*) \(Entity\) ([A-Za-z][A-Za-z0-9_]*)\)")


def library(program: str) -> str:
    """The standing rules for the attributes ``program`` declares (added by the checker before solving).

    Example:
        >>> print(library("(declare-fun pos (Entity) Int)"))
        (assert (forall ((x Entity)) (and (<= 1 (pos x)) (<= (pos x) n))))
        (assert (forall ((x Entity) (y Entity)) (=> (= (pos x) (pos y)) (= x y))))
    """
    rules = []
    for name, sort in dict.fromkeys(_ATTRIBUTE.findall(program)):
        if sort == "Int":
            rules.append(f"(assert (forall ((x Entity)) (and (<= 1 ({name} x)) (<= ({name} x) n))))")
        rules.append(f"(assert (forall ((x Entity) (y Entity)) (=> (= ({name} x) ({name} y)) (= x y))))")
    return "\n".join(rules)


def smt_value(value: Any) -> str:
    """An answer value as an SMT-LIB term (integers, booleans, lower-case symbols).

    Example:
        >>> smt_value(-3), smt_value("alice"), smt_value(True)
        ('(- 3)', 'alice', 'true')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value >= 0 else f"(- {-value})"
    if isinstance(value, str) and _SYMBOL.match(value):
        return value
    raise ProgramFailed(f"the answer {value!r:.60} is not an integer, a Boolean or a lower-case name")


class PuzzleChecker(BaseSolver):
    """Answer of an SMT-LIB puzzle program and a proof that it is the only one.

    Args:
        z3: The z3 backend to run on (default: a plain :class:`Z3Solver`).
    """

    name = "puzzle"
    languages = ("smtlib2",)
    version = "1"

    def __init__(self, z3: Z3Solver | None = None) -> None:
        self.z3 = z3 or Z3Solver()

    def config(self) -> dict[str, Any]:
        """The z3 backend's fingerprint and the name of the answer constant."""
        return {"z3": self.z3.fingerprint(), "answer": ANSWER}

    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        """Solve (with the :func:`library` rules), read ``answer``, and prove that no other value is possible."""
        program = f"{program}\n{library(program)}"
        first = self.z3.execute(f"{program}\n(check-sat)", input, budget)
        if first.status is Status.UNSAT:
            raise ProgramFailed("the constraints are contradictory (unsat)")
        if first.status is not Status.SAT:
            return first
        if not isinstance(first.value, dict) or ANSWER not in first.value:
            raise ProgramFailed(f"the program declares no constant {ANSWER!r}")
        value = first.value[ANSWER]
        other = f"{program}\n(assert (not (= {ANSWER} {smt_value(value)})))\n(check-sat)"
        second = self.z3.execute(other, input, budget)
        if second.status is Status.SAT:
            raise ProgramFailed(f"the answer is not unique: {value} or {second.value.get(ANSWER)}")
        if second.status is not Status.UNSAT:
            return Verdict(second.status, None, f"uniqueness not proved: {second.message}", None, second.stats)
        stats = {"solver_seconds": first.stats.get("solver_seconds", 0.0) + second.stats.get("solver_seconds", 0.0)}
        return Verdict(Status.OK, value, "unique answer", first.certificate, stats)
