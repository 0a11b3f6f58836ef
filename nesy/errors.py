"""Exceptions with messages meant for people.

Backends raise :class:`ProgramRejected` for programs they refuse to run; the solver base class
turns these (and timeouts, memory errors and other failures) into verdicts. :class:`NesyError`
is the base of every user-facing error: the CLI prints its message as one line, never a traceback.
"""

from __future__ import annotations


class NesyError(Exception):
    """An error whose message is meant for the user (bad input, unknown backend, bad config)."""


class UnknownBackend(NesyError):
    """No solver backend of that name is installed."""


class ProgramRejected(Exception):
    """A program was refused before running (syntax, forbidden construct, size)."""


class SolverTimeout(Exception):
    """The wall-clock budget ran out inside a backend."""


class ProgramFailed(Exception):
    """The program ran and failed (type error at run time, division by zero, step limit...)."""
