"""Digit suites: multi-digit addition (and later HINT-style arithmetic) from result labels only."""
