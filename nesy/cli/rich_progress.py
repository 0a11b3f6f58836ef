"""A rich-based :class:`nesy.progress.Progress` for the CLI."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from nesy.progress import Advance


class RichProgress:
    """Progress bars on stderr; use as a context manager."""

    def __init__(self, disable: bool = False) -> None:
        self._bars = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            disable=disable,
            transient=False,
        )

    def task(self, description: str, total: int | None = None) -> Advance:
        task_id = self._bars.add_task(description, total=total)
        return lambda steps=1: self._bars.advance(task_id, steps)

    def __enter__(self) -> "RichProgress":
        self._bars.start()
        return self

    def __exit__(self, *exc) -> None:
        self._bars.stop()
