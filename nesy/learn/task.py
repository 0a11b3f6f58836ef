"""A learning task as a user states it: items with answers, and a solver that checks programs.

Example:
    >>> from nesy.grammar.seqdsl import sequence_solver
    >>> task = Task.from_pairs("toy", [("dax", "RED"), ("dax fep", "RED RED")], sequence_solver())
    >>> [item.difficulty for item in task.items]
    [1.0, 2.0]
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from nesy.hashing import content_hash


@dataclass(frozen=True)
class Item:
    """One training or test item.

    Attributes:
        id: Stable identifier (content hash of input and answer by default).
        input: What the proposer reads.
        answer: The known answer (what a verified program's value must equal), as the solver compares it.
        difficulty: For the easy-to-hard curriculum (input length by default).
    """

    id: str
    input: str
    answer: Any
    difficulty: float = 0.0


@dataclass
class Task:
    """Items plus the solver that verifies a program against an item's answer.

    Attributes:
        name: For traces and reports.
        items: The items.
        solver: A nesy solver; programs are checked with ``solver.check(program, program_input(item), answer)``.
        program_input: What input a program runs on (None: programs are closed terms).
        answer_text: The answer as text, for learners that read answers (e.g. grammar abduction).
    """

    name: str
    items: list[Item]
    solver: Any
    program_input: Callable[[Item], Any] = field(default=lambda item: None)
    answer_text: Callable[[Item], str] = field(default=lambda item: " ".join(item.answer))

    @classmethod
    def from_pairs(
        cls, name: str, pairs: Sequence[tuple[str, str]], solver: Any, *, seed: int | None = None
    ) -> "Task":
        """Items from ``(input text, output text)`` pairs; answers are output token lists.

        ``seed`` shuffles items before the curriculum's stable sort, so ties fall differently per seed.
        """
        items = [Item(content_hash(name, s, t)[:16], s, t.split(), float(len(s.split()))) for s, t in pairs]
        if seed is not None:
            random.Random(seed).shuffle(items)
        return cls(name, items, solver)

    def curriculum(self) -> list[Item]:
        """Items from easy to hard (stable: equal difficulties keep their order)."""
        return sorted(self.items, key=lambda item: item.difficulty)
