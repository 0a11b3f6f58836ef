"""Vocabulary renaming: a seeded bijection, applied the same way to train and test, that changes every name."""

from __future__ import annotations

import re

import pytest

from nesy.benchmarks.scan.grammar import ACTION_TOKENS, COMMAND_WORDS, generate_commands
from nesy.benchmarks.scan.permute import make_permutation, permute_vocab
from nesy.benchmarks.scan.splits import addprim_split


@pytest.fixture(scope="module")
def scan_pairs():
    return generate_commands()


def test_bijection_over_the_whole_vocabulary(scan_pairs):
    perm = make_permutation(scan_pairs, seed=1)
    assert set(perm.input_map) == set(COMMAND_WORDS)
    assert set(perm.output_map) == set(ACTION_TOKENS)
    assert len(set(perm.input_map.values())) == 13
    assert len(set(perm.output_map.values())) == 6
    assert perm.inverse().apply(perm.apply(scan_pairs)) == scan_pairs


def test_every_name_changes_and_nothing_of_the_old_names_survives(scan_pairs):
    originals = set(COMMAND_WORDS) | set(ACTION_TOKENS)
    runs = {r for name in originals for r in re.findall(r"[a-z]{3,}", name.lower())}
    for seed in range(20):
        perm = make_permutation(scan_pairs, seed)
        new_names = list(perm.input_map.values()) + list(perm.output_map.values())
        assert not originals & set(new_names)
        assert not any(run in name.lower() for run in runs for name in new_names), seed
        inputs = {n.lower() for n in perm.input_map.values()}
        assert not inputs & {n.lower() for n in perm.output_map.values()}
        assert all(n.islower() for n in perm.input_map.values())
        assert all(n.isupper() for n in perm.output_map.values())


def test_train_and_test_renamed_consistently():
    train, test = addprim_split("jump")
    new_train, new_test = permute_vocab(train, test, seed=5)
    assert len(new_train) == len(train) and len(new_test) == len(test)
    mapping_in: dict[str, str] = {}
    mapping_out: dict[str, str] = {}
    for (src, tgt), (new_src, new_tgt) in zip(train + test, new_train + new_test):
        for old, new, mapping in [(src, new_src, mapping_in), (tgt, new_tgt, mapping_out)]:
            assert len(old.split()) == len(new.split())
            for a, b in zip(old.split(), new.split()):
                assert mapping.setdefault(a, b) == b
    # the held-out primitive only occurs alone in train: its new name appears in both sets
    jump = mapping_in["jump"]
    assert (jump, mapping_out["I_JUMP"]) in new_train
    assert all(jump in src.split() for src, _ in new_test)


def test_seed_determinism_and_order_independence(scan_pairs):
    a = make_permutation(scan_pairs, seed=11)
    assert a == make_permutation(list(reversed(scan_pairs)), seed=11)
    others = [make_permutation(scan_pairs, seed=s) for s in range(12, 16)]
    assert all(o.input_map != a.input_map for o in others)
    assert all(o.output_map != a.output_map for o in others)


def test_words_only_in_test_are_renamed_too():
    new_train, new_test = permute_vocab([("walk", "I_WALK")], [("blorp walk", "I_BLORP I_WALK")], seed=0)
    new_walk = new_train[0][0]
    blorp, walk = new_test[0][0].split()
    assert walk == new_walk and blorp not in ("blorp", new_walk)
    assert new_test[0][1].split()[1] == new_train[0][1]


def test_large_vocabulary():
    pairs = [(f"w{i} w{i + 1}", f"T{i}") for i in range(3000)]
    perm = make_permutation(pairs, seed=2)
    assert len(set(perm.input_map.values())) == 3001
    assert len(set(perm.output_map.values())) == 3000
