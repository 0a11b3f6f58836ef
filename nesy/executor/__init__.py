"""Sandboxed execution of solver jobs: a local process pool and an optional Ray executor."""

from nesy.executor.base import Executor
from nesy.executor.cache import MemoryCache, VerdictCache
from nesy.checkkey import check_key
from nesy.executor.job import Job
from nesy.executor.local import LocalExecutor

__all__ = ["Executor", "Job", "LocalExecutor", "MemoryCache", "VerdictCache", "check_key", "make_executor"]


def make_executor(kind: str = "local", **options):
    """Build an executor by name: ``local`` (default) or ``ray`` (needs ``pip install 'nesy[ray]'``)."""
    if kind == "local":
        return LocalExecutor(**options)
    if kind == "ray":
        from nesy.executor.ray_executor import RayExecutor

        return RayExecutor(**options)
    from nesy.errors import NesyError

    raise NesyError(f"unknown executor {kind!r} (choose local or ray)")
