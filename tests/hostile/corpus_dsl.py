"""Hostile or broken programs for the ``dsl`` backend (standard DSL): every case must end in a
non-success verdict.

``{TMP}`` stands for a fresh temporary directory (the sandbox test asserts nothing appears in it).
The DSL has no I/O, no loops and no recursion, so attacks reduce to syntax smuggling, names that
do not exist, resource bombs built from list primitives, huge or odd inputs, and very large
programs. Cases marked ``needs_sandbox=True`` run C-level work that only the worker's hard limits
stop; the backend's own tests run the others in-process.
"""


def _add_tree(depth: int) -> str:
    """A full binary tree of ``add`` calls: 2**depth - 1 primitive applications."""
    text = "1"
    for _ in range(depth):
        text = f"add({text},{text})"
    return text


def _nested(depth: int) -> list:
    """``[[[...[0]...]]]``, ``depth`` lists deep."""
    value: list = [0]
    for _ in range(depth):
        value = [value]
    return value


_ONES = "repeat(cons(1, empty()), 999999)"
_SHARED = f"repeat(cons({_ONES}, empty()), 999999)"  # 999,999 references to one list of 999,999
_MUL_CHAIN = "mul(x, " * 60 + "x" + ")" * 60

CASES = [
    # id, program text, input (or None), wall_seconds budget, memory_mb budget
    # -- code execution through the language
    dict(id="dsl-python-import-system", program='__import__("os").system("touch {TMP}/pwned")', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-eval-call", program="eval(\"open('{TMP}/pwned', 'w').write('x')\")", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-attribute-escape", program="head.__globals__", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-dunder-name", program="__builtins__", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-lambda-syntax", program="(lambda: open('{TMP}/pwned', 'w'))()", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-code-in-string-input", program="length(x)", input={"x": "__import__('os').system('touch {TMP}/pwned')"}, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-input-shadows-primitive", program="head(cons(1, empty()))", input={"head": 1}, wall_seconds=2.0, memory_mb=256),
    # -- file reads and writes
    dict(id="dsl-open-write", program='open("{TMP}/pwned", "w")', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-read-passwd", program='read_file("/etc/passwd")', input=None, wall_seconds=2.0, memory_mb=256),
    # -- resource bombs (memory)
    dict(id="dsl-repeat-bomb", program="repeat(repeat(cons(1, empty()), 100000), 100000)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-repeat-huge-count", program="repeat(cons(0, empty()), 99999999999999999999)", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-shared-structure-result", program=_SHARED, input=None, wall_seconds=3.0, memory_mb=256),
    dict(id="dsl-shared-structure-compare", program=f"eq({_SHARED}, {_SHARED})", input=None, wall_seconds=3.0, memory_mb=256),
    dict(id="dsl-bigint-input-mul-bomb", program=_MUL_CHAIN, input={"x": (1 << 8_000_000) - 1}, wall_seconds=2.0, memory_mb=256, needs_sandbox=True),
    # -- non-termination stand-ins (no loops exist: long chains of heavy steps, many steps)
    dict(id="dsl-reverse-chain", program="reverse(" * 490 + _ONES + ")" * 490, input=None, wall_seconds=0.3, memory_mb=256),  # ~4x its budget of work
    dict(id="dsl-step-limit-wide-tree", program=_add_tree(17), input=None, wall_seconds=3.0, memory_mb=256),
    # -- huge or odd inputs and programs
    dict(id="dsl-huge-input-list", program="length(xs)", input={"xs": [0] * 1_000_001}, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-deep-input", program="length(xs)", input={"xs": _nested(150)}, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-input-not-a-mapping", program="length(xs)", input=[1, 2, 3], wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-float-input", program="add(x, 1)", input={"x": 1.5}, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-huge-program", program="1" * 2_000_000, input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-deep-nesting", program="neg(" * 100_000 + "1" + ")" * 100_000, input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-huge-int-literal", program="9" * 5000, input=None, wall_seconds=2.0, memory_mb=256),
    # -- syntax garbage and type confusion
    dict(id="dsl-garbage-bytes", program="\x00\xff)(,,\u202e;{}", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-unterminated-string", program='cons("abc, empty())', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-empty-program", program="   \n\t ", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-type-confusion", program='add("1", 1)', input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-wrong-arity", program="head(cons(1, empty()), 2)", input=None, wall_seconds=2.0, memory_mb=256),
    # -- run-time failures
    dict(id="dsl-division-by-zero", program="div(1, sub(2, 2))", input=None, wall_seconds=2.0, memory_mb=256),
    dict(id="dsl-head-of-empty", program="head(tail(cons(1, empty())))", input=None, wall_seconds=2.0, memory_mb=256),
]
