"""A small, strict SMT-LIB 2 s-expression reader and printer.

Untrusted SMT-LIB text is tokenised and read here, never handed raw to z3: the z3 backend
re-serialises the tokens this module accepts (comments dropped, one space between tokens), so
z3's parser only ever sees text whose structure this reader has already checked.

Accepted tokens: ``(`` ``)``, simple symbols, ``|quoted symbols|`` (no ``|`` or ``\\`` inside),
``:keywords``, numerals, decimals, ``#x``/``#b`` literals and ``"strings"`` (``""`` escapes a
quote). ``;`` starts a comment up to the end of the line. Anything else is refused with its
line and column.

Example:
    >>> forms = read_sexprs('(assert (> x 1)) ; a comment')
    >>> to_text(forms[0])
    '(assert (> x 1))'
    >>> forms[0].items[1].items[2].kind
    'numeral'
    >>> read_sexprs('(assert (> x 1)')
    Traceback (most recent call last):
    ...
    nesy.errors.ProgramRejected: unbalanced parentheses: '(' at line 1, column 1 is never closed
"""

from __future__ import annotations

import re
from typing import NamedTuple, Union

from nesy.errors import ProgramRejected

MAX_DEPTH = 500
"""Deepest nesting accepted; deeper terms risk native stack overflows inside the solver."""

_SYMBOL_CHARS = r"A-Za-z0-9~!@$%^&*_\-+=<>.?/"
_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\r\n]+)
  | (?P<comment>;[^\n\r]*)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<string>"(?:[^"]|"")*")
  | (?P<quoted>\|[^|\\]*\|)
  | (?P<keyword>:[SYM]+)
  | (?P<hex>\#x[0-9A-Fa-f]+(?![SYM#|":]))
  | (?P<binary>\#b[01]+(?![SYM#|":]))
  | (?P<decimal>(?:0|[1-9][0-9]*)\.[0-9]+(?![SYM#|":]))
  | (?P<numeral>(?:0|[1-9][0-9]*)(?![SYM#|":]))
  | (?P<symbol>[A-Za-z~!@$%^&*_\-+=<>.?/][SYM]*)
    """.replace("SYM", _SYMBOL_CHARS),
    re.VERBOSE,
)


class Atom(NamedTuple):
    """One token that is not a parenthesis (an immutable tuple: thousands are made per program).

    Attributes:
        text: The token exactly as written (safe to hand back to an SMT-LIB parser).
        kind: ``symbol``, ``keyword``, ``numeral``, ``decimal``, ``hex``, ``binary`` or ``string``.
        line: 1-based line where the token starts.
        column: 1-based column where the token starts.
    """

    text: str
    kind: str
    line: int = 0
    column: int = 0

    @property
    def name(self) -> str:
        """The symbol's name (``|a b|`` -> ``a b``); other tokens give their text.

        Example:
            >>> Atom("|a b|", "symbol").name
            'a b'
        """
        if self.kind == "symbol" and self.text.startswith("|"):
            return self.text[1:-1]
        return self.text


class SList(NamedTuple):
    """A parenthesised list of s-expressions, with the position of its ``(``."""

    items: tuple["SExpr", ...]
    line: int = 0
    column: int = 0

    def head(self) -> str | None:
        """The name of the first item when it is a symbol, else None.

        Example:
            >>> read_sexprs("(push 1)")[0].head()
            'push'
        """
        if self.items and isinstance(self.items[0], Atom) and self.items[0].kind == "symbol":
            return self.items[0].name
        return None


SExpr = Union[Atom, SList]


def read_sexprs(text: str, max_depth: int = MAX_DEPTH) -> list[SExpr]:
    """Read every top-level s-expression of ``text``.

    Args:
        text: SMT-LIB source.
        max_depth: Deepest nesting accepted.

    Returns:
        The top-level expressions, in order.

    Raises:
        ProgramRejected: On an unknown character, an unterminated string or quoted symbol,
            unbalanced parentheses or nesting deeper than ``max_depth`` (with line and column).

    Example:
        >>> [to_text(e) for e in read_sexprs('x |a b| "q""q" #b01 1.5')]
        ['x', '|a b|', '"q""q"', '#b01', '1.5']
    """
    stack: list[tuple[list[SExpr], int, int]] = [([], 0, 0)]
    items = stack[-1][0]
    offset, end = 0, len(text)
    line, line_start = 1, 0  # tracked as tokens pass: positions cost O(1) each, not O(offset)
    one_line = "\n" not in text
    match_at = _TOKEN.match
    while offset < end:
        match = match_at(text, offset)
        column = offset - line_start + 1
        if match is None:
            char = text[offset]
            what = {'"': "unterminated string", "|": "unterminated or invalid quoted symbol"}.get(
                char, f"unexpected character {char!r}"
            )
            raise ProgramRejected(f"{what} at line {line}, column {column}")
        kind = match.lastgroup
        if kind == "open":
            if len(stack) > max_depth:
                raise ProgramRejected(f"nesting deeper than {max_depth} at line {line}, column {column}")
            stack.append(([], line, column))
            items = stack[-1][0]
        elif kind == "close":
            if len(stack) == 1:
                raise ProgramRejected(f"unbalanced parentheses: unexpected ')' at line {line}, column {column}")
            done, open_line, open_column = stack.pop()
            items = stack[-1][0]
            items.append(SList(tuple(done), open_line, open_column))
        elif kind != "space" and kind != "comment":
            items.append(Atom(match.group(), "symbol" if kind == "quoted" else kind, line, column))
        offset = match.end()
        if not one_line and kind in ("space", "string", "quoted", "symbol"):  # the tokens that may span lines
            newlines = text.count("\n", match.start(), offset)
            if newlines:
                line += newlines
                line_start = text.rfind("\n", match.start(), offset) + 1
    if len(stack) > 1:
        _, line, column = stack[-1]
        raise ProgramRejected(f"unbalanced parentheses: '(' at line {line}, column {column} is never closed")
    return stack[0][0]


def to_text(expr: SExpr) -> str:
    """Print an s-expression on one line, one space between tokens (iteratively, any depth).

    Example:
        >>> to_text(read_sexprs("(a  (b\\n c) ())")[0])
        '(a (b c) ())'
    """
    parts: list[str] = []
    todo: list[SExpr | str] = [expr]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, Atom):
            parts.append(item.text)
        else:
            parts.append("(")
            todo.append(")")
            for index in range(len(item.items) - 1, -1, -1):
                todo.append(item.items[index])
                if index:
                    todo.append(" ")
    return "".join(parts)


def atoms(expr: SExpr) -> list[Atom]:
    """Every atom inside ``expr``, depth first (iteratively).

    Example:
        >>> [a.text for a in atoms(read_sexprs("(f (g x) :named n)")[0])]
        ['f', 'g', 'x', ':named', 'n']
    """
    found: list[Atom] = []
    todo: list[SExpr] = [expr]
    while todo:
        item = todo.pop()
        if isinstance(item, Atom):
            found.append(item)
        else:
            todo.extend(reversed(item.items))
    return found
