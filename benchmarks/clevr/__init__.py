"""A CLEVR-style visual reasoning suite: scenes, CLEVR's functional programs, two executors.

* :mod:`.vocab` -- shapes, colours, sizes, materials, relations, camera directions;
* :mod:`.scenes` / :mod:`.scene_files` -- scene generation in CLEVR's scene-file layout, and
  checked reading and writing of scene files;
* :mod:`.programs` -- CLEVR's modules, programs as node lists and as call syntax;
* :mod:`.reference` -- module semantics and a fast in-process executor;
* :mod:`.dsl_executor` -- the modules as a typed DSL on the ``dsl`` backend;
* :mod:`.asp_executor` -- programs translated to ASP for the ``clingo`` backend;
* :mod:`.families`, :mod:`.balance`, :mod:`.questions`, :mod:`.text` -- question generation
  for CLEVR's nine families, answer balancing, English question text;
* :mod:`.hypothetical`, :mod:`.math_families`, :mod:`.math_check` --
  CLEVR-Math-style questions (subtract, add described objects, count), their arithmetic checked
  by SymPy, and the ``math`` split;
* :mod:`.check`, :mod:`.suite` -- the executor agreement check and ``nesy bench clevr``.

Nothing here is imported by learners: benchmark knowledge stays in ``nesy.benchmarks``.

Example:
    >>> from nesy.benchmarks.clevr import execute_asp, execute_dsl, from_text, generate_scene
    >>> scene, program = generate_scene(0, seed=5), from_text("exist(filter_shape(scene(), sphere))")
    >>> execute_dsl(program, scene).value == execute_asp(program, scene).value
    True
"""

from __future__ import annotations

from .asp_executor import asp_jobs, execute_asp, read_answer, scene_facts, to_asp
from .check import check_executors
from .dsl_executor import ClevrDSLSolver, clevr_dsl, dsl_jobs, execute_dsl
from .families import FAMILIES, Rejected, sample_program
from .math_check import check_arithmetic
from .math_families import MATH_FAMILIES, sample_math_program
from .programs import FUNCTIONS, MATH_FUNCTIONS, Node, from_text, program_from_json, program_type, to_text, validate_program
from .questions import GenerationConfig, Question, generate_questions
from .reference import InvalidProgram, SceneIndex, execute_reference, reference_verdict, same_outcome
from .scenes import (
    SceneConfig, build_scene, compute_relationships, generate_scene, generate_scenes, load_scenes, validate_scene, write_scenes,
)
from .text import question_text

__all__ = [
    "FAMILIES", "FUNCTIONS", "MATH_FAMILIES", "MATH_FUNCTIONS", "ClevrDSLSolver", "GenerationConfig", "InvalidProgram", "Node", "Question", "Rejected",
    "SceneConfig", "SceneIndex", "asp_jobs", "build_scene", "check_arithmetic", "check_executors", "clevr_dsl", "compute_relationships",
    "dsl_jobs", "execute_asp", "execute_dsl", "execute_reference", "from_text", "generate_questions", "generate_scene",
    "generate_scenes", "load_scenes", "program_from_json", "program_type", "question_text", "read_answer",
    "reference_verdict", "same_outcome", "sample_math_program", "sample_program", "scene_facts", "to_asp", "to_text", "validate_program",
    "validate_scene", "write_scenes",
]
