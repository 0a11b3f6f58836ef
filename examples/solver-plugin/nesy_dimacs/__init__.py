"""nesy-dimacs: DIMACS CNF satisfiability as a nesy solver plugin.

Example:
    >>> DimacsSolver().run("p cnf 2 2\\n1 2 0\\n-1 0\\n").value
    {'1': False, '2': True}
"""

from __future__ import annotations

from typing import Any

from nesy import BaseSolver, Budget, ProgramFailed, ProgramRejected, Status, Verdict

Clause = frozenset[int]


def parse_dimacs(text: str, max_vars: int = 100_000) -> tuple[int, list[Clause]]:
    """Parse DIMACS CNF text into (number of variables, clauses); refuse malformed input."""
    n_vars, clauses, current = None, [], []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("c") or line.startswith("%"):
            continue
        if line.startswith("p"):
            parts = line.split()
            if len(parts) != 4 or parts[1] != "cnf" or not (parts[2].isdigit() and parts[3].isdigit()):
                raise ProgramRejected(f"line {number}: expected 'p cnf VARS CLAUSES'")
            n_vars = int(parts[2])
            if n_vars > max_vars:
                raise ProgramRejected(f"line {number}: {n_vars} variables is over the limit of {max_vars}")
            continue
        if n_vars is None:
            raise ProgramRejected(f"line {number}: clause before the 'p cnf' header")
        for token in line.split():
            try:
                literal = int(token)
            except ValueError:
                raise ProgramRejected(f"line {number}: {token!r} is not a literal") from None
            if abs(literal) > n_vars:
                raise ProgramRejected(f"line {number}: variable {abs(literal)} is over the declared {n_vars}")
            if literal == 0:
                clauses.append(frozenset(current))
                current = []
            else:
                current.append(literal)
    if n_vars is None:
        raise ProgramRejected("no 'p cnf' header")
    if current:
        clauses.append(frozenset(current))
    return n_vars, clauses


def dpll(clauses: list[Clause], max_steps: int) -> dict[int, bool] | None:
    """Satisfying assignment by unit propagation and branching, or None when unsatisfiable."""
    steps = 0
    stack: list[tuple[list[Clause], dict[int, bool]]] = [(clauses, {})]
    while stack:
        clauses, assignment = stack.pop()
        while True:  # unit propagation
            steps += 1
            if steps > max_steps:
                raise ProgramFailed(f"step limit of {max_steps} reached")
            if any(not clause for clause in clauses):
                break
            unit = next((next(iter(c)) for c in clauses if len(c) == 1), None)
            if unit is None:
                break
            clauses, assignment = _assign(clauses, assignment, unit)
        if any(not clause for clause in clauses):
            continue
        if not clauses:
            return assignment
        literal = next(iter(clauses[0]))
        stack.append(_assign(clauses, assignment, -literal))
        stack.append(_assign(clauses, assignment, literal))
    return None


def _assign(clauses: list[Clause], assignment: dict[int, bool], literal: int):
    reduced = [c - {-literal} for c in clauses if literal not in c]
    return reduced, {**assignment, abs(literal): literal > 0}


class DimacsSolver(BaseSolver):
    """SAT for DIMACS CNF: ``sat`` with the assignment ({"var": bool}) or ``unsat``."""

    name = "dimacs"
    languages = ("dimacs",)
    version = "0.1.0"

    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        n_vars, clauses = parse_dimacs(program)
        model = dpll(clauses, budget.max_steps)
        if model is None:
            return Verdict(Status.UNSAT, message=f"unsatisfiable ({n_vars} variables, {len(clauses)} clauses)")
        value = {str(v): model.get(v, False) for v in range(1, n_vars + 1)}
        return Verdict(Status.SAT, value=value, message=f"satisfiable ({n_vars} variables, {len(clauses)} clauses)")
