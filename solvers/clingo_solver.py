"""The ``clingo`` backend: answer set programs, filtered, solved under a budget.

Programs are filtered by :mod:`nesy.solvers.asp_filter` (no ``#script``, ``#include``,
``#theory``; ``@name`` only for names given in ``functions``) and solved through a
:class:`~nesy.solvers.clingo_session.ClingoSession` (``--opt-mode=optN --project=auto``, the
``base`` part grounded — other ``#program`` parts are left to
:class:`~nesy.solvers.clingo_session.ClingoSession` users — and a logger that keeps clingo quiet).

Verdicts:

* ``sat`` / ``unsat`` with the value ``{"models": [[atom, ...] sorted, ...], "costs": [[int, ...]
  per model], "optimal": bool, "exhausted": bool, "interrupted": bool}``. ``models`` hold the shown
  atoms (``#show`` respected; answer sets equal on shown atoms are listed once); for a program
  with ``#minimize``/weak constraints only its optimal answer sets (``optimal`` true) — each
  ``costs`` entry is ``[]`` without optimisation. ``exhausted``: every (optimal) answer set is
  listed; otherwise ``budget.max_models`` stopped the enumeration. ``unsat`` has ``models == []``.
* ``unknown`` when the budget ran out during search (the search is interrupted): the value holds the
  answer sets found so far with ``interrupted`` true (for optimisation: the best one so far).
* ``rejected`` for forbidden constructs and syntax errors, ``error`` for grounding errors,
  ``memout`` for ``std::bad_alloc``. Grounding cannot be interrupted in-process: a grounding
  blow-up runs until it returns (then ``timeout``) or until the sandbox's hard kill.

The certificate is ``{"statistics": {models_enumerated, solve_seconds}, "warnings": [...]}``
(a :class:`~nesy.solvers.clingo_session.ClingoSession` with ``detailed_statistics=True`` adds
clingo's atoms, rules, choices and conflicts, at about ten times the cost of a small solve). ``input`` may be extra ASP text, a list of atom strings
(added as facts) or ``{"predicate": [args or tuple of args, ...]}``.

Check mode takes ``"sat"``, ``"unsat"``, one answer set (a list of atoms: the program must have
exactly that answer set), or a list of answer sets (compared as a set of sets; ``[]`` means
none). Atoms compare with whitespace outside strings ignored.

Example:
    >>> solver = ClingoSolver()
    >>> v = solver.run("parent(ann,bob). parent(bob,cy). gp(X,Z) :- parent(X,Y), parent(Y,Z). #show gp/2.")
    >>> v.status.value, v.value["models"]
    ('sat', [['gp(ann,cy)']])
    >>> solver.check("a :- not b. b :- not a.", expected=[["a"], ["b"]]).status.value
    'ok'
    >>> solver.check("a. :- a.", expected="unsat").status.value
    'ok'
    >>> solver.run('#script (python)\\nimport os\\n#end.').message
    'line 1: #script blocks (embedded Python/Lua code) are not allowed'
    >>> [m for m in solver.enumerate("1 {x; y; z} 1.", limit=2)]
    [['x'], ['y']]
"""

from __future__ import annotations

import functools
import pickle
import time
from typing import Any, Callable, ContextManager, Iterable, Iterator, Mapping

import clingo

from nesy.budget import DEFAULT_BUDGET, Budget
from nesy.errors import SolverTimeout
from nesy.limits import wall_clock_limit
from nesy.solver import BaseSolver
from nesy.solvers.clingo_atoms import IDENTIFIER, expected_sets, facts_text, normal_atom, observation, to_symbol
from nesy.solvers.clingo_session import ClingoSession
from nesy.verdict import Status, Verdict

_ABDUCTION_PRIORITY = 1_000_000  # above any level a program's own #minimize is likely to use
_ABDUCED = "nesy_abduced__"  # marks an abducible assumed true (a name programs are unlikely to use)


#: Search options a ClingoSolver may be built with (set by the user's code, never by a program):
#: they change how the search runs (and which optimum comes first), not what a program means.
SEARCH_OPTIONS = ("--heuristic=", "--opt-strategy=", "--configuration=")


class ClingoSolver(BaseSolver):
    """Answer set programming with clingo.

    Args:
        functions: Trusted, module-level Python functions that ``@name(...)`` terms may call
            while grounding (``clingo.Symbol`` arguments, ``Symbol`` or iterable of them back).
            Empty by default: any ``@name`` is refused.
        search: clingo options from :data:`SEARCH_OPTIONS` (e.g. ``"--heuristic=Domain"`` so that
            ``#heuristic`` directives steer the search, ``"--opt-strategy=usc"``).
    """

    name = "clingo"
    languages = ("asp",)
    version = f"1.0+clingo{clingo.__version__}"

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None, search: Iterable[str] = ()) -> None:
        self.functions = dict(functions or {})
        self.search = tuple(search)
        for option in self.search:
            if not isinstance(option, str) or not option.startswith(SEARCH_OPTIONS):
                raise ValueError(f"clingo search option {option!r} is not one of {', '.join(o + '...' for o in SEARCH_OPTIONS)}")
        for fname, fn in self.functions.items():
            if not IDENTIFIER.match(fname) or not callable(fn):
                raise ValueError(f"external function {fname!r} needs a lowercase identifier name and a callable")
            try:
                pickle.dumps(fn)
            except Exception:
                raise ValueError(f"external function {fname!r} must be a module-level function (picklable)") from None

    def config(self) -> dict[str, Any]:
        """The external functions (by qualified name) and search options change answers."""
        functions = {k: f"{v.__module__}.{v.__qualname__}" for k, v in sorted(self.functions.items())}
        return {"functions": functions, "search": list(self.search)} if self.search else {"functions": functions}

    # -- run / check -----------------------------------------------------------------------
    def _soft_limit(self, budget: Budget) -> ContextManager[None] | None:
        """No SIGALRM alarm unless external functions run Python while grounding.

        Without them nothing here runs long in Python: the search is interrupted at its deadline
        by :mod:`nesy.watchdog`, answer sets are converted against that deadline, and grounding,
        which no signal can interrupt, is timed once it returns (:meth:`_session`). The alarm
        would only cost a timer per call.
        """
        return wall_clock_limit(budget.wall_seconds) if self.functions else None

    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        """Filter, ground and solve ``program`` (plus ``input`` facts) under ``budget``."""
        session, status, value, seconds = self._search(program, input, budget)
        return session.verdict(status, value, seconds)

    def check(self, program: str, input: Any = None, expected: Any = None, budget: Budget = DEFAULT_BUDGET) -> Verdict:
        """As :meth:`BaseSolver.check`; asks for one model more than ``expected`` lists, to see there are no others.

        (One verdict is made per check, not one per step: this runs for every small check.)
        """
        wanted = expected_sets(expected)
        if wanted is not None and len(wanted) + 1 > budget.max_models:
            budget = _with_models(budget, len(wanted) + 1)

        def run_and_compare() -> Verdict:
            session, status, value, seconds = self._search(program, input, budget)
            if status is Status.UNKNOWN:  # search gives sat, unsat or unknown
                return session.verdict(status, value, seconds)
            status, message = self._comparison(value, expected, self._matches(value, expected, wanted, canonical=True))
            return Verdict(status, value, message, session.certificate(value, seconds), {"solver_seconds": seconds})

        return self._guarded(program, budget, run_and_compare, fresh=True)

    def values_equal(self, value: Any, expected: Any) -> bool:
        """Compare a run's value with ``"sat"``, ``"unsat"``, one answer set or a list of them."""
        return self._matches(value, expected, expected_sets(expected))

    @staticmethod
    def _matches(value: Any, expected: Any, wanted: set[frozenset[str]] | None, canonical: bool = False) -> bool:
        """:meth:`values_equal` with ``expected`` already read into ``wanted``; ``canonical``: the
        value's atoms are clingo's own text (no whitespace outside strings), as after a run here."""
        if not isinstance(value, dict) or "models" not in value:
            return False
        models = value["models"]
        if expected in ("sat", "unsat"):
            return bool(models) == (expected == "sat")
        if wanted is None:
            return False
        if canonical:
            found = set(map(frozenset, models))
        else:
            found = {frozenset(map(normal_atom, m)) for m in models}
        return found == wanted and bool(value.get("exhausted", False))

    # -- optional capabilities -------------------------------------------------------------
    def enumerate(
        self, program: str, limit: int | None = None, *, input: Any = None, budget: Budget = DEFAULT_BUDGET
    ) -> Iterator[list[str]]:
        """Yield answer sets (sorted shown atoms; optimal ones when the program optimises).

        Raises:
            ProgramRejected: forbidden construct or syntax error.
            ProgramFailed: grounding failed.
            SolverTimeout: ``budget.wall_seconds`` of search passed before the end.
        """
        session = self._session(program, input, budget)
        yield from session.enumerate(limit, timeout=budget.wall_seconds)

    def abduce(
        self,
        program: str,
        observations: Iterable[str | tuple[str, bool]],
        abducibles: Iterable[str],
        *,
        input: Any = None,
        limit: int = 1,
        budget: Budget = DEFAULT_BUDGET,
    ) -> Verdict:
        """Find the smallest sets of ``abducibles`` (ground atoms) that, added as facts, make
        every observation hold (``(atom, False)``: must not hold).

        Returns:
            A verdict with value ``{"explanations": [[atom, ...], ...], "optimal", "exhausted",
            "interrupted"}`` (cardinality-minimal explanations, at most ``limit``; ``unsat``
            when none exists).

        Example:
            >>> rules = "gp(X,Z) :- parent(X,Y), parent(Y,Z). parent(ann,bob)."
            >>> v = ClingoSolver().abduce(rules, ["gp(ann,cy)"], ["parent(bob,cy)", "parent(ann,cy)"])
            >>> v.status.value, v.value["explanations"]
            ('sat', [['parent(bob,cy)']])
        """

        def body() -> Verdict:
            deadline = time.perf_counter() + budget.wall_seconds - min(0.5, 0.2 * budget.wall_seconds)
            observed = [observation(o) for o in ([observations] if isinstance(observations, str) else observations)]
            atoms = [abducibles] if isinstance(abducibles, str) else abducibles
            candidates = sorted({str(to_symbol(a)) for a in atoms})
            extra = ""
            if candidates:
                extra = "".join(f"{a} :- {_ABDUCED}({i}).\n" for i, a in enumerate(candidates)) + (
                    f"{{ {_ABDUCED}(0..{len(candidates) - 1}) }}.\n"
                    f"#project {_ABDUCED}/1.\n"
                    f"#minimize {{ 1@{_ABDUCTION_PRIORITY},I : {_ABDUCED}(I) }}.\n"
                )
            session = self._session(program, input, budget, extra)
            markers = [f"{_ABDUCED}({i})" for i in range(len(candidates))]
            verdict = session.solve(
                observed, limit=limit, timeout=max(0.0, deadline - time.perf_counter()), restrict_to=markers
            )
            index = {marker: candidate for marker, candidate in zip(markers, candidates)}
            explanations = [sorted(index[m] for m in model) for model in verdict.value["models"]]
            value = {k: verdict.value[k] for k in ("optimal", "exhausted", "interrupted")}
            value["explanations"] = explanations
            if verdict.status is Status.UNSAT:
                message = "no set of abducibles explains the observations"
            elif verdict.status is Status.SAT:
                message = f"{len(explanations)} explanation(s) of size {len(explanations[0])}"
            else:
                message = verdict.message
            return Verdict(verdict.status, value, message, verdict.certificate, verdict.stats)

        return self._guarded(program, budget, body)

    # -- internals -------------------------------------------------------------------------
    def _search(self, program: str, input: Any, budget: Budget) -> tuple[ClingoSession, Status, dict[str, Any], float]:
        """:meth:`execute`'s steps without the verdict: the session and its search's status, value and seconds."""
        deadline = time.perf_counter() + budget.wall_seconds - min(0.5, 0.2 * budget.wall_seconds)
        session = self._session(program, input, budget, models=budget.max_models)
        return (session, *session.search(limit=budget.max_models, timeout=max(0.0, deadline - time.perf_counter())))

    def _session(self, program: str, input: Any, budget: Budget, extra: str = "", models: int = 1) -> ClingoSession:
        """A session with ``program``, ``input`` and ``extra`` added (each filtered apart) and ``base`` grounded.

        Raises:
            SolverTimeout: filtering and grounding alone took more than ``budget.wall_seconds``.
        """
        started = time.perf_counter()
        session = ClingoSession(
            program,
            functions=self.functions,
            max_atoms=budget.max_value_size,
            parts=(),
            arguments=self.search,
            models=models,
        )
        if input is not None:
            text = facts_text(input)
            if text:
                session.add(text)
        if extra:
            session.add(extra)
        session.ground()
        if time.perf_counter() - started > budget.wall_seconds:
            raise SolverTimeout(f"grounding took more than the {budget.wall_seconds:g} s budget")
        return session


@functools.lru_cache(maxsize=64)
def _with_models(budget: Budget, models: int) -> Budget:
    """``budget`` allowing ``models`` answer sets (budgets are immutable: shared copies are safe)."""
    return budget.replace(max_models=models)
