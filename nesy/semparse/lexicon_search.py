"""The lexicon steps of :func:`~nesy.semparse.learner.learn_parser` that search programs.

Words for constants come from small answer-consistent programs: a program counts only if it reads
its world (:func:`world_dependent`: its value is not the answer on every probe world), the first EM
over short questions is refined with the known words explained away (:func:`refine_lexicon`), and
words for constants still without one (relations...) come from a search with the known constants
and one wildcard on longer questions (:func:`wildcard_fills`, :func:`extend_lexicon`). Nothing here
knows a suite.

Example:
    >>> from types import SimpleNamespace
    >>> questions = [SimpleNamespace(tokens=("a", "b", "c"), answer=3), SimpleNamespace(tokens=("x",), answer=True),
    ...              SimpleNamespace(tokens=("y",), answer=1)]
    >>> informative(questions, SimpleNamespace(lexicon_yes_no=False))
    [2, 0]
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, Any, Sequence

from nesy.solvers.dsl.language import DSL

from .enumerate import Found, _same_answer, consistent_programs
from .lexicon import Lexicon, learn_lexicon
from .tree import evaluate, from_found

if TYPE_CHECKING:
    from .learn_config import Example, LearnConfig

log = logging.getLogger(__name__)


def world_dependent(dsl: DSL, found: Found, answer: Any, probes: Sequence[Example],
                    memo: dict[tuple[str, str, str], bool] | None = None) -> bool:
    """Whether the program's value differs from the answer on some probe world (it reads its world).

    Without probes (worlds that do not differ) every program counts as reading its world. A world
    on which the program is undefined (a failed ``unique``) says nothing, so a program defined on
    few worlds (``the blue cube``) needs many probes to show that it reads its world.

    Args:
        dsl: The language.
        found: The program.
        answer: Its value on its own world.
        probes: The other worlds.
        memo: Verdicts already reached with these probes, by program and answer (filled in).
    """
    if not probes:
        return True
    key = (found.program, type(answer).__name__, repr(answer))
    if memo is not None and key in memo:
        return memo[key]
    tree = from_found(found)
    verdict = False
    for probe in probes:
        try:
            with probe.bind():
                value = evaluate(dsl, tree)
        except Exception:  # undefined there
            continue
        if not _same_answer(value, answer):
            verdict = True
            break
    if memo is not None:
        memo[key] = verdict
    return verdict


def informative(examples: Sequence[Example], config: LearnConfig) -> list[int]:
    """Indices of the questions the lexicon may learn from, shortest first."""
    usable = [i for i, ex in enumerate(examples) if config.lexicon_yes_no or type(ex.answer) is not bool]
    return sorted(usable, key=lambda i: len(examples[i].tokens))


def probe_examples(examples: Sequence[Example], n: int) -> list[Example]:
    """Up to ``n`` examples spread over the list (their worlds serve as probes)."""
    step = max(1, len(examples) // max(1, n))
    return list(examples[::step][:n])


def wildcard_fills(dsl: DSL, ex: Example, known: Sequence[str], config: LearnConfig, probes: Sequence[Example]) -> set[str]:
    """The constants that, with the known ones, explain the question: one search with a wildcard.

    A program must read its world (:func:`world_dependent`).
    """
    found = consistent_programs(dsl, ex.answer, max_size=config.extend_max_size, constants=[*known, None], bind=ex.bind,
                                answer_type=ex.answer_type, max_found=10_000, **config.limits())
    fills: set[str] = set()
    for f in found:
        new = [c for c, slot in zip(f.constants, f.slots) if slot == len(known)]
        if not set(new) <= fills and world_dependent(dsl, f, ex.answer, probes):
            fills.update(new)
    return fills


def refine_lexicon(lexicon: Lexicon, data: Sequence[tuple[list[str], list[tuple[str, ...]]]]) -> Lexicon:
    """Words the first EM left out, learned again with the known words explained away.

    Each question keeps the candidates that hold its known words' constants, less those; EM over
    its other words picks new words (only those most of whose occurrences one constant explains).
    """
    merged = Lexicon(dict(lexicon.entries), dict(lexicon.support), lexicon.best)
    reduced = []
    for tokens, cands in data:
        known = Counter(merged.entries[w] for w in tokens if w in merged.entries)
        rest = [tuple((Counter(c) - known).elements()) for c in cands if not known - Counter(c)]
        if rest and all(rest):
            reduced.append(([w for w in tokens if w not in merged.entries], rest))
    extra = learn_lexicon(reduced, min_share=0.6, min_count=3)
    if extra.entries:
        log.info("lexicon refined by %s", extra.entries)
    for w, c in extra.entries.items():
        merged.entries[w], merged.support[w] = c, extra.support[w]
    return merged


def extend_lexicon(
    dsl: DSL, examples: Sequence[Example], lexicon: Lexicon, types: dict[str, str], config: LearnConfig, report,
    probes: Sequence[Example] = (), familiar: Counter | None = None,
) -> Lexicon:
    """Words for the constants no word stands for yet (those of longer questions: relations...).

    In rounds: on the shortest informative questions with at most ``extend_known`` lexicon words,
    a search with those words' constants and one wildcard says which missing constants would
    explain the question (:func:`wildcard_fills`). EM over the non-lexicon words of the questions some
    missing constant explains picks the new words; a word is taken only if its constant explains
    at least three quarters of its questions and at most half as large a share of the others (a
    function word's or a coincidence's constant explains both alike), and one word per constant, the
    best explained (:func:`_compared`). When a single constant is
    missing, every such question offers it and there are no others to compare with: the EM's word
    whose questions it explains most above the scanned questions without the word (at least twice
    as often) is taken (:func:`_single_out`). Only questions with a word the shortest questions rarely
    use (in ``familiar``, fewer times than three and than ``familiar_share`` of the most common
    word's count, whichever is more) are searched: words for new constants come with longer questions. Each round's words make more questions searchable in the next.
    """
    merged = Lexicon(dict(lexicon.entries), dict(lexicon.support), lexicon.best)
    familiar = familiar if familiar is not None else Counter()
    common = max(3, config.familiar_share * max(familiar.values(), default=0))
    for round_ in range(config.extend_rounds):
        missing = set(dsl.constants) - set(merged.entries.values())
        if not missing:
            break
        data = []
        scanned = 0
        in_data: Counter = Counter()
        elsewhere: Counter = Counter()
        for i in informative(examples, config):
            if len(data) >= config.extend_examples:
                break
            ex = examples[i]
            known = [merged.entries[w] for w in ex.tokens if w in merged.entries]
            if len(known) > config.extend_known or not any(
                    w not in merged.entries and familiar[w] < common for w in ex.tokens):
                continue
            scanned += 1
            cands = [(c,) for c in wildcard_fills(dsl, ex, known, config, probes) & missing]
            if cands:
                data.append(([w for w in ex.tokens if w not in merged.entries], cands))
                in_data.update(set(ex.tokens))
            else:
                elsewhere.update(set(ex.tokens))
            if scanned % 50 == 0:
                report(f"lexicon (new constants, round {round_ + 1})", len(data), config.extend_examples)
        extra = learn_lexicon(data, threshold=0.7, min_count=5)
        offered = {x for _, cands in data for (x,) in cands}
        if len(offered) == 1:  # every question offers the one missing constant: the EM cannot weigh it against another
            added = _single_out(extra, offered.pop(), in_data, elsewhere, len(data), scanned)
        else:
            added = _compared(extra, data, missing, in_data, elsewhere, scanned)
        for w, (c, support) in added.items():
            merged.entries[w], merged.support[w] = c, support
        log.info("lexicon round %d: %d questions, new words %s", round_ + 1, len(data), {w: c for w, (c, _) in added.items()})
        if not added:
            break
    return merged


def _compared(extra: Lexicon, data: list, missing: set[str], in_data: Counter, elsewhere: Counter,
              scanned: int) -> dict[str, tuple[str, float]]:
    """The EM's new words (with constant and support) whose constant explains their questions more than the others'.

    One word per constant: where several pass, the one whose questions the constant explains most
    (Laplace-smoothed share, so a rare word's lucky few questions count for less) is taken. At iid
    50,000 "number" (9 questions, 8 explained by ``behind``) passed beside "behind" (28 of 28).

    Example:
        >>> extra = Lexicon({"behind": "behind", "number": "behind"}, {"behind": 1.0, "number": 1.0})
        >>> data = [(["behind"], [("behind",)])] * 28 + [(["number"], [("behind",)])] * 8 + [(["number"], [("left",)])]
        >>> data += [(["what"], [("left",)])] * 30 + [(["what"], [("front",)])] * 39
        >>> _compared(extra, data, {"behind", "left", "front"}, Counter(), Counter(), 100)
        {'behind': ('behind', 1.0)}
    """
    added: dict[str, tuple[str, float]] = {}
    smoothed: dict[str, float] = {}
    for w, c in extra.entries.items():
        with_w = [c in {x for (x,) in cands} for words, cands in data if w in words]
        without = [c in {x for (x,) in cands} for words, cands in data if w not in words]
        share = sum(with_w) / max(1, len(with_w))
        log.debug("candidate word %s -> %s: in %d/%d data, %d/%d elsewhere, explains %.2f with, %.2f without", w, c,
                  in_data[w], len(data), elsewhere[w], scanned - len(data), share, sum(without) / max(1, len(without)))
        if c in missing and without and share >= 0.75 and sum(without) / len(without) <= share / 2:  # else a function word or a coincidence
            added[w] = c, extra.support[w]
            smoothed[w] = (sum(with_w) + 1) / (len(with_w) + 2)
    best: dict[str, str] = {}  # constant -> its best word (the first in alphabetical order on a tie)
    for w in sorted(added):
        c = added[w][0]
        if c not in best or smoothed[w] > smoothed[best[c]]:
            best[c] = w
    return {w: added[w] for w in sorted(best.values())}


def _single_out(extra: Lexicon, constant: str, in_data: Counter, elsewhere: Counter, explained: int,
                scanned: int) -> dict[str, tuple[str, float]]:
    """The EM's word for the one missing constant that the constant explains most above the other questions.

    Every question of the data offers only this constant, so each of the EM's words is explained by
    it alike: the comparison is with the scanned questions it does not explain. The word whose questions
    are explained most often, at least twice as often as the questions without it, is taken (one word:
    the others are the function words of the same questions); none when no word is.
    """
    lifts = {w: _lift(in_data[w], elsewhere[w], explained, scanned) for w, c in extra.entries.items() if c == constant}
    for w, lift in lifts.items():
        log.debug("candidate word %s -> %s: in %d/%d data, %d/%d elsewhere, explained %.1f times as often as without it",
                  w, constant, in_data[w], explained, elsewhere[w], scanned - explained, lift)
    best = max(sorted(lifts), key=lifts.__getitem__, default=None)
    if best is None or lifts[best] < 2:
        return {}
    return {best: (constant, extra.support[best])}


def _lift(explained_with: int, unexplained_with: int, explained: int, scanned: int) -> float:
    """How many times as often the scanned questions with a word are explained as those without it.

    Example:
        >>> round(_lift(8, 8, 10, 100), 1)  # half of the word's 16 questions against 2 of the other 84
        14.3
        >>> _lift(10, 90, 10, 100)  # a word of every question
        0.0
    """
    others = scanned - explained_with - unexplained_with
    if others <= 0:  # a word of every question: nothing to compare with
        return 0.0
    rate_with = (explained_with + 1) / (explained_with + unexplained_with + 2)  # Laplace: a word of few questions proves little
    rate_without = (explained - explained_with + 1) / (others + 2)
    return rate_with / rate_without


def needed(dsl: DSL, examples: Sequence[Example], lexicon: Lexicon, word: str, config: LearnConfig, limit: int = 30) -> bool:
    """Whether the word's constant is needed to explain the informative questions that have the word.

    On up to ``limit`` such questions (shortest first), a projective search with the question's
    lexicon constants is run with and without the word's. An entry whose questions are explained
    as often without it (a constant that a program can apply twice, an idempotent filter, to
    soak up a function word: "material" -> ``small`` in "what material is the small ...") is not needed.
    """
    right = {True: 0, False: 0}
    tried = 0
    for i in informative(examples, config):
        ex = examples[i]
        if word not in ex.tokens:
            continue
        known = [(w, lexicon.entries[w]) for w in ex.tokens if w in lexicon.entries]
        if len(known) > config.max_constants:
            continue
        tried += 1
        for keep in (True, False):
            constants = [c for w, c in known if keep or w != word]
            right[keep] += bool(consistent_programs(
                dsl, ex.answer, max_size=config.max_size, constants=constants, bind=ex.bind, ordered=True, max_found=1,
                answer_type=ex.answer_type, **config.limits(divide=4)))
        if tried >= limit:
            break
    log.info("lexicon entry %r -> %r explains %d of %d questions, %d without it", word, lexicon.entries.get(word),
             right[True], tried, right[False])
    return right[True] - right[False] > 0.1 * tried
