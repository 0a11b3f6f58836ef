"""Token-level work on a Hugging Face model: batched generation, teacher-forced scoring, loss.

:class:`TokenModel` hides the difference between an encoder-decoder model (source to the encoder,
program to the decoder) and a causal language model (prompt followed by the program in one
sequence). Everything here speaks token ids; turning text into ids is the proposer's job.

A target is the program's ids followed by the end token. A score is the sum of the target's
token log-probabilities under the model at temperature 1.

Example:
    >>> import torch
    >>> from transformers import BartConfig, BartForConditionalGeneration
    >>> _ = torch.manual_seed(0)
    >>> config = BartConfig(vocab_size=12, d_model=16, encoder_layers=1, decoder_layers=1,
    ...     encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32,
    ...     max_position_embeddings=32, pad_token_id=0, bos_token_id=1, eos_token_id=2, decoder_start_token_id=1)
    >>> tm = TokenModel(BartForConditionalGeneration(config).train(False), pad_id=0, eos_id=2, decoder_start_id=1)
    >>> outs = tm.generate([[5, 6, 2]], k=3, sample=True, max_new_tokens=4, seed=0)
    >>> len(outs[0])
    3
    >>> all(s <= 0 for s in tm.score([[5, 6, 2]] * 3, outs[0]))
    True
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

import torch
import torch.nn.functional as F
from transformers import GenerationConfig, LogitsProcessor, LogitsProcessorList, PreTrainedModel

from nesy.proposer.constraint import TokenConstraint
from nesy.proposer.device import seeded

log = logging.getLogger(__name__)

IGNORE = -100
Ids = Sequence[int]


def pad_ids(seqs: Sequence[Ids], value: int, *, left: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad id lists into a ``(batch, length)`` tensor and its attention mask.

    Example:
        >>> ids, mask = pad_ids([[5, 6], [7]], 0, left=True)
        >>> ids.tolist(), mask.tolist()
        ([[5, 6], [0, 7]], [[1, 1], [0, 1]])
    """
    width = max((len(s) for s in seqs), default=0)
    ids = torch.full((len(seqs), width), value, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for row, seq in enumerate(seqs):
        if not seq:
            continue
        span = slice(width - len(seq), width) if left else slice(0, len(seq))
        ids[row, span] = torch.as_tensor(list(seq), dtype=torch.long)
        mask[row, span] = 1
    return ids, mask


class ConstrainedLogits(LogitsProcessor):
    """Masks every token a :class:`~nesy.proposer.constraint.TokenConstraint` does not allow next.

    Args:
        constraint: What may come next.
        skip: Leading columns of the decoder's ids that are not generated program tokens (the
            decoder start token, or a causal LM's padded prompt).
        eos_id: Rows that already ended are left alone.
    """

    def __init__(self, constraint: TokenConstraint, skip: int, eos_id: int) -> None:
        self.constraint, self.skip, self.eos_id = constraint, skip, eos_id
        self._index: dict[int, tuple[object, torch.Tensor]] = {}  # id(allowed) -> (allowed, its index tensor)

    def _as_index(self, allowed: Sequence[int], width: int, device: torch.device) -> torch.Tensor:
        """The allowed ids as a tensor, made once per allowed-set object (constraints may reuse them)."""
        found = self._index.get(id(allowed))
        if found is not None and found[0] is allowed:
            return found[1]
        index = torch.as_tensor([i for i in allowed if 0 <= i < width], dtype=torch.long, device=device)
        if len(self._index) < 4096:
            self._index[id(allowed)] = (allowed, index)  # holding `allowed` keeps its id from being reused
        return index

    def __call__(self, input_ids: torch.LongTensor, scores: torch.Tensor) -> torch.Tensor:
        mask = torch.full_like(scores, float("-inf"))
        for row, ids in enumerate(input_ids[:, self.skip :].tolist()):
            if self.eos_id in ids:
                mask[row] = 0.0
                continue
            mask[row, self._as_index(self.constraint.allowed(ids), scores.shape[1], scores.device)] = 0.0
        return scores + mask


@dataclass
class TokenModel:
    """A Hugging Face model plus the special ids needed to train, score and sample it.

    Args:
        model: An encoder-decoder (``config.is_encoder_decoder``) or causal LM.
        pad_id: Padding id (may equal ``eos_id`` for causal LMs without a pad token).
        eos_id: The id that ends a program.
        decoder_start_id: First decoder input of an encoder-decoder model (ignored for causal LMs).
        suppress_ids: Ids never generated (e.g. pad/bos/unk of a word vocabulary).
    """

    model: PreTrainedModel
    pad_id: int
    eos_id: int
    decoder_start_id: int | None = None
    suppress_ids: tuple[int, ...] = ()

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device

    @property
    def is_encoder_decoder(self) -> bool:
        return bool(getattr(self.model.config, "is_encoder_decoder", False))

    # -- teacher forcing -------------------------------------------------------------------
    def logits_and_labels(self, sources: Sequence[Ids], targets: Sequence[Ids]) -> tuple[torch.Tensor, torch.Tensor]:
        """Logits aligned with target labels (``IGNORE`` where there is no target token)."""
        device = self.device
        if self.is_encoder_decoder:
            src, src_mask = pad_ids(sources, self.pad_id)
            dec_in, _ = pad_ids([[self.decoder_start_id, *t[:-1]] for t in targets], self.pad_id)
            labels, lab_mask = pad_ids(targets, self.pad_id)
            labels[lab_mask == 0] = IGNORE
            out = self.model(
                input_ids=src.to(device),
                attention_mask=src_mask.to(device),
                decoder_input_ids=dec_in.to(device),
                decoder_attention_mask=lab_mask.to(device),
                use_cache=False,
            )
            return out.logits, labels.to(device)
        joined = [list(s) + list(t) for s, t in zip(sources, targets)]
        ids, mask = pad_ids(joined, self.pad_id)
        labels = torch.full_like(ids, IGNORE)
        for row, (s, t) in enumerate(zip(sources, targets)):
            labels[row, len(s) : len(s) + len(t)] = torch.as_tensor(list(t), dtype=torch.long)
        out = self.model(input_ids=ids.to(device), attention_mask=mask.to(device), use_cache=False)
        return out.logits[:, :-1], labels[:, 1:].to(device)

    def loss_and_exact(
        self, sources: Sequence[Ids], targets: Sequence[Ids], *, label_smoothing: float = 0.0
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean token cross-entropy, and per pair whether greedy decoding would reproduce the target."""
        logits, labels = self.logits_and_labels(sources, targets)
        loss = F.cross_entropy(
            logits.reshape(-1, logits.shape[-1]).float(),
            labels.reshape(-1),
            ignore_index=IGNORE,
            label_smoothing=label_smoothing,
        )
        hit = (logits.argmax(-1) == labels) | (labels == IGNORE)
        return loss, hit.all(dim=1)

    @torch.no_grad()
    def score(self, sources: Sequence[Ids], targets: Sequence[Ids], *, batch_size: int = 64) -> list[float]:
        """Sum of target token log-probabilities, one float per (source, target) pair."""
        scores: list[float] = []
        for start in range(0, len(targets), batch_size):
            logits, labels = self.logits_and_labels(
                sources[start : start + batch_size], targets[start : start + batch_size]
            )
            logp = torch.log_softmax(logits.float(), dim=-1)
            picked = logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
            scores.extend((picked * (labels != IGNORE)).sum(dim=1).tolist())
        return scores

    # -- generation ------------------------------------------------------------------------
    def generation_config(self, *, k: int, sample: bool, temperature: float, max_new_tokens: int) -> GenerationConfig:
        """Plain ancestral sampling (no top-k/top-p) or beam search ranked by total log-probability."""
        options: dict[str, object] = dict(
            max_new_tokens=max_new_tokens,
            num_return_sequences=k,
            pad_token_id=self.pad_id,
            eos_token_id=self.eos_id,
            use_cache=True,
            repetition_penalty=1.0,
            no_repeat_ngram_size=0,
            encoder_no_repeat_ngram_size=0,
            min_length=0,
            suppress_tokens=list(self.suppress_ids) or None,
        )
        if self.is_encoder_decoder:
            options["decoder_start_token_id"] = self.decoder_start_id
        if sample:
            options.update(do_sample=True, num_beams=1, temperature=temperature, top_k=0, top_p=1.0, typical_p=1.0)
        else:
            options.update(do_sample=False, num_beams=k)
            if k > 1:
                options.update(length_penalty=0.0, early_stopping=True)
        return GenerationConfig(**options)

    @torch.no_grad()
    def generate(
        self,
        sources: Sequence[Ids],
        *,
        k: int,
        sample: bool,
        temperature: float = 1.0,
        max_new_tokens: int = 64,
        seed: int | None = None,
        constraint: TokenConstraint | None = None,
    ) -> list[list[tuple[int, ...]]]:
        """``k`` generated targets per source (sampled, or the ``k`` best beams), each ending in eos.

        With a ``constraint``, only tokens it allows are ever chosen (a logits mask at each step).
        """
        if not sources:
            return []
        device = self.device
        ids, mask = pad_ids(sources, self.pad_id, left=not self.is_encoder_decoder)
        config = self.generation_config(k=k, sample=sample, temperature=temperature, max_new_tokens=max_new_tokens)
        skip = 1 if self.is_encoder_decoder else ids.shape[1]
        processors = LogitsProcessorList([ConstrainedLogits(constraint, skip, self.eos_id)]) if constraint else None
        with seeded(seed, device):
            out = self.model.generate(
                input_ids=ids.to(device),
                attention_mask=mask.to(device),
                generation_config=config,
                logits_processor=processors,
            )
        rows = out[:, skip:].tolist()
        trimmed = [self._trim(row) for row in rows]
        return [trimmed[i * k : (i + 1) * k] for i in range(len(sources))]

    def _trim(self, row: list[int]) -> tuple[int, ...]:
        """Cut after the first eos; a sequence that ran out of length gets its eos appended, so
        its score is the model's probability of the program ending there, like any other."""
        if self.eos_id in row:
            return tuple(row[: row.index(self.eos_id) + 1])
        while row and row[-1] == self.pad_id:
            row = row[:-1]
        return (*row, self.eos_id)
