"""Setting A of the CLEVR-style suite: perception trained with scene annotations (as NS-VQA).

:func:`run_perception_eval` renders training scenes (:mod:`~nesy.benchmarks.clevr.render`),
fits :class:`~nesy.grounding.scene_perception.ScenePerception` on the pictures and their
annotations (each object's image position under the render camera and its four attribute
values), then perceives held-out pictures and reports:

* ``detection``: recall and precision (a perceived object matches a true one within
  ``match_px`` pixels, one-to-one, nearest first);
* ``attributes``: accuracy of each attribute on matched objects, and the ground-plane error;
* ``scene_exact``: share of scenes perceived exactly (every object found, none extra, every
  attribute right, the same relationships);
* ``answer_agreement``: share of generated questions whose GOLD program (an evaluation
  instrument only; nothing is learned from it) gives the same answer on the perceived scene as
  on the true one (a program that fails on the perceived scene disagrees).

The perceived scene's coordinates come from the camera (pixel centre and the perceived size's
radius as height) and its relations from :func:`~nesy.benchmarks.clevr.scenes.compute_relationships`.

Example:
    >>> notes = annotations(generate_scene(0, seed=7))
    >>> sorted(notes[0])
    ['color', 'material', 'shape', 'size', 'x', 'y']
"""

from __future__ import annotations

import logging
import time
from typing import Any, Sequence

from nesy.grounding.scene_perception import PerceivedObject, PerceptionFit, ScenePerception
from nesy.proposer.device import DeviceLike

from .questions import GenerationConfig, generate_questions
from .reference import InvalidProgram, execute_reference
from .render import Camera, RenderConfig, render_images
from .scenes import SceneConfig, compute_relationships, generate_scene, generate_scenes
from .vocab import ATTRIBUTES, RADIUS, RELATIONS

log = logging.getLogger(__name__)

__all__ = ["annotations", "answers_agree", "evaluate_perception", "match", "perceived_scenes", "run_perception_eval", "scene_metrics", "train_perception"]


def annotations(scene: dict[str, Any], camera: Camera = Camera()) -> list[dict[str, Any]]:
    """What setting A learns from: each object's image position and attribute values."""
    out = []
    for obj in scene["objects"]:
        x, y = camera.to_pixel(obj["3d_coords"])
        out.append({"x": x, "y": y, **{name: obj[name] for name in ATTRIBUTES}})
    return out


def perceived_scenes(
    model: ScenePerception, pictures: Any, camera: Camera = Camera(), relation_eps: float = 0.2
) -> list[dict[str, Any]]:
    """Scenes in CLEVR's layout from pictures: positions through ``camera``, CLEVR's relations."""

    def locate(obj: PerceivedObject) -> list[float]:
        z = RADIUS[obj.attributes["size"]]
        return [*camera.to_ground(obj.x, obj.y, z), z]

    return model.perceive_scenes(pictures, locate, lambda coords: compute_relationships(coords, relation_eps))


def match(true: Sequence[dict[str, Any]], perceived: Sequence[dict[str, Any]], camera: Camera, match_px: float) -> list[tuple[int, int]]:
    """One-to-one ``(true index, perceived index)`` pairs within ``match_px`` pixels, nearest first."""
    points = [camera.to_pixel(o["3d_coords"]) for o in true]
    pairs = sorted(
        ((tx - p["pixel_coords"][0]) ** 2 + (ty - p["pixel_coords"][1]) ** 2, i, j)
        for i, (tx, ty) in enumerate(points)
        for j, p in enumerate(perceived)
    )
    used_i: set[int] = set()
    used_j: set[int] = set()
    out = []
    for d2, i, j in pairs:
        if d2 <= match_px**2 and i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            out.append((i, j))
    return sorted(out)


def scene_metrics(true: dict[str, Any], perceived: dict[str, Any], camera: Camera, match_px: float = 4.0) -> dict[str, Any]:
    """Counts for one scene: matched, true and perceived objects, attribute hits, exactness, ground error."""
    t, p = true["objects"], perceived["objects"]
    pairs = match(t, p, camera, match_px)
    hits = {name: sum(t[i][name] == p[j][name] for i, j in pairs) for name in ATTRIBUTES}
    errors = [max(abs(a - b) for a, b in zip(t[i]["3d_coords"][:2], p[j]["3d_coords"][:2])) for i, j in pairs]
    exact = len(pairs) == len(t) == len(p) and all(h == len(pairs) for h in hits.values())
    if exact:
        to_true = {j: i for i, j in pairs}
        for rel in RELATIONS:
            for i, j in pairs:
                if sorted(to_true[k] for k in perceived["relationships"][rel][j]) != sorted(true["relationships"][rel][i]):
                    exact = False
    return {"matched": len(pairs), "true": len(t), "perceived": len(p), "hits": hits, "exact": exact, "errors": errors}


def answers_agree(questions: Sequence[Any], perceived: dict[int, dict[str, Any]]) -> list[bool]:
    """Per question: its GOLD program gives its answer on the perceived scene (``image_index`` -> scene)."""
    agree = []
    for q in questions:
        try:
            agree.append(execute_reference(q.program, perceived[q.image_index]) == q.answer)
        except InvalidProgram:
            agree.append(False)
    return agree


def train_perception(
    n_train: int = 1000,
    *,
    seed: int = 0,
    centre_epochs: int = 8,
    crop_epochs: int = 8,
    render: RenderConfig = RenderConfig(),
    scenes: SceneConfig = SceneConfig(),
    device: DeviceLike = None,
) -> tuple[ScenePerception, PerceptionFit, float]:
    """Perception fitted on ``n_train`` annotated pictures (scenes of seed ``1000 + seed``), the fit report, render seconds."""
    camera = render.camera
    started = time.perf_counter()
    train = generate_scenes(n_train, seed=1000 + seed, config=scenes, split="train")
    train_pictures = render_images(train, render)
    render_seconds = time.perf_counter() - started
    model = ScenePerception(ATTRIBUTES, camera.width, camera.height, seed=seed, device=device)
    fit = model.fit(train_pictures, [annotations(s, camera) for s in train], centre_epochs=centre_epochs, crop_epochs=crop_epochs)
    return model, fit, render_seconds


def run_perception_eval(
    n_train: int = 1000,
    n_questions: int = 2000,
    *,
    seed: int = 0,
    centre_epochs: int = 8,
    crop_epochs: int = 8,
    render: RenderConfig = RenderConfig(),
    scenes: SceneConfig = SceneConfig(),
    device: DeviceLike = None,
) -> dict[str, Any]:
    """Train perception on ``n_train`` annotated pictures, evaluate on the scenes of ``n_questions`` held-out questions."""
    model, fit, render_seconds = train_perception(
        n_train, seed=seed, centre_epochs=centre_epochs, crop_epochs=crop_epochs, render=render, scenes=scenes, device=device
    )
    results = evaluate_perception(model, n_questions, seed=seed, render=render, scenes=scenes)
    return {
        "setting": "A (scene annotations)",
        "n_train_scenes": n_train,
        **results,
        "train_seconds": fit.seconds,
        "render_seconds": render_seconds,
        "epochs": {"centre": centre_epochs, "crop": crop_epochs},
    }


def evaluate_perception(
    model: ScenePerception, n_questions: int = 2000, *, seed: int = 0, render: RenderConfig = RenderConfig(), scenes: SceneConfig = SceneConfig()
) -> dict[str, Any]:
    """Perceive the scenes of ``n_questions`` held-out questions (seed ``2000 + seed``, split ``test``) and score them."""
    camera = render.camera
    test_scenes, questions, _ = generate_questions(GenerationConfig(n_questions=n_questions, seed=2000 + seed, scenes=scenes, split="test"))
    started = time.perf_counter()
    pictures = render_images(test_scenes, render)
    perceived = perceived_scenes(model, pictures, camera, scenes.relation_eps)
    eval_seconds = time.perf_counter() - started
    per_scene = [scene_metrics(t, p, camera) for t, p in zip(test_scenes, perceived)]
    matched = sum(m["matched"] for m in per_scene)
    agree = answers_agree(questions, {t["image_index"]: p for t, p in zip(test_scenes, perceived)})
    errors = sorted(e for m in per_scene for e in m["errors"])
    return {
        "n_test_scenes": len(test_scenes),
        "n_questions": len(questions),
        "program_annotations": 0,
        "detection": {
            "recall": matched / max(1, sum(m["true"] for m in per_scene)),
            "precision": matched / max(1, sum(m["perceived"] for m in per_scene)),
        },
        "attributes": {name: sum(m["hits"][name] for m in per_scene) / max(1, matched) for name in ATTRIBUTES},
        "ground_error": {"mean": sum(errors) / max(1, len(errors)), "max": errors[-1] if errors else 0.0,
                         "over_0.1": sum(e > 0.1 for e in errors) / max(1, len(errors))},
        "scene_exact": sum(m["exact"] for m in per_scene) / max(1, len(per_scene)),
        "answer_agreement": sum(agree) / max(1, len(agree)),
        "eval_seconds": eval_seconds,
        "device": str(model.device),
    }

def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """``python -m nesy.benchmarks.clevr.perception_eval [--n-train N] ...``: run setting A, print JSON."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description="CLEVR-style perception, setting A (scene annotations)")
    parser.add_argument("--n-train", type=int, default=1000, help="annotated training pictures")
    parser.add_argument("--n-questions", type=int, default=2000, help="held-out questions (10 per scene)")
    parser.add_argument("--centre-epochs", type=int, default=8)
    parser.add_argument("--crop-epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default=None, help="cpu, cuda, ... (default: CUDA when present)")
    args = parser.parse_args(argv)
    results = run_perception_eval(
        args.n_train, args.n_questions, seed=args.seed, centre_epochs=args.centre_epochs, crop_epochs=args.crop_epochs, device=args.device
    )
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":  # pragma: no cover
    logging.basicConfig(level=logging.INFO)
    main()
