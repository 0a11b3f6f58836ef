"""Random family trees and the relation words between their members (the generator's ground truth).

A tree starts from one married couple; each couple has children; some children marry a partner
from outside the family and have children of their own, for a given number of generations. Every
child's parents are married to each other and nobody marries twice, as the knowledge base
(``kb.lp``) assumes. :func:`relation` computes the word for "X is the W of Y" from the whole tree in
plain Python, independently of the ASP knowledge base; tests compare the two.

Example:
    >>> import random
    >>> tree = make_tree(random.Random(0), generations=3)
    >>> kid = next(p for p in tree.people if tree.parents[p])
    >>> mum = next(p for p in tree.parents[kid] if tree.gender[p] == "f")
    >>> relation(tree, mum, kid), relation(tree, kid, kid)
    ('mother', None)
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from nesy.benchmarks.nlnames import FEMALE, MALE

BASIC = {  # kind of edge -> (word when the subject is male, word when female)
    "parent": ("father", "mother"),
    "child": ("son", "daughter"),
    "sibling": ("brother", "sister"),
    "spouse": ("husband", "wife"),
}
"""The eight words a story states facts with."""


@dataclass
class Tree:
    """A family: people by name, gender ``"m"``/``"f"``, parents and spouse."""

    people: list[str] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    spouse: dict[str, str] = field(default_factory=dict)

    def children(self, person: str) -> list[str]:
        """The person's children, in birth order."""
        return [c for c in self.people if person in self.parents[c]]

    def siblings(self, person: str) -> list[str]:
        """People with the same parents (none for someone without parents in the tree)."""
        mine = self.parents[person]
        return [p for p in self.people if mine and p != person and self.parents[p] == mine]

    def neighbours(self, person: str) -> list[tuple[str, str]]:
        """``(kind, other)``: ``other`` is the person's parent / child / sibling / spouse (one edge)."""
        out = [("parent", p) for p in self.parents[person]]  # kind says what `other` is to `person`
        out += [("child", c) for c in self.children(person)]
        out += [("sibling", s) for s in self.siblings(person)]
        if person in self.spouse:
            out.append(("spouse", self.spouse[person]))
        return out


def _add(tree: Tree, rng: random.Random, gender: str, parents: tuple[str, ...], used: set[str]) -> str:
    pool = MALE if gender == "m" else FEMALE
    name = rng.choice([n for n in pool if n not in used])
    used.add(name)
    tree.people.append(name)
    tree.gender[name] = gender
    tree.parents[name] = parents
    return name


def make_tree(rng: random.Random, generations: int, max_children: int = 4, marry: float = 0.75) -> Tree:
    """A random family of ``generations`` generations below (and including) the founding couple."""
    tree, used = Tree(), set()
    couples = [(_add(tree, rng, "m", (), used), _add(tree, rng, "f", (), used))]
    tree.spouse[couples[0][0]], tree.spouse[couples[0][1]] = couples[0][1], couples[0][0]
    for _ in range(generations - 1):
        next_couples = []
        for couple in couples:
            for _ in range(rng.randint(1, max_children)):
                child = _add(tree, rng, rng.choice("mf"), couple, used)
                if rng.random() < marry and len(used) < 250:
                    partner = _add(tree, rng, "f" if tree.gender[child] == "m" else "m", (), used)
                    tree.spouse[child], tree.spouse[partner] = partner, child
                    husband, wife = (child, partner) if tree.gender[child] == "m" else (partner, child)
                    next_couples.append((husband, wife))
        couples = next_couples
    return tree


def _word(tree: Tree, x: str, male_word: str, female_word: str) -> str:
    return male_word if tree.gender[x] == "m" else female_word


def relations(tree: Tree, x: str, y: str) -> set[str]:
    """Every relation word W for which "x is the W of y" holds in the tree."""
    if x == y:
        return set()
    par = lambda p: set(tree.parents[p])  # noqa: E731
    sib = lambda p: set(tree.siblings(p))  # noqa: E731
    sp = lambda p: {tree.spouse[p]} if p in tree.spouse else set()  # noqa: E731
    grand = lambda p: {g for q in par(p) for g in par(q)}  # noqa: E731
    words: set[str] = set()
    add = lambda cond, m, f, who=x: words.add(_word(tree, who, m, f)) if cond else None  # noqa: E731
    add(x in par(y), "father", "mother")
    add(y in par(x), "son", "daughter")
    add(x in sib(y), "brother", "sister")
    add(x in sp(y), "husband", "wife")
    add(x in grand(y), "grandfather", "grandmother")
    add(y in grand(x), "grandson", "granddaughter")
    add(any(x in grand(q) for q in par(y)), "great_grandfather", "great_grandmother")
    add(any(y in grand(q) for q in par(x)), "great_grandson", "great_granddaughter")
    auncles_of = lambda p: {a for q in par(p) for s in sib(q) for a in {s} | sp(s)}  # noqa: E731
    add(x in auncles_of(y), "uncle", "aunt")
    add(y in auncles_of(x), "nephew", "niece")
    if any(q in sib(r) for q in par(x) for r in par(y)):
        words.add("cousin")
    add(any(x in par(s) for s in sp(y)), "father_in_law", "mother_in_law")
    add(any(y in par(s) for s in sp(x)), "son_in_law", "daughter_in_law")
    add(any(x in sib(s) for s in sp(y)) or any(y in sib(s) for s in sp(x)), "brother_in_law", "sister_in_law")
    return words


def relation(tree: Tree, x: str, y: str) -> str | None:
    """The one relation word for "x is the W of y", or None when there is none or several."""
    words = relations(tree, x, y)
    return next(iter(words)) if len(words) == 1 else None
