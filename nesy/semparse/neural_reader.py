"""Step 7 of :func:`~nesy.semparse.learner.learn_parser`: a neural reader, trained on the verified parses, chooses.

The grammar's rules are read off whole wordings, so a rare wording rests on few questions, and a
coincidence that fits them ("what color is the other thing that has the same material as [X] ?"
read as the colour of X, right whenever the two share a colour) can outrank the true reading
there, although the words "same material" stand for ``same_material`` in every other wording. A
sequence model reads words, not wordings: trained on every training question's answer-verified
parse, it learns what "same material" or "both ... and" contribute wherever they stand.

So, after step 6, every training question is parsed (``neural_k`` best) and each distinct program
is run on its world; those that give the answer are the question's *verified programs*, the
best-scoring one its first label. A small encoder-decoder
(:class:`~nesy.proposer.seq2seq.Seq2SeqProposer`, built from a ``transformers`` config, trained from
scratch on the device :func:`~nesy.proposer.device.pick_device` picks) learns question →
program (the program written in prefix order, :func:`prefix_text`), first on the questions whose
answers are informative (not yes/no: one bit is what a coincidence fits most easily). Then the
model proposes ``neural_beam`` programs of its own for every training question (beam search): each
proposal is untrusted text, made a program only from the DSL's declared names and arities
(:func:`prefix_tree`, never evaluated as code), and joins the question's verified programs where it
gives the answer (self-training on verified outputs, as in STaR). So wordings the grammar cannot read
right get programs the model carried over from the others. Each question's label becomes the
verified program the model scores highest (hard EM over the answer-consistent programs, as in
learning from denotations) and the model trains on all of them for half as many epochs;
``neural_relabel`` more rounds do the same again. When a question is read, the grammar's
``neural_k`` best parses and the model's ``neural_beam`` proposals are the candidates, and the
reader picks the one with the highest model log-probability plus ``neural_grammar_weight`` times its
grammar score (a proposal the grammar did not parse gets the question's lowest parse score).

Nothing here knows a suite: the words, the DSL's calls and the answers are the caller's.

Example:
    >>> from nesy.semparse.tree import CONST, Tree
    >>> program = Tree("count", (Tree("filter", (Tree("scene"), Tree("red", (), CONST))),))
    >>> prefix_text(program)
    'count filter scene red'
    >>> calls, constants = {"count": 1, "filter": 2, "scene": 0}, {"red"}
    >>> prefix_tree("count filter scene red", calls, constants) == program
    True
    >>> prefix_tree("count filter scene", calls, constants), prefix_tree("__import__ os", calls, constants)
    (None, None)
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Mapping, Sequence

from nesy.solvers.dsl.language import DSL

from .fork_map import fork_map
from .learn_config import Example, LearnConfig
from .parser import Parse, distinct_parses
from .selection import gives_answer
from .tree import CALL, CONST, Tree

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


def prefix_tree(text: str, calls: Mapping[str, int], constants: Collection[str]) -> Tree | None:
    """The program a model wrote in prefix order, or None where it is not one.

    The text is untrusted data: each name must be one of ``calls`` (the DSL's primitives, with their
    arities) or ``constants``, each call gets exactly its arity's arguments and nothing may follow
    the program. Nothing in it is evaluated.
    """
    names = text.split()
    trees: list[Tree] = []
    for name in reversed(names):  # prefix order read backwards: a call's arguments lie on the stack
        if name in constants and name not in calls:
            trees.append(Tree(name, (), CONST))
        elif name in calls and calls[name] <= len(trees):
            trees.append(Tree(name, tuple(trees.pop() for _ in range(calls[name])), CALL))
        else:
            return None
    return trees[0] if len(trees) == 1 else None


def dsl_names(dsl: DSL) -> tuple[dict[str, int], frozenset[str]]:
    """The DSL's primitives with their arities, and its constants: all that :func:`prefix_tree` may build from."""
    return {name: p.arity for name, p in dsl.primitives.items()}, frozenset(dsl.constants)


@dataclass
class NeuralReader:
    """Chooses among a question's grammar parses and its own proposals with a trained sequence model.

    Attributes:
        model: The encoder-decoder (:class:`~nesy.proposer.seq2seq.Seq2SeqProposer`).
        grammar_weight: Weight of the grammar's score added to the model's log-probability.
        beam: Programs the model proposes per question (0: it only chooses among the parses).
        calls: The DSL's primitives and their arities, which proposals may call (:func:`dsl_names`).
        constants: The DSL's constants, which proposals may name.
    """

    model: Any
    grammar_weight: float = 1.0
    beam: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    constants: frozenset[str] = frozenset()

    def propose(self, questions: Sequence[Sequence[str]]) -> list[list[Tree]]:
        """Each question's programs proposed by the model (beam search, best first); text that is not a
        program of the DSL is dropped."""
        if not self.beam or not questions:
            return [[] for _ in questions]
        proposed = self.model.propose([" ".join(words) for words in questions], k=self.beam, sample=False)
        trees = [[prefix_tree(c.program, self.calls, self.constants) for c in own] for own in proposed]
        return [[t for t in own if t is not None] for own in trees]

    def order(self, questions: Sequence[Sequence[str]], readings: Sequence[Sequence[Parse]]) -> list[list[Tree]]:
        """Each question's distinct candidates (its parses, then the model's proposals), the reader's choice
        first, proposed and scored in batches.

        Args:
            questions: The questions' words.
            readings: Each question's parses (:meth:`~nesy.semparse.semantic_parser.SemanticParser.readings`).
        """
        proposed = self.propose(questions)
        candidates: list[list[Tree]] = []
        grammar: list[list[float]] = []
        for parses, own in zip(readings, proposed):
            distinct = distinct_parses(parses)
            floor = min((p.score for p in distinct), default=0.0)  # a proposal the grammar did not parse
            extra = _new_programs(own, [p.program for p in distinct])
            candidates.append([p.program for p in distinct] + extra)
            grammar.append([p.score for p in distinct] + [floor] * len(extra))
        scores = model_scores(self.model, questions, candidates)
        out = []
        for programs, model_own, grammar_own in zip(candidates, scores, grammar):
            total = [m + self.grammar_weight * g for m, g in zip(model_own, grammar_own)]
            out.append([programs[n] for n in sorted(range(len(programs)), key=lambda n: (-total[n], n))])
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
    """Train the reader on the parser's answer-verified readings of the examples and its own verified
    proposals (see the module docstring); None where no example has a reading that gives its answer.

    ``stats`` gets ``neural_labelled`` (share of questions with a verified program at the end),
    ``neural_proposals_verified`` (per round, the model's proposals that gave their question's answer
    and were new to it), ``neural_relabelled`` (per round, the questions whose label changed),
    ``neural_loss`` (the last training loss), ``neural_parameters`` and ``neural_seconds``.
    """
    from nesy.proposer.arch import ModelConfig
    from nesy.proposer.seq2seq import Seq2SeqConfig, Seq2SeqProposer
    from nesy.proposer.training import TrainConfig

    started = time.perf_counter()
    wide = dataclasses.replace(parser, k=config.neural_k, _chart=None, _relaxed=None)

    def verified_parses(i: int) -> list[Tree]:
        ex = examples[i]
        return [p.program for p in distinct_parses(wide.readings(ex.tokens)) if gives_answer(dsl, p.program, ex)]

    verified = fork_map(verified_parses, len(examples), workers=config.workers,
                        progress=lambda done: report("neural reader: verify", done, len(examples)))
    if not any(verified):  # nothing to learn from: the grammar reads alone
        stats["neural_labelled"] = 0.0
        log.warning("neural reader: no training question has a parse that gives its answer; step 7 is skipped")
        return None
    questions = [ex.tokens for ex in examples]
    labels: list[Tree | None] = [own[0] if own else None for own in verified]
    d = config.neural_d_model
    model = Seq2SeqProposer(Seq2SeqConfig(model=ModelConfig(d_model=d, layers=config.neural_layers, heads=4, ffn_dim=4 * d,
                                                            max_positions=256, seed=config.neural_seed),
                                          train=TrainConfig(epochs=config.neural_epochs, seed=config.neural_seed), split=SPLIT))
    reader = NeuralReader(model, config.neural_grammar_weight, config.neural_beam, *dsl_names(dsl))
    stats.update(neural_relabelled=[], neural_proposals_verified=[], neural_parameters=model.num_parameters)
    half = max(1, config.neural_epochs // 2)
    informative = [i for i, label in enumerate(labels) if label is not None and type(examples[i].answer) is not bool]
    rounds = config.neural_relabel
    if informative and len(informative) < sum(label is not None for label in labels):
        # first the questions whose answers pin their reading down, then one more round on all
        _fit(model, questions, labels, informative, config.neural_epochs, "neural reader: train (informative answers)", report)
        rounds += 1
    else:
        fitted = _fit(model, questions, labels, range(len(labels)), config.neural_epochs, "neural reader: train", report)
    for round_ in range(rounds):
        _add_verified_proposals(reader, dsl, examples, verified, config.workers, stats,
                                lambda done: report(f"neural reader: verify proposals {round_ + 1}", done, len(examples)))
        labels = _relabel(model, questions, verified, labels, stats)
        fitted = _fit(model, questions, labels, range(len(labels)), half, f"neural reader: relabel {round_ + 1}", report)
    stats["neural_labelled"] = sum(label is not None for label in labels) / len(examples)
    stats["neural_loss"] = fitted.loss
    stats["neural_seconds"] = time.perf_counter() - started
    log.info("neural reader: %.3f of %d questions labelled, proposals verified %s, relabelled %s, loss %.3f",
             stats["neural_labelled"], len(examples), stats["neural_proposals_verified"], stats["neural_relabelled"], fitted.loss)
    return reader


def _new_programs(programs: Sequence[Tree], known: Sequence[Tree]) -> list[Tree]:
    """The programs not among ``known`` (nor repeated), in their order."""
    seen = {prefix_text(t) for t in known}
    out = []
    for tree in programs:
        text = prefix_text(tree)
        if text not in seen:
            seen.add(text)
            out.append(tree)
    return out


def _add_verified_proposals(reader: NeuralReader, dsl: DSL, examples: Sequence[Example], verified: list[list[Tree]],
                            workers: int, stats: dict[str, Any], progress: Callable[[int], None]) -> None:
    """Adds each question's new model proposals that give its answer on its world to its verified programs."""
    if not reader.beam:
        stats["neural_proposals_verified"].append(0)
        return
    proposed = reader.propose([ex.tokens for ex in examples])

    def answering(i: int) -> list[Tree]:
        return [t for t in _new_programs(proposed[i], verified[i]) if gives_answer(dsl, t, examples[i])]

    added = fork_map(answering, len(examples), workers=workers, progress=progress)
    for own, new in zip(verified, added):
        own.extend(new)
    stats["neural_proposals_verified"].append(sum(len(new) for new in added))


def _relabel(model: Any, questions: Sequence[Sequence[str]], verified: Sequence[Sequence[Tree]],
             labels: list[Tree | None], stats: dict[str, Any]) -> list[Tree | None]:
    """Each question's verified program that the model scores highest (ties: the earlier one); None where it has none."""
    scores = model_scores(model, questions, verified)
    chosen = [own[max(range(len(own)), key=lambda n: (score[n], -n))] if own else None for own, score in zip(verified, scores)]
    stats["neural_relabelled"].append(sum(a is not None and b is not None and prefix_text(a) != prefix_text(b)
                                          for a, b in zip(chosen, labels)))
    return chosen


def _fit(model: Any, questions: Sequence[Sequence[str]], labels: Sequence[Tree | None], which: Sequence[int],
         epochs: int, stage: str, report: Callable[[str, int, int], None]) -> Any:
    """Train the model on the (question, label in prefix order) pairs of ``which`` that have a label,
    reporting each epoch under ``stage``."""
    pairs = [(" ".join(questions[i]), prefix_text(labels[i])) for i in which if labels[i] is not None]
    return model.fit(pairs, epochs=epochs, callback=lambda progress: report(stage, int(progress.epoch), epochs))
