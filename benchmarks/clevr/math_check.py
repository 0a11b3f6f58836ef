"""The arithmetic of CLEVR-Math-style questions, written out and checked by the sandboxed SymPy backend.

Each math question's answer is also an arithmetic expression read off its steps
(:func:`~nesy.benchmarks.clevr.math_families.read_math_program`) by counting scene objects
directly (attribute values compared, no program module run): the asked objects in the scene,
minus those each subtraction takes away, plus the number each addition adds when the added
objects are of the asked kind (0 when a stated attribute contradicts it)::

    Subtract all red cubes. Add 2 large spheres. How many spheres are there?    ->    "3 - 0 + 2"

:func:`check_arithmetic` evaluates every question's expression on the ``sympy`` backend, in one
sandboxed batch, and compares the value with the answer the generator computed by running the
program. A disagreement is a generator bug: :func:`require_arithmetic` raises.

Example:
    >>> from nesy.benchmarks.clevr.programs import from_text
    >>> from nesy.benchmarks.clevr.reference import SceneIndex
    >>> from nesy.benchmarks.clevr.scenes import build_scene
    >>> cube = {"shape": "cube", "color": "red", "size": "large", "material": "metal"}
    >>> scene = build_scene([{**cube, "3d_coords": [0, 0]}, {**cube, "color": "blue", "3d_coords": [0, 3]}])
    >>> program = from_text("count(filter_shape(insert(subtract(scene(), filter_color(scene(), red)), with_shape(new(two), cube)), cube))")
    >>> arithmetic(read_math_program(program), SceneIndex.of(scene))
    '2 - 1 + 2'
"""

from __future__ import annotations

import logging
from typing import Any, Sequence

from nesy.budget import Budget
from nesy.errors import NesyError
from nesy.executor.job import Job
from nesy.registry import get_solver
from nesy.verdict import Status

from .math_families import MathSteps, read_math_program
from .reference import SceneIndex

log = logging.getLogger(__name__)

SYMPY_BUDGET = Budget(wall_seconds=5.0)


def _is(index: SceneIndex, obj: int, attrs: dict[str, str]) -> bool:
    return all(index.attributes[a][obj] == v for a, v in attrs.items())


def arithmetic(steps: MathSteps, index: SceneIndex) -> str:
    """The question's arithmetic as an expression over counts (see the module docstring).

    Raises:
        ValueError: an addition's objects may or may not be of the asked kind (an asked attribute it did not state).
    """
    there = [o for o in range(index.n)]
    terms = [str(sum(_is(index, o, steps.asked) for o in there))]
    for step in steps.steps:
        if step[0] == "subtract":
            taken = [o for o in there if _is(index, o, step[1])]
            there = [o for o in there if o not in taken]
            terms.append(f"- {sum(_is(index, o, steps.asked) for o in taken)}")
            continue
        _, number, stated = step
        if any(a not in stated for a in steps.asked):
            raise ValueError(f"added objects ({stated}) may or may not be {steps.asked}")
        counted = all(stated[a] == v for a, v in steps.asked.items())
        terms.append(f"+ {number if counted else 0}")
    return " ".join(terms)


def question_arithmetic(program: Sequence[Any], index: SceneIndex) -> str:
    """:func:`arithmetic` of a math program (read with :func:`read_math_program`)."""
    return arithmetic(read_math_program(program), index)


def check_arithmetic(questions: Sequence[Any], executor: Any, budget: Budget = SYMPY_BUDGET) -> dict[str, Any]:
    """Evaluate every math question's ``arithmetic`` with SymPy (sandboxed, one batch); compare with its answer.

    Questions without arithmetic (CLEVR's own families) are skipped.

    Returns:
        ``n`` (questions checked), ``agreement`` (share whose SymPy value is the answer),
        ``n_disagreements`` and up to 20 ``disagreements``.

    Example:
        >>> from nesy.executor import LocalExecutor
        >>> from nesy.benchmarks.clevr.questions import GenerationConfig, generate_questions
        >>> _, questions, _ = generate_questions(GenerationConfig(n_questions=10, families=("subtraction", "addition")))
        >>> with LocalExecutor(workers=1, cache=False) as pool:
        ...     report = check_arithmetic(questions, pool)
        >>> report["n"], report["agreement"], questions[1].arithmetic
        (10, 1.0, '5 + 4')
    """
    math = [q for q in questions if q.arithmetic]
    solver = get_solver("sympy")
    verdicts = executor.map([Job(solver, q.arithmetic, budget=budget) for q in math]) if math else []
    wrong = []
    for q, verdict in zip(math, verdicts):
        value = verdict.value if verdict.status is Status.OK else None
        if type(value) is not int or value != q.answer:
            wrong.append({"question_index": q.index, "question": q.text, "arithmetic": q.arithmetic, "sympy": value,
                          "status": verdict.status.value, "answer": q.answer})
    n = len(math)
    log.info("sympy checked the arithmetic of %d math questions, %d disagree", n, len(wrong))
    return {"n": n, "agreement": (n - len(wrong)) / n if n else 1.0, "n_disagreements": len(wrong), "disagreements": wrong[:20]}


def require_arithmetic(report: dict[str, Any], where: str = "clevr math") -> None:
    """Raise :class:`NesyError` (a generator bug) when SymPy disagreed with any answer."""
    if report["n_disagreements"]:
        first = report["disagreements"][0]
        raise NesyError(
            f"{where}: SymPy's value of the arithmetic disagrees with the generated answer on {report['n_disagreements']} "
            f"question(s), e.g. {first['question']!r}: {first['arithmetic']} = {first['sympy']} but the program gives {first['answer']}"
        )
