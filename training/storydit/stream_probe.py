"""Stream one shot chunk by chunk as the editor does (full forwards under the chunk_causal mask instead of a KV cache:
the same numbers), continuing either from the model's own chunks ("own") or from the ground truth's ("forced"):

    own      chunk j sees chunks < j as the model drew them (the product)
    forced   chunk j sees the ground truth's chunks < j: if these break too, the fault is not the model's own errors

Printed per mode: the mean frame change inside chunks and across chunk seams (grey levels), their ratio, and the error
against the ground truth per chunk. A sheet shows, per scene, the ground truth, own and forced rows.

    python3 -m storydit.stream_probe --run RUN_OR_EXPORT --sheet OUT.png [--noise-correlation 0.7]
        [--continuation-start 0.9] TRAINING_FLAGS

The first chunk is guided (g 3), later ones not (the engine's ChunkGuidance.FIRST_CHUNK). Deterministic from --seed.
"""
from __future__ import annotations

import argparse
from typing import Dict, Optional

import torch

from . import flow, pipeline
from .context_probe import grey, probe_trainer
from .train_dit import chunk_step_layout


@torch.no_grad()
def stream_shot(model, x0: torch.Tensor, text: torch.Tensor, layout_full, labels_for, shared: torch.Tensor,
                defaults: pipeline.SamplerDefaults, forced: bool, seed: int,
                boxes: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Latent frames (B, F, C, H, W) of a one-shot layout, chunk by chunk, unclamped as the engine keeps them.
    x0: the ground truth (B, F, ...), read only when `forced` (earlier chunks) and for shapes;
    labels_for(layout) -> shot labels or None; shared (B, 1, C, H, W): the shot's shared noise (shot noise prior
    a = defaults.noise_correlation), or (B, F, C, H, W) one per frame (flow.camera_warped_noise);
    boxes (B, F, 1, H, W): an actor_box_cond model's box per frame of the shot (each step reads those of the frames
    in its layout), None = none. A prev_frame_cond model's later chunks read the frame before them (the one they
    start from), as the engine gives it."""
    cf = model.cfg.chunk_frames
    B, F = x0.shape[:2]
    frames = []
    for j in range(F // cf):
        layout, keep = chunk_step_layout(layout_full, j, cf)
        G = len(layout.segments)
        gen = torch.Generator().manual_seed(seed + j)
        part = shared if shared.shape[1] == 1 else shared[:, j * cf:(j + 1) * cf]
        noise = flow.shot_noise(torch.randn((B, cf) + x0.shape[2:], generator=gen), part, defaults.noise_correlation)
        lat = torch.zeros((B, keep) + x0.shape[2:])
        t_seg = torch.zeros(B, G)
        labels = labels_for(layout)
        box = None if boxes is None else boxes[:, :keep]
        if j == 0:
            frames.append(pipeline.denoise(model, layout, "chunk_causal", text, [G - 1], noise, defaults,
                                           latents=lat, t_seg=t_seg, shot_labels=labels, actor_box=box))
            continue
        context = x0[:, :j * cf] if forced else torch.cat(frames, 1)
        lat[:, :j * cf] = flow.add_noise(context, torch.randn(context.shape, generator=gen), defaults.t_context)
        t_seg[:] = defaults.t_context
        for g, s in enumerate(layout.segments):
            if s.shot < 0:
                t_seg[:, g] = 0.0
        prev = None
        if model.cfg.prev_frame_cond:                       # the frame the chunk continues, for each of its frames
            prev = torch.zeros_like(lat)
            prev[:, j * cf:] = context[:, -1:]
        den = pipeline.SegmentDenoiser(model, layout, "chunk_causal", lat, text, t_seg, [G - 1], None, None, labels,
                                       box, prev)
        t0 = defaults.continuation_start
        start = flow.continuation_start(context[:, -1:], noise, t0)
        frames.append(flow.sample(den, start, defaults.steps, defaults.shift, defaults.sampler, start_t=t0))
    return torch.cat(frames, 1)


def frame_changes(video: torch.Tensor, cf: int) -> Dict[str, float]:
    """Mean frame change inside chunks and across chunk seams (grey levels) of (B, F, C, H, W) frames in [-1, 1]."""
    F = video.shape[1]
    steps = torch.stack([grey(video[:, f] - video[:, f - 1]) for f in range(1, F)], 1)      # (B, F - 1)
    seam = [f - 1 for f in range(cf, F, cf)]
    inside = [i for i in range(F - 1) if i not in seam]
    out = {"inside": float(steps[:, inside].mean())}
    if seam:
        out["seam"] = float(steps[:, seam].mean())
        out["ratio"] = out["seam"] / out["inside"] if out["inside"] > 0 else float("inf")
    return out


def write_sheet(path: str, rows, size: int = 64) -> None:
    from PIL import Image
    F = rows[0].shape[0]
    sheet = Image.new("RGB", (F * size, len(rows) * size))
    for y, r in enumerate(rows):
        for x in range(F):
            im = ((r[x].clamp(-1, 1) + 1) * 127.5).round().byte().permute(1, 2, 0).numpy()
            sheet.paste(Image.fromarray(im).resize((size, size)), (x * size, y * size))
    sheet.save(path)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description="Stream one shot chunk by chunk from the model's own or the true chunks")
    p.add_argument("--run", required=True, help="run dir or exported model dir")
    p.add_argument("--sheet", default=None, help="PNG: per scene the ground truth, own and forced rows")
    p.add_argument("--scenes", type=int, default=6)
    p.add_argument("--noise-correlation", type=float, default=0.0)
    p.add_argument("--continuation-start", type=float, default=1.0)
    p.add_argument("--steps", type=int, default=24)
    p.add_argument("--shift", type=float, default=3.0)
    p.add_argument("--text-cache", default="runs/text_cache_probe.safetensors")
    p.add_argument("--seed", type=int, default=777)
    a, train_args = p.parse_known_args(argv)
    tr = probe_trainer(a.run, train_args, a.text_cache, a.scenes, a.seed)
    model = tr.model.eval()
    b = tr.batcher.batch(3, n_shots=1)
    x0, text = tr.encode_batch(b)
    full = model.layout_for([x0.shape[1]], b.has_global)
    shared = torch.randn((x0.shape[0], 1) + x0.shape[2:], generator=torch.Generator().manual_seed(a.seed))
    defaults = pipeline.SamplerDefaults(steps=a.steps, shift=a.shift, noise_correlation=a.noise_correlation,
                                        continuation_start=a.continuation_start)
    labels_for = lambda layout: tr.shot_labels(b, layout, torch.ones(text.shape[:2]))   # noqa: E731
    rows: Optional[list] = [] if a.sheet else None
    videos = {}
    for mode in ("own", "forced"):
        videos[mode] = stream_shot(model, x0, text, full, labels_for, shared, defaults, mode == "forced",
                                   a.seed).clamp(-1, 1)                               # as the pixel codec shows them
        ch = frame_changes(videos[mode], model.cfg.chunk_frames)
        err = ((videos[mode] - x0) ** 2).mean(dim=(0, 2, 3, 4))
        cf = model.cfg.chunk_frames
        per_chunk = " ".join(f"{float(err[k:k + cf].mean()):.3f}" for k in range(0, x0.shape[1], cf))
        print(f"{mode}: change inside {ch['inside']:.1f} seam {ch['seam']:.1f} ratio {ch['ratio']:.2f} | "
              f"mse vs ground truth per chunk {per_chunk}")
    print(f"ground truth: change {frame_changes(x0, model.cfg.chunk_frames)['inside']:.1f}")
    if rows is not None:
        for i in range(x0.shape[0]):
            rows += [x0[i], videos["own"][i], videos["forced"][i]]
        write_sheet(a.sheet, rows)


if __name__ == "__main__":
    main()
