"""Entry point of the ``nesy`` command: one click group, errors as one clear line.

User errors (:class:`~nesy.errors.NesyError`, click usage errors) print ``nesy: error: ...`` and
exit with status 2; an unexpected failure prints one line too (``NESY_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import logging
import os
import sys

import click

from nesy import __version__
from nesy.cli.bench_cmd import bench, suites
from nesy.cli.data_cmd import data
from nesy.cli.report_cmd import report
from nesy.cli.run_cmd import run, solvers
from nesy.cli.traces_cmd import traces
from nesy.errors import NesyError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nesy")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """nesy: neural modules propose programs, sandboxed solvers verify them."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


for command in (solvers, run, suites, bench, report, traces, data):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status instead of raising."""
    try:
        cli.main(args=argv, prog_name="nesy", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        click.echo("nesy: aborted", err=True)
        return 130
    except click.ClickException as exc:
        hint = ""
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        click.echo(f"nesy: error: {exc.format_message()}{hint}", err=True)
        return exc.exit_code if isinstance(exc, click.UsageError) else 2
    except NesyError as exc:
        click.echo(f"nesy: error: {exc}", err=True)
        return 2
    except KeyboardInterrupt:
        click.echo("nesy: interrupted", err=True)
        return 130
    except Exception as exc:  # never a bare traceback for users
        if os.environ.get("NESY_DEBUG"):
            raise
        click.echo(f"nesy: internal error: {type(exc).__name__}: {exc} (set NESY_DEBUG=1 for the traceback)", err=True)
        return 1
    return 0


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
