"""A content-addressed cache of endpoint replies: in memory, optionally mirrored to a JSON-lines file.

Keys are content hashes of everything that shapes a request (see :func:`request_key`); values are
any JSON value. With a ``path``, every new entry is appended to the file as it arrives and the
file is read back on start, so a rerun pays for no request it already made. A line cut short by a
crash is skipped with a warning; the rest of the file still counts.

Example:
    >>> cache = ResponseCache()
    >>> key = request_key({"model": "m", "prompt": "2+2=", "n": 2})
    >>> cache.get(key) is None
    True
    >>> cache.put(key, [{"text": "4", "logprob": -0.1}])
    >>> cache.get(key)[0]["text"], len(cache)
    ('4', 1)
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from nesy.errors import NesyError
from nesy.hashing import content_hash

log = logging.getLogger(__name__)


def request_key(request: dict[str, Any]) -> str:
    """The cache key of a request: a SHA-256 of its canonical JSON (key order does not matter)."""
    return content_hash("llm-request", request)


class ResponseCache:
    """Maps request keys to stored replies; thread-safe.

    Args:
        path: A JSON-lines file to read at start and append to (created with its folder); None
            keeps the cache in memory only.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._entries: dict[str, Any] = {}
        self._lock = threading.Lock()
        if self.path is not None:
            self._load()

    def _load(self) -> None:
        assert self.path is not None
        if not self.path.exists():
            return
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise NesyError(f"cannot read the response cache {self.path}: {exc}") from exc
        skipped = 0
        for line in lines:
            try:
                row = json.loads(line)
                self._entries[str(row["key"])] = row["value"]
            except (ValueError, KeyError, TypeError):
                skipped += 1
        if skipped:
            log.warning("response cache %s: skipped %d unreadable line(s)", self.path, skipped)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def get(self, key: str) -> Any:
        """The stored reply for ``key``, or None."""
        with self._lock:
            return self._entries.get(key)

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (JSON-serialisable) under ``key``, and append it to the file if there is one."""
        line = json.dumps({"key": key, "value": value}, ensure_ascii=False)
        with self._lock:
            self._entries[key] = value
            if self.path is None:
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with open(self.path, "a", encoding="utf-8") as f:
                    f.write(line + "\n")
            except OSError as exc:
                raise NesyError(f"cannot write the response cache {self.path}: {exc}") from exc
