"""SCAN's phrase-structure grammar and its interpretation (Lake & Baroni 2018, appendix).

::

    C -> S and S | S after S | S
    S -> V twice | V thrice | V
    V -> D opposite D | D around D | D | U      (written out below: "U opposite left", ...)
    D -> U left | U right | turn left | turn right
    U -> walk | look | run | jump

Interpretation: ``walk`` = ``I_WALK`` (likewise look, run, jump); ``u left`` = ``I_TURN_LEFT u``;
``turn left`` = ``I_TURN_LEFT``; ``u opposite left`` = ``I_TURN_LEFT I_TURN_LEFT u``;
``u around left`` = ``(I_TURN_LEFT u) x 4``; ``turn opposite left`` = ``I_TURN_LEFT x 2``;
``turn around left`` = ``I_TURN_LEFT x 4`` (right alike); ``x twice`` = ``x x``; ``x thrice`` = ``x x x``;
``x1 and x2`` = ``x1 x2``; ``x1 after x2`` = ``x2 x1``.

Two independent routes are given: :func:`generate_commands` builds every command and its actions
bottom-up from the grammar, :func:`interpret` parses one command string. Tests check that they
agree and that the generated set equals the official ``tasks.txt``.

Example:
    >>> pairs = generate_commands()
    >>> len(pairs), len(set(pairs))
    (20910, 20910)
    >>> interpret("jump opposite left twice after turn right")
    'I_TURN_RIGHT I_TURN_LEFT I_TURN_LEFT I_JUMP I_TURN_LEFT I_TURN_LEFT I_JUMP'
"""

from __future__ import annotations

from functools import lru_cache

from nesy.errors import NesyError

from ..seqdata import Pair

PRIMITIVES: dict[str, str] = {"walk": "I_WALK", "look": "I_LOOK", "run": "I_RUN", "jump": "I_JUMP"}
"""U -> action token."""

DIRECTIONS: dict[str, str] = {"left": "I_TURN_LEFT", "right": "I_TURN_RIGHT"}
"""Direction word -> the turn token it adds."""

REPEATS: dict[str, int] = {"twice": 2, "thrice": 3}
CONJUNCTIONS: tuple[str, ...] = ("and", "after")
MODIFIERS: tuple[str, ...] = ("opposite", "around")
TURN = "turn"

ACTION_TOKENS: tuple[str, ...] = (*PRIMITIVES.values(), *DIRECTIONS.values())
"""The six output tokens."""

COMMAND_WORDS: tuple[str, ...] = (*PRIMITIVES, TURN, *DIRECTIONS, *MODIFIERS, *REPEATS, *CONJUNCTIONS)
"""The thirteen input words."""

Phrase = tuple[str, tuple[str, ...]]


def verb_phrases() -> list[Phrase]:
    """The 34 V phrases with their actions, built from the grammar.

    Example:
        >>> phrases = dict(verb_phrases())
        >>> len(phrases), phrases["turn opposite right"], phrases["look left"]
        (34, ('I_TURN_RIGHT', 'I_TURN_RIGHT'), ('I_TURN_LEFT', 'I_LOOK'))
    """
    phrases: list[Phrase] = [(word, (action,)) for word, action in PRIMITIVES.items()]
    for direction, turn in DIRECTIONS.items():
        for verb, action in [(TURN, ()), *((word, (tok,)) for word, tok in PRIMITIVES.items())]:
            phrases.append((f"{verb} {direction}", (turn, *action)))
            phrases.append((f"{verb} opposite {direction}", (turn, turn, *action)))
            phrases.append((f"{verb} around {direction}", (turn, *action) * 4))
    return phrases


def sentence_phrases() -> list[Phrase]:
    """The 102 S phrases: every V alone, twice and thrice."""
    phrases: list[Phrase] = []
    for verb, actions in verb_phrases():
        phrases.append((verb, actions))
        phrases.extend((f"{verb} {word}", actions * times) for word, times in REPEATS.items())
    return phrases


@lru_cache(maxsize=1)
def _all_pairs() -> tuple[Pair, ...]:
    sentences = sentence_phrases()
    pairs: list[Pair] = [(s, " ".join(a)) for s, a in sentences]
    for first, first_actions in sentences:
        for second, second_actions in sentences:
            pairs.append((f"{first} and {second}", " ".join(first_actions + second_actions)))
            pairs.append((f"{first} after {second}", " ".join(second_actions + first_actions)))
    return tuple(pairs)


def generate_commands() -> list[Pair]:
    """Every SCAN command with its action sequence: 20,910 distinct pairs, in grammar order."""
    return list(_all_pairs())


def _verb(words: list[str]) -> tuple[str, ...]:
    if len(words) == 1 and words[0] in PRIMITIVES:
        return (PRIMITIVES[words[0]],)
    if len(words) not in (2, 3) or words[0] not in (TURN, *PRIMITIVES) or words[-1] not in DIRECTIONS:
        raise ValueError(f"{' '.join(words)!r} is not a verb phrase")
    turn = DIRECTIONS[words[-1]]
    action = () if words[0] == TURN else (PRIMITIVES[words[0]],)
    if len(words) == 2:
        return (turn, *action)
    if words[1] == "opposite":
        return (turn, turn, *action)
    if words[1] == "around":
        return (turn, *action) * 4
    raise ValueError(f"{words[1]!r} is not 'opposite' or 'around'")


def _sentence(words: list[str]) -> tuple[str, ...]:
    if words and words[-1] in REPEATS:
        return _verb(words[:-1]) * REPEATS[words[-1]]
    return _verb(words)


def interpret_tokens(command: str) -> tuple[str, ...]:
    """The action tokens of one command.

    Raises:
        NesyError: the command is not in SCAN's grammar.

    Example:
        >>> interpret_tokens("walk and look opposite right")
        ('I_WALK', 'I_TURN_RIGHT', 'I_TURN_RIGHT', 'I_LOOK')
        >>> interpret_tokens("walk walk")
        Traceback (most recent call last):
        ...
        nesy.errors.NesyError: not a SCAN command: 'walk walk' ('walk walk' is not a verb phrase)
    """
    words = command.split()
    try:
        joints = [i for i, word in enumerate(words) if word in CONJUNCTIONS]
        if len(joints) > 1:
            raise ValueError("more than one 'and'/'after'")
        if not joints:
            return _sentence(words)
        first, second = _sentence(words[: joints[0]]), _sentence(words[joints[0] + 1 :])
        return first + second if words[joints[0]] == "and" else second + first
    except ValueError as exc:
        raise NesyError(f"not a SCAN command: {command!r} ({exc})") from None


def interpret(command: str) -> str:
    """The action sequence of one command, tokens joined by spaces (see :func:`interpret_tokens`)."""
    return " ".join(interpret_tokens(command))
