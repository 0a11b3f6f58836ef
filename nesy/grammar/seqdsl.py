"""A generic DSL over token sequences: the program language of induced grammars.

Three primitives suffice for derivations: ``seq("A B")`` (a literal token sequence), ``cat(x, y)``
and ``rep(x, n)``. Programs run on nesy's ``dsl`` backend, so every derivation a learner proposes is
verified by the same sandboxed interpreter as any other program.

Example:
    >>> solver = sequence_solver()
    >>> solver.run('rep(cat(seq("L"), seq("X")), 2)').value
    ['L', 'X', 'L', 'X']
"""

from __future__ import annotations

from nesy.solvers.dsl import DSL, DSLSolver, guard_size


def seq(text: str) -> list[str]:
    """The tokens of ``text`` (split on spaces)."""
    return text.split()


def cat(left: list[str], right: list[str]) -> list[str]:
    """Concatenation."""
    guard_size(len(left) + len(right), "a concatenation")
    return left + right


def rep(items: list[str], times: int) -> list[str]:
    """``items`` repeated ``times`` times."""
    if times < 0:
        raise ValueError("negative repetition count")
    guard_size(len(items) * times, "a repetition")
    return items * times


def sequence_dsl() -> DSL:
    """The token-sequence DSL: ``seq``, ``cat``, ``rep``."""
    dsl = DSL("sequences")
    dsl.primitive("seq", ["str"], "list[str]", seq)
    dsl.primitive("cat", ["list[str]", "list[str]"], "list[str]", cat)
    dsl.primitive("rep", ["list[str]", "int"], "list[str]", rep)
    return dsl


def sequence_solver() -> DSLSolver:
    """A ``dsl`` backend for :func:`sequence_dsl`."""
    return DSLSolver(sequence_dsl())
