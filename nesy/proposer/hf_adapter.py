"""A proposer around any local Hugging Face checkpoint: seq2seq, or causal LM with a prompt.

:meth:`HFProposer.from_pretrained` loads a model and its tokenizer from a directory with
``local_files_only=True`` (nothing is downloaded). An encoder-decoder reads the input and writes
the program; a causal LM continues ``prompt_template`` (``{input}`` replaced by the input) with
the program and its end token. Generation is batched (``num_return_sequences=k``); log-probs are
teacher-forced sums over the program's tokens, end token included. ``fit`` runs plain supervised
fine-tuning on ``(input, program)`` pairs, with the loss on program tokens only.

Example:
    >>> HFProposer.from_pretrained("/nonexistent/checkpoint")
    Traceback (most recent call last):
    ...
    nesy.errors.NesyError: no checkpoint at /nonexistent/checkpoint
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Literal, Sequence

from transformers import (
    AutoConfig,
    AutoModelForCausalLM,
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)

from nesy.errors import NesyError
from nesy.proposer.constraint import GrammarConstraint
from nesy.proposer.device import DeviceLike, pick_device
from nesy.proposer.engine import TokenModel
from nesy.proposer.grammars import CharGrammar
from nesy.proposer.protocol import Candidate, FitCallback, FitReport
from nesy.proposer.sampling import propose_candidates
from nesy.proposer.training import TrainConfig, train

log = logging.getLogger(__name__)

OPTIONS_FILE = "nesy_proposer.json"
Kind = Literal["auto", "seq2seq", "causal"]
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.json",
    "tokenizer.model",
    "spiece.model",
    "vocab.txt",
)
FINE_TUNE = TrainConfig(lr=5e-5, batch_size=16, warmup_steps=10, epochs=1)


class HFProposer:
    """Proposes programs with a Hugging Face model and tokenizer.

    Args:
        model: A seq2seq (``config.is_encoder_decoder``) or causal LM.
        tokenizer: Its tokenizer (a pad token is optional: the end token is used instead).
        device: None picks CUDA when present, else CPU.
        prompt_template: For causal LMs, the prompt; ``{input}`` is replaced by the input.
        max_new_tokens: Longest generated program in tokens.
        batch_size: Inputs per generation call.
        rounds: Sampling rounds at most (extra rounds only for inputs short of k distinct programs).
        seed: Base seed for sampling.
        train_config: Default fine-tuning options.
        grammar: Constrain generation to this program language, so every proposed program is
            valid in it (see :mod:`nesy.proposer.constraint`); settable later as ``.grammar``,
            None turns it off. Not saved: pass it again to ``from_pretrained``.
    """

    def __init__(
        self,
        model: PreTrainedModel,
        tokenizer: PreTrainedTokenizerBase,
        *,
        device: DeviceLike = None,
        prompt_template: str = "{input}",
        max_new_tokens: int = 64,
        batch_size: int = 32,
        rounds: int = 1,
        seed: int = 0,
        train_config: TrainConfig = FINE_TUNE,
        grammar: CharGrammar | None = None,
    ) -> None:
        self.tokenizer = tokenizer
        self.grammar = grammar
        self._constraint: tuple[CharGrammar, GrammarConstraint] | None = None
        self.device = pick_device(device)
        self.prompt_template = prompt_template
        self.max_new_tokens = max_new_tokens
        self.batch_size = batch_size
        self.rounds = rounds
        self.seed = seed
        self.train_config = train_config
        self._calls = 0
        eos = tokenizer.eos_token_id if tokenizer.eos_token_id is not None else model.config.eos_token_id
        if isinstance(eos, list):
            eos = eos[0]
        if eos is None:
            raise NesyError("the tokenizer has no end-of-sequence token; set tokenizer.eos_token")
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos
        start = None
        if model.config.is_encoder_decoder:
            start = model.generation_config.decoder_start_token_id
            start = start if start is not None else model.config.decoder_start_token_id
            start = start if start is not None else pad
        # never generate padding or unknown (nor, in a causal LM, a second beginning-of-text)
        unwanted = {pad, tokenizer.unk_token_id} | ({tokenizer.bos_token_id} if start is None else set())
        suppress = tuple(sorted(i for i in unwanted if i is not None and i != eos))
        self._tm = TokenModel(
            model.to(self.device).train(False), pad_id=pad, eos_id=eos, decoder_start_id=start, suppress_ids=suppress
        )

    @classmethod
    def from_pretrained(
        cls,
        path: str | Path,
        *,
        kind: Kind = "auto",
        device: DeviceLike = None,
        dtype: object = None,
        **options: object,
    ) -> "HFProposer":
        """Load a model and tokenizer from a local directory; ``options`` go to the constructor.

        Args:
            path: A directory written by ``save_pretrained`` (model and tokenizer), or by :meth:`save`.
            kind: ``"seq2seq"``, ``"causal"``, or ``"auto"`` (from ``config.is_encoder_decoder``).
            device: None picks CUDA when present, else CPU.
            dtype: A torch dtype for the weights (default: as stored).

        Raises:
            NesyError: The path is missing, is not a checkpoint, or does not load.
        """
        root = Path(path)
        if not root.exists():
            raise NesyError(f"no checkpoint at {path}")
        if not (root / "config.json").is_file():
            raise NesyError(f"{path} is not a Hugging Face checkpoint (no config.json)")
        try:
            config = AutoConfig.from_pretrained(root, local_files_only=True)
            saved = root / OPTIONS_FILE
            if saved.is_file():
                options = {**json.loads(saved.read_text(encoding="utf-8")).get("options", {}), **options}
        except (OSError, ValueError, KeyError) as exc:
            raise NesyError(f"cannot load the configuration in {path}: {exc}") from exc
        if not any((root / name).is_file() for name in TOKENIZER_FILES):
            raise NesyError(f"{path} has no tokenizer files (expected one of {', '.join(TOKENIZER_FILES)})")
        if kind == "auto":
            kind = "seq2seq" if getattr(config, "is_encoder_decoder", False) else "causal"
        loader = AutoModelForSeq2SeqLM if kind == "seq2seq" else AutoModelForCausalLM
        try:
            model = loader.from_pretrained(root, local_files_only=True, **({"dtype": dtype} if dtype else {}))
        except (OSError, ValueError, KeyError) as exc:
            raise NesyError(f"cannot load a {kind} model from {path}: {exc}") from exc
        try:
            tokenizer = AutoTokenizer.from_pretrained(root, local_files_only=True)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise NesyError(f"cannot load a tokenizer from {path}: {exc}") from exc
        return cls(model, tokenizer, device=device, **options)  # type: ignore[arg-type]

    @property
    def model(self) -> PreTrainedModel:
        """The underlying ``transformers`` model."""
        return self._tm.model

    @property
    def is_seq2seq(self) -> bool:
        return self._tm.is_encoder_decoder

    def constraint(self) -> GrammarConstraint | None:
        """The token constraint of ``grammar`` over the tokenizer's vocabulary (built once per grammar)."""
        if self.grammar is None:
            return None
        if self._constraint is None or self._constraint[0] is not self.grammar:
            built = GrammarConstraint.from_tokenizer(self.grammar, self.tokenizer, self._tm.eos_id)
            self._constraint = (self.grammar, built)
        return self._constraint[1]

    # -- text <-> ids ----------------------------------------------------------------------
    def _source(self, text: str) -> list[int]:
        if self.is_seq2seq:
            ids = list(self.tokenizer(text)["input_ids"])
        else:
            ids = list(self.tokenizer(self.prompt_template.replace("{input}", text))["input_ids"])
        if not ids:
            ids = [self.tokenizer.bos_token_id if self.tokenizer.bos_token_id is not None else self._tm.eos_id]
        return ids

    def _target(self, program: str) -> list[int]:
        if self.is_seq2seq:
            ids = list(self.tokenizer(text_target=program)["input_ids"])
        else:
            ids = list(self.tokenizer(program, add_special_tokens=False)["input_ids"])
        if not ids or ids[-1] != self._tm.eos_id:
            ids.append(self._tm.eos_id)
        return ids

    def _decode(self, ids: Sequence[int]) -> str:
        return self.tokenizer.decode(list(ids), skip_special_tokens=True).strip()

    # -- the proposer contract -------------------------------------------------------------
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
        """Up to ``k`` distinct programs per input, best first (see :mod:`nesy.proposer.sampling`)."""
        if seed is None:
            seed = self.seed + self._calls
        self._calls += 1
        return propose_candidates(
            self._tm,
            [self._source(str(x)) for x in inputs],
            self._decode,
            k,
            sample=sample,
            temperature=temperature,
            max_new_tokens=max_new_tokens or self.max_new_tokens,
            batch_size=self.batch_size,
            rounds=rounds or self.rounds,
            seed=seed,
            constraint=self.constraint(),
        )

    def predict(self, inputs: Sequence[str]) -> list[str]:
        """The greedy program for each input."""
        return [c[0].program if c else "" for c in self.propose(inputs, 1, sample=False)]

    def score(self, inputs: Sequence[str], programs: Sequence[str]) -> list[float]:
        """Teacher-forced log-probability of each program (end token included) given its input."""
        sources = [self._source(str(x)) for x in inputs]
        return self._tm.score(sources, [self._target(str(y)) for y in programs], batch_size=self.batch_size)

    def fit(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        epochs: int | None = None,
        steps: int | None = None,
        config: TrainConfig | None = None,
        callback: FitCallback | None = None,
    ) -> FitReport:
        """Supervised fine-tuning on ``(input, program)`` pairs (default: one epoch at lr 5e-5)."""
        encoded = [(self._source(str(x)), self._target(str(y))) for x, y in pairs]
        return train(
            self._tm, encoded, epochs=epochs, steps=steps, config=config or self.train_config, callback=callback
        )

    def save(self, directory: str | Path) -> Path:
        """Write model, tokenizer and options so :meth:`from_pretrained` restores this proposer."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(path)
        self.tokenizer.save_pretrained(path)
        options = {
            "prompt_template": self.prompt_template,
            "max_new_tokens": self.max_new_tokens,
            "batch_size": self.batch_size,
            "rounds": self.rounds,
            "seed": self.seed,
        }
        (path / OPTIONS_FILE).write_text(json.dumps({"kind": "hf", "format": 1, "options": options}, indent=1))
        return path
