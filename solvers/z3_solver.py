"""The ``z3`` backend: a safe subset of SMT-LIB 2, solved with z3's Python API.

The program is read by nesy's own reader and filtered by an allow-list
(:mod:`nesy.solvers.smtlib_script`, the security boundary). Declarations, definitions and
assertions are re-serialised and parsed by z3 into a fresh context; nesy runs ``push``/``pop``,
``check-sat``, ``get-model`` and ``get-value`` itself.

Semantics:

* several ``check-sat`` commands are allowed; each is solved on the assertions then in scope and
  the verdict reports the **last** one (the message lists them all). A script without
  ``check-sat`` gets one at the end. ``get-model``/``get-value`` must directly follow a
  ``check-sat`` (only other ``get-*`` commands in between).
* ``sat`` -> value is ``{declared name: value}`` (formats in :mod:`nesy.solvers.z3_values`), or,
  when ``get-value`` follows the last ``check-sat``, ``{term text: value}`` for those terms;
  the certificate is the model as SMT-LIB text. ``unsat`` -> value None.
  ``unknown`` -> z3's ``reason_unknown()`` in the message (a check stopped at the budget says ``timeout``);
  z3 running out of memory -> ``memout``; z3 parse or sort errors -> ``rejected``.
* ``input`` may be None or SMT-LIB text of declarations/definitions/assertions (a prelude),
  filtered the same way and placed before the program.
* Limits: :mod:`nesy.watchdog` interrupts ``check-sat`` at the time left before
  ``budget.wall_seconds`` minus a margin (one watchdog thread per process, where z3's own
  ``timeout`` parameter would start a timer thread per check);
  ``memory_max_size`` is set from ``budget.memory_mb`` with ``z3.set_param`` (a process-global
  setting, fine in sandbox workers); an optional ``rlimit`` makes give-ups reproducible.
* Check mode: ``expected`` may be ``"sat"``/``"unsat"`` (compares the outcome) or a dict
  (compares those keys of the value, numbers numerically).

Example:
    >>> solver = Z3Solver()
    >>> solver.run("(declare-const x Int) (assert (and (> x 2) (< x 4))) (check-sat)").value
    {'x': 3}
    >>> solver.check("(declare-const x Int) (assert (> x x))", expected="unsat").status
    <Status.OK: 'ok'>
    >>> solver.run("(set-option :trace true)").message
    "command 'set-option' is not allowed (line 1)"
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import z3

from nesy.budget import Budget
from nesy.errors import ProgramFailed, ProgramRejected, SolverTimeout
from nesy.solver import BaseSolver
from nesy.solvers.smtlib_script import DEFINITIONS, MAX_SCOPES, Command, parse_script
from nesy.solvers.z3_values import clean_message, model_values, same_value
from nesy.verdict import Status, Verdict
from nesy.watchdog import interrupt_after

log = logging.getLogger(__name__)

MAX_CHECKS = 32
"""Most ``check-sat`` commands one script may run."""


@dataclass
class _Outcome:
    status: Status
    value: Any = None
    reason: str = ""
    certificate: str | None = None
    seconds: float = 0.0


@dataclass
class _State:
    logic: Command | None = None
    frames: list[list[Command]] = field(default_factory=lambda: [[]])
    outcomes: list[_Outcome] = field(default_factory=list)


def z3_timeout_ms(deadline: float, wall_seconds: float) -> int:
    """Milliseconds z3 may use: the time left before ``deadline`` minus a safety margin.

    Example:
        >>> 0 < z3_timeout_ms(time.monotonic() + 2.0, 2.0) <= 1800
        True
    """
    margin = min(0.5, 0.1 * wall_seconds)
    return max(1, int((deadline - time.monotonic() - margin) * 1000))


_CONTEXT: list[z3.Context] = []


def _context() -> z3.Context:
    """One z3 context per process, reused across programs (a fresh one costs about 1 ms).

    Each program is parsed with its own symbol table, so declarations never leak between
    programs; the context is dropped after any z3 error, in case that left it in a bad state.
    """
    if not _CONTEXT:
        _CONTEXT.append(z3.Context())
    return _CONTEXT[0]


def _drop_context() -> None:
    _CONTEXT.clear()


class Z3Solver(BaseSolver):
    """SMT-LIB 2 (safe subset) on z3. Picklable: holds only its options.

    Args:
        rlimit: Optional z3 resource limit per ``check-sat`` (deterministic give-up).
    """

    name = "z3"
    languages = ("smtlib2",)
    version = f"1+z3-{z3.get_version_string()}"

    def __init__(self, rlimit: int | None = None) -> None:
        self.rlimit = rlimit

    def config(self) -> dict[str, Any]:
        """Options that change answers."""
        return {"rlimit": self.rlimit}

    def values_equal(self, value: Any, expected: Any) -> bool:
        """``"sat"``/``"unsat"`` compare the outcome, a dict compares the keys it gives.

        Only called on ``sat``/``unsat`` verdicts, whose values are a dict and None.

        Example:
            >>> s = Z3Solver()
            >>> s.values_equal({"x": 1}, "sat"), s.values_equal(None, "unsat"), s.values_equal({"x": 1}, {"x": 1.0})
            (True, True, True)
        """
        if isinstance(expected, str) and expected.strip().lower() in ("sat", "unsat"):
            return (value is not None) == (expected.strip().lower() == "sat")
        if isinstance(expected, dict):
            return isinstance(value, dict) and all(
                key in value and same_value(value[key], want) for key, want in expected.items()
            )
        return value == expected

    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        """Filter, then run the script's commands (see the module docstring)."""
        deadline = time.monotonic() + budget.wall_seconds
        commands = self._commands(program, input, budget)
        z3.set_param("memory_max_size", max(16, int(budget.memory_mb * 0.8)))
        state = _State()
        for index, command in enumerate(commands):
            self._step(state, commands, index, deadline, budget)
        return self._verdict(state.outcomes)

    # -- reading ---------------------------------------------------------------------------
    def _commands(self, program: str, input: Any, budget: Budget) -> list[Command]:
        prelude: list[Command] = []
        if input is not None:
            if not isinstance(input, str):
                raise ProgramRejected(f"input must be None or SMT-LIB text, got {type(input).__name__}")
            if len(input.encode("utf-8", "replace")) > budget.max_program_bytes:
                raise ProgramRejected(f"input is over the limit of {budget.max_program_bytes} bytes")
            prelude = list(parse_script(input).commands)
            bad = [c.name for c in prelude if c.name not in DEFINITIONS and c.name != "set-logic"]
            if bad:
                raise ProgramRejected(f"input may hold only declarations and assertions, found {bad[0]!r}")
        commands = prelude + list(parse_script(program).commands)
        if any(c.name == "set-logic" for c in commands[1:]):
            raise ProgramRejected("set-logic must come first, once")
        checks = sum(1 for c in commands if c.name == "check-sat")
        if checks > MAX_CHECKS:
            raise ProgramRejected(f"{checks} check-sat commands, over the limit of {MAX_CHECKS}")
        if checks == 0:
            implicit = parse_script("(check-sat)").commands[0]
            line = commands[-1].line if commands else 1
            commands.append(Command(implicit.name, implicit.expr, implicit.text, line))
        return commands

    # -- running ---------------------------------------------------------------------------
    def _step(self, state: _State, commands: list[Command], index: int, deadline: float, budget: Budget) -> None:
        command = commands[index]
        if command.name == "set-logic":
            state.logic = command
        elif command.name in DEFINITIONS:
            state.frames[-1].append(command)
        elif command.name == "push":
            if len(state.frames) + command.count > MAX_SCOPES + 1:
                raise ProgramRejected(f"more than {MAX_SCOPES} nested push scopes (line {command.line})")
            state.frames.extend([] for _ in range(command.count))
        elif command.name == "pop":
            if command.count >= len(state.frames):
                raise ProgramRejected(f"pop {command.count} without a matching push (line {command.line})")
            if command.count:  # `pop 0` does nothing (and `frames[-0:]` would be everything)
                del state.frames[-command.count :]
        elif command.name == "check-sat":
            terms: list[tuple[str, int]] = []
            for later in commands[index + 1 :]:
                if later.name not in ("get-value", "get-model"):
                    break
                terms.extend((term, later.line) for term in later.terms)
            state.outcomes.append(self._solve(state, terms, deadline, budget))
        else:  # get-model / get-value: only right after check-sat (their work is done there)
            previous = commands[index - 1].name if index else ""
            if previous not in ("check-sat", "get-value", "get-model"):
                raise ProgramRejected(f"{command.name} must follow check-sat (line {command.line})")

    def _solve(self, state: _State, terms: list[tuple[str, int]], deadline: float, budget: Budget) -> _Outcome:
        if time.monotonic() >= deadline:
            raise SolverTimeout("no time left for check-sat")
        scope = ([state.logic] if state.logic else []) + [c for frame in state.frames for c in frame]
        functions = [c.declares[0] for c in scope if c.declares and c.declares[1] > 0]
        if terms:
            probes = [(term, term, line) for term, line in terms]
        else:
            probes = [(c.declares[0], c.expr.items[1].text, c.line) for c in scope if c.declares and c.declares[1] == 0]
        text = "\n".join([c.text for c in scope] + [f"(assert (= {raw} {raw}))" for _, raw, _ in probes])
        lines = [c.line for c in scope] + [line for _, _, line in probes]
        ctx = _context()
        try:
            parsed = list(z3.parse_smt2_string(text, ctx=ctx))
        except z3.Z3Exception as exc:
            message = clean_message(exc, lines)
            _drop_context()
            if message.lower().startswith("out of memory"):
                raise MemoryError(message) from None
            raise ProgramRejected(f"z3: {message}") from None
        split = len(parsed) - len(probes)
        solver = z3.Solver(ctx=ctx)
        if self.rlimit:
            solver.set("rlimit", int(self.rlimit))
        seconds_left = z3_timeout_ms(deadline, budget.wall_seconds) / 1000
        try:
            return self._check(solver, parsed, split, probes, [] if terms else functions, seconds_left)
        except z3.Z3Exception as exc:
            message = clean_message(exc)
            _drop_context()
            if "memory" in message.lower():
                raise MemoryError(message) from None
            raise ProgramFailed(f"z3: {message}") from None

    @staticmethod
    def _check(
        solver: z3.Solver, parsed: list, split: int, probes: list, functions: list[str], seconds_left: float
    ) -> _Outcome:
        start = time.perf_counter()
        solver.add(parsed[:split])
        with interrupt_after(solver.ctx.interrupt, seconds_left) as alarm:
            result = solver.check()
        seconds = time.perf_counter() - start
        if result == z3.unknown and alarm.fired:
            return _Outcome(Status.UNKNOWN, reason=f"timeout (interrupted after {seconds:.2f} s)", seconds=seconds)
        if result == z3.sat:
            model = solver.model()
            keyed = [(key, parsed[split + i].arg(0)) for i, (key, _, _) in enumerate(probes)]
            return _Outcome(Status.SAT, model_values(model, keyed, functions), "", model.sexpr(), seconds)
        if result == z3.unsat:
            return _Outcome(Status.UNSAT, seconds=seconds)
        reason = solver.reason_unknown() or "unknown"
        status = Status.MEMOUT if "memory" in reason.lower() else Status.UNKNOWN
        return _Outcome(status, reason=reason, seconds=seconds)

    @staticmethod
    def _verdict(outcomes: list[_Outcome]) -> Verdict:
        last = outcomes[-1]
        if last.status == Status.UNKNOWN:
            message = f"z3 gave up: {last.reason}"
        elif last.status == Status.MEMOUT:
            message = f"z3 ran out of memory: {last.reason}"
        else:
            message = last.status.value
        if len(outcomes) > 1:
            message += f" (check-sat results: {', '.join(o.status.value for o in outcomes)}; the last is reported)"
        stats = {"solver_seconds": sum(o.seconds for o in outcomes), "check_sats": float(len(outcomes))}
        log.debug("z3 verdict %s after %d check-sat", last.status.value, len(outcomes))
        return Verdict(last.status, last.value, message, last.certificate, stats)
