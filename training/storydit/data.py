"""On-the-fly scene batches from the storyworld renderer, deterministic in (seed, cursor).

The renderer interface (training/storyworld):
    spec = sample_scene(seed, n_shots, frames_per_shot, mode="multishot"|"continuation", split="train"|"heldout")
    video, labels = render_scene_batch(specs, size=64, device=None)   # (B, S, F, 3, H, W) float32 in [0, 1]
    video, alpha, labels = render_scene_batch_with_alpha(...)          # + actor coverage (B, S, F, H, W)
    spec.shots[i].caption, spec.global_caption (str | None), spec.shots[i].continues_previous
The data cursor is the number of batches consumed; batch k is a pure function of (seed, k), so resuming
from a checkpoint's cursor replays exactly the same data.

Sampling a scene's spec costs a few milliseconds of Python (mostly seeding its random streams). On a GPU that is
the bottleneck of a large batch, so `workers` > 0 samples the specs in a process pool, one batch ahead of the
one being trained; the specs, and so the batches, are the same as without it.
"""
from __future__ import annotations

import multiprocessing
import random
from dataclasses import dataclass
from typing import List, Optional, Tuple

import torch

SEED_STRIDE = 10_000_000      # scene seeds of run seed s start at s * SEED_STRIDE
MODES = ("multishot", "continuation")


def load_storyworld():
    try:
        import storyworld  # noqa: F401
        from storyworld import render_scene_batch, sample_scene  # noqa: F401
    except ImportError as e:
        raise RuntimeError(f"the storyworld renderer is not importable ({e}); run from training/ "
                           "(PYTHONPATH=training) with training/storyworld present") from e
    return storyworld


@dataclass
class SceneBatch:
    video: torch.Tensor                    # (B, S, F, 3, H, W) in [0, 1]
    captions: List[List[str]]              # [B][S]
    global_captions: List[Optional[str]]   # [B]
    mode: str
    specs: list
    alpha: Optional[torch.Tensor] = None   # (B, S, F, H, W) actor coverage in [0, 1], when asked for
    kept_frame: Optional[torch.Tensor] = None  # (B,) stage 0: which frame of the spec's one shot each row kept

    @property
    def n_shots(self) -> int:
        return self.video.shape[1]

    @property
    def has_global(self) -> bool:
        return any(g for g in self.global_captions)


def _sample_specs(job: Tuple[List[int], int, int, str, str]) -> list:
    """Pool worker: the storyworld specs of some scene seeds."""
    seeds, n_shots, frames_per_shot, mode, split = job
    world = load_storyworld()
    return [world.sample_scene(seed=s, n_shots=n_shots, frames_per_shot=frames_per_shot, mode=mode, split=split)
            for s in seeds]


class SceneBatcher:
    def __init__(self, world, batch_size: int, image_size: int, frames_per_shot: int, max_shots: int,
                 min_shots: int = 1, p_continuation: float = 0.25, split: str = "train", seed: int = 0,
                 device: Optional[torch.device] = None, with_alpha: bool = False, workers: int = 0):
        assert 1 <= min_shots <= max_shots, "need 1 <= min_shots <= max_shots"
        self.world, self.batch_size, self.image_size = world, batch_size, image_size
        self.frames_per_shot, self.min_shots, self.max_shots = frames_per_shot, min_shots, max_shots
        self.p_continuation, self.split, self.seed, self.device = p_continuation, split, seed, device
        self.with_alpha = with_alpha
        self.pool, self.pending = None, None          # pending: (cursor, n_shots, the pool's results)
        if workers > 0:
            assert world is load_storyworld(), "spec workers sample from the storyworld package itself"
            self.pool = multiprocessing.get_context("spawn").Pool(workers)
            self.workers = workers

    def plan(self, cursor: int, n_shots: Optional[int]) -> Tuple[int, str, List[int]]:
        """Batch `cursor`: its shot count, mode and scene seeds."""
        rng = random.Random(self.seed * SEED_STRIDE + cursor)
        S = n_shots or rng.randint(self.min_shots, self.max_shots)
        mode = "continuation" if (S > 1 and rng.random() < self.p_continuation) else "multishot"
        base = self.seed * SEED_STRIDE + cursor * self.batch_size
        return S, mode, list(range(base, base + self.batch_size))

    def submit(self, cursor: int, n_shots: Optional[int]):
        S, mode, seeds = self.plan(cursor, n_shots)
        step = -(-len(seeds) // self.workers)
        jobs = [(seeds[i:i + step], S, self.frames_per_shot, mode, self.split) for i in range(0, len(seeds), step)]
        return self.pool.map_async(_sample_specs, jobs)

    def specs(self, cursor: int, n_shots: Optional[int]) -> Tuple[int, str, list]:
        S, mode, seeds = self.plan(cursor, n_shots)
        if self.pool is None:
            return S, mode, [self.world.sample_scene(seed=s, n_shots=S, frames_per_shot=self.frames_per_shot,
                                                     mode=mode, split=self.split) for s in seeds]
        hit = self.pending is not None and self.pending[:2] == (cursor, n_shots)
        result = self.pending[2] if hit else self.submit(cursor, n_shots)
        self.pending = (cursor + 1, n_shots, self.submit(cursor + 1, n_shots))     # the next batch, meanwhile
        return S, mode, [spec for chunk in result.get() for spec in chunk]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool, self.pending = None, None

    def batch(self, cursor: int, n_shots: Optional[int] = None) -> SceneBatch:
        S, mode, specs = self.specs(cursor, n_shots)
        alpha = None
        if self.with_alpha:
            video, alpha, _ = self.world.render_scene_batch_with_alpha(specs, size=self.image_size, device=self.device)
        else:
            video, _ = self.world.render_scene_batch(specs, size=self.image_size, device=self.device)
        assert video.shape[:3] == (self.batch_size, S, self.frames_per_shot), \
            f"renderer returned {tuple(video.shape)}, expected (B={self.batch_size}, S={S}, F={self.frames_per_shot}, ...)"
        captions = [[shot.caption for shot in spec.shots] for spec in specs]
        return SceneBatch(video.float(), captions, [global_caption(spec) for spec in specs], mode, specs,
                          None if alpha is None else alpha.float())


def global_caption(spec) -> Optional[str]:
    """The scene's global caption (storyworld.SceneSpec.global_caption), or None for stand-in specs without one."""
    return getattr(spec, "global_caption", None)
