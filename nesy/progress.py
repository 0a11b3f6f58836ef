"""Progress reporting without a UI dependency in the library.

Library code asks a :class:`Progress` for a task and advances it; the CLI passes a rich-based
implementation, everything else gets :class:`NullProgress`.

Example:
    >>> advance = NullProgress().task("solving", total=3)
    >>> advance(1)
"""

from __future__ import annotations

from typing import Callable, Protocol

Advance = Callable[[int], None]


class Progress(Protocol):
    """Something that shows how far long work has come."""

    def task(self, description: str, total: int | None = None) -> Advance:
        """Start a task; the returned callable advances it by a number of steps."""


class NullProgress:
    """Shows nothing."""

    def task(self, description: str, total: int | None = None) -> Advance:
        return lambda steps=1: None
