"""Lexicon induction: which input words stand for which output tokens.

A word means what it outputs when it is a whole input on its own; failing that, a word means the
single output token that appears in exactly the outputs whose inputs contain the word. Nothing
here knows any particular language: words and tokens are opaque strings.

Example:
    >>> pairs = [("dax", "RED"), ("dax fep", "RED RED"), ("wif fep", "BLUE BLUE"), ("lug wif", "GREEN BLUE")]
    >>> induce_lexicon(pairs)
    {'dax': ('RED',), 'lug': ('GREEN',), 'wif': ('BLUE',)}
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence


def induce_lexicon(pairs: Sequence[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Map lexical words to their token sequences (other words are left out)."""
    alone: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    word_rows: dict[str, set[int]] = defaultdict(set)
    token_rows: dict[str, set[int]] = defaultdict(set)
    for row, (source, target) in enumerate(pairs):
        words, tokens = source.split(), target.split()
        if len(words) == 1:
            alone[words[0]].add(tuple(tokens))
        for word in words:
            word_rows[word].add(row)
        for token in tokens:
            token_rows[token].add(row)
    lexicon = {word: next(iter(meanings)) for word, meanings in alone.items() if len(meanings) == 1}
    taken = {meaning for meaning in lexicon.values()}
    for word, rows in word_rows.items():
        if word in lexicon:
            continue
        matches = [token for token, t_rows in token_rows.items() if t_rows == rows]
        if len(matches) == 1 and (matches[0],) not in taken:
            lexicon[word] = (matches[0],)
            taken.add((matches[0],))
    return dict(sorted(lexicon.items()))
