"""Run a type-checked program: count steps, bound value sizes, record a trace.

Each primitive application is one step. Evaluation is strict, except for a DSL's conditional
(see :meth:`~nesy.solvers.dsl.language.DSL.conditional`), which runs only the chosen branch. An
explicit stack replaces recursion, so program depth never hits Python's recursion limit.

Primitives that could build huge values before the interpreter sees them should call
:func:`guard_size` first (the standard library's ``repeat`` does).

Example:
    >>> from nesy.solvers.dsl.stdlib import standard_dsl
    >>> from nesy.solvers.dsl.parser import parse
    >>> result = Interpreter(standard_dsl(), {"x": 3}, "mul(add(x, 1), 2)").run(parse("mul(add(x, 1), 2)"))
    >>> result.value, result.steps, result.trace[0]
    (8, 2, {'step': 1, 'call': 'add(x, 1)', 'value': '4'})
"""

from __future__ import annotations

import reprlib
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from nesy.errors import ProgramFailed, SolverTimeout
from nesy.solvers.dsl.checker import name_kind
from nesy.solvers.dsl.language import DSL
from nesy.solvers.dsl.parser import Call, Literal, Name, Node, where

_VALUE_LIMIT: ContextVar[int | None] = ContextVar("nesy_dsl_value_limit", default=None)
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict = 3, 8, 8, 6
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 60, 60, 40
MAX_VALUE_DEPTH = 200
MAX_RESULT_INT_BITS = 13_000  # about 3,900 digits: under Python's 4,300-digit int-to-text limit (JSON)


def guard_size(size: int, what: str = "a value") -> None:
    """Raise :class:`ProgramFailed` if a value of ``size`` elements would exceed the running program's
    ``max_value_size``; call it in a primitive *before* building a large value.

    Example:
        >>> with value_limit(10):
        ...     guard_size(11, "repeat's result")
        Traceback (most recent call last):
        ...
        nesy.errors.ProgramFailed: repeat's result would have 11 elements, over max_value_size 10
    """
    limit = _VALUE_LIMIT.get()
    if limit is not None and size > limit:
        raise ProgramFailed(f"{what} would have {size} elements, over max_value_size {limit}")


@contextmanager
def value_limit(limit: int) -> Iterator[None]:
    """Make ``limit`` the size :func:`guard_size` checks against inside the block."""
    token = _VALUE_LIMIT.set(limit)
    try:
        yield
    finally:
        _VALUE_LIMIT.reset(token)


def short_repr(value: Any, limit: int = 80) -> str:
    """A bounded ``repr`` (long lists, strings and big integers are shortened)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"<int of {value.bit_length()} bits>"
    try:
        text = _REPR.repr(value)
    except (SolverTimeout, MemoryError):
        raise  # the budget ran out while printing: never swallowed as a failed repr
    except Exception as exc:  # a custom __repr__ that fails
        text = f"<{type(value).__name__}: repr failed ({type(exc).__name__})>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def value_size(value: Any) -> int | None:
    """``len(value)`` where it has one (None otherwise)."""
    if isinstance(value, (int, float, bool)) or value is None:
        return None
    try:
        return len(value)
    except (SolverTimeout, MemoryError):
        raise
    except Exception:
        return None


def nested_size(value: Any, limit: int) -> int:
    """Elements of ``value`` counted through nested lists, tuples and strings; counting stops
    (returning a number over ``limit``) as soon as ``limit`` is passed, so shared sub-lists cost little.

    Example:
        >>> nested_size([[1, 2], "abc", 4], 100)
        8
    """
    total = 0
    pending = [value]
    while pending and total <= limit:
        item = pending.pop()
        if isinstance(item, (list, tuple)):
            total += len(item)
            pending.extend(x for x in item if isinstance(x, (list, tuple, str)))
        elif isinstance(item, str):
            total += len(item)
    return total


def current_value_limit() -> int | None:
    """The ``max_value_size`` of the program running now (None outside a run)."""
    return _VALUE_LIMIT.get()


def to_plain(value: Any, max_elements: int, _depth: int = 0, _count: list[int] | None = None) -> Any:
    """Turn tuples into lists (recursively, also inside lists and str-keyed dicts); other values stay.

    Raises:
        ProgramFailed: The value holds more than ``max_elements`` elements in all, nests too deeply,
            or holds an integer too large to write as JSON.

    Example:
        >>> to_plain((1, [2, (3,)], {"a": (4,)}), 100)
        [1, [2, [3]], {'a': [4]}]
    """
    count = _count if _count is not None else [0]
    if _depth > MAX_VALUE_DEPTH:
        raise ProgramFailed(f"the result nests deeper than {MAX_VALUE_DEPTH} levels")
    if isinstance(value, (list, tuple)):
        count[0] += len(value)
        if count[0] > max_elements:
            raise ProgramFailed(f"the result holds more than {max_elements} elements (max_value_size)")
        return [to_plain(item, max_elements, _depth + 1, count) for item in value]
    if isinstance(value, int) and value.bit_length() > MAX_RESULT_INT_BITS:
        raise ProgramFailed(f"the result holds an integer of {value.bit_length()} bits, too large to report")
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        count[0] += len(value)
        if count[0] > max_elements:
            raise ProgramFailed(f"the result holds more than {max_elements} elements (max_value_size)")
        return {k: to_plain(v, max_elements, _depth + 1, count) for k, v in value.items()}
    return value


@dataclass
class RunResult:
    """What one run produced."""

    value: Any
    steps: int
    trace: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False


class Interpreter:
    """Evaluates type-checked programs of one DSL on one input.

    Args:
        dsl: The language.
        inputs: Variable values.
        source: The program text (trace entries quote it; messages give positions).
        max_steps: Most primitive applications.
        max_value_size: Largest ``len()`` of any value produced.
        max_trace: Most trace entries recorded (the rest are counted, not kept).
    """

    def __init__(
        self,
        dsl: DSL,
        inputs: Mapping[str, Any],
        source: str,
        *,
        max_steps: int = 100_000,
        max_value_size: int = 1_000_000,
        max_trace: int = 1000,
    ) -> None:
        self.dsl, self.inputs, self.source = dsl, inputs, source
        self.max_steps, self.max_value_size, self.max_trace = max_steps, max_value_size, max_trace

    def run(self, tree: Node) -> RunResult:
        """Evaluate ``tree``; raises :class:`ProgramFailed` on step/size limits and primitive errors."""
        result = RunResult(value=None, steps=0)
        # Frames: [node, values of the arguments computed so far]
        frames: list[tuple[Node, list[Any]]] = [(tree, [])]
        with value_limit(self.max_value_size):
            while frames:
                node, values = frames[-1]
                if isinstance(node, Literal):
                    value = node.value
                elif isinstance(node, Name):
                    value = self._name_value(node, result)
                else:
                    primitive = self.dsl.primitives[node.name]
                    if primitive.conditional and len(values) < 2:
                        if not values:
                            frames.append((node.args[0], []))
                        else:
                            branch = self._condition(values[0], node)
                            frames.append((node.args[1] if branch else node.args[2], []))
                        continue
                    if not primitive.conditional and len(values) < len(node.args):
                        frames.append((node.args[len(values)], []))
                        continue
                    self._count(result)
                    value = values[1] if primitive.conditional else self._apply(node, values)
                    self._record(node, value, result)
                frames.pop()
                if frames:
                    frames[-1][1].append(value)
                else:
                    result.value = value
        return result

    # -- internals -------------------------------------------------------------------------
    def _name_value(self, node: Name, result: RunResult) -> Any:
        kind = name_kind(self.dsl, self.inputs, node.name)
        if kind == "variable":
            return self.inputs[node.name]
        if kind == "constant":
            return self.dsl.constants[node.name].value
        self._count(result)
        value = self._apply(Call(node.name, (), node.pos, node.end), [])  # a nullary primitive
        self._record(node, value, result)
        return value

    def _condition(self, value: Any, node: Call) -> bool:
        if not isinstance(value, bool):
            raise ProgramFailed(
                f"the condition of {node.name} at {where(self.source, node.pos)} is a {type(value).__name__}, not a bool"
            )
        return value

    def _apply(self, node: Call, args: list[Any]) -> Any:
        primitive = self.dsl.primitives[node.name]
        try:
            value = primitive.impl(*args)
        except (SolverTimeout, MemoryError):
            raise
        except ProgramFailed as exc:  # a limit checked by the primitive itself (guard_size)
            raise ProgramFailed(f"{node.name} at {where(self.source, node.pos)}: {exc}") from None
        except Exception as exc:
            lines = str(exc).strip().splitlines()
            message = lines[0][:200] if lines else ""
            raise ProgramFailed(
                f"primitive {node.name} failed at {where(self.source, node.pos)}: {type(exc).__name__}"
                + (f": {message}" if message else "")
            ) from None
        size = value_size(value)
        if size is not None and size > self.max_value_size:
            raise ProgramFailed(
                f"{node.name} at {where(self.source, node.pos)} built a value of size {size}, "
                f"over max_value_size {self.max_value_size}"
            )
        return value

    def _count(self, result: RunResult) -> None:
        result.steps += 1
        if result.steps > self.max_steps:
            raise ProgramFailed(f"step limit of {self.max_steps} primitive applications exceeded")

    def _record(self, node: Node, value: Any, result: RunResult) -> None:
        if len(result.trace) < self.max_trace:
            call = " ".join(self.source[node.pos : min(node.end, node.pos + 200)].split())
            if len(call) > 120 or node.end > node.pos + 200:
                call = call[:117] + "..."
            result.trace.append({"step": result.steps, "call": call, "value": short_repr(value)})
        else:
            result.truncated = True
