"""Process-level isolation for solver workers: no network, bounded memory, no files written.

Called once at the start of each worker process (single-threaded at that point):

* **network**: a new, empty network namespace (``unshare(CLONE_NEWUSER | CLONE_NEWNET)``), where no
  interface is up; where the kernel forbids that, Python's socket constructors are replaced by
  ones that refuse (weaker, and reported as such by :func:`isolate`);
* **files**: ``RLIMIT_FSIZE = 0`` so no regular file can be written, no core dumps;
* **memory**: :func:`limit_memory` sets the address-space limit; :class:`MemoryCap` keeps it set
  across the tasks of a chunk that share a memory budget.
"""

from __future__ import annotations

import ctypes
import logging
import os
import resource
import signal
import socket

log = logging.getLogger(__name__)

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _new_network_namespace() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


def _refuse(*args, **kwargs):
    raise PermissionError("network access is disabled in nesy solver workers")


def _guard_sockets() -> None:
    class _NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            _refuse()

    socket.socket = _NoSocket  # type: ignore[misc]
    for name in ("create_connection", "create_server", "socketpair", "fromfd", "getaddrinfo"):
        setattr(socket, name, _refuse)


def isolate() -> str:
    """Isolate this process; return a short description of the network isolation achieved."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    network = "network namespace" if _new_network_namespace() else "socket guard"
    _guard_sockets()  # defence in depth, also inside the empty namespace
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return network


def address_space_bytes() -> int:
    """This process's current virtual memory size."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * _PAGE


def limit_memory(extra_mb: int | None) -> None:
    """Cap the address space at the current size plus ``extra_mb`` MiB (``None`` lifts the cap)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if extra_mb is None:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        return
    soft = address_space_bytes() + int(extra_mb) * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class MemoryCap:
    """The address-space cap of a run of tasks, set once for consecutive tasks with the same budget.

    Measuring the process size and setting the limit cost about as much as a tiny DSL program, so
    a worker holds one cap while the tasks of a chunk run (results sent meanwhile travel under it
    unless that fails for memory) and lifts it (:meth:`lift`) when the chunk is done, before it
    waits for the next one; after a memory error the cap is measured afresh. Within one run a task
    may find its headroom reduced by what earlier tasks of that run kept (caches), never enlarged
    beyond its budget.

    Example:
        >>> cap = MemoryCap()
        >>> cap.hold(256); cap.held
        256
        >>> cap.lift(); cap.held is None
        True
    """

    def __init__(self) -> None:
        self.held: int | None = None

    def hold(self, extra_mb: int) -> None:
        """Make the cap the current size plus ``extra_mb`` MiB, unless it is already that budget's."""
        if self.held != extra_mb:
            limit_memory(extra_mb)
            self.held = extra_mb

    def lift(self) -> None:
        """Remove the cap (no-op when none is held)."""
        if self.held is not None:
            limit_memory(None)
            self.held = None
