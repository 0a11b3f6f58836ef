"""Rendering a CLEVR-style scene to a small 2-D picture with PIL.

Each object becomes a flat icon at the image position of its 3-D centre under a pinhole
:class:`Camera` that looks along CLEVR's ``behind`` direction (so ``right`` is to the right of
the picture and ``behind`` is up, as in :func:`~nesy.benchmarks.clevr.scenes.compute_relationships`):

* shape: cube -> a square (turned by the object's ``rotation``), sphere -> a disc, cylinder ->
  a body with a round bottom and a lighter elliptic top face;
* colour: CLEVR's eight RGB values; size: the icon's radius is the focal length times the object's
  radius over its depth, so far objects look smaller;
* material: rubber is matte (a faint top-lit gradient), metal has a strong gradient and a white
  specular highlight;
* occlusion: objects are drawn from the farthest to the nearest, each with a dark outline.

The camera stands higher than CLEVR's (55 degrees above the ground instead of 28), so fewer
objects hide each other; the ``pixel_coords`` in scene files keep referring to CLEVR's own
480 x 320 camera. Each scene's picture is fixed by ``(config.seed, split, image_index)``:
colour jitter and pixel noise are drawn from that seed, positions and sizes are exact.

Example:
    >>> from nesy.benchmarks.clevr.scenes import generate_scene
    >>> scene = generate_scene(0, seed=7)
    >>> image = render_scene(scene)
    >>> image.size, image.mode
    ((160, 120), 'RGB')
    >>> render_scene(scene).tobytes() == image.tobytes()
    True
    >>> u, v = DEFAULT_CAMERA.to_pixel([1.0, -0.5, 0.35])
    >>> [round(c, 6) for c in DEFAULT_CAMERA.to_ground(u, v, 0.35)]
    [1.0, -0.5]
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .scene_files import validate_scene
from .vocab import DIRECTIONS, RADIUS

__all__ = ["COLOR_RGB", "Camera", "DEFAULT_CAMERA", "RenderConfig", "render_array", "render_images", "render_scene", "visible_pixels"]

#: CLEVR's colours (``properties.json`` of CLEVR's renderer).
COLOR_RGB: dict[str, tuple[int, int, int]] = {
    "gray": (87, 87, 87), "red": (173, 35, 35), "blue": (42, 75, 215), "green": (29, 105, 20),
    "brown": (129, 74, 25), "purple": (129, 38, 192), "cyan": (41, 208, 208), "yellow": (255, 238, 51),
}


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


@dataclass(frozen=True)
class Camera:
    """A pinhole camera looking at the origin from the ``front`` side, ``elevation`` degrees up.

    Attributes:
        width: Picture width in pixels.
        height: Picture height in pixels.
        elevation: Degrees above the ground plane.
        distance: Distance from the origin.
        focal: Focal length in pixels.
        shift: Vertical offset of the origin's image below the picture's centre, in pixels.
    """

    width: int = 160
    height: int = 120
    elevation: float = 55.0
    distance: float = 12.0
    focal: float = 160.0
    shift: float = -6.0

    @property
    def position(self) -> tuple[float, float, float]:
        """Where the camera stands."""
        b, el = DIRECTIONS["behind"], math.radians(self.elevation)
        return (-self.distance * math.cos(el) * b[0], -self.distance * math.cos(el) * b[1], self.distance * math.sin(el))

    def _basis(self) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
        c = self.position
        n = math.sqrt(_dot(c, c))
        f = tuple(-x / n for x in c)
        r = (f[1], -f[0], 0.0)
        rn = math.hypot(r[0], r[1])
        r = (r[0] / rn, r[1] / rn, 0.0)
        u = (r[1] * f[2] - r[2] * f[1], r[2] * f[0] - r[0] * f[2], r[0] * f[1] - r[1] * f[0])
        return f, r, u

    def project(self, point: Sequence[float]) -> tuple[float, float, float]:
        """``(x, y, depth)``: sub-pixel image position of a 3-D point and its depth along the view."""
        f, r, u = self._basis()
        d = [p - c for p, c in zip(point, self.position)]
        depth = _dot(d, f)
        return (self.width / 2 + self.focal * _dot(d, r) / depth, self.height / 2 + self.shift - self.focal * _dot(d, u) / depth, depth)

    def to_pixel(self, point: Sequence[float]) -> tuple[float, float]:
        """Image position of a 3-D point (sub-pixel)."""
        x, y, _ = self.project(point)
        return (x, y)

    def to_ground(self, x: float, y: float, z: float) -> tuple[float, float]:
        """The ground coordinates ``(x, y)`` of the point at height ``z`` seen at pixel ``(x, y)``."""
        f, r, u = self._basis()
        a, b = (x - self.width / 2) / self.focal, (self.height / 2 + self.shift - y) / self.focal
        ray = [fi + a * ri + b * ui for fi, ri, ui in zip(f, r, u)]
        c = self.position
        t = (z - c[2]) / ray[2]
        return (c[0] + t * ray[0], c[1] + t * ray[1])


DEFAULT_CAMERA = Camera()


@dataclass(frozen=True)
class RenderConfig:
    """How pictures are drawn.

    Attributes:
        camera: The camera (and picture size).
        supersample: Pictures are drawn this many times larger, then averaged down (anti-aliasing).
        background: Background RGB (a faint vertical gradient is added).
        color_jitter: Largest per-object change of each colour channel.
        noise: Standard deviation of the per-pixel Gaussian noise.
        seed: Mixed into each scene's seed.
    """

    camera: Camera = field(default_factory=Camera)
    supersample: int = 2
    background: tuple[int, int, int] = (206, 204, 198)
    color_jitter: int = 6
    noise: float = 2.0
    seed: int = 0


def _scene_seed(scene: dict[str, Any], config: RenderConfig) -> int:
    key = f"{config.seed}:{scene.get('split', '')}:{scene['image_index']}".encode()
    return zlib.crc32(key)


def _silhouette(draw: ImageDraw.ImageDraw, shape: str, cx: float, cy: float, a: float, rotation: float, fill: int = 255) -> None:
    if shape == "sphere":
        draw.ellipse([cx - a, cy - a, cx + a, cy + a], fill=fill)
    elif shape == "cube":
        h, t = 0.88 * a * math.sqrt(2), math.radians(rotation % 90 + 45)
        draw.polygon([(cx + h * math.cos(t + k * math.pi / 2), cy + h * math.sin(t + k * math.pi / 2)) for k in range(4)], fill=fill)
    else:  # cylinder: body, round bottom, the top face is drawn separately
        w, half, e = 0.85 * a, 0.75 * a, 0.32 * a
        draw.rectangle([cx - w, cy - half, cx + w, cy + half], fill=fill)
        draw.ellipse([cx - w, cy + half - e, cx + w, cy + half + e], fill=fill)
        draw.ellipse([cx - w, cy - half - e, cx + w, cy - half + e], fill=fill)


def _in_depth_order(objects: Sequence[dict[str, Any]], cam: Camera) -> list[tuple[int, float, float, float]]:
    """``(index, x, y, icon radius)`` of each object in image pixels, the farthest first (drawing order)."""
    placed = []
    for i, obj in enumerate(objects):
        x, y, depth = cam.project(obj["3d_coords"])
        placed.append((depth, i, x, y, cam.focal * RADIUS[obj["size"]] / depth))
    return [(i, x, y, a) for depth, i, x, y, a in sorted(placed, key=lambda p: -p[0])]


def visible_pixels(objects: Sequence[dict[str, Any]], config: RenderConfig = RenderConfig()) -> list[int]:
    """How many pixels of its picture show each object (in the objects' order), nearer ones hiding farther ones.

    CLEVR keeps only scenes where every object shows at least 200 pixels at 320 x 240
    (``--min_pixels_per_object``), so that no object is hidden; see ``SceneConfig.min_visible_pixels``.

    Example:
        >>> bx, by, _ = DIRECTIONS["behind"]
        >>> cube = {"shape": "cube", "size": "large", "3d_coords": [0.0, 0.0, 0.7], "rotation": 0.0}
        >>> ball = {"shape": "sphere", "size": "small", "3d_coords": [0.9 * bx, 0.9 * by, 0.35], "rotation": 0.0}
        >>> visible_pixels([ball]), visible_pixels([cube, ball])  # the ball alone, then mostly behind the cube
        ([74], [306, 18])
    """
    cam, s = config.camera, config.supersample
    labels = Image.new("L", (cam.width * s, cam.height * s), 0)
    draw = ImageDraw.Draw(labels)
    for i, x, y, a in _in_depth_order(objects, cam):
        obj = objects[i]
        _silhouette(draw, obj["shape"], (x + 0.5) * s - 0.5, (y + 0.5) * s - 0.5, a * s, float(obj.get("rotation", 0.0)), fill=i + 1)
    counts = np.bincount(np.asarray(labels).ravel(), minlength=len(objects) + 1)
    return [int(round(c / s**2)) for c in counts[1 : len(objects) + 1]]


def _draw_object(canvas: np.ndarray, obj: dict[str, Any], cx: float, cy: float, a: float, rng: np.random.Generator, jitter: int) -> None:
    height, width, _ = canvas.shape
    x0, y0 = max(0, int(cx - 1.3 * a) - 2), max(0, int(cy - 1.3 * a) - 2)
    x1, y1 = min(width, int(cx + 1.3 * a) + 3), min(height, int(cy + 1.3 * a) + 3)
    if x1 <= x0 or y1 <= y0:
        return
    lx, ly = cx - x0, cy - y0
    mask_image = Image.new("L", (x1 - x0, y1 - y0), 0)
    _silhouette(ImageDraw.Draw(mask_image), obj["shape"], lx, ly, a, float(obj.get("rotation", 0.0)))
    inner = np.asarray(mask_image.filter(ImageFilter.MinFilter(5)), dtype=np.float32) / 255
    mask = np.asarray(mask_image, dtype=np.float32) / 255
    ys, xs = np.mgrid[0 : y1 - y0, 0 : x1 - x0].astype(np.float32)
    dy, dx = (ys - ly) / a, (xs - lx) / a
    base = np.array(COLOR_RGB[obj["color"]], dtype=np.float32) + rng.integers(-jitter, jitter + 1, 3)
    if obj["material"] == "metal":
        shade = 1.15 - 0.45 * np.clip(np.hypot(dx + 0.3, dy + 0.35), 0, 1.4)
        spec = 0.9 * np.exp(-((dx + 0.35) ** 2 + (dy + 0.4) ** 2) / (2 * 0.17**2))
    else:
        shade = 0.98 - 0.08 * dy
        spec = np.zeros_like(dx)
    if obj["shape"] == "cylinder":  # a lighter top face
        top = ((dx / 0.85) ** 2 + ((dy + 0.75) / 0.32) ** 2) <= 1.0
        shade = np.where(top, shade * 1.2 + 0.08, shade)
    color = np.clip(base * shade[..., None], 0, 255)
    color = color * (1 - spec[..., None]) + 255 * spec[..., None]
    color = color * inner[..., None] + base * 0.3 * (1 - inner[..., None])  # dark outline
    region = canvas[y0:y1, x0:x1]
    region[:] = region * (1 - mask[..., None]) + color * mask[..., None]


def render_array(scene: dict[str, Any], config: RenderConfig = RenderConfig(), where: str = "scene") -> np.ndarray:
    """The picture of one scene as a ``(height, width, 3)`` uint8 array.

    Raises:
        NesyError: The scene is malformed (missing fields, unknown attribute values; see
            :func:`~nesy.benchmarks.clevr.scene_files.validate_scene`).
    """
    validate_scene(scene, where)
    cam, s = config.camera, config.supersample
    rng = np.random.default_rng(_scene_seed(scene, config))
    ramp = np.linspace(-8, 8, cam.height * s, dtype=np.float32)[:, None, None]
    canvas = np.broadcast_to(np.array(config.background, np.float32) + ramp, (cam.height * s, cam.width * s, 3)).copy()
    for i, x, y, a in _in_depth_order(scene["objects"], cam):
        _draw_object(canvas, scene["objects"][i], (x + 0.5) * s - 0.5, (y + 0.5) * s - 0.5, a * s, rng, config.color_jitter)
    picture = canvas.reshape(cam.height, s, cam.width, s, 3).mean(axis=(1, 3))
    picture += rng.normal(0.0, config.noise, picture.shape)
    return np.clip(np.rint(picture), 0, 255).astype(np.uint8)


def render_scene(scene: dict[str, Any], config: RenderConfig = RenderConfig()) -> Image.Image:
    """The picture of one scene as a PIL RGB image (see :func:`render_array`)."""
    return Image.fromarray(render_array(scene, config), "RGB")


def render_images(scenes: Sequence[dict[str, Any]], config: RenderConfig = RenderConfig()) -> np.ndarray:
    """Pictures of many scenes, shape ``(n, height, width, 3)``, uint8."""
    cam = config.camera
    out = np.zeros((len(scenes), cam.height, cam.width, 3), np.uint8)
    for i, scene in enumerate(scenes):
        out[i] = render_array(scene, config, f"scene {i}")
    return out
