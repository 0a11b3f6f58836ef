"""``nesy suites`` and ``nesy bench``: the benchmark harness."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from nesy.cli.rich_progress import RichProgress
from nesy.errors import NesyError
from nesy.registry import get_suite, plugins, SUITE_GROUP
from nesy.suites import BenchConfig, run_suite, write_results


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array instead of a table.")
def suites(as_json: bool) -> None:
    """List installed benchmark suites and their splits."""
    rows = []
    for info in plugins(SUITE_GROUP):
        try:
            suite = get_suite(info.name)
            rows.append({"name": info.name, "splits": list(suite.splits), "description": suite.description})
        except NesyError as exc:
            rows.append({"name": info.name, "splits": [], "description": f"broken: {exc}"})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table("suite", "splits (first is default)", "description")
    for row in rows:
        table.add_row(row["name"], ", ".join(row["splits"]), row["description"])
    Console().print(table)


def _parse_set(values: tuple[str, ...]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--set")
        try:
            options[key] = json.loads(raw)
        except json.JSONDecodeError:
            options[key] = raw
    return options


@click.command()
@click.argument("suite_name", metavar="SUITE")
@click.option("--split", help="Split to run (default: the suite's first).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--quick", is_flag=True, help="Small, fast variant (as run in CI).")
@click.option("--workers", type=click.IntRange(min=1), help="Solver worker processes (default: one per core).")
@click.option("--data-dir", type=click.Path(file_okay=False), help="Directory with user-supplied data files.")
@click.option("--train", "train_file", type=click.Path(dir_okay=False), help="Training data file (suites that read one, e.g. seq).")
@click.option("--test", "test_file", type=click.Path(dir_okay=False), help="Test data file (suites that read one, e.g. seq).")
@click.option("--permute-vocab", type=int, metavar="SEED", help="Rename input words and output tokens by a seeded bijection.")
@click.option("--digits", type=click.IntRange(min=1), metavar="N", help="Digits per number (digits-add).")
@click.option("--check-executors", is_flag=True, help="Cross-check the dsl and clingo executors instead of learning (clevr).")
@click.option("--images", is_flag=True, help="Render the scenes and answer on perceived pictures, end to end (clevr).")
@click.option("--set", "set_", multiple=True, metavar="KEY=VALUE", help="Suite-specific option (repeatable).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the results JSON here.")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
def bench(
    suite_name: str,
    split: str | None,
    seed: int,
    quick: bool,
    workers: int | None,
    data_dir: str | None,
    train_file: str | None,
    test_file: str | None,
    permute_vocab: int | None,
    digits: int | None,
    check_executors: bool,
    images: bool,
    set_: tuple[str, ...],
    json_path: str | None,
    no_progress: bool,
) -> None:
    """Run benchmark SUITE and report its results (see 'nesy suites')."""
    if data_dir is not None and not Path(data_dir).is_dir():
        raise NesyError(f"--data-dir {data_dir!r} is not a directory")
    for flag, path in (("--train", train_file), ("--test", test_file)):
        if path is not None and not Path(path).is_file():
            raise NesyError(f"{flag} {path!r}: no such file")
    suite = get_suite(suite_name)
    options = _parse_set(set_)
    options.update({k: v for k, v in (("train", train_file), ("test", test_file), ("permute_vocab", permute_vocab), ("digits", digits)) if v is not None})
    if check_executors:
        options["check_executors"] = 1
    if images:
        options["images"] = 1
    config = BenchConfig(split=split, seed=seed, quick=quick, workers=workers, data_dir=data_dir, options=options)
    with RichProgress(disable=no_progress or not sys.stderr.isatty()) as progress:
        results = run_suite(suite, config, progress)
    if json_path:
        write_results(results, json_path)
    _print_summary(results, json_path)


def _print_summary(results: dict[str, Any], json_path: str | None) -> None:
    console = Console()
    table = Table(title=f"nesy bench {results['suite']} --split {results['split']}", show_header=False)
    for key in ("accuracy", "n_train", "n_test", "train_seconds", "eval_seconds"):
        value = results[key]
        table.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
    for line in results.get("summary", []):
        table.add_row(*[str(x) for x in line])
    console.print(table)
    if json_path:
        console.print(f"results written to {json_path}")
