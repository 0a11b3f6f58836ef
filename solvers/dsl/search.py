"""Program search over a DSL: typed enumeration and example-driven abduction.

Both build on :class:`~nesy.solvers.dsl.enumeration.Enumerator` (smallest programs first,
type-correct by construction; with examples, observationally equivalent programs are pruned).

Example:
    >>> from nesy.solvers.dsl.stdlib import standard_dsl
    >>> programs = list(enumerate_programs(standard_dsl(), "int", max_depth=2, variables={"x": "int"}))
    >>> programs[:5]
    ['x', '0', '1', '2', 'neg(x)']
    >>> abduce_program(standard_dsl(), [({"xs": [1, 2]}, [2, 1]), ({"xs": [3]}, [3])]).value
    'reverse(xs)'
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Iterator

from nesy.budget import DEFAULT_BUDGET, Budget
from nesy.errors import NesyError, SolverTimeout
from nesy.limits import wall_clock_limit
from nesy.solvers.dsl.enumeration import FAILED, Candidate, Enumerator
from nesy.solvers.dsl.language import DSL
from nesy.solvers.dsl.typeterms import (
    FreshVars,
    Type,
    TypeTooDeep,
    constructor_names,
    normalize,
    parse_type,
    resolve,
    type_of_value,
    unify,
)
from nesy.verdict import Status, Verdict

log = logging.getLogger(__name__)


def default_literals(dsl: DSL, variables: Mapping[str, Type]) -> list[int | str]:
    """``0, 1, 2`` when the DSL or the variables use ``int``; no literals otherwise."""
    names = dsl.type_names()
    for t in variables.values():
        names |= constructor_names(t)
    return [0, 1, 2] if "int" in names else []


def _literal_pool(dsl: DSL, types: Mapping[str, Type], literals: Sequence[int | str] | None) -> list[int | str]:
    if literals is None:
        return default_literals(dsl, types)
    for literal in literals:
        if isinstance(literal, bool) or not isinstance(literal, (int, str)):
            raise NesyError(f"literals must be ints or strings, got {literal!r}")
    return list(literals)


def _variable_types(dsl: DSL, variables: Mapping[str, "str | Type"] | None) -> dict[str, Type]:
    types = dict(dsl.variables)
    for name, t in (variables or {}).items():
        if dsl.kind_of(name) in ("primitive", "constant"):
            raise NesyError(f"variable {name!r} has the name of a {dsl.kind_of(name)} of the DSL")
        types[name] = parse_type(t)
    return types


def enumerate_programs(
    dsl: DSL,
    return_type: "str | Type" = "T",
    *,
    max_depth: int = 3,
    max_programs: int = 1000,
    variables: Mapping[str, "str | Type"] | None = None,
    literals: Sequence[int | str] | None = None,
) -> Iterator[str]:
    """Type-correct program texts whose type unifies with ``return_type``, smallest first.

    Args:
        dsl: The language.
        return_type: Wanted type (``T`` for any).
        max_depth: Deepest nesting (a leaf has depth 1).
        max_programs: Most programs yielded.
        variables: Extra input variables and their types.
        literals: Literal leaves; default :func:`default_literals`.
    """
    target = parse_type(return_type)
    types = _variable_types(dsl, variables)
    pool = _literal_pool(dsl, types, literals)
    count = 0
    for candidate in Enumerator(dsl, types, pool, max_depth=max_depth):
        if count >= max_programs:
            return
        if _fits(candidate, target):
            count += 1
            yield candidate.text


def _fits(candidate: Candidate, target: Type) -> bool:
    fresh = FreshVars()
    actual, wanted = fresh.instantiate([candidate.type]) + fresh.instantiate([target])
    try:
        return unify(actual, wanted, {})
    except TypeTooDeep:
        return False


def _example_variable_types(dsl: DSL, inputs: list[Mapping[str, Any]]) -> dict[str, Type]:
    names = set(inputs[0])
    types: dict[str, Type] = {}
    for index, example in enumerate(inputs):
        if set(example) != names:
            raise NesyError(f"example {index} has variables {sorted(example)}, example 0 has {sorted(names)}")
    for name in sorted(names):
        if not isinstance(name, str):
            raise NesyError(f"input variable names must be strings, got {name!r}")
        if name in dsl.variables:
            types[name] = dsl.variables[name]
            continue
        subst: dict[str, Type] = {}
        found: Type = FreshVars().instantiate([parse_type("T")])[0]
        for example in inputs:
            t = type_of_value(example[name])
            if t is None or not unify(found, t, subst):
                raise NesyError(f"cannot infer one type for input {name!r} from the examples; declare it with DSL.variable")
        types[name] = normalize(resolve(found, subst))
    for name in types:
        if dsl.kind_of(name) in ("primitive", "constant"):
            raise NesyError(f"input {name!r} has the name of a {dsl.kind_of(name)} of the DSL")
    return types


def abduce_program(
    dsl: DSL,
    examples: Sequence[tuple[Mapping[str, Any], Any]],
    return_type: "str | Type | None" = None,
    *,
    max_programs: int = 100_000,
    max_depth: int = 4,
    literals: Sequence[int | str] | None = None,
    budget: Budget = DEFAULT_BUDGET,
    equal: Callable[[Any, Any], bool] | None = None,
) -> Verdict:
    """The smallest program mapping every example input to its expected value.

    Args:
        dsl: The language.
        examples: ``(input mapping, expected value)`` pairs; all inputs have the same variables.
        return_type: Wanted type; inferred from the first expected value when None.
        max_programs: Most programs of the wanted type tried.
        max_depth: Deepest nesting tried.
        literals: Literal leaves; default :func:`default_literals`.
        budget: ``wall_seconds`` bounds the search, ``max_value_size`` every value built.
        equal: Value comparison (default ``==``).

    Returns:
        ``ok`` with the program text as value and ``{"program", "tried", "generated", "size"}`` as
        certificate; ``unknown`` when no program within the limits fits; ``timeout``/``memout``.
    """
    if not examples:
        raise NesyError("abduction needs at least one (input, expected) example")
    inputs = [dict(example_input or {}) for example_input, _ in examples]
    expected = [value for _, value in examples]
    same = equal or (lambda a, b: a == b)
    target = parse_type(return_type) if return_type is not None else (type_of_value(expected[0]) or parse_type("T"))
    types = _example_variable_types(dsl, inputs)
    pool = _literal_pool(dsl, types, literals)
    enumerator = Enumerator(dsl, types, pool, inputs, max_depth=max_depth, max_value_size=budget.max_value_size)
    start, tried = time.perf_counter(), 0
    try:
        with wall_clock_limit(budget.wall_seconds):
            for candidate in enumerator:
                if not _fits(candidate, target):
                    continue
                tried += 1
                values = candidate.values or ()
                if all(v is not FAILED and same(v, e) for v, e in zip(values, expected)):
                    certificate = {
                        "program": candidate.text,
                        "tried": tried,
                        "generated": enumerator.generated,
                        "size": candidate.size,
                    }
                    message = f"found {candidate.text} after trying {tried} programs"
                    log.debug("abduction: %s", message)
                    return Verdict(Status.OK, candidate.text, message, certificate, _stats(start))
                if tried >= max_programs:
                    break
    except SolverTimeout:
        message = f"no program found within {budget.wall_seconds:g} s ({tried} tried)"
        return Verdict(Status.TIMEOUT, None, message, None, _stats(start))
    except MemoryError:
        return Verdict(Status.MEMOUT, None, f"memory ran out after trying {tried} programs", None, _stats(start))
    message = f"no program of depth <= {max_depth} fits the examples ({tried} tried)"
    return Verdict(Status.UNKNOWN, None, message, {"tried": tried, "generated": enumerator.generated}, _stats(start))


def _stats(start: float) -> dict[str, float]:
    return {"wall_seconds": time.perf_counter() - start}
