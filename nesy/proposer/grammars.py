"""Program languages as character automata, for grammar-constrained decoding.

A :class:`CharGrammar` reads a program one character at a time: ``step(state, char)`` gives the
next state, or None once the text can no longer be the start of a valid program; ``accepts(state)``
says whether the text so far is a whole program. States are small hashable tuples, so a decoder
can cache what each state allows (:mod:`nesy.proposer.constraint`).

Two languages are built in, described by the user rather than learned:

- :class:`CallSyntax` -- nested calls ``f(g(x), 2)`` (the ``dsl`` backend's syntax) over given
  function names and arities, atom names (constants, variables, nullary primitives, listed string
  literals), and optionally any integer or any string literal. Every accepted text parses, and
  every call has exactly its function's number of arguments. :meth:`CallSyntax.from_dsl` reads
  them from a :class:`~nesy.solvers.dsl.DSL`.
- :class:`SExpression` -- balanced parentheses over allowed words (and optionally numerals), for
  s-expression languages such as SMT-LIB: ``(assert (< x 3))``.

Example:
    >>> calls = CallSyntax({"add": 2, "neg": 1}, atoms=["x"])
    >>> calls.is_complete("add(neg(x), -2)"), calls.is_complete("add(x)"), calls.is_prefix("add(neg(")
    (True, False, True)
    >>> calls.is_prefix("add(y"), calls.is_prefix("ad"), calls.is_prefix("ad(")
    (False, True, False)
    >>> smt = SExpression(["assert", "<", "x"])
    >>> smt.is_complete("(assert (< x 3))"), smt.is_complete("(assert (< x 3)"), smt.is_prefix("(asert")
    (True, False, False)
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Collection, Hashable, Mapping

from nesy.errors import NesyError

State = Hashable
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUOTED = re.compile(r'"(?:[^"\\]|\\["\\nt])*"')
_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_DIGITS = frozenset("0123456789")
_SPACE = frozenset(" \t\n\r")


def _prefixes(words: Collection[str]) -> frozenset[str]:
    return frozenset(word[:i] for word in words for i in range(1, len(word) + 1))


class CharGrammar(ABC):
    """A language read character by character (subclasses define the automaton)."""

    @abstractmethod
    def initial(self) -> State:
        """The state before any character."""

    @abstractmethod
    def step(self, state: State, char: str) -> State | None:
        """The state after ``char``, or None when no valid program starts with the text so far."""

    @abstractmethod
    def accepts(self, state: State) -> bool:
        """Whether the text read so far is a whole program."""

    def feed(self, state: State | None, text: str) -> State | None:
        """The state after every character of ``text`` (None once dead)."""
        for char in text:
            if state is None:
                return None
            state = self.step(state, char)
        return state

    def is_prefix(self, text: str) -> bool:
        """Whether some valid program starts with ``text``."""
        return self.feed(self.initial(), text) is not None

    def is_complete(self, text: str) -> bool:
        """Whether ``text`` is a whole valid program."""
        state = self.feed(self.initial(), text)
        return state is not None and self.accepts(state)


@dataclass(frozen=True)
class CallSyntax(CharGrammar):
    """Call syntax ``f(g(x), 2)`` over declared names (whitespace allowed between tokens).

    Attributes:
        functions: Function name -> number of arguments (0 means it is written ``f()``).
        atoms: Names that stand alone (constants, variables, nullary primitives) and string
            literals written with their quotes, e.g. ``'"RED"'``.
        integers: Allow any integer literal (``-12``), at most ``max_int_digits`` digits.
        strings: Allow any double-quoted string literal (escapes ``\\" \\\\ \\n \\t``).
        max_depth: Calls open inside each other at most.
        max_int_digits: Longest integer literal.
    """

    functions: Mapping[str, int]
    atoms: Collection[str] = ()
    integers: bool = True
    strings: bool = False
    max_depth: int = 32
    max_int_digits: int = 12
    _lexemes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        functions = dict(self.functions)
        for name, arity in functions.items():
            if not isinstance(name, str) or not _IDENT.fullmatch(name):
                raise NesyError(f"function name must be an identifier, got {name!r}")
            if isinstance(arity, bool) or not isinstance(arity, int) or arity < 0:
                raise NesyError(f"arity of {name!r} must be an integer >= 0, got {arity!r}")
        atoms = frozenset(str(a) for a in self.atoms)
        for atom in atoms:
            if not (_IDENT.fullmatch(atom) or _QUOTED.fullmatch(atom)):
                raise NesyError(f"atom must be an identifier or a double-quoted string literal, got {atom!r}")
        both = sorted(atoms & functions.keys())
        if both:
            raise NesyError(f"{both[0]!r} is declared both as a function and as an atom")
        if not functions and not atoms and not self.integers and not self.strings:
            raise NesyError("the call syntax allows no program: give functions, atoms, integers or strings")
        object.__setattr__(self, "functions", functions)
        object.__setattr__(self, "atoms", atoms)
        object.__setattr__(self, "_lexemes", frozenset(functions) | atoms)

    @classmethod
    def from_dsl(cls, dsl: Any, **options: Any) -> "CallSyntax":
        """The call syntax of a :class:`~nesy.solvers.dsl.DSL`: its primitives (nullary ones as
        atoms), constants and variables; integer and string literals when its types mention
        ``int`` or ``str`` (``options`` override any field).

        Example:
            >>> import operator
            >>> from nesy.solvers.dsl import DSL
            >>> dsl = DSL("arith")
            >>> _ = dsl.primitive("add", ["int", "int"], "int", operator.add)
            >>> dsl.variable("x", "int")
            >>> CallSyntax.from_dsl(dsl).is_complete("add(x, add(1, x))")
            True
        """
        functions = {name: p.arity for name, p in dsl.primitives.items() if p.arity}
        atoms = [name for name, p in dsl.primitives.items() if not p.arity] + [*dsl.constants, *dsl.variables]
        types = dsl.type_names()
        fields: dict[str, Any] = {"atoms": atoms, "integers": "int" in types, "strings": "str" in types}
        return cls(functions, **{**fields, **options})

    @cached_property
    def _viable(self) -> frozenset[str]:
        return _prefixes(self._lexemes)

    # -- the automaton: (mode, open calls' remaining arguments, buffer) ---------------------------
    def initial(self) -> State:
        return ("expr", (), "")

    def accepts(self, state: State) -> bool:
        mode, stack, buf = state  # type: ignore[misc]
        if stack:
            return False
        return mode == "after" or (mode == "word" and buf in self.atoms) or (mode == "int" and buf != "-")

    def _done(self, stack: tuple[int, ...]) -> State:
        """An expression just ended: one argument fewer is owed to the innermost open call."""
        return ("after", stack[:-1] + (stack[-1] - 1,), "") if stack else ("after", (), "")

    def step(self, state: State, char: str) -> State | None:
        mode, stack, buf = state  # type: ignore[misc]
        if mode == "word":
            quoted = buf.startswith('"')
            if char in _IDENT_CHARS or (quoted and buf not in self._lexemes):
                longer = buf + char
                return ("word", stack, longer) if longer in self._viable else None
            if buf in self.functions:
                return self.step(("open", stack, buf), char)
            return self.step(self._done(stack), char) if buf in self.atoms else None
        if mode == "int":
            if char in _DIGITS:
                return ("int", stack, buf + char) if len(buf.lstrip("-")) < self.max_int_digits else None
            return None if buf == "-" or char in _IDENT_CHARS else self.step(self._done(stack), char)
        if mode == "str":
            if buf == "\\":
                return ("str", stack, "") if char in '"\\nt' else None
            if char == '"':
                return self._done(stack)
            return ("str", stack, "\\" if char == "\\" else "")
        if char in _SPACE:
            return state
        if mode == "expr":
            if char == '"' and self.strings:
                return ("str", stack, "")
            if char in self._viable:
                return ("word", stack, char)
            if self.integers and (char in _DIGITS or char == "-"):
                return ("int", stack, char)
            return None
        if mode == "open":
            if char != "(" or len(stack) >= self.max_depth:
                return None
            arity = self.functions[buf]
            return ("expr", stack + (arity,), "") if arity else ("after", stack + (0,), "")
        # mode == "after": a whole expression was read
        if not stack:
            return None
        if char == "," and stack[-1] > 0:
            return ("expr", stack, "")
        if char == ")" and stack[-1] == 0:
            return self._done(stack[:-1])
        return None


_ATOM_BREAK = frozenset('()";|') | _SPACE
_NUMERAL_PREFIX = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]*)?")  # SMT-LIB numerals and decimals: no leading zeros
_NUMERAL = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")


@dataclass(frozen=True)
class SExpression(CharGrammar):
    """Parenthesised forms over allowed words, e.g. SMT-LIB or other Lisp-like program text.

    Every top-level form is a list ``( ... )``; inside, words and nested lists separated by
    whitespace. Comments, string literals and ``|quoted|`` symbols are not part of this language.

    Attributes:
        words: The atoms allowed inside lists (no whitespace, parentheses, ``"``, ``;`` or ``|``).
        numerals: Also allow numerals ``12`` and decimals ``1.5`` (SMT-LIB's: no leading zeros).
        forms: Top-level forms at most (None: any number, at least one).
        max_depth: Lists open inside each other at most.
    """

    words: Collection[str]
    numerals: bool = True
    forms: int | None = None
    max_depth: int = 32

    def __post_init__(self) -> None:
        words = frozenset(str(w) for w in self.words)
        bad = sorted(w for w in words if not w or any(c in _ATOM_BREAK for c in w))
        if bad:
            raise NesyError(f"an s-expression word cannot be empty or contain spaces, parentheses, quotes, ';' or '|': {bad[0]!r}")
        if self.forms is not None and self.forms < 1:
            raise NesyError(f"forms must be at least 1 (or None), got {self.forms!r}")
        object.__setattr__(self, "words", words)

    @cached_property
    def _viable(self) -> frozenset[str]:
        return _prefixes(self.words)

    def _word_ok(self, text: str, *, whole: bool) -> bool:
        if text in (self.words if whole else self._viable):
            return True
        return bool(self.numerals and (_NUMERAL if whole else _NUMERAL_PREFIX).fullmatch(text))

    # -- the automaton: (depth, forms finished, mode, buffer) ----------------------------------
    def initial(self) -> State:
        return (0, 0, "gap", "")

    def accepts(self, state: State) -> bool:
        depth, done, mode, _ = state  # type: ignore[misc]
        return depth == 0 and done > 0 and mode == "gap"

    def step(self, state: State, char: str) -> State | None:
        depth, done, mode, buf = state  # type: ignore[misc]
        if mode == "word":
            if char not in _ATOM_BREAK:
                return (depth, done, "word", buf + char) if self._word_ok(buf + char, whole=False) else None
            return self.step((depth, done, "gap", ""), char) if self._word_ok(buf, whole=True) else None
        if char in _SPACE:
            return state
        if char == "(":
            if depth >= self.max_depth or (depth == 0 and self.forms is not None and done >= self.forms):
                return None
            return (depth + 1, done, "gap", "")
        if depth == 0:
            return None
        if char == ")":
            finished = min(done + (depth == 1), self.forms or 1)  # beyond the limit (or 1) the count is not needed
            return (depth - 1, finished, "gap", "")
        if char in _ATOM_BREAK:
            return None
        return (depth, done, "word", char) if self._word_ok(char, whole=False) else None
