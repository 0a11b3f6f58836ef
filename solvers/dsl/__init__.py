"""The ``dsl`` backend: a typed functional DSL, its interpreter, and program search.

Declare a DSL (typed primitives with Python implementations, constants, input variables), then
run, check, enumerate or abduce programs written in call syntax such as ``add(x, 2)``.

Example:
    >>> import operator
    >>> dsl = DSL("arith")
    >>> _ = dsl.primitive("add", ["int", "int"], "int", operator.add)
    >>> dsl.variable("x", "int")
    >>> DSLSolver(dsl).run("add(x, 2)", input={"x": 3}).value
    5
    >>> DSLSolver().run("if_then_else(lt(x, 0), neg(x), x)", input={"x": -4}).value
    4
"""

from nesy.solvers.dsl.interpreter import guard_size
from nesy.solvers.dsl.language import DSL, Constant, Primitive
from nesy.solvers.dsl.search import abduce_program, enumerate_programs
from nesy.solvers.dsl.solver import DSLSolver
from nesy.solvers.dsl.stdlib import standard_dsl
from nesy.solvers.dsl.typeterms import Type, TypeCon, TypeVar, parse_type, type_of_value, unify

__all__ = [
    "DSL",
    "Constant",
    "DSLSolver",
    "Primitive",
    "Type",
    "TypeCon",
    "TypeVar",
    "abduce_program",
    "enumerate_programs",
    "guard_size",
    "parse_type",
    "standard_dsl",
    "type_of_value",
    "unify",
]
