"""CLEVR-style scenes: random objects on a ground plane, their image positions and spatial relations.

A scene is a plain dict in the layout of CLEVR's ``CLEVR_<split>_scenes.json`` entries::

    {"image_index", "image_filename", "split",
     "objects": [{"shape", "color", "size", "material", "3d_coords", "pixel_coords", "rotation"}, ...],
     "relationships": {"left": [[j, ...] per object i], "right": ..., "front": ..., "behind": ...},
     "directions": {"behind": [x, y, z], "front": ..., "left": ..., "right": ..., "above": ..., "below": ...}}

Placement follows CLEVR's ``render_images.py``: an object of radius r (0.35 small, 0.7 large) sits
at ``(x, y, r)`` with x, y uniform in ``[-extent, extent]``; a position is retried while the object
would come closer than ``min_gap`` to another one (surface to surface), or while some other object
lies less than ``placement_margin`` away along one of the four directions (so that left/right and
front/behind are unambiguous for every pair); after ``max_tries`` failures the whole scene starts
again, and after ``max_restarts`` restarts a :class:`~nesy.errors.NesyError` says the constraints
cannot be met.

Relations are CLEVR's ``compute_all_relationships``: ``relationships[rel][i]`` lists (sorted) the
objects j with ``(pos_j - pos_i) . directions[rel] > relation_eps`` -- the objects that are ``rel``
*of* object i ("j is left of i"). Objects closer than ``relation_eps`` along a direction are in
neither relation of that pair of opposites.

Camera (for ``pixel_coords``): a pinhole at ``C = -10 * behind + (0, 0, 5.34)`` (about where CLEVR's
camera stands) looking at the origin, focal length 525 px, image 480 x 320. With ``f`` the unit
vector from C to the origin, ``r = f x z`` normalised and ``u = r x f``, a point p maps to
``[240 + 525 (p-C).r / (p-C).f, 160 - 525 (p-C).u / (p-C).f, (p-C).f]`` (x and y rounded to pixels,
the third entry is depth).

Example:
    >>> scene = generate_scene(0, seed=7)
    >>> 3 <= len(scene["objects"]) <= 10, sorted(scene["objects"][0])
    (True, ['3d_coords', 'color', 'material', 'pixel_coords', 'rotation', 'shape', 'size'])
    >>> generate_scene(0, seed=7) == scene
    True
    >>> project((0.0, 0.0, 0.0))
    [240, 160, 11.3365]
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Sequence

from nesy.errors import NesyError

from .scene_files import load_scenes, validate_scene, write_scenes
from .vocab import ATTRIBUTES, COLORS, DIRECTIONS, RADIUS, RELATIONS, SHAPES

__all__ = [
    "COGENT_COLORS",
    "SceneConfig",
    "build_scene",
    "compute_relationships",
    "generate_scene",
    "generate_scenes",
    "load_scenes",
    "project",
    "validate_scene",
    "write_scenes",
]

IMAGE_WIDTH, IMAGE_HEIGHT, FOCAL_PX = 480, 320, 525.0
CAMERA = (-10 * DIRECTIONS["behind"][0], -10 * DIRECTIONS["behind"][1], 5.34)

#: CLEVR-CoGenT: colours a cube / cylinder may have in condition A (B swaps them); spheres take any colour.
COGENT_COLORS = {
    "A": {"cube": ("gray", "blue", "brown", "yellow"), "cylinder": ("red", "green", "purple", "cyan"), "sphere": COLORS},
    "B": {"cube": ("red", "green", "purple", "cyan"), "cylinder": ("gray", "blue", "brown", "yellow"), "sphere": COLORS},
}


@dataclass(frozen=True)
class SceneConfig:
    """How scenes are drawn (defaults are CLEVR's).

    Attributes:
        min_objects: Fewest objects in a scene.
        max_objects: Most objects in a scene.
        extent: x and y are drawn from ``[-extent, extent]``.
        min_gap: Least surface-to-surface distance between two objects.
        placement_margin: Least separation of two objects along each direction (0: no such check).
        relation_eps: Separation along a direction beyond which a relation holds.
        max_tries: Positions tried for one object before the scene starts again.
        max_restarts: Restarts before giving up with a :class:`NesyError`.
        cogent: ``"A"`` or ``"B"`` for CLEVR-CoGenT's colour/shape conditions, None for none.
        min_visible_pixels: Least number of pixels each object must show in the scene's picture
            (:func:`~nesy.benchmarks.clevr.render.visible_pixels`, default 160 x 120 render), else
            the objects are placed again; 0 (the default) draws no picture. CLEVR keeps every object
            at 200 visible pixels or more at 320 x 240 (its ``--min_pixels_per_object``): 50 at
            160 x 120, which ``nesy bench clevr --images`` uses.
    """

    min_objects: int = 3
    max_objects: int = 10
    extent: float = 3.0
    min_gap: float = 0.25
    placement_margin: float = 0.4
    relation_eps: float = 0.2
    max_tries: int = 50
    max_restarts: int = 200
    cogent: str | None = None
    min_visible_pixels: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.min_objects <= self.max_objects:
            raise NesyError(f"SceneConfig: need 1 <= min_objects <= max_objects, got {self.min_objects}, {self.max_objects}")
        if self.extent <= 0 or self.min_gap < 0 or self.placement_margin < 0 or self.relation_eps < 0 or self.min_visible_pixels < 0:
            raise NesyError("SceneConfig: extent must be positive; min_gap, placement_margin, relation_eps, min_visible_pixels at least 0")
        if self.cogent not in (None, "A", "B"):
            raise NesyError(f"SceneConfig.cogent must be 'A', 'B' or None, got {self.cogent!r}")


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


def _camera_basis() -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    f = tuple(-c for c in CAMERA)
    norm = math.sqrt(_dot(f, f))
    f = tuple(c / norm for c in f)
    r = (f[1], -f[0], 0.0)  # f x (0, 0, 1)
    norm = math.hypot(r[0], r[1])
    r = (r[0] / norm, r[1] / norm, 0.0)
    u = (r[1] * f[2] - r[2] * f[1], r[2] * f[0] - r[0] * f[2], r[0] * f[1] - r[1] * f[0])
    return f, r, u


_FORWARD, _RIGHT, _UP = _camera_basis()


def project(point: Sequence[float]) -> list[Any]:
    """``[x_pixel, y_pixel, depth]`` of a 3-D point under the fixed camera (see the module docstring)."""
    d = [p - c for p, c in zip(point, CAMERA)]
    depth = _dot(d, _FORWARD)
    x = IMAGE_WIDTH / 2 + FOCAL_PX * _dot(d, _RIGHT) / depth
    y = IMAGE_HEIGHT / 2 - FOCAL_PX * _dot(d, _UP) / depth
    return [int(round(x)), int(round(y)), round(depth, 4)]


def compute_relationships(
    coords: Sequence[Sequence[float]], eps: float = 0.2, directions: dict[str, Sequence[float]] = DIRECTIONS
) -> dict[str, list[list[int]]]:
    """CLEVR's relations: ``result[rel][i]`` = sorted j != i with ``(coords[j] - coords[i]) . dir > eps``.

    Example:
        >>> compute_relationships([(0, 0, 0.35), (-1, -1, 0.35)])["left"]  # object 1 is left of object 0
        [[1], []]
    """
    result: dict[str, list[list[int]]] = {}
    for rel in RELATIONS:
        vec = directions[rel]
        result[rel] = [
            [j for j, cj in enumerate(coords) if j != i and _dot([a - b for a, b in zip(cj, ci)], vec) > eps]
            for i, ci in enumerate(coords)
        ]
    return result


def _fits(x: float, y: float, r: float, placed: list[tuple[float, float, float]], config: SceneConfig) -> bool:
    for px, py, pr in placed:
        dx, dy = x - px, y - py
        if math.hypot(dx, dy) - r - pr < config.min_gap:
            return False
        for rel in RELATIONS:
            margin = dx * DIRECTIONS[rel][0] + dy * DIRECTIONS[rel][1]
            if 0 < margin < config.placement_margin:
                return False
    return True


def _attributes(rng: random.Random, config: SceneConfig) -> dict[str, str]:
    shape = rng.choice(SHAPES)
    colors = COGENT_COLORS[config.cogent][shape] if config.cogent else COLORS
    color = rng.choice(colors)
    size, material = rng.choice(ATTRIBUTES["size"]), rng.choice(ATTRIBUTES["material"])
    return {"shape": shape, "color": color, "size": size, "material": material}


def _place(rng: random.Random, n: int, config: SceneConfig) -> list[tuple[dict[str, str], tuple[float, float, float]]] | None:
    placed: list[tuple[float, float, float]] = []
    objects = []
    for _ in range(n):
        attrs = _attributes(rng, config)
        r = RADIUS[attrs["size"]]
        for _ in range(config.max_tries):
            x, y = round(rng.uniform(-config.extent, config.extent), 4), round(rng.uniform(-config.extent, config.extent), 4)
            if _fits(x, y, r, placed, config):
                placed.append((x, y, r))
                objects.append((attrs, (x, y, r)))
                break
        else:
            return None
    return objects


def _visible_pixels(objects: list[dict[str, Any]]) -> list[int]:
    from .render import visible_pixels  # (imported here: the renderer needs PIL, an optional extra the symbolic runs do without)

    return visible_pixels(objects)


def generate_scene(index: int, seed: int = 0, config: SceneConfig = SceneConfig(), split: str = "train") -> dict[str, Any]:
    """Scene number ``index`` of the seeded sequence (the same ``(index, seed, config)``, the same scene).

    Raises:
        NesyError: No placement satisfies the config within ``max_restarts`` restarts.
    """
    rng = random.Random(seed * 1_000_003 + index)
    n = rng.randint(config.min_objects, config.max_objects)
    for _ in range(config.max_restarts):
        placed = _place(rng, n, config)
        if placed is None:
            continue
        objects = [
            {**attrs, "3d_coords": list(xyz), "pixel_coords": project(xyz), "rotation": round(rng.uniform(0, 360), 3)}
            for attrs, xyz in placed
        ]
        if not config.min_visible_pixels or min(_visible_pixels(objects)) >= config.min_visible_pixels:
            break
    else:
        visible = f", every object showing {config.min_visible_pixels} pixels" if config.min_visible_pixels else ""
        raise NesyError(
            f"cannot place {n} objects in [-{config.extent}, {config.extent}]^2 with min_gap {config.min_gap} and "
            f"placement_margin {config.placement_margin}{visible} ({config.max_restarts} restarts of {config.max_tries} tries each)"
        )
    return {
        "image_index": index,
        "image_filename": f"CLEVR_{split}_{index:06d}.png",
        "split": split,
        "objects": objects,
        "relationships": compute_relationships([o["3d_coords"] for o in objects], config.relation_eps),
        "directions": {k: list(v) for k, v in DIRECTIONS.items()},
    }


def build_scene(
    objects: Sequence[dict[str, Any]], index: int = 0, split: str = "train", relation_eps: float = 0.2
) -> dict[str, Any]:
    """A scene from hand-given objects: attributes plus ``3d_coords`` as ``[x, y]`` (z becomes the
    radius) or ``[x, y, z]``; ``pixel_coords``, ``rotation`` (0 unless given) and the relations are filled in.

    Example:
        >>> scene = build_scene([{"shape": "cube", "color": "red", "size": "large", "material": "metal", "3d_coords": [0, 0]},
        ...                      {"shape": "sphere", "color": "blue", "size": "small", "material": "rubber", "3d_coords": [0, 2]}])
        >>> scene["relationships"]["left"], scene["relationships"]["behind"]  # 0 is left of 1; 1 is behind 0
        ([[], [0]], [[1], []])
    """
    built = []
    for obj in objects:
        xyz = list(obj["3d_coords"])
        if len(xyz) == 2:
            xyz.append(RADIUS.get(obj.get("size"), 0.35))
        built.append({**obj, "3d_coords": xyz, "pixel_coords": project(xyz), "rotation": obj.get("rotation", 0.0)})
    return {
        "image_index": index,
        "image_filename": f"CLEVR_{split}_{index:06d}.png",
        "split": split,
        "objects": built,
        "relationships": compute_relationships([o["3d_coords"] for o in built], relation_eps),
        "directions": {k: list(v) for k, v in DIRECTIONS.items()},
    }


def generate_scenes(
    n: int, seed: int = 0, config: SceneConfig = SceneConfig(), split: str = "train", start: int = 0
) -> list[dict[str, Any]]:
    """Scenes ``start .. start + n - 1`` of the seeded sequence."""
    return [generate_scene(i, seed, config, split) for i in range(start, start + n)]
