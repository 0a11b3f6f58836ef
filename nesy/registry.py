"""Discovery of solver backends and benchmark suites through entry points.

Built-in backends are registered exactly like third-party plugins: in the ``nesy.solvers``
entry-point group. Discovery is lazy (nothing is imported until a backend is asked for) and a
plugin that fails to import only logs a warning.

Example:
    >>> "z3" in solver_names()
    True
    >>> get_solver("z3").name
    'z3'
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Callable

from nesy.errors import NesyError, UnknownBackend

log = logging.getLogger(__name__)

SOLVER_GROUP = "nesy.solvers"
SUITE_GROUP = "nesy.suites"

_runtime: dict[str, dict[str, Callable[..., Any]]] = {SOLVER_GROUP: {}, SUITE_GROUP: {}}


@dataclass(frozen=True)
class PluginInfo:
    """One entry of a group: where it comes from and, once loaded, what it is."""

    name: str
    target: str  #: ``module:attr`` of the entry point, or ``runtime`` for :func:`register_solver`
    distribution: str


def _entry_points(group: str) -> dict[str, EntryPoint]:
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=group):
        found.setdefault(ep.name, ep)
    return found


def plugins(group: str = SOLVER_GROUP) -> list[PluginInfo]:
    """Every entry in ``group`` without importing any of them."""
    infos = [
        PluginInfo(name, ep.value, getattr(ep.dist, "name", "?") if ep.dist else "?")
        for name, ep in _entry_points(group).items()
    ]
    infos += [PluginInfo(name, "runtime", "runtime") for name in _runtime[group]]
    return sorted(infos, key=lambda info: info.name)


def _load(group: str, name: str, kind: str) -> Callable[..., Any]:
    if name in _runtime[group]:
        return _runtime[group][name]
    eps = _entry_points(group)
    if name not in eps:
        known = ", ".join(sorted(set(eps) | set(_runtime[group]))) or "none"
        raise UnknownBackend(f"unknown {kind} {name!r} (installed: {known})")
    try:
        return eps[name].load()
    except Exception as exc:  # a broken plugin must not take nesy down
        log.warning("%s plugin %r (%s) failed to load: %s", kind, name, eps[name].value, exc)
        raise NesyError(f"{kind} {name!r} is installed but failed to load: {exc}") from exc


def solver_names() -> list[str]:
    """Names of all installed backends (nothing is imported)."""
    return [info.name for info in plugins(SOLVER_GROUP)]


def get_solver(name: str, **options: Any) -> Any:
    """Instantiate backend ``name`` with ``options``.

    Raises:
        UnknownBackend: no backend of that name is installed.
        NesyError: the backend is installed but broken, or rejects the options.
    """
    factory = _load(SOLVER_GROUP, name, "backend")
    try:
        return factory(**options)
    except TypeError as exc:
        raise NesyError(f"backend {name!r} does not accept options {sorted(options)}: {exc}") from exc


def load_solvers() -> tuple[list[Any], list[tuple[str, str]]]:
    """Instantiate every installed backend that takes no options.

    Returns:
        ``(solvers, failures)`` where ``failures`` lists ``(name, reason)`` for broken plugins.
    """
    solvers, failures = [], []
    for name in solver_names():
        try:
            solvers.append(get_solver(name))
        except NesyError as exc:
            failures.append((name, str(exc)))
    return solvers, failures


def register_solver(name: str, factory: Callable[..., Any]) -> None:
    """Register a backend at run time (for code that does not ship as a package)."""
    _runtime[SOLVER_GROUP][name] = factory


def suite_names() -> list[str]:
    """Names of all installed benchmark suites."""
    return [info.name for info in plugins(SUITE_GROUP)]


def get_suite(name: str) -> Any:
    """Instantiate suite ``name``."""
    return _load(SUITE_GROUP, name, "suite")()


def register_suite(name: str, factory: Callable[..., Any]) -> None:
    """Register a suite at run time."""
    _runtime[SUITE_GROUP][name] = factory
