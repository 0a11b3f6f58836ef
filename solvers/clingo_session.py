"""A grounded clingo program kept in memory and solved many times (multi-shot, assumptions).

:class:`ClingoSession` filters the program (:mod:`nesy.solvers.asp_filter`), grounds it once and
then answers :meth:`ClingoSession.solve` calls under different assumptions, enumerates answer
sets, or grounds extra parts (:meth:`ClingoSession.extend`). It is the engine behind
:class:`nesy.solvers.clingo_solver.ClingoSolver` and the trusted, framework-side API for repeated
queries. A session holds a live ``clingo.Control``: keep it inside one process (it is not picklable).

Grounding runs in C and cannot be interrupted from Python: a grounding blow-up is stopped only
by the sandbox's hard kill (or the soft alarm once grounding returns). Search is bounded by
``timeout``: :mod:`nesy.watchdog` interrupts a synchronous solve at its deadline.

Example:
    >>> s = ClingoSession("{rain; sprinkler}. wet :- rain. wet :- sprinkler. #show wet/0. #show rain/0.")
    >>> s.solve(assumptions=[("rain", False), ("sprinkler", False)]).value["models"]
    [[]]
    >>> s.solve(assumptions=[("rain", True)], limit=5).value["models"]
    [['rain', 'wet']]
    >>> sorted(s.enumerate())
    [[], ['rain', 'wet'], ['wet']]
"""

from __future__ import annotations

import re
import time
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import clingo

from nesy.errors import ProgramFailed, ProgramRejected, SolverTimeout
from nesy.solvers.asp_filter import check_program
from nesy.solvers.clingo_atoms import Atom, to_symbol
from nesy.solvers.clingo_messages import MessageLog, clean_message, search_message
from nesy.solvers.clingo_models import ModelCollector, atom_texts, symbol_count
from nesy.limits import alarm_deferred
from nesy.watchdog import interrupt_after
from nesy.verdict import Status, Verdict


#: An atom no program can contain (its name is not a clingo identifier): assuming it true is unsat.
_ABSORB_ATOM = clingo.Function("nesy absorb")

#: Text that may make a program optimise (a false alarm, in a comment say, only costs a little time).
_OPTIMISATION_MARKERS = re.compile(r"#minimi|#maximi|:~")

Assumption = tuple[Atom, bool]
_MAX_WARNINGS = 5


class FunctionContext:
    """The only object whose methods ``@name(...)`` terms may call while grounding.

    Attribute lookup is overridden so that only the given functions are visible (no dunder
    methods, no fallback to ``__main__`` as clingo does without a context).
    """

    def __init__(self, functions: Mapping[str, Callable[..., Any]]) -> None:
        object.__setattr__(self, "_functions", dict(functions))

    def __getattribute__(self, name: str) -> Any:
        functions = object.__getattribute__(self, "_functions")
        if name in functions:
            return functions[name]
        raise AttributeError(f"no external function @{name}")


_NO_FUNCTIONS = FunctionContext({})
_BASE_PART: tuple[tuple[str, tuple[()]]] = (("base", ()),)  #: the default part to ground ...
_BASE: list[tuple[str, list[Any]]] = [("base", [])]  #: ... as clingo takes it (never changed)


class ClingoSession:
    """A filtered, grounded program ready for repeated solving.

    Args:
        program: ASP text; refused constructs raise :class:`ProgramRejected`.
        functions: Trusted Python callables that ``@name(...)`` may call (``clingo.Symbol`` in and out).
        parts: Program parts to ground first, as ``(name, [argument symbols])``.
        arguments: Extra clingo command-line options (trusted).
        max_atoms: Most atoms kept across the answer sets of one :meth:`solve`.
        detailed_statistics: Add clingo's atom, rule, choice and conflict counts to certificates.

    Raises:
        ProgramRejected: a forbidden construct or a syntax error.
        ProgramFailed: grounding failed (unsafe variables, a failing external function...).
    """

    def __init__(
        self,
        program: str,
        *,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        parts: Sequence[tuple[str, Sequence[clingo.Symbol]]] = (("base", ()),),
        arguments: Sequence[str] = (),
        max_atoms: int = 1_000_000,
        detailed_statistics: bool = False,
        models: int = 1,
    ) -> None:
        self.functions = dict(functions or {})
        self.detailed_statistics = detailed_statistics
        self._log = MessageLog()
        self.messages = self._log.messages
        self._errors = self._log.errors  # per operation: emptied by each add, ground and solve
        # (warnings stay in ``messages``, capped)
        self.max_atoms = max_atoms
        self._parts = 0
        self._stale_interrupt = False
        self._models = max(0, int(models))  # set at creation: changing clingo's configuration later costs more
        self._optimises = False  # whether any text added so far may optimise (#minimize, #maximize, :~)
        self._control = clingo.Control(
            ["--opt-mode=optN", "--project=auto", f"--models={self._models}", *arguments],
            logger=self._log,
            message_limit=20,
        )
        self._interrupt = self._control.interrupt  # bound once: the watchdog is armed around every solve
        self.add(program)
        if parts:
            self.ground(parts)

    # -- building ------------------------------------------------------------------------
    def add(self, text: str, name: str = "base", params: Sequence[str] = ()) -> None:
        """Filter ``text`` and add it to program part ``name`` (not grounded yet)."""
        check_program(text, self.functions)
        if not self._optimises:
            self._optimises = ":~" in text or ("#m" in text and _OPTIMISATION_MARKERS.search(text) is not None)
        del self._errors[:]
        try:
            self._control.add(name, list(params) if params else [], text)
        except RuntimeError as exc:
            raise ProgramRejected(self._error_text(exc, "syntax error")) from None

    def ground(self, parts: Sequence[tuple[str, Sequence[clingo.Symbol]]] = _BASE_PART) -> None:
        """Ground program parts; external functions come only from ``functions``."""
        del self._errors[:]
        try:
            context = FunctionContext(self.functions) if self.functions else _NO_FUNCTIONS
            self._control.ground(_BASE if parts is _BASE_PART else [(n, list(a)) for n, a in parts], context)
        except (MemoryError, SolverTimeout):
            raise
        except RuntimeError as exc:
            raise ProgramFailed(self._error_text(exc, "grounding failed")) from None
        except Exception as exc:  # raised by a trusted external function
            raise ProgramFailed(f"external function failed: {type(exc).__name__}: {exc}") from None

    def extend(self, text: str) -> None:
        """Add ``text`` as a new part and ground it (multi-shot; atoms may not be redefined)."""
        self._parts += 1
        name = f"nesy_part_{self._parts}"
        self.add(text, name)
        self.ground([(name, ())])

    def set_external(self, atom: Atom, value: bool | None) -> None:
        """Assign an ``#external`` atom true/false, or release it with ``None``."""
        symbol = to_symbol(atom)
        if value is None:
            self._control.release_external(symbol)
        else:
            self._control.assign_external(symbol, value)

    # -- solving -------------------------------------------------------------------------
    def solve(
        self,
        assumptions: Iterable[Assumption] = (),
        *,
        limit: int = 1,
        timeout: float | None = None,
        restrict_to: Sequence[Atom] | None = None,
    ) -> Verdict:
        """Solve once; :mod:`nesy.solvers.clingo_solver` describes the value's shape.

        Args:
            assumptions: ``(atom, truth)`` pairs; an atom absent from the program cannot be true.
            limit: Most answer sets (optimal ones when the program optimises); 0 for all.
            timeout: Seconds of search before it is interrupted (None: no limit).
            restrict_to: Report each answer set as the listed atoms it contains (default: shown atoms).

        Returns:
            ``sat``, ``unsat``, or ``unknown`` when the search was interrupted (models so far in the value).
        """
        return self.verdict(*self.search(assumptions, limit=limit, timeout=timeout, restrict_to=restrict_to))

    def search(
        self,
        assumptions: Iterable[Assumption] = (),
        *,
        limit: int = 1,
        timeout: float | None = None,
        restrict_to: Sequence[Atom] | None = None,
    ) -> tuple[Status, dict[str, Any], float]:
        """:meth:`solve` without the verdict: its status, its value and the seconds of search.

        (A caller that makes its own verdict, as a check does, builds one object instead of two:
        this runs around every small check.)
        """
        # (Plain branches rather than comprehensions, for the same reason.)
        literals = [(to_symbol(atom), bool(truth)) for atom, truth in assumptions] if assumptions else ()
        restrict = None if restrict_to is None else [to_symbol(a) for a in restrict_to]
        if limit != self._models:
            limit = max(0, int(limit))
            self._models = limit
            self._control.configuration.solve.models = str(limit)
        del self._errors[:]
        if self._stale_interrupt:
            self._absorb_stale_interrupt()
        start = time.perf_counter()
        collector = ModelCollector(
            self.max_atoms, restrict, float("inf") if timeout is None else start + timeout, self._optimises
        )
        # A synchronous solve (no search thread per call), stopped by the watchdog at the deadline;
        # no soft-timeout exception may fire inside clingo's callbacks meanwhile.
        with alarm_deferred(), interrupt_after(self._interrupt, timeout) as alarm:
            result = self._control.solve(literals, collector)
        seconds = time.perf_counter() - start
        if alarm is not None and alarm.fired:
            self._stale_interrupt = True
        if collector.overflow:
            raise ProgramFailed(f"answer sets hold more than {self.max_atoms} atoms in all")
        value = collector.value(exhausted=result.exhausted, interrupted=collector.late or result.interrupted)
        if value["interrupted"]:
            return Status.UNKNOWN, value, seconds
        if not value["models"] and result.unsatisfiable:
            return Status.UNSAT, value, seconds
        return Status.SAT, value, seconds

    def verdict(self, status: Status, value: dict[str, Any], seconds: float) -> Verdict:
        """The verdict of a :meth:`search` that gave ``status`` and ``value`` in ``seconds``."""
        return Verdict(status, value, search_message(status, value, seconds), self.certificate(value, seconds),
                       {"solver_seconds": seconds})

    def enumerate(
        self, limit: int | None = None, *, assumptions: Iterable[Assumption] = (), timeout: float | None = None
    ) -> Iterator[list[str]]:
        """Yield answer sets (sorted shown atoms) one by one, at most ``limit`` (None: all).

        Raises:
            SolverTimeout: when ``timeout`` seconds of search pass before the enumeration ends.
        """
        literals = [(to_symbol(atom), bool(truth)) for atom, truth in assumptions]
        self._models = 0
        self._control.configuration.solve.models = "0"  # counted here: duplicates and improving models skipped
        seen: set[tuple[str, ...]] = set()
        spent = 0.0
        self._absorb_stale_interrupt()
        with self._control.solve(assumptions=literals, yield_=True, async_=True) as handle:
            while limit is None or len(seen) < limit:
                handle.resume()
                start = time.perf_counter()
                done = handle.wait(None if timeout is None else max(0.0, timeout - spent))
                spent += time.perf_counter() - start
                if not done:
                    handle.cancel()
                    raise SolverTimeout(f"enumeration stopped after {spent:.2f} s with {len(seen)} answer set(s)")
                model = handle.model()
                if model is None:
                    return
                if model.cost and not model.optimality_proven:
                    continue  # an improving model on the way to an optimum
                symbols = model.symbols(shown=True)
                count = symbol_count(symbols)
                if count > self.max_atoms:
                    raise ProgramFailed(f"an answer set holds {count} atoms, over the limit of {self.max_atoms}")
                atoms = sorted(atom_texts(symbols))
                if tuple(atoms) not in seen:
                    seen.add(tuple(atoms))
                    yield atoms

    # -- internals -----------------------------------------------------------------------
    def _absorb_stale_interrupt(self) -> None:
        """Clear an interrupt that reached clingo after its solve had ended.

        ``Control.interrupt`` with no search running stops the *next* solve at its start. After a
        deadline fired, one trivial solve (assuming an atom no program can hold) takes that
        pending interrupt, if there is one, so it cannot spoil the next real query.
        """
        if self._stale_interrupt:
            self._control.solve(assumptions=[(_ABSORB_ATOM, True)])
            self._stale_interrupt = False

    def _error_text(self, exc: RuntimeError, what: str) -> str:
        errors = [m for m in self._errors if m] or [clean_message(str(exc))]
        more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
        return f"{what}: {clean_message(errors[0], 240)}{more}" if errors[0] else what

    def certificate(self, value: dict[str, Any], seconds: float) -> dict[str, Any]:
        """The certificate of a :meth:`search` that gave ``value`` in ``seconds``."""
        numbers: dict[str, Any] = {"models_enumerated": len(value["models"]), "solve_seconds": seconds}
        if self.detailed_statistics:  # reading clingo's statistics tree costs ~10x a small solve
            stats = self._control.statistics
            lp = stats.get("problem", {}).get("lp", {})
            solvers = stats.get("solving", {}).get("solvers", {})
            detailed = {
                "atoms": lp.get("atoms"),
                "rules": lp.get("rules"),
                "choices": solvers.get("choices"),
                "conflicts": solvers.get("conflicts"),
            }
            numbers.update({k: int(v) for k, v in detailed.items() if v is not None})
        return {"statistics": numbers, "warnings": self.messages[:_MAX_WARNINGS]}
