"""Parse a ``sympy`` program (Python syntax) and check it against an explicit allow-list.

``ast.parse`` only parses; nothing is run. :func:`parse_program` then walks the tree iteratively and
refuses, with the construct's name and position, everything that is not plain algebra: attribute
access, lambdas, comprehensions, f-strings, imports, definitions, loops, strings outside the few
keyword slots that take them, calls of functions outside :data:`~nesy.solvers.sympy_functions.FUNCTIONS`,
dunder names and too-deep or too-large trees.

The accepted shape is zero or more ``name = expr`` (or ``name += expr``) statements followed by one
expression, whose value is the program's result.

Example:
    >>> tree = parse_program("eq = Eq(x**2, 4)\\nsolve(eq, x)")
    >>> len(tree.body)
    2
    >>> parse_program("x.__class__")
    Traceback (most recent call last):
    ...
    nesy.errors.ProgramRejected: attribute access is not allowed (line 1, column 1)
"""

from __future__ import annotations

import ast
import math

from nesy.errors import ProgramRejected
from nesy.solvers.sympy_functions import CONSTANTS, FUNCTIONS, Limits

_ALLOWED = (
    ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.Name, ast.Load, ast.Store, ast.Constant, ast.BinOp,
    ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call, ast.keyword, ast.Tuple, ast.List, ast.Subscript,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.FloorDiv, ast.BitAnd, ast.BitOr,
    ast.USub, ast.UAdd, ast.Not, ast.Invert, ast.And, ast.Or, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
)

_CONSTRUCT_NAMES = {
    "Attribute": "attribute access", "Lambda": "lambda", "ListComp": "a comprehension",
    "SetComp": "a comprehension", "DictComp": "a comprehension", "GeneratorExp": "a generator expression",
    "JoinedStr": "an f-string", "FormattedValue": "an f-string", "Starred": "a starred argument",
    "NamedExpr": "the walrus operator (:=)", "Import": "import", "ImportFrom": "import",
    "FunctionDef": "def", "AsyncFunctionDef": "def", "ClassDef": "class", "For": "a loop", "AsyncFor": "a loop",
    "While": "a loop", "With": "with", "AsyncWith": "with", "Try": "try", "TryStar": "try", "Delete": "del",
    "Global": "global", "Nonlocal": "nonlocal", "If": "if", "IfExp": "a conditional expression",
    "Dict": "a dict literal", "Set": "a set literal", "Slice": "a slice", "Await": "await", "Yield": "yield",
    "YieldFrom": "yield", "Return": "return", "Raise": "raise", "Assert": "assert", "Pass": "pass",
    "Break": "break", "Continue": "continue", "Match": "match", "AnnAssign": "an annotated assignment",
    "MatMult": "the @ operator", "BitXor": "the ^ operator (use ** for powers)", "LShift": "the << operator",
    "RShift": "the >> operator", "Is": "is", "IsNot": "is not", "In": "in", "NotIn": "not in",
}


def where(node: ast.AST) -> str:
    """Position of a node as '(line L, column C)' (columns count from 1)."""
    line, column = getattr(node, "lineno", None), getattr(node, "col_offset", None)
    return "" if line is None else f" (line {line}, column {(column or 0) + 1})"


def _refuse(message: str, node: ast.AST | None) -> None:
    raise ProgramRejected(f"{message}{where(node)}")


def parse_program(source: str, limits: Limits = Limits()) -> ast.Module:
    """Parse ``source`` and check every node against the allow-list.

    Args:
        source: Program text.
        limits: Depth, size and constant limits.

    Returns:
        The checked module; its last statement is an expression.

    Raises:
        ProgramRejected: Syntax errors, forbidden constructs, oversized or over-deep programs.
    """
    try:
        tree = ast.parse(source, mode="exec")
    except SyntaxError as exc:
        position = f" (line {exc.lineno}, column {exc.offset})" if exc.lineno else ""
        raise ProgramRejected(f"syntax error: {exc.msg}{position}") from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise ProgramRejected(f"program could not be parsed: it nests too deeply or is malformed ({type(exc).__name__})") from None
    _check_nodes(tree, limits)
    _check_shape(tree, limits)
    return tree


def _check_shape(tree: ast.Module, limits: Limits) -> None:
    if not tree.body:
        raise ProgramRejected("empty program: write an expression whose value is the result")
    if len(tree.body) > limits.max_statements:
        raise ProgramRejected(f"program has {len(tree.body)} statements, over the limit of {limits.max_statements}")
    *assignments, last = tree.body
    for statement in assignments:
        if isinstance(statement, ast.Expr):
            _refuse("only the last statement may be a bare expression", statement)
        if isinstance(statement, ast.Assign) and (len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name)):
            _refuse("only simple assignments 'name = expression' are allowed", statement)
    if not isinstance(last, ast.Expr):
        if isinstance(last, (ast.Assign, ast.AugAssign)):
            _refuse("the last statement must be an expression (the result), not an assignment", last)


def _check_nodes(tree: ast.Module, limits: Limits) -> None:
    stack: list[tuple[ast.AST, int, ast.AST]] = [(tree, 0, tree)]
    count = 0
    while stack:
        node, depth, parent = stack.pop()
        anchor = node if hasattr(node, "lineno") else parent  # operators have no position of their own
        count += 1
        if count > limits.max_nodes:
            raise ProgramRejected(f"program has more than {limits.max_nodes} syntax nodes")
        if depth > limits.max_depth:
            _refuse(f"program nests more than {limits.max_depth} levels deep", anchor)
        if not isinstance(node, _ALLOWED):
            kind = type(node).__name__
            _refuse(f"{_CONSTRUCT_NAMES.get(kind, kind)} is not allowed", anchor)
        children = _check_node(node, limits)
        stack.extend((child, depth + 1, anchor) for child in reversed(children))  # source order


def _check_node(node: ast.AST, limits: Limits) -> list[ast.AST]:
    """Check one node; return the children still to visit."""
    if isinstance(node, ast.Name):
        check_name(node.id, node, assigned=isinstance(node.ctx, ast.Store))
    elif isinstance(node, ast.Constant):
        _check_constant(node, limits)
    elif isinstance(node, ast.AugAssign) and not isinstance(node.target, ast.Name):
        _refuse("only simple assignments 'name += expression' are allowed", node)
    elif isinstance(node, ast.Call):
        return _check_call(node)
    return list(ast.iter_child_nodes(node))


def check_name(name: str, node: ast.AST | None = None, assigned: bool = False) -> None:
    """Refuse dunder/underscore names, and assignments to reserved names.

    >>> check_name("pi", assigned=True)
    Traceback (most recent call last):
    ...
    nesy.errors.ProgramRejected: cannot assign to the reserved name 'pi'
    """
    if name.startswith("_") or "__" in name:
        _refuse(f"name {name!r} is not allowed (names may not start with '_' or contain '__')", node)
    if assigned and (name in FUNCTIONS or name in CONSTANTS):
        _refuse(f"cannot assign to the reserved name {name!r}", node)


def _check_constant(node: ast.Constant, limits: Limits) -> None:
    value = node.value
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if value.bit_length() > limits.max_int_bits:
            _refuse(f"integer literal has {value.bit_length()} bits, over the limit of {limits.max_int_bits}", node)
    elif isinstance(value, float):
        if not math.isfinite(value):
            _refuse("float literal is not finite (use oo for infinity)", node)
    elif isinstance(value, complex):
        _refuse("complex literals are not allowed (write 2*I instead of 2j)", node)
    elif isinstance(value, str):
        _refuse("string literals are not allowed here", node)
    else:
        _refuse(f"literal {type(value).__name__} is not allowed", node)


def _check_call(node: ast.Call) -> list[ast.AST]:
    if not isinstance(node.func, ast.Name):
        kind = type(node.func).__name__
        _refuse(f"{_CONSTRUCT_NAMES[kind]} is not allowed" if kind in _CONSTRUCT_NAMES else "only allow-listed functions may be called, by name", node.func)
    name = node.func.id
    spec = FUNCTIONS.get(name)
    if spec is None:
        _refuse(f"function {name!r} is not allowed", node)
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        _refuse("a starred argument is not allowed", node)
    count = len(node.args)
    if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
        most = "any number of" if spec.max_args is None else f"at most {spec.max_args}"
        _refuse(f"{name}() takes at least {spec.min_args} and {most} positional arguments, got {count}", node)
    children: list[ast.AST] = list(node.args)
    for keyword in node.keywords:
        if keyword.arg is None:
            _refuse("**keyword arguments are not allowed", keyword.value)
        if keyword.arg not in spec.keywords:
            _refuse(f"keyword argument {keyword.arg!r} of {name}() is not allowed", keyword.value)
        choices = spec.keywords[keyword.arg]
        if choices is None:
            children.append(keyword.value)
        elif not (isinstance(keyword.value, ast.Constant) and _one_of(keyword.value.value, choices)):
            _refuse(f"{name}({keyword.arg}=...) must be one of {', '.join(map(repr, choices))}", keyword.value)
    return children


def _one_of(value: object, choices: tuple) -> bool:
    return any(type(value) is type(choice) and value == choice for choice in choices)
