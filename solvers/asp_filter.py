"""A lexer-level allow-list filter for ASP (clingo) program text.

clingo can run embedded Python (``#script``), read files (``#include``) and call Python
functions while grounding (``@name(...)`` terms). Program text from a neural module is
untrusted, so :func:`check_program` lexes it the way clingo's own lexer does and refuses:

* ``#script``, ``#include``, ``#theory`` and every ``#keyword`` not in :data:`ALLOWED_DIRECTIVES`;
* ``@name`` external-function terms unless ``name`` is in the caller's allow-list
  (``@`` between a number or variable and a constant, as in the priority ``[1@low]``, is fine);
* strings or block comments that clingo would lex differently or not at all: unterminated
  ones, strings with escapes other than ``\\"``, ``\\\\`` and ``\\n`` (clingo's only ones), and
  NUL bytes (clingo reads C strings).

Comments and strings are skipped exactly as clingo does it: ``%`` and ``#!`` start a line
comment, ``%* ... *%`` block comments *nest*, and inside a block comment a lone ``%`` starts a
line comment (so a ``*%`` later on that line does not close the block). A ``#script`` inside a
comment or a string is therefore harmless and accepted.

Example:
    >>> check_program('p(1). % #script in a comment is fine\\nq("#include").').directives
    frozenset()
    >>> check_program('#script (python)\\nimport os\\n#end.')
    Traceback (most recent call last):
    ...
    nesy.errors.ProgramRejected: line 1: #script blocks (embedded Python/Lua code) are not allowed
    >>> check_program('x(@f(1)).', allowed_functions={"f"}).functions
    frozenset({'f'})
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Iterable

from nesy.errors import ProgramRejected

ALLOWED_DIRECTIVES: frozenset[str] = frozenset(
    {
        # statements
        "show", "const", "minimize", "minimise", "maximize", "maximise", "external", "program",
        "heuristic", "project", "defined", "edge",
        # aggregate and constant keywords (``#sum+`` lexes as ``#sum`` followed by ``+``)
        "count", "sum", "min", "max", "inf", "infimum", "sup", "supremum", "true", "false",
    }
)  # fmt: skip
"""``#keywords`` a program may use; everything else is refused."""

_REFUSAL_REASONS = {
    "script": "#script blocks (embedded Python/Lua code) are not allowed",
    "include": "#include is not allowed (programs may not read files)",
    "theory": "#theory definitions are not supported",
}

_STRING = re.compile(r'"(?:[^\\"\n]|\\["\\n])*"')
_WORD = re.compile(r"[A-Za-z0-9_']+")
_DIRECTIVE = re.compile(r"#[A-Za-z0-9_]*")
_SPACE = re.compile(r"[ \t\r\n]+")
_BLOCK_EVENT = re.compile(r"\*%|%\*|%")
_IDENTIFIER = re.compile(r"[_']*[a-z]")
_VARIABLE = re.compile(r"[_']*[A-Z]")
_NONE: frozenset[str] = frozenset()
_ALLOWED_TOKENS = frozenset(f"#{name}" for name in ALLOWED_DIRECTIVES)


@dataclass(frozen=True)
class Token:
    """One significant token: ``kind`` is word, string, directive or punct; ``offset`` into the text."""

    kind: str
    text: str
    offset: int


@dataclass(frozen=True)
class ProgramInfo:
    """What the filter saw in an accepted program.

    Attributes:
        directives: The ``#keywords`` used (without ``#``).
        functions: Names of the ``@`` external functions called (all allow-listed).
    """

    directives: frozenset[str]
    functions: frozenset[str]


class _Lines:
    """Maps character offsets to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None  # found on first use: only refusals need line numbers

    def __call__(self, offset: int) -> int:
        if self._starts is None:
            self._starts = [m.end() for m in re.finditer("\n", self._text)]
        return bisect.bisect_right(self._starts, offset) + 1


def tokenize(text: str) -> list[Token]:
    """Split ASP text into significant tokens, dropping whitespace and comments like clingo does.

    Raises:
        ProgramRejected: on a NUL byte, an unterminated block comment, or a string clingo
            would not lex as one string.

    Example:
        >>> [t.text for t in tokenize('a :- b("x %* y"). %* c. %* nested *% d. *% e.')]
        ['a', ':', '-', 'b', '(', '"x %* y"', ')', '.', 'e', '.']
    """
    line = _Lines(text)
    if "\0" in text:
        raise ProgramRejected(f"line {line(text.index(chr(0)))}: NUL byte in program text")
    tokens: list[Token] = []
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if char in " \t\r\n":
            pos = _SPACE.match(text, pos).end()
        elif text.startswith("%*", pos):
            pos = _skip_block_comment(text, pos, line)
        elif char == "%" or text.startswith("#!", pos):
            newline = text.find("\n", pos)
            pos = end if newline < 0 else newline + 1
        elif char == '"':
            match = _STRING.match(text, pos)
            if match is None:
                raise ProgramRejected(f"line {line(pos)}: {_string_problem(text, pos)}")
            tokens.append(Token("string", match.group(), pos))
            pos = match.end()
        elif char == "#":
            match = _DIRECTIVE.match(text, pos)
            tokens.append(Token("directive", match.group(), pos))
            pos = match.end()
        elif (match := _WORD.match(text, pos)) is not None:
            tokens.append(Token("word", match.group(), pos))
            pos = match.end()
        else:
            tokens.append(Token("punct", char, pos))
            pos += 1
    return tokens


def check_program(text: str, allowed_functions: Iterable[str] = ()) -> ProgramInfo:
    """Refuse ASP text that uses a forbidden construct; describe it otherwise.

    Args:
        text: The program.
        allowed_functions: Names that ``@name(...)`` terms may call.

    Raises:
        ProgramRejected: naming the construct and its line.
    """
    if not ("\0" in text or '"' in text or "%" in text or "@" in text or "#!" in text):  # (a regex scans slower)
        # No string, comment or '@' anywhere: the lexer would make every '#' a directive token.
        found = frozenset(_DIRECTIVE.findall(text))
        if found <= _ALLOWED_TOKENS:
            return _plain_program(found)
        for match in _DIRECTIVE.finditer(text):  # refuse the first one that is not allowed
            _allowed_directive(match.group(), match.start(), _Lines(text))
    allowed = frozenset(allowed_functions)
    line = _Lines(text)
    directives: set[str] = set()
    functions: set[str] = set()
    tokens = tokenize(text)
    for index, token in enumerate(tokens):
        if token.kind == "directive":
            directives.add(_allowed_directive(token.text, token.offset, line))
        elif token.kind == "punct" and token.text == "@":
            name = _called_function(tokens, index)
            if name is not None and name not in allowed:
                raise ProgramRejected(
                    f"line {line(token.offset)}: external function @{name} is not allowed"
                    + (f" (allowed: {', '.join(sorted(allowed))})" if allowed else "")
                )
            if name is not None:
                functions.add(name)
    return ProgramInfo(frozenset(directives), frozenset(functions))


@functools.lru_cache(maxsize=256)
def _plain_program(tokens: frozenset[str]) -> ProgramInfo:
    """What a program without strings, comments or ``@`` uses, from its set of ``#keyword`` tokens
    (few distinct sets occur, and programs are filtered one by one: the answers are kept)."""
    return ProgramInfo(frozenset(token[1:] for token in tokens), _NONE)


def _allowed_directive(text: str, offset: int, line: _Lines) -> str:
    """The name of the directive ``text`` (``#show`` -> ``show``), or a refusal naming its line."""
    name = text[1:]
    if name not in ALLOWED_DIRECTIVES:
        reason = _REFUSAL_REASONS.get(name) or (f"directive {text} is not allowed" if name else "stray '#' is not allowed")
        raise ProgramRejected(f"line {line(offset)}: {reason}")
    return name


def check_term(text: str) -> None:
    """Refuse text that is not a plain term or atom (used for assumptions and abducibles).

    Example:
        >>> check_term('parent(ann, "Bob")')
        >>> check_term('p. #include "f".')
        Traceback (most recent call last):
        ...
        nesy.errors.ProgramRejected: not a plain atom: 'p. #include "f".'
    """
    tokens = tokenize(text)
    if not tokens or any(t.kind == "directive" or t.text in {"@", ".", ":", ";"} for t in tokens):
        raise ProgramRejected(f"not a plain atom: {text[:80]!r}")


def _called_function(tokens: list[Token], index: int) -> str | None:
    """The function name if the ``@`` at ``index`` starts an external call, else None.

    ``@`` followed by an identifier is a call, except in a priority such as ``1@low`` or
    ``W@low`` (a number or variable before ``@``, no ``(`` after the constant).
    """
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following is None or following.kind != "word" or not _IDENTIFIER.match(following.text):
        return None
    previous = tokens[index - 1] if index > 0 else None
    after = tokens[index + 2] if index + 2 < len(tokens) else None
    is_priority = (
        previous is not None
        and previous.kind == "word"
        and (previous.text[0].isdigit() or _VARIABLE.match(previous.text) is not None)
        and not (after is not None and after.text == "(")
    )
    return None if is_priority else following.text


def _skip_block_comment(text: str, pos: int, line: _Lines) -> int:
    """Offset just past the block comment opened at ``pos`` (clingo nests them)."""
    depth, cursor = 1, pos + 2
    while depth:
        event = _BLOCK_EVENT.search(text, cursor)
        if event is None:
            raise ProgramRejected(f"line {line(pos)}: unterminated block comment '%*'")
        if event.group() == "*%":
            depth -= 1
            cursor = event.end()
        elif event.group() == "%*":
            depth += 1
            cursor = event.end()
        else:  # a '%' inside a block comment comments out the rest of its line
            newline = text.find("\n", event.end())
            if newline < 0:
                raise ProgramRejected(f"line {line(pos)}: unterminated block comment '%*'")
            cursor = newline + 1
    return cursor


def _string_problem(text: str, pos: int) -> str:
    """Why the string starting at ``pos`` is not one clingo string."""
    cursor = pos + 1
    while cursor < len(text):
        char = text[cursor]
        if char == "\n" or char == '"':
            break
        if char == "\\":
            if text[cursor + 1 : cursor + 2] not in ('"', "\\", "n"):
                return f"invalid escape {text[cursor:cursor + 2]!r} in string (clingo knows \\\", \\\\ and \\n)"
            cursor += 2
            continue
        cursor += 1
    return "unterminated string"
