"""Logic-grid puzzles (Zebra style): each person has exactly one value of every category, all different.

The first sentence introduces the people; each category sentence introduces its values (a
datatype and a function from people to it; that no two people share a value is the checker's
standing rule, :func:`~nesy.benchmarks.puzzles.checker.library`); each clue is one assertion; the question declares ``answer``.

Program::

    (declare-datatype Entity ((alice) (bob) (carol)))
    (declare-datatype Pet ((cat) (dog) (fish)))
    (declare-fun pet (Entity) Pet)       ; the checker adds: different people, different pets
    (assert (= (pet alice) dog))                                              ; Alice owns the dog.
    (assert (forall ((x Entity)) (=> (= (pet x) cat) (= (drink x) tea))))     ; The cat owner drinks tea.
    (declare-const answer Entity)
    (assert (= (pet answer) fish))                                            ; Who owns the fish?

Example:
    >>> import random
    >>> puzzle = draw(random.Random(0), 3)
    >>> puzzle.meta["family"], puzzle.fragments[-1].startswith("(declare-const answer")
    ('grid', True)
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from nesy.benchmarks.nlnames import FEMALE, MALE, ident
from nesy.benchmarks.puzzles.checker import library
from nesy.benchmarks.puzzles.clues import Clue, minimal_unique, name_list
from nesy.benchmarks.puzzles.ordering import Drawn


@dataclass(frozen=True)
class Category:
    """One attribute: SMT sort and function names, values and phrasings."""

    sort: str
    values: tuple[str, ...]
    intros: tuple[str, ...]  # {values}: "a cat, a dog and a fish" style list; {plain}: "cat, dog and fish"
    has: tuple[str, ...]  # {X} ... {v}
    has_not: tuple[str, ...]
    who: tuple[str, ...]  # noun phrase for the person with {v}
    verb: str  # "owns the {v}" (for links)
    verb_not: str
    ask_who: str  # "Who owns the {v}?"
    ask_what: str  # "Which pet does {X} own?"

    @property
    def function(self) -> str:
        """The SMT-LIB function from people to this category."""
        return self.sort.lower()


CATEGORIES = (
    Category(
        "Pet", ("cat", "dog", "fish", "bird", "hamster", "rabbit", "turtle", "parrot"),
        ("The pets are: {plain}.", "Each of them owns one of these pets: {plain}.", "Their pets are a {a_list}."),
        ("{X} owns the {v}.", "The {v} belongs to {X}."), ("{X} does not own the {v}.", "The {v} is not {X}'s."),
        ("the owner of the {v}", "the person with the {v}"), "owns the {v}", "does not own the {v}",
        "Who owns the {v}?", "Which pet does {X} own?",
    ),
    Category(
        "Drink", ("tea", "coffee", "milk", "juice", "water", "cocoa", "soda", "lemonade"),
        ("The drinks are: {plain}.", "Each of them likes a different drink: {plain}."),
        ("{X} drinks {v}.", "{X}'s favourite drink is {v}."), ("{X} does not drink {v}.", "{X} never drinks {v}."),
        ("the {v} drinker", "the person who drinks {v}"), "drinks {v}", "does not drink {v}",
        "Who drinks {v}?", "What does {X} drink?",
    ),
    Category(
        "Colour", ("red", "green", "blue", "yellow", "white", "black", "purple", "orange"),
        ("The colours are: {plain}.", "Each of them wears a different colour: {plain}."),
        ("{X} wears {v}.", "{X}'s colour is {v}."), ("{X} does not wear {v}.", "{X} never wears {v}."),
        ("the person in {v}", "the person who wears {v}"), "wears {v}", "does not wear {v}",
        "Who wears {v}?", "What colour does {X} wear?",
    ),
    Category(
        "Sport", ("tennis", "golf", "soccer", "hockey", "rugby", "cricket", "baseball", "volleyball"),
        ("The sports are: {plain}.", "Each of them plays a different sport: {plain}."),
        ("{X} plays {v}.", "{X}'s sport is {v}."), ("{X} does not play {v}.", "{X} never plays {v}."),
        ("the {v} player", "the person who plays {v}"), "plays {v}", "does not play {v}",
        "Who plays {v}?", "Which sport does {X} play?",
    ),
)

INTROS = ("{list} are {k} neighbours.", "A group of {k} friends meets: {list}.", "There are {k} people: {list}.")


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _pool(rng: random.Random, cats: list[Category], names: list[str], sol: dict) -> list[Clue]:
    say = lambda options, **f: rng.choice(options).format(**f)  # noqa: E731
    pool: list[Clue] = []
    for cat in cats:
        for x in names:
            v = sol[cat.sort][x]
            term = f"(= ({cat.function} {ident(x)}) {v})"
            pool.append(Clue(say(cat.has, X=x, v=v), term, (cat.sort, x, v)))
            w = rng.choice([u for u in sol[cat.sort].values() if u != v])
            pool.append(Clue(say(cat.has_not, X=x, v=w), f"(not (= ({cat.function} {ident(x)}) {w}))"))
    for a in cats:
        for b in cats:
            if a is b:
                continue
            for x in names:
                v, w = sol[a.sort][x], sol[b.sort][x]
                other = rng.choice([u for u in sol[b.sort].values() if u != w])
                sentence = _cap(say(a.who, v=v)) + " " + b.verb.format(v=w) + "."
                term = f"(forall ((x Entity)) (=> (= ({a.function} x) {v}) (= ({b.function} x) {w})))"
                pool.append(Clue(sentence, term))
                sentence = _cap(say(a.who, v=v)) + " " + b.verb_not.format(v=other) + "."
                term = f"(forall ((x Entity)) (=> (= ({a.function} x) {v}) (not (= ({b.function} x) {other}))))"
                pool.append(Clue(sentence, term))
    return pool


def draw(rng: random.Random, n: int) -> Drawn | None:
    """A logic grid of ``n`` people and 2-3 categories whose solution is unique (proved with z3), or None."""
    names = rng.sample(FEMALE + MALE, n)
    cats = rng.sample(CATEGORIES, rng.choice((2, 3)))
    sol = {c.sort: dict(zip(names, rng.sample(c.values, n))) for c in cats}
    sentences = [rng.choice(INTROS).format(k=n, list=name_list(names))]
    fragments = ["(declare-datatype Entity (" + " ".join(f"({ident(x)})" for x in names) + "))"]
    for c in cats:
        values = sorted(sol[c.sort].values(), key=c.values.index)
        a_list = name_list(values).replace(", ", ", a ").replace(" and ", " and a ")
        sentences.append(rng.choice(c.intros).format(plain=name_list(values), a_list=a_list))
        fragments.append(
            f"(declare-datatype {c.sort} (" + " ".join(f"({v})" for v in values) + "))\n"
            f"(declare-fun {c.function} (Entity) {c.sort})"
        )
    blocking = "(or " + " ".join(
        f"(distinct ({c.function} {ident(x)}) {sol[c.sort][x]})" for c in cats for x in names) + ")"
    base = "\n".join(fragments)
    clues = minimal_unique(rng, f"{base}\n{library(base)}", _pool(rng, cats, names, sol), blocking)
    if clues is None:
        return None
    stated = {c.fixes for c in clues if c.fixes}
    options = []
    for c in cats:
        for x in names:
            v = sol[c.sort][x]
            if (c.sort, x, v) in stated:
                continue
            who = f"(declare-const answer Entity)\n(assert (= ({c.function} answer) {v}))"
            what = f"(declare-const answer {c.sort})\n(assert (= answer ({c.function} {ident(x)})))"
            options += [(c.ask_who.format(v=v), who, ident(x)), (c.ask_what.format(X=x), what, v)]
    if not options:
        return None
    question, fragment, answer = rng.choice(options)
    sentences += [c.sentence for c in clues] + [question]
    fragments += [c.fragment for c in clues] + [fragment]
    meta = {"family": "grid", "theme": "+".join(c.function for c in cats), "n_entities": n, "n_clues": len(clues)}
    return Drawn(tuple(sentences), tuple(fragments), answer, meta)
