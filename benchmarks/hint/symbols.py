"""Symbol images for HINT-style expressions: the bundled digits, and operators drawn with random strokes.

The 16 classes are :data:`SYMBOLS` (class index = position): the digits ``0``-``9`` come from the
bundled 8x8 set (:mod:`nesy.benchmarks.digits.images`, disjoint train and test pools); the six
others are drawn by :func:`render_symbol`: ``+`` a cross, ``-`` a bar, ``*`` a multiplication
cross (x), ``/`` a division sign (a bar with a dot above and below), parentheses as arcs. Each is
drawn as thick strokes on a 32x32 canvas with jittered endpoints, random thickness, slant, scale
and offset, then shrunk by area averaging to 8x8 -- the way the bundled digits were made from
32x32 bitmaps -- so ink is bright on dark with the digits' rough stroke width and intensity.
Train and test images come from different random streams. Nothing is downloaded.

Example:
    >>> import random
    >>> image = render_symbol("+", random.Random(0))
    >>> tuple(image.shape), 0.0 <= float(image.min()), float(image.max()) <= 1.0
    ((8, 8), True, True)
    >>> SYMBOLS.index("*"), len(SYMBOLS)
    (12, 16)
"""

from __future__ import annotations

import logging
import math
import random
from dataclasses import dataclass
from typing import Sequence

import torch

from nesy.benchmarks.digits.images import ImagePool, load_pools
from nesy.errors import NesyError

log = logging.getLogger(__name__)

SYMBOLS: tuple[str, ...] = tuple(str(d) for d in range(10)) + ("+", "-", "*", "/", "(", ")")
OPERATORS: tuple[str, ...] = ("+", "-", "*", "/")
PARENS: tuple[str, ...] = ("(", ")")
DRAWN: tuple[str, ...] = OPERATORS + PARENS
CANVAS = 32
_INDEX = {symbol: index for index, symbol in enumerate(SYMBOLS)}

Point = tuple[float, float]


def _arc(side: int, rng: random.Random) -> list[Point]:
    """A parenthesis as a polyline: ``side`` 1 bulges left ``(``, -1 bulges right ``)``."""
    bulge = rng.uniform(0.14, 0.24)
    top, bottom = rng.uniform(0.1, 0.18), rng.uniform(0.82, 0.9)
    steps = 10
    points = []
    for step in range(steps + 1):
        t = step / steps
        points.append((0.5 + side * (bulge * 0.6 - bulge * math.sin(math.pi * t)), top + (bottom - top) * t))
    return points


def _strokes(symbol: str, rng: random.Random) -> tuple[list[list[Point]], list[Point]]:
    """Polylines and dots in unit coordinates (0..1, y down), before jitter and slant."""
    half = rng.uniform(0.28, 0.36)  # half the length of a bar or cross arm
    if symbol == "+":
        return [[(0.5 - half, 0.5), (0.5 + half, 0.5)], [(0.5, 0.5 - half), (0.5, 0.5 + half)]], []
    if symbol == "-":
        return [[(0.5 - half, 0.5), (0.5 + half, 0.5)]], []
    if symbol == "*":
        arm = half * 0.8
        return [[(0.5 - arm, 0.5 - arm), (0.5 + arm, 0.5 + arm)], [(0.5 + arm, 0.5 - arm), (0.5 - arm, 0.5 + arm)]], []
    if symbol == "/":
        gap = rng.uniform(0.3, 0.36)
        return [[(0.5 - half, 0.5), (0.5 + half, 0.5)]], [(0.5, 0.5 - gap), (0.5, 0.5 + gap)]
    if symbol in PARENS:
        return [_arc(1 if symbol == "(" else -1, rng)], []
    raise NesyError(f"render_symbol draws only {' '.join(DRAWN)}, not {symbol!r} (digits come from the bundled images)")


def render_symbol(symbol: str, rng: random.Random, size: int = 8) -> torch.Tensor:
    """One randomly drawn image of a non-digit symbol.

    Args:
        symbol: one of ``+ - * / ( )``.
        rng: the random stream that decides jitter, thickness, slant, scale and offset.
        size: the side of the returned image in pixels.

    Returns:
        A ``(size, size)`` float tensor in [0, 1], bright ink on a dark background.

    Raises:
        NesyError: for a digit or an unknown symbol.

    Example:
        >>> import random
        >>> rng = random.Random(1)
        >>> bar = render_symbol("-", rng)
        >>> bool(bar[3:5].sum() > bar[0:2].sum())  # ink in the middle rows
        True
    """
    from PIL import Image, ImageDraw

    lines, dots = _strokes(symbol, rng)
    width = rng.randint(5, 8)
    slant = rng.uniform(-0.3, 0.3)
    scale = rng.uniform(0.85, 1.1)
    dx, dy = rng.uniform(-0.06, 0.06), rng.uniform(-0.06, 0.06)
    jitter = 0.04

    def place(x: float, y: float, wobble: float) -> Point:
        x, y = 0.5 + (x - 0.5) * scale, 0.5 + (y - 0.5) * scale
        x += slant * (0.5 - y)
        x += dx + rng.uniform(-wobble, wobble)
        y += dy + rng.uniform(-wobble, wobble)
        return x * CANVAS, y * CANVAS

    image = Image.new("L", (CANVAS, CANVAS), 0)
    draw = ImageDraw.Draw(image)
    for line in lines:
        ends = {0, len(line) - 1}
        points = [place(x, y, jitter if i in ends else jitter / 3) for i, (x, y) in enumerate(line)]
        draw.line(points, fill=255, width=width, joint="curve")
        for cx, cy in (points[0], points[-1]):  # round caps, like a pen
            r = (width - 1) / 2
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
    for x, y in dots:
        cx, cy = place(x, y, jitter / 2)
        r = width * rng.uniform(0.5, 0.65)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
    small = image.resize((size, size), Image.BOX)
    pixels = torch.frombuffer(bytearray(small.tobytes()), dtype=torch.uint8)
    return pixels.to(torch.float32).view(size, size) / 255.0


@dataclass(frozen=True)
class SymbolPools:
    """Train and test images of all 16 symbols; ``ImagePool.digits`` holds the class index (0..15)."""

    train: ImagePool
    test: ImagePool
    source: str


def _pool(digits: ImagePool, rng: random.Random, per_symbol: int, seed: int) -> ImagePool:
    images, classes = [digits.images], [digits.digits]
    for symbol in DRAWN:
        images.append(torch.stack([render_symbol(symbol, rng) for _ in range(per_symbol)]))
        classes.append(torch.full((per_symbol,), _INDEX[symbol], dtype=torch.long))
    images_t, classes_t = torch.cat(images), torch.cat(classes)
    order = torch.randperm(len(classes_t), generator=torch.Generator().manual_seed(seed))
    return ImagePool(images_t[order], classes_t[order])


def load_symbol_pools(seed: int = 0, per_operator: int = 120) -> SymbolPools:
    """Images of all 16 symbols, in disjoint train and test pools.

    Args:
        seed: decides the digit split (:func:`~nesy.benchmarks.digits.images.load_pools`) and
            the drawn symbols.
        per_operator: drawn training images per non-digit symbol; the test pool gets a third
            as many (at least 40), drawn from a different random stream.

    Returns:
        The pools (shuffled) and a line naming where the images come from.

    Example:
        >>> pools = load_symbol_pools(seed=0, per_operator=60)
        >>> int((pools.train.digits == SYMBOLS.index("/")).sum()), int((pools.test.digits == 15).sum())
        (60, 40)
    """
    if per_operator < 1:
        raise NesyError(f"per_operator must be at least 1, got {per_operator}")
    digits = load_pools(seed)
    per_test = max(40, round(per_operator / 3))
    train = _pool(digits.train, random.Random(f"hint-symbols-train-{seed}"), per_operator, seed)
    test = _pool(digits.test, random.Random(f"hint-symbols-test-{seed}"), per_test, seed + 1)
    log.debug("symbol pools: %d train, %d test images", len(train), len(test))
    return SymbolPools(train, test, digits.source + " + strokes drawn by nesy.benchmarks.hint.symbols")


_BY_CLASS: dict[int, tuple[ImagePool, dict[int, list[int]]]] = {}


def _by_class(pool: ImagePool) -> dict[int, list[int]]:
    cached = _BY_CLASS.get(id(pool))
    if cached is not None and cached[0] is pool:
        return cached[1]
    index: dict[int, list[int]] = {}
    for i, c in enumerate(pool.digits.tolist()):
        index.setdefault(c, []).append(i)
    if len(_BY_CLASS) >= 8:
        _BY_CLASS.clear()
    _BY_CLASS[id(pool)] = (pool, index)  # holding the pool keeps its id from being reused
    return index


def images_of(pool: ImagePool, tokens: Sequence[str], rng: random.Random) -> tuple[int, ...]:
    """For each token, a random index into ``pool`` of an image of that symbol.

    Raises:
        NesyError: for a token that is not a symbol, or one the pool has no image of.

    Example:
        >>> import random, torch
        >>> pool = ImagePool(torch.zeros(3, 8, 8), torch.tensor([3, 10, 3]))
        >>> images_of(pool, ["3", "+", "3"], random.Random(0))[1]
        1
    """
    index = _by_class(pool)
    out = []
    for token in tokens:
        if token not in _INDEX:
            raise NesyError(f"unknown symbol {token!r} (known: {' '.join(SYMBOLS)})")
        choices = index.get(_INDEX[token])
        if not choices:
            raise NesyError(f"the image pool has no image of {token!r}")
        out.append(choices[rng.randrange(len(choices))])
    return tuple(out)
