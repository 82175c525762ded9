"""storyworld: procedural multi-shot scenes with labels, the training/evaluation domain of StoryDiT.

Public API (see README.md):

    sample_scene(seed, n_shots, frames_per_shot, mode="multishot", split="train") -> SceneSpec
    render_scene_batch(specs, size, device=None) -> (video [B, S, F, 3, H, W], labels)
    render_scene_batch_with_alpha(specs, size, device=None) -> (video, actor alpha [B, S, F, H, W], labels)
    caption_vocabulary(include_heldout=False) -> {category: [phrase, ...]}
"""

from .captions import caption_vocabulary, heldout_phrases
from .render import render_actor_alpha, render_scene_batch, render_scene_batch_with_alpha, to_uint8
from .scene import ActorSpec, SceneSpec, SettingSpec, ShotSpec, sample_scene

#: Version of the storyworld domain (vocabulary, renderer, scene mix); bump when training data changes.
STORYWORLD_VERSION = "1"

__all__ = [
    "STORYWORLD_VERSION",
    "ActorSpec", "SceneSpec", "SettingSpec", "ShotSpec", "sample_scene",
    "render_scene_batch", "render_scene_batch_with_alpha", "render_actor_alpha", "to_uint8",
    "caption_vocabulary", "heldout_phrases",
]
