"""Which candidate reading of each question to keep: rules scored by how consistently they explain questions.

Each training question has candidate programs that give its answer on its own world, read into
grammar rules (:func:`~nesy.semparse.grammar.extract`). One of them is the question's reading;
the others are coincidences of its world. A coincidence is also frequent when the answers are
few: for a yes/no question about half of the small programs of the right shape give the answer,
so counting how often a rule occurs favours the rules that fit *anything*.

:class:`Consistency` asks a sharper question of each rule: of the questions on which a rule of
its *frame* (its label and words, holes left open) could stand, how many does it explain (has a
candidate that uses it)? The true reading of a frame explains nearly all of them; a coincidence
only its share of lucky worlds (a half for yes/no). A candidate is scored by the sum over its
rules of the log of that share (smoothed, so a rule seen once is not certain), and each question
keeps its best candidate (:func:`choose`).

Nothing here knows a suite: rules are whatever the caller read off its candidates.

Example:
    >>> from nesy.semparse.grammar import Rule
    >>> from nesy.semparse.tree import Tree, HOLE
    >>> same = Rule("^", ("same", "[x]", "?"), Tree("equal_a", (Tree(kind=HOLE, index=0),)))
    >>> less = Rule("^", ("same", "[x]", "?"), Tree("less", (Tree(kind=HOLE, index=0),)))
    >>> candidates = [[[same], [less]], [[same]], [[same], [less]], [[same]]] * 3  # 'less' fits half of them
    >>> table = Consistency.of(candidates)
    >>> round(table.share(same), 2), round(table.share(less), 2)
    (0.89, 0.46)
    >>> choose(candidates, table)[0] == [same]
    True
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from .grammar import ROOT, Rule, is_hole, is_slot


def frame(rule: Rule) -> tuple[bool, tuple[str, ...]]:
    """Whether the rule is a whole question's, and its words with its holes left open: where it could stand."""
    return rule.label == ROOT, tuple("[]" if is_hole(t) else t for t in rule.text)


def matches(items: Sequence[str], words: Sequence[str], whole: bool = True) -> bool:
    """Whether a frame's items cover all of ``words`` (lexicon words written as ``<type>``), or
    with ``whole`` false, a run of them.

    A word or ``<type>`` item matches itself; ``[]`` matches a run of words that starts and ends
    with a lexicon word (as the parser's holes do).

    Example:
        >>> matches(["how", "many", "[]", "?"], ["how", "many", "<color>", "things", "<shape>", "?"])
        True
        >>> matches(["how", "many", "[]", "?"], ["how", "many", "things", "?"])
        False
    """
    n, m = len(items), len(words)
    memo: dict[tuple[int, int], bool] = {}

    def go(a: int, b: int) -> bool:
        if a == n:
            return b == m or not whole
        if b >= m or (a, b) in memo:
            return memo.get((a, b), False)
        item = items[a]
        if item != "[]":
            found = item == words[b] and go(a + 1, b + 1)
        else:
            found = is_slot(words[b]) and any(is_slot(words[e]) and go(a + 1, e + 1) for e in range(b, m - (n - a - 1)))
        memo[(a, b)] = found
        return found

    return any(go(0, b) for b in (range(m) if not whole else (0,)))


def skeleton(rule: Rule) -> tuple[tuple[str, ...], str]:
    """The rule without its words: its slots and labelled holes in order, and its program fragment.

    Example:
        >>> from nesy.semparse.tree import Tree, HOLE
        >>> skeleton(Rule("f", ("<c>", "things", "that", "are", "[r]"), Tree("f", (Tree(kind=HOLE, index=0),))))
        (('<c>', '[r]'), 'f(@0)')
    """
    return tuple(t for t in rule.text if is_hole(t) or is_slot(t)), rule.fragment_text


def _words(rule: Rule) -> set[str]:
    return {t for t in rule.text if not is_hole(t) and not is_slot(t)}


def key(rule: Rule) -> tuple[tuple[bool, tuple[str, ...]], str]:
    """The rule up to the labels of its holes: its frame and its program fragment."""
    return frame(rule), rule.fragment_text


def is_wrapper(rule: Rule) -> bool:
    """Whether the rule is a call wrapped around one phrase (its text one hole, no words)."""
    return len(rule.text) == 1 and is_hole(rule.text[0])


def keys_of(rules: Sequence[Rule], tops: bool = True, inner: bool = False) -> list[tuple[tuple[bool, tuple[str, ...]], str]]:
    """The keys one reading is scored by: each rule's :func:`key`, but a wrapper (:func:`is_wrapper`)
    has no words to be consistent with and no key of its own; the wrappers right below the whole
    question's rule join its fragment (``equal_color(@0, @1)`` with ``query_color(unique(@0))``
    twice), so a reading is kept for its whole top, not for a root that fits with any wrappers
    (with ``tops`` false they are left out only). With ``inner``, the wrappers right below every
    other rule join its fragment too: "<material> things that have the same shape as [x]" read as
    ``filter_material(@0, $0)`` around ``same_shape(unique(@0))`` is then another key than the
    same rule around the bare description, which says the phrase is that description's.

    Example:
        >>> from nesy.semparse.tree import Tree, HOLE
        >>> hole = Tree(kind=HOLE, index=0)
        >>> root = Rule(ROOT, ("is", "[q]", "?"), Tree("exist", (hole,)))
        >>> [k[1] for k in keys_of([root, Rule("q", ("[f]",), Tree("count", (hole,))), Rule("f", ("<c>",), Tree("f"))])]
        ['exist(@0) | count(@0)', 'f()']
        >>> phrase = Rule("g", ("<c>", "like", "[s]"), Tree("g", (hole,)))
        >>> same = [phrase, Rule("s", ("[f]",), Tree("same", (hole,))), Rule("f", ("<c>",), Tree("f"))]
        >>> [k[1] for k in keys_of(same)], [k[1] for k in keys_of(same, inner=True)]
        (['g(@0)', 'f()'], ['g(@0) | same(@0)', 'f()'])
    """
    joined: dict[int, list[str]] = {}
    used: set[int] = set()
    for k, rule in enumerate(rules):
        if is_wrapper(rule) or not (tops if rule.label == ROOT else inner):
            continue
        wanted = list(rule.holes)
        for j, other in enumerate(rules):
            if j != k and j not in used and is_wrapper(other) and other.label in wanted:
                wanted.remove(other.label)
                used.add(j)
                joined.setdefault(k, []).append(other.fragment_text)
    out = []
    for k, rule in enumerate(rules):
        if is_wrapper(rule):
            continue
        key_ = key(rule)
        if k in joined:
            key_ = (key_[0], key_[1] + " | " + " ".join(sorted(joined[k])))
        out.append(key_)
    return out


@dataclass
class Consistency:
    """Per rule (:func:`key`), the questions it explains; per :func:`frame`, those it could stand in.

    Attributes:
        explained: Questions with a candidate that uses a rule of this key.
        applicable: Questions with a candidate that uses a rule of this frame.
        prior: Pseudo-count of the smoothing: ``prior`` unseen questions, of which the rule explains ``base``.
        base: The share a rule is taken to explain before it is seen (low: a rule must earn its share).
        tops: Whether the wrappers right below a whole question's rule join its key (:func:`keys_of`).
        inner: Whether the wrappers right below every other rule join its key too.
    """

    explained: Counter = field(default_factory=Counter)
    applicable: Counter = field(default_factory=Counter)
    prior: float = 2.0
    base: float = 0.2
    tops: bool = True
    inner: bool = False

    @classmethod
    def of(cls, candidates: Sequence[Sequence[Sequence[Rule]]], weights: Sequence[float] | None = None,
           prior: float = 2.0, base: float = 0.2, questions: Sequence[Sequence[str]] | None = None,
           tops: bool = True, inner: bool = False) -> "Consistency":
        """Count over each question's candidates (each question counts once per key and frame, times its weight).

        With ``questions`` (``questions[i]``: question i's words, a lexicon word written as its
        ``<type>``), a frame is applicable to every searched question it matches (:func:`matches`:
        the whole question for a whole question's rule, a run of it for the others), not only to
        those with a candidate of that frame: a frame that a coincidence made up ("[] objects
        than <size>") is then tried on all the questions it fits.
        """
        table = cls(prior=prior, base=base, tops=tops, inner=inner)
        roots: set = set()
        for i, cands in enumerate(candidates):
            if not cands:
                continue
            w = 1.0 if weights is None else weights[i]
            keys = {k for rules in cands for k in keys_of(rules, tops, inner)}
            for k in keys:
                table.explained[k] += w
            for f in {k[0] for k in keys}:
                if questions is not None:
                    roots.add(f)
                else:
                    table.applicable[f] += w
        if questions is not None:
            searched = [(i, tuple(questions[i])) for i, cands in enumerate(candidates) if cands]
            by_word: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
            for i, words in searched:
                for word in set(words):
                    by_word.setdefault(word, []).append((i, words))
            for f in roots:
                literal = [t for t in f[1] if t != "[]"]
                pool = min((by_word.get(t, []) for t in literal), key=len) if literal else searched
                for i, words in pool:
                    if matches(f[1], words, whole=f[0]):
                        table.applicable[f] += 1.0 if weights is None else weights[i]
        return table

    def share(self, rule: Rule) -> float:
        """Smoothed share of the questions its frame could stand in that the rule explains."""
        return self.share_of(key(rule))

    def share_of(self, k: tuple[tuple[bool, tuple[str, ...]], str]) -> float:
        """:meth:`share` of a key (:func:`keys_of`)."""
        return (self.explained[k] + self.base * self.prior) / (self.applicable[k[0]] + self.prior)

    def score(self, rules: Sequence[Rule]) -> float:
        """Sum over the reading's keys (:func:`keys_of`) of the log of their share."""
        return sum(math.log(self.share_of(k)) for k in keys_of(rules, self.tops, self.inner))


def choose(candidates: Sequence[Sequence[Sequence[Rule]]], table: Consistency, frequency: float = 1.0,
           iterations: int = 5) -> list[list[Rule] | None]:
    """Each question's best candidate: :meth:`Consistency.score` plus ``frequency`` times the log
    relative frequency of its rules among the kept candidates (hard EM for ``iterations`` rounds;
    the first counts share each question among its candidates)."""
    counts: Counter = Counter()
    for cands in candidates:
        for rules in cands:
            for r in rules:
                counts[r] += 1.0 / len(cands)
    chosen: list[list[Rule] | None] = [None] * len(candidates)
    for _ in range(max(1, iterations) if frequency else 1):
        totals: Counter = Counter()
        for r, n in counts.items():
            totals[r.label] += n

        def score(rules: Sequence[Rule]) -> float:
            return table.score(rules) + frequency * sum(math.log((counts[r] + 0.1) / (totals[r.label] + 1.0)) for r in rules)

        chosen = [max(cands, key=score) if cands else None for cands in candidates]
        counts = Counter(r for rules in chosen if rules for r in rules)
    return chosen


def confirmed(candidates: Sequence[Sequence[Sequence[Rule]]], chosen: Sequence[Sequence[Rule] | None],
              trusted: Sequence[bool], loose: bool = False) -> list[list[list[Rule]]]:
    """Candidates whose parts have been seen in a trusted question's reading.

    The frames (:func:`frame`) of the rules below the root in the readings ``chosen`` for the
    ``trusted`` questions (those whose answers few programs give by chance: counts, attribute
    values) are confirmed. Every other question keeps only its candidates made of confirmed parts
    and any root (if it has such a candidate; else all of them): a yes/no question, explained by
    coincidences most easily, must be read with the phrases the informative questions taught.

    With ``loose``, a question that has such a candidate also keeps those whose other parts differ
    from a confirmed part only in their connecting words: the same :func:`skeleton` (slots, holes,
    fragment) and no word that the confirmed parts of that skeleton lack. "Are there any red
    things *that are* left of the cube?" is then read with the phrase of "How many red things are
    left of the cube?", not only as a coincidence of the bare phrases ("red things", "left of the
    cube") that the counting questions confirmed too.

    Example:
        >>> from nesy.semparse.grammar import Rule
        >>> from nesy.semparse.tree import Tree
        >>> root, good, odd = Rule("^", ("[a]",), Tree("f")), Rule("a", ("<t>",), Tree("g")), Rule("a", ("<t>", "x", "<t>"), Tree("h"))
        >>> confirmed([[[root, good]], [[root, odd], [root, good]]], [[root, good], None], [True, False])[1] == [[root, good]]
        True
        >>> said, near, far = (Rule("a", tuple(w.split()), Tree("g")) for w in ("<t> x y", "<t> y", "<t> z"))
        >>> asked = [[[root, said]], [[root, said], [root, near], [root, far]]]
        >>> [len(confirmed(asked, [[root, said], None], [True, False], loose)[1]) for loose in (False, True)]
        [1, 2]
    """
    parts = [r for rules, ok in zip(chosen, trusted) if ok and rules for r in rules if r.label != ROOT]
    frames = {frame(r) for r in parts}
    words: dict[tuple[tuple[str, ...], str], set[str]] = {}
    for r in parts if loose else ():
        words.setdefault(skeleton(r), set()).update(_words(r))

    def known(r: Rule) -> bool:
        seen = words.get(skeleton(r))
        return frame(r) in frames or (seen is not None and _words(r) <= seen)

    out = []
    for cands, ok in zip(candidates, trusted):
        kept = [rules for rules in cands if all(r.label == ROOT or frame(r) in frames for r in rules)]
        if kept and loose:
            kept = [rules for rules in cands if all(r.label == ROOT or known(r) for r in rules)]
        out.append(list(cands) if ok or not kept else kept)
    return out
