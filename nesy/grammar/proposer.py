"""The induced grammar as a proposer: derivations of inputs as token-sequence programs.

It speaks the :class:`~nesy.proposer.protocol.Proposer` protocol, so the learning loop treats it
like a neural proposer: ``propose`` parses each input and returns its derivation program
(log-probability 0: a grammar is certain or silent), ``fit`` re-induces the grammar from verified
examples, and ``abduce`` induces one from (input, answer) pairs when nothing verifies yet.

Example:
    >>> p = GrammarProposer()
    >>> programs = p.abduce([("dax", "RED"), ("wif", "BLUE"), ("dax fep", "RED RED")])
    >>> p.propose(["wif fep"], k=1)[0][0].program
    'rep(seq("BLUE"), 2)'
"""

from __future__ import annotations

import time
from typing import Any, Sequence

from nesy.budget import Budget
from nesy.grammar.induce import GrammarInducer, InductionReport
from nesy.grammar.rules import Grammar, ParseError, to_program
from nesy.grammar.seqdsl import sequence_solver
from nesy.proposer.protocol import Candidate, FitReport
from nesy.verdict import Status


class GrammarProposer:
    """Propose derivation programs from an induced operator grammar."""

    def __init__(self, inducer: GrammarInducer | None = None) -> None:
        self.inducer = inducer or GrammarInducer()
        self.grammar: Grammar | None = None
        self.report: InductionReport | None = None

    def propose(self, inputs: Sequence[str], k: int = 1, *, sample: bool = True, temperature: float = 1.0) -> list[list[Candidate]]:
        """One candidate per input that the grammar parses (none for the others)."""
        out: list[list[Candidate]] = []
        for text in inputs:
            if self.grammar is None:
                out.append([])
                continue
            try:
                out.append([Candidate(to_program(self.grammar.parse(text.split())), 0.0)])
            except ParseError:
                out.append([])
        return out

    def fit(self, pairs: Sequence[tuple[str, str]], outputs: Sequence[str] | None = None, **options: Any) -> FitReport:
        """Re-induce the grammar from verified ``(input, program)`` pairs.

        The programs are run (token-sequence DSL, in this process, under a budget) to recover the
        outputs, unless ``outputs`` gives them.
        """
        started = time.perf_counter()
        if outputs is None:
            solver, budget = sequence_solver(), Budget(wall_seconds=5)
            outputs = []
            for _, program in pairs:
                verdict = solver.run(program, None, budget)
                outputs.append(" ".join(verdict.value) if verdict.status is Status.OK else None)
        data = [(text, out) for (text, _), out in zip(pairs, outputs) if out is not None]
        self._induce(data)
        return FitReport(0, 1.0, len(data), 0.0, self.report.train_accuracy, time.perf_counter() - started)

    def abduce(self, pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
        """Induce a grammar from ``(input, answer)`` pairs; return the derivation of each input it explains."""
        self._induce(list(pairs))
        programs = {}
        for text, answer in pairs:
            candidates = self.propose([text], 1)[0]
            if candidates:
                programs[text] = candidates[0].program
        return programs

    def _induce(self, pairs: list[tuple[str, str]]) -> None:
        self.report = self.inducer.induce(pairs)
        self.grammar = self.report.grammar

    def describe(self) -> str:
        """The grammar's rules, one per line."""
        return self.grammar.describe() if self.grammar else "(no grammar yet)"
