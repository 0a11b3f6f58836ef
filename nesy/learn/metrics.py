"""Per-round learning metrics, as DESIGN.md lists them.

Example:
    >>> m = round_metrics(0, pool=2, top1_ok=1, any_ok=2, distinct_verified=[1, 2], sampled=4, verified=3,
    ...                   distinct_sampled=4, never_solved=0.0, abduced=0, seconds=1.0)
    >>> m.pass_at_k, m.acceptance_rate, m.diversity
    (1.0, 0.75, 1.0)
    >>> round_metrics(0, pool=1, top1_ok=0, any_ok=0, distinct_verified=[0], sampled=4, verified=0, distinct_sampled=4,
    ...               never_solved=1.0, abduced=0, seconds=1.0, statuses={"rejected": 1, "mismatch": 3}).rejected_share
    0.25
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Sequence

#: Verdicts that mean the solver did not accept the program at all (syntax, refused constructs, limits).
REJECTING = ("rejected", "error", "timeout", "memout", "unknown")


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
        statuses: Verdict status -> count, over the sampled candidates.
        rejected_share: Share of sampled candidates the solver did not accept (see :data:`REJECTING`).
        extra: Whatever the trainer's ``monitor`` measured after the round (e.g. held-out accuracy).
        repaired: Items solved by self-repair this round (a refused program given back with the solver's message).
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
    statuses: dict[str, int] = field(default_factory=dict)
    rejected_share: float = 0.0
    extra: dict[str, Any] | None = None
    repaired: int = 0

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
    statuses: Mapping[str, int] | None = None,
    extra: dict[str, Any] | None = None,
    repaired: int = 0,
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
        dict(statuses or {}),
        ratio(sum(n for status, n in (statuses or {}).items() if status in REJECTING), sampled),
        extra,
        repaired,
    )
