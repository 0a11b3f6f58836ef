"""CLEVR programs as answer set programs, run on the ``clingo`` backend.

A scene becomes facts: ``obj(O)``, ``has(O, Attr, Value)`` (``has(3, color, red)``) and
``rel(R, O, P)`` for "P is R of O" (``relationships[R][O]`` holds P). A program becomes one rule
set per node ``N``, over ``set(N, O)`` (object sets), ``one(N, O)`` (the object of a ``unique``),
``val(N, V)`` (integers, ``true``/``false``, attribute values) and ``card(N, C)`` (set sizes); the
last node's value is shown as ``answer_set/1``, ``answer_obj/1`` or ``answer/1``. The
CLEVR-Math-style modules add ``desc(N, Count, Code)`` (objects to add) and added objects as the
integers of :mod:`~nesy.benchmarks.clevr.hypothetical`, whose attributes rules read off the integer;
where such a module has no value (an attribute stated twice, an unknown one queried) ``undefined(N)``. A ``unique``
whose set is not one object derives ``invalid(N)``, which :func:`read_answer` turns into an
``error`` verdict -- the outcome the ``dsl`` backend gives. The program is stratified, so it has
exactly one answer set.

Example:
    >>> from nesy.benchmarks.clevr.programs import from_text
    >>> print(to_asp(from_text("count(filter_color(scene(), red))")))
    set(0,O) :- obj(O).
    set(1,O) :- set(0,O), has(O,color,red).
    card(1,C) :- C = #count{ P : set(1,P) }.
    val(2,C) :- card(1,C).
    answer(V) :- val(2,V).
    #show answer/1. #show answer_set/1. #show answer_obj/1. #show undefined/1. #show invalid/1.
    >>> from nesy.benchmarks.clevr.scenes import generate_scene
    >>> scene = generate_scene(0, seed=3)
    >>> execute_asp(from_text("count(scene())"), scene).value == len(scene["objects"])
    True
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from nesy.budget import Budget
from nesy.executor import Job
from nesy.solvers.clingo_solver import ClingoSolver
from nesy.verdict import Status, Verdict

from .hypothetical import PLACE, SLOT
from .programs import MATH_FUNCTIONS, Node, program_type
from .scene_files import validate_scene
from .vocab import ATTRIBUTES, NUMBERS, RELATIONS

#: Budget of one program: the answer set is unique, ``max_models=2`` lets clingo confirm that.
ASP_BUDGET = Budget(wall_seconds=5.0, memory_mb=512, max_models=2)

SHOW = "#show answer/1. #show answer_set/1. #show answer_obj/1. #show undefined/1. #show invalid/1."
_ATOM = re.compile(r"(answer|answer_set|answer_obj|undefined|invalid)\((.*)\)\Z")


def scene_facts(scene: dict[str, Any]) -> str:
    """ASP facts for a scene (checked first; a malformed one raises :class:`~nesy.errors.NesyError`).

    Example:
        >>> from nesy.benchmarks.clevr.scenes import build_scene
        >>> s = build_scene([{"shape": "cube", "color": "red", "size": "large", "material": "metal", "3d_coords": [0, 0]}])
        >>> scene_facts(s)
        'obj(0). has(0,size,large). has(0,color,red). has(0,material,metal). has(0,shape,cube).'
    """
    validate_scene(scene)
    facts = []
    for i, obj in enumerate(scene["objects"]):
        facts.append(f"obj({i}).")
        facts.extend(f"has({i},{attr},{obj[attr]})." for attr in ATTRIBUTES)
    for rel in RELATIONS:
        for i, related in enumerate(scene["relationships"][rel]):
            facts.extend(f"rel({rel},{i},{j})." for j in related)
    return " ".join(facts)


def _node_rules(i: int, node: Node) -> list[str]:
    fn, ins = node.function, node.inputs
    kind, _, attr = fn.partition("_")
    value = node.value_inputs[0] if node.value_inputs else None
    if fn == "scene":
        return [f"set({i},O) :- obj(O)."]
    if fn == "unique":
        m = ins[0]
        return [f"card({m},C) :- C = #count{{ P : set({m},P) }}.", f"one({i},O) :- set({m},O), card({m},1).",
                f"invalid({i}) :- card({m},C), C != 1."]
    if fn == "relate":
        return [f"set({i},P) :- one({ins[0]},O), rel({value},O,P)."]
    if fn == "union":
        return [f"set({i},O) :- set({ins[0]},O).", f"set({i},O) :- set({ins[1]},O)."]
    if fn == "intersect":
        return [f"set({i},O) :- set({ins[0]},O), set({ins[1]},O)."]
    if fn == "count":
        m = ins[0]
        return [f"card({m},C) :- C = #count{{ P : set({m},P) }}.", f"val({i},C) :- card({m},C)."]
    if fn == "exist":
        return [f"val({i},true) :- set({ins[0]},_).", f"val({i},false) :- not val({i},true)."]
    if fn in ("less_than", "greater_than"):
        op = "<" if fn == "less_than" else ">"
        return [f"val({i},true) :- val({ins[0]},X), val({ins[1]},Y), X {op} Y.", f"val({i},false) :- not val({i},true)."]
    if kind == "equal":
        return [f"val({i},true) :- val({ins[0]},V), val({ins[1]},V).", f"val({i},false) :- not val({i},true)."]
    if kind == "filter":
        return [f"set({i},O) :- set({ins[0]},O), has(O,{attr},{value})."]
    if kind == "query":
        return [f"val({i},V) :- one({ins[0]},O), has(O,{attr},V)."]
    if kind == "same":
        return [f"set({i},P) :- one({ins[0]},O), has(O,{attr},V), has(P,{attr},V), obj(P), P != O."]
    return _math_rules(i, node)


def _math_rules(i: int, node: Node) -> list[str]:
    """Rules of the CLEVR-Math-style modules: ``desc(N, Count, Code)`` is a description
    (:mod:`~nesy.benchmarks.clevr.hypothetical`'s encoding), added objects are integers as there."""
    fn, ins = node.function, node.inputs
    if fn == "subtract":
        return [f"set({i},O) :- set({ins[0]},O), not set({ins[1]},O)."]
    if fn == "new":
        return [f"desc({i},{NUMBERS[node.value_inputs[0]]},0)."]
    if fn == "insert":
        return [f"set({i},O) :- set({ins[0]},O).", f"slots({i},M) :- M = #max{{ 0; O/{SLOT} : set({ins[0]},O) }}.",
                f"set({i},{SLOT}*(M+K)+C) :- slots({i},M), desc({ins[1]},N,C), K = 1..N."]
    if fn.startswith("with_"):
        attr = fn[len("with_"):]
        place, digit = PLACE[attr], ATTRIBUTES[attr].index(node.value_inputs[0]) + 1
        return [f"desc({i},N,C+{digit * place}) :- desc({ins[0]},N,C), (C/{place})\\10 == 0.",
                f"undefined({i}) :- desc({ins[0]},N,C), (C/{place})\\10 != 0."]
    raise ValueError(f"unknown function {fn!r}")


def _added_object_rules(program: Sequence[Node]) -> list[str]:
    """What the scene facts say of scene objects, said of added ones (read off their integers)."""
    rules = [f"added(O) :- set(_,O), O >= {SLOT}."]
    for attr, values in ATTRIBUTES.items():
        rules.extend(f"vidx({attr},{k},{v})." for k, v in enumerate(values, 1))
        rules.append(f"has(O,{attr},V) :- added(O), vidx({attr},((O\\{SLOT})/{PLACE[attr]})\\10,V).")
    rules.append("known(O,A) :- has(O,A,_).")
    for i, node in enumerate(program):
        if node.function.startswith("query_"):  # an added object's unknown attribute has no value
            rules.append(f"undefined({i}) :- one({node.inputs[0]},O), not known(O,{node.function[len('query_'):]}).")
    return rules


def to_asp(program: Sequence[Node]) -> str:
    """The ASP rules of a (validated) program, one rule a line, ending with the ``#show`` lines."""
    rules: list[str] = []
    for i, node in enumerate(program):
        rules.extend(r for r in _node_rules(i, node) if r not in rules)
    if any(node.function in MATH_FUNCTIONS for node in program):
        rules.extend(_added_object_rules(program))
    last = len(program) - 1
    kind = program_type(program)
    if kind == "description":
        raise ValueError("a program whose answer is a description (objects to add) has no ASP reading")
    if kind == "objset":
        rules.append(f"answer_set(O) :- set({last},O).")
    elif kind == "object":
        rules.append(f"answer_obj(O) :- one({last},O).")
    else:
        rules.append(f"answer(V) :- val({last},V).")
    return "\n".join(rules + [SHOW])


def _value(text: str) -> Any:
    if text in ("true", "false"):
        return text == "true"
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def read_answer(verdict: Verdict) -> Verdict:
    """Turn a clingo verdict for a :func:`to_asp` program into the answer: ``ok`` with the value, or ``error``.

    Verdicts that are not ``sat`` (timeout, rejected, ...) come back unchanged, ``unsat`` as ``error``.
    """
    if verdict.status is Status.UNSAT:
        return Verdict(Status.ERROR, message="no answer set", stats=verdict.stats)
    if verdict.status is not Status.SAT:
        return verdict
    models = verdict.value["models"]
    if len(models) != 1:
        return Verdict(Status.ERROR, message=f"{len(models)} answer sets, expected exactly one", stats=verdict.stats)
    certificate = {"answer_set": models[0]}
    found: dict[str, list[Any]] = {"answer": [], "answer_set": [], "answer_obj": [], "undefined": [], "invalid": []}
    for atom in models[0]:
        match = _ATOM.match(atom)
        if match:
            found[match.group(1)].append(_value(match.group(2)))
    if found["invalid"]:
        nodes = ", ".join(str(n) for n in sorted(found["invalid"]))
        return Verdict(Status.ERROR, message=f"unique: not exactly one object (node {nodes})", stats=verdict.stats)
    if found["undefined"]:
        nodes = ", ".join(str(n) for n in sorted(found["undefined"]))
        message = f"undefined: an attribute stated twice or an added object's unknown attribute (node {nodes})"
        return Verdict(Status.ERROR, message=message, stats=verdict.stats)
    if found["answer_set"] or not (found["answer"] or found["answer_obj"]):
        if found["answer"] or found["answer_obj"]:
            return Verdict(Status.ERROR, message="mixed answer kinds", stats=verdict.stats)
        return Verdict(Status.OK, sorted(found["answer_set"]), "answered", certificate, verdict.stats)
    values = found["answer"] or found["answer_obj"]
    if len(values) != 1:
        return Verdict(Status.ERROR, message=f"{len(values)} answers, expected one", stats=verdict.stats)
    return Verdict(Status.OK, values[0], "answered", certificate, verdict.stats)


def execute_asp(
    program: Sequence[Node], scene: dict[str, Any], budget: Budget = ASP_BUDGET, solver: ClingoSolver | None = None
) -> Verdict:
    """Run one program on one scene with the ``clingo`` backend in this process; the answer as :func:`read_answer` reads it."""
    return read_answer((solver or ClingoSolver()).run(to_asp(program), scene_facts(scene), budget))


def asp_jobs(items: Sequence[tuple[Sequence[Node], dict[str, Any]]], budget: Budget = ASP_BUDGET) -> list[Job]:
    """Sandbox jobs for ``(program, scene)`` pairs; map their verdicts through :func:`read_answer`.

    Each distinct scene's facts are written once.
    """
    solver = ClingoSolver()
    facts: dict[int, str] = {}
    jobs = []
    for program, scene in items:
        text = facts.get(id(scene))
        if text is None:
            text = facts[id(scene)] = scene_facts(scene)
        jobs.append(Job(solver, to_asp(program), text, budget=budget))
    return jobs
