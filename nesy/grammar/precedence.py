"""Precedences from examples, solved with Z3.

For each short example the operators it uses are ranked every possible way (weak orderings); the
rankings under which the example parses to its output become one disjunction. Z3 finds integer
precedences that satisfy every example's disjunction at once. Where the examples leave a choice,
operators of the same kind (two postfix operators, say) share a precedence if they can, and as few
levels as possible are used: the simplest grammar that fits is the one that generalises.

Example:
    >>> sorted(tuple(sorted(o.items())) for o in weak_orderings(["a", "b"]))
    [(('a', 0), ('b', 0)), (('a', 0), ('b', 1)), (('a', 1), ('b', 0))]
"""

from __future__ import annotations

import itertools
from typing import Sequence

import z3

from nesy.grammar.rules import JUXT, Grammar, ParseError


def weak_orderings(items: Sequence[str]) -> list[dict[str, int]]:
    """Every ranking of ``items`` with ties (as rank dicts starting at 0, no gaps)."""
    found = set()
    for ranks in itertools.product(range(len(items)), repeat=len(items)):
        used = sorted(set(ranks))
        if used == list(range(len(used))):
            found.add(tuple(ranks))
    return [dict(zip(items, ranks)) for ranks in sorted(found)]


def operators_in(grammar: Grammar, words: Sequence[str]) -> list[str]:
    """The operators an example may use: its non-atom words, plus juxtaposition."""
    ops = sorted({w for w in words if w in grammar.roles and grammar.roles[w].kind != "atom"})
    if grammar.juxt is not None and len(words) > 1:
        ops.append(JUXT)
    return ops


def _with_ranks(grammar: Grammar, ranks: dict[str, int]) -> Grammar:
    roles = {w: (r.with_prec(ranks[w]) if w in ranks else r) for w, r in grammar.roles.items()}
    juxt = grammar.juxt.with_prec(ranks[JUXT]) if grammar.juxt is not None and JUXT in ranks else grammar.juxt
    return Grammar(roles, juxt)


def _explains(grammar: Grammar, words: Sequence[str], target: list[str]) -> bool:
    try:
        return grammar.interpret(words) == target
    except ParseError:
        return False


def solve_precedences(
    grammar: Grammar, examples: Sequence[tuple[list[str], list[str]]], max_ops: int = 3, max_examples: int = 5000
) -> tuple[Grammar, int] | None:
    """Precedences under which every usable example parses right, or None if there are none.

    Examples that no ranking of their operators explains are left out (their roles are at fault,
    not the precedences); the caller's final check reports them.

    Returns:
        ``(grammar with precedences, number of distinct constraints used)``.
    """
    constraints: set[tuple[tuple[str, ...], frozenset]] = set()
    seen_inputs = set()
    for words, target in examples:
        key = tuple(words)
        if key in seen_inputs:
            continue
        seen_inputs.add(key)
        ops = operators_in(grammar, words)
        if not 2 <= len(ops) <= max_ops:
            continue
        valid = frozenset(
            tuple(ranks[o] for o in ops) for ranks in weak_orderings(ops) if _explains(_with_ranks(grammar, ranks), words, target)
        )
        if valid:  # an example no ranking explains (a role still unknown or wrong) constrains nothing
            constraints.add((tuple(ops), valid))
        if len(seen_inputs) >= max_examples:
            break
    names = sorted({o for ops, _ in constraints for o in ops} | set(operators_in(grammar, list(grammar.roles) * 2)))
    prec = {name: z3.Int(f"p{i}") for i, name in enumerate(names)}
    solver = z3.Optimize()
    for name in names:
        solver.add(prec[name] >= 1, prec[name] <= len(names))
    kinds = {name: (grammar.juxt.kind if name == JUXT else grammar.roles[name].kind) for name in names}
    for a, b in itertools.combinations(names, 2):
        if kinds[a] == kinds[b]:
            solver.add_soft(prec[a] == prec[b], weight=1)
    levels = z3.Int("levels")
    solver.add(*[prec[name] <= levels for name in names])
    solver.minimize(levels)
    for ops, valid in constraints:
        options = []
        for ranks in valid:
            relations = []
            for (a, ra), (b, rb) in itertools.combinations(zip(ops, ranks), 2):
                relations.append(prec[a] == prec[b] if ra == rb else (prec[a] < prec[b] if ra < rb else prec[a] > prec[b]))
            options.append(z3.And(relations))
        solver.add(z3.Or(options))
    if solver.check() != z3.sat:
        return None
    model = solver.model()
    ranks = {name: model.evaluate(prec[name], model_completion=True).as_long() for name in names}
    return _with_ranks(grammar, ranks), len(constraints)
