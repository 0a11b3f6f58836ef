"""``nesy bench puzzles|kinship|wordproblems --split iid|hard``: a program writer learned by verified self-training.

One module for the three natural-language suites of :mod:`nesy.benchmarks.nlprog`. The learner is
:func:`nesy.learn.textprog.learn_text_programs`: a sentence-by-sentence seq2seq writer fitted on the
fragments of at most ``annotated`` training problems (20 by default), then improved on every
training problem's answer alone by rounds of sample K → check with the suite's solver in the
sandboxed pool → fit on verified programs. Baselines in the same run: the same writer fitted on the
annotated programs only, and a direct answer predictor of the same size.

Options (``--set KEY=VALUE``): ``n_train``, ``n_test``, ``annotated``, ``rounds``, ``k`` (programs per
problem per round), ``per_sentence`` (fragments beam-searched per sentence), ``context`` (previous
sentences the writer reads), ``monitor`` (test problems scored after each round, for the curve),
``direct_steps``, ``d_model``, ``layers``, ``baselines`` (0 skips both), ``threads`` (torch CPU threads,
default 1: the solver workers use the other cores, and on a busy machine one thread was 30x faster
than two), ``topics`` (1: a text's topic words read as one marker, :mod:`nesy.learn.topics`; the
word-problems default), ``trust`` (nats a sentence's trained fragment is preferred by while searching,
``WriterConfig.known_penalty``; word problems 6, else 0), ``fallback`` (a test problem gets the first of
the writer's ``fallback`` best programs that the solver runs without an error, no answer shown; puzzles
8, else 1), ``choose`` (1: the ``annotated`` problems are the ones that show the most sentence shapes,
:mod:`nesy.learn.annotate`, else the first ones; puzzles 1), ``clauses`` (1: long sentences are cut into
clauses the writer reads one by one, and annotated lines aligned to them, :mod:`nesy.learn.clauses`;
word problems 1, else 0), ``rivals`` (a sampled verified fragment vouches only where none of its sentence's
rival fragments, the other verified ones and the writer's ``rivals`` best alternatives, verifies in its place,
:mod:`nesy.learn.rivals`; puzzles 4, else 0), ``repair`` (programs tried per failed training text that differ from
its best one in one sentence shape's fragment, the loop's abduction, :mod:`nesy.learn.repair`; puzzles 48, else 0),
``analogies`` (a sentence shape not trained on also gets up to this many fragments by analogy with known sentences
that differ from it in a short span of words, ranked above the model's guess, :mod:`nesy.learn.analogy`; puzzles 4,
else 0),
``run_dir`` (resumable), ``also`` (another split whose test problems the same trained writer and baselines are also
scored on, under ``results["also"][split]``: every split draws the same training problems). ``--permute-vocab
SEED`` renames every word of the texts by a seeded bijection (puzzles: :mod:`nesy.benchmarks.puzzles.rename`).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import torch

from nesy.benchmarks.nlprog import Problem, SuiteData, load
from nesy.benchmarks.puzzles.rename import rename_problems
from nesy.benchmarks.seq_common import run_dir_for
from nesy.budget import Budget
from nesy.errors import NesyError
from nesy.learn.annotate import choose_for_annotation
from nesy.learn.fragments import WriterConfig
from nesy.learn.slots import SlotCopier
from nesy.learn.textprog import TextProblem, TextProgramConfig, learn_text_programs, rounds_plot
from nesy.progress import Progress
from nesy.proposer.arch import ModelConfig
from nesy.proposer.training import TrainConfig
from nesy.suites import BenchConfig, integer_options

DEFAULTS = {"n_train": 1000, "n_test": 500, "annotated": 20, "rounds": 6, "k": 32, "per_sentence": 6, "context": 0,
            "monitor": 100, "direct_steps": 1500, "d_model": 128, "layers": 2, "baselines": 1, "threads": 1, "topics": 0,
            "trust": 0, "fallback": 1, "choose": 0, "clauses": 0, "rivals": 0, "repair": 0, "analogies": 0}
QUICK = {"n_train": 60, "n_test": 30, "annotated": 20, "rounds": 2, "k": 8, "per_sentence": 3, "context": 0,
         "monitor": 0, "direct_steps": 30, "d_model": 128, "layers": 2, "baselines": 1, "threads": 1, "topics": 0,
         "trust": 0, "fallback": 1, "choose": 0, "clauses": 0, "rivals": 0, "repair": 0, "analogies": 0}
LEAST = {"annotated": 0, "context": 0, "monitor": 0, "baselines": 0, "topics": 0, "trust": 0, "choose": 0, "clauses": 0, "rivals": 0, "repair": 0,
         "analogies": 0}  #: may be 0; the others must be >= 1


def _options(name: str, config: BenchConfig, own: dict[str, int] | None = None) -> dict[str, Any]:
    own = own or {}
    options = integer_options(name, config, {**DEFAULTS, **own}, {**QUICK, **own}, LEAST,
                              extra=("run_dir", "permute_vocab", "also"))
    if options["annotated"] > 20:
        raise NesyError(f"{name}: --set annotated= is at most 20 (annotated programs are the scarce supervision)")
    return options


def _learner_view(problem: Problem, annotated: bool) -> TextProblem:
    """What the learner may see: text and answer, and the fragments only of an annotated problem."""
    return TextProblem(problem.id, problem.sentences, problem.answer, problem.fragments if annotated else None)


def _learn_config(options: dict[str, Any], seed: int) -> TextProgramConfig:
    model = ModelConfig(d_model=options["d_model"], layers=options["layers"], heads=4, ffn_dim=2 * options["d_model"],
                        max_positions=512, seed=seed)
    return TextProgramConfig(
        rounds=options["rounds"], k=options["k"],
        writer=WriterConfig(per_sentence=options["per_sentence"], context=options["context"],
                            known_penalty=float(options["trust"]), rivals=options["rivals"],
                            repair=options["repair"], analogies=options["analogies"]),
        model=model,
        train=TrainConfig(batch_size=32, warmup_steps=20, target_accuracy=1.0, label_smoothing=0.1, seed=seed),
        budget=Budget(wall_seconds=5.0, memory_mb=1024),
        baselines=bool(options["baselines"]), fallback=options["fallback"], direct_steps=options["direct_steps"],
        monitor=options["monitor"],
        topic_words=bool(options["topics"]), clauses=bool(options["clauses"]), seed=seed,
    )


def _by_size(problems: list[Problem]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for p in problems:
        size = next((f"{key}={p.meta[key]}" for key in ("hops", "steps", "n_entities") if key in p.meta), "?")
        sizes[size] = sizes.get(size, 0) + 1
    return dict(sorted(sizes.items()))


class NlProgSuite:
    """The shared run; subclasses name the suite."""

    name = "nlprog"
    description = ""
    splits = ("iid", "hard")
    own_defaults: dict[str, int] = {}  #: the suite's own defaults over DEFAULTS and QUICK

    def renamed(self, data: SuiteData, seed: int) -> SuiteData:
        """The data with its words renamed by a seeded bijection (``--permute-vocab``); suites that can say how."""
        raise NesyError(f"{self.name}: --permute-vocab is not supported (puzzles only)")

    def run(self, config: BenchConfig, progress: Progress) -> dict[str, Any]:
        options = _options(self.name, config, self.own_defaults)
        torch.set_num_threads(options["threads"])
        started = time.perf_counter()
        data = load(self.name, config.split, options["n_train"], options["n_test"], config.seed)
        own = len(data.test)
        also = config.options.get("also")
        if also is not None:  # one training, two test sets: the other split's tests ride along
            if also not in self.splits or also == config.split:
                raise NesyError(f"{self.name}: --set also= must name another split ({', '.join(self.splits)})")
            other = load(self.name, also, options["n_train"], options["n_test"], config.seed)
            if [p.id for p in other.train] != [p.id for p in data.train]:
                raise NesyError(f"{self.name}: splits {config.split} and {also} do not share their training problems")
            data = replace(data, test=data.test + other.test)
        if config.options.get("permute_vocab") is not None:
            data = self.renamed(data, config.options["permute_vocab"])
        tests = {config.split: data.test[:own], **({also: data.test[own:]} if also else {})}
        data_seconds = time.perf_counter() - started
        if options["choose"]:  # annotate the problems that show the most sentence shapes (texts only)
            copier = SlotCopier.fitted(s for p in data.train for s in p.sentences)
            chosen = set(choose_for_annotation([p.sentences for p in data.train], options["annotated"], copier))
        else:
            chosen = set(range(options["annotated"]))
        train = [_learner_view(p, i in chosen) for i, p in enumerate(data.train)]
        test, *more = [[_learner_view(p, False) for p in problems] for problems in tests.values()]
        run_dir = run_dir_for(config, f"{self.name}-{config.split}")
        results = learn_text_programs(train, test, data.solver, run_dir, _learn_config(options, config.seed),
                                      workers=config.workers, progress=progress, also=dict(zip(list(tests)[1:], more)))
        summary = [("annotated programs", results["annotated_programs"]),
                   ("parse-error rate", f"{results['parse_error_rate']:.4f}")]
        if "annotated_only" in results:
            summary.append(("annotated-only writer", f"{results['annotated_only']['accuracy']:.4f}"))
        if "baseline" in results:
            summary.append(("direct answer", f"{results['baseline']['accuracy']:.4f}"))
        for name, scores in results.get("also", {}).items():
            summary.append((f"{name}: accuracy", f"{scores['accuracy']:.4f}"))
            if "annotated_only" in scores:
                summary.append((f"{name}: annotated-only writer", f"{scores['annotated_only']['accuracy']:.4f}"))
                summary.append((f"{name}: direct answer", f"{scores['baseline']['accuracy']:.4f}"))
        return {
            **results,
            "backend": data.backend,
            "permute_vocab": config.options.get("permute_vocab"),
            "data_seconds": data_seconds,
            "train_sizes": _by_size(data.train),
            "test_sizes": _by_size(tests[config.split]),
            **({"also_test_sizes": _by_size(tests[also])} if also else {}),
            "options": options,
            "plots": [rounds_plot(results, f"{self.name}-{config.split}-rounds",
                                  f"{self.name} ({config.split}): self-training rounds")],
            "summary": summary,
        }


class PuzzlesSuite(NlProgSuite):
    name = "puzzles"
    description = "ordering and logic-grid puzzles -> SMT-LIB on Z3 (unique answers), writer self-trained from <= 20 programs"
    own_defaults = {"fallback": 8, "choose": 1, "rivals": 4, "repair": 48, "analogies": 4}  # z3 refuses open or contradictory programs without the answer

    def renamed(self, data: SuiteData, seed: int) -> SuiteData:
        """Every word but the names renamed, alike in training and test texts (and the values in programs)."""
        mapping: dict[str, str] = {}
        train = rename_problems(data.train, seed, mapping=mapping)
        return replace(data, train=train, test=rename_problems(data.test, seed, mapping=mapping))


class KinshipSuite(NlProgSuite):
    name = "kinship"
    description = "CLUTRR-style family stories -> ASP facts on clingo, writer self-trained from <= 20 programs"


class WordProblemsSuite(NlProgSuite):
    name = "wordproblems"
    description = "templated arithmetic/algebra word problems -> SymPy equations, writer self-trained from <= 20 programs"
    own_defaults = {"topics": 1, "trust": 6, "clauses": 1}  # a story's item word ("apples") reads as one marker;
    # a sentence of several steps ("A number doubled, plus 3, then minus 4 is 17.") reads clause by clause


__all__ = ["KinshipSuite", "PuzzlesSuite", "WordProblemsSuite"]
