"""What clingo says, made readable: its log messages kept (not printed), one-line error text, verdict messages.

Example:
    >>> log = MessageLog()
    >>> log(clingo.MessageCode.RuntimeError, "<block>:1:3-4: error: syntax error, unexpected .")
    >>> log.errors
    ['line 1:3-4: syntax error, unexpected .']
"""

from __future__ import annotations

import logging
import re
from typing import Any

import clingo

from nesy.verdict import Status

log = logging.getLogger(__name__)


def clean_message(text: str, limit: int = 300) -> str:
    """One line from a clingo message: ``<block>:1:3-4: error: x\\n  y`` -> ``line 1:3-4: x y``.

    Example:
        >>> clean_message("<block>:2:7-8: error: syntax error, unexpected .\\n")
        'line 2:7-8: syntax error, unexpected .'
    """
    text = re.sub(r"<(?:block|string)>:(\d+:\d+(?:-\d+(?::\d+)?)?): (?:error|info|warning|note): ", r"line \1: ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class MessageLog:
    """clingo's logger callback: keeps messages instead of printing them to stderr.

    A separate object, not a method of the session: the control holds its logger, so a bound
    method would make a reference cycle and keep every finished control (and its memory) alive
    until Python's cyclic collector ran.
    """

    __slots__ = ("messages", "errors")

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.errors: list[str] = []

    def __call__(self, code: clingo.MessageCode, message: str) -> None:
        text = clean_message(message)
        if code == clingo.MessageCode.RuntimeError and len(self.errors) < 20:
            self.errors.append(text)
        elif code != clingo.MessageCode.RuntimeError and len(self.messages) < 50:
            self.messages.append(text)
        log.debug("clingo %s: %s", code.name, message.strip())


def search_message(status: Status, value: dict[str, Any], seconds: float) -> str:
    """The one-line message of a :meth:`ClingoSession.search` outcome.

    Example:
        >>> search_message(Status.SAT, {"models": [["a"]], "costs": [[]], "optimal": False}, 0.01)
        '1 answer set(s)'
    """
    models = value["models"]
    if status is Status.UNKNOWN:
        return f"search interrupted after {seconds:.2f} s with {len(models)} answer set(s) so far"
    if status is Status.UNSAT:
        return "no answer set"
    costs = value["costs"]
    if costs and costs[-1]:
        return f"{len(models)} answer set(s), {'optimal' if value['optimal'] else 'best'} cost {costs[-1]}"
    return f"{len(models)} answer set(s)"
