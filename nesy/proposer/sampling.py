"""From generated token sequences to ranked, deduplicated :class:`Candidate` lists.

:func:`propose_candidates` runs a :class:`~nesy.proposer.engine.TokenModel` over the inputs in
batches, decodes what it generates, merges duplicates (by program text; ``count`` says how many
draws gave it), scores every distinct sequence by teacher forcing (so a candidate's ``logprob`` is
the model's log-probability at temperature 1, whatever the sampling temperature), and returns at
most ``k`` candidates per input, best first.

With ``sample=True`` each round draws ``k`` programs per input; later rounds (``rounds > 1``)
draw again only for inputs that still have fewer than ``k`` distinct programs. With
``sample=False`` it is beam search of width ``k`` (greedy for ``k=1``).

A sequence that reaches ``max_new_tokens`` without an end token is kept, scored as if it ended
there (end token included), so every ``logprob`` equals the teacher-forced score of the
candidate's token sequence.

With a ``constraint`` (:mod:`nesy.proposer.constraint`), generation only ever picks tokens it
allows, and a sequence it does not accept as a whole program (cut off by ``max_new_tokens``) is
dropped, so every candidate is valid -- and a call may return fewer than ``k``. Scores stay the
model's own (unconstrained) log-probabilities.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Sequence

from nesy.proposer.constraint import TokenConstraint
from nesy.proposer.engine import Ids, TokenModel
from nesy.proposer.protocol import Candidate, check_request

log = logging.getLogger(__name__)


@dataclass
class _Found:
    """One distinct program text for one input: how often it came, and its token sequences."""

    count: int = 0
    sequences: set[tuple[int, ...]] = field(default_factory=set)


def _round_seed(seed: int | None, round_index: int, chunk_index: int) -> int | None:
    if seed is None:
        return None
    return (seed * 1_000_003 + round_index * 10_007 + chunk_index) % (2**63)


def propose_candidates(
    model: TokenModel,
    sources: Sequence[Ids],
    decode: Callable[[Sequence[int]], str],
    k: int,
    *,
    sample: bool = True,
    temperature: float = 1.0,
    max_new_tokens: int = 64,
    batch_size: int = 64,
    rounds: int = 1,
    seed: int | None = None,
    constraint: TokenConstraint | None = None,
) -> list[list[Candidate]]:
    """Up to ``k`` distinct candidates per source, best first.

    Args:
        model: The model to generate with and score under.
        sources: Encoded inputs (encoder inputs, or prompts for a causal LM).
        decode: Turns generated ids into program text.
        k: Candidates wanted per input (samples per round, or the beam width).
        sample: Sample (True) or beam search (False).
        temperature: Sampling temperature (ignored by beam search).
        max_new_tokens: Longest program in tokens, end token included.
        batch_size: Inputs per generation call (each expands to ``k`` sequences).
        rounds: Sampling rounds at most; extra rounds only for inputs still short of ``k`` programs.
        seed: Makes sampling reproducible; None uses torch's global random state.
        constraint: Only tokens it allows are generated, and sequences it does not accept as
            complete (cut off by ``max_new_tokens``) are dropped, so every candidate is valid.

    Returns:
        One list per input, in input order.
    """
    check_request(k, temperature)
    found: list[dict[str, _Found]] = [{} for _ in sources]
    pending = list(range(len(sources)))
    dropped = 0
    for round_index in range(max(1, rounds) if sample else 1):
        for chunk_index, start in enumerate(range(0, len(pending), batch_size)):
            chunk = pending[start : start + batch_size]
            outs = model.generate(
                [sources[i] for i in chunk],
                k=k,
                sample=sample,
                temperature=temperature,
                max_new_tokens=max_new_tokens,
                seed=_round_seed(seed, round_index, chunk_index),
                constraint=constraint,
            )
            for i, sequences in zip(chunk, outs):
                for sequence in sequences:
                    if constraint is not None and not constraint.complete(sequence):
                        dropped += 1
                        continue
                    entry = found[i].setdefault(decode(sequence), _Found())
                    entry.count += 1
                    entry.sequences.add(sequence)
        pending = [i for i in pending if len(found[i]) < k]
        if not pending:
            break
        if sample and round_index + 1 < rounds:
            log.debug("round %d: %d inputs have fewer than %d distinct programs", round_index + 1, len(pending), k)
    if dropped:
        log.debug("%d generated sequences ran out of tokens before a whole program; dropped", dropped)
    return _rank(model, sources, found, k, batch_size=batch_size * k)


def _rank(
    model: TokenModel, sources: Sequence[Ids], found: list[dict[str, _Found]], k: int, *, batch_size: int
) -> list[list[Candidate]]:
    """Score every distinct sequence once, keep each program's best-scoring spelling, sort, cut to k."""
    pairs = [
        (i, seq) for i, programs in enumerate(found) for entry in programs.values() for seq in sorted(entry.sequences)
    ]
    pairs.sort(key=lambda pair: len(pair[1]))  # similar lengths together: less padding
    scores = model.score([sources[i] for i, _ in pairs], [seq for _, seq in pairs], batch_size=batch_size)
    best: dict[tuple[int, tuple[int, ...]], float] = {pair: score for pair, score in zip(pairs, scores)}
    ranked: list[list[Candidate]] = []
    for i, programs in enumerate(found):
        candidates = [
            Candidate(program, min(0.0, max(best[(i, seq)] for seq in entry.sequences)), entry.count)
            for program, entry in programs.items()
        ]
        candidates.sort(key=Candidate.sort_key)
        ranked.append(candidates[:k])
    return ranked
