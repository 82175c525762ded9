"""Batched rendering of scene specs to video tensors, with per-frame labels.

All frames of a batch are flattened to N = B * S * F and drawn at once: every pixel
of every frame gets world coordinates from its frame's camera (a similarity
transform: centre + view height), then the background of its setting and the actor
of its kind are evaluated as SDFs. Work is grouped by setting and by actor kind (at
most 6 + 7 groups), never looped per frame or per pixel. Frames whose camera does
not move share one background evaluation.

Poses and labels come from motion.scene_track in float64 on the CPU; only pixels are
computed on ``device``, so CPU and GPU pictures agree up to float32 rounding.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

import torch

from . import actors, backgrounds, vocab
from .motion import scene_track
from .scene import ActorSpec, SceneSpec

Tensor = torch.Tensor

OUTLINE_PX_PER_64 = 1.0  # actor outline width in pixels at 64x64 (scales with size)
PATTERN_DARKEN = 0.55  # pattern marks: this fraction of the actor's value ...
PATTERN_LIGHTEN = 0.42  # ... or this much lighter for dark actors (black)
OUTLINE_DARKEN = 0.4
DARK_VALUE = 0.3  # actors darker than this get light patterns and outlines


def actor_colours(actor: ActorSpec) -> Tuple[Tuple[float, ...], Tuple[float, ...], Tuple[float, ...]]:
    """(fill, pattern, outline) RGB of an actor; pattern/outline keep the actor's hue."""
    fill = actor.rgb
    if actor.value >= DARK_VALUE:
        pattern = tuple(c * PATTERN_DARKEN for c in fill)
        outline = tuple(c * OUTLINE_DARKEN for c in fill)
    else:
        pattern = tuple(min(c + PATTERN_LIGHTEN, 1.0) for c in fill)
        outline = (0.6, 0.6, 0.62)
    return fill, pattern, outline


def _check_batch(specs: Sequence[SceneSpec], size: int) -> Tuple[int, int]:
    assert len(specs) > 0, "render_scene_batch needs at least one scene"
    n_shots, frames = specs[0].n_shots, specs[0].frames_per_shot
    for i, spec in enumerate(specs):
        assert spec.n_shots == n_shots and spec.frames_per_shot == frames, (
            f"all scenes in a batch must share n_shots and frames_per_shot: scene 0 has "
            f"{n_shots} x {frames}, scene {i} (seed {spec.seed}) has {spec.n_shots} x {spec.frames_per_shot}")
    assert isinstance(size, int) and size >= 16, f"size must be an int >= 16, got {size!r}"
    return n_shots, frames


def _poses(specs: Sequence[SceneSpec]) -> Dict[str, Tensor]:
    """Per-frame poses of the batch, flattened: float64 CPU tensors [N]."""
    tracks = [scene_track(spec) for spec in specs]
    return {name: torch.stack([t[name] for t in tracks]).reshape(-1) for name in tracks[0]}


def _actor_pixel_geometry(specs: Sequence[SceneSpec], poses: Dict[str, Tensor], size: int,
                          frames_per_scene: int) -> Tuple[Tensor, Tensor]:
    """Actor bounding boxes [N, 4] (x0, y0, x1, y1, unclipped) and centres [N, 2], pixels."""
    n = poses["x"].shape[0]
    kind_of_frame = [spec.actor.kind for spec in specs for _ in range(frames_per_scene)]
    radius = torch.tensor([vocab.SIZE_BY_NAME[spec.actor.size].radius for spec in specs],
                          dtype=torch.float64).repeat_interleave(frames_per_scene) * poses["scale"]

    def to_pixels(wx: Tensor, wy: Tensor, idx: Tensor) -> Tuple[Tensor, Tensor]:
        """World points [n] or [n, P] of frames ``idx`` -> pixel coordinates (same shape)."""
        extra = (1,) * (wx.dim() - 1)  # broadcast per-frame camera over points
        h, cx, cy = (poses[k][idx].view(-1, *extra) for k in ("h", "cx", "cy"))
        return ((wx - cx) / h + 0.5) * size, ((wy - cy) / h + 0.5) * size

    boxes = torch.zeros(n, 4, dtype=torch.float64)
    for kind in sorted(set(kind_of_frame)):
        idx = torch.tensor([i for i, k in enumerate(kind_of_frame) if k == kind])
        points = actors.outline_points(kind, poses["anim"][idx])  # [n_k, P, 2] local units
        wx, wy = actors.local_to_world(points, poses["x"][idx], poses["y"][idx], radius[idx],
                                       poses["angle"][idx], poses["facing"][idx])  # [n_k, P] each
        px, py = to_pixels(wx, wy, idx)
        boxes[idx] = torch.stack([px.min(1).values, py.min(1).values, px.max(1).values, py.max(1).values], dim=1)
    cx, cy = to_pixels(poses["x"], poses["y"], torch.arange(n))
    return boxes, torch.stack([cx, cy], dim=1)


def _labels(specs: Sequence[SceneSpec], boxes: Tensor, centres: Tensor, size: int) -> List[dict]:
    """JSON-serialisable labels per scene; boxes are clipped to the frame (None if outside)."""
    outline = OUTLINE_PX_PER_64 * size / 64.0
    grown = boxes + torch.tensor([-outline, -outline, outline, outline], dtype=boxes.dtype)
    clipped = torch.clamp(grown, 0.0, float(size))
    visible = (clipped[:, 2] > clipped[:, 0]) & (clipped[:, 3] > clipped[:, 1])
    out, frame = [], 0
    for spec in specs:
        actor = spec.actor
        shots = []
        for index, shot in enumerate(spec.shots):
            rows = range(frame, frame + spec.frames_per_shot)
            frame += spec.frames_per_shot
            shots.append({
                "index": index,
                "action": shot.action,
                "camera": shot.camera,
                "shot_size": shot.shot_size,
                "caption": shot.caption,
                "continues_previous": shot.continues_previous,
                "bbox": [[round(float(v), 2) for v in clipped[r]] if bool(visible[r]) else None for r in rows],
                "centre": [[round(float(v), 2) for v in centres[r]] for r in rows],
            })
        out.append({
            "seed": spec.seed,
            "mode": spec.mode,
            "split": spec.split,
            "size": size,
            "n_shots": spec.n_shots,
            "frames_per_shot": spec.frames_per_shot,
            "caption": spec.global_caption,
            "actor": {
                "kind": actor.kind, "colour": actor.colour, "hue": actor.hue, "saturation": actor.saturation,
                "value": actor.value, "rgb": [round(c, 4) for c in actor.rgb], "pattern": actor.pattern,
                "size": actor.size, "radius": vocab.SIZE_BY_NAME[actor.size].radius, "facing": actor.facing,
            },
            "setting": {"name": spec.setting.name, "layout": spec.setting.layout},
            "shots": shots,
        })
    return out


def _render(specs: Sequence[SceneSpec], size: int, device: Optional[torch.device]
            ) -> Tuple[Tensor, Tensor, List[dict]]:
    n_shots, frames = _check_batch(specs, size)
    device = torch.device("cpu") if device is None else torch.device(device)
    batch, per_scene = len(specs), n_shots * frames

    # 1. poses and labels (float64, CPU)
    poses = _poses(specs)
    boxes, centres = _actor_pixel_geometry(specs, poses, size, per_scene)
    labels = _labels(specs, boxes, centres, size)

    # 2. pixel -> world coordinates of every frame: x [N, 1, W], y [N, H, 1]
    on_device = {name: values.to(device=device, dtype=torch.float32) for name, values in poses.items()}
    grid = (torch.arange(size, dtype=torch.float32, device=device) + 0.5) / size - 0.5  # [W]
    h = on_device["h"].view(-1, 1, 1)
    world_x = on_device["cx"].view(-1, 1, 1) + grid.view(1, 1, size) * h
    world_y = on_device["cy"].view(-1, 1, 1) + grid.view(1, size, 1) * h
    px = h / size  # world units per pixel, [N, 1, 1]
    scene_of_frame = torch.arange(batch).repeat_interleave(per_scene)  # [N] CPU

    # 3. backgrounds, one group per setting; frames with identical cameras painted once
    layouts = backgrounds.layout_tensors([spec.setting.layout for spec in specs], device)
    video = torch.empty(batch * per_scene, 3, size, size, dtype=torch.float32, device=device)
    camera_key = torch.stack([scene_of_frame.double(), poses["cx"], poses["cy"], poses["h"]], dim=1)
    for setting in sorted({spec.setting.name for spec in specs}):
        in_setting = torch.tensor([spec.setting.name == setting for spec in specs])[scene_of_frame]
        idx = torch.nonzero(in_setting).view(-1)
        unique_keys, inverse = torch.unique(camera_key[idx], dim=0, return_inverse=True)
        first = torch.zeros(len(unique_keys), dtype=torch.long).scatter_(0, inverse, idx)  # one frame per camera
        first_dev = first.to(device)
        scene_dev = scene_of_frame[first].to(device)
        canvas = backgrounds.Canvas(world_x[first_dev], world_y[first_dev], px[first_dev],
                                    {name: values[scene_dev] for name, values in layouts.items()})
        video[idx.to(device)] = backgrounds.paint_background(setting, canvas)[inverse.to(device)]

    # 4. actors, one group per kind
    alpha = torch.zeros(batch * per_scene, size, size, dtype=torch.float32, device=device)
    outline_px = OUTLINE_PX_PER_64 * size / 64.0
    for kind in sorted({spec.actor.kind for spec in specs}):
        scene_ids = [b for b, spec in enumerate(specs) if spec.actor.kind == kind]
        idx = torch.nonzero(torch.tensor([spec.actor.kind == kind for spec in specs])[scene_of_frame]).view(-1)
        idx_dev = idx.to(device)
        colours = {b: actor_colours(specs[b].actor) for b in scene_ids}
        per_frame_scene = scene_of_frame[idx].tolist()

        def column(values: List) -> Tensor:
            return torch.tensor(values, dtype=torch.float32, device=device)

        def colour_of(which: int) -> Tensor:  # [n, 3, 1, 1]
            table = column([colours[b][which] for b in per_frame_scene])
            return table.view(-1, 3, 1, 1)

        base_radius = column([vocab.SIZE_BY_NAME[specs[b].actor.size].radius for b in per_frame_scene])
        frames_k = actors.ActorFrames(
            x=on_device["x"][idx_dev].view(-1, 1, 1),
            y=on_device["y"][idx_dev].view(-1, 1, 1),
            radius=(base_radius * on_device["scale"][idx_dev]).view(-1, 1, 1),
            angle=on_device["angle"][idx_dev].view(-1, 1, 1),
            facing=on_device["facing"][idx_dev].view(-1, 1, 1),
            anim=on_device["anim"][idx_dev].view(-1, 1, 1),
            colour=colour_of(0),
            pattern_colour=colour_of(1),
            outline_colour=colour_of(2),
            pattern=column([actors.pattern_id(specs[b].actor.pattern) for b in per_frame_scene]).view(-1, 1, 1),
        )
        colour, coverage = actors.paint_actors(kind, frames_k, world_x[idx_dev], world_y[idx_dev], px[idx_dev],
                                               outline_px)
        video[idx_dev] = video[idx_dev] + coverage.unsqueeze(1) * (colour - video[idx_dev])
        alpha[idx_dev] = coverage

    video = torch.clamp(video, 0.0, 1.0).view(batch, n_shots, frames, 3, size, size)
    return video, alpha.view(batch, n_shots, frames, size, size), labels


def scene_labels(specs: Sequence[SceneSpec], size: int) -> List[dict]:
    """The labels render_scene_batch returns (actor boxes and centres per frame included), from the poses alone:
    no pixels are painted, so a layout planner can learn from many scenes cheaply."""
    n_shots, frames = _check_batch(specs, size)
    poses = _poses(specs)
    boxes, centres = _actor_pixel_geometry(specs, poses, size, n_shots * frames)
    return _labels(specs, boxes, centres, size)


def render_scene_batch(specs: Sequence[SceneSpec], size: int, device=None) -> Tuple[Tensor, List[dict]]:
    """Render scenes to video and labels.

    Returns ``video`` float32 [B, S, F, 3, H, W] in [0, 1] (H = W = size) on ``device``
    (default CPU) and one JSON-serialisable label dict per scene. All scenes must share
    n_shots (S) and frames_per_shot (F).
    """
    video, _, labels = _render(specs, size, device)
    return video, labels


def render_scene_batch_with_alpha(specs: Sequence[SceneSpec], size: int, device=None
                                  ) -> Tuple[Tensor, Tensor, List[dict]]:
    """render_scene_batch plus the actor coverage of every frame, from one render:
    video [B, S, F, 3, H, W], alpha [B, S, F, H, W] in [0, 1], labels."""
    return _render(specs, size, device)


def render_actor_alpha(specs: Sequence[SceneSpec], size: int, device=None) -> Tensor:
    """Actor coverage (fill + outline) of every frame: float32 [B, S, F, H, W] in [0, 1]."""
    return _render(specs, size, device)[1]


def to_uint8(video: Tensor) -> Tensor:
    """Quantise [..., 3, H, W] floats in [0, 1] to uint8 (round to nearest)."""
    return torch.clamp(torch.round(video * 255.0), 0, 255).to(torch.uint8)
