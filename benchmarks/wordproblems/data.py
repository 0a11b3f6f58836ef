"""Generating GSM-style word problems with SymPy programs (assignments and equations, one fragment per sentence).

Four families (templates in :mod:`~nesy.benchmarks.wordproblems.templates`):

* ``change``: one person's count changes step by step ("Tom buys 3 bags with 4 apples each.").
* ``compare``: a second person is introduced relative to the first ("Anna has 3 more apples than
  Tom."), counts change and move between them; the question asks one count, the total or the difference.
* ``think``: someone thinks of a number, transforms it step by step and says the result; what was it?
* ``linear``: a number described by one sentence ("A number doubled, then plus 3 is 17."); what is it?
  Its program follows the sentence left to right, one line per operation (``v = x``, ``v = 2*v``,
  ``v = v + 3``, ``eq = Eq(v, 17)``), not one nested expression. The sentence is one sentence with
  one fragment (all its lines), as a real data set would give it: which clause says which line is
  for the learner to find (``--set clauses=1``, :mod:`nesy.learn.clauses`). ``iid`` only: its one
  sentence grows with its operations, so a longer one would test length generalisation inside a
  sentence rather than more steps.

The program is SymPy-language text for :class:`~nesy.solvers.sympy_solver.SympySolver`:
``name = expression`` statements (names are the people's names, lower-cased; ``x`` is the
unknown) and, from the question, the final expression whose value is the answer. The answer is
computed here in plain Python while the story is drawn (a non-negative integer; divisions are
exact), and every gold program is checked against it on the SymPy backend.

``steps`` is the number of sentences that change or relate quantities (``linear``: operations):
``iid`` 2-4, ``hard`` 5-8.

Example:
    >>> [p] = generate("iid", 1, seed=0)
    >>> 2 <= p.meta["steps"] <= 4, isinstance(p.answer, int)
    (True, True)
    >>> checker().check(p.program, None, p.answer).status.value
    'ok'
"""

from __future__ import annotations

import random
from typing import Callable

from nesy.benchmarks.nlnames import FEMALE, MALE, ident
from nesy.benchmarks.nlprog import Problem, draw_problems, make_problem
from nesy.benchmarks.wordproblems import templates as T
from nesy.budget import Budget
from nesy.solvers.sympy_solver import SympySolver
from nesy.verdict import Status

STEPS = {"iid": (2, 4), "hard": (5, 8)}
FAMILIES = {"iid": ("change", "compare", "think", "linear"), "hard": ("change", "compare", "think")}
_BUDGET = Budget(wall_seconds=10)


def checker() -> SympySolver:
    """The suite's checker: the SymPy backend (check mode compares the program's value with the answer)."""
    return SympySolver()


class _Story:
    """Sentences and fragments being drawn, with the true counts kept beside them."""

    def __init__(self, rng: random.Random, item: str) -> None:
        self.rng, self.item = rng, item
        self.sentences: list[str] = []
        self.fragments: list[str] = []

    def say(self, choices, **fields) -> None:
        text, code = self.rng.choice(choices)
        fields["item"] = self.item
        fields.update({k.lower(): ident(v) for k, v in fields.items() if k in ("N", "M")})
        self.sentences.append(text.format(**fields))
        self.fragments.append(code.format(**fields))


def _step(story: _Story, counts: dict[str, int], who: str) -> None:
    """One change of ``who``'s count that keeps it a non-negative integer."""
    rng, value = story.rng, counts[who]
    options: list[Callable[[], None]] = []

    def add() -> None:
        k = rng.randint(2, 20)
        story.say(T.ADD, N=who, K=k); counts[who] = value + k  # noqa: E702

    def add_groups() -> None:
        g, k = rng.randint(2, 6), rng.randint(2, 12)
        story.say(T.ADD_GROUPS, N=who, G=g, K=k); counts[who] = value + g * k  # noqa: E702

    def sub() -> None:
        k = rng.randint(2, min(value, 20))
        story.say(T.SUB, N=who, K=k); counts[who] = value - k  # noqa: E702

    def sub_groups() -> None:
        g = rng.randint(2, 4)
        k = rng.randint(2, max(2, value // g))
        story.say(T.SUB_GROUPS, N=who, G=g, K=k); counts[who] = value - g * k  # noqa: E702

    def times() -> None:
        k = rng.randint(2, 3)
        story.say(T.TIMES, N=who, K=k); counts[who] = value * k  # noqa: E702

    def half() -> None:
        story.say(T.HALF, N=who); counts[who] = value // 2  # noqa: E702

    options += [add, add, add_groups]
    if value >= 2:
        options += [sub, sub]
    if value >= 16:
        options.append(sub_groups)
    if 0 < value <= 60:
        options.append(times)
    if value >= 2 and value % 2 == 0:
        options.append(half)
    rng.choice(options)()


def _change(rng: random.Random, steps: int, story: _Story, names: list[str]):
    who = names[0]
    counts = {who: rng.randint(5, 50)}
    story.say(T.START, N=who, K=counts[who])
    for _ in range(steps):
        _step(story, counts, who)
    story.say(T.ASK_ONE, N=who)
    return counts[who]


def _compare(rng: random.Random, steps: int, story: _Story, names: list[str]):
    first, second = names[:2]
    counts = {first: rng.randint(10, 50)}
    story.say(T.START, N=first, K=counts[first])
    kind = rng.choice(("more", "fewer", "times"))
    if kind == "more":
        k = rng.randint(2, 20)
        story.say(T.MORE_THAN, N=first, M=second, K=k); counts[second] = counts[first] + k  # noqa: E702
    elif kind == "fewer":
        k = rng.randint(2, counts[first] - 1)
        story.say(T.FEWER_THAN, N=first, M=second, K=k); counts[second] = counts[first] - k  # noqa: E702
    else:
        k = rng.randint(2, 3)
        story.say(T.TIMES_AS_MANY, N=first, M=second, K=k); counts[second] = counts[first] * k  # noqa: E702
    for _ in range(steps - 1):
        giver, taker = rng.sample([first, second], 2)
        if rng.random() < 0.35 and counts[giver] >= 2:
            k = rng.randint(2, min(counts[giver], 15))
            story.say(T.TRANSFER, N=giver, M=taker, K=k)
            counts[giver], counts[taker] = counts[giver] - k, counts[taker] + k
        else:
            _step(story, counts, rng.choice([first, second]))
    question = rng.choice(("one", "together", "difference"))
    if question == "one":
        who = rng.choice([first, second])
        story.say(T.ASK_ONE, N=who)
        return counts[who]
    if question == "together" or counts[first] == counts[second]:
        story.say(T.ASK_TOGETHER, N=first, M=second)
        return counts[first] + counts[second]
    big, small = (first, second) if counts[first] > counts[second] else (second, first)
    story.say(T.ASK_DIFFERENCE, N=big, M=small)
    return counts[big] - counts[small]


def _think(rng: random.Random, steps: int, story: _Story, names: list[str]):
    who, start = names[0], rng.randint(2, 30)
    value = start
    story.say(T.THINK, N=who)
    for _ in range(steps):
        divisors = [k for k in (2, 3, 4, 5) if value % k == 0 and value > 0]
        kind = rng.choice(["add", "mul"] + (["sub"] if value > 2 else []) + (["div"] if divisors else []) * 2)
        if kind == "add":
            k = rng.randint(1, 20)
            story.say(T.THINK_ADD, N=who, K=k); value += k  # noqa: E702
        elif kind == "sub":
            k = rng.randint(1, min(20, value - 1))
            story.say(T.THINK_SUB, N=who, K=k); value -= k  # noqa: E702
        elif kind == "mul":
            k = rng.randint(2, 5)
            story.say(T.THINK_MUL, N=who, K=k); value *= k  # noqa: E702
        else:
            k = rng.choice(divisors)
            story.say(T.THINK_DIV, N=who, K=k); value //= k  # noqa: E702
    story.say(T.THINK_RESULT, N=who, K=value)
    story.say(T.THINK_ASK, N=who)
    return start


def _linear(rng: random.Random, steps: int, story: _Story, names: list[str]):
    start = rng.randint(2, 30)
    value, lines, phrases = start, [f"{T.LINEAR_VAR} = x"], []
    for _ in range(steps):
        kind = rng.choice(("add", "sub", "mul", "double"))
        k = rng.randint(2, 5) if kind == "mul" else rng.randint(1, 20)
        phrase, line = rng.choice(T.LINEAR_OPS[kind])
        lines.append(line.format(K=k))
        phrases.append(phrase.format(K=k))
        value = {"add": value + k, "sub": value - k, "mul": value * k, "double": 2 * value}[kind]
    opener = rng.choice(("A number", "Some number", "A certain number"))
    story.sentences.append(linear_sentence(opener, phrases, value))
    story.fragments.append("\n".join(lines + [f"eq = Eq({T.LINEAR_VAR}, {value})"]))
    text, code = rng.choice(T.LINEAR_ASK)
    story.sentences.append(text)
    story.fragments.append(code)
    return start


def linear_sentence(opener: str, phrases: list[str], value: int) -> str:
    """The one-sentence description: the operations' phrases after the opener, comma-separated, the last after "then".

    Example:
        >>> linear_sentence("A number", ["doubled", "plus 3", "minus 4"], 17)
        'A number doubled, plus 3, then minus 4 is 17.'
        >>> linear_sentence("A number", ["doubled"], 6)
        'A number doubled is 6.'
    """
    if len(phrases) == 1:
        return f"{opener} {phrases[0]} is {value}."
    return f"{opener} " + ", ".join(phrases[:-1]) + f", then {phrases[-1]} is {value}."


_FAMILY = {"change": _change, "compare": _compare, "think": _think, "linear": _linear}


def _one(rng: random.Random, split: str, solver: SympySolver) -> Problem | None:
    family = rng.choice(FAMILIES[split])
    steps = rng.randint(*STEPS[split])
    names = rng.sample(MALE + FEMALE, 2)
    story = _Story(rng, rng.choice(T.ITEMS))
    answer = _FAMILY[family](rng, steps, story, names)
    if answer < 0:
        return None
    meta = {"suite": "wordproblems", "split": split, "family": family, "steps": steps}
    problem = make_problem(story.sentences, answer, story.fragments, meta)
    verdict = solver.check(problem.program, None, answer, _BUDGET)
    if verdict.status is not Status.OK:
        raise AssertionError(f"gold program of {problem.text!r} fails: {verdict.message}")  # a generator bug
    return problem


def generate(split: str, n: int, seed: int) -> list[Problem]:
    """``n`` problems of ``split`` (``iid``: 2-4 steps, ``hard``: 5-8), the same for the same seed."""
    if split not in STEPS:
        raise ValueError(f"unknown wordproblems split {split!r}")
    solver = checker()
    return draw_problems("wordproblems", split, n, seed, lambda rng: _one(rng, split, solver))
