"""The messages a solver worker sends its parent, as the parent reads them.

A worker sends ``("hello", isolation)`` once, ``("loaded",)`` after unpickling a chunk's new
solvers, and ``("results", [(position, packed verdict), ...])`` for finished tasks (see
:mod:`nesy.executor.worker`). They travel as plain data (:mod:`nesy.executor.plain`), and the
parent checks their shape before acting on them: a worker runs untrusted programs, so what it
says is untrusted too.

Example:
    >>> from collections import deque
    >>> from nesy.verdict import Status, Verdict
    >>> from nesy.executor.plain import dumps
    >>> data = dumps(("results", [(7, Verdict(Status.OK, 4).packed())]))
    >>> kind, verdicts = decode(data, deque([(7, "job")]))
    >>> kind, verdicts[0].value
    ('results', 4)
    >>> decode(dumps(("results", [(8, Verdict(Status.OK, 4).packed())])), deque([(7, "job")]))
    Traceback (most recent call last):
    ...
    ValueError: it answered task 8, expected 7
"""

from __future__ import annotations

from collections import deque
from typing import Any

from nesy.executor.plain import loads
from nesy.verdict import Verdict


def decode(data: bytes, inflight: deque) -> tuple[str, Any]:
    """A worker's message as (kind, content): for ``results`` the verdicts, which must answer
    the oldest tasks in ``inflight`` (``(position, job)`` pairs) in order; for ``hello`` the
    isolation text; for ``loaded`` None.

    Raises:
        Exception: Not a message an honest worker sends (not plain data, a broken pickle, or the
            wrong shape); nothing it names has been called.
    """
    message = loads(data)
    kind = message[0] if type(message) is tuple and message else None
    if kind == "results":
        answers = message[1]
        if len(answers) > len(inflight):
            raise ValueError(f"{len(answers)} results for {len(inflight)} tasks")
        verdicts = []
        for (answered, packed), (position, _) in zip(answers, inflight):
            if answered != position:
                raise ValueError(f"it answered task {answered}, expected {position}")
            verdict = Verdict.unpacked(packed)
            if type(verdict.message) is not str or type(verdict.stats) is not dict:
                raise TypeError("a verdict's message must be text and its stats a dict")
            verdicts.append(verdict)
        return kind, verdicts
    if kind == "loaded":
        return kind, None
    if kind == "hello" and len(message) == 2 and type(message[1]) is str:
        return kind, message[1]
    raise ValueError(f"not a worker message: {str(message)[:80]!r}")
