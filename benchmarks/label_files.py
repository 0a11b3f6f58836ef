"""Reading JSON Lines label files strictly but without crashing: one message per bad line.

Each suite says how one record becomes an item (or what is wrong with it); this module reads
the file, skips blank lines, reports lines that are not JSON, and names file and line in
every message.

Example:
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "labels.jsonl")
    >>> _ = open(path, "w").write('{"n": 1}\\n{"n": -1}\\nnope\\n')
    >>> parse = lambda r: r["n"] if r.get("n", -1) >= 0 else "n must not be negative"
    >>> read_json_lines(path, parse)
    ([1], ['labels.jsonl:2: n must not be negative', 'labels.jsonl:3: not JSON (Expecting value)'])
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, TypeVar

from nesy.errors import NesyError

T = TypeVar("T")


def read_json_lines(path: str, parse: Callable[[Any], T | str]) -> tuple[list[T], list[str]]:
    """Items from the lines ``parse`` accepts, and ``"name:line: message"`` for every other line.

    ``parse`` returns the item, or a string saying what is wrong with the record.

    Raises:
        NesyError: if the file cannot be read (the message names it).
    """
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.readlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise NesyError(f"cannot read label file {path}: {exc}") from None
    name = os.path.basename(path)
    items: list[T] = []
    problems: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            outcome: T | str = f"not JSON ({exc.msg})"
        else:
            outcome = parse(record)
        if isinstance(outcome, str):
            problems.append(f"{name}:{number}: {outcome}")
        else:
            items.append(outcome)
    return items, problems
