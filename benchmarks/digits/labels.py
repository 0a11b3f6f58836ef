"""Reading result-label files for the addition suite (JSON Lines), strictly but without crashing.

Each line is ``{"images": [i, ...], "sum": S}``: ``2N`` indices into the training image pool and
the sum they show. A line that is not JSON, has the wrong number of images, an index outside
the pool, or a sum no two N-digit numbers can make is reported (file and line) and skipped.

Example:
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "train.jsonl")
    >>> _ = open(path, "w").write('{"images": [0, 1], "sum": 9}\\n{"images": [0], "sum": 3}\\n')
    >>> examples, problems = read_label_file(path, n_digits=1, pool_size=10)
    >>> len(examples), problems
    (1, ['train.jsonl:2: expected 2 image indices (two 1-digit numbers), got 1'])
"""

from __future__ import annotations

import json

from nesy.benchmarks.digits.addition import AdditionExample, sum_facts
from nesy.benchmarks.label_files import read_json_lines


def read_label_file(path: str, n_digits: int, pool_size: int) -> tuple[list[AdditionExample], list[str]]:
    """Examples from a label file, and one message per skipped line."""
    def parse(record: object) -> AdditionExample | str:
        problem = _problem(record, n_digits, pool_size)
        return problem if problem else AdditionExample(tuple(record["images"]), record["sum"])  # type: ignore[index]

    return read_json_lines(path, parse)


def _problem(record: object, n_digits: int, pool_size: int) -> str | None:
    if not isinstance(record, dict) or "images" not in record or "sum" not in record:
        return 'expected an object with "images" and "sum"'
    images = record["images"]
    if not isinstance(images, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in images):
        return '"images" must be a list of integer indices'
    if len(images) != 2 * n_digits:
        return f"expected {2 * n_digits} image indices (two {n_digits}-digit numbers), got {len(images)}"
    outside = [i for i in images if not 0 <= i < pool_size]
    if outside:
        return f"image index {outside[0]} is outside the training pool (0 to {pool_size - 1})"
    try:
        sum_facts(record["sum"], n_digits)
    except ValueError as exc:
        return f"impossible sum: {exc}"
    return None


def write_label_file(path: str, examples: list[AdditionExample]) -> None:
    """Write examples in the format :func:`read_label_file` reads."""
    with open(path, "w", encoding="utf-8") as handle:
        for example in examples:
            handle.write(json.dumps({"images": list(example.indices), "sum": example.total}) + "\n")
