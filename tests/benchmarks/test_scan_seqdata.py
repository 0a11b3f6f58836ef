"""The generic sequence-pair reader/writer: SCAN lines and JSONL, plain or gzip, with clear errors."""

from __future__ import annotations

import gzip
import json

import pytest

from nesy.benchmarks.seqdata import format_scan_line, parse_scan_line, read_pairs, write_pairs
from nesy.errors import NesyError


def test_scan_lines_with_blank_lines_crlf_and_no_final_newline(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(b"IN: walk OUT: I_WALK\r\n\r\nIN:  jump   twice OUT: I_JUMP  I_JUMP\r\nIN: x OUT:")
    assert read_pairs(path) == [("walk", "I_WALK"), ("jump twice", "I_JUMP I_JUMP"), ("x", "")]


def test_gzip_is_detected_by_content_not_name(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(gzip.compress(b"IN: look left OUT: I_TURN_LEFT I_LOOK\n"))
    assert read_pairs(path) == [("look left", "I_TURN_LEFT I_LOOK")]


def test_jsonl_strings_and_token_lists(tmp_path):
    path = tmp_path / "data.jsonl.gz"
    lines = [{"input": "2 + 3", "output": "5", "id": 1}, {"input": ["a", "b"], "output": ["B", "A"]}]
    path.write_bytes(gzip.compress("\n".join(json.dumps(r) for r in lines).encode()))
    assert read_pairs(path) == [("2 + 3", "5"), ("a b", "B A")]


def test_jsonl_is_sniffed_from_first_line(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text('\n{"input": "héllo", "output": "wörld"}\n', encoding="utf-8")
    assert read_pairs(path) == [("héllo", "wörld")]


@pytest.mark.parametrize(
    "bad_line, why",
    [
        ("walk OUT: I_WALK", "expected 'IN: <input> OUT: <output>'"),
        ("IN: walk I_WALK", "expected"),
        ("IN: OUT: I_WALK", "expected"),
        ("IN: walk OUT:I_WALK", "expected"),
        ("IN: walk OUT: I_WALK OUT: I_RUN", "more than one"),
    ],
)
def test_malformed_scan_line_names_file_and_line(tmp_path, bad_line, why):
    path = tmp_path / "tasks_train_x.txt"
    path.write_text(f"IN: walk OUT: I_WALK\n\n{bad_line}\nIN: run OUT: I_RUN\n")
    with pytest.raises(NesyError) as info:
        read_pairs(path)
    message = str(info.value)
    assert message.startswith(f"{path}:3: malformed scan line")
    assert why in message


@pytest.mark.parametrize(
    "bad_line, why",
    [
        ('{"input": "a", "output": "b"', "not valid JSON"),
        ('["a", "b"]', "expected a JSON object"),
        ('{"input": "a"}', "missing field 'output'"),
        ('{"input": "a", "output": [1, 2]}', "must be a string or a list of strings"),
        ('{"input": "  ", "output": "b"}', "'input' is empty"),
    ],
)
def test_malformed_jsonl_line_names_file_and_line(tmp_path, bad_line, why):
    path = tmp_path / "data.jsonl"
    path.write_text('{"input": "a", "output": "b"}\n' + bad_line + "\n")
    with pytest.raises(NesyError, match=f"data.jsonl:2: malformed jsonl line: .*{why}"):
        read_pairs(path)


def test_unreadable_files_are_nesy_errors(tmp_path):
    with pytest.raises(NesyError, match="cannot read .*missing.txt"):
        read_pairs(tmp_path / "missing.txt")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("IN: caf\xe9 OUT: X\n".encode("latin-1"))
    with pytest.raises(NesyError, match="not UTF-8"):
        read_pairs(latin)
    broken = tmp_path / "broken.gz"
    broken.write_bytes(gzip.compress(b"IN: a OUT: b\n")[:-6])
    with pytest.raises(NesyError, match="broken.gz"):
        read_pairs(broken)


@pytest.mark.parametrize("fmt", ["scan", "jsonl"])
def test_write_then_read_round_trip(tmp_path, fmt):
    pairs = [("walk", "I_WALK"), ("a  b\tc", "X Y"), ("x", "")]
    path = tmp_path / f"out.{fmt}"
    assert write_pairs(path, pairs, fmt=fmt) == 3
    assert read_pairs(path, fmt=fmt) == [("walk", "I_WALK"), ("a b c", "X Y"), ("x", "")]


def test_pairs_that_cannot_be_scan_lines_are_refused():
    for pair in [("", "X"), ("go OUT: now", "X"), ("go", "IN: X")]:
        with pytest.raises(NesyError, match="cannot write"):
            format_scan_line(pair)
    assert parse_scan_line(format_scan_line(("go home", "A B"))) == ("go home", "A B")
