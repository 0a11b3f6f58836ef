"""Rules for wordings never seen whole, by analogy with the kept rules (before step 6).

A kept rule stands for one wording: "what number of other things that have the same color as
the [same_color.unique] thing are there ?" teaches nothing about "how many other objects that
...". But the grammar itself shows which runs of words are interchangeable: two kept rules with
the same label and fragment whose texts differ only in one run of words (``how many`` /
``what number of``, ``things`` / ``objects``, ``object ?`` / ``?``) are a *minimal pair*, and a
pair of runs seen in at least ``min_evidence`` such pairs is a *substitution*.
:func:`analogous_rules` applies every substitution to every kept rule once; the new rules keep
their source's label and fragment and get a small share of its weight (at most ``share`` of each
label's kept weight in all), so they only matter where no kept rule reads a question. Step 6
(:mod:`~nesy.semparse.rerank`) then weighs them against the kept rules on the answers.

Nothing here knows a suite: only the kept rules' words and fragments decide.

Example:
    >>> from nesy.semparse.tree import HOLE, Tree
    >>> def root(text, name):
    ...     return Rule("^", tuple(text.split()), Tree(name, (Tree(kind=HOLE, index=0),)))
    >>> kept = {root("how many [f] are there ?", "count"): 5.0, root("what number of [f] are there ?", "count"): 5.0,
    ...         root("how many [f] are left ?", "count"): 5.0, root("what number of [f] are left ?", "count"): 5.0,
    ...         root("how many [f] are visible ?", "count"): 5.0}
    >>> new = analogous_rules(kept, share=0.1)
    >>> [" ".join(r.text) for r in new]
    ['what number of [f] are visible ?']
    >>> round(sum(new.values()), 2)
    2.5
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable, Iterator, Mapping, Sequence

from .grammar import Rule, is_hole, is_slot

__all__ = ["substitutions", "analogous_rules"]

Words = tuple[str, ...]


def _runs(text: Words, max_len: int) -> Iterator[tuple[int, int]]:
    """Runs ``(i, j)`` of at most ``max_len`` literal words of a rule text, the empty run at every gap included."""
    for i in range(len(text) + 1):
        yield i, i
        for j in range(i + 1, min(len(text), i + max_len) + 1):
            if is_hole(text[j - 1]) or is_slot(text[j - 1]):
                break
            yield i, j


def substitutions(rules: Mapping[Rule, float] | set[Rule], max_len: int = 4, min_evidence: int = 2) -> dict[Words, list[Words]]:
    """Runs of words interchangeable in the rules: each run's substitutes (see the module docstring).

    Args:
        rules: The kept rules.
        max_len: Longest run replaced.
        min_evidence: Minimal pairs needed for a substitution.

    Example:
        >>> from nesy.semparse.tree import Tree
        >>> rules = {Rule("a", tuple(t.split()), Tree("f")) for t in ("big box", "large box", "big cup", "large cup")}
        >>> substitutions(rules, min_evidence=2)[("big",)]
        [('large',)]
    """
    contexts: dict[tuple, set[Words]] = defaultdict(set)
    for rule in rules:
        for i, j in _runs(rule.text, max_len):
            contexts[rule.label, rule.fragment, rule.text[:i], rule.text[j:]].add(rule.text[i:j])
    evidence: Counter = Counter()
    for runs in contexts.values():
        if len(runs) > 1:
            for a in runs:
                for b in runs:
                    if a != b:
                        evidence[a, b] += 1
    table: dict[Words, list[Words]] = defaultdict(list)
    for (a, b), n in sorted(evidence.items()):
        if n >= min_evidence:
            table[a].append(b)
    return dict(table)


def analogous_rules(counts: Mapping[Rule, float], share: float = 0.002, max_len: int = 4, min_evidence: int = 2,
                    questions: Iterable[Sequence[str]] | None = None) -> dict[Rule, float]:
    """New rules: each kept rule with one non-empty run of words replaced by a substitute.

    Args:
        counts: The kept rules and their weights.
        share: The new rules of a label weigh at most this share of its kept rules' weight in
            all; each one's weight is proportional to its source's (the best source where several
            give it).
        max_len: Longest run replaced.
        min_evidence: Minimal pairs needed for a substitution.
        questions: If given, questions as the rules see them (lexicon words written ``<type>``):
            a new rule is kept only if each of its pieces (its words and slots between holes)
            occurs in one of them, so no rule is made for words never seen together.

    Returns:
        The new rules (none of them kept already) and their weights.
    """
    table = substitutions(counts, max_len, min_evidence)
    made: dict[Rule, float] = {}
    for rule, n in counts.items():
        for i, j in _runs(rule.text, max_len):
            if i == j:
                continue  # inserting words anywhere would multiply the rules for little
            for run in table.get(rule.text[i:j], ()):
                text = rule.text[:i] + run + rule.text[j:]
                new = Rule(rule.label, text, rule.fragment, rule.type)
                if text and new not in counts and n > made.get(new, 0.0):
                    made[new] = n
    if questions is not None:
        made = _seen_in(made, questions)
    kept: Counter = Counter()
    for rule, n in counts.items():
        kept[rule.label] += n
    total: Counter = Counter()
    for rule, n in made.items():
        total[rule.label] += n
    return {rule: n * min(1.0, share * kept[rule.label] / total[rule.label]) for rule, n in made.items()}


def _pieces(text: Words) -> Iterator[Words]:
    """A rule text's maximal runs of words and slots (its holes split them)."""
    run: list[str] = []
    for item in text:
        if is_hole(item):
            if run:
                yield tuple(run)
            run = []
        else:
            run.append(item)
    if run:
        yield tuple(run)


def _seen_in(made: dict[Rule, float], questions: Iterable[Sequence[str]]) -> dict[Rule, float]:
    """The rules each of whose pieces occurs (as a run) in one of the questions."""
    wanted: dict[int, set[Words]] = defaultdict(set)
    for rule in made:
        for piece in _pieces(rule.text):
            wanted[len(piece)].add(piece)
    seen: set[Words] = set()
    for question in questions:
        words = tuple(question)
        for n, pieces in wanted.items():
            for i in range(len(words) - n + 1):
                if words[i:i + n] in pieces:
                    seen.add(words[i:i + n])
    return {rule: n for rule, n in made.items() if all(piece in seen for piece in _pieces(rule.text))}
