"""The small seq2seq proposer learns a toy mapping and proposes ranked, scored, reproducible candidates.

Toy task: reverse a sequence of 3-6 symbols and rename each symbol (``s3 s0 s5`` -> ``S5 S0 S3``).
One model is trained once per module (about 10-30 s on 2 CPU cores) and shared by the tests.
"""

from __future__ import annotations

import random

import pytest
import torch

from nesy.errors import NesyError
from nesy.proposer import Candidate, FitProgress, Proposer
from nesy.proposer.arch import ModelConfig
from nesy.proposer.seq2seq import Seq2SeqConfig, Seq2SeqProposer
from nesy.proposer.training import TrainConfig
from nesy.proposer.vocab import Vocab

SYMBOLS = [f"s{i}" for i in range(8)]


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/proposer/conftest.py


def reverse_rename(text: str) -> str:
    return " ".join(word.upper() for word in reversed(text.split()))


def toy_inputs(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seen: set[str] = set()
    while len(seen) < count:
        seen.add(" ".join(rng.choice(SYMBOLS) for _ in range(rng.randint(3, 6))))
    items = sorted(seen)
    rng.shuffle(items)
    return items


ALL = toy_inputs(2300, seed=0)
TRAIN, HELD_OUT = ALL[:2000], ALL[2000:]
TINY = Seq2SeqConfig(model=ModelConfig(d_model=32, layers=1, heads=2, ffn_dim=64), max_new_tokens=12)


def small_config(**train_options) -> Seq2SeqConfig:
    train = TrainConfig(lr=1e-3, batch_size=64, warmup_steps=30, epochs=40, target_accuracy=0.99, **train_options)
    return Seq2SeqConfig(model=ModelConfig(d_model=64, layers=2, heads=4, ffn_dim=256, dropout=0.0), train=train)


@pytest.fixture(scope="module")
def trained():
    proposer = Seq2SeqProposer(small_config(), device="cpu")
    progress: list[FitProgress] = []
    report = proposer.fit([(x, reverse_rename(x)) for x in TRAIN], callback=progress.append)
    return proposer, report, progress


def test_learns_toy_mapping_on_held_out_inputs(trained):
    proposer, report, progress = trained
    assert report.accuracy is not None and report.accuracy >= 0.99
    assert report.stopped_early and report.epochs < 40
    assert [p.step for p in progress] == sorted(p.step for p in progress) and progress[-1].step == report.steps
    assert progress[-1].loss < progress[0].loss
    predictions = proposer.predict(HELD_OUT)
    accuracy = sum(p == reverse_rename(x) for p, x in zip(predictions, HELD_OUT)) / len(HELD_OUT)
    assert accuracy >= 0.95


def test_is_a_proposer(trained):
    assert isinstance(trained[0], Proposer)


def test_beam_returns_k_distinct_candidates_best_first(trained):
    proposer = trained[0]
    inputs = HELD_OUT[:8]
    results = proposer.propose(inputs, 5, sample=False)
    greedy = proposer.predict(inputs)
    for candidates, best in zip(results, greedy):
        programs = [c.program for c in candidates]
        assert len(programs) == 5 == len(set(programs))
        logprobs = [c.logprob for c in candidates]
        assert logprobs == sorted(logprobs, reverse=True)
        assert all(lp <= 0 for lp in logprobs)
        assert programs[0] == best


def test_sampling_merges_duplicates_and_counts_them(trained):
    proposer = trained[0]
    results = proposer.propose(HELD_OUT[:16], 8, sample=True, temperature=3.0, seed=1)
    sizes = set()
    for candidates in results:
        programs = [c.program for c in candidates]
        assert len(programs) == len(set(programs)) <= 8
        assert sum(c.count for c in candidates) == 8
        assert [c.logprob for c in candidates] == sorted((c.logprob for c in candidates), reverse=True)
        assert all(c.logprob <= 0 for c in candidates)
        sizes.add(len(candidates))
    assert max(sizes) > 1  # a hot temperature gives more than one program for some input


def test_extra_rounds_find_more_distinct_programs(trained):
    proposer = trained[0]
    one = proposer.propose(HELD_OUT[:16], 4, temperature=1.5, seed=3, rounds=1)
    four = proposer.propose(HELD_OUT[:16], 4, temperature=1.5, seed=3, rounds=4)
    assert sum(map(len, four)) > sum(map(len, one))
    assert all(len(c) <= 4 for c in four)


def test_logprobs_agree_with_teacher_forced_scoring(trained):
    proposer = trained[0]
    inputs = HELD_OUT[:4]
    results = proposer.propose(inputs, 4, temperature=2.0, seed=5)
    for text, candidates in zip(inputs, results):
        src = torch.tensor([proposer.vocab.encode(text, eos=True)])
        for cand in candidates:
            target = proposer.vocab.encode(cand.program, eos=True)
            dec_in = torch.tensor([[Vocab.bos_id, *target[:-1]]])
            with torch.no_grad():
                logits = proposer.model(input_ids=src, decoder_input_ids=dec_in).logits[0]
            expected = torch.log_softmax(logits, -1)[torch.arange(len(target)), torch.tensor(target)].sum().item()
            assert cand.logprob == pytest.approx(expected, abs=1e-4)
        scored = proposer.score([text] * len(candidates), [c.program for c in candidates])
        assert scored == pytest.approx([c.logprob for c in candidates], abs=1e-4)


def test_sampling_is_reproducible_with_a_seed(trained):
    proposer = trained[0]
    first = proposer.propose(HELD_OUT[:6], 6, temperature=2.0, seed=11)
    again = proposer.propose(HELD_OUT[:6], 6, temperature=2.0, seed=11)
    assert first == again


def test_batch_of_one_and_of_64_give_the_same_greedy_outputs(trained):
    proposer = trained[0]
    inputs = HELD_OUT[:64]
    batched = proposer.predict(inputs)
    single = [proposer.predict([x])[0] for x in inputs]
    assert batched == single


def test_save_load_round_trip_gives_identical_outputs(trained, tmp_path):
    proposer = trained[0]
    proposer.save(tmp_path / "model")
    loaded = Seq2SeqProposer.load(tmp_path / "model", device="cpu")
    assert loaded.vocab.tokens == proposer.vocab.tokens
    assert loaded.config == proposer.config
    inputs = HELD_OUT[:32]
    assert loaded.predict(inputs) == proposer.predict(inputs)
    a = proposer.propose(inputs[:4], 4, temperature=2.0, seed=2)
    b = loaded.propose(inputs[:4], 4, temperature=2.0, seed=2)
    assert [[c.program for c in cs] for cs in a] == [[c.program for c in cs] for cs in b]
    assert [c.logprob for cs in a for c in cs] == pytest.approx([c.logprob for cs in b for c in cs], abs=1e-5)


def test_unknown_input_words_map_to_unk_without_crashing(trained):
    proposer = trained[0]
    results = proposer.propose(["s1 zebra s2", "quux", ""], 3, sample=False)
    assert [len(r) for r in results] == [3, 3, 3]
    assert all("<unk>" not in c.program and "<pad>" not in c.program for r in results for c in r)
    assert proposer.vocab.encode("s1 zebra")[1] == Vocab.unk_id


def test_fit_grows_the_vocabulary_and_learns_new_words():
    proposer = Seq2SeqProposer(TINY, device="cpu")
    proposer.fit([("a", "A")], steps=1)
    size = len(proposer.vocab)
    fast = TrainConfig(lr=1e-2, warmup_steps=1, target_accuracy=1.0)
    report = proposer.fit([("a", "A"), ("b", "B"), ("c c", "C C")], epochs=200, config=fast)
    assert len(proposer.vocab) == size + 4
    assert proposer.model.get_input_embeddings().num_embeddings == len(proposer.vocab)
    assert report.stopped_early and report.accuracy == 1.0
    assert proposer.predict(["b", "c c"]) == ["B", "C C"]


def test_steps_limit_and_reproducible_training():
    pairs = [(x, reverse_rename(x)) for x in TRAIN[:200]]
    runs = []
    for _ in range(2):
        proposer = Seq2SeqProposer(TINY, device="cpu")
        report = proposer.fit(pairs, steps=5)
        assert report.steps == 5 and report.epochs == pytest.approx(5 / 4)
        assert not report.stopped_early and len(report.history) == 2
        runs.append(proposer.score(HELD_OUT[:5], [reverse_rename(x) for x in HELD_OUT[:5]]))
    assert runs[0] == runs[1]


def test_t5_architecture_trains_proposes_and_round_trips(tmp_path):
    config = Seq2SeqConfig(model=ModelConfig(arch="t5", d_model=32, layers=1, heads=2, ffn_dim=64), max_new_tokens=8)
    proposer = Seq2SeqProposer(config, device="cpu")
    proposer.fit([(x, reverse_rename(x)) for x in TRAIN[:64]], steps=3)
    results = proposer.propose(HELD_OUT[:3], 3, sample=False)
    assert all(len(r) == 3 for r in results)
    proposer.save(tmp_path / "t5")
    loaded = Seq2SeqProposer.load(tmp_path / "t5", device="cpu")
    assert loaded.predict(HELD_OUT[:5]) == proposer.predict(HELD_OUT[:5])


def test_clear_errors():
    proposer = Seq2SeqProposer(TINY, device="cpu")
    with pytest.raises(NesyError, match="k must be"):
        proposer.propose(["a"], 0)
    with pytest.raises(NesyError, match="temperature"):
        proposer.propose(["a"], 2, temperature=0.0)
    with pytest.raises(NesyError, match="at least one"):
        proposer.fit([])
    with pytest.raises(NesyError, match="max_positions"):
        proposer.propose(["w " * 300], 1)
    with pytest.raises(NesyError, match="not a saved"):
        Seq2SeqProposer.load("/nonexistent/dir")
    with pytest.raises(NesyError, match="multiple of heads"):
        ModelConfig(d_model=30, heads=4)
    assert proposer.propose([], 3) == []


def test_candidate_is_frozen_and_serialisable():
    cand = Candidate("S1 S2", -0.25, count=2)
    with pytest.raises(AttributeError):
        cand.logprob = 0.0  # type: ignore[misc]
    assert cand.to_dict() == {"program": "S1 S2", "logprob": -0.25, "count": 2}
