"""Device choice and the throughput probe."""

from __future__ import annotations

import pytest
import torch

from nesy.errors import NesyError
from nesy.proposer.arch import ModelConfig
from nesy.proposer.device import pick_device, seeded
from nesy.proposer.seq2seq import Seq2SeqConfig, Seq2SeqProposer
from nesy.proposer.throughput import measure_throughput


def test_automatic_choice_prefers_cuda_when_present():
    expected = "cuda" if torch.cuda.is_available() else None
    chosen = pick_device()
    if expected:
        assert chosen.type == expected
    else:
        assert chosen.type in ("mps", "cpu")
    assert pick_device("cpu") == torch.device("cpu")
    assert pick_device(torch.device("cpu")) == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_asking_for_missing_cuda_is_a_clear_error():
    with pytest.raises(NesyError, match="CUDA is not available"):
        pick_device("cuda")


def test_bad_device_name_is_a_clear_error():
    with pytest.raises(NesyError, match="not a device"):
        pick_device("quantum")


def test_seeded_restores_the_callers_random_state():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    with seeded(7):
        inside = torch.rand(3)
    assert torch.equal(torch.rand(3), expected)
    with seeded(7):
        assert torch.equal(torch.rand(3), inside)


def test_proposer_lands_on_the_chosen_device():
    proposer = Seq2SeqProposer(Seq2SeqConfig(model=ModelConfig(d_model=16, layers=1, heads=2, ffn_dim=32)))
    assert next(proposer.model.parameters()).device.type == pick_device().type


def test_measure_throughput_reports_each_batch_size():
    proposer = Seq2SeqProposer(
        Seq2SeqConfig(model=ModelConfig(d_model=16, layers=1, heads=2, ffn_dim=32), max_new_tokens=6), device="cpu"
    )
    proposer.fit([("a b", "B A"), ("b a", "A B")], steps=1)
    inputs = ["a b", "b a", "a a", "b b"]
    calls = []
    original = proposer.propose

    def counting(batch, k, **options):
        calls.append(len(batch))
        return original(batch, k, **options)

    proposer.propose = counting  # type: ignore[method-assign]
    rates = measure_throughput(proposer, inputs, k=3, batch_sizes=(1, 4))
    assert set(rates) == {1, 4} and all(rate > 0 for rate in rates.values())
    assert calls == [1, 1, 1, 1, 1, 4, 4]  # warm-up, then 4 single calls; warm-up, then one batch of 4
    with pytest.raises(NesyError):
        measure_throughput(proposer, inputs, k=1, batch_sizes=(0,))
