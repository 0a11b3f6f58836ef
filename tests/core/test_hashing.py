"""Canonical JSON and check keys: the fast one-call encoding gives exactly the part-by-part text."""

from __future__ import annotations

import pytest

from nesy.budget import Budget
from nesy.checkkey import check_key
from nesy.hashing import canonical_json, canonical_json_items, content_hash

VALUES = [
    None, 0, -3, 10**30, 10**5000, 2.5, -0.0, float("nan"), float("inf"), True, False, "", "é\"\\\n\u2028",
    [1, [2, {"b": 1, "a": None}]], {"x": 8}, {"k": [1.0, 1, True]}, (1, 2), {}, [], object(), {1, 2},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_items_equal_part_by_part(value):
    for other in (None, 7, "p(x)", {"y": [1, 2]}):
        parts = (other, value, other)
        assert canonical_json_items(parts) == ",".join(canonical_json(p) for p in parts)


def test_check_key_is_the_content_hash_of_its_parts():
    budget = Budget(wall_seconds=3)
    for value in VALUES:
        expected = content_hash("check/v1", "fp", "check", "add(x, 1)", value, value, budget.to_dict())
        assert check_key("fp", "check", "add(x, 1)", value, value, budget) == expected


def test_unencodable_values_still_raise():
    with pytest.raises(TypeError):  # keys that cannot be sorted
        check_key("fp", "run", "p", {2: "a", "1": 3}, None, Budget())
    cyclic: list = []
    cyclic.append(cyclic)
    with pytest.raises(RecursionError):
        check_key("fp", "run", "p", cyclic, None, Budget())
