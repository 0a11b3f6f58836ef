"""Grammar induction from (input, output) pairs alone: lexicon, abduced roles, solved precedences.

1. :func:`~nesy.grammar.lexicon.induce_lexicon` finds the words that stand for output tokens.
2. Every other word (and juxtaposition) gets a role by abduction on the shortest examples in
   which it is the only unknown (curriculum: short first); a candidate must explain every such
   example, and the simplest survivor wins.
3. :func:`~nesy.grammar.precedence.solve_precedences` ranks the operators with Z3.
4. Every training pair is checked; the report says how many the grammar explains.

Example:
    >>> pairs = [("dax", "RED"), ("wif", "BLUE"), ("dax fep", "RED RED RED"), ("dax kiki wif", "BLUE RED"),
    ...          ("wif kiki dax fep", "RED RED RED BLUE")]
    >>> report = GrammarInducer().induce(pairs)
    >>> report.train_accuracy, report.grammar.interpret("wif fep kiki dax".split())
    (1.0, ['RED', 'BLUE', 'BLUE', 'BLUE'])
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Sequence

from nesy.grammar.abduce import all_templates, atom_candidates, juxtaposition_candidates, operator_candidates, with_role
from nesy.grammar.lexicon import induce_lexicon
from nesy.grammar.precedence import solve_precedences
from nesy.grammar.rules import JUXT, Grammar, ParseError, Role, evaluate

log = logging.getLogger(__name__)

_KIND_COST = {"atom": 0, "postfix": 1, "prefix": 1, "infix": 2}


@dataclass
class InductionReport:
    """What induction found and how well it explains the training pairs."""

    grammar: Grammar
    lexicon: dict[str, tuple[str, ...]]
    train_accuracy: float
    failures: list[tuple[str, str, str]] = field(default_factory=list)  #: (input, expected, got)
    unresolved: list[str] = field(default_factory=list)  #: words no role was found for
    seconds: float = 0.0
    precedence_constraints: int = 0


def _explains(grammar: Grammar, words: Sequence[str], target: list[str]) -> bool:
    try:
        return grammar.interpret(words) == target
    except ParseError:
        return False


def _derivation_size(grammar: Grammar, examples, must_use: str | None = None) -> int | None:
    """Operator nodes in the parses of ``examples``, or None if one is not explained (or if no
    parse uses the word ``must_use``: a role that is never exercised is not evidence of anything)."""
    total = 0
    used = must_use is None
    for words, output in examples:
        try:
            tree = grammar.parse(words)
        except ParseError:
            return None
        if evaluate(tree) != output:
            return None
        stack = [tree]
        while stack:
            node = stack.pop()
            total += node.role.kind != "atom"
            used = used or node.word == must_use
            stack.extend(node.children)
    return total if used else None


class GrammarInducer:
    """Induce an operator grammar (see :mod:`nesy.grammar.rules`) from input/output pairs.

    Args:
        max_template: Longest operator template considered.
        evidence: Most examples used to choose one word's role.
        precedence_examples: Most examples used to solve precedences.
        enumerate_up_to: In the relaxed stage, every operator template up to this length is tried.
    """

    def __init__(
        self, max_template: int = 12, evidence: int = 200, precedence_examples: int = 5000, enumerate_up_to: int = 6
    ) -> None:
        self.max_template = max_template
        self.enumerate_up_to = enumerate_up_to
        self.evidence = evidence
        self.precedence_examples = precedence_examples

    def induce(self, pairs: Sequence[tuple[str, str]]) -> InductionReport:
        """Induce a grammar from ``pairs`` of (input words, output tokens) as space-separated text."""
        started = time.perf_counter()
        lexicon = induce_lexicon(pairs)
        distinct = {(s, t) for s, t in pairs}
        data = sorted(((s.split(), t.split()) for s, t in distinct), key=lambda p: (len(p[0]), p[0]))
        grammar = Grammar({w: Role("atom", m) for w, m in lexicon.items()})
        vocabulary = {w for words, _ in data for w in words}
        unknown = sorted(vocabulary - set(grammar.roles)) + [JUXT]
        constraints = 0
        for relaxed in (False, True):  # first from examples of atoms only, then from any known context
            while unknown:  # settle the best-supported word first, then look again
                if relaxed:
                    grammar, constraints = self._with_precedences(grammar, data, unknown)
                found = [(target, *self._abduce_role(grammar, target, data, relaxed)) for target in unknown]
                found = [f for f in found if f[1] is not None]
                if not found:
                    break
                target, role, _ = max(found, key=lambda f: (f[2], f[0]))
                grammar = with_role(grammar, target, role)
                unknown.remove(target)
                log.info("role %s", role.describe(target))
        grammar, constraints = self._with_precedences(grammar, data, unknown)
        failures = []
        for words, target in data:
            if not _explains(grammar, words, target):
                try:
                    got = " ".join(grammar.interpret(words))
                except ParseError as exc:
                    got = f"<{exc}>"
                failures.append((" ".join(words), " ".join(target), got))
        accuracy = 1 - len(failures) / len(data) if data else 0.0
        return InductionReport(
            grammar, lexicon, accuracy, failures[:50], unknown, time.perf_counter() - started, constraints
        )

    def _with_precedences(self, grammar: Grammar, data, unknown: list[str]) -> tuple[Grammar, int]:
        known = [(w, o) for w, o in data if not any(u in w for u in unknown)]
        solved = solve_precedences(grammar, known, max_examples=self.precedence_examples)
        if solved is None:
            log.warning("no precedences explain the examples with the abduced roles")
            return grammar, 0
        return solved

    def _evidence(self, grammar: Grammar, target: str, data, relaxed: bool) -> list:
        """Examples in which ``target`` is the only unknown.

        Strict: every other word is an atom (and, while juxtaposition is unknown, no two atoms
        stand side by side). Relaxed: every other word has a role of any kind.
        """
        found = []
        kind = {w: r.kind for w, r in grammar.roles.items()}
        for words, output in data:
            others = [w for w in words if w != target]
            if target == JUXT:
                ok = len(words) >= 2 and all(w in kind for w in words)
                ok = ok and (relaxed or all(kind[w] == "atom" for w in words))
            else:
                ok = words.count(target) == 1 and all(w in kind for w in others)
                ok = ok and (relaxed or all(kind[w] == "atom" for w in others))
                if ok and grammar.juxt is None:
                    ok = not any(kind.get(a) == "atom" and kind.get(b) == "atom" for a, b in zip(words, words[1:]))
            if ok:
                found.append((words, output))
                if len(found) >= self.evidence:
                    break
        return found

    def _candidates(self, grammar: Grammar, target: str, evidence, relaxed: bool) -> list[Role]:
        found: list[Role] = []
        for words, output in evidence:
            if target == JUXT:
                found = juxtaposition_candidates(grammar, words, output, self.max_template)
            else:
                index = words.index(target)
                found = atom_candidates(grammar, words, index, output)
                found += operator_candidates(grammar, words, index, output, self.max_template)
            if found:
                break
        if relaxed:  # the operands may not be the whole left/right side: try every short template too
            kinds = ("infix",) if target == JUXT else ("prefix", "postfix", "infix")
            found += [Role(k, t) for k in kinds for t in all_templates(k, self.enumerate_up_to)]
        return list(dict.fromkeys(found))

    def _abduce_role(self, grammar: Grammar, target: str, data, relaxed: bool) -> tuple[Role | None, int]:
        """The simplest role explaining all evidence, and how many examples that evidence holds.

        Simplest: fewest operator nodes in the evidence's parses (smaller derivations), then
        atoms before unary before binary operators, then shorter templates.
        """
        evidence = self._evidence(grammar, target, data, relaxed)
        if not evidence:
            return None, 0
        levels = sorted({r.prec for r in grammar.roles.values() if r.kind != "atom"} | ({grammar.juxt.prec} if grammar.juxt else set()))
        precs = sorted({p + d for p in levels for d in (-0.5, 0, 0.5)}) or [0]
        survivors = []
        for role in self._candidates(grammar, target, evidence, relaxed):
            for prec in precs if role.kind != "atom" else [0]:
                trial = with_role(grammar, target, role.with_prec(prec))
                size = _derivation_size(trial, evidence, must_use=target)
                if size is not None:
                    survivors.append(((size, _KIND_COST[role.kind], len(role.template)), role.with_prec(prec)))
                    break
        if not survivors:
            return None, len(evidence)
        return min(survivors, key=lambda s: s[0])[1], len(evidence)
