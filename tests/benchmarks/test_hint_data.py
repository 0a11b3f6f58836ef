"""HINT data layer: semantics, prefix feasibility, generated splits, drawn symbols, label files."""

from __future__ import annotations

import itertools
import json
import random
import re

import pytest
import torch

from nesy.benchmarks.hint.expressions import (
    MAX_LENGTH,
    Expression,
    can_complete,
    evaluate,
    largest_value,
    possible_lengths,
)
from nesy.benchmarks.hint.generate import make_hint_split, random_expression
from nesy.benchmarks.hint.labels import read_hint_file, write_hint_file
from nesy.benchmarks.hint.symbols import DRAWN, SYMBOLS, images_of, load_symbol_pools, render_symbol
from nesy.benchmarks.digits.images import ImagePool
from nesy.errors import NesyError


def ev(text: str) -> int | None:
    return evaluate(list(text))


# --- semantics ---------------------------------------------------------------------------------


def test_subtraction_is_floored_and_division_rounds_up():
    assert ev("2-7") == 0 and ev("7-2") == 5 and ev("3-3") == 0
    assert ev("7/2") == 4 and ev("6/3") == 2 and ev("1/9") == 1 and ev("0/5") == 0
    assert ev("9") == 9 and ev("0") == 0


def test_precedence_left_associativity_and_parentheses():
    assert ev("2+3*4") == 14 and ev("2*3+4") == 10
    assert ev("8-3-2") == 3  # (8-3)-2, not 8-(3-2)=7
    assert ev("2-5+4") == 4  # max(2-5,0)+4, not 2-9 -> 0
    assert ev("9/2/2") == 3  # ceil(ceil(9/2)/2) = ceil(5/2)
    assert ev("9/(2/2)") == 9 and ev("8-(3-2)") == 7
    assert ev("(2+3)*4") == 20 and ev("((3))") == 3 and ev("(3)") == 3
    assert ev("3+5*(2-4)") == 3 and ev("2*(3-5)+1") == 1
    assert ev("1-2*3+4") == 4 and ev("7/2*2") == 8


def test_division_by_zero_anywhere_invalidates():
    assert ev("1/0") is None and ev("3+4/0") is None and ev("5/(3-4)") is None and ev("0*(1/0)") is None
    assert ev("(1/0)-9") is None


@pytest.mark.parametrize("text", ["", "3+", "+3", "34", "3++4", "()", "(3", "3)", ")3(", "(3+4))", "3(4)", "(3)(4)", "x", "3+a"])
def test_ungrammatical_or_unknown_tokens_have_no_value(text):
    assert ev(text) is None


def test_evaluate_rejects_multi_character_tokens_and_deep_nesting_without_crashing():
    assert evaluate(["12", "+", "3"]) is None and evaluate(["3", " ", "+", "4"]) is None
    assert evaluate(["("] * 5000 + ["1"] + [")"] * 5000) in (1, None)


# --- can_complete ------------------------------------------------------------------------------


def grammatical(tokens) -> bool:
    """Independent recogniser: the language is E := E op E | (E) | digit; rewrite down to one E."""
    if any(t not in SYMBOLS for t in tokens):
        return False
    s = "".join("E" if t.isdigit() else t for t in tokens)
    while True:
        reduced = re.sub(r"\(E\)", "E", re.sub(r"E[-+*/]E", "E", s))
        if reduced == s:
            return s == "E"
        s = reduced


def completable_prefixes(alphabet, max_length):
    """{length: set of prefixes of grammatical sequences of that length}, by brute force."""
    out = {}
    for n in range(1, max_length + 1):
        prefixes = set()
        for seq in itertools.product(alphabet, repeat=n):
            if grammatical(seq):
                prefixes.update(seq[:k] for k in range(n + 1))
        out[n] = prefixes
    return out


def test_can_complete_matches_brute_force_exhaustively_over_all_symbols():
    alphabet = SYMBOLS
    truth = completable_prefixes(alphabet, 4)
    for n in range(0, 5):
        for k in range(0, n + 1):
            for prefix in itertools.product(alphabet, repeat=k):
                expected = n in truth and prefix in truth[n]
                assert can_complete(prefix, n) == expected, (prefix, n)


def test_can_complete_matches_brute_force_on_a_reduced_alphabet_up_to_seven():
    alphabet = ("4", "-", "/", "(", ")")  # digits and operators are interchangeable for the grammar
    truth = completable_prefixes(alphabet, 7)
    for n, prefixes in truth.items():
        for k in range(n + 1):
            for prefix in itertools.product(alphabet, repeat=k):
                assert can_complete(prefix, n) == (prefix in prefixes), (prefix, n)


def dfs_completable(prefix, length, alphabet=("1", "+", "(", ")")):
    rest = length - len(prefix)
    if rest < 0:
        return False
    return any(grammatical(list(prefix) + list(tail)) for tail in itertools.product(alphabet, repeat=rest))


def test_can_complete_on_random_prefixes_of_long_sequences():
    rng = random.Random(7)
    for _ in range(300):  # prefixes of real expressions: completable at their length, +2, never +1
        n = rng.choice(possible_lengths(1, MAX_LENGTH))
        tokens = random_expression(n, rng)
        k = rng.randint(0, n)
        assert can_complete(tokens[:k], n) and can_complete(tokens[:k], n + 2)
        assert not can_complete(tokens[:k], n + 1) and not can_complete(tokens, n - 1)
    tokens_pool = ["3", "+", "*", "(", ")"]
    for _ in range(60):  # random, mostly broken prefixes with up to five symbols left
        k = rng.randint(4, 10)
        prefix = [rng.choice(tokens_pool) for _ in range(k)]
        n = k + rng.randint(0, 5)
        assert can_complete(prefix, n) == dfs_completable(prefix, n), (prefix, n)


# --- generation --------------------------------------------------------------------------------


def test_possible_lengths_are_the_odd_ones():
    assert possible_lengths(1, 15) == [1, 3, 5, 7, 9, 11, 13, 15]
    for n in (2, 4, 6):
        assert random_expression(n, random.Random(0)) is None
    with pytest.raises(ValueError):
        random_expression(16, random.Random(0))
    assert largest_value(5) == 729 and ev("9*9*9") == 729


def test_random_expressions_have_the_length_and_value_asked_for():
    rng = random.Random(3)
    for n in possible_lengths(1, MAX_LENGTH):
        for _ in range(30):
            tokens = random_expression(n, rng, max_value=50, min_value=10 if n > 1 else 0)
            assert tokens is not None and len(tokens) == n and grammatical(tokens)
            assert (10 if n > 1 else 0) <= evaluate(tokens) <= 50
    assert random_expression(3, rng, min_value=82) is None  # 9*9 is the largest
    assert random_expression(5, rng, min_value=5, max_value=4) is None


def test_parentheses_are_frequent_but_never_directly_nested():
    rng = random.Random(1)
    samples = [random_expression(rng.choice([5, 7, 9, 11]), rng) for _ in range(500)]
    with_parens = sum("(" in t for t in samples) / len(samples)
    assert 0.25 < with_parens < 0.9
    assert not any(directly_nested(t) for t in samples)


def directly_nested(tokens) -> bool:
    """Whether some group's whole content is another group, as in ``((3+4))``."""
    match, stack = {}, []
    for i, t in enumerate(tokens):
        if t == "(":
            stack.append(i)
        elif t == ")":
            match[stack.pop()] = i
    return any(tokens[i + 1] == "(" and match[i + 1] == j - 1 for i, j in match.items())


@pytest.fixture(scope="module")
def split():
    return make_hint_split(0, 3000, 300)


def test_split_is_deterministic_and_seeded():
    a, b, c = make_hint_split(5, 300, 30), make_hint_split(5, 300, 30), make_hint_split(6, 300, 30)
    assert a == b and a.train != c.train


def test_training_expressions_are_short_small_correct_and_spread_over_lengths(split):
    assert len(split.train) == 3000
    counts = {n: 0 for n in (1, 3, 5, 7)}
    for e in split.train:
        assert isinstance(e, Expression) and evaluate(e.tokens) == e.value and 0 <= e.value <= 99
        counts[len(e.tokens)] += 1
    assert all(600 < c < 900 for c in counts.values()), counts  # uniform over the possible lengths
    assert any("(" in e.tokens for e in split.train)


def test_test_subsets_follow_their_definitions(split):
    train = {e.tokens for e in split.train}
    assert sorted(split.test) == ["I", "LL", "LS", "SL", "SS"]
    assert all(len(subset) == 300 for subset in split.test.values())
    assert all(e.tokens in train for e in split.test["I"])
    for name, subset in split.test.items():
        assert all(evaluate(e.tokens) == e.value for e in subset)
        if name != "I":
            assert not any(e.tokens in train for e in subset), name
        assert len({e.tokens for e in subset}) == len(subset), name  # distinct within a subset
    short = lambda e: len(e.tokens) <= 7
    small = lambda e: e.value <= 99
    assert all(short(e) and small(e) for e in split.test["SS"])
    assert all(not short(e) and len(e.tokens) <= 15 and small(e) for e in split.test["LS"])
    assert all(short(e) and not small(e) for e in split.test["SL"])
    assert all(not short(e) and len(e.tokens) <= 15 and not small(e) for e in split.test["LL"])
    assert {len(e.tokens) for e in split.test["LS"]} == {9, 11, 13, 15}


def test_an_unfillable_subset_comes_back_short_rather_than_hanging():
    split = make_hint_split(0, 50, 10, short_max=3, long_max=5)
    assert split.test["SL"] == []  # no 1- or 3-symbol expression exceeds 99
    assert len(split.test["LS"]) == 10


# --- symbols -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pools():
    return load_symbol_pools(seed=0)


def test_rendered_symbols_have_the_digits_shape_range_and_vary():
    rng = random.Random(0)
    for symbol in DRAWN:
        images = [render_symbol(symbol, rng) for _ in range(5)]
        for image in images:
            assert image.shape == (8, 8) and image.dtype == torch.float32
            assert float(image.min()) >= 0.0 and 0.6 <= float(image.max()) <= 1.0
        assert len({tuple(i.flatten().tolist()) for i in images}) == 5, symbol
    assert render_symbol("+", random.Random(4)).equal(render_symbol("+", random.Random(4)))
    assert tuple(render_symbol("(", rng, size=16).shape) == (16, 16)
    for bad in ("3", "x"):
        with pytest.raises(NesyError):
            render_symbol(bad, rng)


def test_drawn_symbols_are_separable_at_8x8(pools):
    from sklearn.linear_model import LogisticRegression

    def xy(pool):
        keep = pool.digits >= 10
        return pool.images[keep].flatten(1).numpy(), pool.digits[keep].numpy()

    model = LogisticRegression(max_iter=2000).fit(*xy(pools.train))
    assert model.score(*xy(pools.test)) > 0.95


def test_pools_hold_every_class_and_train_and_test_images_differ(pools):
    for pool, per in ((pools.train, 120), (pools.test, 40)):
        counts = torch.bincount(pool.digits, minlength=16)
        assert len(counts) == 16 and all(int(c) == per for c in counts[10:])
        assert all(int(c) > 0 for c in counts[:10])
    train, test = pools.train.images.flatten(1), pools.test.images.flatten(1)
    assert float(torch.cdist(test, train).min()) > 0  # no test image is a training image
    assert "load_digits" in pools.source


def test_images_of_picks_images_of_each_token(pools):
    rng = random.Random(0)
    tokens = list("3+5*(2-1)/4")
    indices = images_of(pools.train, tokens, rng)
    assert [SYMBOLS[int(pools.train.digits[i])] for i in indices] == tokens
    assert len(set(images_of(pools.train, ["+"] * 30, rng))) > 5
    with pytest.raises(NesyError, match="no image of"):
        images_of(ImagePool(torch.zeros(1, 8, 8), torch.tensor([3])), ["4"], rng)
    with pytest.raises(NesyError, match="unknown symbol"):
        images_of(pools.train, ["x"], rng)


# --- label files -------------------------------------------------------------------------------


def test_label_files_round_trip_and_report_each_problem_exactly(tmp_path):
    path = tmp_path / "hint.jsonl"
    good = make_hint_split(1, 20, 1).train
    write_hint_file(str(path), good)
    bad = [
        "not json",
        json.dumps({"expression": "3+4"}),
        json.dumps({"expression": "3x4", "value": 7}),
        json.dumps({"expression": "3+*4", "value": 7}),
        json.dumps({"expression": "1+" * 8 + "1", "value": 9}),
        json.dumps({"expression": "3/0", "value": 1}),
        json.dumps({"expression": "3+4", "value": 7.5}),
        json.dumps({"expression": "3+4", "value": -7}),
        json.dumps({"expression": "3+5", "value": 9}),
        json.dumps({"expression": 35, "value": 8}),
        json.dumps([1, 2]),
        "",
        json.dumps({"expression": "3 + 5", "value": 8}),
    ]
    with open(path, "a") as handle:
        handle.write("\n".join(bad) + "\n")
    expressions, problems = read_hint_file(str(path))
    assert expressions == good + [Expression(("3", "+", "5"), 8)]
    n = len(good)
    assert problems == [
        f"hint.jsonl:{n + 1}: not JSON (Expecting value)",
        f'hint.jsonl:{n + 2}: expected an object with "expression" and "value"',
        f"hint.jsonl:{n + 3}: unknown symbol 'x' in '3x4' (known: 0123456789+-*/())",
        f"hint.jsonl:{n + 4}: not a grammatical expression: '3+*4'",
        f"hint.jsonl:{n + 5}: 1+1+1+1+1+1+1+1+1 has 17 symbols, more than 15",
        f"hint.jsonl:{n + 6}: 3/0 divides by zero",
        f'hint.jsonl:{n + 7}: "value" must be an integer, got 7.5',
        f'hint.jsonl:{n + 8}: "value" must not be negative, got -7',
        f"hint.jsonl:{n + 9}: impossible value: 3+5 is 8, the label says 9",
        f'hint.jsonl:{n + 10}: "expression" must be a string, got 35',
        f'hint.jsonl:{n + 11}: expected an object with "expression" and "value"',
    ]


def test_an_unreadable_label_file_is_named(tmp_path):
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(NesyError, match="cannot read label file .*missing.jsonl"):
        read_hint_file(str(missing))
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(NesyError, match="binary.jsonl"):
        read_hint_file(str(binary))
