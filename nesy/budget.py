"""Resource limits for one solver call.

Example:
    >>> b = Budget(wall_seconds=2, memory_mb=256)
    >>> b.replace(wall_seconds=1).wall_seconds
    1
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Budget:
    """Limits that every solve runs under.

    Attributes:
        wall_seconds: Wall-clock limit. Backends stop themselves gracefully before it
            (``unknown``/``timeout``); the sandbox kills the worker shortly after it.
        memory_mb: Address space the program may add to a worker, in MiB.
        max_program_bytes: Programs larger than this are ``rejected`` unread.
        max_steps: Step limit for interpreters (DSL primitive applications).
        max_value_size: Largest intermediate value (elements of a sequence/set) an interpreter builds.
        max_models: Most answer sets / models a backend reports.
    """

    wall_seconds: float = 5.0
    memory_mb: int = 1024
    max_program_bytes: int = 1_000_000
    max_steps: int = 100_000
    max_value_size: int = 1_000_000
    max_models: int = 10

    def __post_init__(self) -> None:
        for name in ("wall_seconds", "memory_mb", "max_program_bytes", "max_steps", "max_value_size", "max_models"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Budget.{name} must be a positive number, got {value!r}")

    def replace(self, **changes: Any) -> "Budget":
        """A copy with some fields changed."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict (also the budget's part of a cache key)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}  # flat fields: no deep copy needed


DEFAULT_BUDGET = Budget()
