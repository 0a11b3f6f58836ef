"""Shared fixtures: an invented compositional language (not SCAN) for learner tests."""

from __future__ import annotations

import itertools

import pytest

NOUNS = {"dax": "RED", "wif": "BLUE", "lug": "GREEN", "zorp": "PINK"}
MODS = {"zup": "UP", "mip": "DOWN"}


def invented_meaning(words: list[str]) -> list[str]:
    """Reference semantics: connectives 'blicket' (B A B) and 'tufa' (A B) bind loosest, then 'fep'
    (five times), then 'kiki' (A kiki B -> B A A B), then a noun with a modifier (MOD NOUN)."""
    for conn, mirror in (("blicket", True), ("tufa", False)):
        if conn in words:
            i = words.index(conn)
            a, b = invented_meaning(words[:i]), invented_meaning(words[i + 1 :])
            return b + a + b if mirror else a + b
    if words[-1] == "fep":
        return invented_meaning(words[:-1]) * 5
    if len(words) == 3 and words[1] == "kiki":
        a, b = invented_meaning(words[:1]), invented_meaning(words[2:])
        return b + a + a + b
    if len(words) == 2:
        return [MODS[words[1]], NOUNS[words[0]]]
    return [NOUNS[words[0]]]


def invented_sentences() -> list[list[str]]:
    nouns = [[n] for n in NOUNS]
    atoms = nouns + [[n, m] for n in NOUNS for m in MODS]
    basic = atoms + [a + ["kiki"] + b for a in nouns for b in nouns]
    verbs = basic + [p + ["fep"] for p in basic]
    return verbs + [a + [c] + b for a, b in itertools.product(verbs, repeat=2) for c in ("blicket", "tufa")]


@pytest.fixture(scope="session")
def invented_language() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(train, test): sentences of at most 5 words to learn from, longer ones to generalise to."""
    pairs = [(" ".join(s), " ".join(invented_meaning(s))) for s in invented_sentences()]
    train = [p for p in pairs if len(p[0].split()) <= 5]
    test = [p for p in pairs if len(p[0].split()) > 5][::7]
    return train, test
