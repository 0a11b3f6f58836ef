"""Steps 3 and 4 of :func:`~nesy.semparse.learner.learn_parser`: keep one candidate per question, then parse and verify.

Step 3 keeps, for each question, the candidate reading whose rules explain the most questions
consistently (:mod:`~nesy.semparse.agreement`); yes/no questions keep only readings made of
phrases the informative questions confirmed. Step 4 parses every training question with the
rules so far and counts again the rules of the best parse that gives the answer (self-training).

Nothing here knows a suite.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from typing import Any, Callable, Sequence

from nesy.solvers.dsl.language import DSL

from .agreement import Consistency, choose, confirmed
from .enumerate import _same_answer
from .fork_map import fork_map
from .grammar import Rule
from .learn_config import Example, LearnConfig
from .lexicon import Lexicon
from .semantic_parser import SemanticParser
from .tree import Tree, evaluate


def gives_answer(dsl: DSL, tree: Tree, example: Example) -> bool:
    """Whether the program gives the example's answer on its world (False where a primitive is undefined there)."""
    try:
        with example.bind():
            return _same_answer(evaluate(dsl, tree), example.answer)
    except Exception:  # a primitive undefined on this world (a failed unique...)
        return False


def _frequency_em(examples: Sequence[Example], candidates: Sequence[list[list[Rule]]], config: LearnConfig) -> list[list[Rule] | None]:
    """Step 3 by rule frequency (``selection="frequency"``): hard EM, yes/no questions joining late."""
    not_yes_no = [config.lexicon_yes_no or type(ex.answer) is not bool for ex in examples]
    if not any(c for c, keep in zip(candidates, not_yes_no) if keep):
        not_yes_no = [True] * len(examples)
    counts: Counter = Counter()
    for cands, keep in zip(candidates, not_yes_no):
        for rules in cands if keep else ():
            for r in rules:
                counts[r] += 1.0 / len(cands)
    chosen: list[list[Rule] | None] = [None] * len(examples)
    for iteration in range(config.em_iterations):
        totals: Counter = Counter()
        for r, n in counts.items():
            totals[r.label] += n
        new: Counter = Counter()
        everyone = iteration >= config.em_iterations // 2
        for i, cands in enumerate(candidates):
            if not cands or not (everyone or not_yes_no[i]):
                continue
            best = max(cands, key=lambda rules: sum(math.log((counts[r] + 0.1) / (totals[r.label] + 1.0)) for r in rules))
            chosen[i] = best
            new.update(best)
        counts = new
    return chosen


def grammar_step(dsl: DSL, examples: Sequence[Example], lexicon: Lexicon, candidates: Sequence[list[list[Rule]]],
                 config: LearnConfig, report: Callable[[str, int, int], None], stats: dict[str, Any]) -> tuple[SemanticParser, list[bool]]:
    """Steps 3 and 4: keep one candidate per question, then parse and verify in rounds (see the module docstring).

    Returns:
        The parser, and for each question whether one of its parses gave its answer in the last round.
    """
    types = {name: str(c.type) for name, c in dsl.constants.items()}
    started = time.perf_counter()
    reader = SemanticParser(lexicon, types, {})
    shapes = [reader.shape(ex.tokens) for ex in examples]

    def consistency(candidates: Sequence[Sequence[Sequence[Rule]]]) -> Consistency:
        return Consistency.of(candidates, prior=config.prior, base=config.base,
                              questions=shapes if config.match_roots else None, tops=config.tops,
                              inner=config.inner_wrappers)

    table = consistency(candidates)
    if config.selection == "frequency":
        chosen = _frequency_em(examples, candidates, config)
    else:
        chosen = choose(candidates, table, config.frequency, config.em_iterations)
        if config.confirm:
            trusted = [type(ex.answer) is not bool for ex in examples]
            candidates = confirmed(candidates, chosen, trusted, config.loose_confirm)
            table = consistency(candidates)
            chosen = choose(candidates, table, config.frequency, config.em_iterations)
    counts: Counter = Counter(r for rules in chosen if rules for r in rules)
    stats["em_seconds"] = time.perf_counter() - started

    started = time.perf_counter()
    read = [False] * len(examples)
    for round_ in range(config.rounds):
        parser = SemanticParser(lexicon, types, dict(counts), k=config.k)
        new: Counter = Counter()
        verified = 0

        def best_right(i: int, parser: SemanticParser = parser) -> tuple[Rule, ...] | None:
            ex = examples[i]
            right = [p for p in parser.parses(ex.tokens) if gives_answer(dsl, p.program, ex)]
            if not right:
                return None
            best = right[0] if config.selection == "frequency" else max(right, key=lambda p: table.score(p.rules) + config.frequency * p.score)
            return tuple(best.rules)

        stage = f"verify round {round_ + 1}"
        found = fork_map(best_right, len(examples), config.workers, progress=lambda done, stage=stage: report(stage, done, len(examples)))
        for i, rules in enumerate(found):
            read[i] = rules is not None
            if rules is not None:
                verified += 1
                new.update(rules)
            elif chosen[i]:
                new.update(chosen[i])
        counts = new
        stats[f"verified_round_{round_ + 1}"] = verified / max(1, len(examples))
    stats["verify_seconds"] = time.perf_counter() - started
    parser = SemanticParser(lexicon, types, dict(counts), k=config.k, retype=config.retype)
    stats["rules"] = len(counts)
    stats["labels"] = len({r.label for r in counts})
    stats["lexicon_size"] = len(lexicon.entries)
    return parser, read
