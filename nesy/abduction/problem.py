"""What a user states for abduction: the symbols, the knowledge, and how a label reads as facts.

Abduction asks: which symbols, one per perceived position, are most probable under the
perception model *and* consistent with the label? The knowledge is an ASP program over the
atoms ``sym(P, V)`` (position ``P`` shows symbol ``V``) plus the label's facts; nesy adds the
choice of one candidate per position and the weak constraints that carry the probabilities
(:mod:`nesy.abduction.encoding`). Nothing here knows what the symbols mean.

Example:
    >>> parity = AbductionProblem(
    ...     symbols=["0", "1"],
    ...     knowledge="ones(N) :- N = #count { P : sym(P, 1) }. :- label(L), ones(N), N \\\\ 2 != L.",
    ...     label_facts=lambda label: f"label({int(label)}).",
    ... )
    >>> parity.index_of("1")
    1
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from nesy.errors import NesyError


@dataclass(frozen=True)
class AbductionProblem:
    """The symbolic side of an abduction task.

    Attributes:
        symbols: Class index -> the ASP term that stands for it in ``sym(P, V)``.
        knowledge: ASP rules relating ``sym/2`` atoms to the label's facts; an answer set exists
            exactly for the symbol assignments consistent with the label.
        label_facts: A label -> ASP facts (text). Must raise ``ValueError`` for a label that
            cannot be read (the learner reports and skips that example).
        name: For logs and reports.
    """

    symbols: Sequence[str]
    knowledge: str
    label_facts: Callable[[Any], str]
    name: str = "abduction"
    _index: dict[str, int] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        index = {str(term): i for i, term in enumerate(self.symbols)}
        if len(index) != len(self.symbols):
            raise NesyError(f"abduction problem {self.name!r}: symbols must be distinct, got {list(self.symbols)}")
        object.__setattr__(self, "_index", index)

    def index_of(self, term: str) -> int:
        """The class index of an ASP term (as clingo prints it)."""
        try:
            return self._index[term]
        except KeyError:
            raise NesyError(f"abduction problem {self.name!r}: the solver returned unknown symbol {term!r}") from None
