"""Ordering puzzles (LogicalDeduction style): people in a line, by height, in a race, by age.

Every person gets a distinct place ``(pos x)`` from 1 to ``n``: the position from the left, the
rank from the shortest, the finishing place, or the rank from the youngest. The first sentence
introduces the people and ``n``; each clue is one assertion; the question declares ``answer``.

Program (fragment of the first sentence, then one per clue, then the question's)::

    (declare-datatype Entity ((alice) (bob) (carol)))
    (define-const n Int 3)
    (declare-fun pos (Entity) Int)                 ; the checker adds: 1 <= pos <= n, all different
    (assert (> (pos alice) (pos bob)))             ; Alice is taller than Bob.
    (assert (= (pos carol) n))                     ; Carol is the tallest.
    (declare-const answer Entity)
    (assert (= (pos answer) 1))                    ; Who is the shortest?

A "k-th from the other end" place is written ``(- (+ n 1) k)``. Numbers in the text are digits
("There are 6 friends in a row", "number 5 from the left"); only places 1-3 are also said in
words ("second", "third"), so the ``hard`` split's larger places and counts are digits to copy.

Example:
    >>> import random
    >>> puzzle = draw(random.Random(0), 3)
    >>> puzzle.fragments[0].startswith("(declare-datatype Entity"), puzzle.fragments[-1].startswith("(declare-const answer")
    (True, True)
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from nesy.benchmarks.nlnames import FEMALE, MALE, ident
from nesy.benchmarks.puzzles.clues import ORDINALS, Clue, minimal_unique, name_list


@dataclass(frozen=True)
class Theme:
    """Words of one kind of ordering (place 1 is the ``low`` end)."""

    name: str
    intros: tuple[str, ...]
    less: tuple[str, ...]  # {X} ... {Y}: X has the lower place
    greater: tuple[str, ...]
    lowest: tuple[str, ...]  # {X} is at place 1
    highest: tuple[str, ...]  # {X} is at place n
    kth_low: tuple[str, ...]  # {X} is at place {k} ({ord})
    kth_high: tuple[str, ...]  # {X} is at place n + 1 - k
    not_lowest: tuple[str, ...]
    not_highest: tuple[str, ...]
    just_before: tuple[str, ...] = ()  # {X} is at the place right below {Y}
    ask_lowest: tuple[str, ...] = ()
    ask_highest: tuple[str, ...] = ()
    ask_kth_low: tuple[str, ...] = ()
    ask_kth_high: tuple[str, ...] = ()
    ask_place: tuple[str, ...] = ()  # "where is {X}?" -> an integer


THEMES = (
    Theme(
        "line",
        ("There are {k} friends in a row: {list}.", "A group of {k} people stands in a line: {list}.",
         "{list} ({k} friends) stand side by side in a row."),
        ("{X} stands to the left of {Y}.", "{X} is somewhere left of {Y}."),
        ("{X} stands to the right of {Y}.", "{X} is somewhere right of {Y}."),
        ("{X} is at the far left.", "{X} is the leftmost."),
        ("{X} is at the far right.", "{X} is the rightmost."),
        ("{X} is {ord} from the left.", "{X} stands {ord} from the left."),
        ("{X} is {ord} from the right.", "{X} stands {ord} from the right."),
        ("{X} is not at the far left.",), ("{X} is not at the far right.",),
        ("{X} stands directly left of {Y}.", "{X} is immediately to the left of {Y}."),
        ("Who is at the far left?", "Who is the leftmost?"), ("Who is at the far right?", "Who is the rightmost?"),
        ("Who is {ord} from the left?",), ("Who is {ord} from the right?",),
        ("In which position from the left is {X}?", "How many places from the left is {X}?"),
    ),
    Theme(
        "height",
        ("There are {k} friends of different heights: {list}.", "{list} ({k} children) compare their heights."),
        ("{X} is shorter than {Y}.", "{X} is not as tall as {Y}."),
        ("{X} is taller than {Y}.", "{X} is not as short as {Y}."),
        ("{X} is the shortest.", "Nobody is shorter than {X}."),
        ("{X} is the tallest.", "Nobody is taller than {X}."),
        ("Counting from the shortest, {X} is {ord}.",), ("Counting from the tallest, {X} is {ord}.",),
        ("{X} is not the shortest.",), ("{X} is not the tallest.",),
        (),
        ("Who is the shortest?",), ("Who is the tallest?",),
        ("Counting from the shortest, who is {ord}?",), ("Counting from the tallest, who is {ord}?",),
        (),
    ),
    Theme(
        "race",
        ("There were {k} runners in a race: {list}.", "{list} ({k} runners) ran a race, and there were no ties."),
        ("{X} finished before {Y}.", "{X} finished ahead of {Y}."),
        ("{X} finished after {Y}.", "{X} finished behind {Y}."),
        ("{X} won the race.", "{X} crossed the line first."),
        ("{X} finished last.", "{X} came in last."),
        ("{X} finished {ord}.", "{X} came in {ord}."),
        ("Counting from the last, {X} finished {ord}.",),
        ("{X} did not win the race.",), ("{X} did not finish last.",),
        ("{X} finished right before {Y}.", "{X} crossed the line just ahead of {Y}."),
        ("Who won the race?",), ("Who finished last?",),
        ("Who finished {ord}?",), ("Counting from the last, who finished {ord}?",),
        ("In which place did {X} finish?", "What place did {X} finish in?"),
    ),
    Theme(
        "age",
        ("There are {k} cousins of different ages: {list}.", "{list} ({k} siblings) all have different ages."),
        ("{X} is younger than {Y}.",), ("{X} is older than {Y}.",),
        ("{X} is the youngest.",), ("{X} is the oldest.",),
        ("Counting from the youngest, {X} is {ord}.",), ("Counting from the oldest, {X} is {ord}.",),
        ("{X} is not the youngest.",), ("{X} is not the oldest.",),
        (),
        ("Who is the youngest?",), ("Who is the oldest?",),
        ("Counting from the youngest, who is {ord}?",), ("Counting from the oldest, who is {ord}?",),
        (),
    ),
)


def ordinal(rng: random.Random, k: int) -> str:
    """Place ``k`` as words: ``"second"``/``"third"`` (half the time) or ``"number k"`` (always beyond third).

    Example:
        >>> ordinal(random.Random(0), 6)
        'number 6'
    """
    return ORDINALS[k - 1] if k <= 3 and rng.random() < 0.5 else f"number {k}"


@dataclass(frozen=True)
class Drawn:
    """A drawn puzzle: sentences, fragments and the answer (the question last)."""

    sentences: tuple[str, ...]
    fragments: tuple[str, ...]
    answer: object
    meta: dict


def _pos(x: str) -> str:
    return f"(pos {ident(x)})"


def _place(k: int, n: int, from_high: bool) -> str:
    return f"(- (+ n 1) {n + 1 - k})" if from_high else str(k)


def _pool(rng: random.Random, theme: Theme, names: list[str], place: dict[str, int]) -> list[Clue]:
    n, say = len(names), lambda options, **f: rng.choice(options).format(**f)
    pool: list[Clue] = []
    for x in names:
        for y in names:
            if place[x] < place[y]:
                pool.append(Clue(say(theme.less, X=x, Y=y), f"(< {_pos(x)} {_pos(y)})"))
                pool.append(Clue(say(theme.greater, X=y, Y=x), f"(> {_pos(y)} {_pos(x)})"))
                if theme.just_before and place[x] + 1 == place[y]:
                    pool.append(Clue(say(theme.just_before, X=x, Y=y), f"(= (+ {_pos(x)} 1) {_pos(y)})"))
        k = place[x]
        if k == 1:
            pool.append(Clue(say(theme.lowest, X=x), f"(= {_pos(x)} 1)", (x,)))
        elif k == n:
            pool.append(Clue(say(theme.highest, X=x), f"(= {_pos(x)} n)", (x,)))
        elif rng.random() < 0.5:
            pool.append(Clue(say(theme.kth_low, X=x, ord=ordinal(rng, k)), f"(= {_pos(x)} {k})", (x,)))
        else:
            sentence = say(theme.kth_high, X=x, ord=ordinal(rng, n + 1 - k))
            pool.append(Clue(sentence, f"(= {_pos(x)} {_place(k, n, True)})", (x,)))
        if k != 1:
            pool.append(Clue(say(theme.not_lowest, X=x), f"(not (= {_pos(x)} 1))"))
        if k != n:
            pool.append(Clue(say(theme.not_highest, X=x), f"(not (= {_pos(x)} n))"))
    return pool


def _question(rng: random.Random, theme: Theme, names: list[str], place: dict[str, int], clues: list[Clue]):
    """A question not answered by a clue word for word: (sentence, fragment, answer), or None."""
    n, fixed = len(names), {c.fixes[0] for c in clues if c.fixes}
    by_place = {k: x for x, k in place.items()}
    options = []
    for k in range(1, n + 1):
        if by_place[k] in fixed:
            continue
        who = "(declare-const answer Entity)\n(assert (= (pos answer) {}))"
        if k == 1:
            options.append((rng.choice(theme.ask_lowest), who.format("1")))
        elif k == n:
            options.append((rng.choice(theme.ask_highest), who.format("n")))
        elif rng.random() < 0.5:
            options.append((rng.choice(theme.ask_kth_low).format(ord=ordinal(rng, k)), who.format(k)))
        else:
            ask = rng.choice(theme.ask_kth_high).format(ord=ordinal(rng, n + 1 - k))
            options.append((ask, who.format(_place(k, n, True))))
        options[-1] += (ident(by_place[k]),)
        if theme.ask_place:
            x = by_place[k]
            options.append((rng.choice(theme.ask_place).format(X=x),
                            f"(declare-const answer Int)\n(assert (= answer {_pos(x)}))", k))
    return rng.choice(options) if options else None


def draw(rng: random.Random, n: int) -> Drawn | None:
    """An ordering puzzle over ``n`` people whose arrangement is unique (proved with z3), or None."""
    theme = rng.choice(THEMES)
    names = rng.sample(FEMALE + MALE, n)
    order = names[:]
    rng.shuffle(order)
    place = {x: i + 1 for i, x in enumerate(order)}
    intro = rng.choice(theme.intros).format(k=n, list=name_list(names))
    entities = " ".join(f"({ident(x)})" for x in names)
    header = (
        f"(declare-datatype Entity ({entities}))\n(define-const n Int {n})\n(declare-fun pos (Entity) Int)"
    )  # the checker's library adds the places' range and that they differ
    blocking = "(or " + " ".join(f"(distinct {_pos(x)} {place[x]})" for x in names) + ")"
    # the search runs on a quantifier-free equivalent of the header (faster); the checker proves the gold program
    flat = header + "\n" + "".join(f"(assert (<= 1 {_pos(x)} n))" for x in names)
    flat += "(assert (distinct " + " ".join(_pos(x) for x in names) + "))"
    clues = minimal_unique(rng, flat, _pool(rng, theme, names, place), blocking)
    if clues is None:
        return None
    question = _question(rng, theme, names, place, clues)
    if question is None:
        return None
    sentence, fragment, answer = question
    sentences = (intro, *(c.sentence for c in clues), sentence)
    fragments = (header, *(c.fragment for c in clues), fragment)
    return Drawn(sentences, fragments, answer, {"family": "ordering", "theme": theme.name, "n_entities": n,
                                                "n_clues": len(clues)})
