"""Bottom-up enumeration of type-correct programs, with observational-equivalence pruning.

Programs are built smallest first (size = number of nodes): leaves (variables, constants,
literals, nullary primitives), then every primitive applied to already-built programs whose types
unify with its argument types, so every program is type-correct by construction. Given example
inputs, each program is also evaluated on them, and a program whose type and values repeat an
earlier program's is dropped (``mul(x, 2)`` is skipped once ``add(x, x)`` was kept).

Example:
    >>> from nesy.solvers.dsl.stdlib import standard_dsl
    >>> from nesy.solvers.dsl.typeterms import INT
    >>> programs = Enumerator(standard_dsl(), {"x": INT}, [1], [{"x": 2}, {"x": 5}], max_depth=2)
    >>> [(c.text, c.values) for c in programs][:4]
    [('x', (2, 5)), ('true', (True, True)), ('false', (False, False)), ('1', (1, 1))]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Iterator

from nesy.errors import SolverTimeout
from nesy.solvers.dsl.interpreter import value_limit, value_size
from nesy.solvers.dsl.language import DSL, Primitive
from nesy.solvers.dsl.parser import format_literal
from nesy.solvers.dsl.typeterms import FreshVars, Type, TypeTooDeep, normalize, resolve, type_of_value, type_vars, unify


class _Failed:
    """Marks a program that failed on one example."""

    def __repr__(self) -> str:
        return "<failed>"


FAILED = _Failed()


@dataclass(frozen=True)
class Candidate:
    """One enumerated program.

    Attributes:
        text: Program text.
        type: Its type (variables renamed ``T``, ``U``...).
        size: Number of nodes.
        depth: Nesting depth (a leaf has depth 1).
        values: Its value on each example input (:data:`FAILED` where it failed), or None.
    """

    text: str
    type: Type
    size: int
    depth: int
    values: tuple[Any, ...] | None = None

    @property
    def polymorphic(self) -> bool:
        """Whether the type has variables."""
        return bool(type_vars(self.type))


class Enumerator:
    """Builds programs of a DSL in order of size, optionally evaluating them on example inputs.

    Args:
        dsl: The language.
        variables: Input variable types (each variable is a leaf).
        literals: Integer/string literals usable as leaves.
        inputs: Example inputs; enables evaluation and observational-equivalence pruning.
        max_depth: Deepest nesting produced.
        max_value_size: Values larger than this count as failures.
    """

    def __init__(
        self,
        dsl: DSL,
        variables: Mapping[str, Type],
        literals: Sequence[int | str],
        inputs: Sequence[Mapping[str, Any]] | None = None,
        *,
        max_depth: int = 3,
        max_value_size: int = 1_000_000,
    ) -> None:
        self.dsl, self.variables, self.literals = dsl, dict(variables), list(literals)
        self.inputs = list(inputs) if inputs is not None else None
        self.max_depth, self.max_value_size = max_depth, max_value_size
        self.generated = 0
        self._fresh = FreshVars()
        self._seen: set[Any] = set()
        self._bank: list[list[Candidate]] = [[]]  # index = size
        arities = [p.arity for p in dsl.primitives.values()] or [0]
        widest = max(arities)
        self.max_size = max_depth if widest <= 1 else sum(widest**i for i in range(max_depth))

    def __iter__(self) -> Iterator[Candidate]:
        """Every kept program, smallest first."""
        for size in range(1, self.max_size + 1):
            level: list[Candidate] = []
            self._bank.append(level)
            source = self._leaves() if size == 1 else self._applications(size)
            for candidate in source:
                if self._keep(candidate):
                    level.append(candidate)
                    self.generated += 1
                    yield candidate

    # -- building ---------------------------------------------------------------------------
    def _leaves(self) -> Iterator[Candidate]:
        n = len(self.inputs) if self.inputs is not None else 0
        for name, t in self.variables.items():
            values = tuple(example[name] for example in self.inputs) if self.inputs is not None else None
            yield Candidate(name, normalize(t), 1, 1, values)
        for constant in self.dsl.constants.values():
            yield Candidate(constant.name, normalize(constant.type), 1, 1, self._same(constant.value, n))
        for literal in self.literals:
            t = type_of_value(literal)
            if t is not None:
                yield Candidate(format_literal(literal), t, 1, 1, self._same(literal, n))
        for primitive in self.dsl.primitives.values():
            if primitive.arity == 0:
                values = self._evaluate(primitive, []) if self.inputs is not None else None
                yield Candidate(f"{primitive.name}()", normalize(primitive.return_type), 1, 1, values)

    def _same(self, value: Any, n: int) -> tuple[Any, ...] | None:
        return (value,) * n if self.inputs is not None else None

    def _applications(self, size: int) -> Iterator[Candidate]:
        for primitive in self.dsl.primitives.values():
            if primitive.arity == 0:
                continue
            for sizes in _compositions(size - 1, primitive.arity):
                if all(self._bank[s] for s in sizes):
                    yield from self._combine(primitive, sizes, size)

    def _combine(self, primitive: Primitive, sizes: tuple[int, ...], size: int) -> Iterator[Candidate]:
        *params, result = self._fresh.instantiate([*primitive.arg_types, primitive.return_type])

        def extend(index: int, subst: dict[str, Type], chosen: list[Candidate]) -> Iterator[Candidate]:
            if index == len(params):
                try:
                    t = normalize(resolve(result, subst))
                except TypeTooDeep:
                    return
                text = f"{primitive.name}({', '.join(c.text for c in chosen)})"
                values = self._evaluate(primitive, chosen) if self.inputs is not None else None
                yield Candidate(text, t, size, 1 + max(c.depth for c in chosen), values)
                return
            for candidate in self._bank[sizes[index]]:
                if candidate.depth >= self.max_depth:
                    continue
                actual = self._fresh.instantiate([candidate.type])[0] if candidate.polymorphic else candidate.type
                trial = dict(subst)
                try:
                    if not unify(params[index], actual, trial):
                        continue
                except TypeTooDeep:
                    continue
                yield from extend(index + 1, trial, [*chosen, candidate])

        yield from extend(0, {}, [])

    # -- evaluating and pruning -------------------------------------------------------------
    def _evaluate(self, primitive: Primitive, args: list[Candidate]) -> tuple[Any, ...]:
        assert self.inputs is not None
        results = []
        for i in range(len(self.inputs)):
            values = [c.values[i] for c in args]  # type: ignore[index]
            if primitive.conditional:
                condition = values[0]
                results.append(values[1 if condition else 2] if isinstance(condition, bool) else FAILED)
                continue
            if any(v is FAILED for v in values):
                results.append(FAILED)
                continue
            try:
                with value_limit(self.max_value_size):
                    value = primitive.impl(*values)
            except (SolverTimeout, MemoryError):
                raise
            except Exception:
                value = FAILED
            size = value_size(value)
            results.append(FAILED if size is not None and size > self.max_value_size else value)
        return tuple(results)

    def _keep(self, candidate: Candidate) -> bool:
        if candidate.values is None:
            return True
        if candidate.values and all(v is FAILED for v in candidate.values):
            return False
        try:
            key = (str(candidate.type), _freeze(candidate.values))
            hash(key)
        except TypeError:  # unhashable values: keep without pruning
            return True
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


def _freeze(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ("list", tuple(_freeze(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _freeze(v)) for k, v in value.items())))
    if isinstance(value, bool):
        return ("bool", value)
    return value


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Ordered ways to write ``total`` as ``parts`` positive integers."""
    if parts == 1:
        if total >= 1:
            yield (total,)
        return
    for first in range(1, total - parts + 2):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)
