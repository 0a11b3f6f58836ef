"""``nesy solvers`` and ``nesy run``: list backends, run one program in the sandbox."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from nesy.budget import Budget
from nesy.errors import NesyError
from nesy.executor import LocalExecutor
from nesy.registry import get_solver, plugins
from nesy.verdict import Status, Verdict


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array instead of a table.")
def solvers(as_json: bool) -> None:
    """List installed solver backends (plugins included) with versions and languages."""
    rows = []
    for info in plugins():
        try:
            solver = get_solver(info.name)
            rows.append(
                {
                    "name": info.name,
                    "version": solver.version,
                    "languages": list(solver.languages),
                    "distribution": info.distribution,
                    "entry_point": info.target,
                    "status": "ok",
                }
            )
        except NesyError as exc:
            rows.append({"name": info.name, "distribution": info.distribution, "entry_point": info.target, "status": str(exc)})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table("backend", "version", "languages", "package", "status")
    for row in rows:
        table.add_row(
            row["name"], row.get("version", "-"), ", ".join(row.get("languages", [])), row["distribution"], row["status"]
        )
    Console().print(table)


def _json_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not valid JSON ({exc.msg} at column {exc.colno})", ctx, param) from exc


def _read_program(source: str, limit: int) -> str | Verdict:
    """The program text, or a ``rejected`` verdict when it is over the size limit."""
    try:
        if source == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(source, "rb") as f:
                data = f.read(limit + 1)
    except OSError as exc:
        raise NesyError(f"cannot read program file {source!r}: {exc.strerror}") from exc
    if len(data) > limit:
        return Verdict(Status.REJECTED, message=f"program is over the size limit of {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Verdict(Status.REJECTED, message=f"program is not UTF-8 text (byte {exc.start})")


@click.command()
@click.option("--backend", "-b", required=True, help="Backend name (see 'nesy solvers').")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=Budget.wall_seconds, show_default=True, help="Wall-clock budget in seconds.")
@click.option("--memory", type=click.IntRange(min=16), default=Budget.memory_mb, show_default=True, help="Memory budget in MiB.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=Budget.max_program_bytes, show_default=True, help="Largest program accepted.")
@click.option("--input", "input_", callback=_json_option, help="The program's input, as JSON.")
@click.option("--expected", callback=_json_option, help="Check mode: the expected value, as JSON.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.argument("program_file", metavar="FILE|-")
def run(backend: str, timeout: float, memory: int, max_bytes: int, input_: Any, expected: Any, as_json: bool, program_file: str) -> None:
    """Run one program in a sandboxed worker under a budget.

    Exits 0 whenever the program ran to a verdict, whatever its status.
    """
    solver = get_solver(backend)
    budget = Budget(wall_seconds=timeout, memory_mb=memory, max_program_bytes=max_bytes)
    started = time.perf_counter()
    program = _read_program(program_file, max_bytes)
    if isinstance(program, Verdict):
        verdict = program
    else:
        mode = "check" if expected is not None else "run"
        with LocalExecutor(workers=1, cache=False) as pool:
            verdict = pool.solve(solver, program, input_, mode=mode, expected=expected, budget=budget)
    seconds = time.perf_counter() - started
    if as_json:
        click.echo(json.dumps({"backend": backend, **verdict.to_dict(), "seconds": round(seconds, 6)}, default=str))
        return
    console = Console()
    style = "green" if verdict.status.is_success else "red"
    console.print(f"[{style}]{verdict.status.value}[/{style}]  {verdict.message}  ({seconds:.3f} s)")
    if verdict.value is not None:
        console.print(json.dumps(verdict.value, indent=2, default=str), markup=False, highlight=False)
