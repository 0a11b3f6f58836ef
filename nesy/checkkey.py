"""The one definition of "the same check": the key of the verdict cache and of a trace's check.

Two solver calls with the same key give the same verdict, so the second is never paid for. The
key covers the backend's fingerprint (name, version and answer-changing options), the mode
(``run`` or ``check``), the program, the input, the expected value (check mode only) and the
budget (a timeout under 1 s says nothing about 10 s).

Example:
    >>> from nesy.budget import Budget
    >>> a = check_key("fp", "check", "x + 1", {"x": 1}, 2, Budget())
    >>> a == check_key("fp", "check", "x + 1", {"x": 1}, 2, Budget().to_dict())
    True
    >>> a == check_key("fp", "check", "x + 1", {"x": 1}, 2, Budget(wall_seconds=1))
    False
    >>> check_key("fp", "run", "p", None, 1, None) == check_key("fp", "run", "p", None, 2, None)
    True
    >>> a == content_hash("check/v1", "fp", "check", "x + 1", {"x": 1}, 2, Budget().to_dict())
    True
    >>> b2, b20 = Budget(wall_seconds=2), Budget(wall_seconds=2.0)  # equal, yet printed differently
    >>> check_key("fp", "run", "p", None, None, b20) == check_key("fp", "run", "p", None, None, b2)
    False
    >>> check_key("fp", "run", "p", None, None, b2) == check_key("fp", "run", "p", None, None, b2.to_dict())
    True
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any, Mapping

from nesy.budget import Budget
from nesy.hashing import canonical_json, canonical_json_items, content_hash

MODES = ("run", "check")

_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


def check_key(
    backend_fingerprint: str,
    mode: str,
    program: str,
    input: Any,
    expected: Any,
    budget: Budget | Mapping[str, Any] | None,
) -> str:
    """SHA-256 hex key of one solver call.

    Args:
        backend_fingerprint: The solver's ``fingerprint()``.
        mode: ``"run"`` or ``"check"``; in run mode ``expected`` does not count.
        program: The program text.
        input: The program's input (JSON-friendly) or None.
        expected: The expected value (check mode).
        budget: A :class:`~nesy.budget.Budget`, its ``to_dict()``, or None when unknown.

    Returns:
        A 64-character hex string.

    Raises:
        ValueError: ``mode`` is neither ``run`` nor ``check``.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if isinstance(budget, Budget):
        budget_text = _budget_json(budget)
    else:
        budget_text = canonical_json(dict(budget) if budget is not None else None)
    # The canonical JSON of the list of parts, assembled part by part (the same text as
    # content_hash of the parts gives), so that the parts shared by a batch are encoded once.
    own = canonical_json_items((program, input, expected if mode == "check" else None))
    text = f"[{_head_json(backend_fingerprint, mode)},{own},{budget_text}]"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_BUDGET_JSON: dict[int, tuple[Budget, str]] = {}


def _budget_json(budget: Budget) -> str:
    """``canonical_json(budget.to_dict())``, remembered per budget *object*: equal budgets may still
    print differently (``2`` and ``2.0`` compare equal), so a value-keyed cache would mix them up."""
    hit = _BUDGET_JSON.get(id(budget))
    if hit is not None and hit[0] is budget:
        return hit[1]
    text = canonical_json(budget.to_dict())
    if len(_BUDGET_JSON) >= 256:
        _BUDGET_JSON.clear()
    _BUDGET_JSON[id(budget)] = (budget, text)  # the budget is kept alive, so its id is not reused
    return text


@lru_cache(maxsize=256)
def _head_json(backend_fingerprint: str, mode: str) -> str:
    return ",".join(canonical_json(part) for part in ("check/v1", backend_fingerprint, mode))


def solver_check_key(
    solver: Any, mode: str, program: str, input: Any, expected: Any, budget: Budget | Mapping[str, Any] | None
) -> str:
    """:func:`check_key` with ``solver.fingerprint()`` as the backend fingerprint."""
    return check_key(solver.fingerprint(), mode, program, input, expected, budget)


def backend_fingerprint(backend: str, backend_version: str) -> str:
    """The fingerprint a trace's ``(backend, backend_version)`` stands for.

    A 64-hex ``backend_version`` is taken to be a solver's ``fingerprint()`` already (it covers the
    name); any other version string is hashed the way :meth:`nesy.solver.BaseSolver.fingerprint`
    hashes a backend with no options, so two backends that share a version string never collide.

    Example:
        >>> from nesy.solver import BaseSolver
        >>> class Echo(BaseSolver):
        ...     name, languages, version = "echo", ("text",), "1.0"
        ...     def execute(self, program, input, budget): ...
        >>> backend_fingerprint("echo", "1.0") == Echo().fingerprint()
        True
        >>> backend_fingerprint("echo", Echo().fingerprint()) == Echo().fingerprint()
        True
    """
    if _FINGERPRINT.fullmatch(backend_version):
        return backend_version
    return content_hash(backend, backend_version, {})
