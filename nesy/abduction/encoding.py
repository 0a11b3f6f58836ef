"""Probabilities -> ASP facts and weak constraints; answer sets -> symbols.

Each position keeps its ``top_k`` most probable classes as candidates (``None``: all of them);
choosing class ``v`` at position ``p`` costs ``round(-ln p(v) * SCALE)``, so clingo's optimum is
the most probable assignment consistent with the knowledge — found by search with propagation,
never by enumerating all ``C^n`` assignments.

Example:
    >>> import torch
    >>> facts = candidate_facts(torch.tensor([[0.7, 0.2, 0.1]]), ["a", "b", "c"], top_k=2)
    >>> facts.splitlines()[:3]
    ['pos(0).', 'cand(0,a). cost(0,a,357).', 'cand(0,b). cost(0,b,1609).']
    >>> symbols_from_model(["sym(0,b)"], 1)
    ['b']
"""

from __future__ import annotations

import re
from typing import Sequence

import torch

from nesy.errors import NesyError

SCALE = 1000  #: cost units per nat of negative log-probability
MIN_PROBABILITY = 1e-9

#: What nesy adds to every abduction program: one candidate per position, probabilities as costs,
#: and a domain heuristic that tries the most probable candidates first (so that the first answer
#: sets found are already cheap, which matters when the budget ends the search early).
CHOICE_RULES = """
1 { sym(P, V) : cand(P, V) } 1 :- pos(P).
:~ sym(P, V), cost(P, V, W). [W@0, P]
#heuristic sym(P, V) : cost(P, V, W). [-W, true]
#show sym/2.
"""

#: The clingo search options abduction runs with: the domain heuristic above, core-guided optimisation.
SEARCH = ("--heuristic=Domain", "--opt-strategy=usc,k,0,4")

_SYM = re.compile(r"^sym\((\d+),(.+)\)$")


def candidate_facts(
    probabilities: torch.Tensor, symbols: Sequence[str], top_k: int | None, perturbation: torch.Tensor | None = None
) -> str:
    """Facts for one example: ``pos/1``, ``cand/2`` and ``cost/3`` from a ``(positions, classes)`` tensor.

    ``perturbation`` (same shape, in nats) is added to the log-probabilities before the costs are
    taken: with Gumbel noise the optimum is a sample of the label-consistent assignments rather
    than the single most probable one (perturb-and-MAP). Costs are shifted per position so that the
    cheapest candidate costs 0, which changes no optimum (one candidate is chosen per position).
    """
    if probabilities.dim() != 2 or probabilities.shape[1] != len(symbols):
        raise NesyError(f"expected probabilities of shape (positions, {len(symbols)}), got {tuple(probabilities.shape)}")
    if perturbation is not None and perturbation.shape != probabilities.shape:
        raise NesyError(f"perturbation of shape {tuple(perturbation.shape)} for probabilities of shape {tuple(probabilities.shape)}")
    scores = probabilities.float().clamp_min(MIN_PROBABILITY).log()
    if perturbation is not None:
        scores = scores + perturbation.float()
    k = len(symbols) if top_k is None else max(1, min(top_k, len(symbols)))
    values, indices = torch.topk(scores, k, dim=1)
    lines = []
    for position in range(probabilities.shape[0]):
        lines.append(f"pos({position}).")
        best = values[position, 0].item()
        for score, c in zip(values[position].tolist(), indices[position].tolist()):
            weight = round((best - score) * SCALE) if perturbation is not None else round(-score * SCALE)
            lines.append(f"cand({position},{symbols[c]}). cost({position},{symbols[c]},{weight}).")
    return "\n".join(lines)


def gumbel_noise(shape: tuple[int, ...], generator: torch.Generator) -> torch.Tensor:
    """Standard Gumbel samples (``-ln(-ln U)``), the perturbation of perturb-and-MAP sampling."""
    uniform = torch.rand(shape, generator=generator).clamp(1e-12, 1 - 1e-7)
    return -torch.log(-torch.log(uniform))


def symbols_from_model(atoms: Sequence[str], positions: int) -> list[str]:
    """The chosen term per position from an answer set's ``sym/2`` atoms."""
    chosen: dict[int, str] = {}
    for atom in atoms:
        match = _SYM.match(atom.replace(" ", ""))
        if match:
            chosen[int(match.group(1))] = match.group(2)
    if sorted(chosen) != list(range(positions)):
        raise NesyError(f"answer set does not choose one symbol per position: {list(atoms)[:10]}")
    return [chosen[p] for p in range(positions)]
