"""``nesy report``: results JSON files to a markdown table and plots."""

from __future__ import annotations

import click

from nesy.report import write_report


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", default="report", show_default=True, type=click.Path(file_okay=False), help="Output directory.")
@click.option("--no-plots", is_flag=True, help="Only the markdown table.")
def report(paths: tuple[str, ...], out_dir: str, no_plots: bool) -> None:
    """Render results files (or directories of them) as report.md plus PNG plots."""
    written, images = write_report(list(paths), out_dir, plots=not no_plots)
    click.echo(written.read_text())
    click.echo(f"wrote {written}" + (f" and {len(images)} plot(s)" if images else ""))
