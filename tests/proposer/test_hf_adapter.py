"""HFProposer on tiny local checkpoints (T5 seq2seq, GPT-2 causal LM) built from configs: never downloads."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest  # noqa: E402
import torch  # noqa: E402
from tokenizers import Tokenizer, models, pre_tokenizers, processors  # noqa: E402
from transformers import (  # noqa: E402
    GPT2Config,
    GPT2LMHeadModel,
    PreTrainedTokenizerFast,
    T5Config,
    T5ForConditionalGeneration,
)

from nesy.errors import NesyError  # noqa: E402
from nesy.proposer import Proposer  # noqa: E402
from nesy.proposer.hf_adapter import HFProposer  # noqa: E402
from nesy.proposer.training import TrainConfig  # noqa: E402

WORDS = ["jump", "walk", "twice", "left", "J", "W", "L", "=>"]
PAIRS = [("jump twice", "J J"), ("walk", "W"), ("walk left", "L W"), ("jump", "J")]
FAST = TrainConfig(lr=3e-3, batch_size=4, warmup_steps=1, target_accuracy=1.0)


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/proposer/conftest.py


def word_tokenizer(*, eos_after_text: bool) -> PreTrainedTokenizerFast:
    """A whitespace word-level tokenizer; seq2seq style appends </s> to every encoded text."""
    vocab = {tok: i for i, tok in enumerate(["<pad>", "</s>", "<unk>", *WORDS])}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    if eos_after_text:
        core.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", 1)])
        return PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", eos_token="</s>", unk_token="<unk>")
    return PreTrainedTokenizerFast(tokenizer_object=core, eos_token="</s>", unk_token="<unk>")  # no pad token


@pytest.fixture(scope="module")
def t5_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny-t5")
    torch.manual_seed(0)
    config = T5Config(
        vocab_size=3 + len(WORDS),
        d_model=32,
        d_kv=16,
        d_ff=64,
        num_layers=1,
        num_decoder_layers=1,
        num_heads=2,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
        feed_forward_proj="relu",
    )
    T5ForConditionalGeneration(config).save_pretrained(path)
    word_tokenizer(eos_after_text=True).save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def gpt2_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny-gpt2")
    torch.manual_seed(0)
    config = GPT2Config(
        vocab_size=3 + len(WORDS), n_embd=32, n_layer=2, n_head=2, n_positions=64, bos_token_id=1, eos_token_id=1
    )
    GPT2LMHeadModel(config).save_pretrained(path)
    word_tokenizer(eos_after_text=False).save_pretrained(path)
    return path


def check_ranked(results, k, *, exactly=False):
    for candidates in results:
        programs = [c.program for c in candidates]
        assert len(programs) == len(set(programs)) and len(programs) <= k
        if exactly:
            assert len(programs) == k
        logprobs = [c.logprob for c in candidates]
        assert logprobs == sorted(logprobs, reverse=True) and all(lp <= 0 for lp in logprobs)


def test_seq2seq_checkpoint_proposes_ranked_candidates(t5_dir):
    proposer = HFProposer.from_pretrained(t5_dir, device="cpu", max_new_tokens=6)
    assert proposer.is_seq2seq and isinstance(proposer, Proposer)
    inputs = [x for x, _ in PAIRS]
    sampled = proposer.propose(inputs, 4, temperature=1.5, seed=0)
    check_ranked(sampled, 4)
    assert all(sum(c.count for c in cs) == 4 for cs in sampled)
    check_ranked(proposer.propose(inputs, 3, sample=False), 3, exactly=True)
    assert proposer.propose(inputs, 3, temperature=1.5, seed=9) == proposer.propose(inputs, 3, temperature=1.5, seed=9)


def test_seq2seq_logprobs_match_the_models_own_loss(t5_dir):
    proposer = HFProposer.from_pretrained(t5_dir, device="cpu", max_new_tokens=6)
    candidates = proposer.propose(["walk left"], 3, sample=False)[0]
    tok = proposer.tokenizer
    for cand in candidates:
        labels = tok(text_target=cand.program, return_tensors="pt").input_ids
        with torch.no_grad():
            loss = proposer.model(input_ids=tok("walk left", return_tensors="pt").input_ids, labels=labels).loss
        assert cand.logprob == pytest.approx(-loss.item() * labels.shape[1], abs=1e-4)


def test_seq2seq_fine_tuning_learns_the_pairs(t5_dir):
    proposer = HFProposer.from_pretrained(t5_dir, device="cpu", max_new_tokens=6)
    inputs, programs = zip(*PAIRS)
    before = sum(proposer.score(inputs, programs))
    report = proposer.fit(PAIRS, epochs=150, config=FAST)
    assert sum(proposer.score(inputs, programs)) > before
    assert report.accuracy == 1.0 and report.stopped_early
    assert proposer.predict(list(inputs)) == list(programs)


def test_causal_checkpoint_with_prompt_and_no_pad_token(gpt2_dir):
    proposer = HFProposer.from_pretrained(gpt2_dir, device="cpu", prompt_template="{input} =>", max_new_tokens=5)
    assert not proposer.is_seq2seq and proposer.tokenizer.pad_token_id is None
    inputs = [x for x, _ in PAIRS] + ["jump twice left walk"]
    check_ranked(proposer.propose(inputs, 4, temperature=1.5, seed=0), 4)
    check_ranked(proposer.propose(inputs, 3, sample=False), 3)
    # left padding in a batch must not change what each prompt generates
    assert proposer.predict(inputs) == [proposer.predict([x])[0] for x in inputs]


def test_causal_logprobs_match_teacher_forcing_and_fit_learns(gpt2_dir, tmp_path):
    proposer = HFProposer.from_pretrained(gpt2_dir, device="cpu", prompt_template="{input} =>", max_new_tokens=5)
    tok = proposer.tokenizer
    for cand in proposer.propose(["walk left"], 3, temperature=2.0, seed=1)[0]:
        prompt = tok("walk left =>")["input_ids"]
        target = tok(cand.program, add_special_tokens=False)["input_ids"] + [tok.eos_token_id]
        with torch.no_grad():
            logits = proposer.model(input_ids=torch.tensor([prompt + target])).logits[0]
        logp = torch.log_softmax(logits, -1)
        expected = sum(logp[len(prompt) - 1 + i, t].item() for i, t in enumerate(target))
        assert cand.logprob == pytest.approx(expected, abs=1e-4)
    report = proposer.fit(PAIRS, epochs=150, config=FAST)
    assert report.accuracy == 1.0
    assert proposer.predict([x for x, _ in PAIRS]) == [y for _, y in PAIRS]
    proposer.save(tmp_path / "tuned")
    again = HFProposer.from_pretrained(tmp_path / "tuned", device="cpu")
    assert again.prompt_template == "{input} =>" and again.max_new_tokens == 5
    assert again.predict([x for x, _ in PAIRS]) == [y for _, y in PAIRS]


def test_missing_or_broken_checkpoints_are_clear_errors(tmp_path, t5_dir):
    with pytest.raises(NesyError, match="no checkpoint at"):
        HFProposer.from_pretrained(tmp_path / "nothing-here")
    (tmp_path / "empty").mkdir()
    with pytest.raises(NesyError, match="not a Hugging Face checkpoint"):
        HFProposer.from_pretrained(tmp_path / "empty")
    no_tokenizer = tmp_path / "no-tokenizer"
    no_tokenizer.mkdir()
    (no_tokenizer / "config.json").write_bytes((t5_dir / "config.json").read_bytes())
    (no_tokenizer / "model.safetensors").write_bytes((t5_dir / "model.safetensors").read_bytes())
    with pytest.raises(NesyError, match="no tokenizer files"):
        HFProposer.from_pretrained(no_tokenizer)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{ not json")
    with pytest.raises(NesyError, match="cannot load the configuration"):
        HFProposer.from_pretrained(broken)
