"""Stable content hashes of JSON-like values.

Example:
    >>> content_hash({"b": 1, "a": [1, 2]}) == content_hash({"a": [1, 2], "b": 1})
    True
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace; non-JSON values fall back to ``repr``.

    Integers too long for Python's int-to-text limit are written in hexadecimal.

    Example:
        >>> len(canonical_json(10**5000)) > 4000
        True
    """
    kind = type(value)
    if kind is str:  # the common parts of a check key (program text, None), without the encoder's Python frames
        return _encode_str(value)
    if value is None:
        return "null"
    if kind is int and -(10**18) < value < 10**18:
        return int.__repr__(value)
    try:
        return _dumps(value)
    except ValueError:  # an int over sys.get_int_max_str_digits()
        return _dumps(_hex_big_ints(value))


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=repr, ensure_ascii=False)
_encode_str = json.encoder.encode_basestring  # what _ENCODER writes for a str (ensure_ascii=False)


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)  # one encoder for every call: json.dumps with options builds a new one each time


# The C encoder that _ENCODER.encode itself calls, made once and called without encode's Python
# frames (a third of a small value's time). No circular-reference marks: a cyclic value recurses
# until RecursionError, and the caller then takes the checked path.
_C_ENCODE = (
    json.encoder.c_make_encoder(None, repr, _encode_str, None, ":", ",", True, False, True)
    if json.encoder.c_make_encoder is not None
    else None
)


def canonical_json_items(values: tuple) -> str:
    """``",".join(canonical_json(v) for v in values)``, encoded in one call.

    Example:
        >>> canonical_json_items(("x", {"b": 1, "a": 2.5}, None))
        '"x",{"a":2.5,"b":1},null'
        >>> canonical_json_items((10**5000,)) == canonical_json(10**5000)
        True
    """
    if _C_ENCODE is not None:
        try:
            return "".join(_C_ENCODE(values, 0))[1:-1]
        except (ValueError, RecursionError):  # a huge int or a cycle: the checked path says what to do
            pass
    return ",".join(canonical_json(value) for value in values)


def _hex_big_ints(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return {"__int_hex__": hex(value)} if value.bit_length() > 10_000 else value
    if isinstance(value, dict):
        return {str(k): _hex_big_ints(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_hex_big_ints(v) for v in value]
    return value


def content_hash(*parts: Any) -> str:
    """SHA-256 hex digest of the canonical JSON of ``parts``."""
    return hashlib.sha256(canonical_json(list(parts)).encode("utf-8")).hexdigest()
