"""Evaluate a checked ``sympy`` program node by node into SymPy objects.

The tree comes from :func:`~nesy.solvers.sympy_ast.parse_program`, so every node type, name and call
is already allow-listed; this module gives each node its meaning. Operators map to SymPy arithmetic,
comparisons to relationals (``==`` is ``Eq``), ``and``/``or``/``not`` (and ``&``, ``|``, ``~`` on
conditions) to ``And``/``Or``/``Not``. Free names become plain ``Symbol``s. Power, factorial and similar
guards run before the operation; every intermediate value is then checked for oversized integers.

Example:
    >>> evaluate("eq1 = Eq(x + y, 10)\\neq2 = Eq(x - y, 2)\\nsolve([eq1, eq2], [x, y])")
    {x: 6, y: 4}
    >>> evaluate("solve(x**2 - a, x)[1]", bindings={"a": sympy.Integer(9)})
    3
"""

from __future__ import annotations

import ast
import operator
from typing import Any, Callable, Mapping

import sympy
from sympy.logic.boolalg import Boolean

from nesy.errors import ProgramFailed, ProgramRejected, SolverTimeout
from nesy.solvers.sympy_ast import parse_program, where
from nesy.solvers.sympy_functions import CONSTANTS, FUNCTIONS, Limits, check_power, rational_bits

_ARITHMETIC: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Pow: operator.pow, ast.Mod: operator.mod, ast.FloorDiv: operator.floordiv,
}
_LOGIC = {ast.BitAnd: sympy.And, ast.BitOr: sympy.Or, ast.And: sympy.And, ast.Or: sympy.Or}
_RELATIONS = {ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne, ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge}
_PASS_THROUGH = (SolverTimeout, ProgramRejected, ProgramFailed, MemoryError, RecursionError)


def evaluate(source: str, bindings: Mapping[str, Any] | None = None, limits: Limits = Limits()) -> Any:
    """Parse, check and evaluate a program; return its result as SymPy objects.

    Args:
        source: Program text.
        bindings: Values for free names (already SymPy objects), e.g. from the run's input.
        limits: Language limits.

    Raises:
        ProgramRejected: Refused constructs or resource guards.
        ProgramFailed: A run-time error (wrong argument types, a SymPy error, index out of range).
    """
    tree = parse_program(source, limits)
    return Evaluator(limits, bindings).run(tree)


def normalize(value: Any) -> Any:
    """Turn Python values returned by SymPy (bool, int, float, containers) into SymPy objects.

    >>> normalize([1, True, (2.5,)])
    [1, True, (2.50000000000000,)]
    """
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, bool):
        return sympy.true if value else sympy.false
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        return sympy.Float(value)
    if isinstance(value, (list, tuple)):
        return type(value)(normalize(item) for item in value)
    if isinstance(value, dict):
        return {normalize(key): normalize(item) for key, item in value.items()}
    raise ProgramFailed(f"unsupported value of type {type(value).__name__}")


class Evaluator:
    """Gives meaning to the nodes of one checked program."""

    def __init__(self, limits: Limits = Limits(), bindings: Mapping[str, Any] | None = None) -> None:
        self.limits = limits
        self.names: dict[str, Any] = dict(bindings or {})

    def run(self, tree: ast.Module) -> Any:
        """Execute the assignments, then return the value of the final expression."""
        *assignments, last = tree.body
        for statement in assignments:
            if isinstance(statement, ast.Assign):
                self.names[statement.targets[0].id] = self.value_of(statement.value)
            else:  # AugAssign, checked by parse_program
                current = self._eval_Name(statement.target)
                self.names[statement.target.id] = self._arithmetic(statement.op, current, self.value_of(statement.value), statement)
        return self.value_of(last.value)

    def value_of(self, node: ast.AST) -> Any:
        """Value of one expression node."""
        method = getattr(self, f"_eval_{type(node).__name__}", None)
        if method is None:  # parse_program lets no such node through
            raise ProgramRejected(f"{type(node).__name__} is not allowed{where(node)}")
        return method(node)

    # -- leaves -------------------------------------------------------------------------------
    def _eval_Constant(self, node: ast.Constant) -> Any:
        return normalize(node.value)

    def _eval_Name(self, node: ast.Name) -> Any:
        if node.id in self.names:
            return self.names[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in FUNCTIONS:
            raise ProgramRejected(f"{node.id!r} is a function: call it, e.g. {node.id}(...){where(node)}")
        return sympy.Symbol(node.id)

    def _eval_Tuple(self, node: ast.Tuple) -> tuple:
        return tuple(self.value_of(item) for item in node.elts)

    def _eval_List(self, node: ast.List) -> list:
        return [self.value_of(item) for item in node.elts]

    # -- operators ----------------------------------------------------------------------------
    def _eval_BinOp(self, node: ast.BinOp) -> Any:
        return self._arithmetic(node.op, self.value_of(node.left), self.value_of(node.right), node)

    def _arithmetic(self, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
        if type(op) in (ast.BitAnd, ast.BitOr):
            return self._logic(_LOGIC[type(op)], [left, right], node)
        symbol = _symbol(op)
        for operand in (left, right):
            if not isinstance(operand, sympy.Expr):
                raise ProgramFailed(f"'{symbol}' needs numbers or expressions, got {_kind(operand)}{where(node)}")
        if isinstance(op, ast.Pow):
            check_power(self.limits, left, right)
        return self._checked(lambda: _ARITHMETIC[type(op)](left, right), symbol, node)

    def _eval_UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.value_of(node.operand)
        if isinstance(node.op, (ast.Not, ast.Invert)):
            return self._logic(sympy.Not, [operand], node)
        if not isinstance(operand, sympy.Expr):
            raise ProgramFailed(f"unary '{_symbol(node.op)}' needs a number or expression, got {_kind(operand)}{where(node)}")
        return -operand if isinstance(node.op, ast.USub) else operand

    def _eval_BoolOp(self, node: ast.BoolOp) -> Any:
        return self._logic(_LOGIC[type(node.op)], [self.value_of(value) for value in node.values], node)

    def _logic(self, function: Callable[..., Any], operands: list, node: ast.AST) -> Any:
        for operand in operands:
            if not isinstance(operand, Boolean):
                raise ProgramFailed(f"{function.__name__} needs conditions (comparisons, Eq, ...), got {_kind(operand)}{where(node)}")
        return self._checked(lambda: function(*operands), function.__name__, node)

    def _eval_Compare(self, node: ast.Compare) -> Any:
        values = [self.value_of(node.left)] + [self.value_of(item) for item in node.comparators]
        for value in values:
            if not isinstance(value, sympy.Expr):
                raise ProgramFailed(f"comparisons need numbers or expressions, got {_kind(value)}{where(node)}")
        parts = [
            self._checked(lambda rel=_RELATIONS[type(op)], a=a, b=b: rel(a, b), "comparison", node)
            for op, a, b in zip(node.ops, values, values[1:])
        ]
        return parts[0] if len(parts) == 1 else self._logic(sympy.And, parts, node)

    # -- calls and indexing -------------------------------------------------------------------
    def _eval_Call(self, node: ast.Call) -> Any:
        name = node.func.id
        spec = FUNCTIONS[name]
        args = tuple(self.value_of(arg) for arg in node.args)
        kwargs = {
            keyword.arg: keyword.value.value if spec.keywords[keyword.arg] is not None else self.value_of(keyword.value)
            for keyword in node.keywords
        }
        if spec.guard is not None:
            spec.guard(self.limits, args, kwargs)
        return self._checked(lambda: spec.target(*args, **kwargs), f"{name}()", node)

    def _eval_Subscript(self, node: ast.Subscript) -> Any:
        container, key = self.value_of(node.value), self.value_of(node.slice)
        if isinstance(container, dict):
            if key not in container:
                raise ProgramFailed(f"no entry {_short(key)} in {_short(container)}{where(node)}")
            return container[key]
        if isinstance(container, (sympy.FiniteSet, sympy.Tuple)):
            container = list(container)
        if not isinstance(container, (list, tuple)):
            raise ProgramFailed(f"cannot index {_kind(container)}; only lists, tuples, finite sets and dicts{where(node)}")
        if not isinstance(key, sympy.Integer):
            raise ProgramFailed(f"list indices must be integers, got {_kind(key)}{where(node)}")
        if not -len(container) <= int(key) < len(container):
            raise ProgramFailed(f"index {int(key)} is out of range for {len(container)} items{where(node)}")
        return container[int(key)]

    # -- guards -------------------------------------------------------------------------------
    def _checked(self, compute: Callable[[], Any], what: str, node: ast.AST) -> Any:
        """Run one SymPy operation: library errors become ProgramFailed; the result is size-checked."""
        try:
            value = normalize(compute())
        except _PASS_THROUGH:
            raise
        except Exception as exc:  # a SymPy error caused by the program's arguments
            raise ProgramFailed(f"{what} failed{where(node)}: {type(exc).__name__}: {_short(str(exc))}") from None
        self._check_size(value, node)
        return value

    def _check_size(self, value: Any, node: ast.AST) -> None:
        """Refuse a value holding a rational number over ``limits.max_int_bits`` (a walk over
        ``args``: ``Basic.atoms`` does the same walk at several times the cost)."""
        limit = self.limits.max_int_bits
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, sympy.Basic):
                if item.is_Rational:
                    if rational_bits(item) > limit:
                        raise ProgramFailed(
                            f"result too large: an integer with {rational_bits(item)} bits, over the limit of {limit}{where(node)}"
                        )
                elif item.args:
                    stack.extend(item.args)
            elif isinstance(item, (list, tuple)):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())


def _symbol(op: ast.AST) -> str:
    return {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.Mod: "%", ast.FloorDiv: "//",
            ast.USub: "-", ast.UAdd: "+"}.get(type(op), type(op).__name__)


def _kind(value: Any) -> str:
    if isinstance(value, (list, tuple, dict)):
        return f"a {type(value).__name__}"
    return f"{type(value).__name__} {_short(value)}"


def _short(value: Any, limit: int = 160) -> str:
    try:
        text = " ".join(str(value).split())
    except ValueError:  # an integer too long to print
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
