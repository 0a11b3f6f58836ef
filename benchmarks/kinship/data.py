"""Generating kinship problems (CLUTRR-style): a chain of family facts between two people, and a question.

A problem is drawn from a random family tree (:mod:`~nesy.benchmarks.kinship.family`): a path of
``hops`` parent / child / sibling / spouse links from ``y`` to ``x``, each link told as one sentence in
either direction, possibly with distractors (sentences about someone's hobby, which state no fact, and
true facts about relatives off the path), shuffled or in chain order, and the question "How is x
related to y?". The answer is the relation word the whole tree gives (``grandmother``,
``brother_in_law``...; a path whose two ends have no single word is drawn again), and the gold
program (one fact per fact sentence, ``query(x,y).`` for the question) must give that answer with the
knowledge base on clingo: a path from which the knowledge base cannot derive it is drawn again.

Splits: ``iid`` asks 2-3 hops, ``hard`` 4-10 hops.

Example:
    >>> [p] = generate("iid", 1, seed=0)
    >>> p.meta["hops"] in (2, 3), p.fragments[-1].startswith("query(")
    (True, True)
    >>> checker().check(p.program, None, p.answer).status.value
    'ok'
"""

from __future__ import annotations

import logging
import random

from nesy.benchmarks.kinship.checker import KinshipChecker
from nesy.benchmarks.kinship.family import BASIC, Tree, make_tree, relation
from nesy.benchmarks.kinship.text import fact_sentence, noise_sentence, question_sentence
from nesy.benchmarks.nlnames import ident
from nesy.benchmarks.nlprog import Problem, draw_problems, make_problem
from nesy.budget import Budget
from nesy.verdict import Status

log = logging.getLogger(__name__)

HOPS = {"iid": (2, 3), "hard": (4, 10)}
DISTRACTORS = {"iid": 2, "hard": 3}
_INVERSE = {"parent": "child", "child": "parent", "sibling": "sibling", "spouse": "spouse"}
_BUDGET = Budget(wall_seconds=10)


def checker() -> KinshipChecker:
    """The suite's checker (facts + ``kb.lp`` on clingo)."""
    return KinshipChecker()


def _walk(rng: random.Random, tree: Tree, start: str, hops: int) -> list[tuple[str, str, str]] | None:
    """A simple path of ``hops`` links from ``start``: ``(a, kind, b)`` with b the ``kind`` of a."""
    path, links = [start], []
    for _ in range(hops):
        options = [(kind, b) for kind, b in tree.neighbours(path[-1]) if b not in path]
        if not options:
            return None
        kind, b = rng.choice(options)
        links.append((path[-1], kind, b))
        path.append(b)
    return links


def _fact(rng: random.Random, tree: Tree, a: str, kind: str, b: str, subject: str | None = None):
    """A sentence and fragment for the link "b is the kind of a", told from either side."""
    if subject == b or (subject is None and rng.random() < 0.5):
        x, y, kind_of_x = b, a, kind
    else:
        x, y, kind_of_x = a, b, _INVERSE[kind]
    word = BASIC[kind_of_x][0 if tree.gender[x] == "m" else 1]
    return fact_sentence(rng, x, word, y, tree.gender[y]), f"{word}({ident(x)},{ident(y)})."


def _one(rng: random.Random, split: str, solver: KinshipChecker) -> Problem | None:
    hops = rng.randint(*HOPS[split])
    tree = make_tree(rng, generations=4)
    for _ in range(200):
        y = rng.choice(tree.people)
        links = _walk(rng, tree, y, hops)
        if links is None:
            continue
        x = links[-1][2]
        answer = relation(tree, x, y)
        if answer is None:
            continue
        items = [_fact(rng, tree, a, k, b, subject=x if b == x else None) for a, k, b in links]
        if rng.random() < 0.5:
            rng.shuffle(items)
        on_path = {y} | {b for _, _, b in links}
        for _ in range(rng.randint(0, DISTRACTORS[split])):
            if rng.random() < 0.5:
                extra = noise_sentence(rng, rng.choice(sorted(on_path))), ""
            else:
                a = rng.choice(sorted(on_path))
                off = [(k, b) for k, b in tree.neighbours(a) if b not in on_path]
                if not off:
                    continue
                kind, b = rng.choice(off)
                extra = _fact(rng, tree, a, kind, b)
            items.insert(rng.randint(0, len(items)), extra)
        items.append((question_sentence(rng, x, y), f"query({ident(x)},{ident(y)})."))
        sentences, fragments = zip(*items)
        meta = {"suite": "kinship", "split": split, "family": "chain", "hops": hops,
                "n_entities": len({*on_path}), "distractors": len(items) - hops - 1}
        problem = make_problem(sentences, answer, fragments, meta)
        verdict = solver.check(problem.program, None, answer, _BUDGET)
        if verdict.status is Status.OK:
            return problem
        log.debug("kinship: facts do not give %s (%s); drawing again", answer, verdict.message)
    return None


def generate(split: str, n: int, seed: int) -> list[Problem]:
    """``n`` problems of ``split`` (``iid``: 2-3 hops, ``hard``: 4-10), the same for the same seed."""
    if split not in HOPS:
        raise ValueError(f"unknown kinship split {split!r}")
    solver = checker()
    return draw_problems("kinship", split, n, seed, lambda rng: _one(rng, split, solver))
