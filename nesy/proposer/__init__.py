"""Neural proposers: map inputs to K candidate programs with log-probabilities, and learn from pairs.

- :class:`Candidate`, :class:`Proposer`, :class:`FitReport` -- the contract (:mod:`.protocol`);
  :class:`Repairer` / :class:`Attempt` -- the optional self-repair (a refused program and the solver's message back).
- :class:`Seq2SeqProposer` -- a small word-level BART/T5 trained from scratch (:mod:`.seq2seq`).
- :class:`HFProposer` -- any local Hugging Face seq2seq or causal-LM checkpoint (:mod:`.hf_adapter`).
- :class:`HTTPProposer` -- an OpenAI-compatible endpoint (e.g. vLLM): cache, retries, concurrency
  limit, few-shot demonstrations as ``fit`` (:mod:`.http_proposer`).
- :class:`CallSyntax`, :class:`SExpression` -- program languages for grammar-constrained decoding
  (:mod:`.grammars`); :class:`TokenConstraint`, :class:`GrammarConstraint` -- the token-level mask
  (:mod:`.constraint`). Pass ``grammar=`` to :class:`Seq2SeqProposer` or :class:`HFProposer`.
- :class:`Vocab`, :func:`pick_device`, :func:`measure_throughput` -- helpers.

Heavy modules (torch, transformers) load on first use of a name that needs them.

Example:
    >>> from nesy.proposer import Candidate
    >>> Candidate("x", -0.5).count
    1
    >>> from nesy.proposer import CallSyntax
    >>> CallSyntax({"add": 2}, atoms=["x"]).is_complete("add(x, 1)")
    True
"""

from __future__ import annotations

import importlib

from nesy.proposer.protocol import Attempt, Candidate, FitProgress, FitReport, Proposer, Repairer

_LAZY = {
    "Vocab": "nesy.proposer.vocab",
    "pick_device": "nesy.proposer.device",
    "TokenModel": "nesy.proposer.engine",
    "propose_candidates": "nesy.proposer.sampling",
    "TrainConfig": "nesy.proposer.training",
    "ModelConfig": "nesy.proposer.arch",
    "Seq2SeqConfig": "nesy.proposer.seq2seq",
    "Seq2SeqProposer": "nesy.proposer.seq2seq",
    "HFProposer": "nesy.proposer.hf_adapter",
    "measure_throughput": "nesy.proposer.throughput",
    "HTTPProposer": "nesy.proposer.http_proposer",
    "EndpointError": "nesy.proposer.http_client",
    "FewShotPrompt": "nesy.proposer.prompting",
    "ResponseCache": "nesy.proposer.response_cache",
    "CharGrammar": "nesy.proposer.grammars",
    "CallSyntax": "nesy.proposer.grammars",
    "SExpression": "nesy.proposer.grammars",
    "TokenConstraint": "nesy.proposer.constraint",
    "GrammarConstraint": "nesy.proposer.constraint",
}

__all__ = ["Attempt", "Candidate", "FitProgress", "FitReport", "Proposer", "Repairer", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'nesy.proposer' has no attribute {name!r}")
