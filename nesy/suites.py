"""The benchmark-harness contract: what a suite is, what it is given, what it returns.

Suites live in ``benchmarks/`` and are found through the ``nesy.suites`` entry-point group, so the
core never imports them. :func:`run_suite` adds the fields every results file carries.

Example:
    >>> cfg = BenchConfig(split="default", seed=0, quick=True)
    >>> cfg.split
    'default'
"""

from __future__ import annotations

import json
import platform
import subprocess
import time
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol

from nesy.errors import NesyError
from nesy.progress import NullProgress, Progress

VERSIONED = ("nesy", "torch", "transformers", "sympy", "z3-solver", "clingo", "networkx")
REQUIRED_FIELDS = ("accuracy", "n_train", "n_test", "train_seconds", "eval_seconds")


@dataclass(frozen=True)
class BenchConfig:
    """What the harness tells a suite.

    Attributes:
        split: The split to run (each suite lists its own; ``None`` means the suite's default).
        seed: Random seed.
        quick: A small, fast variant (for CI).
        workers: Solver worker processes (default: one per core).
        data_dir: A directory of user-supplied data files, for suites that read them.
        options: Suite-specific options (``--set KEY=VALUE`` on the command line).
    """

    split: str | None = None
    seed: int = 0
    quick: bool = False
    workers: int | None = None
    data_dir: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


class Suite(Protocol):
    """A benchmark suite."""

    name: str
    description: str
    splits: tuple[str, ...]  #: the first one is the default

    def run(self, config: BenchConfig, progress: Progress) -> dict[str, Any]:
        """Run the suite; return at least :data:`REQUIRED_FIELDS` plus suite-specific fields."""


def integer_options(
    suite: str,
    config: BenchConfig,
    defaults: dict[str, int],
    quick: dict[str, int],
    least: dict[str, int] | None = None,
    extra: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A suite's integer ``--set`` options: ``defaults`` (``quick`` with ``--quick``) overridden by the
    config; an unknown name or a value below its least (1 unless ``least`` says otherwise) raises
    :class:`NesyError`. ``extra`` names options the suite reads itself (they are not returned).

    Example:
        >>> integer_options("toy", BenchConfig(options={"k": 3}), {"k": 1}, {"k": 1})
        {'k': 3}
        >>> integer_options("toy", BenchConfig(options={"k": 0}), {"k": 1}, {"k": 1})
        Traceback (most recent call last):
        ...
        nesy.errors.NesyError: toy: --set k= must be an integer >= 1, got 0
    """
    options = dict(quick if config.quick else defaults)
    unknown = set(config.options) - set(options) - set(extra)
    if unknown:
        raise NesyError(f"{suite}: unknown option(s) {sorted(unknown)}; known: {', '.join([*extra, *options])}")
    for key in options:
        if key in config.options:
            value, low = config.options[key], (least or {}).get(key, 1)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise NesyError(f"{suite}: --set {key}= must be an integer >= {low}, got {value!r}")
            options[key] = value
    return options


def versions() -> dict[str, str]:
    """Installed versions of nesy, Python and the solver/ML libraries."""
    found = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_hash() -> str:
    """The commit of the nesy source tree, or ``unknown`` outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).resolve().parent, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 else "unknown"


def run_suite(suite: Suite, config: BenchConfig, progress: Progress | None = None) -> dict[str, Any]:
    """Run ``suite`` and return its results with the common fields filled in."""
    split = config.split or suite.splits[0]
    if split not in suite.splits:
        raise NesyError(f"suite {suite.name!r} has no split {split!r} (splits: {', '.join(suite.splits)})")
    config = BenchConfig(**{**asdict(config), "split": split})
    started = time.time()
    commit = git_hash()  # the code that runs, read before the run (a long run may outlive later commits)
    results = suite.run(config, progress or NullProgress())
    missing = [f for f in REQUIRED_FIELDS if f not in results]
    if missing:
        raise RuntimeError(f"suite {suite.name!r} did not report {missing}")
    header = {
        "suite": suite.name,
        "split": split,
        "seed": config.seed,
        "quick": config.quick,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "versions": versions(),
        "git_hash": commit,
    }
    return {**header, **results}


def write_results(results: dict[str, Any], path: str | Path) -> Path:
    """Write results as pretty JSON, creating parent directories."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=False, default=str) + "\n")
    return path
