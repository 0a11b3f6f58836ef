"""``nesy data export``: write a suite's split as files."""

from __future__ import annotations

import click

from nesy.errors import NesyError
from nesy.registry import get_suite


@click.group()
def data() -> None:
    """Benchmark data: export splits as files."""


@data.command("export")
@click.argument("suite_name", metavar="SUITE")
@click.option("--split", required=True, help="Split to export.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output directory.")
@click.option("--data-dir", type=click.Path(file_okay=False), help="Directory with official files (file-based splits).")
@click.option("--permute-vocab", type=int, metavar="SEED", help="Rename words and tokens by a seeded bijection.")
def export(suite_name: str, split: str, out_dir: str, data_dir: str | None, permute_vocab: int | None) -> None:
    """Write SUITE's SPLIT to OUT/train.txt and OUT/test.txt."""
    suite = get_suite(suite_name)
    if not hasattr(suite, "export"):
        raise NesyError(f"suite {suite_name!r} has no data to export")
    if split not in suite.splits:
        raise NesyError(f"suite {suite_name!r} has no split {split!r} (splits: {', '.join(suite.splits)})")
    n_train, n_test = suite.export(split, out_dir, data_dir=data_dir, permute_seed=permute_vocab)
    click.echo(f"wrote {n_train} training and {n_test} test lines to {out_dir}")
