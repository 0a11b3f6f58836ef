"""Abduction: train perception from result labels with solver-found symbol assignments.

:class:`AbductionProblem` states the knowledge, :class:`Abducer` solves batches of examples on
the sandboxed clingo backend, :class:`AbductiveLearner` runs the perceive-abduce-refit loop.
Where the knowledge is a function over symbol sequences, :class:`SearchProblem` states it and
:class:`SearchAbducer` finds the most probable consistent sequence by best-first search;
:class:`TheoryAbducer` also chooses among candidate theories (what an operator symbol means).
"""

from nesy.abduction.abducer import Abduced, Abducer
from nesy.abduction.learner import AbductiveLearner, Example, RoundReport
from nesy.abduction.problem import AbductionProblem
from nesy.abduction.search import SearchAbducer, SearchProblem
from nesy.abduction.theories import TheoryAbducer

__all__ = ["Abduced", "Abducer", "AbductionProblem", "AbductiveLearner", "Example", "RoundReport", "SearchAbducer", "SearchProblem", "TheoryAbducer"]
