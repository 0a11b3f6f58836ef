"""The allow-list filter that turns untrusted SMT-LIB text into a checked list of commands.

This is the z3 backend's security boundary. Only these top-level commands pass:

* ``set-logic`` (first command only), ``declare-sort``, ``define-sort``, ``declare-const``,
  ``declare-fun``, ``define-const``, ``define-fun``, ``define-fun-rec``, ``define-funs-rec``,
  ``declare-datatype``, ``declare-datatypes``, ``assert``;
* ``check-sat``, ``get-model``, ``get-value``, ``push``, ``pop``.

Everything else (``set-option``, ``set-info``, ``get-info``, ``echo``, ``exit``, ``reset``,
``eval``, ``include``, ``check-sat-assuming``, ``check-sat-using``, ``apply``, ``simplify``...)
is refused by name. Keywords are allow-listed too (``:named``, ``:pattern``, ``:no-pattern``,
``:weight``, ``:qid``, ``:skolemid``, ``:lblpos``, ``:lblneg``), so attributes that could write
files or change global behaviour (``:regular-output-channel``, ``:dump-models``, ``:trace``...)
are refused wherever they appear.

Example:
    >>> script = parse_script("(declare-const x Int) (assert (> x 1)) (check-sat) (get-value (x))")
    >>> [c.name for c in script.commands]
    ['declare-const', 'assert', 'check-sat', 'get-value']
    >>> script.commands[0].declares
    ('x', 0)
    >>> parse_script("(set-option :regular-output-channel \\"/tmp/x\\")")
    Traceback (most recent call last):
    ...
    nesy.errors.ProgramRejected: command 'set-option' is not allowed (line 1)
"""

from __future__ import annotations

from dataclasses import dataclass

from nesy.errors import ProgramRejected
from nesy.solvers.smtlib import Atom, SExpr, SList, atoms, read_sexprs, to_text

DEFINITIONS = frozenset(
    {
        "declare-sort", "define-sort", "declare-const", "declare-fun", "define-const", "define-fun",
        "define-fun-rec", "define-funs-rec", "declare-datatype", "declare-datatypes", "assert",
    }
)
"""Commands that change the assertion stack: re-serialised and handed to z3's parser."""

CONTROL = frozenset({"set-logic", "check-sat", "get-model", "get-value", "push", "pop"})
"""Commands nesy executes itself."""

ALLOWED_COMMANDS = DEFINITIONS | CONTROL
ALLOWED_KEYWORDS = frozenset({":named", ":pattern", ":no-pattern", ":weight", ":qid", ":skolemid", ":lblpos", ":lblneg"})
MAX_SCOPES = 100
"""Largest ``push`` depth accepted."""


@dataclass(frozen=True)
class Command:
    """One allowed top-level command.

    Attributes:
        name: The command name (``assert``, ``push``...).
        expr: The whole command as read.
        text: The command re-serialised on one line (what z3's parser gets).
        line: Line of the command in the source (for messages).
        declares: ``(name, arity)`` for ``declare-const``/``declare-fun``, else None.
        count: The scope count of ``push``/``pop`` (default 1).
        terms: The term texts of ``get-value``.
    """

    name: str
    expr: SList
    text: str
    line: int
    declares: tuple[str, int] | None = None
    count: int = 1
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Script:
    """A filtered SMT-LIB script: only allowed commands, with their shape checked."""

    commands: tuple[Command, ...]

    def count(self, name: str) -> int:
        """How many commands are called ``name``.

        Example:
            >>> parse_script("(check-sat) (push) (check-sat)").count("check-sat")
            2
        """
        return sum(1 for command in self.commands if command.name == name)


def _fail(expr: SExpr, message: str) -> ProgramRejected:
    return ProgramRejected(f"{message} (line {expr.line})")


def _is_symbol(expr: SExpr) -> bool:
    return isinstance(expr, Atom) and expr.kind == "symbol"


def _command(expr: SExpr) -> Command:
    if not isinstance(expr, SList) or expr.head() is None:
        raise _fail(expr, f"expected a command such as (assert ...), got {to_text(expr)[:60]!r}")
    name = expr.head() or ""
    if name not in ALLOWED_COMMANDS:
        raise _fail(expr, f"command {name!r} is not allowed")
    for atom in atoms(expr):
        if atom.kind == "keyword" and atom.text not in ALLOWED_KEYWORDS:
            raise ProgramRejected(f"attribute {atom.text!r} is not allowed (line {atom.line})")
    args = expr.items[1:]
    declares, count, terms = None, 1, ()
    if name in ("check-sat", "get-model") and args:
        raise _fail(expr, f"{name} takes no arguments")
    if name == "set-logic" and (len(args) != 1 or not _is_symbol(args[0])):
        raise _fail(expr, "set-logic takes one logic name")
    if name in ("push", "pop"):
        if len(args) > 1 or (args and not (isinstance(args[0], Atom) and args[0].kind == "numeral")):
            raise _fail(expr, f"{name} takes an optional numeral")
        count = int(args[0].text) if args else 1  # type: ignore[union-attr]
        if count > MAX_SCOPES:
            raise _fail(expr, f"{name} {count} is over the limit of {MAX_SCOPES} scopes")
    if name == "get-value":
        if len(args) != 1 or not isinstance(args[0], SList) or not args[0].items:
            raise _fail(expr, "get-value takes one non-empty list of terms")
        terms = tuple(to_text(term) for term in args[0].items)
    if name == "assert" and len(args) != 1:
        raise _fail(expr, "assert takes one term")
    if name in ("declare-const", "declare-fun"):
        want = 2 if name == "declare-const" else 3
        if len(args) != want or not _is_symbol(args[0]) or (name == "declare-fun" and not isinstance(args[1], SList)):
            raise _fail(expr, f"malformed {name}")
        arity = 0 if name == "declare-const" else len(args[1].items)  # type: ignore[union-attr]
        declares = (args[0].name, arity)  # type: ignore[union-attr]
    return Command(name, expr, to_text(expr), expr.line, declares, count, terms)


def parse_script(text: str) -> Script:
    """Read ``text`` and keep it only if every command and attribute is allowed.

    Args:
        text: Untrusted SMT-LIB 2 source.

    Returns:
        The checked script.

    Raises:
        ProgramRejected: Naming the first refused command or attribute, or the syntax error.

    Example:
        >>> parse_script("(assert true) (exit)")
        Traceback (most recent call last):
        ...
        nesy.errors.ProgramRejected: command 'exit' is not allowed (line 1)
    """
    commands: list[Command] = []
    for expr in read_sexprs(text):
        command = _command(expr)
        if command.name == "set-logic" and commands:
            raise _fail(expr, "set-logic must be the first command")
        commands.append(command)
    return Script(tuple(commands))


def parse_term(text: str) -> str:
    """Check one term (for the trusted incremental API) and return it re-serialised.

    Raises:
        ProgramRejected: When ``text`` is not exactly one s-expression, or uses a refused attribute.

    Example:
        >>> parse_term("(>  x\\n 1)")
        '(> x 1)'
    """
    forms = read_sexprs(text)
    if len(forms) != 1:
        raise ProgramRejected(f"expected one term, got {len(forms)} expressions")
    for atom in atoms(forms[0]):
        if atom.kind == "keyword" and atom.text not in ALLOWED_KEYWORDS:
            raise ProgramRejected(f"attribute {atom.text!r} is not allowed (line {atom.line})")
    return to_text(forms[0])
