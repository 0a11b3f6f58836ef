"""Token constraints: which next tokens keep a generated program valid.

A :class:`TokenConstraint` is asked, for the tokens generated so far, which token ids may come
next (``allowed``) and whether a finished sequence is a whole program (``complete``). The decoder
(:class:`~nesy.proposer.engine.TokenModel`) applies ``allowed`` as a logits mask at every step of
sampling and beam search, and :func:`~nesy.proposer.sampling.propose_candidates` drops any sequence
that is not ``complete`` (one cut off by ``max_new_tokens``), so every candidate is a valid program.

:class:`GrammarConstraint` lifts a character-level :class:`~nesy.proposer.grammars.CharGrammar` to
a vocabulary: it knows each token's text piece, keeps the grammar state of every prefix it has
seen, and finds the tokens a state allows by walking a trie of the pieces (a piece is allowed when
the grammar survives all its characters). The end token is allowed exactly when the text so far
is a whole program. Build it from a word vocabulary (:meth:`GrammarConstraint.from_vocab`: pieces
joined by the vocabulary's joiner) or a Hugging Face tokenizer
(:meth:`GrammarConstraint.from_tokenizer`: each token's piece is what it adds to a decoded text,
leading space included). The mask is exact when decoding a sequence concatenates its pieces (word
vocabularies, byte-level BPE); a candidate is still run by a solver, which has the last word.

Example:
    >>> from nesy.proposer.grammars import CallSyntax
    >>> pieces = [None, None, "neg", "(", ")", "x"]          # ids 0, 1: pad and end
    >>> c = GrammarConstraint(CallSyntax({"neg": 1}, atoms=["x"]), pieces, eos_id=1, joiner=" ")
    >>> c.allowed([]), c.allowed([2]), c.allowed([2, 3, 5]), c.allowed([2, 3, 5, 4])
    ((2, 5), (3,), (4,), (1,))
    >>> c.complete([2, 3, 5, 4, 1]), c.complete([2, 3, 5])
    (True, False)
"""

from __future__ import annotations

import logging
from typing import Any, Hashable, Protocol, Sequence, runtime_checkable

from nesy.proposer.grammars import CharGrammar

log = logging.getLogger(__name__)

CACHE_LIMIT = 200_000  #: prefixes (and grammar states) remembered before the caches start over


@runtime_checkable
class TokenConstraint(Protocol):
    """Restricts generation to valid programs, token by token."""

    def allowed(self, generated: Sequence[int]) -> Sequence[int]:
        """Token ids that may follow ``generated`` (never empty: the end token at least)."""

    def complete(self, generated: Sequence[int]) -> bool:
        """Whether ``generated`` (a trailing end token ignored) is a whole valid program."""


class _Node:
    __slots__ = ("children", "ids")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.ids: list[int] = []


class GrammarConstraint:
    """A :class:`TokenConstraint` from a character grammar and the vocabulary's text pieces.

    Args:
        grammar: The program language.
        pieces: Text of each token id; None for tokens never generated inside a program
            (padding, special tokens). The end token's piece is ignored.
        eos_id: The id that ends a program.
        joiner: Put between two pieces when a sequence is decoded (``" "`` for word vocabularies).
    """

    def __init__(self, grammar: CharGrammar, pieces: Sequence[str | None], eos_id: int, *, joiner: str = "") -> None:
        self.grammar, self.eos_id, self.joiner = grammar, int(eos_id), joiner
        self.pieces = [None if i == eos_id or not p else p for i, p in enumerate(pieces)]
        self._trie = _Node()
        for token_id, piece in enumerate(self.pieces):
            if piece is not None:
                node = self._trie
                for char in piece:
                    node = node.children.setdefault(char, _Node())
                node.ids.append(token_id)
        self._states: dict[tuple[int, ...], Hashable | None] = {}
        self._next: dict[Hashable, list[int]] = {}
        self._allowed: dict[tuple[Hashable, bool], tuple[int, ...]] = {}
        self._reset_states()

    @classmethod
    def from_vocab(cls, grammar: CharGrammar, vocab: Any) -> "GrammarConstraint":
        """For a :class:`~nesy.proposer.vocab.Vocab`: its tokens, specials excluded, joined by its joiner."""
        from nesy.proposer.vocab import SPECIALS

        pieces = [None if i < len(SPECIALS) else token for i, token in enumerate(vocab.tokens)]
        return cls(grammar, pieces, vocab.eos_id, joiner=vocab.joiner)

    @classmethod
    def from_tokenizer(cls, grammar: CharGrammar, tokenizer: Any, eos_id: int) -> "GrammarConstraint":
        """For a Hugging Face tokenizer: each token's piece is the text it adds after an anchor token."""
        return cls(grammar, tokenizer_pieces(tokenizer), eos_id)

    def _reset_states(self) -> None:
        self._states = {(): self.grammar.initial()}

    def state(self, generated: Sequence[int]) -> Hashable | None:
        """The grammar state after ``generated`` (None when it already left the language)."""
        key = tuple(int(i) for i in generated)
        if key in self._states:
            return self._states[key]
        if len(self._states) > CACHE_LIMIT:
            self._reset_states()
        known = len(key)
        while key[:known] not in self._states:
            known -= 1
        state = self._states[key[:known]]
        for position in range(known, len(key)):
            token = key[position]
            piece = self.pieces[token] if 0 <= token < len(self.pieces) else None
            if state is not None:
                state = None if piece is None else self.grammar.feed(state, piece if position == 0 else self.joiner + piece)
            self._states[key[: position + 1]] = state
        return state

    def _walk(self, state: Hashable) -> list[int]:
        if state in self._next:
            return self._next[state]
        if len(self._next) > CACHE_LIMIT:
            self._next.clear()
        found: list[int] = []
        stack = [(self._trie, state)]
        while stack:
            node, current = stack.pop()
            for char, child in node.children.items():
                after = self.grammar.step(current, char)
                if after is not None:
                    found.extend(child.ids)
                    if child.children:
                        stack.append((child, after))
        found.sort()
        self._next[state] = found
        return found

    def allowed(self, generated: Sequence[int]) -> tuple[int, ...]:
        """Token ids that may follow ``generated``: the same tuple object for the same grammar state."""
        state = self.state(generated)
        key = (state, bool(generated))
        if key in self._allowed:
            return self._allowed[key]
        if len(self._allowed) > CACHE_LIMIT:
            self._allowed.clear()
        ids: list[int] = []
        if state is not None:
            start = self.grammar.feed(state, self.joiner) if generated and self.joiner else state
            ids = self._walk(start) if start is not None else []
            if self.grammar.accepts(state):
                ids = [*ids, self.eos_id]
        if not ids:  # the vocabulary cannot spell any continuation: end here (the sequence is dropped)
            log.debug("no token continues %r validly; ending the sequence", generated)
        self._allowed[key] = result = tuple(ids) or (self.eos_id,)
        return result

    def complete(self, generated: Sequence[int]) -> bool:
        ids = list(generated)
        if ids and ids[-1] == self.eos_id:
            ids.pop()
        state = self.state(ids)
        return state is not None and self.grammar.accepts(state)


def tokenizer_pieces(tokenizer: Any) -> list[str | None]:
    """The text each token id adds to a decoded sequence (None for special tokens).

    A piece is ``decode([anchor, id])`` minus ``decode([anchor])`` for an ordinary anchor token, so
    leading spaces (``Ġ``, ``▁``) and a decoder that joins words with spaces are both accounted for.
    """
    special = set(getattr(tokenizer, "all_special_ids", []) or [])

    def decode(ids: list[int]) -> str:
        return tokenizer.decode(ids, skip_special_tokens=False, clean_up_tokenization_spaces=False)

    size = len(tokenizer)
    anchor = next((i for i in range(size) if i not in special and decode([i]).strip()), None)
    base = decode([anchor]) if anchor is not None else ""
    pieces: list[str | None] = []
    for token_id in range(size):
        if token_id in special:
            pieces.append(None)
            continue
        both = decode([anchor, token_id]) if anchor is not None else decode([token_id])
        pieces.append(both[len(base) :] if both.startswith(base) else decode([token_id]))
    return pieces
