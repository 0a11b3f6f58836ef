"""Step 6 of :func:`~nesy.semparse.learner.learn_parser`: rule weights learned from the answers (a perceptron).

The grammar of steps 3–5 scores a parse by how often its rules were kept. A rule that a
coincidence of many worlds made frequent ("[...] that have the same colour as the [...]" read
as a plain filter chain, which is often right when that set is empty) can then outrank the true
reading on new questions. Here every training question is parsed again (``k`` best) and its
parses are *run*: where the best parse does not give the answer but another one does, the rules
only the answering parse uses gain ``step`` and those only the best one uses lose it, in log
space (a structured perceptron on the answers, averaged over every question visited, as in
Collins 2002). A coincidence rule loses wherever its luck runs out; the true reading never
gives a wrong answer, so it only gains. Nothing here knows a suite: the answers and the DSL
decide.

Two options carry what is learned further. With ``rerank_features`` a rule's bias is its own
weight plus the weights of its (word, call) pairs (:func:`word_features`), and each update moves
those pairs too, so a lesson about "same shape" learned on one wording reaches every wording with
those words. With ``rerank_margin`` a question whose best parse gives the answer also updates when
a parse that misses it scores within the margin (toward the best one), so right readings gain
before a coincidence overtakes them on a new question. With ``rerank_relaxed`` a question with no
parse is read with the chart's relaxations (as :meth:`SemanticParser.parse` reads it) and updates
like the others, so the rules that relaxed readings use are weighed on the answers too.

Example:
    >>> from contextlib import contextmanager
    >>> from nesy.semparse.grammar import Rule
    >>> from nesy.semparse.lexicon import Lexicon
    >>> from nesy.semparse.learn_config import Example, LearnConfig
    >>> from nesy.semparse.semantic_parser import SemanticParser
    >>> from nesy.semparse.tree import HOLE, SLOT, Tree
    >>> from nesy.solvers.dsl.language import DSL
    >>> dsl = DSL("arith")
    >>> _ = dsl.primitive("add", ["int", "int"], "int", lambda a, b: a + b)
    >>> _ = dsl.primitive("mul", ["int", "int"], "int", lambda a, b: a * b)
    >>> for name, value in {"two": 2, "three": 3}.items():
    ...     _ = dsl.constant(name, "int", value)
    >>> hole = Tree(kind=HOLE, index=0)
    >>> word = Rule("n", ("<int>",), Tree(kind=SLOT, index=0))
    >>> twice = Rule("^", ("twice", "[n]"), Tree("add", (hole, hole)))
    >>> squared = Rule("^", ("twice", "[n]"), Tree("mul", (hole, hole)))  # a coincidence: 2 * 2 == 2 + 2
    >>> parser = SemanticParser(Lexicon({"two": "two", "three": "three"}), {"two": "int", "three": "int"},
    ...                         {word: 4.0, twice: 1.0, squared: 2.0})
    >>> parser.program(("twice", "three"))
    'mul(three, three)'
    >>> world = contextmanager(lambda: iter([None]))
    >>> examples = [Example(("twice", "two"), 4, world), Example(("twice", "three"), 6, world)]
    >>> stats = {}
    >>> parser = rerank_step(dsl, examples, parser, LearnConfig(rerank_epochs=2), lambda *a: None, stats)
    >>> parser.program(("twice", "three")), stats["rerank_updates"]
    ('add(three, three)', [1, 0])
"""

from __future__ import annotations

import dataclasses
import logging
import random
import time
from collections import Counter
from typing import Any, Callable, Sequence

from nesy.solvers.dsl.language import DSL

from .fork_map import fork_scan
from .grammar import Rule, is_hole, is_slot
from .learn_config import Example, LearnConfig
from .selection import gives_answer
from .semantic_parser import SemanticParser
from .tree import CALL, Tree

__all__ = ["AveragedWeights", "rerank_step"]

log = logging.getLogger(__name__)


@dataclasses.dataclass
class AveragedWeights:
    """Perceptron weights and their average over every step taken (the lazy form: ``w - u / c``).

    Example:
        >>> w = AveragedWeights()
        >>> w.tick(); w.add("a", 1.0); w.tick(); w.tick()
        >>> w.weights["a"], round(w.average()["a"], 3)
        (1.0, 0.667)
    """

    weights: Counter = dataclasses.field(default_factory=Counter)
    sums: Counter = dataclasses.field(default_factory=Counter)
    steps: int = 0

    def tick(self) -> None:
        """One question visited."""
        self.steps += 1

    def add(self, key: Any, delta: float) -> None:
        """Change one weight after the current step (counted in the average from the next step on)."""
        self.weights[key] += delta
        self.sums[key] += self.steps * delta

    def average(self) -> dict[Any, float]:
        """Each weight averaged over the steps taken."""
        c = max(1, self.steps)
        averaged = {key: w - self.sums[key] / c for key, w in self.weights.items()}
        return {key: w for key, w in averaged.items() if w}


def _with_bias(parser: SemanticParser, bias: dict[Rule, float], k: int) -> SemanticParser:
    return dataclasses.replace(parser, bias=dict(bias), k=k, _chart=None, _relaxed=None)


def _close_rival(dsl: DSL, ex: Example, parses: Sequence[Any], margin: float) -> int | None:
    """Where the best parse that misses the answer and scores within ``margin`` of the (right) best one is, if any."""
    for n, parse in enumerate(parses[1:], 1):
        if parse.score < parses[0].score - margin:
            return None
        if parse.program_text != parses[0].program_text and not gives_answer(dsl, parse.program, ex):
            return n
    return None


@dataclasses.dataclass(frozen=True)
class _Visit:
    """What one question's parses say, before any update: whether the best parse gives the answer, and
    which parse the weights move toward or away from (None: no update, or no parse at all)."""

    top_right: bool = False
    other: int | None = None


def word_features(rule: Rule) -> tuple[tuple[str, str], ...]:
    """The rule's (word, DSL symbol) pairs: each of its words (not slots or holes) with each call of its
    fragment and of its holes' labels, so what a wording says about a call is shared by every wording
    with those words.

    Example:
        >>> from nesy.semparse.tree import HOLE, Tree
        >>> rule = Rule("^", ("how", "many", "[same_shape.unique]", "?"), Tree("count", (Tree(kind=HOLE, index=0),)))
        >>> word_features(rule)[:4]
        (('?', 'count'), ('?', 'same_shape'), ('?', 'unique'), ('how', 'count'))
    """
    words = sorted({w for w in rule.text if not is_hole(w) and not is_slot(w)})
    symbols = sorted({node.name for node in _calls(rule.fragment)} | {part for label in rule.holes for part in label.split(".")})
    return tuple((w, symbol) for w in words for symbol in symbols)


def _calls(tree: Tree):
    if tree.kind == CALL:
        yield tree
    for a in tree.args:
        yield from _calls(a)


class _RuleBias:
    """Each rule's current bias: its own weight plus, with ``feature_step``, its word features' weights."""

    def __init__(self, rules, weights: AveragedWeights, step: float, feature_step: float) -> None:
        self.weights, self.step, self.feature_step = weights, step, feature_step
        self.features = {rule: word_features(rule) for rule in rules} if feature_step else {}
        self.with_feature: dict[tuple[str, str], list[Rule]] = {}
        for rule, features in self.features.items():
            for f in features:
                self.with_feature.setdefault(f, []).append(rule)
        self.total: Counter = Counter()

    def update(self, gained: Counter, lost: Counter) -> dict[Rule, float]:
        """Move the weights toward the gained rules; the rules whose bias changed, with their new bias."""
        changed = [rule for rule in gained.keys() | lost.keys() if gained[rule] != lost[rule]]
        touched = set()
        for rule in changed:
            delta = self.step * (gained[rule] - lost[rule])
            self.weights.add(rule, delta)
            self.total[rule] += delta
            touched.add(rule)
        if self.feature_step:
            moved: Counter = Counter()
            for rule in changed:
                for f in self.features.get(rule, ()):
                    moved[f] += gained[rule] - lost[rule]
            for f, n in moved.items():
                if n:
                    self.weights.add(f, self.feature_step * n)
                    for rule in self.with_feature[f]:
                        self.total[rule] += self.feature_step * n
                        touched.add(rule)
        return {rule: self.total[rule] for rule in touched}

    def average(self) -> dict[Rule, float]:
        """Each rule's averaged bias (its own averaged weight plus its features')."""
        averaged = self.weights.average()
        out = {key: w for key, w in averaged.items() if isinstance(key, Rule)}
        for rule, features in self.features.items():
            extra = sum(averaged.get(f, 0.0) for f in features)
            if extra:
                out[rule] = out.get(rule, 0.0) + extra
        return out


def rerank_step(dsl: DSL, examples: Sequence[Example], parser: SemanticParser, config: LearnConfig,
                report: Callable[[str, int, int], None], stats: dict[str, Any]) -> SemanticParser:
    """Learn per-rule weights from the answers (see the module docstring); the parser with their average
    (as its ``bias``, in place of any it had).

    ``config.rerank_epochs`` passes over the examples (in a fixed shuffled order; at most
    ``config.rerank_questions`` of them per pass), each parsed
    with ``config.rerank_k`` best parses; ``stats`` gets ``rerank_updates`` (per pass),
    ``rerank_top_right`` (per pass, the share of questions whose best parse gave the answer when
    visited), ``rerank_margin_updates`` (per pass, updates where the best parse was right but a wrong
    one within ``config.rerank_margin``) and ``rerank_seconds``. With ``config.workers`` above 1 the
    questions up to the next update are parsed ahead in forked workers
    (:func:`~nesy.semparse.fork_map.fork_scan`), and the updating question again here: the updates, the
    weights and the stats are those of one process, visiting the questions one by one.
    """
    started = time.perf_counter()
    weights = AveragedWeights()
    bias = _RuleBias(parser.counts, weights, config.rerank_step, config.rerank_features)
    current = _with_bias(parser, {}, config.rerank_k)
    order = list(range(len(examples)))
    stats["rerank_updates"], stats["rerank_top_right"], stats["rerank_margin_updates"] = [], [], []

    def read(ex: Example) -> list:
        return current.readings(ex.tokens) if config.rerank_relaxed else current.parses(ex.tokens)

    def visit_one(i: int) -> _Visit:
        ex = examples[i]
        parses = read(ex)
        if not parses:
            return _Visit()
        if gives_answer(dsl, parses[0].program, ex):  # right; with a margin, a close wrong reading widens the gap
            return _Visit(True, _close_rival(dsl, ex, parses, config.rerank_margin) if config.rerank_margin else None)
        return _Visit(False, next((n for n, p in enumerate(parses[1:], 1) if gives_answer(dsl, p.program, ex)), None))

    _ = current.chart  # built here once, so that the workers forked for each read-ahead inherit it
    for epoch in range(config.rerank_epochs):
        random.Random(epoch).shuffle(order)
        visit = order[: config.rerank_questions]
        updates = top_right = close = done = 0
        while done < len(visit):  # the questions up to the next update are read ahead on the workers
            seen = fork_scan(lambda n, start=done: visit_one(visit[start + n]), len(visit) - done, lambda v: v.other is not None,
                             config.workers)
            for found in seen:
                weights.tick()
                if done % 500 == 0:
                    report(f"rerank pass {epoch + 1}", done, len(visit))
                top_right += found.top_right
                if found.other is not None:  # read again here, with the same weights, for its rules
                    parses = read(examples[visit[done]])
                    best, other = Counter(parses[0].rules), Counter(parses[found.other].rules)
                    if found.top_right:
                        close += 1
                        current.reweigh(bias.update(best, other))
                    else:
                        updates += 1
                        current.reweigh(bias.update(other, best))  # the chart is changed, not built again
                done += 1
        report(f"rerank pass {epoch + 1}", len(visit), len(visit))
        stats["rerank_updates"].append(updates)
        stats["rerank_top_right"].append(top_right / max(1, len(visit)))
        stats["rerank_margin_updates"].append(close)
        log.info("rerank pass %d: %d updates (%d within the margin), best parse right on %d of %d", epoch + 1, updates, close,
                 top_right, len(visit))
    stats["rerank_seconds"] = time.perf_counter() - started
    return _with_bias(parser, bias.average(), parser.k)
