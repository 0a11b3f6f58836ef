"""The ``dsl`` backend: parse, type-check and run programs of a typed functional DSL.

Example:
    >>> import operator
    >>> from nesy.solvers.dsl.language import DSL
    >>> dsl = DSL("arith")
    >>> _ = dsl.primitive("add", ["int", "int"], "int", operator.add)
    >>> dsl.variable("x", "int")
    >>> solver = DSLSolver(dsl)
    >>> verdict = solver.run("add(x, 2)", input={"x": 3})
    >>> verdict.status.value, verdict.value, verdict.certificate["trace"]
    ('ok', 5, [{'step': 1, 'call': 'add(x, 2)', 'value': '5'}])
    >>> solver.run("add(x)", input={"x": 3}).message
    'add at line 1, column 1 takes 2 arguments, got 1 (add(int, int) -> int)'
    >>> DSLSolver().check("reverse(xs)", input={"xs": (1, 2)}, expected=[2, 1]).status.value
    'ok'
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Iterator

from nesy.budget import DEFAULT_BUDGET, Budget
from nesy.errors import ProgramRejected
from nesy.solver import BaseSolver
from nesy.solvers.dsl.checker import TypeChecker
from nesy.solvers.dsl.interpreter import Interpreter, nested_size, to_plain
from nesy.solvers.dsl.language import DSL
from nesy.solvers.dsl.parser import parse
from nesy.solvers.dsl.search import abduce_program, enumerate_programs
from nesy.solvers.dsl.stdlib import standard_dsl
from nesy.verdict import Status, Verdict

log = logging.getLogger(__name__)

MAX_INPUT_NAMES = 1000


def normalize_value(value: Any) -> Any:
    """Tuples become lists, recursively (for comparisons).

    Example:
        >>> normalize_value((1, (2, 3), [4]))
        [1, [2, 3], [4]]
    """
    if isinstance(value, (list, tuple)):
        return [normalize_value(item) for item in value]
    if isinstance(value, dict):
        return {k: normalize_value(v) for k, v in value.items()}
    return value


class DSLSolver(BaseSolver):
    """Runs programs of a typed DSL (the standard one when none is given).

    Args:
        dsl: The language; :func:`~nesy.solvers.dsl.stdlib.standard_dsl` when None.
        max_depth: Deepest nesting of calls accepted (deeper programs are rejected).
        max_trace: Most trace steps kept in a verdict's certificate.

    A verdict's ``value`` is the program's value with tuples turned into lists; its ``certificate``
    is ``{"type": str, "steps": int, "trace": [{"step", "call", "value"}...], "truncated": bool}``.
    """

    name = "dsl"
    languages = ("dsl",)
    version = "0.1.0"

    def __init__(self, dsl: DSL | None = None, *, max_depth: int = 500, max_trace: int = 1000) -> None:
        self.dsl = dsl if dsl is not None else standard_dsl()
        self.max_depth = max_depth
        self.max_trace = max_trace

    def config(self) -> dict[str, Any]:
        """The DSL's signature plus the limits that change answers."""
        return {"dsl": self.dsl.signature(), "max_depth": self.max_depth, "max_trace": self.max_trace}

    def values_equal(self, value: Any, expected: Any) -> bool:
        """Plain equality after turning tuples into lists."""
        return bool(normalize_value(value) == normalize_value(expected))

    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        """Parse, type-check and run ``program`` on ``input`` (a mapping of variable values)."""
        tree = parse(program, max_depth=self.max_depth)
        inputs = self._inputs(input, budget)
        program_type = TypeChecker(self.dsl, inputs, program).check(tree)
        interpreter = Interpreter(
            self.dsl,
            inputs,
            program,
            max_steps=budget.max_steps,
            max_value_size=budget.max_value_size,
            max_trace=self.max_trace,
        )
        result = interpreter.run(tree)
        value = to_plain(result.value, budget.max_value_size)
        certificate = {
            "type": str(program_type),
            "steps": result.steps,
            "trace": result.trace,
            "truncated": result.truncated,
        }
        message = f"{program_type} value after {result.steps} step{'' if result.steps == 1 else 's'}"
        return Verdict(Status.OK, value, message, certificate, {"steps": result.steps})

    def enumerate(
        self,
        return_type: str = "T",
        max_depth: int = 3,
        max_programs: int = 1000,
        *,
        variables: Mapping[str, str] | None = None,
        literals: Sequence[int | str] | None = None,
    ) -> Iterator[str]:
        """Type-correct programs of ``return_type``, smallest first (see :mod:`nesy.solvers.dsl.search`).

        Example:
            >>> list(DSLSolver().enumerate("bool", max_depth=1))
            ['true', 'false']
        """
        return enumerate_programs(
            self.dsl, return_type, max_depth=max_depth, max_programs=max_programs, variables=variables, literals=literals
        )

    def abduce(
        self,
        examples: Sequence[tuple[Mapping[str, Any], Any]],
        return_type: str | None = None,
        max_programs: int = 100_000,
        *,
        max_depth: int = 4,
        literals: Sequence[int | str] | None = None,
        budget: Budget = DEFAULT_BUDGET,
    ) -> Verdict:
        """Search for the smallest program consistent with ``(input, expected)`` examples.

        Returns an ``ok`` verdict whose value is the program text, ``unknown`` when the search ran
        out of candidates, or ``timeout`` (see :func:`~nesy.solvers.dsl.search.abduce_program`).

        Example:
            >>> DSLSolver().abduce([({"x": 1}, 2), ({"x": 5}, 10)], "int").value
            'add(x, x)'
        """
        return abduce_program(
            self.dsl,
            examples,
            return_type,
            max_programs=max_programs,
            max_depth=max_depth,
            literals=literals,
            budget=budget,
            equal=self.values_equal,
        )

    # -- internals -------------------------------------------------------------------------
    def _inputs(self, input: Any, budget: Budget) -> Mapping[str, Any]:
        if input is None:
            return {}
        if not isinstance(input, Mapping):
            raise ProgramRejected(f"the input must be a mapping of variable names to values, got {type(input).__name__}")
        if len(input) > MAX_INPUT_NAMES:
            raise ProgramRejected(f"the input has {len(input)} variables, over the limit of {MAX_INPUT_NAMES}")
        for name, value in input.items():
            if not isinstance(name, str):
                raise ProgramRejected(f"input variable names must be strings, got {name!r}")
            kind = self.dsl.kind_of(name)
            if kind in ("primitive", "constant"):
                raise ProgramRejected(f"input {name!r} has the name of a {kind} of the DSL")
            size = nested_size(value, budget.max_value_size)
            if size > budget.max_value_size:
                raise ProgramRejected(f"input {name!r} holds over {budget.max_value_size} elements (max_value_size)")
        return dict(input)

