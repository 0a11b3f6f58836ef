"""Name resolution and type checking of a parsed program against a DSL, before anything runs.

Every problem is a :class:`~nesy.errors.ProgramRejected` with a one-line message that names the
position: unknown names (with a suggestion), wrong arity, type mismatches, missing inputs.

Example:
    >>> from nesy.solvers.dsl.stdlib import standard_dsl
    >>> from nesy.solvers.dsl.parser import parse
    >>> str(TypeChecker(standard_dsl(), {"xs": [1, 2]}, "").check(parse("cons(head(xs), empty())")))
    'list[int]'
    >>> TypeChecker(standard_dsl(), {}, 'add(1, "a")').check(parse('add(1, "a")'))
    Traceback (most recent call last):
    ...
    nesy.errors.ProgramRejected: type error at line 1, column 8: argument 2 of add must be int, got str
"""

from __future__ import annotations

import difflib
from typing import Any, Mapping

from nesy.errors import ProgramRejected
from nesy.solvers.dsl.language import DSL
from nesy.solvers.dsl.parser import Call, Literal, Name, Node, where
from nesy.solvers.dsl.typeterms import (
    INT,
    STR,
    FreshVars,
    Subst,
    Type,
    TypeTooDeep,
    normalize,
    resolve,
    type_of_value,
    unify,
    value_matches,
)


def name_kind(dsl: DSL, inputs: Mapping[str, Any], name: str) -> str | None:
    """What a name means in a program: ``variable``, ``constant``, ``primitive`` or None (unknown)."""
    if name in dsl.variables or name in inputs:
        return "variable"
    return dsl.kind_of(name)


class TypeChecker:
    """Infers the type of a program, unifying polymorphic primitives' type variables.

    Args:
        dsl: The language.
        inputs: Input values by variable name (undeclared variables get the type of their value).
        source: The program text, for positions in messages.
    """

    def __init__(self, dsl: DSL, inputs: Mapping[str, Any], source: str) -> None:
        self.dsl = dsl
        self.inputs = inputs
        self.source = source
        self._fresh = FreshVars()
        self._subst: Subst = {}
        self._input_types: dict[str, Type] = {}

    def check(self, tree: Node) -> Type:
        """The program's type (variables renamed ``T``, ``U``...); raises ProgramRejected."""
        try:
            return normalize(resolve(self._infer(tree), self._subst))
        except TypeTooDeep as exc:
            raise ProgramRejected(f"type error: {exc}") from None

    # -- internals -------------------------------------------------------------------------
    def _infer(self, tree: Node) -> Type:
        # Post-order walk with an explicit stack: (node, children done?)
        stack: list[tuple[Node, bool]] = [(tree, False)]
        results: list[Type] = []
        while stack:
            node, done = stack.pop()
            if isinstance(node, Literal):
                results.append(INT if isinstance(node.value, int) else STR)
            elif isinstance(node, Name):
                results.append(self._name_type(node))
            elif not done:
                self._check_callable(node)
                stack.append((node, True))
                stack.extend((arg, False) for arg in reversed(node.args))
            else:
                count = len(node.args)
                arg_types = results[len(results) - count :] if count else []
                del results[len(results) - count :]
                results.append(self._apply(node, arg_types))
        return results[0]

    def _check_callable(self, node: Call) -> None:
        kind = name_kind(self.dsl, self.inputs, node.name)
        if kind in ("variable", "constant"):
            raise ProgramRejected(
                f"{node.name!r} at {where(self.source, node.pos)} is a {kind}, not a primitive: write it without parentheses"
            )
        if kind is None:
            raise ProgramRejected(f"unknown primitive {node.name!r} at {where(self.source, node.pos)}{self._hint(node.name)}")
        primitive = self.dsl.primitives[node.name]
        if len(node.args) != primitive.arity:
            raise ProgramRejected(
                f"{node.name} at {where(self.source, node.pos)} takes {primitive.arity} argument"
                f"{'' if primitive.arity == 1 else 's'}, got {len(node.args)} ({primitive.signature_text})"
            )

    def _apply(self, node: Call, arg_types: list[Type]) -> Type:
        primitive = self.dsl.primitives[node.name]
        *params, result = self._fresh.instantiate([*primitive.arg_types, primitive.return_type])
        for index, (param, actual, arg) in enumerate(zip(params, arg_types, node.args), start=1):
            trail: list[str] = []
            if not unify(param, actual, self._subst, trail):
                for name in trail:  # undo partial bindings so the message shows the types as they were
                    del self._subst[name]
                expected, got = normalize(resolve(param, self._subst)), normalize(resolve(actual, self._subst))
                raise ProgramRejected(
                    f"type error at {where(self.source, arg.pos)}: argument {index} of {node.name} "
                    f"must be {expected}, got {got}"
                )
        return result

    def _name_type(self, node: Name) -> Type:
        kind = name_kind(self.dsl, self.inputs, node.name)
        at = where(self.source, node.pos)
        if kind == "variable":
            return self._fresh.instantiate([self._variable_type(node.name, at)])[0]
        if kind == "constant":
            return self._fresh.instantiate([self.dsl.constants[node.name].type])[0]
        if kind == "primitive":
            primitive = self.dsl.primitives[node.name]
            if primitive.arity:
                raise ProgramRejected(
                    f"{node.name} at {at} takes {primitive.arity} argument{'' if primitive.arity == 1 else 's'}: "
                    f"call it as {node.name}(...)"
                )
            return self._fresh.instantiate([primitive.return_type])[0]
        raise ProgramRejected(f"unknown name {node.name!r} at {at}{self._hint(node.name)}")

    def _variable_type(self, name: str, at: str) -> Type:
        if name in self._input_types:
            return self._input_types[name]
        if name not in self.inputs:
            raise ProgramRejected(f"variable {name!r} at {at} has no value in the input")
        value = self.inputs[name]
        declared = self.dsl.variables.get(name)
        if declared is not None:
            if not value_matches(value, declared):
                raise ProgramRejected(f"input {name!r} must be of type {declared}, got a {type(value).__name__}")
            found = declared
        else:
            inferred = type_of_value(value)
            if inferred is None:
                detail = "mixed, unsupported or too deeply nested elements" if isinstance(value, (list, tuple)) else ""
                raise ProgramRejected(
                    f"cannot infer a type for input {name!r} (a {type(value).__name__}"
                    f"{' with ' + detail if detail else ''}): declare it with DSL.variable(name, type)"
                )
            found = inferred
        self._input_types[name] = found
        return found

    def _hint(self, name: str) -> str:
        candidates = list(self.dsl.names()) + [k for k in self.inputs if isinstance(k, str)]
        close = difflib.get_close_matches(name, candidates, n=1)
        return f" (did you mean {close[0]!r}?)" if close else ""
