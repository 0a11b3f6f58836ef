"""Self-repair: a program the solver refused goes back to the proposer with the solver's message.

While a round's candidates are verified, :class:`RefusedPrograms` keeps, for each item, the best
ranked candidate that the solver refused (``rejected``, ``error``, ``timeout`` or ``memout``: the
program did not run to a value, so its message is about the program and never reveals the
answer). Items that no candidate verified get a second attempt: the proposer's ``repair`` (see
:class:`~nesy.proposer.protocol.Repairer`; :class:`~nesy.proposer.http_proposer.HTTPProposer` has
one) is shown each refused program with its message, and what it writes back is verified like
any sample. Turned on by ``LoopConfig(self_repair=True)``; proposers without ``repair`` are
skipped (a log line each round).

Example:
    >>> from nesy.learn.task import Item
    >>> from nesy.verdict import Status, Verdict
    >>> refused = RefusedPrograms()
    >>> item = Item("q1", "two plus", 4)
    >>> refused.note(item, "add(2,", Verdict(Status.REJECTED, message="line 1: unexpected end"))
    >>> refused.note(item, "add(2, 3)", Verdict(Status.MISMATCH, 5))  # ran: nothing to repair
    >>> [(i.id, a.message) for i, a in refused.unsolved(set())]
    [('q1', 'line 1: unexpected end')]
    >>> refused.unsolved({"q1"})
    []
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nesy.learn.task import Item
from nesy.proposer.protocol import Attempt
from nesy.verdict import Status, Verdict

#: Statuses whose message is about the program itself (it did not run to a value).
REPAIRABLE = frozenset({Status.REJECTED, Status.ERROR, Status.TIMEOUT, Status.MEMOUT})


@dataclass
class RefusedPrograms:
    """The first refused program of each item, noted in rank order while candidates are verified."""

    first: dict[str, tuple[Item, Attempt]] = field(default_factory=dict)

    def note(self, item: Item, program: str, verdict: Verdict) -> None:
        """Remember ``program`` for ``item`` if the solver refused it and none was noted before."""
        if verdict.status in REPAIRABLE and item.id not in self.first:
            self.first[item.id] = (item, Attempt(item.input, program, verdict.message))

    def unsolved(self, verified: set[str] | dict[str, Any]) -> list[tuple[Item, Attempt]]:
        """The noted attempts of items with no verified program."""
        return [entry for item_id, entry in self.first.items() if item_id not in verified]
