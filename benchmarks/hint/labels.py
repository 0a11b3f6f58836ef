"""Reading HINT label files (JSON Lines), strictly but without crashing.

Each line is ``{"expression": "3+5*(2-1)", "value": 8}``: the expression's text names which
symbol images to show (one character per symbol; spaces are ignored), the value is the label
the learner sees. A line that is not JSON, lacks a field, has an unknown symbol, is not
grammatical, is longer than 15 symbols, divides by zero, has a non-integer or negative value,
or whose value differs from what the expression evaluates to is reported (file and line) and
skipped.

Example:
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "train.jsonl")
    >>> _ = open(path, "w").write('{"expression": "3+5", "value": 8}\\n{"expression": "3+5", "value": 9}\\n')
    >>> expressions, problems = read_hint_file(path)
    >>> [e.text for e in expressions], problems
    (['3+5'], ['train.jsonl:2: impossible value: 3+5 is 8, the label says 9'])
"""

from __future__ import annotations

import json
from typing import Iterable

from nesy.benchmarks.hint.expressions import MAX_LENGTH, Expression, evaluate, is_grammatical
from nesy.benchmarks.hint.symbols import SYMBOLS
from nesy.benchmarks.label_files import read_json_lines

_KNOWN = frozenset(SYMBOLS)


def read_hint_file(path: str) -> tuple[list[Expression], list[str]]:
    """Expressions from a label file, and one ``"name:line: message"`` per skipped line.

    Raises:
        NesyError: if the file cannot be read (the message names it).
    """
    return read_json_lines(path, _parse)


def _parse(record: object) -> Expression | str:
    """The expression a record holds, or what is wrong with it."""
    if not isinstance(record, dict) or "expression" not in record or "value" not in record:
        return 'expected an object with "expression" and "value"'
    text = record["expression"]
    if not isinstance(text, str):
        return f'"expression" must be a string, got {text!r}'
    tokens = tuple(ch for ch in text if not ch.isspace())
    unknown = [ch for ch in tokens if ch not in _KNOWN]
    if unknown:
        return f"unknown symbol {unknown[0]!r} in {text!r} (known: {''.join(SYMBOLS)})"
    shown = "".join(tokens)
    if len(tokens) > MAX_LENGTH:
        return f"{shown} has {len(tokens)} symbols, more than {MAX_LENGTH}"
    if not is_grammatical(tokens):
        return f"not a grammatical expression: {shown!r}"
    actual = evaluate(tokens)
    if actual is None:
        return f"{shown} divides by zero"
    value = record["value"]
    if isinstance(value, bool) or not isinstance(value, int):
        return f'"value" must be an integer, got {value!r}'
    if value < 0:
        return f'"value" must not be negative, got {value}'
    if value != actual:
        return f"impossible value: {shown} is {actual}, the label says {value}"
    return Expression(tokens, value)


def write_hint_file(path: str, expressions: Iterable[Expression]) -> None:
    """Write expressions in the format :func:`read_hint_file` reads.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "out.jsonl")
        >>> write_hint_file(path, [Expression(("7", "/", "2"), 4)])
        >>> open(path).read()
        '{"expression": "7/2", "value": 4}\\n'
    """
    with open(path, "w", encoding="utf-8") as handle:
        for expression in expressions:
            handle.write(json.dumps({"expression": expression.text, "value": expression.value}) + "\n")
