"""Tokenizer and parser for DSL programs in call syntax: ``f(g(x), 2)``.

The grammar is tiny::

    expr := INT | STRING | NAME | NAME "(" [expr ("," expr)*] ")"

Integers may be negative (``-3``); strings are double-quoted with the escapes ``\\"``, ``\\\\``,
``\\n`` and ``\\t``. The parser uses an explicit stack, so deep nesting is a clean rejection
(:class:`~nesy.errors.ProgramRejected`) at ``max_depth``, never a ``RecursionError``. Nothing in the
text is ever evaluated.

Example:
    >>> tree = parse('add(x, -2)')
    >>> tree.name, [type(a).__name__ for a in tree.args], tree.args[1].value
    ('add', ['Name', 'Literal'], -2)
    >>> format_literal('say "hi"')
    '"say \\\\"hi\\\\""'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, NamedTuple, Union

from nesy.errors import ProgramRejected

MAX_INT_DIGITS = 1000
"""Longest integer literal accepted (Python refuses to convert much longer ones anyway)."""

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
_SCANNER = re.compile(
    r"""(?P<ws>\s+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<int>-?[0-9]+)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<punct>[(),])|(?P<bad>.)""",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Literal:
    """An integer or string literal. ``pos``/``end`` are character offsets in the source."""

    value: Union[int, str]
    pos: int
    end: int


@dataclass(frozen=True, slots=True)
class Name:
    """A bare name: a variable, a constant or a nullary primitive."""

    name: str
    pos: int
    end: int


@dataclass(frozen=True, slots=True)
class Call:
    """A primitive applied to arguments: ``name(args...)``."""

    name: str
    args: tuple["Node", ...]
    pos: int
    end: int


Node = Union[Literal, Name, Call]


def where(text: str, pos: int) -> str:
    """Human-readable position of offset ``pos`` in ``text``: ``line 1, column 5``."""
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {column}"


def _describe(token: "_Token | None") -> str:
    if token is None:
        return "the end of the program"
    shown = token.text if len(token.text) <= 20 else token.text[:17] + "..."
    return repr(shown)


class _Token(NamedTuple):
    kind: str  # name, int, str, punct
    text: str
    pos: int


def tokenize(text: str) -> Iterator[_Token]:
    """Split ``text`` into tokens, rejecting any character outside the grammar."""
    for match in _SCANNER.finditer(text):
        kind = match.lastgroup
        if kind == "ws":
            continue
        pos = match.start()
        if kind == "bad":
            if text[pos] == '"':
                raise ProgramRejected(f"syntax error at {where(text, pos)}: unterminated string literal")
            raise ProgramRejected(f"syntax error at {where(text, pos)}: unexpected character {text[pos]!r}")
        yield _Token(kind, match.group(), pos)  # type: ignore[arg-type]


def _literal(token: _Token, text: str) -> Literal:
    end = token.pos + len(token.text)
    if token.kind == "int":
        if len(token.text.lstrip("-")) > MAX_INT_DIGITS:
            raise ProgramRejected(f"integer literal at {where(text, token.pos)} has more than {MAX_INT_DIGITS} digits")
        return Literal(int(token.text), token.pos, end)
    chars: list[str] = []
    body = token.text[1:-1]
    i = 0
    while i < len(body):
        if body[i] == "\\":
            escaped = body[i + 1]
            if escaped not in _ESCAPES:
                shown = repr("\\" + escaped)
                raise ProgramRejected(f"syntax error at {where(text, token.pos + i + 1)}: unknown escape {shown} in string literal")
            chars.append(_ESCAPES[escaped])
            i += 2
        else:
            chars.append(body[i])
            i += 1
    return Literal("".join(chars), token.pos, end)


@dataclass
class _Open:
    name: str
    pos: int
    args: list[Node] = field(default_factory=list)


def parse(text: str, max_depth: int = 500) -> Node:
    """Parse one program into a tree of :class:`Literal`, :class:`Name` and :class:`Call` nodes.

    Args:
        text: The program.
        max_depth: Most calls that may be open inside each other.

    Raises:
        ProgramRejected: Syntax errors (with line and column) and nesting deeper than ``max_depth``.

    Example:
        >>> parse("f(g(), 1)").args[0]
        Call(name='g', args=(), pos=2, end=5)
        >>> parse("f(1,")
        Traceback (most recent call last):
        ...
        nesy.errors.ProgramRejected: syntax error at line 1, column 5: expected an expression, found the end of the program
    """
    tokens = tokenize(text)
    stack: list[_Open] = []
    lookahead: _Token | None = next(tokens, None)
    if lookahead is None:
        raise ProgramRejected("empty program")

    def advance() -> _Token | None:
        nonlocal lookahead
        current, lookahead = lookahead, next(tokens, None)
        return current

    while True:
        token = advance()
        if token is None or token.kind == "punct":
            at = where(text, token.pos if token else len(text))
            raise ProgramRejected(f"syntax error at {at}: expected an expression, found {_describe(token)}")
        if token.kind == "name" and lookahead is not None and lookahead.text == "(":
            advance()
            if len(stack) >= max_depth:
                raise ProgramRejected(f"program nests deeper than {max_depth} calls (at {where(text, token.pos)})")
            stack.append(_Open(token.text, token.pos))
            if lookahead is not None and lookahead.text == ")":
                closing = advance()
                node: Node = Call(token.text, (), token.pos, closing.pos + 1)  # type: ignore[union-attr]
                stack.pop()
            else:
                continue
        elif token.kind == "name":
            node = Name(token.text, token.pos, token.pos + len(token.text))
        else:
            node = _literal(token, text)
        # Hand the finished node to the enclosing calls, closing every call that ends here.
        while True:
            if not stack:
                if lookahead is not None:
                    raise ProgramRejected(
                        f"syntax error at {where(text, lookahead.pos)}: expected the end of the program, "
                        f"found {_describe(lookahead)}"
                    )
                return node
            stack[-1].args.append(node)
            separator = advance()
            if separator is not None and separator.text == ",":
                break
            if separator is not None and separator.text == ")":
                frame = stack.pop()
                node = Call(frame.name, tuple(frame.args), frame.pos, separator.pos + 1)
                continue
            at = where(text, separator.pos if separator else len(text))
            raise ProgramRejected(f"syntax error at {at}: expected ',' or ')', found {_describe(separator)}")


def format_literal(value: Union[int, str]) -> str:
    """Program text for a literal value (the inverse of parsing it)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"only int and str literals exist, got {type(value).__name__}")
    if isinstance(value, int):
        return str(value)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def iter_nodes(tree: Node) -> Iterator[Node]:
    """All nodes of ``tree``, parents before children (no recursion)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Call):
            stack.extend(reversed(node.args))
