"""A tiny stand-in for the storyworld renderer, for the storydit tests only (same interface, trivial pictures:
one coloured square per shot moving across a grey background). Not training data."""
from dataclasses import dataclass, field
from typing import List, Optional

import torch

COLOURS = ["red", "green", "blue", "yellow"]
RGB = {"red": (1.0, 0.1, 0.1), "green": (0.1, 0.9, 0.2), "blue": (0.2, 0.3, 1.0), "yellow": (1.0, 0.9, 0.1)}


@dataclass
class FakeShot:
    caption: str
    colour: str
    speed: int
    continues_previous: bool = False
    camera: str = "static"
    shot_size: str = "wide"
    prompt: str = ""


@dataclass
class FakeActor:
    kind: str
    colour: str = "red"


@dataclass
class FakeSpec:
    seed: int
    frames_per_shot: int
    shots: List[FakeShot] = field(default_factory=list)
    global_caption: Optional[str] = None
    actor: FakeActor = field(default_factory=lambda: FakeActor("cube"))


class FakeWorld:
    @staticmethod
    def sample_scene(seed, n_shots, frames_per_shot, mode="multishot", split="train"):
        g = torch.Generator().manual_seed(seed + (10_000 if split == "heldout" else 0))
        shots = []
        for i in range(n_shots):
            colour = COLOURS[int(torch.randint(len(COLOURS), (1,), generator=g))]
            speed = int(torch.randint(1, 3, (1,), generator=g))
            shots.append(FakeShot(f"a {colour} square moves right", colour, speed,
                                  continues_previous=(mode == "continuation" and i > 0),
                                  camera="static" if speed == 1 else "pan_right",
                                  shot_size="wide" if i % 2 == 0 else "close_up", prompt=f"a {colour} square"))
        glob = "a toy scene" if seed % 2 == 0 else None
        actor = FakeActor("ball" if seed % 3 == 0 else "cube", shots[0].colour if shots else "red")
        return FakeSpec(seed, frames_per_shot, shots, glob, actor)

    @staticmethod
    def render_scene_batch_with_alpha(specs, size=64, device=None):
        S, Fr = len(specs[0].shots), specs[0].frames_per_shot
        video = torch.full((len(specs), S, Fr, 3, size, size), 0.5)
        alpha = torch.zeros(len(specs), S, Fr, size, size)
        side = size // 4
        for b, spec in enumerate(specs):
            for s, shot in enumerate(spec.shots):
                for f in range(Fr):
                    x = (f * shot.speed * size // 16) % (size - side)
                    y = size // 2 - side // 2
                    video[b, s, f, :, y:y + side, x:x + side] = torch.tensor(RGB[shot.colour])[:, None, None]
                    alpha[b, s, f, y:y + side, x:x + side] = 1.0
        if device is not None:
            video, alpha = video.to(device), alpha.to(device)
        return video, alpha, [None] * len(specs)

    @staticmethod
    def render_scene_batch(specs, size=64, device=None):
        video, _, labels = FakeWorld.render_scene_batch_with_alpha(specs, size, device)
        return video, labels


def test_standin_matches_renderer_interface():
    specs = [FakeWorld.sample_scene(seed=i, n_shots=2, frames_per_shot=3) for i in range(2)]
    video, labels = FakeWorld.render_scene_batch(specs, size=32)
    assert video.shape == (2, 2, 3, 3, 32, 32) and video.dtype == torch.float32
    assert 0.0 <= float(video.min()) and float(video.max()) <= 1.0
    assert isinstance(specs[0].shots[1].caption, str) and len(labels) == 2
