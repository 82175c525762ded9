"""Parity fixtures for the Java engine: a tiny random model and fixed inputs / expected outputs.

    cd training && python3 -m storydit.fixtures --out fixtures/tiny
    cd training && python3 -m storydit.fixtures --variant pixel --out fixtures/tiny-pixel
    cd training && python3 -m storydit.fixtures --variant pixel-unet --out fixtures/tiny-unet
    cd training && python3 -m storydit.fixtures --variant pixel-camera --out fixtures/tiny-camera
    cd training && python3 -m storydit.fixtures --variant pixel-box --out fixtures/tiny-box
    cd training && python3 -m storydit.fixtures --variant pixel-prev --out fixtures/tiny-prev
    cd training && python3 -m storydit.fixtures --variant pixel-sil --out fixtures/tiny-sil
    cd training && python3 -m storydit.fixtures --variant pixel-paint --out fixtures/tiny-paint
    cd training && python3 -m storydit.fixtures --variant camera-noise --out fixtures/camera-noise
    cd training && python3 -m storydit.fixtures --variant planner-action --out fixtures/tiny-action

Variant "pixel" (fixtures/tiny-pixel/): the model v2 features on one tiny model: pixel codec (no VAE; 32 px RGB
frames, patch 8 -> 4x4 tokens per frame), x-prediction, and camera / shot-size labels (shot_cond), with cases
for full forwards, a chunk extension whose shot labels are given per segment, and one CFG sampler step whose
unconditional row drops the target's caption and labels.
Variant "pixel-unet" (fixtures/tiny-unet/): the same model and DiT cases (no codec case) with the U-Net around the
DiT, model.ConvEncoder + model.ConvDecoder (conv_decoder_width 4, 3 levels at patch 8).
Variant "pixel-camera" (fixtures/tiny-camera/): the pixel-unet model with camera RoPE (rope.camera_rope_positions):
the shot labels' pan_left, zoom_out, static and null cameras move the video tokens' positions per batch row.
Variant "pixel-box" (fixtures/tiny-box/): the pixel-unet model with the actor's box as an input (actor_box_cond, a
non-zero box conv) and a small random layout planner (box_planner.py) exported with it: a "planner" case (pooled
prompts, labels and phases -> boxes -> masks, and the boxes-to-masks rule on chosen boxes), and the pixel DiT cases
with every forward given the planner's masks of its frames.
Variant "pixel-prev" (fixtures/tiny-prev/): the pixel-box model (no planner case) with the previous frame as an input
(prev_frame_cond, its conv perturbed like every other parameter): the pixel DiT cases in which every forward that
continues a shot reads, for each of its frames, the shot's frame before its chunk (prev_frame; zeros for a shot's first
chunk and context frames), and whose CFG step samples a continuation chunk.
Variant "pixel-sil" (fixtures/tiny-sil/): the pixel-box model reading the planned silhouette (actor_layout
"silhouette", actor_silhouette.py) and a small random silhouette planner (3 kinds, 5 x 5 templates that are not
left-right symmetric) exported with it: a "planner" case (pooled prompts, labels and phases -> boxes, the kind head's
logits, the named kind and facing, both ways among the rows -> silhouette masks, the silhouette rule on chosen
boxes, kinds and facings, and the kind of scenes made of the rows, BoxPlanner.scene_kind), and the pixel DiT cases with
every forward given the planner's silhouettes of its frames.
Variant "pixel-paint" (fixtures/tiny-paint/): the pixel-sil model reading the painted silhouette (actor_layout
"painted", 4 channels into its box conv) and a small random painting planner (pixel-sil's kinds and 5 x 5 templates,
and 4 colours with a random palette, one near black) exported with it: a "planner" case (pooled prompts, labels and
phases -> boxes, the kind and colour heads' logits, the named kind, facing and colour -> painted masks, the painting
rule on chosen silhouettes and colours, and the kind and colour of scenes made of the rows, BoxPlanner.scene_kind and
scene_colour), and the pixel DiT cases but the full forwards (the chunk extension's v_full is one; 4-channel masks
are large) with every forward given the planner's painted silhouettes of its frames.
Variant "planner-action" (fixtures/tiny-action/): no model, a small random painting planner that also names the action
(pixel-paint's kinds and colours, 4 actions; box_planner.BoxPlannerConfig.actions) in planner/: a "planner" case
(pooled prompts -> the action head's logits and the named action; labels, phase and the named action -> boxes; the
same rows planned with another action told, which must move the boxes).

Writes (committed; < 2 MB):
    fixtures/tiny/model/             export format (export.py), float32 storage, random weights (every
                                     parameter perturbed, so no block is an identity at init)
    fixtures/tiny/cases/*.safetensors inputs and expected outputs per case
    fixtures/tiny/fixtures.json      what every case holds: layout, mask mode, timesteps, guidance, shapes
Scene used by the DiT cases: global caption + 2 shots of 4 latent frames (tiny: 4x4x4 latent, patch 1x2x2
-> 2x2 tokens per frame, l_txt 8, chunk_frames 2). Regenerating is deterministic (seeded, CPU, fp32).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
from dataclasses import asdict
from typing import Dict, List, Tuple

import torch

from . import flow, safetensors_io
from .actor_box import boxes_to_masks
from .actor_silhouette import painted_masks, silhouette_masks
from .box_planner import BoxPlanner, BoxPlannerConfig, planned_masks, save_planner, shot_phases
from .export import export_model
from .layout import SceneLayout, TokenTable
from .masks import MASK_MODES, allow_for_table
from .codec import PixelCodec
from .model import KvCache, StoryDiT, dit_config, pool_caption, segment_captions
from .pipeline import SamplerDefaults, SegmentDenoiser, cfg_actor_box, cfg_caption, cfg_shot_labels, cfg_text
from .vae import FrameVAE, vae_config

FIXTURE_SEED = 20250101
PARAM_NOISE_STD = 0.05             # added to every parameter of the random fixture model
VAE_SCALING, VAE_SHIFT = 1.25, 0.05   # non-trivial latent normalisation to exercise the mapping
SHOT_FRAMES = (4, 4)
N_REAL_TOKENS = (5, 7, 3)          # real tokens of the global / shot 0 / shot 1 captions; the rest are zeros
T_FULL = ((0.0, 0.3, 0.8), (0.0, 0.55, 0.15))   # per batch row: global, shot 0, shot 1
T_EXT = ((0.0, 0.3, 0.25, 0.7), (0.0, 0.2, 0.2, 0.95))  # global, shot 0, shot 1 frames 0-1, shot 1 frames 2-3
SAMPLER = SamplerDefaults(sampler="euler", steps=4, shift=2.0, guidance=3.0, t_context=0.2)
TOLERANCE = {"atol": 1e-4, "rtol": 1e-4}


def tiny_models(seed: int = FIXTURE_SEED):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = StoryDiT(dit_config("tiny"), attn_impl="manual").eval()
    vae = FrameVAE(vae_config("tiny", scaling_factor=VAE_SCALING, shift_factor=VAE_SHIFT)).eval()
    with torch.no_grad():
        for m in (model, vae):
            for p in m.parameters():
                p.add_(torch.randn(p.shape, generator=g) * PARAM_NOISE_STD)
    return model, vae, g


def layout_json(layout: SceneLayout) -> dict:
    return {"shot_frames": list(layout.shot_frames), "has_global": layout.has_global,
            "grid": [layout.grid_h, layout.grid_w], "l_txt": layout.l_txt, "chunk_frames": layout.chunk_frames,
            "segments": [{"shot": s.shot, "text": s.text, "frame_start": s.frame_start, "n_frames": s.n_frames}
                         for s in layout.segments]}


def table_tensors(table: TokenTable, prefix: str = "") -> Dict[str, torch.Tensor]:
    return {prefix + "pos": table.pos, prefix + "segment": table.segment, prefix + "shot": table.shot,
            prefix + "chunk": table.chunk, prefix + "is_video": table.is_video}


def cache_tensors(cache: KvCache) -> Dict[str, torch.Tensor]:
    out = {"cache_shot": cache.shot, "cache_chunk": cache.chunk}
    for l, (k, v) in enumerate(zip(cache.keys, cache.values)):
        out[f"cache_k.{l}"] = k.contiguous()
        out[f"cache_v.{l}"] = v.contiguous()
    return out


class FixtureWriter:
    def __init__(self, out: str):
        self.out = out
        self.cases: List[dict] = []
        os.makedirs(os.path.join(out, "cases"), exist_ok=True)

    def add(self, name: str, description: str, tensors: Dict[str, torch.Tensor], **info) -> None:
        path = os.path.join("cases", f"{name}.safetensors")
        tensors = {k: v.detach().contiguous() for k, v in tensors.items()}
        safetensors_io.save_file(tensors, os.path.join(self.out, path))
        self.cases.append({"name": name, "file": path, "description": description, **info,
                           "tensors": {k: {"shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
                                       for k, v in sorted(tensors.items())}})


@torch.no_grad()
def write_fixtures(out: str) -> dict:
    if os.path.exists(out):
        shutil.rmtree(out)
    model, vae, g = tiny_models()
    c = model.cfg
    export_model(os.path.join(out, "model"), "storydit-tiny-fixture", c, model.state_dict(), vae, SAMPLER, "f32")
    w = FixtureWriter(out)
    rnd = lambda *shape: torch.randn(*shape, generator=g)

    # --- layout: positions and masks ----------------------------------------------------------------
    layout = model.layout_for(SHOT_FRAMES, has_global=True)
    table = layout.token_table()
    masks = {f"mask_{m}": allow_for_table(m, table).to(torch.uint8) for m in MASK_MODES}
    w.add("layout", "token table (RoPE positions, segment/shot/chunk ids, is_video) and allow[q,k] masks (1 = attend)",
          {**table_tensors(table), **masks}, layout=layout_json(layout))

    # --- VAE ------------------------------------------------------------------------------------------
    z = rnd(2, c.latent_channels, c.latent_h, c.latent_w)
    raw = z / vae.cfg.scaling_factor + vae.cfg.shift_factor
    images_in = torch.rand(2, 3, vae.cfg.image_size, vae.cfg.image_size, generator=g)
    moments = vae.encoder(images_in * 2 - 1)
    w.add("vae", "decode: image = clamp((decoder(z_dit / scaling + shift) + 1) / 2, 0, 1); "
                 "encode: moments = encoder(2 * image - 1) = [mean | logvar], z_dit = (mean - shift) * scaling",
          {"z_dit": z, "decoder_out": vae.decoder(raw), "image": vae.decode(z),
           "image_in": images_in, "moments": moments, "z_dit_enc": vae.encode(images_in)},
          scaling_factor=vae.cfg.scaling_factor, shift_factor=vae.cfg.shift_factor)

    # --- DiT full forwards in every mask mode ------------------------------------------------------------
    B = 2
    latents = rnd(B, layout.n_frames, c.latent_channels, c.latent_h, c.latent_w)
    text = torch.zeros(B, layout.n_text_segments, c.l_txt, c.text_dim)
    for i, n in enumerate(N_REAL_TOKENS):
        text[:, i, :n] = rnd(B, n, c.text_dim)
    t = torch.tensor(T_FULL)
    full_v = {}
    for mode in MASK_MODES:
        full_v[mode] = model(latents, text, t, layout, mode)
        w.add(f"dit_full_{mode}", f"one full-sequence forward under {mode}; caption = the pooled caption per "
                                  "segment (MiniLM sentence embedding of its shot's text rows) the model derived",
              {"latents": latents, "text": text, "t": t, "v": full_v[mode], "caption": segment_captions(layout, text)},
              layout=layout_json(layout), mask_mode=mode, timesteps=T_FULL)

    # --- KV cache: [global, shot 0] cached, shot 1 alone ----------------------------------------------------
    ctx, new = layout.with_segments(layout.segments[:2]), layout.with_segments(layout.segments[2:])
    n_ctx_frames = ctx.n_frames
    for mode in ("context_causal", "chunk_causal"):
        _, cache = model(latents[:, :n_ctx_frames], text[:, :2], t[:, :2], ctx, mode, return_kv=True)
        v_new = model(latents[:, n_ctx_frames:], text[:, 2:], t[:, 2:], new, mode, kv_cache=cache)
        w.add(f"dit_kv_{mode}", f"{mode}: forward [global, shot 0] with return_kv -> cache (post-RoPE K, V per layer); "
              "then shot 1 alone with the cache. v_new equals dit_full_" + mode + ".v[:, 4:]",
              {"latents_ctx": latents[:, :n_ctx_frames], "text_ctx": text[:, :2], "t_ctx": t[:, :2],
               "latents_new": latents[:, n_ctx_frames:], "text_new": text[:, 2:], "t_new": t[:, 2:],
               "v_new": v_new, **cache_tensors(cache), **table_tensors(new.token_table(), "new_")},
              layout_ctx=layout_json(ctx), layout_new=layout_json(new), mask_mode=mode)

    # --- chunk extension: shot 1 frames 2-3 with everything before cached ----------------------------------
    ext = layout.split_last_shot(2)
    t_ext = torch.tensor(T_EXT)
    v_ext_full = model(latents, text, t_ext, ext, "chunk_causal")
    ext_ctx, ext_new = ext.with_segments(ext.segments[:3]), ext.with_segments(ext.segments[3:])
    _, cache = model(latents[:, :6], text, t_ext[:, :3], ext_ctx, "chunk_causal", return_kv=True)
    caption_new = segment_captions(ext, text)[:, 3:]                       # shot 1's caption is only in the cache
    v_new = model(latents[:, 6:], text[:, :0], t_ext[:, 3:], ext_new, "chunk_causal", kv_cache=cache,
                  caption=caption_new)
    w.add("dit_chunk_extension", "chunk_causal extension: cache = [global, shot 0, shot 1 text + frames 0-1]; new = shot 1 "
                                 "frames 2-3 (no text segment, its pooled caption given as caption_new). "
                                 "v_new equals v_full[:, 6:]",
          {"latents": latents, "text": text, "t": t_ext, "v_full": v_ext_full, "v_new": v_new, "caption_new": caption_new,
           **cache_tensors(cache), **table_tensors(ext_new.token_table(), "new_")},
          layout_full=layout_json(ext), layout_ctx=layout_json(ext_ctx), layout_new=layout_json(ext_new),
          mask_mode="chunk_causal", timesteps=T_EXT)

    # --- one sampler step with CFG, next-shot flow ----------------------------------------------------------
    ctx_noise = rnd(1, n_ctx_frames, c.latent_channels, c.latent_h, c.latent_w)
    ctx_lat = latents[:1, :n_ctx_frames]
    t_ctx = torch.tensor([[0.0, SAMPLER.t_context]])                       # global is cached at t = 0
    _, cache = model(flow.add_noise(ctx_lat, ctx_noise, flow.frames_t(t_ctx, ctx.frame_slices(), n_ctx_frames)),
                     text[:1, :2], t_ctx, ctx, "context_causal", return_kv=True)
    x = rnd(1, new.n_frames, c.latent_channels, c.latent_h, c.latent_w)   # pure noise at t = 1
    ts = flow.flow_timesteps(SAMPLER.steps, SAMPLER.shift)
    text2 = cfg_text(text[:1, 2:], new, [0])                               # (2, 1, L, D): [cond, zeros]
    den = SegmentDenoiser(model, new, "context_causal", x.new_zeros(2, new.n_frames, c.latent_channels, c.latent_h, c.latent_w),
                          text2, torch.zeros(2, 1), [0], cache)
    v_both = den(torch.cat([x, x]), ts[0])
    for name, stepper in flow.SAMPLERS.items():
        x_next = stepper().step(flow.guided(den, SAMPLER.guidance), x, ts[0], ts[1])
        w.add(f"sampler_{name}_cfg", f"{name} step t={ts[0]} -> {ts[1]} (steps={SAMPLER.steps}, shift={SAMPLER.shift}) with "
                                     f"CFG g={SAMPLER.guidance}; context [global, shot 0] cached at t_c={SAMPLER.t_context} "
                                     "(B=1 cache shared by the cond/uncond rows); uncond = shot 1 caption zeroed",
              {"ctx_latents": ctx_lat, "ctx_noise": ctx_noise, "ctx_text": text[:1, :2], "ctx_t": t_ctx,
               "x": x, "text_cond": text2[:1], "v_cond": v_both[:1], "v_uncond": v_both[1:], "x_next": x_next},
              layout_ctx=layout_json(ctx), layout_new=layout_json(new), mask_mode="context_causal",
              t=ts[0], t_next=ts[1], timesteps=ts, guidance=SAMPLER.guidance, t_context=SAMPLER.t_context)

    index = {"format": "storydit-fixtures/1", "model_dir": "model", "seed": FIXTURE_SEED, "tolerance": TOLERANCE,
             "regenerate": "cd training && python3 -m storydit.fixtures --out fixtures/tiny", "cases": w.cases}
    with open(os.path.join(out, "fixtures.json"), "w") as f:
        json.dump(index, f, indent=2)
    return index


PIXEL_SIZE, PIXEL_PATCH = 32, 8
UNET_WIDTH = 4                                          # conv_decoder_width of the pixel-unet variant
CAMERA_PAN, CAMERA_LOG_ZOOM = 0.3, math.log(0.6) / 3    # the pixel-camera variant's view travel per latent frame
T_FULL_PIXEL = ((0.0, 0.3, 0.8), (0.0, 0.03, 0.15))     # 0.03 < x_pred_t_min: exercises the clamp
SHOT_LABELS = (((0, 0), (2, 3), (5, 1)), ((0, 0), (1, 2), (0, 0)))   # per row: global, shot 0, shot 1 (0 = null)


def tiny_pixel_model(seed: int = FIXTURE_SEED + 1, **parts) -> Tuple[StoryDiT, torch.Generator]:
    """The tiny pixel / x-prediction / shot-label model, every parameter perturbed; `parts` adds config keys (the
    U-Net variant's conv_decoder_width and conv_encoder: their zero-initialised output layers become non-zero)."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    cfg = dit_config("tiny", image_size=PIXEL_SIZE, latent_channels=3, latent_h=PIXEL_SIZE, latent_w=PIXEL_SIZE,
                     patch_h=PIXEL_PATCH, patch_w=PIXEL_PATCH, prediction="x", shot_cond=True, **parts)
    model = StoryDiT(cfg, attn_impl="manual").eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=g) * PARAM_NOISE_STD)
    return model, g


def write_index(out: str, w: FixtureWriter, seed: int, variant: str, folder: Tuple[str, str] = ("model_dir", "model")
                ) -> dict:
    """fixtures.json: the cases `w` wrote and how to regenerate them; `folder` names what the set holds besides its
    cases (a model folder, or a planner's)."""
    index = {"format": "storydit-fixtures/1", folder[0]: folder[1], "seed": seed, "tolerance": TOLERANCE,
             "regenerate": f"cd training && python3 -m storydit.fixtures --variant {variant} "
                           f"--out fixtures/{VARIANT_DIRS[variant]}",
             "cases": w.cases}
    with open(os.path.join(out, "fixtures.json"), "w") as f:
        json.dump(index, f, indent=2)
    return index


@torch.no_grad()
def write_pixel_fixtures(out: str) -> dict:
    if os.path.exists(out):
        shutil.rmtree(out)
    model, g = tiny_pixel_model()
    codec = PixelCodec(PIXEL_SIZE)
    export_model(os.path.join(out, "model"), "storydit-tiny-pixel-fixture", model.cfg, model.state_dict(), codec,
                 SAMPLER, "f32")
    w = FixtureWriter(out)
    rnd = lambda *shape: torch.randn(*shape, generator=g)

    # --- codec: pixels <-> [-1, 1] ------------------------------------------------------------------------
    z = rnd(2, 3, PIXEL_SIZE, PIXEL_SIZE)
    images_in = torch.rand(2, 3, PIXEL_SIZE, PIXEL_SIZE, generator=g)
    w.add("codec", "pixel codec: image = clamp((z + 1) / 2, 0, 1); z_enc = 2 * image_in - 1",
          {"z": z, "image": codec.decode(z), "image_in": images_in, "z_enc": codec.encode(images_in)})
    write_pixel_dit_cases(w, model, rnd)
    return write_index(out, w, FIXTURE_SEED + 1, "pixel")


@torch.no_grad()
def write_unet_fixtures(out: str) -> dict:
    """The tiny pixel model with the U-Net around the DiT: ConvEncoder + ConvDecoder (3 levels at patch 8)."""
    if os.path.exists(out):
        shutil.rmtree(out)
    model, g = tiny_pixel_model(FIXTURE_SEED + 2, conv_decoder_width=UNET_WIDTH, conv_encoder=True)
    export_model(os.path.join(out, "model"), "storydit-tiny-unet-fixture", model.cfg, model.state_dict(),
                 PixelCodec(PIXEL_SIZE), SAMPLER, "f32")
    w = FixtureWriter(out)
    write_pixel_dit_cases(w, model, lambda *shape: torch.randn(*shape, generator=g))
    return write_index(out, w, FIXTURE_SEED + 2, "pixel-unet")


@torch.no_grad()
def write_camera_fixtures(out: str) -> dict:
    """The U-Net model with camera RoPE, at rates large enough that every moved position shows in the output."""
    if os.path.exists(out):
        shutil.rmtree(out)
    model, g = tiny_pixel_model(FIXTURE_SEED + 3, conv_decoder_width=UNET_WIDTH, conv_encoder=True, camera_rope=True,
                                camera_pan_per_frame=CAMERA_PAN, camera_log_zoom_per_frame=CAMERA_LOG_ZOOM)
    export_model(os.path.join(out, "model"), "storydit-tiny-camera-fixture", model.cfg, model.state_dict(),
                 PixelCodec(PIXEL_SIZE), SAMPLER, "f32")
    w = FixtureWriter(out)
    write_pixel_dit_cases(w, model, lambda *shape: torch.randn(*shape, generator=g))
    return write_index(out, w, FIXTURE_SEED + 3, "pixel-camera")


def write_pixel_dit_cases(w: FixtureWriter, model: StoryDiT, rnd, box_for=None, prev_frames: bool = False,
                          full_modes: Tuple[str, ...] = ("scene_full", "chunk_causal"), layout_guided: bool = False) -> None:
    """The DiT cases of a pixel-space shot-label model: full forwards (one per mask mode of `full_modes`; none when
    empty, the cases after them drawing the same random numbers), a cached chunk extension, one CFG step.
    box_for(latents, text, labels) -> (B, F, 1, H, W), or (B, F, 4, H, W) for a painted layout: an actor_box_cond
    model's box input of the scene's frames (each forward is given those of its own frames, and the cases hold them);
    None: no box tensors (the cases' bytes as before).
    prev_frames: a prev_frame_cond model's cases. Every forward whose frames continue their shot reads, for each of
    those frames, the shot's frame before their chunk (prev_frame (B, F, C, H, W), zeros for the other frames:
    stream_probe.stream_shot's rule); the full forwards (whole shots) and the cache forwards (context) read none; and
    the CFG step samples a continuation chunk (shot 1 frames 2-3 after a cached [global, shot 0, shot 1 frames 0-1],
    chunk_causal) instead of shot 1's first frames. False: no prev tensors (the cases' bytes as before)."""
    c = model.cfg

    # --- full forwards with shot labels and x-prediction --------------------------------------------------
    layout = model.layout_for(SHOT_FRAMES, has_global=True)
    B = 2
    latents = rnd(B, layout.n_frames, c.latent_channels, c.latent_h, c.latent_w)
    text = torch.zeros(B, layout.n_text_segments, c.l_txt, c.text_dim)
    for i, n in enumerate(N_REAL_TOKENS):
        text[:, i, :n] = rnd(B, n, c.text_dim)
    t = torch.tensor(T_FULL_PIXEL)
    labels = torch.tensor(SHOT_LABELS)
    box = None if box_for is None else box_for(latents, text, labels)                # (B, F, 1, H, W) or None
    boxed = lambda part: {} if box is None else {"actor_box": part}                  # noqa: E731
    for mode in full_modes:
        box_note = "" if box is None else ", actor_box the box mask of every frame"
        w.add(f"dit_full_{mode}", f"full forward under {mode}: x-prediction (the head's x_hat turned into "
                                  "v = (x_t - x_hat) / max(t, x_pred_t_min)), shot_labels [camera, size] per segment"
                                  f"{box_note}",
              {"latents": latents, "text": text, "t": t, "shot_labels": labels,
               "v": model(latents, text, t, layout, mode, shot_labels=labels, actor_box=box), **boxed(box)},
              layout=layout_json(layout), mask_mode=mode, timesteps=T_FULL_PIXEL)

    # --- chunk extension: shot 1 frames 2-3, its caption and labels given for the new segment only ---------
    ext = layout.split_last_shot(2)
    t_ext = torch.tensor(T_EXT)
    labels_ext = torch.cat([labels, labels[:, 2:]], dim=1)                     # shot 1's second chunk: same labels
    prev = None                                                                # (B, F, C, H, W) or None
    if prev_frames:                                        # shot 1 frames 2-3 continue the shot: its frame 1, each
        cont = ext.frame_slices()[3]
        prev = torch.zeros_like(latents)
        prev[:, cont] = latents[:, cont.start - 1:cont.start]
    v_full = model(latents, text, t_ext, ext, "chunk_causal", shot_labels=labels_ext, actor_box=box, prev_frame=prev)
    ext_ctx, ext_new = ext.with_segments(ext.segments[:3]), ext.with_segments(ext.segments[3:])
    _, cache = model(latents[:, :6], text, t_ext[:, :3], ext_ctx, "chunk_causal", return_kv=True,
                     shot_labels=labels_ext[:, :3], actor_box=None if box is None else box[:, :6])
    caption_new = segment_captions(ext, text)[:, 3:]
    v_new = model(latents[:, 6:], text[:, :0], t_ext[:, 3:], ext_new, "chunk_causal", kv_cache=cache,
                  caption=caption_new, shot_labels=labels_ext[:, 3:], actor_box=None if box is None else box[:, 6:],
                  prev_frame=None if prev is None else prev[:, 6:])
    box_note = "" if box is None else "; the cache forward reads actor_box[:, :6], the new frames actor_box[:, 6:]"
    prev_note = "" if prev is None else "; prev_frame: frames 6-7 (shot 1 frames 2-3) read frame 5, the shot's frame " \
        "before them, zeros elsewhere; the full forward reads prev_frame, the cache forward none, the new frames " \
        "prev_frame[:, 6:]"
    w.add("dit_chunk_extension", "chunk_causal extension as in fixtures/tiny, with shot labels: cache = [global, "
                                 "shot 0, shot 1 text + frames 0-1]; new = shot 1 frames 2-3 with caption_new and "
                                 f"shot_labels_new. v_new equals v_full[:, 6:]{box_note}{prev_note}",
          {"latents": latents, "text": text, "t": t_ext, "shot_labels": labels_ext, "v_full": v_full, "v_new": v_new,
           "caption_new": caption_new, "shot_labels_new": labels_ext[:, 3:], **cache_tensors(cache),
           **table_tensors(ext_new.token_table(), "new_"), **boxed(box),
           **({} if prev is None else {"prev_frame": prev})},
          layout_full=layout_json(ext), layout_ctx=layout_json(ext_ctx), layout_new=layout_json(ext_new),
          mask_mode="chunk_causal", timesteps=T_EXT)

    # --- one CFG sampler step: shot 1 after a cached [global, shot 0], or (prev_frames) shot 1 frames 2-3 after a
    #     cached [global, shot 0, shot 1 frames 0-1] ---------------------------------------------------------------
    if prev_frames:                                        # a continuation chunk: its caption is only in the cache
        ctx, new, mask = ext_ctx, ext_new, "chunk_causal"
        ctx_text, ctx_labels, target_labels = text[:1], labels_ext[:1, :3], labels_ext[:1, 3:]
        target_text, caption = text[:1, :0], segment_captions(ext, text[:1])[:, 3:]
    else:
        ctx, new = layout.with_segments(layout.segments[:2]), layout.with_segments(layout.segments[2:])
        mask = "context_causal"
        ctx_text, ctx_labels, target_labels = text[:1, :2], labels[:1, :2], labels[:1, 2:]
        target_text = text[:1, 2:]
        caption = segment_captions(new, target_text)
    n_ctx = ctx.n_frames
    ctx_noise = rnd(1, n_ctx, c.latent_channels, c.latent_h, c.latent_w)
    ctx_lat = latents[:1, :n_ctx]
    t_ctx = torch.tensor([[0.0] + [SAMPLER.t_context] * (len(ctx.segments) - 1)])
    ctx_box = None if box is None else box[:1, :n_ctx]
    _, cache = model(flow.add_noise(ctx_lat, ctx_noise, flow.frames_t(t_ctx, ctx.frame_slices(), n_ctx)),
                     ctx_text, t_ctx, ctx, mask, return_kv=True, shot_labels=ctx_labels, actor_box=ctx_box)
    x = rnd(1, new.n_frames, c.latent_channels, c.latent_h, c.latent_w)
    ts = flow.flow_timesteps(SAMPLER.steps, SAMPLER.shift)
    text2 = cfg_text(target_text, new, [0])
    caption2 = cfg_caption(caption, [0])
    labels2 = cfg_shot_labels(target_labels, [0])                              # uncond row: [0, 0]
    prev = ctx_lat[:, -1:].expand(-1, new.n_frames, -1, -1, -1) if prev_frames else None   # the clean frame before
    den = SegmentDenoiser(model, new, mask, x.new_zeros(2, new.n_frames, c.latent_channels, c.latent_h, c.latent_w),
                          text2, torch.zeros(2, 1), [0], cache, caption2, labels2,
                          None if box is None else box[:1, n_ctx:].repeat(2, 1, 1, 1, 1),
                          None if prev is None else prev.repeat(2, 1, 1, 1, 1))
    v_both = den(torch.cat([x, x]), ts[0])
    x_next = flow.EulerSampler().step(flow.guided(den, SAMPLER.guidance), x, ts[0], ts[1])
    box_note = "" if box is None else "; the context reads ctx_actor_box, both CFG rows of the target actor_box " \
        "(the layout is given, guidance acts on the words)"
    guided_layout = {}
    if layout_guided:
        box_note += "; with layout guidance (session 35) the uncond row reads none (v_uncond_without_layout, " \
            "x_next_layout_guided)"
        den.actor_box = cfg_actor_box(box[:1, n_ctx:], new, [0], True)
        guided_layout = {"v_uncond_without_layout": den(torch.cat([x, x]), ts[0])[1:],
                         "x_next_layout_guided": flow.EulerSampler().step(flow.guided(den, SAMPLER.guidance), x,
                                                                          ts[0], ts[1])}
    if prev_frames:
        what = f"context [global, shot 0, shot 1 frames 0-1] cached under chunk_causal at t_c={SAMPLER.t_context} " \
            "with its labels; target shot 1 frames 2-3 (no text segment: caption_cond is its pooled caption); the " \
            "uncond row zeroes its pooled caption and shot labels; both rows read prev_frame, the shot's clean frame " \
            "before the chunk (ctx_latents[:, -1]) for each target frame"
    else:
        what = f"context [global, shot 0] cached at t_c={SAMPLER.t_context} with its labels; the uncond row zeroes " \
            "shot 1's caption tokens, pooled caption and shot labels"
    w.add("sampler_euler_cfg", f"euler step t={ts[0]} -> {ts[1]} with CFG g={SAMPLER.guidance}; {what}{box_note}",
          {"ctx_latents": ctx_lat, "ctx_noise": ctx_noise, "ctx_text": ctx_text, "ctx_t": t_ctx,
           "ctx_shot_labels": ctx_labels, "x": x, "shot_labels_cond": labels2[:1],
           "v_cond": v_both[:1], "v_uncond": v_both[1:], "x_next": x_next,
           **({"caption_cond": caption2[:1], "prev_frame": prev} if prev_frames else {"text_cond": text2[:1]}),
           **({} if box is None else {"ctx_actor_box": ctx_box, "actor_box": box[:1, n_ctx:], **guided_layout})},
          layout_ctx=layout_json(ctx), layout_new=layout_json(new), mask_mode=mask,
          t=ts[0], t_next=ts[1], timesteps=ts, guidance=SAMPLER.guidance, t_context=SAMPLER.t_context)


BOX_PLANNER_SIZES = dict(label_dim=4, phase_freqs=3, hidden=16)   # small, and not the defaults: the engine reads them
BOX_CONV_STD = 0.5                     # the box conv's weight: large enough that every box shows in the output
PLANNER_NOISE_STD = 0.3                # added to the planner's parameters: boxes that differ by row and reach the edges
KIND_HEAD_GAIN = 8.0                   # the kind head reads unit-norm prompts: scaled, its kind and facing vary by prompt
NEAR_BLACK = 0.05                      # a painting planner's last palette row: a colour near black (its first channel
                                       # alone keeps it apart from no actor)
PLANNER_ROWS = ((0, 0, 0, 4), (1, 2, 1, 4), (3, 3, 3, 4), (5, 1, 0, 1), (2, 0, 5, 12), (4, 3, 11, 12))
#               (camera, shot size, frame k, shot frames F): phase k / F; row 0 has the null caption
RULE_BOXES = ((0.25, 0.5, 0.75, 1.0), (0.1, 0.0, 0.1, 0.3), (float("nan"),) * 4, (0.0, 0.0, 1.0, 1.0),
              (0.33, 0.61, 0.52, 0.97))  # boxes_to_masks on chosen shares: integer edges, zero width, none, all


def tiny_box_planner(g: torch.Generator, **planner_cfg) -> BoxPlanner:
    """A random planner of BOX_PLANNER_SIZES (`planner_cfg` adds config keys), every parameter perturbed; a planner with
    kinds has its kind head's first layer scaled by KIND_HEAD_GAIN and draws its templates uniform in [0, 1] after the
    parameters (so no template is left-right symmetric); one with colours has its colour head's first layer scaled the
    same way and then draws its palette uniform in [0, 1], its last row scaled by NEAR_BLACK (a colour near black)."""
    planner = BoxPlanner(BoxPlannerConfig(**BOX_PLANNER_SIZES, **planner_cfg)).eval()
    with torch.no_grad():
        for p in planner.parameters():
            p.add_(torch.randn(p.shape, generator=g) * PLANNER_NOISE_STD)
        if planner.cfg.plans_silhouette:
            planner.kind[0].weight.mul_(KIND_HEAD_GAIN)
            planner.templates.copy_(torch.rand(planner.templates.shape, generator=g))
        if planner.cfg.plans_colour:
            planner.colour[0].weight.mul_(KIND_HEAD_GAIN)
            planner.palette.copy_(torch.rand(planner.palette.shape, generator=g))
            planner.palette[-1].mul_(NEAR_BLACK)
    return planner


def tiny_box_model(seed: int, planner_cfg: dict = None, **parts) -> Tuple[StoryDiT, BoxPlanner, torch.Generator]:
    """The U-Net pixel model with the actor's box (a non-zero box conv; `parts` adds config keys) and a random layout
    planner (`planner_cfg` adds its config keys)."""
    model, g = tiny_pixel_model(seed, conv_decoder_width=UNET_WIDTH, conv_encoder=True, actor_box_cond=True, **parts)
    box_conv = model.conv_encoder.actor_box.weight
    box_conv.copy_(torch.randn(box_conv.shape, generator=g) * BOX_CONV_STD)
    return model, tiny_box_planner(g, **(planner_cfg or {})), g


def export_box_model(out: str, name: str, model: StoryDiT, planner: BoxPlanner) -> None:
    """Exports an actor-box model with its layout planner to out/model."""
    planner_dir = os.path.join(out, "planner")
    save_planner(planner, planner_dir)
    export_model(os.path.join(out, "model"), name, model.cfg, model.state_dict(), PixelCodec(PIXEL_SIZE), SAMPLER,
                 "f32", planner=planner_dir)
    shutil.rmtree(planner_dir)


def planned_boxes(planner: BoxPlanner, c):
    """write_pixel_dit_cases' box_for: every frame with the planner's layout of its shot (frame k of F at phase k / F;
    planned_masks: the box, the silhouette or the painted silhouette)."""
    def box_for(latents, scene_text, labels):
        B = latents.shape[0]
        masks = []
        for i, frames_i in enumerate(SHOT_FRAMES):                                  # text segment 0 is global
            shot_pooled = pool_caption(scene_text[:, 1 + i])                        # (B, 384)
            masks.append(planned_masks(planner, shot_pooled, labels[:, 1 + i], frames_i, c.latent_h, c.latent_w))
        box = torch.cat(masks, 1)                                                   # (B, F, 1 or 4, H, W)
        assert box.shape[:2] == (B, sum(SHOT_FRAMES)) and (box.sum(dim=(2, 3, 4)) > 0).all()
        return box
    return box_for


def planner_case_rows(planner: BoxPlanner, rows, c, rnd):
    """The planner case's inputs and boxes: row i > 0 gets 2 + i % (l_txt - 1) random caption rows (row 0 the null
    caption), pooled; (camera, shot size, frame k, shot frames F) per row, phase k / F -> (text, pooled, camera,
    shot_size, frame, frames, phase, boxes)."""
    n = len(rows)
    text = torch.zeros(n, c.l_txt, c.text_dim)
    for i in range(1, n):
        text[i, :2 + i % (c.l_txt - 1)] = rnd(2 + i % (c.l_txt - 1), c.text_dim)
    pooled = pool_caption(text)
    camera, shot_size, frame, frames = (torch.tensor(col) for col in zip(*rows))
    phase = frame.float() / frames.float()
    return text, pooled, camera, shot_size, frame, frames, phase, planner(pooled, camera, shot_size, phase)


@torch.no_grad()
def write_box_fixtures(out: str) -> dict:
    """The U-Net model with the actor's box (actor_box_cond) and its layout planner, exported together."""
    if os.path.exists(out):
        shutil.rmtree(out)
    model, planner, g = tiny_box_model(FIXTURE_SEED + 4)
    export_box_model(out, "storydit-tiny-box-fixture", model, planner)
    w = FixtureWriter(out)
    rnd = lambda *shape: torch.randn(*shape, generator=g)
    c = model.cfg

    # --- the planner: pooled prompt, labels, phase -> box -> mask; the boxes-to-masks rule ---------------------
    text, pooled, camera, shot_size, frame, frames, phase, boxes = planner_case_rows(planner, PLANNER_ROWS, c, rnd)
    grid = torch.tensor([c.latent_w, c.latent_h, c.latent_w, c.latent_h], dtype=boxes.dtype)
    rule_boxes = torch.tensor(RULE_BOXES)
    w.add("planner", "the layout planner: text rows -> pooled (pool_caption) -> boxes = planner(pooled, camera, "
                     "shot_size, phase = frame / frames) as shares x0 y0 x1 y1 -> masks = boxes_to_masks(boxes * "
                     "(W, H, W, H), H, W) on the latent grid; rule_masks: the same rule on rule_boxes (NaN = no box)",
          {"text": text, "pooled": pooled, "camera": camera, "shot_size": shot_size, "frame": frame, "frames": frames,
           "phase": phase, "boxes": boxes, "masks": boxes_to_masks(boxes * grid, c.latent_h, c.latent_w),
           "rule_boxes": rule_boxes, "rule_masks": boxes_to_masks(rule_boxes * grid, c.latent_h, c.latent_w)},
          planner=BOX_PLANNER_SIZES)

    # --- the DiT cases, every frame with the planner's box of its shot -----------------------------------------
    assert torch.equal(shot_phases(4), torch.tensor([0.0, 0.25, 0.5, 0.75]))
    write_pixel_dit_cases(w, model, rnd, planned_boxes(planner, c))
    return write_index(out, w, FIXTURE_SEED + 4, "pixel-box")


@torch.no_grad()
def write_prev_fixtures(out: str) -> dict:
    """The box model with the previous frame as an input (prev_frame_cond; its conv perturbed like every other
    parameter, so it is not zero as at a run's start): the pixel DiT cases with the planner's boxes and, for the
    forwards that continue a shot, the shot's frame before their chunk. The planner's own case is tiny-box's."""
    if os.path.exists(out):
        shutil.rmtree(out)
    model, planner, g = tiny_box_model(FIXTURE_SEED + 5, prev_frame_cond=True)
    assert model.conv_encoder.prev_frame.weight.abs().sum() > 0
    export_box_model(out, "storydit-tiny-prev-fixture", model, planner)
    w = FixtureWriter(out)
    write_pixel_dit_cases(w, model, lambda *shape: torch.randn(*shape, generator=g), planned_boxes(planner, model.cfg),
                          prev_frames=True)
    return write_index(out, w, FIXTURE_SEED + 5, "pixel-prev")


SIL_PLANNER = dict(kinds=["ball", "bird", "fish"], template_size=5)   # 3 kinds, 5 x 5 templates: a box spans many texels
SIL_PLANNER_ROWS = PLANNER_ROWS + ((1, 1, 2, 4), (2, 2, 0, 8), (0, 0, 7, 8))  # more prompts: both facings, several kinds
SIL_RULE_BOXES = (                     # shares of the 32 x 32 grid, with the kind and facing each is drawn with
    ((0.25, 0.5, 0.75, 1.0), 0, 1.0),          # integer edges (8, 16, 24, 32 px)
    ((0.25, 0.5, 0.75, 1.0), 0, -1.0),         # the same, facing left: the template mirrored
    ((0.33, 0.61, 0.52, 0.97), 1, 1.0),        # fractional edges
    ((0.1, 0.0, 0.1, 0.3), 2, 1.0),            # zero width: nothing
    ((float("nan"),) * 4, 1, -1.0),            # no box: nothing
    ((0.0, 0.0, 1.0, 1.0), 2, -1.0),           # the whole frame
    ((0.03, 0.11, 0.91, 0.86), 1, -1.0),       # far larger than the template (28 x 24 px over 5 x 5 texels)
    ((0.25, 0.25, 0.34375, 0.3125), 0, -1.0),  # smaller than the template (3 x 2 px)
    ((0.5, 0.5, 0.52, 0.53), 2, 1.0),          # under a pixel, over one pixel centre (16.5, 16.5): one pixel
    ((0.5, 0.5, 0.51, 0.51), 1, 1.0))          # under a pixel and over no centre: nothing
SIL_SCENES = (                         # rows of the planner case that make one scene each (BoxPlanner.scene_kind)
    (0, 3, 5, 8),                              # the null prompt (left out) and three rows
    (0, 4),                                    # the null prompt and one row
    (2, 4, 6),                                 # three rows
    (4,),                                      # one prompt: its own named kind
    tuple(range(len(SIL_PLANNER_ROWS))))       # every row


def summed_rule(logits: torch.Tensor, scene_rows: torch.Tensor) -> torch.Tensor:
    """(S,) what the rule before session 34 named for each scene: the argmax of the summed log_softmax of `logits`
    (rows, K) over a scene's rows but row 0 (the null prompt). The fixtures hold a scene it names otherwise, so a
    parity test cannot pass on the old rule."""
    own = scene_rows.bool() & (torch.arange(scene_rows.shape[1]) > 0)
    return torch.stack([torch.log_softmax(logits[m], dim=-1).sum(0).argmax() for m in own])


@torch.no_grad()
def write_sil_fixtures(out: str) -> dict:
    """The box model reading the planned silhouette (actor_layout "silhouette") and its silhouette planner (kinds and
    templates), exported together."""
    if os.path.exists(out):
        shutil.rmtree(out)
    model, planner, g = tiny_box_model(FIXTURE_SEED + 6, planner_cfg=SIL_PLANNER, actor_layout="silhouette")
    templates = planner.templates
    assert (templates - templates.flip(-1)).abs().amax(dim=(1, 2)).min() > 0.1, "a mirror must show"
    export_box_model(out, "storydit-tiny-sil-fixture", model, planner)
    w = FixtureWriter(out)
    rnd = lambda *shape: torch.randn(*shape, generator=g)
    c = model.cfg

    # --- the planner: pooled prompt -> kind and facing; labels, phase -> box; -> silhouette mask; the rule --------
    text, pooled, camera, shot_size, frame, frames, phase, boxes = planner_case_rows(planner, SIL_PLANNER_ROWS, c, rnd)
    kind_onehot, facing = planner.named_kind(pooled)
    kind = kind_onehot.argmax(1)
    assert set(facing.tolist()) == {1.0, -1.0} and len(set(kind.tolist())) == len(planner.cfg.kinds), (kind, facing)
    logits = planner.kind(pooled)
    assert logits[:, -1].abs().min() > 1e-2 and (logits[:, :-1].topk(2).values.diff(dim=1).abs() > 1e-2).all(), \
        "the named kind and facing are clear of ties (float32 rounding cannot flip them)"
    grid = torch.tensor([c.latent_w, c.latent_h, c.latent_w, c.latent_h], dtype=boxes.dtype)
    rule_boxes = torch.tensor([b for b, _, _ in SIL_RULE_BOXES])
    rule_kind = torch.tensor([k for _, k, _ in SIL_RULE_BOXES])
    rule_facing = torch.tensor([f for _, _, f in SIL_RULE_BOXES])
    rule_masks = silhouette_masks(rule_boxes * grid, torch.nn.functional.one_hot(rule_kind, len(planner.cfg.kinds)).float(),
                                  templates, c.latent_h, c.latent_w, rule_facing)
    scene_rows = torch.zeros(len(SIL_SCENES), len(SIL_PLANNER_ROWS), dtype=torch.long)
    for i, rows in enumerate(SIL_SCENES):
        scene_rows[i, list(rows)] = 1
    scene_log_probs = torch.stack([planner.scene_log_probs(pooled[member.bool()]) for member in scene_rows])
    scene_kind = torch.tensor([planner.scene_kind(pooled[member.bool()]) for member in scene_rows])
    assert torch.equal(scene_kind, scene_log_probs.argmax(1)) and \
        (scene_log_probs.topk(2).values.diff(dim=1).abs() > 1e-2).all(), "scene kinds clear of ties"
    assert (scene_kind != summed_rule(logits[:, :-1], scene_rows)).any(), "a scene the summed evidence names otherwise"
    w.add("planner", "the silhouette planner: text rows -> pooled (pool_caption) -> boxes = planner(pooled, camera, "
                     "shot_size, phase = frame / frames) as shares x0 y0 x1 y1; kind_logits = planner.kind(pooled) "
                     "(K kinds, then faces right); kind = argmax of the first K, facing = +1 if the last >= 0 else -1 "
                     "(named_kind) -> masks = silhouette_masks(boxes * (W, H, W, H), one_hot(kind), templates, H, W, "
                     "facing) on the latent grid; rule_masks: the same rule on rule_boxes (NaN = no box) with rule_kind "
                     "and rule_facing; scene_rows (S, rows): the rows that make up each of S scenes (row 0 the null "
                     "prompt), scene_log_probs (S, K) = log_softmax(the first K kind logits) of a scene's surest non-null "
                     "prompt (the one whose largest log-probability is the largest, the first on a tie), scene_kind "
                     "(S,) = its argmax (BoxPlanner.scene_kind)",
          {"text": text, "pooled": pooled, "camera": camera, "shot_size": shot_size, "frame": frame, "frames": frames,
           "phase": phase, "boxes": boxes, "kind_logits": logits, "kind": kind, "facing": facing,
           "masks": silhouette_masks(boxes * grid, kind_onehot, templates, c.latent_h, c.latent_w, facing),
           "templates": templates, "rule_boxes": rule_boxes, "rule_kind": rule_kind, "rule_facing": rule_facing,
           "rule_masks": rule_masks, "scene_rows": scene_rows, "scene_log_probs": scene_log_probs,
           "scene_kind": scene_kind},
          planner={**BOX_PLANNER_SIZES, **SIL_PLANNER})

    # --- the DiT cases, every frame with the planner's silhouette of its shot --------------------------------------
    write_pixel_dit_cases(w, model, rnd, planned_boxes(planner, c))
    return write_index(out, w, FIXTURE_SEED + 6, "pixel-sil")


PAINT_PLANNER = dict(SIL_PLANNER, colours=["red", "green", "blue", "black"])  # pixel-sil's kinds, 4 colours
PAINT_RULE = (                         # the painting rule's chosen colours, each on a random silhouette: (r, g, b)
    (0.0, 0.0, 0.0),                           # black: only the first channel shows the actor
    (1.0, 1.0, 1.0),                           # white: every channel the silhouette
    (1.0, 0.0, 0.0),                           # one channel each, in order
    (0.0, 1.0, 0.0),
    (0.0, 0.0, 1.0),
    (0.2, 0.55, 0.9))                          # a blend
PAINT_RULE_GRID = (5, 7)               # the rule's silhouettes (H, W): not square, so a transposed plane shows
PAINT_SEED = FIXTURE_SEED + 8          # (+ 7 names two kinds, all facing right)
PAINT_SCENES = (                       # rows of the planner case that make one scene each (scene_kind, scene_colour)
    (0, 6, 8),                                 # the null prompt (left out) and two rows
    (0, 3, 8),                                 # the null prompt and two rows
    (1, 4, 5),                                 # three rows
    (3,),                                      # one prompt: its own named colour, the one near black
    (2, 4, 6, 7),                              # four rows
    tuple(range(len(SIL_PLANNER_ROWS))))       # every row


def scene_evidence(planner: BoxPlanner, pooled: torch.Tensor, scene_rows: torch.Tensor):
    """The kind and colour of each scene (scene_rows (S, rows) 0/1 over the pooled rows): (scene_log_probs (S, K),
    scene_kind (S,), scene_colour_log_probs (S, C), scene_colour (S,)), asserted clear of ties."""
    scenes = [pooled[member.bool()] for member in scene_rows]
    kind_lp = torch.stack([planner.scene_log_probs(p) for p in scenes])
    colour_lp = torch.stack([planner.scene_colour_log_probs(p) for p in scenes])
    kind = torch.tensor([planner.scene_kind(p) for p in scenes])
    colour = torch.tensor([planner.scene_colour(p) for p in scenes])
    for lp, named in ((kind_lp, kind), (colour_lp, colour)):
        assert torch.equal(named, lp.argmax(1)) and (lp.topk(2).values.diff(dim=1).abs() > 1e-2).all(), \
            "scene kinds and colours clear of ties"
    return kind_lp, kind, colour_lp, colour


@torch.no_grad()
def write_paint_fixtures(out: str) -> dict:
    """The box model reading the painted silhouette (actor_layout "painted": 4 channels into its box conv) and its
    painting planner (kinds, templates, colours and palette), exported together. Its DiT cases are the chunk extension
    (whose v_full is a full forward) and the CFG step: the full-forward cases would add another 1.4 MB of 4-channel
    masks and nothing the painted layout changes."""
    if os.path.exists(out):
        shutil.rmtree(out)
    model, planner, g = tiny_box_model(PAINT_SEED, planner_cfg=PAINT_PLANNER, actor_layout="painted")
    assert model.conv_encoder.actor_box.weight.shape[1] == 4
    templates, palette = planner.templates, planner.palette
    assert (templates - templates.flip(-1)).abs().amax(dim=(1, 2)).min() > 0.1, "a mirror must show"
    assert palette[-1].max() < 0.05 and palette[:-1].amax(1).min() > 0.3, "one colour near black, the others not"
    export_box_model(out, "storydit-tiny-paint-fixture", model, planner)
    w = FixtureWriter(out)
    rnd = lambda *shape: torch.randn(*shape, generator=g)
    c = model.cfg

    # --- the planner: pooled prompt -> kind, facing, colour; labels, phase -> box; -> painted mask; the rule -------
    _, pooled, camera, shot_size, frame, frames, phase, boxes = planner_case_rows(planner, SIL_PLANNER_ROWS, c, rnd)
    kind_onehot, facing = planner.named_kind(pooled)
    kind = kind_onehot.argmax(1)
    logits, colour_logits = planner.kind(pooled), planner.colour(pooled)
    colour, rgb = colour_logits.argmax(1), planner.named_colour(pooled)
    assert torch.equal(rgb, palette[colour])
    assert set(facing.tolist()) == {1.0, -1.0} and len(set(kind.tolist())) == len(planner.cfg.kinds), (kind, facing)
    assert len(set(colour.tolist())) == len(planner.cfg.colours), colour
    assert logits[:, -1].abs().min() > 1e-2 and (logits[:, :-1].topk(2).values.diff(dim=1).abs() > 1e-2).all() and \
        (colour_logits.topk(2).values.diff(dim=1).abs() > 1e-2).all(), \
        "the named kind, facing and colour are clear of ties (float32 rounding cannot flip them)"
    grid = torch.tensor([c.latent_w, c.latent_h, c.latent_w, c.latent_h], dtype=boxes.dtype)
    masks = painted_masks(silhouette_masks(boxes * grid, kind_onehot, templates, c.latent_h, c.latent_w, facing), rgb)
    for i in range(len(SIL_PLANNER_ROWS)):                # each row is frame k of planned_masks' frames of its shot
        labels = torch.stack([camera[i:i + 1], shot_size[i:i + 1]], 1)
        planned = planned_masks(planner, pooled[i:i + 1], labels, int(frames[i]), c.latent_h, c.latent_w)
        assert torch.allclose(planned[0, int(frame[i])], masks[i], atol=1e-6), i
    rule_silhouettes = torch.rand(len(PAINT_RULE), *PAINT_RULE_GRID, generator=g)
    rule_rgb = torch.tensor(PAINT_RULE)
    scene_rows = torch.zeros(len(PAINT_SCENES), len(SIL_PLANNER_ROWS), dtype=torch.long)
    for i, rows in enumerate(PAINT_SCENES):
        scene_rows[i, list(rows)] = 1
    scene_log_probs, scene_kind, scene_colour_log_probs, scene_colour = scene_evidence(planner, pooled, scene_rows)
    assert (scene_colour != summed_rule(colour_logits, scene_rows)).any(), "a scene the summed evidence names otherwise"
    assert len(set(scene_kind.tolist())) > 1 and len(set(scene_colour.tolist())) > 2
    w.add("planner", "the painting planner: pooled prompts (pool_caption of random text rows; row 0 the null prompt) "
                     "-> boxes = planner(pooled, camera, shot_size, phase = frame / frames) as shares x0 y0 x1 y1; "
                     "kind_logits = planner.kind(pooled) (K kinds, then faces right), kind and facing as named_kind; "
                     "colour_logits = planner.colour(pooled) (C colours), colour = their argmax, rgb = palette[colour] "
                     "(named_colour) -> masks = painted_masks(silhouette_masks(boxes * (W, H, W, H), one_hot(kind), "
                     "templates, H, W, facing), rgb) (N, 4, H, W) on the latent grid: row i is frame frame[i] of "
                     "planned_masks of its shot; rule_masks = painted_masks(rule_silhouettes, rule_rgb); scene_rows "
                     "(S, rows): the rows that make up each of S scenes (row 0 the null prompt), scene_log_probs (S, K) "
                     "and scene_colour_log_probs (S, C) = log_softmax(the first K kind logits, the C colour logits) of "
                     "a scene's surest non-null prompt for each (the one whose largest log-probability is the largest, "
                     "the first on a tie), scene_kind and scene_colour (S,) = their argmax (BoxPlanner.scene_kind, "
                     "scene_colour)",
          {"pooled": pooled, "camera": camera, "shot_size": shot_size, "frame": frame, "frames": frames,
           "phase": phase, "boxes": boxes, "kind_logits": logits, "kind": kind, "facing": facing,
           "colour_logits": colour_logits, "colour": colour, "rgb": rgb, "masks": masks, "templates": templates,
           "palette": palette, "rule_silhouettes": rule_silhouettes, "rule_rgb": rule_rgb,
           "rule_masks": painted_masks(rule_silhouettes, rule_rgb), "scene_rows": scene_rows,
           "scene_log_probs": scene_log_probs, "scene_kind": scene_kind,
           "scene_colour_log_probs": scene_colour_log_probs, "scene_colour": scene_colour},
          planner={**BOX_PLANNER_SIZES, **PAINT_PLANNER})

    # --- the DiT cases, every frame with the planner's painted silhouette of its shot -----------------------------
    write_pixel_dit_cases(w, model, rnd, planned_boxes(planner, c), full_modes=(), layout_guided=True)
    return write_index(out, w, PAINT_SEED, "pixel-paint")


CAMERA_NOISE_CASES = (("pan_right", 1.3, 0.0, 0, 5), ("pan_left", -1.3, 0.0, 3, 4),      # (name, pan px, log zoom,
                      ("zoom_in", 0.0, math.log(0.6) / 4, 0, 7),                       # first frame, frames;
                      ("zoom_out", 0.0, -math.log(0.6) / 4, 2, 3), ("static", 0.0, 0.0, 0, 2),   # zooms hold
                      ("long_pan_right", 2.7, 0.0, 9, 3))                              # past frame 4; wraps)
CAMERA_NOISE_ZOOM_FRAMES = 4
CAMERA_CARRY_CASES = (("pan_right", 1.3, 0.0, 3, 4, 4), ("pan_left", -1.3, 0.0, 0, 1, 5),  # (name, pan px, log zoom,
                      ("zoom_in", 0.0, math.log(0.6) / 4, 1, 2, 5),                      # from frame, first frame,
                      ("zoom_out", 0.0, -math.log(0.6) / 4, 0, 1, 3),                    # frames; zooms hold past
                      ("zoom_out_held", 0.0, -math.log(0.6) / 4, 3, 4, 3),               # frame 4)
                      ("static", 0.0, 0.0, 2, 3, 2))


ACTION_PLANNER = dict(PAINT_PLANNER, actions=["moves_left", "spins", "falls", "grows"])   # pixel-paint's, 4 actions
ACTION_SEED = FIXTURE_SEED + 12      # (+ 9 to + 11 name fewer than 4 actions, or near a tie)
ACTION_TEXT = (8, 384)                 # (l_txt, text_dim) of the planner case's random caption rows


@torch.no_grad()
def write_action_fixtures(out: str) -> dict:
    """A painting planner that also names the action (its box MLP reads the named action's label embedding), saved
    alone (planner/box_planner.safetensors; no model: the action changes the boxes, not how a model reads them)."""
    if os.path.exists(out):
        shutil.rmtree(out)
    torch.manual_seed(ACTION_SEED)                          # the planner's initial weights
    g = torch.Generator().manual_seed(ACTION_SEED)
    planner = tiny_box_planner(g, **ACTION_PLANNER)
    planner.action[0].weight.mul_(KIND_HEAD_GAIN)
    save_planner(planner, os.path.join(out, "planner"))
    w = FixtureWriter(out)
    rnd = lambda *shape: torch.randn(*shape, generator=g)
    c = argparse.Namespace(l_txt=ACTION_TEXT[0], text_dim=ACTION_TEXT[1])
    _, pooled, camera, shot_size, frame, frames, phase, boxes = planner_case_rows(planner, SIL_PLANNER_ROWS, c, rnd)
    action_logits = planner.action(pooled)
    action = planner.named_action(pooled)
    assert len(set(action.tolist())) == len(planner.cfg.actions), action
    assert (action_logits.topk(2).values.diff(dim=1).abs() > 1e-2).all(), "named actions clear of ties"
    assert torch.equal(boxes, planner(pooled, camera, shot_size, phase, action)), "None plans the named action"
    told_action = (action + 1) % len(planner.cfg.actions)
    told_boxes = planner(pooled, camera, shot_size, phase, told_action)
    assert (told_boxes - boxes).abs().amax(dim=1).min() > 1e-3, "the action moves every row's box"
    w.add("planner", "the action-naming planner: pooled prompts (pool_caption of random text rows; row 0 the null "
                     "prompt) -> action_logits = planner.action(pooled) (A actions), action = their argmax "
                     "(named_action) -> boxes = planner(pooled, camera, shot_size, phase = frame / frames), which "
                     "reads the named action; told_boxes = the same rows told told_action = (action + 1) % A",
          {"pooled": pooled, "camera": camera, "shot_size": shot_size, "frame": frame, "frames": frames,
           "phase": phase, "action_logits": action_logits, "action": action, "boxes": boxes,
           "told_action": told_action, "told_boxes": told_boxes},
          planner_file="planner/box_planner.safetensors", planner_config=asdict(planner.cfg))
    return write_index(out, w, ACTION_SEED, "planner-action", folder=("planner_dir", "planner"))


def write_camera_noise_fixtures(out: str) -> dict:
    """flow.camera_warped_noise on a canvas whose values are their own flat indices: which canvas element every
    output element reads, per camera (the engine's SharedNoise.Moving must read the same ones); and likewise
    flow.camera_carried_frames on a frame (the engine's AnchorFrames.Camera)."""
    os.makedirs(out, exist_ok=True)
    C, H, W = 2, 6, 8
    canvas = torch.arange(C * 2 * H * 2 * W, dtype=torch.float64).reshape(1, 1, C, 2 * H, 2 * W)
    cases = []
    for name, pan, log_zoom, first, frames in CAMERA_NOISE_CASES:
        reads = flow.camera_warped_noise(canvas, (H, W), torch.arange(first, first + frames),
                                         torch.tensor([pan], dtype=torch.float64),
                                         torch.tensor([log_zoom], dtype=torch.float64),
                                         CAMERA_NOISE_ZOOM_FRAMES)                     # (1, F, C, H, W)
        cases.append({"name": name, "pan_per_frame": pan, "log_zoom_per_frame": log_zoom, "first_frame": first,
                      "frames": frames, "reads": [int(v) for v in reads.flatten().tolist()]})
    frame = torch.arange(C * H * W, dtype=torch.float64).reshape(1, C, H, W)
    carry_cases = []
    for name, pan, log_zoom, source, first, frames in CAMERA_CARRY_CASES:
        reads = flow.camera_carried_frames(frame, source, torch.arange(first, first + frames),
                                           torch.tensor([pan], dtype=torch.float64),
                                           torch.tensor([log_zoom], dtype=torch.float64),
                                           CAMERA_NOISE_ZOOM_FRAMES)                   # (1, F, C, H, W)
        carry_cases.append({"name": name, "pan_per_frame": pan, "log_zoom_per_frame": log_zoom, "from_frame": source,
                            "first_frame": first, "frames": frames,
                            "reads": [int(v) for v in reads.flatten().tolist()]})
    index = {"format": "storydit-camera-noise/1", "channels": C, "height": H, "width": W,
             "zoom_frames": CAMERA_NOISE_ZOOM_FRAMES,
             "canvas": "channels x 2H x 2W, each value its own flat index", "cases": cases,
             "carry": "flow.camera_carried_frames of a channels x H x W frame whose values are their own flat indices "
                      "(the engine's AnchorFrames.Camera)", "carry_cases": carry_cases,
             "regenerate": "cd training && python3 -m storydit.fixtures --variant camera-noise"}
    with open(os.path.join(out, "fixtures.json"), "w") as f:
        json.dump(index, f)
    return index


VARIANTS = {"tiny": write_fixtures, "pixel": write_pixel_fixtures, "pixel-unet": write_unet_fixtures,
            "pixel-camera": write_camera_fixtures, "pixel-box": write_box_fixtures, "pixel-prev": write_prev_fixtures,
            "pixel-sil": write_sil_fixtures, "pixel-paint": write_paint_fixtures,
            "camera-noise": write_camera_noise_fixtures, "planner-action": write_action_fixtures}
VARIANT_DIRS = {"tiny": "tiny", "pixel": "tiny-pixel", "pixel-unet": "tiny-unet",     # under training/fixtures/
                "pixel-camera": "tiny-camera", "pixel-box": "tiny-box", "pixel-prev": "tiny-prev",
                "pixel-sil": "tiny-sil", "pixel-paint": "tiny-paint", "camera-noise": "camera-noise",
                "planner-action": "tiny-action"}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description="Write the Java parity fixtures (tiny random StoryDiT + VAE).")
    p.add_argument("--variant", default="tiny", choices=list(VARIANTS))
    p.add_argument("--out", default=None, help="default fixtures/<VARIANT_DIRS[variant]>")
    a = p.parse_args(argv)
    a.out = a.out or os.path.join(os.path.dirname(__file__), "..", "fixtures", VARIANT_DIRS[a.variant])
    VARIANTS[a.variant](a.out)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(a.out) for f in fs)
    print(f"wrote fixtures to {a.out} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
