"""Per-round learning metrics, as DESIGN.md lists them.

Example:
    >>> m = round_metrics(0, pool=2, top1_ok=1, any_ok=2, distinct_verified=[1, 2], sampled=4, verified=3,
    ...                   distinct_sampled=4, never_solved=0.0, abduced=0, seconds=1.0)
    >>> m.pass_at_k, m.acceptance_rate, m.diversity
    (1.0, 0.75, 1.0)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence


@dataclass(frozen=True)
class RoundMetrics:
    """What one round of sample → verify → fit achieved on its curriculum pool.

    Attributes:
        round: Round number (0-based).
        pool: Items in this round's curriculum pool.
        accuracy: Share of pool items whose best candidate verified.
        pass_at_k: Share of pool items with any verified candidate.
        distinct_verified_per_item: Mean distinct verified programs per pool item.
        acceptance_rate: Verified candidates / sampled candidates.
        never_solved: Share of all training items with no verified program so far (the tail).
        diversity: Distinct programs / sampled candidates (falls toward 0 when outputs collapse).
        abduced: Items solved by abduction this round.
        seconds: Wall time of the round.
    """

    round: int
    pool: int
    accuracy: float
    pass_at_k: float
    distinct_verified_per_item: float
    acceptance_rate: float
    never_solved: float
    diversity: float
    abduced: int
    seconds: float

    def to_dict(self) -> dict:
        return asdict(self)


def round_metrics(
    round: int,
    *,
    pool: int,
    top1_ok: int,
    any_ok: int,
    distinct_verified: Sequence[int],
    sampled: int,
    verified: int,
    distinct_sampled: int,
    never_solved: float,
    abduced: int,
    seconds: float,
) -> RoundMetrics:
    """Build :class:`RoundMetrics` from raw counts (empty denominators give 0)."""

    def ratio(a: float, b: float) -> float:
        return a / b if b else 0.0

    return RoundMetrics(
        round,
        pool,
        ratio(top1_ok, pool),
        ratio(any_ok, pool),
        ratio(sum(distinct_verified), pool),
        ratio(verified, sampled),
        never_solved,
        ratio(distinct_sampled, sampled),
        abduced,
        seconds,
    )
