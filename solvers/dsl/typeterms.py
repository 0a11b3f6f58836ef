"""Type terms of a DSL: base types, parametric types and type variables, with unification.

Types are written as small strings: ``int``, ``bool``, ``list[int]``, ``pair[int, str]``. A single
upper-case letter (``T``, ``U``) is a type variable; polymorphic primitives such as
``concat: (list[T], list[T]) -> list[T]`` get fresh variables at every use, unified while type checking.

Example:
    >>> t = parse_type("list[T]")
    >>> subst = {}
    >>> unify(t, parse_type("list[int]"), subst)
    True
    >>> str(resolve(t, subst))
    'list[int]'
    >>> str(type_of_value([[1, 2], []]))
    'list[list[int]]'
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Union

from nesy.errors import NesyError

MAX_TYPE_DEPTH = 64
"""Deepest type term accepted anywhere (declared, inferred from a value, or built while checking)."""


class TypeTooDeep(Exception):
    """A type term nests deeper than :data:`MAX_TYPE_DEPTH`."""


@dataclass(frozen=True)
class TypeVar:
    """A type variable such as ``T``."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class TypeCon:
    """A type constructor applied to arguments: ``int`` (no arguments) or ``list[int]``."""

    name: str
    args: tuple["Type", ...] = ()

    def __str__(self) -> str:
        if not self.args:
            return self.name
        return f"{self.name}[{', '.join(str(a) for a in self.args)}]"


Type = Union[TypeVar, TypeCon]
Subst = dict[str, Type]

INT, BOOL, STR = TypeCon("int"), TypeCon("bool"), TypeCon("str")

_TOKEN = re.compile(r"\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\[)|(\])|(,))")
_VAR_NAME = re.compile(r"[A-Z]")


def is_type_var_name(name: str) -> bool:
    """Whether ``name`` names a type variable (one upper-case letter)."""
    return bool(_VAR_NAME.fullmatch(name))


def parse_type(text: "str | Type") -> Type:
    """Parse a type such as ``list[T]``; a :data:`Type` is returned unchanged.

    Raises:
        NesyError: The text is not a type.

    Example:
        >>> parse_type("pair[int, list[T]]")
        TypeCon(name='pair', args=(TypeCon(name='int', args=()), TypeCon(name='list', args=(TypeVar(name='T'),))))
    """
    if isinstance(text, (TypeVar, TypeCon)):
        return text
    if not isinstance(text, str):
        raise NesyError(f"a type must be a string such as 'list[int]', got {type(text).__name__}")
    tokens = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        match = _TOKEN.match(stripped, pos)
        if match is None:
            raise NesyError(f"bad type {text!r}: unexpected character at position {pos}")
        tokens.append(next(g for g in match.groups() if g is not None))
        pos = match.end()
    result, rest = _parse_tokens(tokens, 0, text, 0)
    if rest != len(tokens):
        raise NesyError(f"bad type {text!r}: unexpected {tokens[rest]!r}")
    return result


def _parse_tokens(tokens: list[str], i: int, text: str, depth: int) -> tuple[Type, int]:
    if depth > MAX_TYPE_DEPTH:
        raise NesyError(f"bad type {text[:60]!r}: nests deeper than {MAX_TYPE_DEPTH}")
    if i >= len(tokens) or not (tokens[i][0].isalpha() or tokens[i][0] == "_"):
        found = repr(tokens[i]) if i < len(tokens) else "the end"
        raise NesyError(f"bad type {text!r}: expected a type name, found {found}")
    name = tokens[i]
    i += 1
    if i < len(tokens) and tokens[i] == "[":
        if is_type_var_name(name):
            raise NesyError(f"bad type {text!r}: type variable {name} cannot take arguments")
        args = []
        while True:
            arg, i = _parse_tokens(tokens, i + 1, text, depth + 1)
            args.append(arg)
            if i < len(tokens) and tokens[i] == ",":
                continue
            if i < len(tokens) and tokens[i] == "]":
                return TypeCon(name, tuple(args)), i + 1
            raise NesyError(f"bad type {text!r}: expected ',' or ']'")
    if is_type_var_name(name):
        return TypeVar(name), i
    return TypeCon(name), i


def _walk(t: Type, subst: Subst) -> Type:
    while isinstance(t, TypeVar) and t.name in subst:
        t = subst[t.name]
    return t


def resolve(t: Type, subst: Subst, _depth: int = 0) -> Type:
    """Apply ``subst`` to ``t`` completely.

    Raises:
        TypeTooDeep: The result nests deeper than :data:`MAX_TYPE_DEPTH`.
    """
    if _depth > MAX_TYPE_DEPTH:
        raise TypeTooDeep(f"type nests deeper than {MAX_TYPE_DEPTH} levels")
    t = _walk(t, subst)
    if isinstance(t, TypeVar) or not t.args:
        return t
    return TypeCon(t.name, tuple(resolve(a, subst, _depth + 1) for a in t.args))


def _occurs(name: str, t: Type, subst: Subst, depth: int = 0) -> bool:
    if depth > MAX_TYPE_DEPTH:
        raise TypeTooDeep(f"type nests deeper than {MAX_TYPE_DEPTH} levels")
    t = _walk(t, subst)
    if isinstance(t, TypeVar):
        return t.name == name
    return any(_occurs(name, a, subst, depth + 1) for a in t.args)


def unify(a: Type, b: Type, subst: Subst, trail: list[str] | None = None, _depth: int = 0) -> bool:
    """Make ``a`` and ``b`` equal by extending ``subst`` in place; False when impossible.

    On failure ``subst`` may hold partial bindings: pass a copy, or a ``trail`` list that collects
    the names bound so the caller can delete them again.

    Example:
        >>> s = {}
        >>> unify(parse_type("list[T]"), parse_type("list[list[U]]"), s), str(resolve(TypeVar("T"), s))
        (True, 'list[U]')
        >>> unify(parse_type("int"), parse_type("list[int]"), {})
        False
    """
    if _depth > MAX_TYPE_DEPTH:
        raise TypeTooDeep(f"type nests deeper than {MAX_TYPE_DEPTH} levels")
    a, b = _walk(a, subst), _walk(b, subst)
    if isinstance(a, TypeVar):
        if isinstance(b, TypeVar) and a.name == b.name:
            return True
        if _occurs(a.name, b, subst):
            return False
        subst[a.name] = b
        if trail is not None:
            trail.append(a.name)
        return True
    if isinstance(b, TypeVar):
        return unify(b, a, subst, trail, _depth)
    if a.name != b.name or len(a.args) != len(b.args):
        return False
    return all(unify(x, y, subst, trail, _depth + 1) for x, y in zip(a.args, b.args))


def constructor_names(t: Type) -> set[str]:
    """Names of the type constructors in ``t``.

    Example:
        >>> sorted(constructor_names(parse_type("pair[int, list[T]]")))
        ['int', 'list', 'pair']
    """
    if isinstance(t, TypeVar):
        return set()
    names = {t.name}
    for arg in t.args:
        names |= constructor_names(arg)
    return names


def type_vars(t: Type) -> list[str]:
    """Names of the variables in ``t``, in order of first appearance."""
    if isinstance(t, TypeVar):
        return [t.name]
    seen: list[str] = []
    for arg in t.args:
        for name in type_vars(arg):
            if name not in seen:
                seen.append(name)
    return seen


class FreshVars:
    """Source of type variables that never clash with declared ones (``T`` becomes ``T1``, ``T2``...)."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def instantiate(self, types: "tuple[Type, ...] | list[Type]") -> list[Type]:
        """Rename the variables of ``types`` (one renaming shared by all of them) to fresh ones."""
        renaming: Subst = {}
        for t in types:
            for name in type_vars(t):
                if name not in renaming:
                    renaming[name] = TypeVar(f"{name[0]}{next(self._counter)}")
        if not renaming:
            return list(types)
        return [rename(t, renaming) for t in types]


def rename(t: Type, renaming: Subst) -> Type:
    """Replace variables by ``renaming`` all at once (no chains are followed, unlike :func:`resolve`).

    Example:
        >>> str(rename(parse_type("pair[T, U]"), {"T": TypeVar("U"), "U": TypeVar("T")}))
        'pair[U, T]'
    """
    if isinstance(t, TypeVar):
        return renaming.get(t.name, t)
    if not t.args:
        return t
    return TypeCon(t.name, tuple(rename(a, renaming) for a in t.args))


def normalize(t: Type) -> Type:
    """Rename variables to ``T``, ``U``, ``V``... in order of appearance (for display and comparison).

    Example:
        >>> str(normalize(parse_type("pair[X, list[B]]")))
        'pair[T, list[U]]'
    """
    letters = "TUVWXYZABCDEFGHIJKLMNOPQRS"
    names = type_vars(t)
    renaming: Subst = {}
    for i, name in enumerate(names):
        renaming[name] = TypeVar(letters[i] if i < len(letters) else f"T{i}")
    return rename(t, renaming)


def type_of_value(value: Any, _depth: int = 0, _fresh: "FreshVars | None" = None) -> Type | None:
    """The type of a plain Python value (bool, int, str, lists/tuples of those), or None.

    An empty list gets ``list[T]``.

    Example:
        >>> str(type_of_value(True)), str(type_of_value((1, 2))), str(type_of_value([]))
        ('bool', 'list[int]', 'list[T]')
        >>> type_of_value([1, "a"]) is None
        True
    """
    if _depth > MAX_TYPE_DEPTH:
        return None
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, str):
        return STR
    if not isinstance(value, (list, tuple)):
        return None
    fresh = _fresh or FreshVars()
    kinds = {type(item) for item in value}
    if len(kinds) == 1 and next(iter(kinds)) in (bool, int, str):
        return TypeCon("list", (type_of_value(value[0]),))  # fast path for long flat lists
    subst: Subst = {}
    element: Type = fresh.instantiate([TypeVar("T")])[0]
    for item in value:
        item_type = type_of_value(item, _depth + 1, fresh)
        if item_type is None or not unify(element, item_type, subst):
            return None
    result = resolve(TypeCon("list", (element,)), subst)
    return normalize(result) if _depth == 0 else result


def value_matches(value: Any, t: Type) -> bool:
    """Whether ``value`` can have type ``t``; types the framework does not know always match.

    Example:
        >>> value_matches([1, 2], parse_type("list[int]")), value_matches(True, parse_type("int"))
        (True, False)
        >>> value_matches(3.5, parse_type("point"))
        True
    """
    if isinstance(t, TypeVar):
        return True
    if t.name == "int" and not t.args:
        return isinstance(value, int) and not isinstance(value, bool)
    if t.name == "bool" and not t.args:
        return isinstance(value, bool)
    if t.name == "str" and not t.args:
        return isinstance(value, str)
    if t.name == "list" and len(t.args) == 1:
        return isinstance(value, (list, tuple)) and all(value_matches(item, t.args[0]) for item in value)
    return True
