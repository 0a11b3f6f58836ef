"""The SCAN generator reproduces the official command set exactly; the interpreter agrees with it."""

from __future__ import annotations

import gzip
import os
from collections import Counter
from pathlib import Path

import pytest

from nesy.benchmarks.scan.grammar import (
    ACTION_TOKENS,
    COMMAND_WORDS,
    generate_commands,
    interpret,
    interpret_tokens,
    sentence_phrases,
    verb_phrases,
)
from nesy.benchmarks.seqdata import format_scan_line
from nesy.errors import NesyError

REPO_ROOT = Path(__file__).resolve().parents[2]


def scan_data_dir() -> Path:
    """The reference SCAN files: $NESY_SCAN_DATA, else ../shared/data/scan next to the repository."""
    env = os.environ.get("NESY_SCAN_DATA", "").strip()
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "scan"


def official_tasks() -> Path | None:
    found = sorted(scan_data_dir().rglob("tasks.txt.gz")) + sorted(scan_data_dir().rglob("tasks.txt"))
    return found[0] if found else None


def test_counts_of_each_level():
    assert len(verb_phrases()) == 34
    assert len(sentence_phrases()) == 102
    pairs = generate_commands()
    assert len(pairs) == 102 + 2 * 102 * 102 == 20910
    assert len(set(pairs)) == 20910
    assert len({command for command, _ in pairs}) == 20910


def test_vocabulary_is_the_papers():
    pairs = generate_commands()
    assert {w for c, _ in pairs for w in c.split()} == set(COMMAND_WORDS)
    assert {t for _, a in pairs for t in a.split()} == set(ACTION_TOKENS)
    assert len(COMMAND_WORDS) == 13 and len(ACTION_TOKENS) == 6


def test_interpreter_agrees_with_generator_on_every_command():
    for command, actions in generate_commands():
        assert interpret(command) == actions, command


@pytest.mark.parametrize(
    "command, expected",
    [
        ("walk", "I_WALK"),
        ("turn left", "I_TURN_LEFT"),
        ("run right", "I_TURN_RIGHT I_RUN"),
        ("look opposite left", "I_TURN_LEFT I_TURN_LEFT I_LOOK"),
        ("turn opposite right", "I_TURN_RIGHT I_TURN_RIGHT"),
        ("turn around left", "I_TURN_LEFT I_TURN_LEFT I_TURN_LEFT I_TURN_LEFT"),
        ("jump around right", " ".join(["I_TURN_RIGHT I_JUMP"] * 4)),
        ("walk thrice", "I_WALK I_WALK I_WALK"),
        ("walk twice and jump", "I_WALK I_WALK I_JUMP"),
        ("walk twice after jump", "I_JUMP I_WALK I_WALK"),
        (
            "turn left after run opposite right twice",
            "I_TURN_RIGHT I_TURN_RIGHT I_RUN I_TURN_RIGHT I_TURN_RIGHT I_RUN I_TURN_LEFT",
        ),
    ],
)
def test_interpretation_rules(command, expected):
    assert interpret(command) == expected


@pytest.mark.parametrize(
    "command",
    ["", "turn", "walk walk", "jump around", "jump twice twice", "left walk", "walk and run and look",
     "walk and", "after walk", "walk opposite", "turn sideways left", "walk around left right", "WALK"],
)
def test_non_commands_are_refused_with_the_command_named(command):
    with pytest.raises(NesyError, match="not a SCAN command"):
        interpret_tokens(command)


def test_generated_set_equals_official_tasks_line_for_line():
    path = official_tasks()
    if path is None:
        pytest.skip(f"official SCAN tasks.txt(.gz) not found under {scan_data_dir()} (set NESY_SCAN_DATA)")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        official = Counter(line.rstrip("\n") for line in handle if line.strip())
    ours = Counter(format_scan_line(pair) for pair in generate_commands())
    assert sum(official.values()) == 20910
    assert ours == official
