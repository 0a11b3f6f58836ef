"""Puzzles suite (ordering and logic-grid puzzles -> SMT-LIB -> z3, with a uniqueness proof)."""
