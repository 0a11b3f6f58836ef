"""Semantic parsing from answers alone: the pieces a question -> program learner is built from.

* :mod:`~nesy.semparse.enumerate`: programs of a typed DSL consistent with one answer in one world
  (bottom-up, observational equivalence, optional required constants).
* :mod:`~nesy.semparse.lexicon`: which words stand for which constants, by EM over the constant
  sets of each question's consistent programs.

The parser that uses them (lexicon-constrained abduction feeding the verified self-training loop)
is not built yet.
"""
