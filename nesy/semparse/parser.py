"""A chart parser over learned rules: question words -> the k most probable programs.

Rules (:mod:`~nesy.semparse.grammar`) are scored by their relative frequency among the rules of
their label, ``log(count(rule) / count(label))``, and a parse by the sum over its rules. The
parser works top-down with a memo per (label, span): a rule matches a span when its words
match, each ``<type>`` slot falls on a lexicon word of that type, and each ``[label]`` hole
covers a sub-span that starts and ends on lexicon words (as spans do when rules are read off)
and parses as that label. For questions that parse no other way, two relaxations (each with a
cost): when no rule of the hole's label covers the sub-span, rules of other labels of the same
type may (``backoff``), which is how a category met in one position is used in another; and a
hole may leave out up to ``skip`` function words before its span, where some rule has that run of
words standing right before one of its holes (a *lead-in*: the rule of "what size is the object
that is to the [...] ?", read off a one-hop question, lets "right of the object that is to the
right of the cube" be read as a relation of a relation).

Example:
    >>> from nesy.semparse.grammar import extract
    >>> from nesy.semparse.tree import CONST, Tree, to_text
    >>> red = lambda i: Tree("red", (), CONST, i)
    >>> program = Tree("count", (Tree("filter", (Tree("scene"), red(0))),))
    >>> rules = extract("how many red things ?".split(), [2], program, {"red": "color", "blue": "color"})
    >>> parser = ChartParser({rule: 1.0 for rule in rules})
    >>> words = "how many blue things ?".split()
    >>> lexical = [None, None, ("blue", "color"), None, None]
    >>> [to_text(p.program) for p in parser.parse(words, lexical)]
    ['count(filter(scene(), blue))']
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping, Sequence

from .grammar import ROOT, Rule, is_hole, is_slot
from .tree import CONST, HOLE, SLOT, Tree, fill, to_text

Lexical = "tuple[str, str] | None"


@dataclass(frozen=True)
class Parse:
    """One parse of a span.

    Attributes:
        score: Sum of the rules' log-probabilities (less backoff costs).
        program: The program tree (constants carry the word position as ``index``).
        rules: The rules used, root first.
    """

    score: float
    program: Tree
    rules: tuple[Rule, ...]
    text: str = ""  #: ``to_text(program)``, built with the parse (empty where a caller left it out)

    @property
    def program_text(self) -> str:
        """The program in call syntax (:attr:`text`, or built when a caller left it out)."""
        return self.text or to_text(self.program)


def distinct_parses(parses: Iterable[Parse]) -> list[Parse]:
    """The first (best) parse of each distinct program, in order.

    Example:
        >>> a, b = Parse(-1.0, Tree("x"), ()), Parse(-2.0, Tree("x"), ())
        >>> distinct_parses([a, b, Parse(-3.0, Tree("y"), ())])[1].program_text
        'y()'
    """
    seen: dict[str, Parse] = {}
    for parse in parses:
        seen.setdefault(parse.program_text, parse)
    return list(seen.values())


class ChartParser:
    """k-best top-down chart parsing with rule counts as weights.

    Args:
        counts: How often each rule was seen (or its weight).
        k: Parses kept per label and span.
        backoff: Cost of filling a hole with another label of the same type (None: never).
        skip: Most words (none of them lexicon words) a hole may leave out before its span; only
            runs that stand right before a hole in some rule (:func:`lead_ins`) are left out.
        skip_cost: Cost of each word left out.
        max_steps: Rule matches tried per question (rules whose words and first item fit a span)
            before giving up (keeps bad cases bounded).
        retype: Cost of filling a hole with another label of the same type, tried always beside
            the hole's own label (None: only as ``backoff``, when the own label has no parse).
        bias: Added to a rule's log-probability (weights learned from answers,
            :mod:`~nesy.semparse.rerank`); a rule without one gets 0.
    """

    def __init__(
        self, counts: Mapping[Rule, float], *, k: int = 3, backoff: float | None = None, skip: int = 0, skip_cost: float = 4.0,
        max_steps: int = 20_000, retype: float | None = None, bias: Mapping[Rule, float] | None = None,
    ) -> None:
        self.k, self.backoff, self.max_steps, self.skip, self.skip_cost = k, backoff, max_steps, skip, skip_cost
        self.retype = retype
        self.lead_ins = lead_ins(rule for rule, n in counts.items() if n > 0) if skip else frozenset()  # the rules the chart uses
        bias = bias or {}
        totals: dict[str, float] = defaultdict(float)
        for rule, n in counts.items():
            if n > 0:
                totals[rule.label] += n
        self.rules: dict[str, list[tuple[Rule, float, frozenset, tuple]]] = defaultdict(list)
        self.types: dict[str, str] = {}
        self._logp: dict[Rule, float] = {}  # before any bias
        for rule, n in counts.items():
            if n > 0:
                words = frozenset(t for t in rule.text if not is_hole(t) and not is_slot(t))
                self._logp[rule] = math.log(n / totals[rule.label])
                self.rules[rule.label].append((rule, self._logp[rule] + bias.get(rule, 0.0), words, _template(rule.fragment)))
                self.types[rule.label] = rule.type
        #: per label, its rules by their first item (a word, a ``<type>`` slot, ``[]`` for a hole), with their order
        self.starts: dict[str, dict[str, list[tuple[int, tuple[Rule, float, frozenset, tuple]]]]] = {}
        self._where: dict[Rule, tuple[str, int, str, int]] = {}  # label, place in rules[label], first item, place in starts
        for label, entries in self.rules.items():
            index: dict[str, list[tuple[int, tuple[Rule, float, frozenset, tuple]]]] = defaultdict(list)
            for n, entry in enumerate(entries):
                first = "[]" if is_hole(entry[0].text[0]) else entry[0].text[0]
                self._where[entry[0]] = (label, n, first, len(index[first]))
                index[first].append((n, entry))
            self.starts[label] = dict(index)
        self.by_type: dict[str, list[str]] = defaultdict(list)
        for label, t in self.types.items():
            if label != ROOT:
                self.by_type[t].append(label)

    def reweigh(self, bias: Mapping[Rule, float]) -> None:
        """Give the rules in ``bias`` that bias instead of their own, in place: the chart then scores
        exactly as one built with the merged bias, without indexing every rule again (the
        perceptron of :mod:`~nesy.semparse.rerank` changes a few rules at a time)."""
        for rule, value in bias.items():
            if rule in self._where:
                label, n, first, place = self._where[rule]
                old = self.rules[label][n]
                entry = (rule, self._logp[rule] + value, old[2], old[3])
                self.rules[label][n] = entry
                self.starts[label][first][place] = (n, entry)

    def parse(self, words: Sequence[str], lexical: Sequence["tuple[str, str] | None"]) -> list[Parse]:
        """The k best parses of the whole question (best first; empty if none)."""
        state = _Chart(self, list(words), list(lexical))
        return state.best(ROOT, 0, len(words))


class _Chart:
    def __init__(self, parser: ChartParser, words: list[str], lexical: list) -> None:
        self.p, self.words, self.lexical = parser, words, lexical
        self.memo: dict[tuple[str, int, int], list[Parse]] = {}
        self.steps = 0
        self.vocabulary = frozenset(words)
        self.starting: dict[tuple[str, str], list[tuple[Rule, float, frozenset, tuple]]] = {}

    def rules(self, label: str, i: int) -> list[tuple[Rule, float, frozenset, tuple]]:
        """The label's rules that may start at word ``i`` and whose words all occur in the question, in the grammar's order."""
        lex = self.lexical[i]
        start = self.words[i] if lex is None else f"<{lex[1]}>"
        if (label, start) not in self.starting:
            index = self.p.starts.get(label, {})
            found = index.get(start, []) + (index.get("[]", []) if lex is not None else [])
            self.starting[label, start] = [entry for _, entry in sorted(found, key=lambda e: e[0]) if entry[2] <= self.vocabulary]
        return self.starting[label, start]

    def best(self, label: str, i: int, j: int) -> list[Parse]:
        key = (label, i, j)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = []  # no cycles through the same span
        found: dict[str, Parse] = {}
        present = set(self.words[i:j])
        for rule, logp, needs, template in self.rules(label, i):
            if not needs <= present:
                continue
            self.steps += 1
            if self.steps > self.p.max_steps:
                break
            if not self._fits(rule.text[-1], j - 1):
                continue
            if not any(is_hole(t) for t in rule.text) and len(rule.text) != j - i:
                continue
            for score, slots, holes in self._match(rule.text, 0, i, j):
                # the text (to_text of the filled program) from the rule's template and the holes' texts;
                # the program is built only for a parse that is kept
                text = "".join(part if kind is None else slots[part].name if kind else holes[part].text for kind, part in template)
                score += logp
                if text not in found or found[text].score < score:
                    program = fill(rule.fragment, slots, [h.program for h in holes])
                    found[text] = Parse(score, program, (rule, *(r for h in holes for r in h.rules)), text)
        result = sorted(found.values(), key=lambda p: -p.score)[: self.p.k]
        self.memo[key] = result
        return result

    def _fits(self, item: str, pos: int) -> bool:
        """Whether a rule's first or last item can stand at ``pos`` (a quick filter)."""
        lex = self.lexical[pos]
        if is_hole(item):
            return lex is not None
        if is_slot(item):
            return lex is not None and item == f"<{lex[1]}>"
        return lex is None and self.words[pos] == item

    def _hole(self, label: str, i: int, j: int) -> list[Parse]:
        exact = self.best(label, i, j)
        if self.p.retype is not None:
            cost = self.p.retype  # other labels always compete
        elif exact or self.p.backoff is None:
            return exact
        else:
            cost = self.p.backoff  # other labels only where the own one has no parse
        wanted = self.p.types.get(label)
        other = [
            Parse(p.score - cost, p.program, p.rules, p.text)
            for alt in self.p.by_type.get(wanted, ()) if alt != label
            for p in self.best(alt, i, j)
        ]
        return sorted(exact + other, key=lambda p: -p.score)[: self.p.k]

    def _fill(self, items: tuple[str, ...], n: int, pos: int, end: int, cost: float) -> Iterator[tuple[float, list[Tree], list[Parse]]]:
        """Fill hole ``items[n]`` with a parse of a span from ``pos`` (a lexicon word) to a lexicon word."""
        item = items[n]
        rest = len(items) - n - 1
        nxt = items[n + 1] if rest else None
        for stop in range(pos + 1, end - rest + 1):
            if self.lexical[stop - 1] is None:
                continue
            if nxt is not None and not is_hole(nxt) and not is_slot(nxt) and (stop >= end or self.words[stop] != nxt):
                continue
            if nxt is None and stop != end:
                continue
            subs = self._hole(item[1:-1], pos, stop)
            if not subs:
                continue
            for score, slots, holes in self._match(items, n + 1, stop, end):
                for sub in subs:
                    yield score + sub.score + cost, slots, [sub, *holes]

    def _match(self, items: tuple[str, ...], n: int, pos: int, end: int) -> Iterator[tuple[float, list[Tree], list[Parse]]]:
        if n == len(items):
            if pos == end:
                yield 0.0, [], []
            return
        if pos >= end:
            return
        item = items[n]
        if is_hole(item):
            for skipped in range(0, self.p.skip + 1):
                start = pos + skipped
                if start >= end or (skipped and self.lexical[start - 1] is not None):
                    return
                if self.lexical[start] is not None and (not skipped or tuple(self.words[pos:start]) in self.p.lead_ins):
                    yield from self._fill(items, n, start, end, -self.p.skip_cost * skipped)
            return
        if is_slot(item):
            lex = self.lexical[pos]
            if lex is None or f"<{lex[1]}>" != item:
                return
            for score, slots, holes in self._match(items, n + 1, pos + 1, end):
                yield score, [Tree(lex[0], (), CONST, pos), *slots], holes
            return
        if self.words[pos] != item or self.lexical[pos] is not None:
            return
        yield from self._match(items, n + 1, pos + 1, end)


def lead_ins(rules: Iterable[Rule]) -> frozenset[tuple[str, ...]]:
    """The runs of words that stand right before a hole in some rule: each tail of the words
    between a hole and the item (slot, hole or start) before it.

    Example:
        >>> from nesy.semparse.tree import Tree
        >>> sorted(lead_ins([Rule("^", ("<size>", "thing", "left", "of", "[relate]"), Tree("f"))]))
        [('left', 'of'), ('of',), ('thing', 'left', 'of')]
    """
    runs: set[tuple[str, ...]] = set()
    for rule in rules:
        for h, item in enumerate(rule.text):
            if not is_hole(item):
                continue
            p = h
            while p > 0 and not is_hole(rule.text[p - 1]) and not is_slot(rule.text[p - 1]):
                p -= 1
                runs.add(rule.text[p:h])
    return frozenset(runs)


def _template(fragment: Tree) -> tuple[tuple[bool | None, "str | int"], ...]:
    """A rule fragment's call syntax as parts: ``(None, text)``, ``(True, k)`` for slot k, ``(False, j)`` for hole j.

    Joined with the slots' constant names and the holes' texts it is ``to_text`` of the filled fragment.

    Example:
        >>> from nesy.semparse.tree import HOLE, SLOT
        >>> _template(Tree("f", (Tree(kind=HOLE, index=0), Tree("g"), Tree(kind=SLOT, index=1))))
        ((None, 'f('), (False, 0), (None, ', g(), '), (True, 1), (None, ')'))
    """
    parts: list[tuple[bool | None, str | int]] = []

    def walk(node: Tree) -> None:
        if node.kind in (SLOT, HOLE):
            parts.append((node.kind == SLOT, node.index))
        elif node.kind == CONST:
            parts.append((None, node.name))
        else:
            parts.append((None, f"{node.name}("))
            for n, a in enumerate(node.args):
                if n:
                    parts.append((None, ", "))
                walk(a)
            parts.append((None, ")"))

    walk(fragment)
    merged: list[tuple[bool | None, str | int]] = []
    for kind, part in parts:
        if kind is None and merged and merged[-1][0] is None:
            merged[-1] = (None, str(merged[-1][1]) + str(part))
        else:
            merged.append((kind, part))
    return tuple(merged)
