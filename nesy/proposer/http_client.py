"""A small JSON-over-HTTP client for LLM endpoints: bounded retries, a concurrency limit, clear errors.

:class:`JSONClient` POSTs a JSON body to ``<base>/<path>`` with the standard library only
(``urllib.request``). Connection errors, timeouts, HTTP 429 and 5xx are retried with exponential
backoff (a numeric ``Retry-After`` header is honoured, capped at ``max_backoff``) at most
``retries`` times; any other HTTP error is reported at once. At most ``concurrency`` requests are in
flight at a time, however many threads call :meth:`JSONClient.post`. Whatever goes wrong ends in
ONE :class:`EndpointError` (a :class:`~nesy.errors.NesyError`) naming the URL and the cause.

The API key goes only into the ``Authorization`` header: it is never logged, never part of an
error message (a server that echoes it back sees it redacted) and never shown by ``repr``.

Example:
    >>> client = JSONClient("http://127.0.0.1:9/v1", api_key="sk-secret")
    >>> "sk-secret" in repr(client)
    False
    >>> JSONClient("file:///etc/passwd")
    Traceback (most recent call last):
    ...
    nesy.errors.NesyError: LLM endpoint URL must start with http:// or https://, got 'file:///etc/passwd'
    >>> RetryPolicy(backoff=0.5, max_backoff=3.0).delay(4)
    3.0
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable

from nesy.errors import NesyError

log = logging.getLogger(__name__)

RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_REPLY_BYTES = 32 * 1024 * 1024


class EndpointError(NesyError):
    """The endpoint could not be reached, refused the request, or answered something unusable.

    Attributes:
        url: The URL that was called.
        cause: A short description of what went wrong.
    """

    def __init__(self, url: str, cause: str) -> None:
        super().__init__(f"LLM endpoint {url}: {cause}")
        self.url, self.cause = url, cause


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry.

    Attributes:
        retries: Extra attempts after the first (0: never retry).
        backoff: Seconds before the first retry; doubled for each later one.
        max_backoff: Longest wait between two attempts (also caps ``Retry-After``).
    """

    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        wanted = retry_after if retry_after is not None else self.backoff * 2**attempt
        return max(0.0, min(self.max_backoff, wanted))


class _Retryable(Exception):
    """One failed attempt that may succeed when tried again."""

    def __init__(self, cause: str, retry_after: float | None = None) -> None:
        super().__init__(cause)
        self.cause, self.retry_after = cause, retry_after


def _check_base(url: str) -> str:
    parts = urllib.parse.urlsplit(str(url))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NesyError(f"LLM endpoint URL must start with http:// or https://, got {url!r}")
    return str(url).rstrip("/")


def _reason(exc: BaseException) -> str:
    """A short cause for a network exception: 'connection refused', 'timed out', ..."""
    inner = getattr(exc, "reason", exc)
    if isinstance(inner, ConnectionRefusedError):
        return "connection refused"
    if isinstance(inner, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(inner, socket.gaierror):
        return f"host not found ({inner.strerror or inner})"
    text = getattr(inner, "strerror", None) or str(inner) or type(inner).__name__
    return str(text)


class JSONClient:
    """POSTs JSON to an HTTP API and returns the decoded JSON object.

    Args:
        base_url: The API root, e.g. ``http://localhost:8000/v1``; paths are appended to it.
        api_key: Sent as ``Authorization: Bearer <key>`` when given.
        timeout: Seconds a single attempt may take (connecting and reading the whole reply).
        retry: When to try again.
        concurrency: Requests in flight at most, across all threads using this client.
        sleep: How to wait between attempts (tests pass a recorder).
    """

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        timeout: float = 60.0,
        retry: RetryPolicy = RetryPolicy(),
        concurrency: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not timeout > 0:
            raise NesyError(f"timeout must be > 0 seconds, got {timeout!r}")
        if not isinstance(concurrency, int) or concurrency < 1:
            raise NesyError(f"concurrency must be a positive integer, got {concurrency!r}")
        if retry.retries < 0:
            raise NesyError(f"retries must be >= 0, got {retry.retries!r}")
        self.base_url = _check_base(base_url)
        self.timeout = float(timeout)
        self.retry = retry
        self.concurrency = concurrency
        self._key = api_key or None
        self._slots = threading.BoundedSemaphore(concurrency)
        self._sleep = sleep
        self._lock = threading.Lock()
        self.requests = 0  #: HTTP attempts made (retries included)

    def __repr__(self) -> str:
        key = "set" if self._key else "none"
        return f"JSONClient({self.base_url!r}, api_key={key}, timeout={self.timeout}, concurrency={self.concurrency})"

    def url(self, path: str) -> str:
        """The full URL of ``path``."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST ``body`` to ``path``; the reply's JSON object.

        Raises:
            EndpointError: Unreachable or failing after every retry, a non-retried HTTP error,
                or a reply that is not a JSON object.
        """
        url = self.url(path)
        data = json.dumps(body).encode("utf-8")
        attempts = self.retry.retries + 1
        for attempt in range(attempts):
            try:
                with self._slots:
                    raw = self._attempt(url, data)
                return self._decode(url, raw)
            except _Retryable as failure:
                if attempt + 1 == attempts:
                    tries = f"{attempts} attempt{'s' if attempts > 1 else ''}"
                    raise EndpointError(url, f"{self._redact(failure.cause)} (gave up after {tries})") from None
                wait = self.retry.delay(attempt, failure.retry_after)
                log.info("%s: %s; retry %d/%d in %.2f s", url, failure.cause, attempt + 1, self.retry.retries, wait)
                self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, url: str, data: bytes) -> bytes:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        with self._lock:
            self.requests += 1
        deadline = time.monotonic() + self.timeout
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310 (scheme checked)
                return self._read(reply, deadline)
        except urllib.error.HTTPError as exc:
            self._http_error(url, exc)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise _Retryable(_reason(exc)) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, reply: Any, deadline: float) -> bytes:
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                raise _Retryable(f"timed out (no complete reply within {self.timeout:g} s)")
            chunk = reply.read(65536)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > MAX_REPLY_BYTES:
                raise EndpointError(reply.geturl(), f"reply larger than {MAX_REPLY_BYTES} bytes")
            chunks.append(chunk)

    def _http_error(self, url: str, exc: urllib.error.HTTPError) -> None:
        try:
            detail = exc.read(2000).decode("utf-8", "replace").strip()
        except OSError:
            detail = ""
        cause = f"HTTP {exc.code} {exc.reason}" + (f": {detail[:300]}" if detail else "")
        if exc.code in RETRIED_STATUS:
            raise _Retryable(cause, _retry_after(exc.headers.get("Retry-After") if exc.headers else None))
        if exc.code in (401, 403):
            cause += " (check the API key)"
        raise EndpointError(url, self._redact(cause)) from None

    def _decode(self, url: str, raw: bytes) -> dict[str, Any]:
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            shown = raw[:80].decode("utf-8", "replace")
            raise EndpointError(url, f"malformed reply: not JSON ({shown!r})") from None
        if not isinstance(value, dict):
            raise EndpointError(url, f"malformed reply: expected a JSON object, got {type(value).__name__}")
        return value

    def _redact(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key else text


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
