"""``nesy traces``: look into a run's trace store and export it as fine-tuning data.

Commands::

    nesy traces stats runs/scan-0            # a table of counts (or --json for one JSON object)
    nesy traces export runs/scan-0 --out train.jsonl          # verified traces only
    nesy traces export runs/scan-0 --out all.parquet --all    # every trace, Parquet (needs pyarrow)

PATH is a run directory (its ``traces.sqlite`` is used) or a ``.sqlite`` file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from nesy.errors import NesyError
from nesy.traces.export import FORMATS, export, format_for
from nesy.traces.store import FILENAME, TraceStore
from nesy.traces.trace import Origin


def open_store(path: str | Path) -> TraceStore:
    """Open an existing store from a run directory or a file; never creates one.

    Raises:
        click.ClickException: No store there, or the file is not a (readable) nesy trace store.
    """
    path = Path(path)
    file = path / FILENAME if path.is_dir() else path
    if not file.exists():
        where = f"in run directory {path}" if path.is_dir() else f"at {path}"
        raise click.ClickException(f"no trace store {where}")
    try:
        return TraceStore(file, create=False)
    except NesyError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("traces")
def traces() -> None:
    """Inspect and export trace stores (PATH: a run directory or a traces .sqlite file)."""


@traces.command("stats")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
def stats_cmd(path: Path, as_json: bool) -> None:
    """Counts of traces by status, origin, round and backend."""
    try:
        with open_store(path) as store:
            stats = store.stats()
    except NesyError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(stats, sort_keys=True))
        return
    _print_stats(stats, str(path))


@traces.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the --out extension).")
@click.option("--all", "include_all", is_flag=True, help="Export every trace, not only verified ones.")
@click.option("--round", "round_", type=int, default=None, help="Only this round.")
@click.option("--origin", type=click.Choice([o.value for o in Origin]), default=None, help="Only this origin.")
def export_cmd(path: Path, out: Path, fmt: str | None, include_all: bool, round_: int | None,
               origin: str | None) -> None:
    """Write prompt/completion rows (JSONL or Parquet) for fine-tuning."""
    try:
        fmt = fmt or format_for(out)
        with open_store(path) as store:
            count = export(store, out, format=fmt, verified_only=not include_all, round=round_, origin=origin)
    except NesyError as exc:
        raise click.ClickException(str(exc)) from exc
    kind = "traces" if include_all else "verified traces"
    click.echo(f"wrote {count} rows ({kind}) to {out} [{fmt}]")


def _print_stats(stats: dict[str, Any], title: str) -> None:
    console = Console()
    summary = Table(title=f"trace store {title}", show_header=False)
    summary.add_column("what")
    summary.add_column("count", justify="right")
    for key in ("traces", "verified", "tasks", "tasks_verified", "programs", "verified_programs", "cached_verdicts"):
        summary.add_row(key.replace("_", " "), str(stats[key]))
    console.print(summary)
    for key in ("by_status", "by_origin", "by_round", "by_backend"):
        table = Table(title=key.replace("_", " "))
        table.add_column(key[3:])
        table.add_column("traces", justify="right")
        for name, count in stats[key].items():
            table.add_row(str(name), str(count))
        console.print(table)
