"""Kinship suite (CLUTRR-style family stories -> ASP facts -> clingo with a relation knowledge base)."""
