"""Candidate readings built from phrases already read: search only the part above them.

A question with two described objects ("Is the big red cube the same colour as the small
sphere?") has too many words for a search from its constants alone: its program is large, and
yes/no answers are given by a great many smaller programs first. But its phrases have been read
before, in shorter questions: the grammar learned so far parses "big red cube" and "small sphere"
as sub-programs. :func:`phrase_atoms` offers every span of the question that the grammar parses
(at least ``min_words`` lexicon words, not the whole question) as one piece
(:class:`~nesy.semparse.enumerate.Atom`) to the search, which then only has to find the few calls
above them (``equal_color(query_color(unique(A)), query_color(unique(B)))``); what is found is
read into rules as any other candidate (:func:`~nesy.semparse.grammar.extract`), the phrases'
own rules included.

Nothing here knows a suite: phrases are whatever the learned grammar parses.

Example:
    >>> from nesy.solvers.dsl.language import DSL
    >>> from nesy.semparse.grammar import extract
    >>> from nesy.semparse.learner import SemanticParser
    >>> from nesy.semparse.lexicon import Lexicon
    >>> from nesy.semparse.tree import CONST, Tree
    >>> dsl = DSL("arith")
    >>> _ = dsl.primitive("add", ["int", "int"], "int", lambda a, b: a + b)
    >>> _ = dsl.primitive("mul", ["int", "int"], "int", lambda a, b: a * b)
    >>> for name, value in (("two", 2), ("three", 3), ("four", 4)):
    ...     _ = dsl.constant(name, "int", value)
    >>> types = {"two": "int", "three": "int", "four": "int"}
    >>> two = lambda i: Tree("two", (), CONST, i)
    >>> program = Tree("add", (Tree("mul", (two(0), two(1))), two(2)))
    >>> rules = extract("two times two plus two".split(), [0, 2, 4], program, types, {"mul": "int", "add": "int"})[1:]
    >>> parser = SemanticParser(Lexicon({w: w for w in types}), types, {rule: 1.0 for rule in rules})
    >>> tokens = "three times four plus two".split()
    >>> [(a.program, a.value) for a in phrase_atoms(dsl, parser, tokens, [0, 2, 4])]
    [('mul(three, four)', 12)]
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Sequence

from nesy.solvers.dsl.language import DSL

from .blind import blind_calls
from .enumerate import _FAILED, Atom, consistent_programs
from .fork_map import fork_map
from .grammar import ROOT, Rule, readings
from .idle import working_programs
from .parser import _Chart
from .tree import constants_of, evaluate, to_text

if TYPE_CHECKING:
    from .learn_config import Example, LearnConfig
    from .semantic_parser import SemanticParser

log = logging.getLogger(__name__)


def phrase_atoms(dsl: DSL, parser: SemanticParser, tokens: Sequence[str], positions: Sequence[int],
                 bind: Callable[[], ContextManager[Any]] | None = None, *, min_words: int = 2, per_span: int = 1,
                 probes: Sequence[Callable[[], ContextManager[Any]]] = ()) -> list[Atom]:
    """The spans of the question that the grammar parses, as search pieces with their values.

    Args:
        dsl: The language (its primitives compute the pieces' values).
        parser: The grammar learned so far (rules below the root are used).
        tokens: The question's words.
        positions: The word positions of its lexicon words (the search's required constants, in order).
        bind: Makes the question's world visible while the values are computed.
        min_words: Fewest lexicon words a span has (a single word is a constant already).
        per_span: Most pieces per span and type (its best parses with distinct values, over all labels).
        probes: Binders of other worlds, on which each piece's values are also computed.

    Returns:
        The pieces, each span's best first; spans whose parses fail on the world give none.
    """
    lexical = parser.lexical(tokens)
    chart = _Chart(parser.chart, list(tokens), lexical)
    labels = [label for label in parser.chart.rules if label != ROOT]
    atoms: list[Atom] = []
    index = {p: k for k, p in enumerate(positions)}
    with (bind() if bind else nullcontext()):
        for a in range(len(positions)):
            for b in range(a + min_words - 1, len(positions)):
                if a == 0 and b == len(positions) - 1:
                    continue
                parses = sorted((p for label in labels for p in chart.best(label, positions[a], positions[b] + 1)),
                                key=lambda p: -p.score)
                values: dict[str, set] = {}
                for parse in parses:
                    kind = parser.chart.types.get(parse.rules[0].label, "")
                    seen = values.setdefault(kind, set())
                    if len(seen) >= per_span:
                        continue
                    try:
                        value = evaluate(dsl, parse.program)
                        key = repr(value)
                    except Exception:  # undefined on this world (a failed unique)
                        continue
                    if key in seen:
                        continue
                    seen.add(key)
                    leaves = list(constants_of(parse.program))
                    atoms.append(Atom(to_text(parse.program), kind, value, a, b, tuple(c.name for c in leaves),
                                      tuple(index[c.index] for c in leaves), _elsewhere(dsl, parse.program, probes)))
    return atoms


def _elsewhere(dsl: DSL, program: Any, probes: Sequence[Callable[[], ContextManager[Any]]]) -> tuple[Any, ...]:
    out = []
    for probe in probes:
        try:
            with probe():
                out.append(evaluate(dsl, program))
        except Exception:
            out.append(_FAILED)
    return tuple(out)


def compose_step(dsl: DSL, examples: Sequence["Example"], parser: "SemanticParser", config: "LearnConfig",
                 report: Callable[[str, int, int], None], stats: dict[str, Any],
                 verified: Sequence[bool] | None = None) -> list[list[list[Rule]]]:
    """Each question's candidate readings searched over its phrases (:func:`phrase_atoms`), read into rules.

    Questions with at most ``config.compose_constants`` lexicon words are searched, at most
    ``config.compose_searched`` of them: first those the grammar so far does not read right
    (``verified[i]`` false: no parse gave the answer), then the others, and among each those
    answered yes/no first (a verified parse of a yes/no question may be a coincidence). They are
    picked among the first questions only, up to where the unread ones would pass
    ``config.compose_unread_share`` of the picks (``stats["compose_pool"]``: how many). With
    ``config.compose_split_slack`` each is searched a second time with ``distinct_splits`` (a
    reading whose sub-program has the value of another call structure on this world is still
    built) and what that finds is added.
    """
    types = {name: str(c.type) for name, c in dsl.constants.items()}
    returns = {name: str(p.return_type) for name, p in dsl.primitives.items()}
    candidates: list[list[list[Rule]]] = [[] for _ in examples]
    blind = blind_calls(dsl, examples, config)
    order = []
    unread_cap = None if config.compose_unread_share is None else config.compose_unread_share * config.compose_searched
    unread, pool = 0, len(examples)
    for i, ex in enumerate(examples):
        lexical = parser.lexical(ex.tokens)
        positions = [p for p, lex in enumerate(lexical) if lex is not None]
        if 2 <= len(positions) <= config.compose_constants:
            read = verified is not None and verified[i]
            unread += not read
            if unread_cap is not None and unread > unread_cap:
                pool = i  # the pool ends here: its unread questions leave the read ones their share of the picks
                break
            order.append(((read, type(ex.answer) is not bool), i, positions, lexical))
    stats["compose_pool"] = pool
    order.sort(key=lambda t: t[0])
    order = order[: config.compose_searched]

    def compose_one(n: int) -> list[list[Rule]] | None:
        """The readings of the n-th question in order (None: the grammar parses none of its phrases)."""
        _, i, positions, lexical = order[n]
        ex = examples[i]
        atoms = phrase_atoms(dsl, parser, ex.tokens, positions, ex.bind, per_span=config.compose_per_span)
        if not atoms:
            return None
        search = {"max_size": config.compose_size, "constants": [lexical[p][0] for p in positions], "bind": ex.bind,  # type: ignore[index]
                  "ordered": True, "every": True, "max_found": config.max_candidates, "answer_type": ex.answer_type, "atoms": atoms}
        found = consistent_programs(dsl, ex.answer, slack=config.slack, **search, **config.limits())
        if config.compose_split_slack is not None:
            texts = {f.program for f in found}
            found += [f for f in consistent_programs(dsl, ex.answer, slack=config.compose_split_slack, distinct_splits=True,
                                                     split_heads=config.compose_split_heads, **search,
                                                     **config.limits()) if f.program not in texts]
        return readings(ex.tokens, positions, working_programs(dsl, found, ex.bind, config.drop_idle, blind), types, returns,
                        config.wrappers)

    results = fork_map(compose_one, len(order), config.workers, progress=lambda done: report("compose", done, len(order)))
    searched = 0
    for (_, i, _, _), found in zip(order, results):
        if found is not None:
            searched += 1
            candidates[i] = found
    stats["composed"] = searched
    stats["composed_with_candidates"] = sum(1 for c in candidates if c)
    return candidates
