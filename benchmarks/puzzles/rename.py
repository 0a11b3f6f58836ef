"""Puzzles with every word renamed (``nesy bench puzzles --permute-vocab SEED``): the learner must not care.

Every word of the texts that is not a person's name (``older``, ``Counting``, ``pets``, ``fish``)
becomes an invented word by one seeded bijection over the whole data set, the same in training and
test texts. The attribute values (``fish``, ``tea``) are words of the texts *and* constants of the
programs, so they are renamed in the programs and answers too; everything else in a program
(``pos``, ``pet``, the SMT-LIB words) stays. A learner that only knows what its texts and verified
programs show learns the renamed puzzles as it learns the originals.

Example:
    >>> from nesy.benchmarks.puzzles.data import checker, generate
    >>> [p] = rename_problems(generate("iid", 1, seed=0), seed=1)
    >>> checker().check(p.program, None, p.answer).status.value
    'ok'
"""

from __future__ import annotations

import random
import re
from typing import Sequence

from nesy.benchmarks.nlprog import Problem, make_problem

_WORD = re.compile(r"\b[A-Za-z]+\b")
_DATATYPE = re.compile(r"\(declare-datatype (\w+) \(((?:\s*\(\w+\))+)\s*\)\)")
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def _people_and_values(problem: Problem) -> tuple[set[str], set[str]]:
    people, values = set(), set()
    for sort, body in _DATATYPE.findall(problem.program):
        (people if sort == "Entity" else values).update(re.findall(r"\((\w+)\)", body))
    return people, values


def _invented(rng: random.Random, taken: set[str]) -> str:
    while True:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        if word not in taken:
            taken.add(word)
            return word


def rename_problems(problems: Sequence[Problem], seed: int, *, mapping: dict[str, str] | None = None) -> list[Problem]:
    """``problems`` with every non-name word renamed by a bijection drawn from ``seed`` (or the given ``mapping``).

    Pass the same ``mapping`` (filled in by the first call) to rename another part of the data alike.
    """
    mapping = {} if mapping is None else mapping
    people = set().union(*(_people_and_values(p)[0] for p in problems)) if problems else set()
    words = sorted({w.lower() for p in problems for s in p.sentences for w in _WORD.findall(s)} - people)
    rng = random.Random(seed)
    taken = set(words) | set(mapping.values())
    for word in words:
        if word not in mapping:
            mapping[word] = _invented(rng, taken)

    def text(sentence: str) -> str:
        def one(match: re.Match) -> str:
            word = match.group()
            if word.lower() in people:
                return word
            new = mapping[word.lower()]
            return new.capitalize() if word[0].isupper() else new
        return _WORD.sub(one, sentence)

    out = []
    for problem in problems:
        values = _people_and_values(problem)[1]
        program = lambda fragment: re.sub(  # noqa: E731
            r"(?<![\w-])(\w+)(?![\w-])", lambda m: mapping.get(m.group(1), m.group(1)) if m.group(1) in values
            else m.group(1), fragment)
        answer = mapping[problem.answer] if isinstance(problem.answer, str) and problem.answer in values else problem.answer
        out.append(make_problem([text(s) for s in problem.sentences], answer, [program(f) for f in problem.fragments],
                                {**problem.meta, "renamed": seed}))
    return out


__all__ = ["rename_problems"]
