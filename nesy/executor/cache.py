"""Verdict caches: the same check is never paid twice.

Any object with ``get(key) -> Verdict | None`` and ``put(key, verdict)`` is a cache; the trace store
is one (persistent, shared by processes), :class:`MemoryCache` is the in-process default.

Example:
    >>> from nesy.verdict import Status, Verdict
    >>> cache = MemoryCache(capacity=2)
    >>> cache.put("k", Verdict(Status.OK, 1))
    >>> cache.get("k").value
    1
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol, runtime_checkable

from nesy.verdict import Verdict


@runtime_checkable
class VerdictCache(Protocol):
    """Where executors look up and store verdicts by check key."""

    def get(self, key: str) -> Verdict | None:
        """The stored verdict for ``key``, or None."""

    def put(self, key: str, verdict: Verdict) -> None:
        """Store ``verdict`` under ``key``."""


class MemoryCache:
    """A bounded least-recently-used cache in this process."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, Verdict] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Verdict | None:
        verdict = self._items.get(key)
        if verdict is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return verdict

    def put(self, key: str, verdict: Verdict) -> None:
        self._items[key] = verdict
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
