"""Operator grammars over words: roles, a precedence parser, evaluation, derivation programs.

Every word of the input language has a :class:`Role`: an **atom** stands for a fixed token
sequence; a **prefix**, **postfix** or **infix** operator combines the values of its operands
(``A`` on its left, ``B`` on its right) by a template such as ``("B", "A", "B", "A")``. Two
adjacent terms with no operator between them combine by the grammar's **juxtaposition** role.
Precedences decide the parse; operators of equal precedence associate to the left.

Example:
    >>> g = Grammar({"x": Role("atom", ("X",)), "y": Role("atom", ("Y",)),
    ...              "twice": Role("postfix", ("A", "A"), 2), "then": Role("infix", ("A", "B"), 1)})
    >>> g.interpret("x then y twice".split())
    ['X', 'Y', 'Y']
    >>> to_program(g.parse("x twice".split()))
    'rep(seq("X"), 2)'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

JUXT = "<juxtaposition>"
KINDS = ("atom", "prefix", "postfix", "infix")


class ParseError(ValueError):
    """The words do not parse under the grammar."""


@dataclass(frozen=True)
class Role:
    """How one word (or juxtaposition) behaves.

    Attributes:
        kind: ``atom``, ``prefix``, ``postfix`` or ``infix``.
        template: For an atom, its output tokens; for operators, operand references ``A``/``B``.
        prec: Precedence (higher binds tighter); unused for atoms.
    """

    kind: str
    template: tuple[str, ...]
    prec: float = 0

    def with_prec(self, prec: float) -> "Role":
        return Role(self.kind, self.template, prec)

    def describe(self, word: str) -> str:
        body = " ".join(self.template) or "ε"
        if self.kind == "atom":
            return f"{word} → {body}"
        shape = {"prefix": f"{word} B", "postfix": f"A {word}", "infix": f"A {word} B"}[self.kind]
        if word == JUXT:
            shape = "A B"
        return f"{shape} → {body}   (precedence {self.prec:g})"


@dataclass(frozen=True)
class Node:
    """A parse tree node: ``word`` with its role and operand subtrees."""

    word: str
    role: Role
    children: tuple["Node", ...] = ()


@dataclass
class Grammar:
    """Roles for words plus an optional juxtaposition role."""

    roles: dict[str, Role] = field(default_factory=dict)
    juxt: Role | None = None

    def role(self, word: str) -> Role:
        if word == JUXT:
            if self.juxt is None:
                raise ParseError("adjacent terms, but no juxtaposition rule")
            return self.juxt
        try:
            return self.roles[word]
        except KeyError:
            raise ParseError(f"unknown word {word!r}") from None

    def parse(self, words: Sequence[str]) -> Node:
        """The parse tree of ``words``; :class:`ParseError` when there is none."""
        parser = _Parser(self, list(words))
        tree = parser.expression(float("-inf"))
        if parser.pos != len(words):
            raise ParseError(f"unexpected {words[parser.pos]!r} at word {parser.pos + 1}")
        return tree

    def interpret(self, words: Sequence[str]) -> list[str]:
        """The output tokens of ``words``."""
        return evaluate(self.parse(words))

    def describe(self) -> str:
        """One line per rule."""
        lines = [self.roles[w].describe(w) for w in sorted(self.roles, key=lambda w: (self.roles[w].kind != "atom", w))]
        if self.juxt is not None:
            lines.append(self.juxt.describe(JUXT))
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """JSON-friendly form (for traces and results)."""
        def enc(role: Role) -> list:
            return [role.kind, list(role.template), role.prec]

        return {"roles": {w: enc(r) for w, r in sorted(self.roles.items())}, "juxt": enc(self.juxt) if self.juxt else None}

    @classmethod
    def from_dict(cls, data: dict) -> "Grammar":
        def dec(item: list) -> Role:
            return Role(item[0], tuple(item[1]), item[2])

        return cls({w: dec(r) for w, r in data["roles"].items()}, dec(data["juxt"]) if data.get("juxt") else None)


class _Parser:
    """Precedence climbing: operators bind operands whose operators bind tighter."""

    def __init__(self, grammar: Grammar, words: list[str]) -> None:
        self.g, self.words, self.pos = grammar, words, 0

    def _peek(self) -> str | None:
        return self.words[self.pos] if self.pos < len(self.words) else None

    def _term(self) -> Node:
        word = self._peek()
        if word is None:
            raise ParseError("missing operand at the end")
        role = self.g.role(word)
        self.pos += 1
        if role.kind == "atom":
            return Node(word, role)
        if role.kind == "prefix":
            return Node(word, role, (self.expression(role.prec + 1),))
        raise ParseError(f"{word!r} cannot start a phrase")

    def expression(self, min_prec: float) -> Node:
        left = self._term()
        while (word := self._peek()) is not None:
            role = self.g.role(word)
            if role.kind in ("atom", "prefix"):
                word, role = JUXT, self.g.role(JUXT)
                if role.prec < min_prec:
                    break
                left = Node(JUXT, role, (left, self.expression(role.prec + 1)))
                continue
            if role.prec < min_prec:
                break
            self.pos += 1
            if role.kind == "postfix":
                left = Node(word, role, (left,))
            else:
                left = Node(word, role, (left, self.expression(role.prec + 1)))
        return left


def evaluate(node: Node) -> list[str]:
    """The token sequence a parse tree stands for."""
    if node.role.kind == "atom":
        return list(node.role.template)
    values = [evaluate(child) for child in node.children]
    operands = _operands(node.role.kind, values)
    out: list[str] = []
    for ref in node.role.template:
        out.extend(operands[ref])
    return out


def _operands(kind: str, values: list) -> dict[str, list]:
    if kind == "prefix":
        return {"B": values[0]}
    if kind == "postfix":
        return {"A": values[0]}
    return {"A": values[0], "B": values[1]}


def _periodic(items: list[str]) -> tuple[list[str], int]:
    """The shortest block that ``items`` repeats, and how often."""
    n = len(items)
    for size in range(1, n + 1):
        if n % size == 0 and items == items[:size] * (n // size):
            return items[:size], n // size
    return items, 1


def to_program(node: Node) -> str:
    """The derivation as a program of :mod:`nesy.grammar.seqdsl` (``seq``, ``cat``, ``rep``)."""
    if node.role.kind == "atom":
        return f'seq("{" ".join(node.role.template)}")'
    operands = _operands(node.role.kind, [to_program(child) for child in node.children])
    block, times = _periodic(list(node.role.template))
    parts = [operands[ref] for ref in block] or ['seq("")']
    body = parts[-1]
    for part in reversed(parts[:-1]):
        body = f"cat({part}, {body})"
    return body if times == 1 else f"rep({body}, {times})"
