"""The puzzle checker: an SMT-LIB program with an ``answer`` constant, its answer read and proved unique on z3.

The program (all of a puzzle's fragments) declares a constant ``answer`` (from the question's
fragment) and constrains it. The checker runs it on :class:`~nesy.solvers.z3_solver.Z3Solver`
(the allow-listed SMT-LIB subset; nothing bypasses that filter) with a final ``(check-sat)``,
reads ``answer`` and every person's attributes (``(pos ann)``, ``(pet bob)``, ... from
``(get-value ...)``) from the model, then runs the program again with an assertion that at least
one of them differs: only ``unsat`` there proves that ``V`` is the only answer the program allows
and that the clues fix the whole solution, as a well-posed puzzle's do (``whole=False``: the answer
only). The value is ``V`` (an entity or attribute name, or an integer).

The puzzles' standing rules are the checker's, as the relation rules are the kinship checker's
knowledge base (:func:`library`): every attribute a program declares with
``(declare-fun f (Entity) S)`` gives different people different values, and an ``Int``
attribute (a place) lies between 1 and ``n``. So a sentence that introduces people in a row or a
category of values is written as its declarations only.

Errors (``error`` verdicts): unsatisfiable constraints, no ``answer`` constant, an answer that
is not unique (the message names two possible answers), or clues that leave a person's attribute
open (the message names the term and two values).

Example:
    >>> checker = PuzzleChecker()
    >>> base = "(declare-datatype Entity ((ann) (bob))) (define-const n Int 2) (declare-fun pos (Entity) Int)"
    >>> question = " (declare-const answer Entity) (assert (forall ((x Entity)) (<= (pos x) (pos answer))))"
    >>> checker.run(base + " (assert (> (pos bob) (pos ann)))" + question).value
    'bob'
    >>> checker.check(base + question, None, "bob").message  # without the clue: bob or ann
    'the answer is not unique: ... or ...'
    >>> three = base.replace("(bob)", "(bob) (cy)").replace("Int 2", "Int 3") + " (assert (= (pos bob) 3))"
    >>> checker.check(three + question, None, "bob").message  # the answer is sure, the rest is open
    'the clues leave the arrangement open: (pos ...) is ... or ...'
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
_DECLARES_ANSWER = re.compile(rf"\(declare-const {ANSWER} ")
_ENTITIES = re.compile(r"\(declare-datatype Entity \(((?:\s*\([a-z][a-z0-9_]*\))+)\s*\)\)")


def attribute_terms(program: str) -> list[str]:
    """Every attribute of every person the program declares: the terms a solved puzzle fixes.

    Example:
        >>> attribute_terms("(declare-datatype Entity ((ann) (bob))) (declare-fun pos (Entity) Int)")
        ['(pos ann)', '(pos bob)']
    """
    found = _ENTITIES.search(program)
    people = re.findall(r"\(([a-z][a-z0-9_]*)\)", found.group(1)) if found else []
    return [f"({name} {x})" for name in dict.fromkeys(n for n, _ in _ATTRIBUTE.findall(program)) for x in people]


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
        whole: Also require the clues to fix every attribute of every person (a well-posed puzzle has
            one solution; the drawn puzzles do): a program that fixes only the asked part is an error.
    """

    name = "puzzle"
    languages = ("smtlib2",)
    version = "2"

    def __init__(self, z3: Z3Solver | None = None, whole: bool = True) -> None:
        self.z3, self.whole = z3 or Z3Solver(), whole

    def config(self) -> dict[str, Any]:
        """The z3 backend's fingerprint, the name of the answer constant and whether the whole solution must be unique."""
        return {"z3": self.z3.fingerprint(), "answer": ANSWER, "whole": self.whole}

    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        """Solve (with the :func:`library` rules), read ``answer``, and prove that no other value is possible."""
        terms = attribute_terms(program) if self.whole and _DECLARES_ANSWER.search(program) else []
        program = f"{program}\n{library(program)}"
        asked = f"\n(get-value ({ANSWER} {' '.join(terms)}))" if terms else ""
        first = self.z3.execute(f"{program}\n(check-sat){asked}", input, budget)
        if first.status is Status.UNSAT:
            raise ProgramFailed("the constraints are contradictory (unsat)")
        if first.status is not Status.SAT:
            return first
        if not isinstance(first.value, dict) or ANSWER not in first.value:
            raise ProgramFailed(f"the program declares no constant {ANSWER!r}")
        value, checks = first.value[ANSWER], [first]
        blocks = [f"(not (= {ANSWER} {smt_value(value)}))"]
        if terms:  # then: the clues fix every person's attributes
            blocks.append("(or " + " ".join(f"(not (= {t} {smt_value(first.value[t])}))" for t in terms) + ")")
        for block in blocks:
            other = self.z3.execute(f"{program}\n(assert {block})\n(check-sat){asked}", input, budget)
            checks.append(other)
            if other.status is Status.SAT and block is blocks[0]:
                raise ProgramFailed(f"the answer is not unique: {value} or {other.value.get(ANSWER)}")
            if other.status is Status.SAT:
                term = next(t for t in terms if other.value.get(t) != first.value[t])
                raise ProgramFailed(f"the clues leave the arrangement open: {term} is {first.value[term]} "
                                    f"or {other.value[term]}")
            if other.status is not Status.UNSAT:
                return Verdict(other.status, None, f"uniqueness not proved: {other.message}", None, other.stats)
        stats = {"solver_seconds": sum(check.stats.get("solver_seconds", 0.0) for check in checks)}
        return Verdict(Status.OK, value, "unique answer", first.certificate, stats)
