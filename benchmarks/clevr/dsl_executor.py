"""CLEVR programs on the ``dsl`` backend: the modules declared as typed primitives.

:func:`clevr_dsl` declares every module of :data:`~nesy.benchmarks.clevr.programs.FUNCTIONS`
with its types (``objset``, ``object``, ``int``, ``bool``, ``color``, ``shape``, ``size``,
``material``, ``relation``) and every attribute value and relation as a typed constant, so
``filter_color(scene(), left)`` is a type error before anything runs. The scene is the program's
input: :class:`ClevrDSLSolver` is the ``dsl`` backend (same parser, type checker, step-counting
interpreter, sandbox and verdicts) whose ``input`` is one scene dict, checked with
:func:`~nesy.benchmarks.clevr.scene_files.validate_scene` and made visible to the primitives for
the length of the run (``scene()`` reads it). A failed ``unique`` is an ``error`` verdict.

Example:
    >>> from nesy.benchmarks.clevr.scenes import generate_scene
    >>> scene = generate_scene(0, seed=3)
    >>> verdict = execute_dsl("count(scene())", scene)
    >>> verdict.status.value, verdict.value == len(scene["objects"])
    ('ok', True)
    >>> execute_dsl("count(filter_color(scene(), left))", scene).status.value
    'rejected'
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterator, Sequence

from nesy.budget import Budget
from nesy.errors import NesyError, ProgramFailed, ProgramRejected
from nesy.executor import Job
from nesy.solvers.dsl import DSL, DSLSolver
from nesy.verdict import Verdict

from . import hypothetical as hyp
from . import reference as ref
from .hypothetical import Description
from .programs import FUNCTIONS, MATH_FUNCTIONS, Node, VALUE_TYPES, to_text
from .reference import SceneIndex
from .scene_files import validate_scene
from .vocab import NUMBERS

#: Budget of one program (CLEVR programs take at most a few dozen steps).
DSL_BUDGET = Budget(wall_seconds=2.0, memory_mb=512, max_steps=10_000, max_value_size=10_000)

_SCENE: ContextVar[SceneIndex | None] = ContextVar("nesy_clevr_scene", default=None)


def _index() -> SceneIndex:
    index = _SCENE.get()
    if index is None:
        raise ProgramFailed("no scene is bound: run CLEVR programs with ClevrDSLSolver, whose input is the scene")
    return index


# -- primitives (module-level, so the solver pickles into sandbox workers) -------------------
def scene() -> tuple[int, ...]:
    """Every object of the input scene."""
    return ref.all_objects(_index())


def unique(objs: tuple[int, ...]) -> int:
    """The one object of a one-object set (anything else fails the program)."""
    return ref.unique(objs)


def relate(obj: int, rel: str) -> tuple[int, ...]:
    """The objects that are ``rel`` of ``obj``."""
    return ref.relate(_index(), obj, rel)


def union(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """Objects in either set."""
    return ref.union(a, b)


def intersect(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """Objects in both sets."""
    return ref.intersect(a, b)


def count(objs: tuple[int, ...]) -> int:
    """The number of objects."""
    return len(objs)


def exist(objs: tuple[int, ...]) -> bool:
    """Whether the set has an object."""
    return len(objs) > 0


def equal(a: Any, b: Any) -> bool:
    """Whether the two values (integers or attribute values) are equal."""
    return a == b


def less_than(a: int, b: int) -> bool:
    """``a < b``."""
    return a < b


def greater_than(a: int, b: int) -> bool:
    """``a > b``."""
    return a > b


def filter_size(objs: tuple[int, ...], value: str) -> tuple[int, ...]:
    """The objects of ``objs`` whose size is ``value``."""
    return ref.filter_attr(_index(), objs, "size", value)


def filter_color(objs: tuple[int, ...], value: str) -> tuple[int, ...]:
    """The objects of ``objs`` whose color is ``value``."""
    return ref.filter_attr(_index(), objs, "color", value)


def filter_material(objs: tuple[int, ...], value: str) -> tuple[int, ...]:
    """The objects of ``objs`` whose material is ``value``."""
    return ref.filter_attr(_index(), objs, "material", value)


def filter_shape(objs: tuple[int, ...], value: str) -> tuple[int, ...]:
    """The objects of ``objs`` whose shape is ``value``."""
    return ref.filter_attr(_index(), objs, "shape", value)


def query_size(obj: int) -> str:
    """The size of ``obj``."""
    return ref.query(_index(), obj, "size")


def query_color(obj: int) -> str:
    """The color of ``obj``."""
    return ref.query(_index(), obj, "color")


def query_material(obj: int) -> str:
    """The material of ``obj``."""
    return ref.query(_index(), obj, "material")


def query_shape(obj: int) -> str:
    """The shape of ``obj``."""
    return ref.query(_index(), obj, "shape")


def same_size(obj: int) -> tuple[int, ...]:
    """The other objects with the size of ``obj``."""
    return ref.same_attr(_index(), obj, "size")


def same_color(obj: int) -> tuple[int, ...]:
    """The other objects with the color of ``obj``."""
    return ref.same_attr(_index(), obj, "color")


def same_material(obj: int) -> tuple[int, ...]:
    """The other objects with the material of ``obj``."""
    return ref.same_attr(_index(), obj, "material")


def same_shape(obj: int) -> tuple[int, ...]:
    """The other objects with the shape of ``obj``."""
    return ref.same_attr(_index(), obj, "shape")


def subtract(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The objects of ``a`` that are not in ``b``."""
    return ref.subtract(a, b)


def new(number: int) -> Description:
    """A description of ``number`` objects to add, nothing known about them yet."""
    return hyp.new_objects(number)


def insert(objs: tuple[int, ...], description: Description) -> tuple[int, ...]:
    """``objs`` plus the described objects."""
    return hyp.insert(objs, description)


def with_size(description: Description, value: str) -> Description:
    """The described objects, their size known to be ``value``."""
    return hyp.with_attr(description, "size", value)


def with_color(description: Description, value: str) -> Description:
    """The described objects, their color known to be ``value``."""
    return hyp.with_attr(description, "color", value)


def with_material(description: Description, value: str) -> Description:
    """The described objects, their material known to be ``value``."""
    return hyp.with_attr(description, "material", value)


def with_shape(description: Description, value: str) -> Description:
    """The described objects, their shape known to be ``value``."""
    return hyp.with_attr(description, "shape", value)


_IMPLS = {
    "scene": scene, "unique": unique, "relate": relate, "union": union, "intersect": intersect, "count": count,
    "exist": exist, "equal_integer": equal, "less_than": less_than, "greater_than": greater_than,
    **{f"equal_{attr}": equal for attr in ("size", "color", "material", "shape")},
    **{f.__name__: f for f in (filter_size, filter_color, filter_material, filter_shape, query_size, query_color,
                               query_material, query_shape, same_size, same_color, same_material, same_shape,
                               subtract, new, insert, with_size, with_color, with_material, with_shape)},
}


def clevr_dsl(math: bool = False) -> DSL:
    """The typed DSL of CLEVR's modules, attribute values and relations.

    Args:
        math: Also the CLEVR-Math-style modules (:data:`~nesy.benchmarks.clevr.programs.MATH_FUNCTIONS`)
            and the ``number`` constants (``two`` is 2). Off by default, so a learner of CLEVR's own
            questions does not search them.

    Example:
        >>> sorted(set(clevr_dsl(math=True).primitives) - set(clevr_dsl().primitives))[:3], clevr_dsl(math=True).constants["two"].value
        (['insert', 'new', 'subtract'], 2)
    """
    dsl = DSL("clevr-math" if math else "clevr")
    for name, signature in FUNCTIONS.items():
        if name in MATH_FUNCTIONS and not math:
            continue
        args = list(signature.inputs) + ([signature.value_input] if signature.value_input else [])
        dsl.primitive(name, args, signature.returns, _IMPLS[name], doc=(_IMPLS[name].__doc__ or "").strip())
    for value_type, values in VALUE_TYPES.items():
        if value_type == "number" and not math:
            continue
        for value in values:
            dsl.constant(value, value_type, NUMBERS[value] if value_type == "number" else value)
    return dsl


class ClevrDSLSolver(DSLSolver):
    """The ``dsl`` backend over :func:`clevr_dsl` (math modules included); a run's ``input`` is the scene dict."""

    def __init__(self, *, max_trace: int = 100) -> None:
        super().__init__(clevr_dsl(math=True), max_depth=100, max_trace=max_trace)

    def execute(self, program: str, input: Any, budget: Budget) -> Verdict:
        """Check the scene, bind it for ``scene()`` and the other primitives, then run as the ``dsl`` backend does."""
        try:
            validate_scene(input, "input scene")
        except NesyError as exc:
            raise ProgramRejected(str(exc)) from None
        token = _SCENE.set(SceneIndex.of(input))
        try:
            return super().execute(program, None, budget)
        finally:
            _SCENE.reset(token)


@contextmanager
def bound_scene(scene: "dict[str, Any] | SceneIndex") -> Iterator[SceneIndex]:
    """Make ``scene`` the one the primitives of :func:`clevr_dsl` read, for the length of the block.

    This is what a learner's in-process search uses (sandboxed runs go through :class:`ClevrDSLSolver`).

    Example:
        >>> from nesy.benchmarks.clevr.scenes import generate_scene
        >>> with bound_scene(generate_scene(0, seed=3)) as index:
        ...     count(scene()) == index.n
        True
    """
    index = scene if isinstance(scene, SceneIndex) else SceneIndex.of(scene)
    token = _SCENE.set(index)
    try:
        yield index
    finally:
        _SCENE.reset(token)


def _text(program: "str | Sequence[Node]") -> str:
    return program if isinstance(program, str) else to_text(program)


def execute_dsl(
    program: "str | Sequence[Node]", scene: dict[str, Any], budget: Budget = DSL_BUDGET, solver: ClevrDSLSolver | None = None
) -> Verdict:
    """Run one program (call syntax or nodes) on one scene in this process.

    Returns:
        ``ok`` with the answer, ``error`` (a failed ``unique``) or ``rejected`` (type errors, a bad scene).
    """
    return (solver or ClevrDSLSolver()).run(_text(program), scene, budget)


def dsl_jobs(items: Sequence[tuple["str | Sequence[Node]", dict[str, Any]]], budget: Budget = DSL_BUDGET) -> list[Job]:
    """Sandbox jobs for ``(program, scene)`` pairs (one solver object shared, so it is sent to each worker once)."""
    solver = ClevrDSLSolver()
    return [Job(solver, _text(program), scene, budget=budget) for program, scene in items]
