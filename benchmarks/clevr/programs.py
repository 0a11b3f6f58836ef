"""CLEVR's functional programs: the modules, their types, and the two written forms.

A program is what CLEVR's question files hold: a list of nodes ``{"function", "inputs",
"value_inputs"}`` in which ``inputs`` index earlier nodes and the last node gives the answer.
The same program is also written in call syntax for the ``dsl`` backend, a node's value input
being its last argument::

    [{"function": "scene", "inputs": [], "value_inputs": []},
     {"function": "filter_color", "inputs": [0], "value_inputs": ["red"]},
     {"function": "count", "inputs": [1], "value_inputs": []}]      <->  count(filter_color(scene(), red))

Types: ``objset`` (a set of objects), ``object`` (exactly one), ``int``, ``bool``,
``description`` (objects a question adds) and the value types ``color``, ``shape``, ``size``,
``material``, ``relation``, ``number``. :data:`FUNCTIONS` has every
module of CLEVR: ``scene``, ``filter_<attr>``, ``unique``, ``relate``, ``union``, ``intersect``,
``count``, ``exist``, ``query_<attr>``, ``equal_<attr>``, ``equal_integer``, ``less_than``,
``greater_than`` and ``same_<attr>``; and :data:`MATH_FUNCTIONS`, the few that CLEVR-Math-style
questions need: ``subtract`` (set difference), ``new(number)`` and ``with_<attr>`` (a
``description`` of objects to add) and ``insert`` (a set plus the described objects).

Example:
    >>> program = from_text("count(filter_color(scene(), red))")
    >>> [node.to_json() for node in program][1]
    {'function': 'filter_color', 'inputs': [0], 'value_inputs': ['red']}
    >>> to_text(program_from_json([n.to_json() for n in program]))
    'count(filter_color(scene(), red))'
    >>> program_type(program)
    'int'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from nesy.errors import NesyError, ProgramRejected
from nesy.solvers.dsl.parser import Call, Literal, Name, parse

from .vocab import ATTRIBUTES, NUMBERS, RELATIONS

#: value type -> its values
VALUE_TYPES: dict[str, tuple[str, ...]] = {**ATTRIBUTES, "relation": RELATIONS, "number": tuple(NUMBERS)}


@dataclass(frozen=True)
class Signature:
    """A module's type: node inputs, an optional value input, the result."""

    inputs: tuple[str, ...]
    value_input: str | None
    returns: str


def _functions() -> dict[str, Signature]:
    table = {
        "scene": Signature((), None, "objset"),
        "unique": Signature(("objset",), None, "object"),
        "relate": Signature(("object",), "relation", "objset"),
        "union": Signature(("objset", "objset"), None, "objset"),
        "intersect": Signature(("objset", "objset"), None, "objset"),
        "count": Signature(("objset",), None, "int"),
        "exist": Signature(("objset",), None, "bool"),
        "equal_integer": Signature(("int", "int"), None, "bool"),
        "less_than": Signature(("int", "int"), None, "bool"),
        "greater_than": Signature(("int", "int"), None, "bool"),
    }
    for attr in ATTRIBUTES:
        table[f"filter_{attr}"] = Signature(("objset",), attr, "objset")
        table[f"query_{attr}"] = Signature(("object",), None, attr)
        table[f"equal_{attr}"] = Signature((attr, attr), None, "bool")
        table[f"same_{attr}"] = Signature(("object",), None, "objset")
    return table


def _math_functions() -> dict[str, Signature]:
    table = {
        "subtract": Signature(("objset", "objset"), None, "objset"),
        "new": Signature((), "number", "description"),
        "insert": Signature(("objset", "description"), None, "objset"),
    }
    for attr in ATTRIBUTES:
        table[f"with_{attr}"] = Signature(("description",), attr, "description")
    return table


#: The modules CLEVR-Math-style questions add (see :mod:`~nesy.benchmarks.clevr.hypothetical`).
MATH_FUNCTIONS: dict[str, Signature] = _math_functions()
FUNCTIONS: dict[str, Signature] = {**_functions(), **MATH_FUNCTIONS}


@dataclass(frozen=True)
class Node:
    """One step of a program.

    Attributes:
        function: A name from :data:`FUNCTIONS`.
        inputs: Indices of the earlier nodes whose values it takes.
        value_inputs: Its value input (an attribute value or a relation), if it has one.
    """

    function: str
    inputs: tuple[int, ...] = ()
    value_inputs: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """CLEVR's node layout."""
        return {"function": self.function, "inputs": list(self.inputs), "value_inputs": list(self.value_inputs)}


Program = tuple[Node, ...]


def validate_program(program: Sequence[Node], where: str = "program") -> Program:
    """Check functions, input indices, arities and types; return the program as a tuple.

    Raises:
        NesyError: naming ``where``, the node and the field.
    """
    if not program:
        raise NesyError(f"{where}: empty program")
    types: list[str] = []
    for i, node in enumerate(program):
        at = f"{where}: node {i}"
        signature = FUNCTIONS.get(node.function)
        if signature is None:
            raise NesyError(f"{at}: function: unknown function {node.function!r}")
        if len(node.inputs) != len(signature.inputs):
            raise NesyError(f"{at}: inputs: {node.function} takes {len(signature.inputs)} input(s), got {len(node.inputs)}")
        for j, (k, wanted) in enumerate(zip(node.inputs, signature.inputs)):
            if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < i:
                raise NesyError(f"{at}: inputs[{j}]: {k!r} is not the index of an earlier node")
            if types[k] != wanted:
                raise NesyError(f"{at}: inputs[{j}]: {node.function} needs {wanted}, node {k} gives {types[k]}")
        wanted_values = 0 if signature.value_input is None else 1
        if len(node.value_inputs) != wanted_values:
            got = len(node.value_inputs)
            raise NesyError(f"{at}: value_inputs: {node.function} takes {wanted_values} value input(s), got {got}")
        if signature.value_input is not None and node.value_inputs[0] not in VALUE_TYPES[signature.value_input]:
            known = ", ".join(VALUE_TYPES[signature.value_input])
            raise NesyError(f"{at}: value_inputs[0]: {node.value_inputs[0]!r} is not a {signature.value_input} ({known})")
        types.append(signature.returns)
    return tuple(program)


def program_type(program: Sequence[Node]) -> str:
    """The type of the program's answer (its last node's)."""
    return FUNCTIONS[program[-1].function].returns


def program_from_json(nodes: Any, where: str = "program") -> Program:
    """A validated program from CLEVR's JSON (``side_inputs`` is read as ``value_inputs``, ``type`` as ``function``)."""
    if not isinstance(nodes, list):
        raise NesyError(f"{where}: expected a list of nodes, got {type(nodes).__name__}")
    program = []
    for i, raw in enumerate(nodes):
        if not isinstance(raw, dict):
            raise NesyError(f"{where}: node {i}: expected an object, got {type(raw).__name__}")
        function = raw.get("function", raw.get("type"))
        inputs = raw.get("inputs", [])
        values = raw.get("value_inputs", raw.get("side_inputs", []))
        if not isinstance(function, str):
            raise NesyError(f"{where}: node {i}: function: missing or not a string")
        if not isinstance(inputs, list) or not isinstance(values, list):
            raise NesyError(f"{where}: node {i}: inputs and value_inputs must be lists")
        program.append(Node(function, tuple(inputs), tuple(values)))
    return validate_program(program, where)


def to_text(program: Sequence[Node]) -> str:
    """Call syntax for the ``dsl`` backend (a node used twice is written twice)."""
    texts: list[str] = []
    for node in program:
        args = [texts[k] for k in node.inputs] + list(node.value_inputs)
        texts.append(f"{node.function}({', '.join(args)})")
    return texts[-1]


def from_text(text: str, where: str = "program") -> Program:
    """Parse call syntax (with the ``dsl`` backend's parser, nothing evaluated) into a validated program.

    Raises:
        NesyError: syntax errors, unknown functions, wrong arguments.
    """
    try:
        tree = parse(text)
    except ProgramRejected as exc:
        raise NesyError(f"{where}: {exc}") from None
    program: list[Node] = []
    stack: list[tuple[Any, bool]] = [(tree, False)]
    done: list[int] = []  # node index of each finished sub-expression
    while stack:
        node, expanded = stack.pop()
        if isinstance(node, (Name, Literal)) or not isinstance(node, Call):
            raise NesyError(f"{where}: {getattr(node, 'name', getattr(node, 'value', node))!r} is not a call of a module")
        signature = FUNCTIONS.get(node.name)
        if signature is None:
            raise NesyError(f"{where}: unknown function {node.name!r}")
        n_inputs = len(signature.inputs)
        if len(node.args) != n_inputs + (signature.value_input is not None):
            wanted = n_inputs + (signature.value_input is not None)
            raise NesyError(f"{where}: {node.name} takes {wanted} argument(s), got {len(node.args)}")
        if not expanded:
            stack.append((node, True))
            stack.extend((arg, False) for arg in reversed(node.args[:n_inputs]))
            continue
        inputs = tuple(done[len(done) - n_inputs :]) if n_inputs else ()
        del done[len(done) - n_inputs :]
        values: tuple[str, ...] = ()
        if signature.value_input is not None:
            value = node.args[-1]
            if not isinstance(value, Name):
                raise NesyError(f"{where}: the last argument of {node.name} must be a {signature.value_input} name")
            values = (value.name,)
        program.append(Node(node.name, inputs, values))
        done.append(len(program) - 1)
    return validate_program(program, where)
