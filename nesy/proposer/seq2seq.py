"""A small word-level encoder-decoder proposer, trained from scratch on (input, program) pairs.

:class:`Seq2SeqProposer` couples a :class:`~nesy.proposer.vocab.Vocab` (grown from the data it is
fitted on) with a small BART- or T5-shaped transformer from :mod:`nesy.proposer.arch`. ``propose``
samples (or beam-searches) K programs per input in batches on the automatically chosen device;
each candidate carries its teacher-forced log-probability. Sampling is reproducible: each call
without ``seed=`` uses the configured seed plus the number of earlier calls.

Example:
    >>> p = Seq2SeqProposer(Seq2SeqConfig(model=ModelConfig(d_model=32, layers=1, heads=2, ffn_dim=64)), device="cpu")
    >>> report = p.fit([("a b", "B A"), ("b a", "A B")], steps=2)
    >>> report.steps
    2
    >>> [len(c) <= 3 for c in p.propose(["a b", "a a"], k=3)]
    [True, True]
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from transformers import AutoModelForSeq2SeqLM, PreTrainedModel

from nesy.errors import NesyError
from nesy.proposer.arch import ModelConfig, build_model, position_limit
from nesy.proposer.constraint import GrammarConstraint
from nesy.proposer.device import DeviceLike, pick_device, seeded
from nesy.proposer.engine import TokenModel
from nesy.proposer.grammars import CharGrammar
from nesy.proposer.protocol import Candidate, FitCallback, FitReport
from nesy.proposer.sampling import propose_candidates
from nesy.proposer.training import TrainConfig, train
from nesy.proposer.vocab import Splitter, Vocab

log = logging.getLogger(__name__)

CONFIG_FILE, VOCAB_FILE = "nesy_proposer.json", "word_vocab.json"


@dataclass(frozen=True)
class Seq2SeqConfig:
    """Everything that defines a :class:`Seq2SeqProposer` besides its weights and vocabulary.

    Attributes:
        model: Architecture and sizes.
        train: Default training options for ``fit``.
        split: Tokeniser for inputs and programs (see :class:`~nesy.proposer.vocab.Vocab`).
        joiner: Put between program tokens when decoding.
        max_new_tokens: Longest generated program in tokens (end token included); None: twice the
            longest program seen in training plus 8 (64 before any training), which keeps one
            wandering sample from running a whole batch to a fixed large limit.
        batch_size: Inputs per generation call.
        rounds: Sampling rounds at most (extra rounds only for inputs short of k distinct programs).
        seed: Base seed for sampling.
    """

    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    split: str = "whitespace"
    joiner: str = " "
    max_new_tokens: int | None = None
    batch_size: int = 64
    rounds: int = 1
    seed: int = 0

    def to_dict(self) -> dict:
        """A JSON-friendly form."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Seq2SeqConfig":
        """Inverse of :meth:`to_dict`."""
        data = dict(data)
        return cls(model=ModelConfig(**data.pop("model", {})), train=TrainConfig(**data.pop("train", {})), **data)


class Seq2SeqProposer:
    """Word-level encoder-decoder that proposes programs for inputs.

    Args:
        config: Sizes and options (defaults: BART, d_model 128, 3+3 layers, 4 heads, ffn 512).
        vocab: A vocabulary to start from (default: empty, grown by ``fit``).
        device: None picks CUDA when present, else CPU; or name one.
        split: A custom split callable (overrides ``config.split``; pass it again to ``load``).
        grammar: Constrain generation to this program language, so every proposed program is
            valid in it (see :mod:`nesy.proposer.constraint`); settable later as ``.grammar``,
            None turns it off. Not saved: pass it again to ``load``.
    """

    def __init__(
        self,
        config: Seq2SeqConfig | None = None,
        *,
        vocab: Vocab | None = None,
        device: DeviceLike = None,
        split: Splitter | None = None,
        grammar: CharGrammar | None = None,
        _model: PreTrainedModel | None = None,
    ) -> None:
        self.config = config or Seq2SeqConfig()
        self.vocab = vocab if vocab is not None else Vocab(split=split or self.config.split, joiner=self.config.joiner)
        self.device = pick_device(device)
        self._calls = 0
        self.grammar = grammar
        self._constraint: tuple[CharGrammar, int, GrammarConstraint] | None = None
        self.longest_program = 0  # in tokens, end token included; sets the automatic generation limit
        model = _model if _model is not None else build_model(self.config.model, len(self.vocab))
        self._tm = TokenModel(
            model.to(self.device).train(False),
            pad_id=Vocab.pad_id,
            eos_id=Vocab.eos_id,
            decoder_start_id=Vocab.bos_id,
            suppress_ids=(Vocab.pad_id, Vocab.bos_id, Vocab.unk_id),
        )

    @property
    def model(self) -> PreTrainedModel:
        """The underlying ``transformers`` model."""
        return self._tm.model

    @property
    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    # -- encoding --------------------------------------------------------------------------
    def _encode(self, text: str, *, what: str) -> list[int]:
        ids = self.vocab.encode(text, eos=True)
        limit = position_limit(self.config.model)
        if limit is not None and len(ids) > limit:
            raise NesyError(f"{what} has {len(ids)} tokens, more than max_positions={limit}: {text[:60]!r}")
        return ids

    def _sync_vocab(self) -> None:
        if len(self.vocab) > self.model.get_input_embeddings().num_embeddings:
            with seeded(self.config.model.seed + len(self.vocab), self.device):  # reproducible new rows
                self.model.resize_token_embeddings(len(self.vocab), mean_resizing=False)
            self.model.to(self.device)

    def _max_new_tokens(self, requested: int | None) -> int:
        automatic = 2 * self.longest_program + 8 if self.longest_program else 64
        wanted = requested or self.config.max_new_tokens or automatic
        limit = position_limit(self.config.model)
        return min(wanted, limit) if limit is not None else wanted

    def constraint(self) -> GrammarConstraint | None:
        """The token constraint of ``grammar`` over the current vocabulary (rebuilt when either changes)."""
        if self.grammar is None:
            return None
        cached = self._constraint
        if cached is None or cached[0] is not self.grammar or cached[1] != len(self.vocab):
            cached = (self.grammar, len(self.vocab), GrammarConstraint.from_vocab(self.grammar, self.vocab))
            self._constraint = cached
        return cached[2]

    # -- the proposer contract -------------------------------------------------------------
    def fit(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        epochs: int | None = None,
        steps: int | None = None,
        config: TrainConfig | None = None,
        callback: FitCallback | None = None,
        grow_vocab: bool = True,
    ) -> FitReport:
        """Train on ``(input, program)`` pairs.

        Args:
            pairs: Training pairs.
            epochs: Passes over the data (default ``config.train.epochs`` when ``steps`` is None too).
            steps: Optimiser steps at most.
            config: Training options (default ``self.config.train``).
            callback: Receives a :class:`~nesy.proposer.protocol.FitProgress` after each epoch.
            grow_vocab: Add unseen words to the vocabulary (else they become unk).

        Returns:
            A :class:`~nesy.proposer.protocol.FitReport`.
        """
        pairs = [(str(x), str(y)) for x, y in pairs]
        if grow_vocab:
            new = self.vocab.add_texts(text for pair in pairs for text in pair)
            if new:
                log.debug("vocabulary grew by %d words to %d", new, len(self.vocab))
                self._sync_vocab()
        encoded = [(self._encode(x, what="input"), self._encode(y, what="program")) for x, y in pairs]
        self.longest_program = max([self.longest_program, *(len(t) for _, t in encoded)])
        if not grow_vocab:
            unknown = sum(t.count(Vocab.unk_id) for _, t in encoded)
            if unknown:
                log.warning("%d program tokens are not in the vocabulary and were mapped to unk", unknown)
        return train(
            self._tm, encoded, epochs=epochs, steps=steps, config=config or self.config.train, callback=callback
        )

    def propose(
        self,
        inputs: Sequence[str],
        k: int,
        *,
        sample: bool = True,
        temperature: float = 1.0,
        seed: int | None = None,
        rounds: int | None = None,
        max_new_tokens: int | None = None,
    ) -> list[list[Candidate]]:
        """Up to ``k`` distinct programs per input, best first (see :mod:`nesy.proposer.sampling`).

        Args:
            inputs: Input texts; unknown words become unk.
            k: Samples per input, or the beam width when ``sample`` is False (``k=1``: greedy).
            sample: Sample (True) or beam search (False).
            temperature: Sampling temperature; log-probs are reported at temperature 1.
            seed: Seed for this call (default: ``config.seed`` plus the number of earlier calls).
            rounds: Sampling rounds at most (default ``config.rounds``).
            max_new_tokens: Longest program in tokens (default: see ``Seq2SeqConfig.max_new_tokens``).
        """
        if seed is None:
            seed = self.config.seed + self._calls
        self._calls += 1
        sources = [self._encode(str(x), what="input") for x in inputs]
        return propose_candidates(
            self._tm,
            sources,
            self.vocab.decode,
            k,
            sample=sample,
            temperature=temperature,
            max_new_tokens=self._max_new_tokens(max_new_tokens),
            batch_size=self.config.batch_size,
            rounds=rounds or self.config.rounds,
            seed=seed,
            constraint=self.constraint(),
        )

    def predict(self, inputs: Sequence[str]) -> list[str]:
        """The greedy program for each input."""
        return [c[0].program if c else "" for c in self.propose(inputs, 1, sample=False)]

    def score(self, inputs: Sequence[str], programs: Sequence[str]) -> list[float]:
        """Teacher-forced log-probability of each program (end token included) given its input."""
        sources = [self._encode(str(x), what="input") for x in inputs]
        targets = [self._encode(str(y), what="program") for y in programs]
        return self._tm.score(sources, targets, batch_size=self.config.batch_size)

    # -- persistence -----------------------------------------------------------------------
    def save(self, directory: str | Path) -> Path:
        """Write weights (``save_pretrained``), ``vocab.json`` and the config to ``directory``."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(path)
        self.vocab.save(path / VOCAB_FILE)
        meta = {
            "kind": "seq2seq",
            "format": 1,
            "config": self.config.to_dict(),
            "longest_program": self.longest_program,
        }
        (path / CONFIG_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(
        cls,
        directory: str | Path,
        *,
        device: DeviceLike = None,
        split: Splitter | None = None,
        grammar: CharGrammar | None = None,
    ) -> "Seq2SeqProposer":
        """Read a proposer written by :meth:`save` (pass ``split`` if it used a custom split callable,
        and ``grammar`` to constrain generation again)."""
        path = Path(directory)
        if not (path / CONFIG_FILE).is_file() or not (path / VOCAB_FILE).is_file():
            raise NesyError(f"{path} is not a saved Seq2SeqProposer (missing {CONFIG_FILE} or {VOCAB_FILE})")
        try:
            meta = json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
            config = Seq2SeqConfig.from_dict(meta["config"])
            model = AutoModelForSeq2SeqLM.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise NesyError(f"cannot load the proposer in {path}: {exc}") from exc
        vocab = Vocab.load(path / VOCAB_FILE, split=split)
        proposer = cls(config, vocab=vocab, device=device, grammar=grammar, _model=model)
        proposer.longest_program = int(meta.get("longest_program", 0))
        return proposer
