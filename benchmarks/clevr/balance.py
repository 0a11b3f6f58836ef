"""Answer balancing: cap how often one answer appears among a family's questions.

Answers are counted per (family, answer type), so a family that asks both counts and colours is
balanced within each. An answer is accepted while its count stays under ``slack + cap * total``
of its group, where ``cap`` is ``max_share`` or, for types with few
values, just over an even split (booleans and sizes: 0.55, shapes: about 0.38).

Example:
    >>> balancer = AnswerBalancer(max_share=0.3, slack=2)
    >>> [balancer.accept("zero_hop", "bool", True) for _ in range(4)]
    [True, True, True, False]
    >>> balancer.accept("zero_hop", "bool", False), balancer.cap("bool"), balancer.cap("color")
    (True, 0.55, 0.3)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .vocab import ATTRIBUTES

#: How many answers each answer type can have (counts: 0..10 objects).
DOMAIN_SIZES = {"bool": 2, "int": 11, **{attr: len(values) for attr, values in ATTRIBUTES.items()}}


@dataclass
class AnswerBalancer:
    """Accepts or refuses answers so that none dominates its (family, answer type) group.

    Attributes:
        max_share: Largest share of one answer in a group of a many-valued type.
        tolerance: Added to an even split for few-valued types (``1 / values + tolerance``).
        slack: Answers an answer may have beyond its share (so the group can start, and one of
            two equally common answers is always accepted).
    """

    max_share: float = 0.3
    tolerance: float = 0.05
    slack: int = 3
    counts: dict[tuple[str, str], Counter] = field(default_factory=dict)

    def cap(self, kind: str) -> float:
        """The largest share one answer of type ``kind`` may have."""
        return min(1.0, max(self.max_share, 1.0 / DOMAIN_SIZES.get(kind, 2) + self.tolerance))

    def accept(self, family: str, kind: str, answer: Any) -> bool:
        """Whether ``answer`` may be added now; an accepted answer is counted."""
        group = self.counts.setdefault((family, kind), Counter())
        key = (type(answer).__name__, answer)
        total = sum(group.values())
        if group[key] + 1 > self.slack + self.cap(kind) * total:
            return False
        group[key] += 1
        return True

    def shares(self) -> dict[str, dict[str, float]]:
        """Largest answer share per ``family/type`` group (for reports)."""
        out: dict[str, dict[str, float]] = {}
        for (family, kind), group in sorted(self.counts.items()):
            total = sum(group.values())
            (value_type, value), top = group.most_common(1)[0]
            out[f"{family}/{kind}"] = {"n": total, "top_answer": str(value), "top_share": round(top / total, 4)}
        return out
