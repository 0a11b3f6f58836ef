"""An incremental z3 session for trusted, framework-side checks (verification, abduction).

:class:`IncrementalZ3` asserts a base problem once into one ``z3.Solver`` and then answers
many small questions with ``push``/``assert``/``check``/``pop``, which is much cheaper than a
fresh solver per question. Text handed to it (the base script, extra constraints) still goes
through the allow-list filter of :mod:`nesy.solvers.smtlib_script`; it is not a sandbox, so
keep untrusted programs on :class:`~nesy.solvers.z3_solver.Z3Solver` in a worker.

Example:
    >>> session = IncrementalZ3("(declare-const x Int) (assert (< 0 x 3))")
    >>> session.check("(> x 1)").model
    {'x': 2}
    >>> session.check("(> x 5)").status
    'unsat'
    >>> found = session.models(limit=5)
    >>> sorted(m["x"] for m in found.values), found.exhausted
    ([1, 2], True)
    >>> session.models(limit=5, extra=["(> x 1)"]).unique
    True
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Iterable, Sequence, Union

import z3

from nesy.errors import ProgramRejected
from nesy.solvers.smtlib_script import DEFINITIONS, parse_script, parse_term
from nesy.solvers.z3_values import clean_message, to_json

Constraint = Union[str, z3.BoolRef]


@dataclass(frozen=True)
class CheckResult:
    """The answer to one incremental check.

    Attributes:
        status: ``"sat"``, ``"unsat"`` or ``"unknown"``.
        model: ``{constant name: value}`` when sat (formats as in :mod:`nesy.solvers.z3_values`).
        reason: z3's ``reason_unknown()`` when unknown.
        core: For :meth:`IncrementalZ3.check_assumptions`: the assumptions in the unsat core.
        seconds: Time spent in ``check``.
    """

    status: str
    model: dict[str, Any] | None = None
    reason: str = ""
    core: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class Models:
    """Distinct models found by :meth:`IncrementalZ3.models`.

    Attributes:
        values: The models, each ``{constant name: value}``.
        exhausted: True when the search ended with ``unsat``: no other model exists.
    """

    values: tuple[dict[str, Any], ...]
    exhausted: bool

    @property
    def unique(self) -> bool:
        """Exactly one model exists (proved: the search for a second one came back unsat)."""
        return self.exhausted and len(self.values) == 1


def _collect(exprs: Iterable[z3.ExprRef]) -> tuple[dict[str, z3.ExprRef], dict[str, z3.FuncDeclRef]]:
    constants: dict[str, z3.ExprRef] = {}
    functions: dict[str, z3.FuncDeclRef] = {}
    todo, seen = list(exprs), set()
    while todo:
        expr = todo.pop()
        if expr.get_id() in seen:
            continue
        seen.add(expr.get_id())
        if z3.is_quantifier(expr):
            todo.append(expr.body())
        elif z3.is_app(expr):
            decl = expr.decl()
            if decl.kind() == z3.Z3_OP_UNINTERPRETED:
                if decl.arity() == 0:
                    constants[decl.name()] = expr
                else:
                    functions[decl.name()] = decl
            todo.extend(expr.children())
    return constants, functions


class IncrementalZ3:
    """One z3 solver with a base problem asserted once.

    Args:
        base: SMT-LIB text of declarations, definitions and assertions (``check-sat``,
            ``get-model`` and ``get-value`` are ignored; ``push``/``pop`` are refused), or z3
            Boolean expressions.
        timeout_ms: z3 timeout for each check.
        rlimit: Optional z3 resource limit for each check.

    Raises:
        ProgramRejected: When the base text is refused by the filter or by z3's parser.
    """

    def __init__(self, base: str | Iterable[z3.BoolRef] = "", *, timeout_ms: int = 5000, rlimit: int | None = None):
        self.timeout_ms = timeout_ms
        self.rlimit = rlimit
        self._prelude = ""
        self._decls: dict[str, Any] | None = None
        if isinstance(base, str):
            commands = [c for c in parse_script(base).commands if c.name not in ("check-sat", "get-model", "get-value")]
            refused = [c.name for c in commands if c.name not in DEFINITIONS and c.name != "set-logic"]
            if refused:
                raise ProgramRejected(f"a base script may not use {refused[0]!r}")
            self._prelude = "\n".join(c.text for c in commands if c.name != "assert")
            self.ctx = z3.Context()
            declared = [(c.declares[0], c.expr.items[1].text) for c in commands if c.declares and c.declares[1] == 0]
            probes = "\n".join(f"(assert (= {raw} {raw}))" for _, raw in declared)
            asserts = "\n".join(c.text for c in commands if c.name == "assert")
            parsed = self._parse(f"{self._prelude}\n{asserts}\n{probes}")
            split = len(parsed) - len(declared)
            assertions = parsed[:split]
            self.constants = {name: parsed[split + i].arg(0) for i, (name, _) in enumerate(declared)}
        else:
            assertions = list(base)
            self.ctx = assertions[0].ctx if assertions else z3.Context()
            self.constants, functions = _collect(assertions)
            self._decls = {**{n: c.decl() for n, c in self.constants.items()}, **functions}
        self.solver = z3.Solver(ctx=self.ctx)
        self.solver.add(assertions)

    # -- building terms --------------------------------------------------------------------
    def _parse(self, text: str) -> list[z3.BoolRef]:
        try:
            if not self._decls:
                return list(z3.parse_smt2_string(text, ctx=self.ctx))
            return list(z3.parse_smt2_string(text, decls=self._decls, ctx=self.ctx))
        except z3.Z3Exception as exc:
            raise ProgramRejected(f"z3: {clean_message(exc)}") from None

    def term(self, text: str) -> z3.ExprRef:
        """Parse one SMT-LIB term over the base's declarations.

        Example:
            >>> IncrementalZ3("(declare-const x Int)").term("(+ x 1)").sexpr()
            '(+ x 1)'
        """
        term = parse_term(text)
        return self._parse(f"{self._prelude}\n(assert (= {term} {term}))")[-1].arg(0)

    def _constraint(self, item: Constraint) -> z3.BoolRef:
        if isinstance(item, str):
            return self._parse(f"{self._prelude}\n(assert {parse_term(item)})")[-1]
        return item

    def add(self, *constraints: Constraint) -> None:
        """Assert constraints into the base, permanently."""
        self.solver.add([self._constraint(c) for c in constraints])

    # -- checking --------------------------------------------------------------------------
    def _run(self, assumptions: Sequence[z3.BoolRef] = ()) -> tuple[z3.CheckSatResult, float]:
        self.solver.set("timeout", int(self.timeout_ms))
        if self.rlimit:
            self.solver.set("rlimit", int(self.rlimit))
        start = time.perf_counter()
        result = self.solver.check(*assumptions)
        return result, time.perf_counter() - start

    def _model(self) -> dict[str, Any]:
        model = self.solver.model()
        return {name: to_json(model.evaluate(c, model_completion=True)) for name, c in self.constants.items()}

    def _result(self, result: z3.CheckSatResult, seconds: float, core: tuple[str, ...] = ()) -> CheckResult:
        if result == z3.sat:
            return CheckResult("sat", self._model(), seconds=seconds)
        if result == z3.unsat:
            return CheckResult("unsat", core=core, seconds=seconds)
        return CheckResult("unknown", reason=self.solver.reason_unknown(), seconds=seconds)

    def check(self, *extra: Constraint) -> CheckResult:
        """Check the base plus ``extra`` constraints (pushed, then popped again)."""
        self.solver.push()
        try:
            self.solver.add([self._constraint(c) for c in extra])
            return self._result(*self._run())
        finally:
            self.solver.pop()

    def check_assumptions(self, *assumptions: Constraint) -> CheckResult:
        """Check under assumptions; when unsat, ``core`` lists the assumptions that conflict.

        Example:
            >>> IncrementalZ3("(declare-const x Int)").check_assumptions("(> x 2)", "(< x 9)", "(< x 0)").core
            ('(> x 2)', '(< x 0)')
        """
        exprs = [self._constraint(a) for a in assumptions]
        labels = [a if isinstance(a, str) else a.sexpr() for a in assumptions]
        result, seconds = self._run(exprs)
        core: tuple[str, ...] = ()
        if result == z3.unsat:
            in_core = list(self.solver.unsat_core())
            core = tuple(label for label, e in zip(labels, exprs) if any(e.eq(c) for c in in_core))
        return self._result(result, seconds, core)

    def models(self, limit: int = 10, extra: Sequence[Constraint] = (), over: Sequence[str] | None = None) -> Models:
        """Enumerate up to ``limit`` models differing on the constants ``over`` (default: all).

        Each model found is blocked with a clause; the search stops at ``limit``, at ``unsat``
        (``exhausted``: no model is left) or at ``unknown``.
        """
        names = list(self.constants) if over is None else list(over)
        consts = [self.constants[name] for name in names]
        found: list[dict[str, Any]] = []
        exhausted = False
        self.solver.push()
        try:
            self.solver.add([self._constraint(c) for c in extra])
            while len(found) < limit:
                result, _ = self._run()
                if result != z3.sat:
                    exhausted = result == z3.unsat
                    break
                model = self.solver.model()
                found.append({n: to_json(model.evaluate(c, model_completion=True)) for n, c in zip(names, consts)})
                if not consts:
                    exhausted = True
                    break
                self.solver.add(z3.Or([c != model.evaluate(c, model_completion=True) for c in consts]))
        finally:
            self.solver.pop()
        return Models(tuple(found), exhausted)


def incremental_vs_fresh(n: int = 50) -> tuple[float, float]:
    """Time ``n`` small checks on one incremental session versus a fresh solver each.

    The base is a scheduling-style problem over eight integers; check ``i`` adds ``x_(i mod 8) = i mod 5``.

    Returns:
        ``(incremental_seconds, fresh_seconds)``; the fresh side goes through
        :class:`~nesy.solvers.z3_solver.Z3Solver` ``run`` (filter, parse, solve), as a worker would.

    Example:
        >>> incremental, fresh = incremental_vs_fresh(2)
        >>> incremental > 0 and fresh > 0
        True
    """
    from nesy.solvers.z3_solver import Z3Solver  # local: keeps this module free of the backend

    names = [f"x{i}" for i in range(8)]
    base = "".join(f"(declare-const {v} Int) (assert (<= 0 {v} 7)) " for v in names)
    base += f"(assert (distinct {' '.join(names)})) "
    base += "".join(f"(assert (not (= (- {a} {b}) 1))) " for a, b in zip(names, names[1:]))
    extras = [f"(= {names[i % 8]} {i % 5})" for i in range(n)]
    start = time.perf_counter()
    session = IncrementalZ3(base)
    for extra in extras:
        session.check(extra)
    incremental = time.perf_counter() - start
    solver = Z3Solver()
    start = time.perf_counter()
    for extra in extras:
        solver.run(f"{base}(assert {extra}) (check-sat)")
    return incremental, time.perf_counter() - start
