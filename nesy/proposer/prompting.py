"""Prompts for served LLMs: a template, optional instructions, and few-shot demonstrations.

A served model cannot be trained from here, so "fitting" it means keeping verified
``(input, program)`` pairs as demonstrations. :class:`FewShotPrompt` stores them (one program per
input: the first one given) and, for each query, picks up to ``shots`` of them: the most similar
inputs by word overlap (Jaccard) with the query (``select="similar"``, the default) or the first
ones stored (``select="first"``). A demonstration whose input IS the query is never shown, so a
model is not handed the answer to the very item it is asked about. The chosen demonstrations are
ordered from least to most similar, so the closest sits next to the query.

A completion prompt is the instructions, then each demonstration (the template filled with its
input, a space unless the template ends in whitespace, its program), then the filled template for
the query, separated by ``separator``. A chat prompt is a system message with the instructions,
one user/assistant turn per demonstration, and a user turn for the query.

Example:
    >>> prompt = FewShotPrompt("Q: {input}\\nA:", shots=1)
    >>> prompt.add([("two plus two", "add(2, 2)"), ("three times four", "mul(3, 4)")])
    2
    >>> print(prompt.completion("two plus five"))
    Q: two plus two
    A: add(2, 2)
    <BLANKLINE>
    Q: two plus five
    A:
    >>> [m["role"] for m in prompt.chat("two plus five")]
    ['user', 'assistant', 'user']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Sequence

from nesy.errors import NesyError

Select = Literal["similar", "first"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


def fill(template: str, text: str) -> str:
    """``template`` with ``{input}`` replaced by ``text`` (other braces are left alone).

    Example:
        >>> fill("f({input}) = {x}", "3")
        'f(3) = {x}'
    """
    return template.replace("{input}", text)


@dataclass
class FewShotPrompt:
    """Builds completion and chat prompts with few-shot demonstrations.

    Attributes:
        template: The query's text; ``{input}`` is replaced by the input.
        instructions: Put first (completions) or sent as the system message (chat); may be empty.
        separator: Between the instructions and the demonstrations in a completion prompt.
        shots: Demonstrations per prompt at most (0: none).
        select: ``"similar"`` (word overlap with the query) or ``"first"``.
        demonstrations: ``(input, program)`` pairs stored so far.
        repair_note: What follows a refused program in a self-repair prompt; ``{message}`` is
            replaced by the solver's message.
    """

    template: str = "Input: {input}\nProgram:"
    instructions: str = ""
    separator: str = "\n\n"
    shots: int = 4
    select: Select = "similar"
    demonstrations: list[tuple[str, str]] = field(default_factory=list)
    repair_note: str = "The solver refused that program: {message}\nWrite a corrected program."

    def __post_init__(self) -> None:
        if "{input}" not in self.template:
            raise NesyError(f"the prompt template must contain '{{input}}', got {self.template!r}")
        if self.select not in ("similar", "first"):
            raise NesyError(f"select must be 'similar' or 'first', got {self.select!r}")
        if not isinstance(self.shots, int) or self.shots < 0:
            raise NesyError(f"shots must be an integer >= 0, got {self.shots!r}")
        self._seen = {x for x, _ in self.demonstrations}

    def add(self, pairs: Sequence[tuple[str, str]]) -> int:
        """Store pairs as demonstrations (the first program per input wins); returns how many are stored."""
        for x, y in pairs:
            x, y = str(x), str(y)
            if x not in self._seen and y.strip():
                self._seen.add(x)
                self.demonstrations.append((x, y))
        return len(self.demonstrations)

    def chosen(self, text: str) -> list[tuple[str, str]]:
        """The demonstrations shown with ``text``, least similar first."""
        pool = [(i, pair) for i, pair in enumerate(self.demonstrations) if pair[0] != text]
        if not self.shots or not pool:
            return []
        if self.select == "first":
            return [pair for _, pair in pool[: self.shots]]
        query = _words(text)

        def similarity(entry: tuple[int, tuple[str, str]]) -> tuple[float, int]:
            words = _words(entry[1][0])
            return (len(query & words) / max(1, len(query | words)), -entry[0])

        best = sorted(pool, key=similarity, reverse=True)[: self.shots]
        return [pair for _, pair in reversed(best)]

    def _shot(self, text: str, program: str | None = None) -> str:
        filled = fill(self.template, text)
        if program is None:
            return filled
        return filled + ("" if filled[-1:].isspace() else " ") + program

    def _context(self, text: str) -> list[str]:
        """The instructions and demonstrations that come before ``text`` in a completion prompt."""
        parts = [self.instructions] if self.instructions else []
        return parts + [self._shot(x, y) for x, y in self.chosen(text)]

    def completion(self, text: str) -> str:
        """The completion prompt for ``text``."""
        return self.separator.join([*self._context(text), self._shot(text)])

    def chat(self, text: str) -> list[dict[str, str]]:
        """The chat messages for ``text``."""
        messages = [{"role": "system", "content": self.instructions}] if self.instructions else []
        for x, y in self.chosen(text):
            messages += [{"role": "user", "content": self._shot(x)}, {"role": "assistant", "content": y}]
        return [*messages, {"role": "user", "content": self._shot(text)}]

    def _note(self, message: str) -> str:
        return self.repair_note.replace("{message}", message)

    def repair_completion(self, text: str, program: str, message: str) -> str:
        """The completion prompt asking again for ``text`` after ``program`` was refused with ``message``.

        Example:
            >>> print(FewShotPrompt("Q: {input}\\nA:", shots=0).repair_completion("one plus", "add(1,", "line 1: unexpected end"))
            Q: one plus
            A: add(1,
            The solver refused that program: line 1: unexpected end
            Write a corrected program.
            <BLANKLINE>
            Q: one plus
            A:
        """
        refused = self._shot(text, program) + "\n" + self._note(message)
        return self.separator.join([*self._context(text), refused, self._shot(text)])

    def repair_chat(self, text: str, program: str, message: str) -> list[dict[str, str]]:
        """The chat messages asking again for ``text``: the refused ``program`` as the assistant's
        turn, then the solver's ``message`` as the user's."""
        return [*self.chat(text), {"role": "assistant", "content": program},
                {"role": "user", "content": self._note(message)}]
