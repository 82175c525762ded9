"""Where the actor and the camera are on every frame: actions and camera moves as poses.

A shot is a path through poses parameterised by progress p = f / F (f = 0..F-1).
The pose at p = 1 is the *next* frame after the shot; a continuation segment starts
exactly there, so consecutive segments differ by one frame of motion, never a jump.

Magnitudes are fractions of the view height at the start of the shot, so motion is
equally visible in a wide shot and in a close-up. Tracks are computed in float64 on
the CPU (tiny: one value per frame), which makes them identical on every device.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Tuple

import torch

from . import vocab
from .world import FLOOR_Y, SKY_Y, WIDE_VIEW_HEIGHT

if TYPE_CHECKING:  # only for annotations; scene.py imports this module
    from .scene import SceneSpec, ShotSpec

MOVE_DISTANCE = 0.32  # moves left/right: travel over one shot
PAN_DISTANCE = 0.24  # camera pans: travel of the camera centre over one shot
BOUNCE_HEIGHT = 0.22  # bounces: peak lift
BOUNCE_COUNT = 2  # bounces per shot
FALL_HEIGHT = 0.45  # falls: start this far above the rest height
SPIN_TURNS = 1.0  # spins: full turns per shot
GROW_FACTOR = 1.8  # grows/shrinks: scale multiplies (divides) by this over a shot
APPROACH_GROWTH = 2.0  # approaches: scale multiplies by this ...
APPROACH_START = 0.28  # ... while moving from this far off-centre to the frame centre
ZOOM_FACTOR = 0.6  # zoom in: view height multiplies by this over a shot (zoom out: divides)
CLOSE_HEADROOM = 0.06  # medium/close-up: camera sits this far above the actor's centre
FLAPS_PER_FRAME = 1.0 / 6.0  # bird wing / fish tail animation rate (cycles per frame)

# Continuation segments must keep the actor readable; the sampler rejects a segment
# whose poses leave these bounds.
MAX_SCREEN_OFFSET = 0.34  # |actor x - camera x| / view height
SCALE_BOUNDS = (0.55, 1.7)


@dataclass(frozen=True)
class Pose:
    """World state at one instant: the actor (x, lift, scale, angle, facing) and the camera."""

    x: float  # actor centre, world x
    lift: float  # height above the actor's rest height (world units, >= 0)
    scale: float  # multiplier of the actor's base radius
    angle: float  # radians, clockwise on screen
    facing: int  # +1 faces right, -1 faces left (mirrors birds and fish)
    cx: float  # camera centre, world x
    cy: float  # camera centre, world y
    h: float  # view height in world units (frame is h x h)


def view_height(shot_size: str, radius: float) -> float:
    """World units a frame of this shot size shows vertically (frames are square)."""
    fill = vocab.SHOT_SIZE_BY_NAME[shot_size].actor_fill
    return WIDE_VIEW_HEIGHT if fill is None else 2.0 * radius / fill


def classify_shot_size(h: float, radius: float) -> str:
    """The shot size whose view height is nearest (in log scale) to ``h``."""
    return min(vocab.SHOT_SIZE_NAMES, key=lambda name: abs(math.log(h / view_height(name, radius))))


def rest_y(scale, radius: float, grounded: bool):
    """Actor centre y when not lifted: standing on the floor (grows upwards), or hovering.

    ``scale`` is a float or tensor; the result has its type (``0 * scale`` keeps the
    shape of a tensor for hovering actors).
    """
    return FLOOR_Y - radius * scale if grounded else SKY_Y + 0.0 * scale


def shot_start_pose(shot: "ShotSpec", radius: float, grounded: bool, facing: int) -> Pose:
    """The pose a freshly cut shot starts from, placed so the whole action stays framed."""
    h = view_height(shot.shot_size, radius)
    wide = shot.shot_size == "wide"
    # wide shots show the horizon; tighter ones centre on the actor (a little headroom)
    cy = 0.0 if wide else float(rest_y(1.0, radius, grounded)) - CLOSE_HEADROOM * h
    pan_sign = {"pan_left": -1.0, "pan_right": 1.0}.get(shot.camera, 0.0)
    cx = shot.camera_x - pan_sign * PAN_DISTANCE * h / 2.0  # centred on camera_x at mid-shot

    focus = shot.camera_x + shot.actor_offset * h
    x, lift, scale = focus, 0.0, 1.0
    if shot.action == "moves_left":
        x, facing = focus + MOVE_DISTANCE * h / 2.0, -1
    elif shot.action == "moves_right":
        x, facing = focus - MOVE_DISTANCE * h / 2.0, 1
    elif shot.action == "grows":
        scale = 1.0 / math.sqrt(GROW_FACTOR)
    elif shot.action == "shrinks":
        scale = math.sqrt(GROW_FACTOR)
    elif shot.action == "falls":
        lift = FALL_HEIGHT * h
    elif shot.action == "approaches":
        x, scale = cx + shot.approach_side * APPROACH_START * h, 1.0 / math.sqrt(APPROACH_GROWTH)
    return Pose(x=x, lift=lift, scale=scale, angle=0.0, facing=facing, cx=cx, cy=cy, h=h)


def _focus_x(action: str, start: Pose) -> float:
    """Mid-path x of the actor: the point a zoom keeps fixed on screen."""
    if action == "moves_left":
        return start.x - MOVE_DISTANCE * start.h / 2.0
    if action == "moves_right":
        return start.x + MOVE_DISTANCE * start.h / 2.0
    if action == "approaches":
        return start.cx
    return start.x


def track_segment(
    action: str, camera: str, start: Pose, frames: int, radius: float, grounded: bool
) -> Tuple[Dict[str, torch.Tensor], Pose]:
    """Per-frame poses of one shot or continuation segment, and the pose one frame after it.

    Returns ``(track, end)``; ``track`` maps x, y, scale, angle, facing, cx, cy, h to
    float64 tensors [frames] (y already includes lift and rest height).
    """
    assert action in vocab.ACTION_NAMES, f"unknown action {action!r}"
    assert camera in vocab.CAMERA_NAMES, f"unknown camera {camera!r}"
    p = torch.arange(frames + 1, dtype=torch.float64) / frames  # [F+1], last = end pose
    ones = torch.ones_like(p)
    h0 = start.h

    # 1. camera: pans translate, zooms scale the view about the actor's focus point
    cx, cy, h = start.cx * ones, start.cy * ones, h0 * ones
    if camera in ("pan_left", "pan_right"):
        cx = cx + (1.0 if camera == "pan_right" else -1.0) * PAN_DISTANCE * h0 * p
    elif camera in ("zoom_in", "zoom_out"):
        h = h0 * (ZOOM_FACTOR if camera == "zoom_in" else 1.0 / ZOOM_FACTOR) ** p
        anchor_x = _focus_x(action, start)
        anchor_y = float(rest_y(start.scale, radius, grounded)) - (0.0 if action == "falls" else start.lift)
        cx = anchor_x + (start.cx - anchor_x) * h / h0
        cy = anchor_y + (start.cy - anchor_y) * h / h0

    # 2. actor
    x, lift, scale, angle = start.x * ones, start.lift * ones, start.scale * ones, start.angle * ones
    facing = start.facing
    if action == "moves_left":
        x, facing = x - MOVE_DISTANCE * h0 * p, -1
    elif action == "moves_right":
        x, facing = x + MOVE_DISTANCE * h0 * p, 1
    elif action == "bounces":
        lift = lift + BOUNCE_HEIGHT * h0 * torch.abs(torch.sin(math.pi * BOUNCE_COUNT * p))
    elif action == "spins":
        angle = angle + 2.0 * math.pi * SPIN_TURNS * p
    elif action == "grows":
        scale = scale * GROW_FACTOR ** p
    elif action == "shrinks":
        scale = scale / GROW_FACTOR ** p
    elif action == "falls":
        lift = lift * (1.0 - p * p)  # accelerating drop onto the rest height
    elif action == "approaches":
        ease = 1.0 - (1.0 - p) ** 2
        x = x + (cx - x) * ease
        scale = scale * APPROACH_GROWTH ** ease
        if start.x != start.cx:
            facing = 1 if start.cx > start.x else -1
    y = rest_y(scale, radius, grounded) - lift

    track = {"x": x, "y": y, "scale": scale, "angle": angle, "facing": float(facing) * ones,
             "cx": cx, "cy": cy, "h": h}
    end = Pose(x=float(x[-1]), lift=float(lift[-1]), scale=float(scale[-1]), angle=float(angle[-1]),
               facing=facing, cx=float(cx[-1]), cy=float(cy[-1]), h=float(h[-1]))
    return {name: values[:-1] for name, values in track.items()}, end


def segment_is_framed(track: Dict[str, torch.Tensor]) -> bool:
    """True when the actor stays near the frame centre and at a readable scale."""
    offset = torch.abs(track["x"] - track["cx"]) / track["h"]
    scale = track["scale"]
    return bool(offset.max() <= MAX_SCREEN_OFFSET and scale.min() >= SCALE_BOUNDS[0]
                and scale.max() <= SCALE_BOUNDS[1])


def scene_track(spec: "SceneSpec") -> Dict[str, torch.Tensor]:
    """Per-frame poses of a whole scene: float64 tensors [S, F] (CPU).

    Keys: x, y, scale, angle, facing, cx, cy, h (see Pose) and ``anim`` (frame index
    within the scene, drives wing flaps; continuous across continuation segments).
    """
    kind = vocab.KIND_BY_NAME[spec.actor.kind]
    radius = vocab.SIZE_BY_NAME[spec.actor.size].radius
    frames = spec.frames_per_shot
    per_shot: List[Dict[str, torch.Tensor]] = []
    end = None
    for index, shot in enumerate(spec.shots):
        if shot.continues_previous:
            assert end is not None, "the first shot cannot continue a previous one"
            start = end
        else:
            start = shot_start_pose(shot, radius, kind.grounded, spec.actor.facing)
        track, end = track_segment(shot.action, shot.camera, start, frames, radius, kind.grounded)
        track["anim"] = torch.arange(frames, dtype=torch.float64) + index * frames
        per_shot.append(track)
    return {name: torch.stack([t[name] for t in per_shot]) for name in per_shot[0]}
