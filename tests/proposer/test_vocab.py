"""Word vocabulary: building from data, encode/decode, unknown words, persistence, split functions."""

from __future__ import annotations

import json

import pytest

from nesy.errors import NesyError
from nesy.proposer.vocab import SPECIALS, Vocab


def test_build_encode_decode_round_trip():
    vocab = Vocab.build(["walk left twice", "I_TURN_LEFT I_WALK"])
    assert vocab.tokens[:4] == SPECIALS
    assert vocab.tokens[4:] == ("walk", "left", "twice", "I_TURN_LEFT", "I_WALK")
    ids = vocab.encode("walk twice", bos=True, eos=True)
    assert ids[0] == Vocab.bos_id and ids[-1] == Vocab.eos_id
    assert vocab.decode(ids) == "walk twice"


def test_unknown_words_map_to_unk():
    vocab = Vocab.build(["a b"])
    assert vocab.encode("a zebra b") == [vocab.id("a"), Vocab.unk_id, vocab.id("b")]
    assert vocab.decode(vocab.encode("a zebra")) == "a <unk>"
    assert vocab.decode([4, 999]) == "a <unk>"  # out-of-range ids do not crash


def test_decode_stops_at_eos_and_skips_padding():
    vocab = Vocab.build(["x y"])
    x, y = vocab.id("x"), vocab.id("y")
    assert vocab.decode([Vocab.bos_id, x, Vocab.pad_id, y, Vocab.eos_id, x]) == "x y"


def test_add_reports_only_new_tokens():
    vocab = Vocab.build(["a b"])
    assert vocab.add_texts(["b c", "c d"]) == 2
    assert len(vocab) == 4 + 4
    assert "c" in vocab and "<pad>" in vocab


def test_save_and_load_json(tmp_path):
    vocab = Vocab.build(["jump around", "J A"], split="regex:[A-Za-z]+", joiner="-")
    path = tmp_path / "vocab.json"
    vocab.save(path)
    data = json.loads(path.read_text())
    assert data["split"] == "regex:[A-Za-z]+"
    again = Vocab.load(path)
    assert again.tokens == vocab.tokens
    assert again.encode("jump, around!") == vocab.encode("jump around")
    assert again.decode(again.encode("J A")) == "J-A"


def test_char_split_keeps_spaces():
    vocab = Vocab.build(["ab ba"], split="chars", joiner="")
    assert vocab.decode(vocab.encode("ab ba", eos=True)) == "ab ba"


def test_custom_split_callable_must_be_given_again(tmp_path):
    def split(text):
        return text.split(",")

    vocab = Vocab.build(["a,b,c"], split=split, joiner=",")
    assert vocab.tokens[4:] == ("a", "b", "c")
    vocab.save(tmp_path / "v.json")
    with pytest.raises(NesyError, match="split="):
        Vocab.load(tmp_path / "v.json")
    assert Vocab.load(tmp_path / "v.json", split=split).encode("c,a") == vocab.encode("c,a")


def test_bad_splitter_and_bad_file(tmp_path):
    with pytest.raises(NesyError, match="unknown splitter"):
        Vocab(split="bytes")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(NesyError, match="cannot read"):
        Vocab.load(tmp_path / "bad.json")
