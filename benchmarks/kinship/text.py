"""Sentence templates of the kinship suite: facts, distractors and questions, several phrasings each.

Example:
    >>> import random
    >>> fact_sentence(random.Random(1), "Cleo", "sister", "Ben", "m")
    "Ben's sister is Cleo."
    >>> question_sentence(random.Random(0), "Cleo", "Anna")
    'Who is Cleo to Anna?'
"""

from __future__ import annotations

import random

_FACT = (  # {x} is the {w} of {y}; {pron}: y's possessive pronoun
    "{x} is the {w} of {y}.",
    "{x} is {y}'s {w}.",
    "{y}'s {w} is {x}.",
    "{y} has a {w} named {x}.",
    "The {w} of {y} is {x}.",
    "{y} went to the park with {pron} {w} {x}.",
    "{y} called {pron} {w}, {x}, on Sunday.",
    "{y} and {pron} {w} {x} cooked dinner together.",
)

_QUESTION = (
    "How is {x} related to {y}?",
    "What is {x} to {y}?",
    "What relation is {x} to {y}?",
    "Who is {x} to {y}?",
    "In what way is {x} related to {y}?",
)

_NOISE = (
    "{x} likes to go fishing.",
    "{x} works as a teacher.",
    "{x} bought a new bike last week.",
    "{x} has a small garden.",
    "{x} enjoys reading mystery novels.",
    "{x} moved to a new town last year.",
    "{x} plays the piano every evening.",
)


def fact_sentence(rng: random.Random, x: str, word: str, y: str, y_gender: str) -> str:
    """A sentence saying that ``x`` is the ``word`` of ``y``."""
    pron = "his" if y_gender == "m" else "her"
    return rng.choice(_FACT).format(x=x, w=word, y=y, pron=pron)


def question_sentence(rng: random.Random, x: str, y: str) -> str:
    """The question "how is ``x`` related to ``y``?" in one of several phrasings."""
    return rng.choice(_QUESTION).format(x=x, y=y)


def noise_sentence(rng: random.Random, x: str) -> str:
    """A sentence about ``x`` that states no family fact."""
    return rng.choice(_NOISE).format(x=x)
