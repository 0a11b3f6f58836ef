"""CLEVR pictures: deterministic, drawn far to near, every attribute value visibly different, bad scenes refused."""

import itertools

import numpy as np
import pytest

from nesy.benchmarks.clevr.render import DEFAULT_CAMERA, Camera, RenderConfig, render_array, render_images, render_scene
from nesy.benchmarks.clevr.scenes import build_scene, generate_scenes
from nesy.benchmarks.clevr.vocab import COLORS, DIRECTIONS, RADIUS
from nesy.errors import NesyError

BACKGROUND = np.array(RenderConfig().background, dtype=float)
QUIET = RenderConfig(noise=0.0, color_jitter=0)


def one(shape="sphere", color="red", size="large", material="rubber", at=(0.0, 0.0), config=QUIET):
    scene = build_scene([{"shape": shape, "color": color, "size": size, "material": material, "3d_coords": list(at)}])
    return render_array(scene, config).astype(float)


def foreground(picture):
    return np.abs(picture - BACKGROUND).sum(axis=2) > 40


def centre_patch(picture, at=(0.0, 0.0), size="large", half=2):
    x, y = DEFAULT_CAMERA.to_pixel([*at, RADIUS[size]])
    x, y = int(round(x)), int(round(y))
    return picture[y - half : y + half + 1, x - half : x + half + 1]


def test_same_scene_same_picture_and_scenes_differ():
    scenes = generate_scenes(3, seed=4)
    first = render_images(scenes)
    assert first.shape == (3, 120, 160, 3) and first.dtype == np.uint8
    assert np.array_equal(first, render_images(scenes))
    assert not np.array_equal(first[0], first[1])
    assert render_scene(scenes[0]).size == (160, 120)
    # the noise is seeded per scene: another render seed gives another picture of the same scene
    assert not np.array_equal(first[0], render_array(scenes[0], RenderConfig(seed=1)))


def test_nearer_object_is_drawn_over_the_farther_one_whatever_the_order():
    behind = DIRECTIONS["behind"]
    near = {"shape": "sphere", "color": "red", "size": "large", "material": "rubber", "3d_coords": [0.0, 0.0]}
    far = {"shape": "sphere", "color": "blue", "size": "large", "material": "rubber", "3d_coords": [1.6 * behind[0], 1.6 * behind[1]]}
    pictures = [render_array(build_scene(objs), QUIET).astype(float) for objs in ([near, far], [far, near])]
    assert np.array_equal(pictures[0], pictures[1])
    (nx, ny), (fx, fy) = DEFAULT_CAMERA.to_pixel([0, 0, 0.7]), DEFAULT_CAMERA.to_pixel([*far["3d_coords"][:2], 0.7])
    assert fy < ny - 5  # behind is up in the picture, and the two discs overlap
    overlap = pictures[0][int(round(ny - 7)), int(round(nx))]
    red, blue = np.array([173, 35, 35]), np.array([42, 75, 215])
    assert np.abs(overlap - red).sum() < np.abs(overlap - blue).sum()
    # the far one stays visible above the near one
    top = pictures[0][int(round(fy - 4)), int(round(fx))]
    assert np.abs(top - blue).sum() < np.abs(top - red).sum()


def test_right_is_right_and_behind_is_up_in_the_picture():
    x0, y0 = DEFAULT_CAMERA.to_pixel([0, 0, 0.35])
    xr, yr = DEFAULT_CAMERA.to_pixel([*DIRECTIONS["right"][:2], 0.35])
    xb, yb = DEFAULT_CAMERA.to_pixel([*DIRECTIONS["behind"][:2], 0.35])
    assert xr > x0 + 5 and abs(yr - y0) < 1
    assert yb < y0 - 5 and abs(xb - x0) < 1


def test_colours_differ_pairwise():
    means = {c: centre_patch(one(color=c)).reshape(-1, 3).mean(axis=0) for c in COLORS}
    for a, b in itertools.combinations(COLORS, 2):
        assert np.abs(means[a] - means[b]).sum() > 40, (a, b)
    for c in COLORS:
        assert np.abs(means[c] - BACKGROUND).sum() > 40, c


def test_shapes_sizes_and_materials_differ():
    masks = {s: foreground(one(shape=s)) for s in ("cube", "sphere", "cylinder")}
    for a, b in itertools.combinations(masks, 2):
        iou = (masks[a] & masks[b]).sum() / (masks[a] | masks[b]).sum()
        assert iou < 0.9, (a, b, iou)
    small, large = foreground(one(size="small")).sum(), foreground(one(size="large")).sum()
    assert 3 < large / small < 5
    metal, rubber = one(material="metal", color="blue"), one(material="rubber", color="blue")
    region = foreground(rubber)
    assert metal[region].max() > 230 > rubber[region].max()  # the specular highlight
    shading = [centre_patch(p, half=4).mean(axis=2).std() for p in (metal, rubber)]
    assert shading[0] > 3 * shading[1], shading  # metal's strong gradient, rubber's matte


def test_farther_objects_look_smaller():
    near = foreground(one(at=(2 * DIRECTIONS["front"][0], 2 * DIRECTIONS["front"][1]))).sum()
    far = foreground(one(at=(2 * DIRECTIONS["behind"][0], 2 * DIRECTIONS["behind"][1]))).sum()
    assert near > 1.3 * far


def test_camera_maps_pixels_back_to_the_ground():
    camera = Camera(width=200, height=150, elevation=40.0, focal=190.0)
    for point in ([1.2, -2.0, 0.7], [-2.5, 0.3, 0.35]):
        x, y = camera.to_pixel(point)
        assert camera.to_ground(x, y, point[2]) == pytest.approx(point[:2], abs=1e-9)


def test_bad_scenes_are_refused_with_one_clear_error():
    scene = build_scene([{"shape": "cube", "color": "red", "size": "large", "material": "metal", "3d_coords": [0, 0]}])
    scene["objects"][0]["color"] = "magenta"
    with pytest.raises(NesyError, match=r"scene: objects\[0\]\.color: unknown value 'magenta'"):
        render_scene(scene)
    del scene["objects"][0]["color"]
    with pytest.raises(NesyError, match=r"scene 0: objects\[0\]\.color: missing"):
        render_images([scene])


def test_visible_pixels_count_what_nearer_objects_leave_of_each_object():
    from nesy.benchmarks.clevr.render import visible_pixels

    behind = DIRECTIONS["behind"]
    near = {"shape": "cube", "color": "red", "size": "large", "material": "rubber", "3d_coords": [0.0, 0.0]}
    hidden = {"shape": "sphere", "color": "blue", "size": "small", "material": "rubber",
              "3d_coords": [0.9 * behind[0], 0.9 * behind[1]]}
    alone = build_scene([hidden])["objects"]
    pair = build_scene([near, hidden])["objects"]
    whole = visible_pixels(alone)[0]
    assert whole > 40  # a small sphere alone: its whole disc
    assert visible_pixels(pair)[1] < whole / 2  # mostly behind the large cube
    assert visible_pixels(pair)[0] == visible_pixels(pair[:1])[0]  # the near cube loses nothing
    assert visible_pixels(list(reversed(pair))) == list(reversed(visible_pixels(pair)))  # depth decides, not order
    # what the rule counts is what the picture shows: the hidden sphere's blue is mostly gone
    blue = np.array([42, 75, 215])
    picture_alone, picture_pair = (render_array(build_scene(objs), QUIET).astype(float) for objs in ([hidden], [near, hidden]))
    shows = lambda picture: (np.abs(picture - blue).sum(axis=2) < 60).sum()
    assert shows(picture_pair) < shows(picture_alone) / 2
