"""Glue between StoryDiT and the samplers: velocity functions over target segments, KV-cache context,
and the three generation flows of the product.

    joint scene      all shots are targets in one scene_full forward (stage-1 model)
    next shot        earlier shots -> KV cache at t_c (context_causal); denoise the new shot only
    shot extension   earlier chunks of the shot (+ earlier shots) -> KV cache; denoise the next chunk (chunk_causal)

Null text for CFG is all zeros (B, T, L_txt, 384); the unconditional pass zeroes the TARGET segments'
captions, cached context keeps its captions (the cache is shared by both passes, batch 1 broadcast).
Exception: a later chunk of a streamed shot has no caption of its own (it sits in the cached earlier chunks),
so a shared cache makes uncond == cond there. The product guides only a shot's first chunk by default
(ChunkGuidance.FIRST_CHUNK); its EVERY_CHUNK ablation lets the unconditional pass attend to the shot's chunks
re-encoded with a null caption: `cfg_cache(cond_cache, null_cache)` pairs the two as CFG rows
(docs/STORYDIT.md §8).
A caption_cond model also takes a pooled caption per segment (B, G, 384, model.segment_captions); its
unconditional pass zeroes the target segments' rows too. Pass it when a target's caption is only in the cache.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import List, Optional, Sequence, Tuple

import torch

from . import flow
from .layout import SceneLayout
from .model import KvCache, StoryDiT, segment_captions


LAYOUT_GUIDANCE = ("none", "guided_chunks", "every_chunk", "still_shot_chunks")  # SamplerDefaults.layout_guidance
LAYOUT_ALONE = ("every_chunk", "still_shot_chunks")  # the settings that guide later chunks on their layout alone
CONTINUATION_ANCHORS = ("still", "camera")                     # SamplerDefaults.continuation_anchor (session 36)


@dataclass
class SamplerDefaults:
    sampler: str = "euler"      # "euler" | "heun" (flow.SAMPLERS; training also flow.EXPERIMENTAL_SAMPLERS)
    steps: int = 24             # integration steps from t = 1 to 0
    shift: float = 2.0          # timestep shift s
    guidance: float = 3.0       # CFG scale g (1 = no guidance)
    t_context: float = 0.2      # t_c: noise level at which finished shots / chunks are cached
    noise_correlation: float = 0.0  # a: the shot noise prior (flow.shot_noise); 0 = independent frames
    continuation_start: float = 1.0  # t0: a chunk after a shot's first starts at t0 from the frame before it
                                     # (flow.continuation_start; the engine's ContinuationStart); 1 = from noise
    camera_noise: Optional[Tuple[float, float, int]] = None  # (pan, log zoom, zoom frames) per latent frame, pan in
                                     # latent pixels: the shared part of the noise moves with the shot's camera
                                     # (flow.camera_warped_noise; the engine's SharedNoise); None = fixed to the screen.
                                     # Written into the export; Python's own samplers here do not apply it
                                     # (shot_eval --warp-noise does)
    layout_guidance: str = "none"   # LAYOUT_GUIDANCE, for an actor_box_cond model: "none" (CFG's rows read the same
                                     # layout), "guided_chunks" (where CFG runs, its unconditional row reads no layout
                                     # for the target, cfg_actor_box) or "every_chunk" (also the chunks CFG skips, in
                                     # two rows that differ only in the target's layout) or "still_shot_chunks"
                                     # (every_chunk on a shot whose camera is static, guided_chunks on a moving
                                     # one's, session 38); the engine's LayoutGuidance
    continuation_anchor: str = "still"  # CONTINUATION_ANCHORS: the picture a continuing chunk starts from, the frame
                                     # before it in every frame ("still") or carried by the shot's camera at the
                                     # camera_noise rates ("camera", flow.camera_carried_frames); the engine's
                                     # ContinuationAnchor
    layout_guidance_scale: Optional[float] = None  # LAYOUT_ALONE only: the scale of the chunks guided on their layout
                                     # alone (the later chunks); None = the shot's own guidance. The engine's
                                     # SamplerConfig.layoutOnlyScale (session 37)
    layout_guidance_t_min: float = 0.0  # LAYOUT_ALONE only: those chunks are guided at the steps whose t is at least
                                     # this and run their conditional row alone below it; 0 = every step. The
                                     # engine's SamplerConfig.layoutGuidanceTMin (session 38)

    def to_dict(self) -> dict:
        d = asdict(self)
        if d["layout_guidance_t_min"] == 0:              # the engine's default: every step
            d.pop("layout_guidance_t_min")
        if d["layout_guidance_scale"] is None:           # the engine's default: the shot's scale
            d.pop("layout_guidance_scale")
        if d["layout_guidance"] == "none":               # the engine's default: a model exported before it reads the same
            d.pop("layout_guidance")
        if d["continuation_anchor"] == "still":          # likewise
            d.pop("continuation_anchor")
        rates = d.pop("camera_noise")
        if rates is not None:
            d["camera_noise"] = {"pan_per_frame": rates[0], "log_zoom_per_frame": rates[1], "zoom_frames": rates[2]}
        return d


class SegmentDenoiser:
    """velocity_fn(x_target, t) for a forward in which `target_segments` move along the schedule and every
    other segment of the layout keeps its latents and timestep.

    latents   (Bm, F, C, H, W) all frames of the layout (target frames are overwritten)
    text      (Bm, T, L_txt, 384)
    t_seg     (Bm, G) timesteps of the non-target segments (target entries are overwritten)
    x_target  (Bm, Ft, C, H, W) concatenated frames of the target segments
    caption   (Bm, G, 384) or None: pooled caption per segment (caption_cond models; None = from `text`)
    shot_labels (Bm, G, 2) or None: [camera, shot size] per segment (shot_cond models; None = null)
    actor_box (Bm, F, 1, H, W) or None: the actor's box per frame of the layout (actor_box_cond models; None = none)
    prev_frame (Bm, F, C, H, W) or None: per frame of the layout, the shot's frame before a continuation chunk
              (prev_frame_cond models; zeros elsewhere; None = none)
    Rows of latents / t_seg may be 1 and are broadcast to the text batch (CFG doubles the batch)."""

    def __init__(self, model: StoryDiT, layout: SceneLayout, mask_mode: str, latents: torch.Tensor,
                 text: torch.Tensor, t_seg: torch.Tensor, target_segments: Sequence[int],
                 kv_cache: Optional[KvCache] = None, caption: Optional[torch.Tensor] = None,
                 shot_labels: Optional[torch.Tensor] = None, actor_box: Optional[torch.Tensor] = None,
                 prev_frame: Optional[torch.Tensor] = None):
        self.model, self.layout, self.mask_mode = model, layout, mask_mode
        self.shot_labels, self.actor_box, self.prev_frame = shot_labels, actor_box, prev_frame
        self.latents, self.text, self.t_seg, self.kv_cache = latents, text, t_seg, kv_cache
        self.caption = caption
        self.targets = list(target_segments)
        slices = layout.frame_slices()
        self.target_slices = [slices[g] for g in self.targets]
        assert all(sl.stop > sl.start for sl in self.target_slices), "target segments must hold video frames"
        self.x_prev: Optional[torch.Tensor] = None   # self_cond models: the last call's clean-frame estimate

    def split(self, x_target: torch.Tensor) -> List[torch.Tensor]:
        out, f0 = [], 0
        for sl in self.target_slices:
            n = sl.stop - sl.start
            out.append(x_target[:, f0:f0 + n])
            f0 += n
        return out

    def __call__(self, x_target: torch.Tensor, t: float) -> torch.Tensor:
        Bm = x_target.shape[0]
        lat = self.latents.expand(Bm, -1, -1, -1, -1).clone() if self.latents.shape[0] == 1 else self.latents.clone()
        tt = self.t_seg.expand(Bm, -1).clone() if self.t_seg.shape[0] == 1 else self.t_seg.clone()
        for sl, part in zip(self.target_slices, self.split(x_target)):
            lat[:, sl] = part
        for g in self.targets:
            tt[:, g] = t
        text = self.text
        if text.shape[0] != Bm:
            assert text.shape[0] == 1, "text batch must match or be 1"
            text = text.expand(Bm, -1, -1, -1)
        self_cond = None
        if self.model.cfg.self_cond:                      # the previous call's estimate of the targets (none: zeros)
            self_cond = torch.zeros_like(lat)
            if self.x_prev is not None:
                for sl, part in zip(self.target_slices, self.split(self.x_prev)):
                    self_cond[:, sl] = part
        v = self.model(lat, text, tt, self.layout, self.mask_mode, kv_cache=self.kv_cache, caption=self.caption,
                       shot_labels=self.shot_labels, self_cond=self_cond, actor_box=self.actor_box,
                       prev_frame=self.prev_frame)
        v_target = torch.cat([v[:, sl] for sl in self.target_slices], dim=1)     # (Bm, Ft, C, H, W)
        if self_cond is not None:
            self.x_prev = flow.clean_estimate(x_target, v_target, t, self.model.cfg.x_pred_t_min)
        return v_target


def cfg_text(text: torch.Tensor, layout: SceneLayout, target_segments: Sequence[int]) -> torch.Tensor:
    """(B, T, L, D) -> (2B, T, L, D): rows [:B] as given, rows [B:] with the target segments' captions zeroed."""
    text_index = {}
    ti = 0
    for g, s in enumerate(layout.segments):
        if s.text:
            text_index[g] = ti
            ti += 1
    uncond = text.clone()
    for g in target_segments:
        if g in text_index:
            uncond[:, text_index[g]] = 0
    return torch.cat([text, uncond], dim=0)


def cfg_caption(caption: torch.Tensor, target_segments: Sequence[int]) -> torch.Tensor:
    """(B, G, D) -> (2B, G, D): rows [:B] as given, rows [B:] with the target segments' pooled captions zeroed."""
    uncond = caption.clone()
    uncond[:, list(target_segments)] = 0
    return torch.cat([caption, uncond], dim=0)


def cfg_shot_labels(labels: torch.Tensor, target_segments: Sequence[int]) -> torch.Tensor:
    """(B, G, 2) -> (2B, G, 2): rows [B:] with the target segments' labels set to null (0), like their captions."""
    uncond = labels.clone()
    uncond[:, list(target_segments)] = 0
    return torch.cat([labels, uncond], dim=0)


def cfg_actor_box(box: torch.Tensor, layout: SceneLayout, target_segments: Sequence[int],
                  guide_layout: bool) -> torch.Tensor:
    """(B, F, Cb, H, W) -> (2B, F, Cb, H, W): rows [B:] the same layout, or with guide_layout the target segments'
    frames without one (zeros, as training's dropped boxes; the context keeps its layout, as it keeps its captions)."""
    uncond = box.clone()
    if guide_layout:
        slices = layout.frame_slices()
        for g in target_segments:
            uncond[:, slices[g]] = 0
    return torch.cat([box, uncond], dim=0)


def cfg_cache(cond: KvCache, uncond: KvCache) -> KvCache:
    """Two batch-B caches of the same tokens -> one (2B) cache for a CFG forward: rows [:B] attend to `cond`,
    rows [B:] to `uncond` (e.g. a streamed shot's earlier chunks encoded with and without its caption)."""
    assert len(cond) == len(uncond) and torch.equal(cond.shot, uncond.shot) and torch.equal(cond.chunk, uncond.chunk), \
        "a CFG cache pair must hold the same tokens"
    assert cond.keys[0].shape[0] == uncond.keys[0].shape[0], "a CFG cache pair must have the same batch"
    return KvCache([torch.cat([a, b], 0) for a, b in zip(cond.keys, uncond.keys)],
                   [torch.cat([a, b], 0) for a, b in zip(cond.values, uncond.values)], cond.shot, cond.chunk)


@torch.no_grad()
def build_context_cache(model: StoryDiT, layout: SceneLayout, mask_mode: str, latents: torch.Tensor,
                        text: torch.Tensor, t_context: float, noise: torch.Tensor,
                        kv_cache: Optional[KvCache] = None, caption: Optional[torch.Tensor] = None,
                        shot_labels: Optional[torch.Tensor] = None) -> KvCache:
    """Re-noise finished latents to t_c, forward them once with t = t_c, return the (appended) cache.
    The global caption segment, if present in `layout`, is cached at t = 0 (it is always clean)."""
    t_seg = torch.full((latents.shape[0], len(layout.segments)), float(t_context), device=latents.device)
    for g, s in enumerate(layout.segments):
        if s.shot < 0:
            t_seg[:, g] = 0.0
    x = flow.add_noise(latents, noise, t_context) if latents.shape[1] else latents
    _, new = model(x, text, t_seg, layout, mask_mode, kv_cache=kv_cache, return_kv=True, caption=caption,
                   shot_labels=shot_labels)
    return new if kv_cache is None else kv_cache.append(new)


@torch.no_grad()
def denoise(model: StoryDiT, layout: SceneLayout, mask_mode: str, text: torch.Tensor, target_segments: Sequence[int],
            noise: torch.Tensor, defaults: SamplerDefaults, latents: Optional[torch.Tensor] = None,
            t_seg: Optional[torch.Tensor] = None, kv_cache: Optional[KvCache] = None,
            caption: Optional[torch.Tensor] = None, shot_labels: Optional[torch.Tensor] = None,
            start_t: float = 1.0, actor_box: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Sample the target segments' frames (B, Ft, C, H, W) from `noise` with CFG (batched cond/uncond).
    start_t < 1: `noise` is x_{start_t} and sampling starts there (flow.sample; the SDEdit probe).
    latents / t_seg describe non-target segments in this layout (default: none besides targets; global t = 0).
    caption (B, G, 384): pooled captions for a caption_cond model (default: from `text`).
    shot_labels (B, G, 2): [camera, shot size] per segment for a shot_cond model (default: null); the
    unconditional row drops the target segments' labels together with their captions.
    actor_box (B, F, 1, H, W): the actor's box per frame for an actor_box_cond model; both CFG rows keep it (the
    layout is given, guidance acts on the words; the engine's layout guidance is cfg_actor_box's other branch)."""
    B = noise.shape[0]
    c = model.cfg
    if latents is None:
        latents = noise.new_zeros(B, layout.n_frames, c.latent_channels, c.latent_h, c.latent_w)
    if t_seg is None:
        t_seg = noise.new_zeros(B, len(layout.segments))
    if c.caption_cond and caption is None:
        caption = segment_captions(layout, text)
    caption2 = cfg_caption(caption, target_segments) if c.caption_cond else None
    labels2 = cfg_shot_labels(shot_labels, target_segments) if c.shot_cond and shot_labels is not None else None
    den = SegmentDenoiser(model, layout, mask_mode, latents.repeat(2, 1, 1, 1, 1), cfg_text(text, layout, target_segments),
                          t_seg.repeat(2, 1), target_segments, kv_cache, caption2, labels2,
                          None if actor_box is None else cfg_actor_box(actor_box, layout, target_segments, False))
    fn = flow.guided(den, defaults.guidance)
    return flow.sample(fn, noise, defaults.steps, defaults.shift, defaults.sampler, start_t=start_t)
