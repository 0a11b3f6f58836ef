"""Reading, checking and writing CLEVR scene files.

A scene file is CLEVR's ``{"info": {...}, "scenes": [scene, ...]}`` (a bare list of scenes is read
too). :func:`validate_scene` refuses anything an executor could trip over, with one
:class:`~nesy.errors.NesyError` line that names the file, the scene and the field:

* required: ``image_index`` (int), ``objects`` (list), ``relationships`` (``left``, ``right``,
  ``front``, ``behind``: one list of object indices per object, none equal to its own index);
* per object: ``shape``, ``color``, ``size``, ``material`` from :mod:`~nesy.benchmarks.clevr.vocab`,
  ``3d_coords`` (3 numbers), ``pixel_coords`` (3 numbers), ``rotation`` (a number);
* if present: ``image_filename`` and ``split`` (strings), ``directions`` (name -> 3 numbers).

Example:
    >>> validate_scene({"image_index": 0, "objects": [], "relationships": {}}, "mine.json: scene 0")
    Traceback (most recent call last):
    ...
    nesy.errors.NesyError: mine.json: scene 0: relationships.left: missing
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nesy.errors import NesyError

from .vocab import ATTRIBUTES, RELATIONS

MAX_OBJECTS = 1000  #: more objects than this in one scene are refused (a guard, not a CLEVR limit)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _vector(value: Any, where: str, field: str) -> None:
    if not (isinstance(value, list) and len(value) == 3 and all(_number(v) for v in value)):
        raise NesyError(f"{where}: {field}: expected a list of 3 numbers, got {_show(value)}")


def _show(value: Any) -> str:
    text = json.dumps(value, default=repr) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _validate_object(obj: Any, where: str, i: int) -> None:
    field = f"objects[{i}]"
    if not isinstance(obj, dict):
        raise NesyError(f"{where}: {field}: expected an object, got {_show(obj)}")
    for name, values in ATTRIBUTES.items():
        if name not in obj:
            raise NesyError(f"{where}: {field}.{name}: missing")
        if obj[name] not in values:
            raise NesyError(f"{where}: {field}.{name}: unknown value {_show(obj[name])} (known: {', '.join(values)})")
    for name in ("3d_coords", "pixel_coords"):
        if name not in obj:
            raise NesyError(f"{where}: {field}.{name}: missing")
        _vector(obj[name], where, f"{field}.{name}")
    if "rotation" not in obj:
        raise NesyError(f"{where}: {field}.rotation: missing")
    if not _number(obj["rotation"]):
        raise NesyError(f"{where}: {field}.rotation: expected a number, got {_show(obj['rotation'])}")


def _validate_relationships(rels: Any, n: int, where: str) -> None:
    if not isinstance(rels, dict):
        raise NesyError(f"{where}: relationships: expected an object, got {_show(rels)}")
    for rel in RELATIONS:
        if rel not in rels:
            raise NesyError(f"{where}: relationships.{rel}: missing")
        lists = rels[rel]
        if not isinstance(lists, list) or len(lists) != n:
            raise NesyError(f"{where}: relationships.{rel}: expected one list per object ({n}), got {_show(lists)}")
        for i, related in enumerate(lists):
            if not isinstance(related, list):
                raise NesyError(f"{where}: relationships.{rel}[{i}]: expected a list of object indices, got {_show(related)}")
            for j in related:
                if isinstance(j, bool) or not isinstance(j, int) or not 0 <= j < n:
                    raise NesyError(f"{where}: relationships.{rel}[{i}]: object index {_show(j)} out of range (0..{n - 1})")
                if j == i:
                    raise NesyError(f"{where}: relationships.{rel}[{i}]: an object cannot be {rel} of itself")


def validate_scene(scene: Any, where: str = "scene") -> dict[str, Any]:
    """Check one scene (see the module docstring); return it unchanged, or raise :class:`NesyError`.

    Args:
        scene: The parsed JSON value.
        where: How messages name it, e.g. ``"scenes.json: scene 3"``.
    """
    if not isinstance(scene, dict):
        raise NesyError(f"{where}: expected a scene object, got {_show(scene)}")
    for name in ("image_index", "objects", "relationships"):
        if name not in scene:
            raise NesyError(f"{where}: {name}: missing")
    if isinstance(scene["image_index"], bool) or not isinstance(scene["image_index"], int):
        raise NesyError(f"{where}: image_index: expected an integer, got {_show(scene['image_index'])}")
    for name in ("image_filename", "split"):
        if name in scene and not isinstance(scene[name], str):
            raise NesyError(f"{where}: {name}: expected a string, got {_show(scene[name])}")
    objects = scene["objects"]
    if not isinstance(objects, list):
        raise NesyError(f"{where}: objects: expected a list, got {_show(objects)}")
    if len(objects) > MAX_OBJECTS:
        raise NesyError(f"{where}: objects: {len(objects)} objects, over the limit of {MAX_OBJECTS}")
    for i, obj in enumerate(objects):
        _validate_object(obj, where, i)
    _validate_relationships(scene["relationships"], len(objects), where)
    if "directions" in scene:
        if not isinstance(scene["directions"], dict):
            raise NesyError(f"{where}: directions: expected an object, got {_show(scene['directions'])}")
        for name, vec in scene["directions"].items():
            _vector(vec, where, f"directions.{name}")
    return scene


def load_scenes(path: str | Path) -> list[dict[str, Any]]:
    """Read and check a scene file; a :class:`NesyError` names the file, the scene and the field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NesyError(f"{path}: cannot read scene file ({exc.__class__.__name__}: {exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NesyError(f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    scenes = data.get("scenes") if isinstance(data, dict) else data
    if not isinstance(scenes, list):
        raise NesyError(f"{path}: scenes: expected a list of scenes (or {{\"scenes\": [...]}}), got {_show(scenes)}")
    return [validate_scene(scene, f"{path}: scene {i}") for i, scene in enumerate(scenes)]


def write_scenes(scenes: list[dict[str, Any]], path: str | Path, split: str = "train") -> Path:
    """Write ``scenes`` in CLEVR's layout (``{"info": ..., "scenes": [...]}``), creating parent folders."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    info = {"split": split, "version": "nesy-clevr-1", "license": "generated"}
    path.write_text(json.dumps({"info": info, "scenes": scenes}) + "\n", encoding="utf-8")
    return path
