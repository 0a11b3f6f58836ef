"""Turn results JSON files into a markdown table and plots.

A results file may carry ``plots``: a list of ``{"name", "title", "xlabel", "ylabel", "x": [...],
"series": {label: [...]}}`` (optionally ``"xscale": "log"``); each becomes a line plot. Every report
also gets a bar chart of accuracy (and the baseline's, where reported) per suite and split.

A results file may also name a ``sweep``: the numeric field that places it on an x-axis (for
example ``"sweep": "digits"``). Results of one suite sweeping the same field are drawn together:
accuracy (and ``ceiling``, where reported) and training seconds against that field.

Example:
    >>> rows = [{"suite": "s", "split": "a", "seed": 0, "accuracy": 1.0, "n_train": 1, "n_test": 2,
    ...          "train_seconds": 0.5, "eval_seconds": 0.1}]
    >>> print(markdown_table(rows).splitlines()[2])
    | s | a | 0 | 1.0000 | - | 1 | 2 | 0.5 | 0.1 |
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nesy.errors import NesyError

COLUMNS = ("suite", "split", "seed", "accuracy", "baseline", "n_train", "n_test", "train s", "eval s")


def load_results(paths: list[str | Path]) -> list[dict[str, Any]]:
    """Read results files; a directory contributes every ``*.json`` below it."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(path.rglob("*.json"))
        elif path.exists():
            files.append(path)
        else:
            raise NesyError(f"no such results file or directory: {path}")
    results = []
    for file in files:
        try:
            data = json.loads(file.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise NesyError(f"{file}: not a readable results JSON file ({exc})") from exc
        if not isinstance(data, dict) or "suite" not in data or "accuracy" not in data:
            raise NesyError(f"{file}: not a nesy results file (needs at least 'suite' and 'accuracy')")
        data["_file"] = str(file)
        results.append(data)
    if not results:
        raise NesyError("no results files found")
    return results


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}" if digits else f"{value:g}"
    return str(value)


def markdown_table(results: list[dict[str, Any]]) -> str:
    """One row per results file."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in results:
        baseline = (r.get("baseline") or {}).get("accuracy") if isinstance(r.get("baseline"), dict) else None
        cells = [
            r.get("suite"),
            r.get("split"),
            r.get("seed"),
            _fmt(r.get("accuracy")),
            _fmt(baseline),
            r.get("n_train"),
            r.get("n_test"),
            _fmt(round(float(r.get("train_seconds", 0)), 1), 0),
            _fmt(round(float(r.get("eval_seconds", 0)), 1), 0),
        ]
        lines.append("| " + " | ".join(_fmt(c) if not isinstance(c, str) else c for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise NesyError("plots need matplotlib: pip install 'nesy[plot]'") from exc
    return plt


def plot_results(results: list[dict[str, Any]], out_dir: Path) -> list[Path]:
    """Write the accuracy bar chart and every declared line plot as PNG files."""
    plt = _pyplot()
    written = []
    labels = [f"{r['suite']}/{r.get('split')}/s{r.get('seed')}" for r in results]
    fig, ax = plt.subplots(figsize=(max(4, 0.8 * len(results) + 2), 3.5))
    xs = range(len(results))
    ax.bar([x - 0.2 for x in xs], [r["accuracy"] for r in results], width=0.4, label="nesy")
    baselines = [(r.get("baseline") or {}).get("accuracy") if isinstance(r.get("baseline"), dict) else None for r in results]
    if any(b is not None for b in baselines):
        ax.bar([x + 0.2 for x in xs], [b or 0 for b in baselines], width=0.4, label="baseline")
    ax.set_xticks(list(xs), labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("accuracy")
    ax.legend()
    fig.tight_layout()
    written.append(out_dir / "accuracy.png")
    fig.savefig(written[-1], dpi=120)
    plt.close(fig)
    for r in results:
        for spec in r.get("plots", []):
            fig, ax = plt.subplots(figsize=(5, 3.5))
            for label, ys in spec["series"].items():
                ax.plot(spec["x"], ys, marker="o", label=label)
            ax.set_title(spec.get("title", spec["name"]))
            ax.set_xlabel(spec.get("xlabel", ""))
            ax.set_ylabel(spec.get("ylabel", ""))
            if spec.get("xscale"):
                ax.set_xscale(spec["xscale"])
            ax.legend()
            fig.tight_layout()
            written.append(out_dir / f"{r['suite']}-{r.get('split')}-{spec['name']}.png")
            fig.savefig(written[-1], dpi=120)
            plt.close(fig)
    return written + sweep_plots(results, out_dir)


def sweeps(results: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Results grouped by (suite, swept field), sorted along the field; only groups of two or more."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in results:
        key = r.get("sweep")
        if isinstance(key, str) and isinstance(r.get(key), (int, float)):
            groups.setdefault((r["suite"], key), []).append(r)
    return {k: sorted(v, key=lambda r: r[k[1]]) for k, v in groups.items() if len(v) > 1}


def sweep_plots(results: list[dict[str, Any]], out_dir: Path) -> list[Path]:
    """One PNG per sweep: accuracy (and ceiling) on the left axis, training seconds on the right."""
    plt = _pyplot()
    written = []
    for (suite, field_name), group in sweeps(results).items():
        xs = [r[field_name] for r in group]
        fig, ax = plt.subplots(figsize=(5.5, 3.5))
        ax.plot(xs, [r["accuracy"] for r in group], marker="o", label="accuracy")
        if all(isinstance(r.get("ceiling"), (int, float)) for r in group):
            ax.plot(xs, [r["ceiling"] for r in group], marker="s", linestyle="--", label="ceiling")
        ax.set_ylim(0, 1.05)
        ax.set_xlabel(field_name)
        ax.set_ylabel("accuracy")
        right = ax.twinx()
        right.plot(xs, [float(r.get("train_seconds", 0)) for r in group], marker="^", color="tab:red", label="train seconds")
        right.set_ylabel("train seconds")
        handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
        ax.legend(handles=handles, loc="lower left", fontsize=8)
        ax.set_title(f"{suite}: accuracy and training time against {field_name}")
        fig.tight_layout()
        written.append(out_dir / f"{suite}-sweep-{field_name}.png")
        fig.savefig(written[-1], dpi=120)
        plt.close(fig)
    return written


def write_report(paths: list[str | Path], out_dir: str | Path, plots: bool = True) -> tuple[Path, list[Path]]:
    """Write ``report.md`` (and plots) for the results in ``paths``; return what was written."""
    results = load_results(paths)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    images = plot_results(results, out) if plots else []
    body = "# nesy results\n\n" + markdown_table(results)
    body += "".join(f"\n![{img.stem}]({img.name})\n" for img in images)
    report = out / "report.md"
    report.write_text(body)
    return report, images
