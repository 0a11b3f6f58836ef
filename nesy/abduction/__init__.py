"""Abduction: train perception from result labels with solver-found symbol assignments.

:class:`AbductionProblem` states the knowledge, :class:`Abducer` solves batches of examples on
the sandboxed clingo backend, :class:`AbductiveLearner` runs the perceive-abduce-refit loop.
"""

from nesy.abduction.abducer import Abduced, Abducer
from nesy.abduction.learner import AbductiveLearner, Example, RoundReport
from nesy.abduction.problem import AbductionProblem

__all__ = ["Abduced", "Abducer", "AbductionProblem", "AbductiveLearner", "Example", "RoundReport"]
