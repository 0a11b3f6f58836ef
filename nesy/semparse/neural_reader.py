"""Step 7 of :func:`~nesy.semparse.learner.learn_parser`: a neural reader, trained on the verified parses, chooses.

The grammar's rules are read off whole wordings, so a rare wording rests on few questions, and a
coincidence that fits them ("what color is the other thing that has the same material as [X] ?"
read as the colour of X, right whenever the two share a colour) can outrank the true reading
there, although the words "same material" stand for ``same_material`` in every other wording. A
sequence model reads words, not wordings: trained on every training question's answer-verified
parse, it learns what "same material" or "both ... and" contribute wherever they stand.

So, after step 6, every training question is parsed (``neural_k`` best) and each distinct program
is run on its world; the best-scoring one that gives the answer becomes the question's label (its
*verified parse*; questions with none are left out). A small encoder-decoder
(:class:`~nesy.proposer.seq2seq.Seq2SeqProposer`, built from a ``transformers`` config, trained from
scratch on the device :func:`~nesy.proposer.device.pick_device` picks) learns question →
program (the program written in prefix order, :func:`prefix_text`), first on the questions whose
answers are informative (not yes/no: one bit is what a coincidence fits most easily). Then each
question's label becomes the verified parse the model scores highest (hard EM over the
answer-consistent programs, as in learning from denotations) and the model trains on all of them
for half as many epochs; ``neural_relabel`` more rounds do the same again. When a question is
read, the grammar still proposes its ``neural_k`` best programs, and the reader picks the one with
the highest model log-probability plus ``neural_grammar_weight`` times its grammar score: the
model never writes a program, it only chooses among the grammar's.

Nothing here knows a suite: the words, the DSL's calls and the answers are the caller's.

Example:
    >>> from nesy.semparse.tree import CONST, Tree
    >>> prefix_text(Tree("count", (Tree("filter", (Tree("scene"), Tree("red", (), CONST, 2))),)))
    'count filter scene red'
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from nesy.solvers.dsl.language import DSL

from .fork_map import fork_map
from .learn_config import Example, LearnConfig
from .parser import Parse, distinct_parses
from .selection import gives_answer
from .tree import Tree

log = logging.getLogger(__name__)

#: Question words and program symbols alike: runs of word characters, and each other non-space character.
SPLIT = r"regex:\w+|[^\w\s]"


def prefix_text(tree: Tree) -> str:
    """The program's call and constant names in prefix order (its arities are the DSL's, so nothing is lost)."""
    names: list[str] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        names.append(node.name)
        stack.extend(reversed(node.args))
    return " ".join(names)


@dataclass
class NeuralReader:
    """Chooses among a question's grammar parses with a trained sequence model.

    Attributes:
        model: The encoder-decoder (:class:`~nesy.proposer.seq2seq.Seq2SeqProposer`).
        grammar_weight: Weight of the grammar's score added to the model's log-probability.
    """

    model: Any
    grammar_weight: float = 1.0

    def order(self, questions: Sequence[Sequence[str]], readings: Sequence[Sequence[Parse]]) -> list[list[Tree]]:
        """Each question's distinct programs, the reader's choice first, scored in one batched pass.

        Args:
            questions: The questions' words.
            readings: Each question's parses (:meth:`~nesy.semparse.semantic_parser.SemanticParser.readings`).
        """
        distinct = [distinct_parses(parses) for parses in readings]
        scores = model_scores(self.model, questions, [[p.program for p in parses] for parses in distinct])
        out = []
        for parses, own in zip(distinct, scores):
            total = [s + self.grammar_weight * p.score for p, s in zip(parses, own)]
            out.append([parses[n].program for n in sorted(range(len(parses)), key=lambda n: (-total[n], n))])
        return out


def model_scores(model: Any, questions: Sequence[Sequence[str]], programs: Sequence[Sequence[Tree]]) -> list[list[float]]:
    """The model's log-probability of each question's programs, in one batched pass."""
    flat = [(i, program) for i, own in enumerate(programs) for program in own]
    scores = model.score([" ".join(questions[i]) for i, _ in flat], [prefix_text(p) for _, p in flat]) if flat else []
    out: list[list[float]] = [[] for _ in programs]
    for (i, _), score in zip(flat, scores):
        out[i].append(score)
    return out


def neural_step(dsl: DSL, examples: Sequence[Example], parser: Any, config: LearnConfig,
                report: Callable[[str, int, int], None], stats: dict[str, Any]) -> NeuralReader | None:
    """Train the reader on the parser's answer-verified readings of the examples (see the module docstring);
    None where no example has a reading that gives its answer.

    ``stats`` gets ``neural_labelled`` (share of questions with a verified parse), ``neural_relabelled``
    (per relabelling round, the questions whose label changed), ``neural_loss`` (the last training
    loss), ``neural_parameters`` and ``neural_seconds``.
    """
    from nesy.proposer.arch import ModelConfig
    from nesy.proposer.seq2seq import Seq2SeqConfig, Seq2SeqProposer
    from nesy.proposer.training import TrainConfig

    started = time.perf_counter()
    wide = dataclasses.replace(parser, k=config.neural_k, _chart=None, _relaxed=None)

    def verified(i: int) -> list[Tree]:
        ex = examples[i]
        return [p.program for p in distinct_parses(wide.readings(ex.tokens)) if gives_answer(dsl, p.program, ex)]

    def progress(done: int) -> None:
        report("neural reader: verify", done, len(examples))

    right = fork_map(verified, len(examples), workers=config.workers, progress=progress)
    kept = [i for i, programs in enumerate(right) if programs]
    stats["neural_labelled"] = len(kept) / max(1, len(examples))
    if not kept:  # nothing to learn from: the grammar reads alone
        log.warning("neural reader: no training question has a parse that gives its answer; step 7 is skipped")
        return None
    questions = [examples[i].tokens for i in kept]
    verified_kept = [right[i] for i in kept]
    labels = [programs[0] for programs in verified_kept]
    d = config.neural_d_model
    model = Seq2SeqProposer(Seq2SeqConfig(model=ModelConfig(d_model=d, layers=config.neural_layers, heads=4, ffn_dim=4 * d,
                                                            max_positions=256, seed=config.neural_seed),
                                          train=TrainConfig(epochs=config.neural_epochs, seed=config.neural_seed), split=SPLIT))
    stats["neural_relabelled"] = []
    stats["neural_parameters"] = model.num_parameters
    half = max(1, config.neural_epochs // 2)
    informative = [n for n, i in enumerate(kept) if type(examples[i].answer) is not bool]
    if informative and len(informative) < len(kept):  # first the questions whose answers pin their reading down
        _fit(model, [questions[n] for n in informative], [labels[n] for n in informative], config.neural_epochs,
             "neural reader: train (informative answers)", report)
        labels = _relabel(model, questions, verified_kept, labels, stats)
        fitted = _fit(model, questions, labels, half, "neural reader: train", report)
    else:
        fitted = _fit(model, questions, labels, config.neural_epochs, "neural reader: train", report)
    for round_ in range(config.neural_relabel):
        labels = _relabel(model, questions, verified_kept, labels, stats)
        fitted = _fit(model, questions, labels, half, f"neural reader: relabel {round_ + 1}", report)
    stats["neural_loss"] = fitted.loss
    stats["neural_seconds"] = time.perf_counter() - started
    log.info("neural reader: %d of %d questions labelled, relabelled %s, loss %.3f", len(kept), len(examples),
             stats["neural_relabelled"], fitted.loss)
    return NeuralReader(model, grammar_weight=config.neural_grammar_weight)


def _relabel(model: Any, questions: Sequence[Sequence[str]], verified: Sequence[Sequence[Tree]], labels: list[Tree],
             stats: dict[str, Any]) -> list[Tree]:
    """Each question's verified program that the model scores highest (ties: the grammar's order)."""
    scores = model_scores(model, questions, verified)
    chosen = [own[max(range(len(own)), key=lambda n: (score[n], -n))] for own, score in zip(verified, scores)]
    stats["neural_relabelled"].append(sum(prefix_text(a) != prefix_text(b) for a, b in zip(chosen, labels)))
    return chosen


def _fit(model: Any, questions: Sequence[Sequence[str]], labels: Sequence[Tree], epochs: int, stage: str,
         report: Callable[[str, int, int], None]) -> Any:
    """Train the model on (question, label in prefix order) pairs, reporting each epoch under ``stage``."""
    pairs = [(" ".join(words), prefix_text(tree)) for words, tree in zip(questions, labels)]
    return model.fit(pairs, epochs=epochs, callback=lambda progress: report(stage, int(progress.epoch), epochs))
