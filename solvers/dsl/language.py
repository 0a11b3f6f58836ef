"""A user-declared DSL: typed primitives, constants and input variables.

Implementations are plain Python callables. They must not mutate their arguments, and should be
module-level functions (or builtins such as ``operator.add``) so the DSL can be pickled and sent
to sandboxed worker processes; pickling a DSL that holds a lambda raises a clear :class:`NesyError`.

Example:
    >>> import operator
    >>> dsl = DSL("arith")
    >>> dsl.primitive("add", ["int", "int"], "int", operator.add).signature_text
    'add(int, int) -> int'
    >>> @dsl.primitive("double", ["int"], "int")
    ... def double(n):
    ...     return 2 * n
    >>> double(4)
    8
    >>> _ = dsl.constant("zero", "int", 0)
    >>> dsl.variable("x", "int")
    >>> sorted(dsl.names())
    ['add', 'double', 'x', 'zero']
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

from nesy.errors import NesyError
from nesy.solvers.dsl.typeterms import Type, constructor_names, parse_type, type_vars, value_matches

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _check_name(name: Any, what: str) -> str:
    if not isinstance(name, str) or not _IDENT.fullmatch(name):
        raise NesyError(f"{what} name must be an identifier (letters, digits, underscore), got {name!r}")
    return name


def qualified_name(obj: Any) -> str:
    """``module.qualname`` of a callable (for fingerprints and error messages)."""
    module = getattr(obj, "__module__", None) or "?"
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__qualname__
    return f"{module}.{qualname}"


@dataclass(frozen=True)
class Primitive:
    """A typed operation of the DSL.

    Attributes:
        name: How programs call it.
        arg_types: One type per argument.
        return_type: Type of the result.
        impl: The Python implementation, called with the argument values.
        conditional: True for the lazy ``if``: ``(bool, T, T) -> T``, only the chosen branch runs.
        doc: One line for listings.
    """

    name: str
    arg_types: tuple[Type, ...]
    return_type: Type
    impl: Callable[..., Any]
    conditional: bool = False
    doc: str = ""

    @property
    def arity(self) -> int:
        """Number of arguments."""
        return len(self.arg_types)

    @property
    def signature_text(self) -> str:
        """``name(arg types) -> return type``."""
        return f"{self.name}({', '.join(str(t) for t in self.arg_types)}) -> {self.return_type}"


@dataclass(frozen=True)
class Constant:
    """A named value of a given type."""

    name: str
    type: Type
    value: Any


class DSL:
    """A set of typed primitives, constants and input variables that programs may use.

    Args:
        name: A label (part of the solver's fingerprint).
    """

    def __init__(self, name: str = "dsl") -> None:
        self.name = name
        self.primitives: dict[str, Primitive] = {}
        self.constants: dict[str, Constant] = {}
        self.variables: dict[str, Type] = {}

    # -- declaring ------------------------------------------------------------------------
    def primitive(
        self,
        name: str,
        args: Sequence["str | Type"],
        returns: "str | Type",
        impl: Callable[..., Any] | None = None,
        *,
        doc: str = "",
    ) -> Any:
        """Declare a primitive; without ``impl`` this is a decorator that returns the function unchanged.

        Args:
            name: How programs call it.
            args: Argument types, e.g. ``["list[T]", "int"]``.
            returns: Result type; its type variables must appear among the arguments' ones.
            impl: The implementation.
            doc: One line for listings.

        Returns:
            The :class:`Primitive` (or, used as a decorator, the decorated function).
        """
        if impl is None:

            def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
                self.primitive(name, args, returns, function, doc=doc)
                return function

            return decorator
        return self._add_primitive(name, args, returns, impl, conditional=False, doc=doc)

    def conditional(self, name: str = "if_then_else", doc: str = "lazy if: only the chosen branch runs") -> Primitive:
        """Declare the lazy conditional ``name(bool, T, T) -> T`` (one step; the other branch never runs)."""
        return self._add_primitive(name, ["bool", "T", "T"], "T", _choose, conditional=True, doc=doc)

    def constant(self, name: str, type: "str | Type", value: Any) -> Constant:
        """Declare a named constant; a value that cannot have ``type`` raises :class:`NesyError`."""
        self._check_free(_check_name(name, "constant"))
        parsed = parse_type(type)
        if not value_matches(value, parsed):
            raise NesyError(f"constant {name!r}: value {value!r} is not of type {parsed}")
        constant = Constant(name, parsed, value)
        self.constants[name] = constant
        return constant

    def variable(self, name: str, type: "str | Type") -> None:
        """Declare an input variable's type (inputs of undeclared variables get their type from the value)."""
        self._check_free(_check_name(name, "variable"))
        self.variables[name] = parse_type(type)

    # -- reading ---------------------------------------------------------------------------
    def names(self) -> Iterator[str]:
        """Every declared name."""
        yield from self.primitives
        yield from self.constants
        yield from self.variables

    def kind_of(self, name: str) -> str | None:
        """``primitive``, ``constant``, ``variable`` or None."""
        if name in self.primitives:
            return "primitive"
        if name in self.constants:
            return "constant"
        if name in self.variables:
            return "variable"
        return None

    def type_names(self) -> set[str]:
        """Names of the type constructors the declarations mention (``int``, ``list``...)."""
        found: set[str] = set()
        types: list[Type] = [*self.variables.values(), *(c.type for c in self.constants.values())]
        for primitive in self.primitives.values():
            types.extend([*primitive.arg_types, primitive.return_type])
        for t in types:
            found |= constructor_names(t)
        return found

    def signature(self) -> dict[str, Any]:
        """Everything that defines the DSL, JSON-friendly (names, types, implementations' qualified names)."""
        return {
            "name": self.name,
            "primitives": [
                {
                    "name": p.name,
                    "args": [str(t) for t in p.arg_types],
                    "returns": str(p.return_type),
                    "impl": qualified_name(p.impl),
                    "conditional": p.conditional,
                }
                for p in self.primitives.values()
            ],
            "constants": [{"name": c.name, "type": str(c.type), "value": repr(c.value)} for c in self.constants.values()],
            "variables": {name: str(t) for name, t in self.variables.items()},
        }

    def describe(self) -> str:
        """A readable listing, one declaration a line (handy in a proposer's prompt)."""
        lines = [f"{p.signature_text}" + (f"  # {p.doc}" if p.doc else "") for p in self.primitives.values()]
        lines += [f"{c.name}: {c.type}" for c in self.constants.values()]
        lines += [f"{name}: {t}  # input" for name, t in self.variables.items()]
        return "\n".join(lines)

    # -- internals -------------------------------------------------------------------------
    def _add_primitive(
        self, name: str, args: Sequence["str | Type"], returns: "str | Type", impl: Any, *, conditional: bool, doc: str
    ) -> Primitive:
        self._check_free(_check_name(name, "primitive"))
        if not callable(impl):
            raise NesyError(f"primitive {name!r}: the implementation must be callable, got {type(impl).__name__}")
        if isinstance(args, str):
            raise NesyError(f"primitive {name!r}: argument types must be a list such as ['int', 'int'], not a string")
        arg_types = tuple(parse_type(a) for a in args)
        return_type = parse_type(returns)
        bound = {v for t in arg_types for v in type_vars(t)}
        unbound = [v for v in type_vars(return_type) if v not in bound]
        if unbound and arg_types:
            raise NesyError(
                f"primitive {name!r}: type variable {unbound[0]} of the return type appears in no argument type"
            )
        primitive = Primitive(name, arg_types, return_type, impl, conditional, doc)
        self.primitives[name] = primitive
        return primitive

    def _check_free(self, name: str) -> None:
        kind = self.kind_of(name)
        if kind is not None:
            raise NesyError(f"DSL {self.name!r} already has a {kind} named {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        for primitive in self.primitives.values():
            _require_picklable(primitive.impl, f"implementation of primitive {primitive.name!r}", self.name)
        for constant in self.constants.values():
            _require_picklable(constant.value, f"value of constant {constant.name!r}", self.name)
        return dict(self.__dict__)

    def __repr__(self) -> str:
        return f"<DSL {self.name}: {len(self.primitives)} primitives, {len(self.constants)} constants>"


def _require_picklable(obj: Any, what: str, dsl_name: str) -> None:
    try:
        pickle.dumps(obj)
    except Exception as exc:  # PicklingError, AttributeError, TypeError depending on the object
        raise NesyError(
            f"DSL {dsl_name!r} cannot be pickled: the {what} ({qualified_name(obj)}) is not picklable "
            f"({type(exc).__name__}); use a module-level function instead of a lambda or local function"
        ) from exc


def _choose(condition: bool, then: Any, otherwise: Any) -> Any:
    """Eager fallback of the lazy conditional (the interpreter never calls it)."""
    return then if condition else otherwise

