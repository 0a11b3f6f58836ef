"""Natural-language problems whose answers come from solver programs: the shared data interface.

Three generated suites build on this module: ``puzzles`` (Z3, SMT-LIB), ``kinship`` (clingo, ASP)
and ``wordproblems`` (SymPy). Each problem is a list of sentences, the **last one the question**,
with a numeric or symbolic answer and a gold program split per sentence: ``program`` is the
non-empty ``fragments`` joined with newlines, so a learner may translate sentence by sentence.
Gold programs are for the few annotated items and for tests; the answer is what a learner trains on.

Each suite package has a ``data`` module with ``generate(split, n, seed) -> list[Problem]`` and
``checker() -> solver``; :func:`load` calls them. The checker is a picklable nesy solver whose
``check(program, None, answer, budget)`` is ``ok`` exactly when the program's answer is ``answer``
(for puzzles: and that answer is the only one the program allows).

Example:
    >>> p = make_problem(["Tom has 2 apples.", "How many apples does Tom have?"], 2,
    ...                  ["apples_tom = 2", "apples_tom"], {"suite": "wordproblems", "steps": 1})
    >>> p.text, p.program
    ('Tom has 2 apples. How many apples does Tom have?', 'apples_tom = 2\\napples_tom')
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "p.jsonl")
    >>> write_problems(path, [p]); read_problems(path) == [p]
    True
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import random
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable, Sequence

from nesy.benchmarks.label_files import read_json_lines
from nesy.errors import NesyError
from nesy.hashing import content_hash

log = logging.getLogger(__name__)

SUITES = ("puzzles", "kinship", "wordproblems")
"""Suite names :func:`load` knows (each a package ``nesy.benchmarks.<name>`` with a ``data`` module)."""

SPLITS = ("iid", "hard")
"""``iid``: test drawn like training; ``hard``: more entities, hops or steps than training has."""

BACKENDS = {"puzzles": "z3", "kinship": "clingo", "wordproblems": "sympy"}


@dataclass(frozen=True)
class Problem:
    """One natural-language problem with its answer and gold program.

    Attributes:
        id: Stable content hash of the sentences and the answer.
        sentences: The problem text as sentences; the last sentence is the question.
        answer: JSON-able answer (str, int, ``"p/q"`` for a fraction, list of str, ...).
        program: Gold program in the backend's language.
        fragments: The gold program per sentence (``""`` for a sentence that adds nothing).
        meta: ``suite``, ``split``, ``family`` (template name) and a size: ``n_entities``, ``hops`` or ``steps``.
    """

    id: str
    sentences: tuple[str, ...]
    answer: Any
    program: str
    fragments: tuple[str, ...]
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def text(self) -> str:
        """The sentences joined with spaces."""
        return " ".join(self.sentences)

    def to_json(self) -> dict[str, Any]:
        """The problem as one JSON-able record (the JSONL line format)."""
        record = asdict(self)
        record["sentences"], record["fragments"] = list(self.sentences), list(self.fragments)
        return record


@dataclass
class SuiteData:
    """A suite's problems for one run, with the checker that verifies programs.

    Attributes:
        train: Training problems (always drawn like ``iid``).
        test: Test problems of the requested split (none shares an id with a training problem).
        solver: Picklable nesy solver: ``check(program, None, answer, budget)``.
        backend: ``"z3"``, ``"clingo"`` or ``"sympy"``.
    """

    train: list[Problem]
    test: list[Problem]
    solver: Any
    backend: str


def join_fragments(fragments: Iterable[str]) -> str:
    """The program the fragments make: the non-empty ones joined with newlines.

    Example:
        >>> join_fragments(["a.", "", "b."])
        'a.\\nb.'
    """
    return "\n".join(f for f in fragments if f)


def make_problem(sentences: Sequence[str], answer: Any, fragments: Sequence[str], meta: dict) -> Problem:
    """A :class:`Problem` whose id hashes the sentences and answer and whose program joins the fragments."""
    if len(sentences) != len(fragments):
        raise ValueError(f"{len(sentences)} sentences but {len(fragments)} fragments")
    sentences, fragments = tuple(sentences), tuple(fragments)
    pid = content_hash(list(sentences), answer)[:16]
    return Problem(pid, sentences, answer, join_fragments(fragments), fragments, dict(meta))


def draw_problems(
    suite: str, split: str, n: int, seed: int, one: Callable[[random.Random], Problem | None]
) -> list[Problem]:
    """``n`` problems from ``one(rng)`` (None: draw again); the i-th try's generator is seeded by suite, split, seed, i.

    Example:
        >>> one = lambda rng: make_problem(["What?"], rng.randint(0, 9), ["x"], {})
        >>> draw_problems("toy", "iid", 2, 0, one)[0].answer
        5
    """
    problems: list[Problem] = []
    index = 0
    while len(problems) < n:
        if index > 100 * n + 100:
            raise NesyError(f"{suite}/{split}: the generator failed to draw {n} problems in {index} tries")
        problem = one(random.Random(f"{suite}/{split}/{seed}/{index}"))
        index += 1
        if problem is not None:
            problems.append(problem)
    return problems


def _suite_module(suite: str):
    if suite not in SUITES:
        raise NesyError(f"unknown natural-language suite {suite!r} (known: {', '.join(SUITES)})")
    return importlib.import_module(f"nesy.benchmarks.{suite}.data")


def checker(suite: str) -> Any:
    """The checker solver of a suite (see the module docstring)."""
    return _suite_module(suite).checker()


def load(suite: str, split: str, n_train: int, n_test: int, seed: int) -> SuiteData:
    """Generate ``n_train`` training (iid) and ``n_test`` test problems of ``split``, deterministically.

    Raises:
        NesyError: unknown suite or split, or negative sizes.
    """
    if split not in SPLITS:
        raise NesyError(f"unknown split {split!r} for suite {suite!r} (known: {', '.join(SPLITS)})")
    if n_train < 0 or n_test < 0:
        raise NesyError(f"n_train and n_test must not be negative, got {n_train} and {n_test}")
    module = _suite_module(suite)
    train = module.generate("iid", n_train, seed=2 * seed)
    seen = {p.id for p in train}
    test: list[Problem] = []
    attempt = 0
    while len(test) < n_test:  # test seeds are disjoint from train seeds; drop any repeat of a training item
        fresh = module.generate(split, n_test - len(test), seed=2 * seed + 1 + 1000 * attempt)
        test.extend(p for p in fresh if p.id not in seen and not seen.add(p.id))
        attempt += 1
        if attempt > 50:
            raise NesyError(f"{suite}: could not draw {n_test} test problems distinct from training")
    log.info("%s/%s: %d train, %d test problems", suite, split, len(train), len(test))
    return SuiteData(train, test, module.checker(), BACKENDS[suite])


# -- files ---------------------------------------------------------------------------------------
_FIELDS = {"id": str, "sentences": list, "answer": object, "program": str, "fragments": list, "meta": dict}


def _parse(record: Any) -> Problem | str:
    """The problem a JSON record holds, or what is wrong with it."""
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    for name, kind in _FIELDS.items():
        if name not in record:
            return f"missing field {name!r}"
        if not isinstance(record[name], kind) or record[name] is None:
            return f"field {name!r} must be {kind.__name__}, got {type(record[name]).__name__}"
    for name in ("sentences", "fragments"):
        if not all(isinstance(s, str) for s in record[name]):
            return f"field {name!r} must be a list of strings"
    if not record["sentences"]:
        return "field 'sentences' is empty (the last sentence must be the question)"
    if len(record["sentences"]) != len(record["fragments"]):
        return f"{len(record['sentences'])} sentences but {len(record['fragments'])} fragments"
    if join_fragments(record["fragments"]) != record["program"]:
        return "field 'program' is not the non-empty fragments joined with newlines"
    return Problem(
        record["id"], tuple(record["sentences"]), record["answer"], record["program"],
        tuple(record["fragments"]), dict(record["meta"]),
    )


def read_problems(path: str | os.PathLike) -> list[Problem]:
    """Problems from a JSON Lines file, read strictly.

    Raises:
        NesyError: the file cannot be read, or a line is not JSON, lacks a field or has a field of
            the wrong type; the message names the file and line (the first bad lines, and how many).
    """
    problems, bad = read_json_lines(os.fspath(path), _parse)
    if bad:
        more = f" (and {len(bad) - 3} more bad lines)" if len(bad) > 3 else ""
        raise NesyError(f"bad problem file {os.fspath(path)}: " + "; ".join(bad[:3]) + more)
    return problems


def write_problems(path: str | os.PathLike, problems: Iterable[Problem]) -> None:
    """Write problems as JSON Lines (one :meth:`Problem.to_json` record per line)."""
    with open(path, "w", encoding="utf-8") as handle:
        for problem in problems:
            handle.write(json.dumps(problem.to_json(), ensure_ascii=False) + "\n")
