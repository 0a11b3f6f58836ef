"""Atoms and facts for the clingo backend: text <-> ``clingo.Symbol``, input facts, expected answer sets.

Everything here reads data that may come from a neural module or a user's file, so every atom is
checked (:func:`~nesy.solvers.asp_filter.check_term`: no ``@`` calls, no directives) before
clingo parses it, and anything else is refused with :class:`~nesy.errors.ProgramRejected`.

Example:
    >>> facts_text(["edge(1, 2)"])
    'edge(1,2).'
    >>> sorted(map(sorted, expected_sets([["b", "a"], ["f( x )"]])))
    [['a', 'b'], ['f(x)']]
"""

from __future__ import annotations

import re
from typing import Any, Union

import clingo

from nesy.errors import ProgramRejected
from nesy.solvers.asp_filter import check_term

Atom = Union[str, clingo.Symbol]

#: A clingo function name (and the names input predicates and ``@`` functions may have).
IDENTIFIER = re.compile(r"[a-z][A-Za-z0-9_]*\Z")
_NEEDS_NORMALISING = re.compile(r'[\s"]')


def to_symbol(atom: Atom) -> clingo.Symbol:
    """A ``clingo.Symbol`` from a symbol or from plain atom text (checked: no ``@``, no directives).

    Example:
        >>> str(to_symbol("edge(1, a)"))
        'edge(1,a)'
    """
    if isinstance(atom, clingo.Symbol):
        return atom
    if not isinstance(atom, str):
        raise ProgramRejected(f"an atom must be text or a clingo.Symbol, got {type(atom).__name__}")
    check_term(atom)
    try:
        return clingo.parse_term(atom, logger=lambda code, message: None)
    except RuntimeError:
        raise ProgramRejected(f"not a ground atom: {atom[:80]!r}") from None


def facts_text(input: Any) -> str:
    """ASP text for ``input``: text as is, a list of atoms as facts, or a dict of predicate -> arguments.

    Example:
        >>> facts_text({"edge": [(1, 2), (2, "x y")], "node": [1]})
        'edge(1,2).\\nedge(2,"x y").\\nnode(1).'
        >>> facts_text(["p(1)", "q"])
        'p(1).\\nq.'
    """
    if isinstance(input, str):
        return input
    if isinstance(input, (list, tuple)) and all(isinstance(a, str) for a in input):
        return "\n".join(f"{to_symbol(a)}." for a in input)
    if isinstance(input, dict):
        facts = []
        for pred, rows in input.items():
            if not isinstance(pred, str) or not IDENTIFIER.match(pred):
                raise ProgramRejected(f"input predicate {pred!r} is not a lowercase identifier")
            for row in rows:
                args = [_value_symbol(x) for x in (row if isinstance(row, (list, tuple)) else [row])]
                facts.append(f"{clingo.Function(pred, args)}.")
        return "\n".join(facts)
    raise ProgramRejected(f"input must be ASP text, a list of atoms or a dict, got {type(input).__name__}")


def observation(item: Any) -> tuple[Any, bool]:
    """An abduction observation: ``"atom"`` -> ``("atom", True)``; ``("atom", truth)`` as given.

    Example:
        >>> observation("wet"), observation(("rain", False))
        (('wet', True), ('rain', False))
    """
    if isinstance(item, (str, clingo.Symbol)):
        return item, True
    if isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], bool):
        return item[0], item[1]
    raise ProgramRejected(f"an observation must be an atom or (atom, bool), got {item!r:.80}")


def _value_symbol(x: Any) -> clingo.Symbol:
    """A clingo symbol for an input value: int -> number, identifier-like str -> constant, else a string."""
    if isinstance(x, bool) or not isinstance(x, (int, str)):
        raise ProgramRejected(f"input values must be ints or strings, got {type(x).__name__}")
    if isinstance(x, int):
        return clingo.Number(x)
    return clingo.Function(x) if IDENTIFIER.match(x) else clingo.String(x)


def normal_atom(atom: Any) -> str:
    """An atom string with whitespace outside quoted strings removed.

    Example:
        >>> normal_atom('p(1, "a b")')
        'p(1,"a b")'
    """
    atom = str(atom)
    if _NEEDS_NORMALISING.search(atom) is None:
        return atom
    if '"' not in atom:
        return "".join(atom.split())
    parts = re.split(r'("(?:[^\\"]|\\.)*")', atom)
    return "".join(p if i % 2 else "".join(p.split()) for i, p in enumerate(parts))


def expected_sets(expected: Any) -> set[frozenset[str]] | None:
    """``expected`` as a set of answer sets, or None for ``"sat"``/``"unsat"``/unreadable.

    (Plain loops: this runs once per check, and generator expressions cost more here than the
    comparison itself.)
    """
    if isinstance(expected, dict) and "models" in expected:
        expected = expected["models"]
    if not isinstance(expected, (list, tuple)):
        return None
    models = [expected] if expected and isinstance(expected[0], str) else expected
    sets: set[frozenset[str]] = set()
    for model in models:
        if not isinstance(model, (list, tuple)):
            return None
        try:
            text = "".join(model)  # also the type check: only strings join
        except TypeError:
            return None
        if _NEEDS_NORMALISING.search(text) is not None:  # one scan for the common case
            model = [normal_atom(atom) for atom in model]
        sets.add(frozenset(model))
    return sets
