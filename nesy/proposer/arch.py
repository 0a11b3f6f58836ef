"""Small encoder-decoder transformers built from a ``transformers`` config, randomly initialised.

:class:`ModelConfig` holds the sizes; :func:`build_model` turns it into a
``BartForConditionalGeneration`` (learned positions, the default) or a
``T5ForConditionalGeneration`` (relative positions, no length limit) with the word vocabulary's
special ids (pad 0, bos 1 = decoder start, eos 2). Nothing is downloaded.

Example:
    >>> model = build_model(ModelConfig(d_model=32, layers=1, heads=2, ffn_dim=64), vocab_size=20)
    >>> type(model).__name__, model.config.d_model
    ('BartForConditionalGeneration', 32)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from transformers import (
    BartConfig,
    BartForConditionalGeneration,
    PreTrainedModel,
    T5Config,
    T5ForConditionalGeneration,
)

from nesy.errors import NesyError
from nesy.proposer.device import seeded
from nesy.proposer.vocab import Vocab

Arch = Literal["bart", "t5"]


@dataclass(frozen=True)
class ModelConfig:
    """Sizes of the encoder-decoder.

    Attributes:
        arch: ``"bart"`` (learned absolute positions) or ``"t5"`` (relative position buckets).
        d_model: Hidden size.
        layers: Encoder layers (and decoder layers unless ``decoder_layers`` is set).
        decoder_layers: Decoder layers, or None for ``layers``.
        heads: Attention heads (must divide ``d_model``).
        ffn_dim: Feed-forward inner size.
        dropout: Dropout on hidden states.
        max_positions: Longest source or target in tokens (BART's position table).
        seed: Seeds the random initialisation.
    """

    arch: Arch = "bart"
    d_model: int = 128
    layers: int = 3
    decoder_layers: int | None = None
    heads: int = 4
    ffn_dim: int = 512
    dropout: float = 0.1
    max_positions: int = 256
    seed: int = 0

    def __post_init__(self) -> None:
        if self.arch not in ("bart", "t5"):
            raise NesyError(f"unknown arch {self.arch!r}: use 'bart' or 't5'")
        if self.d_model % self.heads:
            raise NesyError(f"d_model ({self.d_model}) must be a multiple of heads ({self.heads})")
        if min(self.d_model, self.layers, self.heads, self.ffn_dim, self.max_positions) < 1:
            raise NesyError("model sizes must be positive")


def build_model(config: ModelConfig, vocab_size: int) -> PreTrainedModel:
    """A randomly initialised encoder-decoder for a vocabulary of ``vocab_size`` word ids."""
    decoder_layers = config.decoder_layers or config.layers
    specials = dict(pad_token_id=Vocab.pad_id, eos_token_id=Vocab.eos_id, decoder_start_token_id=Vocab.bos_id)
    if config.arch == "bart":
        hf_config = BartConfig(
            vocab_size=vocab_size,
            d_model=config.d_model,
            encoder_layers=config.layers,
            decoder_layers=decoder_layers,
            encoder_attention_heads=config.heads,
            decoder_attention_heads=config.heads,
            encoder_ffn_dim=config.ffn_dim,
            decoder_ffn_dim=config.ffn_dim,
            dropout=config.dropout,
            attention_dropout=0.0,
            activation_dropout=0.0,
            max_position_embeddings=config.max_positions,
            bos_token_id=Vocab.bos_id,
            forced_eos_token_id=None,
            scale_embedding=True,
            **specials,
        )
        model_class: type[PreTrainedModel] = BartForConditionalGeneration
    else:
        hf_config = T5Config(
            vocab_size=vocab_size,
            d_model=config.d_model,
            d_kv=config.d_model // config.heads,
            d_ff=config.ffn_dim,
            num_layers=config.layers,
            num_decoder_layers=decoder_layers,
            num_heads=config.heads,
            dropout_rate=config.dropout,
            feed_forward_proj="relu",
            **specials,
        )
        model_class = T5ForConditionalGeneration
    with seeded(config.seed):
        return model_class(hf_config)


def position_limit(config: ModelConfig) -> int | None:
    """Longest sequence the architecture can read, or None when unbounded.

    Example:
        >>> position_limit(ModelConfig(max_positions=64)), position_limit(ModelConfig(arch="t5"))
        (64, None)
    """
    return config.max_positions if config.arch == "bart" else None
