"""Scene and shot specifications, and the seeded sampler that draws them.

A scene is one actor in one setting, filmed in 1-6 shots. Identity (kind, exact
colour, pattern, size, setting layout) is shared by every shot; action, camera and
shot size change from shot to shot ("multishot", hard cuts), or one long take is
split into consecutive segments that continue each other ("continuation").

Sampling is a pure function of (seed, n_shots, frames_per_shot, mode, split). Separate
random streams per concern keep results stable when one argument changes: the same
seed gives the same actor, setting and shots whatever the split (only the caption
wording differs), and a 4-shot scene starts with the 3 shots of the 3-shot scene.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np

from . import captions, vocab
from .backgrounds import sample_layout
from .motion import (MAX_SCREEN_OFFSET, SCALE_BOUNDS, classify_shot_size, segment_is_framed, shot_start_pose,
                     Pose, track_segment, view_height)

MODES = ("multishot", "continuation")
SPLITS = ("train", "heldout")
MAX_SHOTS = 6

# Random streams (second word of the RandomState seed).
_IDENTITY, _LAYOUT, _SHOTS, _CAPTIONS, _PROMPTS = 0, 1, 2, 3, 4

PATTERN_WEIGHTS = {"plain": 0.5, "stripes": 0.25, "dots": 0.25}
REPEAT_CAMERA = 0.3  # multishot: chance a shot keeps the previous camera move
REPEAT_SHOT_SIZE = 0.3  # ... and the previous shot size (the action always changes)
KEEP_ACTION = 0.5  # continuation: chance a segment keeps doing the same thing
KEEP_CAMERA = 0.6  # continuation: chance the camera keeps its move
MAX_VIEW_HEIGHT = 1.7  # continuation: widest zoom-out (a wide frame is 1.0)


@dataclass(frozen=True)
class ActorSpec:
    kind: str
    colour: str  # colour name; the exact colour is hue/saturation/value
    hue: float  # degrees [0, 360)
    saturation: float
    value: float
    pattern: str
    size: str
    facing: int  # +1 looks right, -1 left, until a move turns it

    @property
    def rgb(self) -> Tuple[float, float, float]:
        return colorsys.hsv_to_rgb(self.hue / 360.0, self.saturation, self.value)


@dataclass(frozen=True)
class SettingSpec:
    name: str
    layout: Dict[str, object]  # see backgrounds.sample_layout; JSON-serialisable


@dataclass(frozen=True)
class ShotSpec:
    action: str
    camera: str
    shot_size: str  # framing at the start of the shot (zooms end tighter/wider)
    caption: str
    continues_previous: bool = False  # True: no cut, the world state carries on
    prompt: str = ""  # the content alone (no camera / framing words): captions.shot_content_caption
    # Placement of a freshly cut shot (ignored when continues_previous):
    camera_x: float = 0.0  # world x of the camera centre at mid-shot
    actor_offset: float = 0.0  # actor's mid-path x relative to camera_x, in view heights
    approach_side: int = 1  # "approaches" starts on this side of the frame (+1 right)


def content_prompt(shot) -> str:
    """A shot's words as a creator writes them (ShotSpec.prompt: no camera / framing words); the full caption for a
    shot without them (older specs, and test stand-ins that carry only a caption)."""
    return getattr(shot, "prompt", "") or shot.caption


@dataclass(frozen=True)
class SceneSpec:
    seed: int
    mode: str
    split: str
    frames_per_shot: int
    actor: ActorSpec
    setting: SettingSpec
    shots: Tuple[ShotSpec, ...]
    global_caption: str  # global scene caption (actor and setting only)

    @property
    def n_shots(self) -> int:
        return len(self.shots)


def _rng(seed: int, stream: int) -> np.random.RandomState:
    return np.random.RandomState([seed & 0xFFFFFFFF, seed >> 32, stream])


def _choice(rng: np.random.RandomState, options, weights=None):
    options = list(options)
    if weights is None:
        return options[rng.randint(len(options))]
    p = np.asarray(weights, dtype=float)
    return options[int(rng.choice(len(options), p=p / p.sum()))]


def sample_actor(rng: np.random.RandomState) -> ActorSpec:
    colour = _choice(rng, vocab.COLOURS)
    hue = 0.0
    if colour.hue_range is not None:
        hue = float(rng.uniform(*colour.hue_range)) % 360.0
    return ActorSpec(
        kind=_choice(rng, vocab.KIND_NAMES),
        colour=colour.name,
        hue=round(hue, 2),
        saturation=round(float(rng.uniform(*colour.saturation_range)), 4),
        value=round(float(rng.uniform(*colour.value_range)), 4),
        pattern=_choice(rng, PATTERN_WEIGHTS, list(PATTERN_WEIGHTS.values())),
        size=_choice(rng, vocab.SIZE_BY_NAME),
        facing=int(_choice(rng, (-1, 1))),
    )


def allowed_actions(actor: ActorSpec) -> Tuple[str, ...]:
    """Actions that are visible for this actor (a plain ball spinning looks static)."""
    kind = vocab.KIND_BY_NAME[actor.kind]
    if kind.rotationally_symmetric and actor.pattern == "plain":
        return tuple(a for a in vocab.ACTION_NAMES if a != "spins")
    return vocab.ACTION_NAMES


def _placement(rng: np.random.RandomState, shot_size: str) -> Dict[str, float]:
    wide = shot_size == "wide"
    return {"camera_x": round(float(rng.uniform(-1.0, 1.0)), 4),
            "actor_offset": round(float(rng.uniform(-0.1, 0.1) if wide else rng.uniform(-0.04, 0.04)), 4),
            "approach_side": int(_choice(rng, (-1, 1)))}


def camera_allowed(action: str, camera: str, shot_size: str) -> bool:
    """False for combinations that hide the action or push the actor out of the frame."""
    if (action, camera) in (("grows", "zoom_out"), ("shrinks", "zoom_in")):
        return False  # the zoom would cancel the change of size on screen
    if (action, camera) in (("moves_left", "pan_left"), ("moves_right", "pan_right")):
        return False  # a tracking pan keeps the actor still on screen
    if action == "approaches" and camera in ("zoom_in", "zoom_out"):
        return False  # cancels (zoom out) or overfills the frame (zoom in)
    if camera == "zoom_in" and (shot_size == "close_up" or (action == "grows" and shot_size != "wide")):
        return False  # the actor would overfill the frame
    return True


def _sample_multishot(rng, actor: ActorSpec, n_shots: int):
    shots = []
    previous: Optional[Dict[str, object]] = None
    for _ in range(n_shots):
        actions = [a for a in allowed_actions(actor) if previous is None or a != previous["action"]]
        action = _choice(rng, actions)
        if previous is not None and rng.random_sample() < REPEAT_SHOT_SIZE:
            shot_size = previous["shot_size"]
        else:
            shot_size = _choice(rng, [s for s in vocab.SHOT_SIZE_NAMES if previous is None or s != previous["shot_size"]])
        cameras = [c for c in vocab.CAMERA_NAMES if camera_allowed(action, c, shot_size)]
        if previous is not None and previous["camera"] in cameras and rng.random_sample() < REPEAT_CAMERA:
            camera = previous["camera"]
        else:
            camera = _choice(rng, [c for c in cameras if previous is None or c != previous["camera"]])
        shot = dict(action=action, camera=camera, shot_size=shot_size, continues_previous=False,
                    **_placement(rng, shot_size))
        shots.append(shot)
        previous = shot
    return shots


def _candidate_moves(rng, actor: ActorSpec, previous: Dict[str, object]) -> List[Tuple[str, str]]:
    """(action, camera) pairs for the next segment, most preferred first."""
    actions = [a for a in allowed_actions(actor) if a != "falls"]  # a fall needs height: only a take's opening
    cameras = list(vocab.CAMERA_NAMES)
    rng.shuffle(actions)
    rng.shuffle(cameras)
    if previous["action"] in actions and rng.random_sample() < KEEP_ACTION:
        actions.insert(0, actions.pop(actions.index(previous["action"])))
    if rng.random_sample() < KEEP_CAMERA:
        cameras.insert(0, cameras.pop(cameras.index(previous["camera"])))
    return [(a, c) for a in actions for c in cameras]


def _sample_continuation(rng, actor: ActorSpec, n_shots: int, frames: int):
    """One long take: each segment starts where the previous ended and keeps the actor framed."""
    kind = vocab.KIND_BY_NAME[actor.kind]
    radius = vocab.SIZE_BY_NAME[actor.size].radius
    h_min = 0.9 * view_height("close_up", radius)

    def acceptable(track, end: Pose) -> bool:  # the end pose is where the next segment starts
        return (segment_is_framed(track) and abs(end.x - end.cx) / end.h <= MAX_SCREEN_OFFSET
                and SCALE_BOUNDS[0] <= end.scale <= SCALE_BOUNDS[1]
                and h_min <= float(track["h"].min()) and float(track["h"].max()) <= MAX_VIEW_HEIGHT
                and h_min <= end.h <= MAX_VIEW_HEIGHT)

    first = _sample_multishot(rng, actor, 1)[0]
    start = shot_start_pose(ShotSpec(caption="", **first), radius, kind.grounded, actor.facing)
    _, pose = track_segment(first["action"], first["camera"], start, frames, radius, kind.grounded)
    shots = [first]
    for _ in range(n_shots - 1):
        shot_size = classify_shot_size(pose.h, radius)
        chosen = None
        for action, camera in _candidate_moves(rng, actor, shots[-1]):
            if camera_allowed(action, camera, shot_size):
                track, end = track_segment(action, camera, pose, frames, radius, kind.grounded)
                if acceptable(track, end):
                    chosen = (action, camera, end)
                    break
        if chosen is None:  # rare (~2 %): nothing else keeps the actor framed, so bounce in place
            _, end = track_segment("bounces", "static", pose, frames, radius, kind.grounded)
            chosen = ("bounces", "static", end)
        action, camera, end = chosen
        shots.append(dict(action=action, camera=camera, shot_size=shot_size, continues_previous=True))
        pose = end
    return shots


def sample_scene(seed: int, n_shots: int, frames_per_shot: int, mode: str = "multishot",
                 split: str = "train") -> SceneSpec:
    """Draw one scene, deterministically from ``seed``.

    mode: "multishot" (hard cuts; action, camera and usually shot size change) or
    "continuation" (one continuous take split into ``n_shots`` segments).
    split: "train" or "heldout" caption wording (the video is the same for both).
    """
    assert isinstance(seed, (int, np.integer)) and 0 <= seed < 2**63, f"seed must be a non-negative int, got {seed!r}"
    assert 1 <= n_shots <= MAX_SHOTS, f"n_shots must be in 1..{MAX_SHOTS}, got {n_shots}"
    assert frames_per_shot >= 2, f"frames_per_shot must be >= 2, got {frames_per_shot}"
    assert mode in MODES, f"mode must be one of {MODES}, got {mode!r}"
    assert split in SPLITS, f"split must be one of {SPLITS}, got {split!r}"
    seed = int(seed)

    actor = sample_actor(_rng(seed, _IDENTITY))
    layout_rng = _rng(seed, _LAYOUT)
    setting_name = _choice(layout_rng, vocab.SETTING_NAMES)
    setting = SettingSpec(setting_name, sample_layout(setting_name, layout_rng))

    shot_rng = _rng(seed, _SHOTS)
    if mode == "multishot":
        raw_shots = _sample_multishot(shot_rng, actor, n_shots)
    else:
        raw_shots = _sample_continuation(shot_rng, actor, n_shots, frames_per_shot)

    caption_rng = _rng(seed, _CAPTIONS)
    scene_caption = captions.scene_caption(caption_rng, actor, setting_name, split)
    prompt_rng = _rng(seed, _PROMPTS)          # its own stream: the captions above are unchanged by it
    shots = tuple(
        ShotSpec(caption=captions.shot_caption(caption_rng, actor, setting_name, s["action"], s["camera"],
                                               s["shot_size"], split),
                 prompt=captions.shot_content_caption(prompt_rng, actor, setting_name, s["action"], split), **s)
        for s in raw_shots)
    return SceneSpec(seed=seed, mode=mode, split=split, frames_per_shot=frames_per_shot, actor=actor,
                     setting=setting, shots=shots, global_caption=scene_caption)
