"""Learn a question -> program parser from (world, question, answer) triples, no programs given.

:func:`learn_parser` gets a typed DSL, and for each training question its words, its answer
and a way to bind its world (a scene) for the DSL's primitives. Six steps, and a seventh on request:

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
6. **Analogy and rerank**: the kept rules' minimal pairs (two rules alike but for one run of
   words: ``how many`` / ``what number of``) give rules for wordings never seen whole
   (:mod:`~nesy.semparse.analogy`, a small share of the weight); then
   (:mod:`~nesy.semparse.rerank`) every training question is parsed again and its
   parses run; where the best one misses the answer and another gives it, the rules' weights
   move toward the answering parse (an averaged perceptron), so coincidences that were kept
   often lose to the reading that is never wrong.
7. **Neural reader** (optional, ``neural_epochs``; :mod:`~nesy.semparse.neural_reader`): a small
   encoder-decoder trained on each training question's answer-verified parse learns what words
   contribute wherever they stand; it also proposes programs of its own (beam search), which join
   its training data where they give the answer, and it chooses among the grammar's k best parses
   and its own proposals.

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

import dataclasses
import logging
import time
from collections import Counter
from typing import Any, Callable, Sequence

from nesy.solvers.dsl.language import DSL

from .analogy import analogous_rules
from .blind import blind_calls
from .compose import compose_step
from .enumerate import consistent_programs
from .fork_map import fork_map
from .grammar import Rule, readings
from .idle import working_programs
from .learn_config import Example, LearnConfig
from .lexicon import Lexicon, learn_lexicon
from .lexicon_search import extend_lexicon, informative, needed, probe_examples, refine_lexicon, world_dependent
from .neural_reader import neural_step
from .rerank import rerank_step
from .selection import grammar_step
from .semantic_parser import SemanticParser

__all__ = ["Example", "LearnConfig", "SemanticParser", "learn_parser", "lexicon_step", "candidate_step", "grammar_step"]

log = logging.getLogger(__name__)


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
        stats["verified_before_compose"] = sum(verified) / max(1, len(examples))  # step 4 overwrites verified_round_*
        started = time.perf_counter()
        composed = compose_step(dsl, examples, parser, config, report, stats, verified)
        candidates = [old + [rules for rules in new if rules not in old] for old, new in zip(candidates, composed)]
        stats["compose_seconds"] = time.perf_counter() - started
        parser, _ = grammar_step(dsl, examples, lexicon, candidates, config, report, stats)
    if config.analogy_share > 0:
        started = time.perf_counter()
        seen = (parser.shape(ex.tokens) for ex in examples)
        made = analogous_rules(parser.counts, config.analogy_share, config.analogy_max_len, config.analogy_evidence, seen)
        parser = dataclasses.replace(parser, counts={**parser.counts, **made}, _chart=None, _relaxed=None)
        stats["analogy_rules"] = len(made)
        stats["analogy_seconds"] = time.perf_counter() - started
    if config.rerank_epochs:
        parser = rerank_step(dsl, examples, parser, config, report, stats)
    if config.neural_epochs:
        reader = neural_step(dsl, examples, parser, config, report, stats)
        if reader is not None:
            parser = dataclasses.replace(parser, k=config.neural_k, reader=reader, _chart=None, _relaxed=None)
    return parser, stats


def lexicon_step(dsl: DSL, examples: Sequence[Example], config: LearnConfig, report: Callable[[str, int, int], None]) -> Lexicon:
    """Step 1: the lexicon (see the module docstring)."""
    types = {name: str(c.type) for name, c in dsl.constants.items()}
    order = informative(examples, config)[: config.lexicon_examples]
    probes = probe_examples(examples, config.probes)
    memo: dict[tuple[str, str, str], bool] = {}  # each worker's own

    def explain(n: int) -> tuple[list[str], list]:
        ex = examples[order[n]]
        found = consistent_programs(dsl, ex.answer, max_size=config.lexicon_max_size, bind=ex.bind, answer_type=ex.answer_type,
                                    **config.limits())
        return list(ex.tokens), [(f, world_dependent(dsl, f, ex.answer, probes, memo)) for f in found]

    lexicon_data = fork_map(explain, len(order), config.workers, progress=lambda done: report("lexicon", done, len(order)))
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
    chosen: list[tuple[int, list[int], list]] = []  # (question, its lexicon word positions, their constants), in order
    for i, ex in enumerate(examples):
        if len(chosen) >= config.max_searched:
            break
        lexical = parser.lexical(ex.tokens)
        positions = [p for p, lex in enumerate(lexical) if lex is not None]
        if len(positions) <= config.max_constants:
            chosen.append((i, positions, [lexical[p][0] for p in positions]))  # type: ignore[index]

    def search_one(n: int) -> list[list[Rule]]:
        i, positions, constants = chosen[n]
        ex = examples[i]
        found = consistent_programs(
            dsl, ex.answer, max_size=config.max_size, constants=constants, bind=ex.bind,
            ordered=True, every=True, max_found=config.max_candidates, slack=config.slack, answer_type=ex.answer_type,
            **config.limits(),
            probes=[w for w in worlds if w is not ex.bind],
        )
        return readings(ex.tokens, positions, working_programs(dsl, found, ex.bind, config.drop_idle, blind), types, returns,
                        config.wrappers)

    results = fork_map(search_one, len(chosen), config.workers, progress=lambda done: report("search", done, len(chosen)))
    candidates: list[list[list[Rule]]] = [[] for _ in examples]
    for (i, _, _), found in zip(chosen, results):
        candidates[i] = found
    stats["searched"] = len(chosen)
    stats["with_candidates"] = sum(1 for c in candidates if c)
    return candidates


