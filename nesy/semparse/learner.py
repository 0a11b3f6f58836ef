"""Learn a question -> program parser from (world, question, answer) triples, no programs given.

:func:`learn_parser` gets a typed DSL, and for each training question its words, its answer
and a way to bind its world (a scene) for the DSL's primitives. Five steps:

1. **Lexicon** (:mod:`~nesy.semparse.lexicon`): on the shortest questions with informative
   answers (not yes/no), the constant sets of small answer-consistent programs of the answer's
   type that read their world (a program whose value is the answer on every probe world, such as
   ``equal(red, red)``, explains nothing), and EM over them, say which words stand for which
   constants; EM again with the known words explained away adds words the first pass left out;
   words for constants still without one (relations) come from a search with the known
   constants and a wildcard on longer questions. A word of either pass stays only if its
   constant is :func:`~nesy.semparse.lexicon_search.needed` to explain its questions (a rare word
   that a coincidence of the training worlds pairs with a common constant is not: its questions are
   explained as well without it), so the relation-word search can give it its own constant.
2. **Candidates**: for each question with few enough lexicon words, every small *projective*
   program (:func:`~nesy.semparse.enumerate.consistent_programs` with ``ordered``) that uses
   exactly those words' constants and gives the answer on the question's world; each is read
   into grammar rules (:mod:`~nesy.semparse.grammar`).
3. **Agreement across questions** (:mod:`~nesy.semparse.agreement`): each rule is scored by
   the share of the questions its frame could stand in that it explains (a coincidence of one
   world explains few of them, the true reading nearly all), and each question keeps the
   candidate whose rules score best. Yes/no questions (one bit each, explained by coincidences
   most easily) then keep only candidates whose phrases the informative questions' readings
   confirmed (or that match them up to their connecting words, ``loose_confirm``), and choose
   again. (``selection="frequency"``: the earlier hard EM over rule counts.)
4. **Parse and verify** (self-training): every training question, long ones included, is parsed
   with the rules so far (:class:`~nesy.semparse.parser.ChartParser`, k best); of the parses
   whose program gives the answer on its world, the one whose rules score best is kept and the
   rules are counted again.
5. **Compose** (:mod:`~nesy.semparse.compose`): questions too long for step 2 or answered yes/no
   (first those that no parse of step 4 verified) are searched again over the phrases the
   grammar of step 4 reads (each span it parses offered as one piece, the words inside it read
   only that way), so only the few calls above them are
   searched and the constant limit does not bind (a second search keeps programs of another
   call structure apart even when their values coincide, ``compose_split_slack``); they join the
   question's candidates of step 2,
   and steps 3 and 4 run again. Calls without constants of their own around a phrase
   (``query_color(unique(...))``) are rules of their own (``wrappers``), so a phrase reads the
   same wherever it stands.

Nothing here knows a suite: words, constants, primitives and answers are the caller's.

Example:
    >>> from contextlib import nullcontext
    >>> from nesy.solvers.dsl.language import DSL
    >>> dsl = DSL("arith")
    >>> _ = dsl.primitive("add", ["int", "int"], "int", lambda a, b: a + b)
    >>> _ = dsl.primitive("mul", ["int", "int"], "int", lambda a, b: a * b)
    >>> words = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
    >>> for name, value in words.items():
    ...     _ = dsl.constant(name, "int", value)
    >>> examples = [Example(tuple(f"what is {a} plus {b} ?".split()), words[a] + words[b], nullcontext)
    ...             for a in words for b in words] + [
    ...            Example(tuple(f"what is {a} times {b} ?".split()), words[a] * words[b], nullcontext)
    ...             for a in words for b in words] + [
    ...            Example((a,), words[a], nullcontext) for a in words for _ in range(3)]
    >>> parser, stats = learn_parser(dsl, examples, LearnConfig(lexicon_examples=80))
    >>> parser.program(tuple("what is three times four ?".split()))
    'mul(three, four)'
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, ContextManager, Sequence

from nesy.errors import NesyError
from nesy.solvers.dsl.language import DSL

from .blind import blind_calls
from .compose import compose_step
from .enumerate import _same_answer, consistent_programs
from .agreement import Consistency, choose, confirmed
from .grammar import Rule, readings
from .idle import working_programs
from .lexicon import Lexicon, learn_lexicon
from .lexicon_search import extend_lexicon, informative, needed, probe_examples, refine_lexicon, world_dependent
from .parser import ChartParser
from .tree import Tree, evaluate, to_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Example:
    """One training question.

    Attributes:
        tokens: Its words.
        answer: The answer (compared with ``==`` and the same Python type).
        bind: Called around in-process runs to make the question's world visible to the DSL.
        answer_type: The DSL type of the answer, if the caller knows it (a count ``2`` is an
            ``int``, not an object that happens to have index 2); None accepts any type.
    """

    tokens: tuple[str, ...]
    answer: Any
    bind: Callable[[], ContextManager[Any]]
    answer_type: str | None = None


@dataclass(frozen=True)
class LearnConfig:
    """Search and EM settings.

    Attributes:
        lexicon_examples: Shortest questions used to learn the lexicon.
        lexicon_max_size: Largest program searched for them.
        lexicon_yes_no: Whether questions with a yes/no (``bool``) answer count for the lexicon
            (one bit each: most small programs give the same yes or no by coincidence).
        probes: Other worlds on which a lexicon candidate program is also run: one whose value is
            the answer on every one of them (``equal(red, red)``, ``red`` for "what color...")
            does not read its world and explains nothing. A program is undefined on many worlds
            (``unique`` of "the blue cube"), so these are many.
        extend_probes: Probe worlds of the search for words of missing constants (a wildcard
            fill must read its world on one of them). Fewer than ``probes``: with 64 the fills of
            coincidences also pass, and at hops 10k "behind" was no longer learned.
        extend_examples: Questions used to find words for constants the lexicon lacks.
        extend_known: Most lexicon words such a question may have.
        extend_max_size: Largest program searched for them.
        extend_rounds: Rounds of that search (each round's words open longer questions to the next).
        familiar_share: A word in at least this share of the lexicon questions (relative to the most
            common word) is familiar: a question searched for new constants needs an unfamiliar word.
        max_constants: Questions with more lexicon words are not searched (only parsed, step 4).
        max_searched: Most questions searched in step 2 (the first eligible ones; the rest are only parsed).
        max_size: Largest program searched in step 2.
        search_steps: Budget of one question's search, in calls run
            (``max_steps`` of :func:`~nesy.semparse.enumerate.consistent_programs`): the same on any
            machine, so what is learned does not depend on its speed or load.
        search_seconds: Wall-clock safety cap of one search (logged when hit; far above what
            ``search_steps`` takes, it only bounds a pathological search).
        max_candidates: Most candidate programs kept per question.
        slack: Candidates may be this many nodes larger than the smallest consistent program.
        em_iterations: Hard-EM iterations in step 3.
        rounds: Parse-and-verify rounds in step 4.
        k: Parses tried per question in step 4 (and kept per chart cell).
        selection: How step 3 keeps one candidate per question and step 4 one verified parse:
            ``consistency`` (rules scored by the share of questions they explain, see
            :mod:`~nesy.semparse.agreement`) or ``frequency`` (hard EM over rule counts, first verified parse).
        frequency: With ``consistency``: weight of the rules' relative frequency beside their consistency.
        match_roots: With ``consistency``: a rule's frame counts as applicable to every question it
            matches (:func:`~nesy.semparse.agreement.matches`), not only to those with a candidate of that frame.
        confirm: With ``consistency``: yes/no questions keep only candidates whose parts below the
            root were read in other questions' kept readings (:func:`~nesy.semparse.agreement.confirmed`).
        prior: With ``consistency``: pseudo-count of a rule's share (:class:`~nesy.semparse.agreement.Consistency`).
        base: With ``consistency``: the share a rule is taken to explain before it is seen.
        probe_worlds: Other questions' worlds on which step 2's search also runs each program, so
            that programs equal on the question's world by coincidence stay apart (0: none).
        compose: Whether step 5 runs: candidates searched over the phrases the grammar reads
            (:mod:`~nesy.semparse.compose`), then steps 3 and 4 again with them.
        compose_constants: Most lexicon words of a question searched in step 5.
        compose_searched: Most questions searched in step 5.
        compose_size: Largest program searched in step 5 (a phrase counts as one node).
        compose_per_span: Phrase readings offered per span and type (distinct values, best first).
        compose_split_slack: Step 5 also searches each question with ``distinct_splits`` (states
            with another call structure are kept even when their values coincide on the question's
            world, see :func:`~nesy.semparse.enumerate.consistent_programs`) and this ``slack``, and
            adds what it finds (None: not). At CLEVR iid 10k the true reading of a "both ... and ..."
            question was among the candidates of 639 training questions instead of 328 (a
            diagnostic count), for about 2.4 times the compose time.
        retype: The learned parser's cost of filling a hole with another label of its type
            (:class:`~nesy.semparse.parser.ChartParser`; None: only when nothing else parses).
        wrappers: Read calls without constants of their own around a description as rules of
            their own (``wrappers`` of :func:`~nesy.semparse.grammar.extract`).
        tops: With ``consistency``: the wrappers right below a whole question's rule are scored
            with it (``tops`` of :class:`~nesy.semparse.agreement.Consistency`).
        drop_idle: Steps 2 and 5 leave out candidates in which some words change nothing
            (:func:`~nesy.semparse.idle.idle_words`: ``union(scene(), X)`` soaking up ``X``'s words).
        blind_probes: Steps 2 and 5 leave out candidates with a call blind to its world, judged on
            this many other questions' worlds (:class:`~nesy.semparse.blind.BlindCalls`: the metal
            things among the rubber things are none on every world; 0: not checked).
        blind_min_defined: Fewest of those worlds on which a call must be defined to be judged.
        loose_confirm: With ``confirm``: a question that has candidates made of confirmed parts also
            keeps those whose other parts match a confirmed part up to its connecting words
            (``loose`` of :func:`~nesy.semparse.agreement.confirmed`).
    """

    lexicon_examples: int = 1000
    lexicon_max_size: int = 8
    lexicon_yes_no: bool = False
    probes: int = 64
    extend_probes: int = 16
    extend_examples: int = 250
    extend_known: int = 4
    extend_max_size: int = 10
    extend_rounds: int = 3
    familiar_share: float = 0.05
    max_constants: int = 6
    max_searched: int = 4000
    max_size: int = 24
    search_steps: int = 500_000
    search_seconds: float = 60.0
    max_candidates: int = 300
    slack: int = 6
    em_iterations: int = 5
    rounds: int = 2
    k: int = 4
    selection: str = "consistency"
    frequency: float = 0.0
    match_roots: bool = False
    confirm: bool = True
    prior: float = 1.0
    base: float = 0.5
    probe_worlds: int = 0
    compose: bool = True
    compose_constants: int = 14
    compose_searched: int = 4000
    compose_size: int = 14
    compose_per_span: int = 1
    compose_split_slack: int | None = 2
    retype: float | None = None
    wrappers: bool = True
    tops: bool = True
    drop_idle: bool = True
    loose_confirm: bool = True
    blind_probes: int = 0
    blind_min_defined: int = 8

    def limits(self, divide: int = 1) -> dict[str, Any]:
        """One search's budget as keyword arguments of :func:`~nesy.semparse.enumerate.consistent_programs`:
        ``search_steps`` calls (divided by ``divide``) and the wall-clock safety cap, starting now."""
        return {"max_steps": self.search_steps // divide, "deadline": time.monotonic() + self.search_seconds / divide}

    def __post_init__(self) -> None:
        if min(self.lexicon_examples, self.lexicon_max_size, self.max_size, self.max_candidates, self.k) < 1:
            raise NesyError("LearnConfig: sizes and counts must be >= 1")
        if self.selection not in ("consistency", "frequency"):
            raise NesyError(f"LearnConfig: selection must be 'consistency' or 'frequency', got {self.selection!r}")


@dataclass
class SemanticParser:
    """A learned lexicon and grammar.

    Attributes:
        lexicon: Word -> constant.
        constant_types: Constant -> DSL type.
        counts: Rule counts (the grammar).
        k: Parses kept per chart cell.
        relaxed: Whether :meth:`parse` retries unparsed questions with the chart's relaxations.
        retype: The chart's cost of filling a hole with another label of its type (None: only when relaxed).
    """

    lexicon: Lexicon
    constant_types: dict[str, str]
    counts: dict[Rule, float]
    k: int = 4
    relaxed: bool = True
    retype: float | None = None
    _chart: ChartParser | None = field(default=None, repr=False)
    _relaxed: ChartParser | None = field(default=None, repr=False)

    @property
    def chart(self) -> ChartParser:
        """The chart parser over :attr:`counts` (built once)."""
        if self._chart is None:
            self._chart = ChartParser(self.counts, k=self.k, retype=self.retype)
        return self._chart

    def lexical(self, tokens: Sequence[str]) -> list["tuple[str, str] | None"]:
        """For each word: (constant, type) if it is a lexicon word, else None."""
        out: list[tuple[str, str] | None] = []
        for w in tokens:
            c = self.lexicon.entries.get(w)
            out.append((c, self.constant_types[c]) if c is not None else None)
        return out

    def parses(self, tokens: Sequence[str]):
        """The k best parses (:class:`~nesy.semparse.parser.Parse`), best first."""
        return self.chart.parse(tokens, self.lexical(tokens))

    def parse(self, tokens: Sequence[str]) -> Tree | None:
        """The best program tree, or None when the question does not parse.

        A question that does not parse with the rules as learned is parsed again with the
        chart's relaxations (another label of the hole's type, a few left-out function words).
        """
        found = self.parses(tokens)
        if not found and self.relaxed:
            if self._relaxed is None:
                self._relaxed = ChartParser(self.counts, k=self.k, backoff=8.0, skip=3, retype=self.retype)
            found = self._relaxed.parse(tokens, self.lexical(tokens))
        return found[0].program if found else None

    def program(self, tokens: Sequence[str]) -> str | None:
        """The best program in call syntax, or None."""
        tree = self.parse(tokens)
        return to_text(tree) if tree is not None else None


def _runs_to(dsl: DSL, tree: Tree, example: Example) -> bool:
    try:
        with example.bind():
            return _same_answer(evaluate(dsl, tree), example.answer)
    except Exception:  # a primitive undefined on this world (a failed unique...)
        return False


def learn_parser(
    dsl: DSL, examples: Sequence[Example], config: LearnConfig | None = None, progress: Callable[[str, int, int], None] | None = None
) -> tuple[SemanticParser, dict[str, Any]]:
    """Learn lexicon and grammar from the examples (see the module docstring).

    Args:
        dsl: Monomorphic typed DSL whose constants the question words stand for.
        examples: Training questions with answers and worlds.
        config: Settings.
        progress: Called as ``progress(stage, done, total)`` now and then.

    Returns:
        The parser and statistics (seconds per step, questions searched/explained, grammar size).
    """
    config = config or LearnConfig()
    report = progress or (lambda stage, done, total: None)
    stats: dict[str, Any] = {"n": len(examples)}
    started = time.perf_counter()
    lexicon = lexicon_step(dsl, examples, config, report)
    stats["lexicon_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    candidates = candidate_step(dsl, examples, lexicon, config, report, stats)
    stats["search_seconds"] = time.perf_counter() - started
    parser, verified = grammar_step(dsl, examples, lexicon, candidates, config, report, stats)
    if config.compose:
        started = time.perf_counter()
        composed = compose_step(dsl, examples, parser, config, report, stats, verified)
        candidates = [old + [rules for rules in new if rules not in old] for old, new in zip(candidates, composed)]
        stats["compose_seconds"] = time.perf_counter() - started
        parser, _ = grammar_step(dsl, examples, lexicon, candidates, config, report, stats)
    return parser, stats


def lexicon_step(dsl: DSL, examples: Sequence[Example], config: LearnConfig, report: Callable[[str, int, int], None]) -> Lexicon:
    """Step 1: the lexicon (see the module docstring)."""
    types = {name: str(c.type) for name, c in dsl.constants.items()}
    order = informative(examples, config)[: config.lexicon_examples]
    probes = probe_examples(examples, config.probes)
    lexicon_data = []
    memo: dict[tuple[str, str, str], bool] = {}
    for n, i in enumerate(order):
        ex = examples[i]
        found = consistent_programs(dsl, ex.answer, max_size=config.lexicon_max_size, bind=ex.bind, answer_type=ex.answer_type,
                                    **config.limits())
        lexicon_data.append((list(ex.tokens), [(f, world_dependent(dsl, f, ex.answer, probes, memo)) for f in found]))
        if n % 200 == 0:
            report("lexicon", n, len(order))
    if not any(reads for _, found in lexicon_data for _, reads in found):
        probes = []  # the worlds do not differ (or there is one): every program may explain its question
    lexicon_data = [(tokens, [f.constants for f, reads in found if reads or not probes]) for tokens, found in lexicon_data]
    first = learn_lexicon(lexicon_data)
    lexicon = refine_lexicon(first, lexicon_data)
    for word in sorted(lexicon.entries):  # every word's constant must be needed to explain its questions
        if not needed(dsl, examples, lexicon, word, config):
            del lexicon.entries[word]
            lexicon.support.pop(word, None)
    familiar = Counter(w for tokens, _ in lexicon_data for w in set(tokens))
    probes = probe_examples(examples, config.extend_probes) if probes else []
    return extend_lexicon(dsl, examples, lexicon, types, config, report, probes, familiar)


def candidate_step(dsl: DSL, examples: Sequence[Example], lexicon: Lexicon, config: LearnConfig,
                   report: Callable[[str, int, int], None], stats: dict[str, Any]) -> list[list[list[Rule]]]:
    """Step 2: each searched question's candidate programs, read into rules (see the module docstring)."""
    types = {name: str(c.type) for name, c in dsl.constants.items()}
    returns = {name: str(p.return_type) for name, p in dsl.primitives.items()}
    parser = SemanticParser(lexicon, types, {}, k=config.k)
    worlds = [ex.bind for ex in probe_examples(examples, config.probe_worlds)] if config.probe_worlds else []
    blind = blind_calls(dsl, examples, config)
    candidates: list[list[list[Rule]]] = [[] for _ in examples]
    searched = 0
    for i, ex in enumerate(examples):
        lexical = parser.lexical(ex.tokens)
        positions = [p for p, lex in enumerate(lexical) if lex is not None]
        if len(positions) > config.max_constants or searched >= config.max_searched:
            continue
        searched += 1
        found = consistent_programs(
            dsl, ex.answer, max_size=config.max_size, constants=[lexical[p][0] for p in positions], bind=ex.bind,  # type: ignore[index]
            ordered=True, every=True, max_found=config.max_candidates, slack=config.slack, answer_type=ex.answer_type,
            **config.limits(),
            probes=[w for w in worlds if w is not ex.bind],
        )
        candidates[i] = readings(ex.tokens, positions, working_programs(dsl, found, ex.bind, config.drop_idle, blind), types, returns,
                                 config.wrappers)
        if i % 500 == 0:
            report("search", i, len(examples))
    stats["searched"] = searched
    stats["with_candidates"] = sum(1 for c in candidates if c)
    return candidates


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
    lexical = SemanticParser(lexicon, types, {}).lexical
    shapes = [[f"<{lex[1]}>" if lex else w for w, lex in zip(ex.tokens, lexical(ex.tokens))] for ex in examples]

    def consistency(candidates: Sequence[Sequence[Sequence[Rule]]]) -> Consistency:
        return Consistency.of(candidates, prior=config.prior, base=config.base,
                              questions=shapes if config.match_roots else None, tops=config.tops)

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
        for i, ex in enumerate(examples):
            right = [p for p in parser.parses(ex.tokens) if _runs_to(dsl, p.program, ex)]
            read[i] = bool(right)
            if right:
                verified += 1
                best = right[0] if config.selection == "frequency" else max(right, key=lambda p: table.score(p.rules) + config.frequency * p.score)
                new.update(best.rules)
            elif chosen[i]:
                new.update(chosen[i])
            if i % 500 == 0:
                report(f"verify round {round_ + 1}", i, len(examples))
        counts = new
        stats[f"verified_round_{round_ + 1}"] = verified / max(1, len(examples))
    stats["verify_seconds"] = time.perf_counter() - started
    parser = SemanticParser(lexicon, types, dict(counts), k=config.k, retype=config.retype)
    stats["rules"] = len(counts)
    stats["labels"] = len({r.label for r in counts})
    stats["lexicon_size"] = len(lexicon.entries)
    return parser, read
