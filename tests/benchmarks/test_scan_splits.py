"""Every rule-derived SCAN split equals the official files as multisets, train and test."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from nesy.benchmarks.scan.files import find_split_file
from nesy.benchmarks.scan.grammar import generate_commands
from nesy.benchmarks.scan.splits import RULE_SPLITS, addprim_split, contains_phrase, length_split, template_split
from nesy.benchmarks.seqdata import read_pairs
from nesy.errors import NesyError

REPO_ROOT = Path(__file__).resolve().parents[2]

# split -> (train lines, distinct train lines, test lines), as counted in the official files
EXPECTED_COUNTS = {
    "length": (16990, 16990, 3920),
    "addprim_jump": (14670, 13204, 7706),
    "addprim_turn_left": (21890, 19702, 1208),
    "template_around_right": (15225, 15225, 4476),
    "template_jump_around_right": (18528, 18528, 1173),
    "template_opposite_right": (15225, 15225, 4476),
    "template_right": (15225, 15225, 4476),
}


def scan_data_dir() -> Path:
    """The reference SCAN files: $NESY_SCAN_DATA, else ../shared/data/scan next to the repository."""
    env = os.environ.get("NESY_SCAN_DATA", "").strip()
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "scan"


def official(split: str, part: str) -> list[tuple[str, str]]:
    try:
        return read_pairs(find_split_file(split, part, scan_data_dir()))
    except NesyError as exc:
        pytest.skip(f"official SCAN files not available: {exc}")


def test_every_rule_split_is_listed():
    assert set(RULE_SPLITS) == set(EXPECTED_COUNTS)


@pytest.mark.parametrize("split", sorted(EXPECTED_COUNTS))
def test_counts(split):
    train, test = RULE_SPLITS[split]()
    n_train, n_distinct, n_test = EXPECTED_COUNTS[split]
    assert (len(train), len(set(train)), len(test), len(set(test))) == (n_train, n_distinct, n_test, n_test)
    assert not set(train) & set(test)


@pytest.mark.parametrize("split", sorted(EXPECTED_COUNTS))
def test_equals_official_files_as_multisets(split):
    train, test = RULE_SPLITS[split]()
    assert Counter(train) == Counter(official(split, "train"))
    assert Counter(test) == Counter(official(split, "test"))


def test_length_split_cuts_at_22_actions():
    train, test = length_split()
    assert max(len(a.split()) for _, a in train) == 22
    assert min(len(a.split()) for _, a in test) > 22
    assert len(train) + len(test) == 20910
    train_10, _ = length_split(max_train_actions=10)
    assert len(train_10) < len(train) and all(len(a.split()) <= 10 for _, a in train_10)


@pytest.mark.parametrize("primitive, copies", [("jump", 1467), ("turn left", 2189)])
def test_addprim_bare_command_is_ten_percent_of_train(primitive, copies):
    train, test = addprim_split(primitive)
    bare = [p for p in train if p[0] == primitive]
    assert len(bare) == copies and len(bare) * 10 == len(train)
    assert not any(contains_phrase(c, primitive) for c, _ in train if c != primitive)
    assert all(contains_phrase(c, primitive) and c != primitive for c, _ in test)


def test_addprim_turn_left_keeps_turn_around_left_in_train():
    train, _ = addprim_split("turn left")
    commands = {c for c, _ in train}
    assert {"turn around left", "turn opposite left twice", "walk left"} <= commands


@pytest.mark.parametrize(
    "split, suffix, held_out",
    [
        ("template_around_right", "around right", ("walk", "look", "run", "jump")),
        ("template_jump_around_right", "around right", ("jump",)),
        ("template_opposite_right", "opposite right", ("walk", "look", "run", "jump")),
        ("template_right", "right", ("walk", "look", "run", "jump")),
    ],
)
def test_template_rule(split, suffix, held_out):
    train, test = RULE_SPLITS[split]()
    assert (train, test) == template_split(suffix, held_out)
    dropped = {c for c, _ in generate_commands()} - {c for c, _ in train + test}
    assert len(dropped) == 1209
    assert all(contains_phrase(c, f"turn {suffix}") for c in dropped)
    assert all(any(contains_phrase(c, f"{u} {suffix}") for u in held_out) for c, _ in test)
    assert not any(contains_phrase(c, f"{u} {suffix}") for c, _ in train for u in held_out)


def test_jump_around_right_train_still_has_other_around_right():
    train, _ = RULE_SPLITS["template_jump_around_right"]()
    assert ("walk around right", " ".join(["I_TURN_RIGHT I_WALK"] * 4)) in train
    assert not any("jump around right" in c for c, _ in train)
