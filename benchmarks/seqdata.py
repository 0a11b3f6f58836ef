"""Reading and writing sequence-to-sequence pairs: SCAN's line format and JSONL.

A *pair* is ``(input, output)``: two strings of space-separated tokens. Two file formats are read,
plain or gzip-compressed (detected by the file's first bytes, not its name):

* SCAN lines: ``IN: <input> OUT: <output>``, one pair a line;
* JSONL: one JSON object a line with ``input`` and ``output`` fields, each a string or a list of
  string tokens (joined with single spaces).

Blank lines are skipped; runs of whitespace inside a field become one space. A malformed line
raises :class:`~nesy.errors.NesyError` naming the file and the line number.

Example:
    >>> parse_scan_line("IN: jump twice OUT: I_JUMP I_JUMP")
    ('jump twice', 'I_JUMP I_JUMP')
    >>> format_scan_line(("jump twice", "I_JUMP I_JUMP"))
    'IN: jump twice OUT: I_JUMP I_JUMP'
    >>> parse_jsonl_line('{"input": "walk", "output": ["I_WALK"]}')
    ('walk', 'I_WALK')
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from pathlib import Path
from typing import Iterable, Literal

from nesy.errors import NesyError

logger = logging.getLogger(__name__)

Pair = tuple[str, str]
"""One example: (input tokens, output tokens), each joined with single spaces."""

Format = Literal["auto", "scan", "jsonl"]

_SCAN_LINE = re.compile(r"^IN:\s+(?P<input>.*?)\s+OUT:(?:\s+(?P<output>.*))?$")
_GZIP_MAGIC = b"\x1f\x8b"


def _tokens(text: str) -> str:
    return " ".join(text.split())


def parse_scan_line(line: str) -> Pair:
    """Parse one ``IN: <input> OUT: <output>`` line (the output may be empty, the input may not).

    Raises:
        ValueError: the line is not in that format.

    Example:
        >>> parse_scan_line("IN: walk  left OUT:")
        ('walk left', '')
        >>> parse_scan_line("walk OUT: I_WALK")
        Traceback (most recent call last):
        ...
        ValueError: expected 'IN: <input> OUT: <output>'
    """
    match = _SCAN_LINE.match(line.strip())
    if match is None:
        raise ValueError("expected 'IN: <input> OUT: <output>'")
    source, target = _tokens(match["input"]), _tokens(match["output"] or "")
    if "OUT:" in target.split() or "IN:" in source.split():
        raise ValueError("more than one IN:/OUT: marker on the line")
    return source, target


def parse_jsonl_line(line: str) -> Pair:
    """Parse one JSON object with ``input`` and ``output`` (strings or lists of string tokens).

    Raises:
        ValueError: not JSON, not an object, or a field is missing or of the wrong type.

    Example:
        >>> parse_jsonl_line('{"input": "run", "output": 3}')
        Traceback (most recent call last):
        ...
        ValueError: field 'output' must be a string or a list of strings
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object with 'input' and 'output' fields")
    fields = []
    for key in ("input", "output"):
        if key not in record:
            raise ValueError(f"missing field {key!r}")
        value = record[key]
        if isinstance(value, list) and all(isinstance(token, str) for token in value):
            value = " ".join(value)
        if not isinstance(value, str):
            raise ValueError(f"field {key!r} must be a string or a list of strings")
        fields.append(_tokens(value))
    if not fields[0]:
        raise ValueError("field 'input' is empty")
    return fields[0], fields[1]


def format_scan_line(pair: Pair) -> str:
    """One pair as a SCAN line (no newline).

    Raises:
        NesyError: the input is empty or a field holds an ``IN:``/``OUT:`` token (whitespace,
            newlines included, is normalised to single spaces).
    """
    source, target = _tokens(pair[0]), _tokens(pair[1])
    markers = {"IN:", "OUT:"}.intersection(source.split() + target.split())
    if not source or markers:
        raise NesyError(f"cannot write {pair!r} as a SCAN line: empty input or an IN:/OUT: token inside a field")
    return f"IN: {source} OUT: {target}".rstrip()


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NesyError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        if raw.startswith(_GZIP_MAGIC):
            raw = gzip.decompress(raw)
        return raw.decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise NesyError(f"cannot read {path}: not UTF-8 text or a valid gzip file ({exc})") from None


def _sniff(path: Path, lines: list[str]) -> Literal["scan", "jsonl"]:
    suffixes = [s.lower() for s in path.suffixes]
    if ".jsonl" in suffixes or ".json" in suffixes:
        return "jsonl"
    first = next((line.strip() for line in lines if line.strip()), "")
    return "jsonl" if first.startswith("{") else "scan"


def read_pairs(path: str | Path, fmt: Format = "auto") -> list[Pair]:
    """Read every pair of a SCAN-line or JSONL file (plain or gzip).

    ``fmt="auto"`` picks JSONL for ``.jsonl``/``.json`` names or a first line starting with ``{``,
    SCAN lines otherwise.

    Raises:
        NesyError: unreadable file, or a malformed line (message: ``<file>:<line>: <why>``).
    """
    path = Path(path)
    lines = _read_text(path).splitlines()
    kind = _sniff(path, lines) if fmt == "auto" else fmt
    parse = parse_jsonl_line if kind == "jsonl" else parse_scan_line
    pairs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            pairs.append(parse(line))
        except ValueError as exc:
            shown = line.strip() if len(line.strip()) <= 80 else line.strip()[:77] + "..."
            raise NesyError(f"{path}:{number}: malformed {kind} line: {exc}: {shown!r}") from None
    logger.debug("read %d pairs (%s) from %s", len(pairs), kind, path)
    return pairs


def write_pairs(path: str | Path, pairs: Iterable[Pair], fmt: Literal["scan", "jsonl"] = "scan") -> int:
    """Write pairs as SCAN lines or JSONL (UTF-8, one a line); returns how many were written.

    Example:
        >>> import tempfile, os
        >>> tmp = tempfile.TemporaryDirectory()
        >>> target = os.path.join(tmp.name, "train.txt")
        >>> write_pairs(target, [("walk", "I_WALK"), ("look twice", "I_LOOK I_LOOK")])
        2
        >>> read_pairs(target)
        [('walk', 'I_WALK'), ('look twice', 'I_LOOK I_LOOK')]
        >>> tmp.cleanup()
    """
    if fmt == "scan":
        lines = [format_scan_line(pair) for pair in pairs]
    else:
        lines = [json.dumps({"input": _tokens(a), "output": _tokens(b)}, ensure_ascii=False) for a, b in pairs]
    text = "".join(line + "\n" for line in lines)
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise NesyError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(lines)
