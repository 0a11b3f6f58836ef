"""Semantic parsing from answers alone: a question -> program parser learned with no program given.

* :mod:`~nesy.semparse.enumerate`: programs of a typed DSL consistent with one answer in one world
  (bottom-up, observational equivalence, optional required constants, optionally projective).
* :mod:`~nesy.semparse.lexicon`: which words stand for which constants, by EM over the constant
  sets of each question's consistent programs.
* :mod:`~nesy.semparse.tree`: program trees (read from search results, run in process).
* :mod:`~nesy.semparse.grammar`: rules read off an aligned (question, program) pair, one per span.
* :mod:`~nesy.semparse.parser`: k-best chart parsing with rule counts.
* :mod:`~nesy.semparse.learner`: lexicon, candidates, agreement across questions (hard EM),
  parse-and-verify self-training: :func:`~nesy.semparse.learner.learn_parser`, with its inputs and
  settings in :mod:`~nesy.semparse.learn_config`, steps 3 and 4 in :mod:`~nesy.semparse.selection`,
  the learned parser in :mod:`~nesy.semparse.semantic_parser` and the phrase search of step 5 in
  :mod:`~nesy.semparse.compose`.
* :mod:`~nesy.semparse.agreement`, :mod:`~nesy.semparse.idle`, :mod:`~nesy.semparse.blind`: which
  candidates to keep (rules that explain questions consistently; no idle words; no call blind to its world).
"""
