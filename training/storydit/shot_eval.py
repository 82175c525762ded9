"""Streamed one-shot clips, generated in Python and judged by the storyboard judge: camera moves and actions of
several checkpoints side by side, or with a noise the Java engine does not sample (the actor-carried oracle).

    python3 -m storydit.shot_eval --out runs/shot-eval-s23 --run NAME=RUN_OR_STEP_DIR [--run NAME=...] \
        [--count 48] [--seed 8100000] [--noise-correlation 0.7] [--continuation-start 0.9] [--steps 16] \
        [--warp-noise [--actor-noise]]

Ground truth: `count` one-shot held-out-wording storyworld scenes from `seed` (16 frames, written once to
OUT/ground-truth). Each run streams every shot chunk by chunk from its own chunks, as the editor streams a shot
(stream_probe.stream_shot: the first chunk guided, later chunks re-noised context at t_c and started at t0); the
model reads what the engine gives it: the shot's content prompt and its [camera, shot size] labels (a shot_cond
model) or its full caption. No global caption, no earlier shots: this measures a shot on its own, not scene context
or identity. The judge (`storyboard eval`, one report for all runs) gives per-attribute adherence; printed: camera on
moving-camera shots, action, colour, kind and setting (the judge sees no chunk seams in a folder of frames: judge
those with `storyboard eval --generate`).

--per-chunk also judges each chunk of every run alone (chunk_clips: the chunk's frames looped to the shot's length,
rows NAME#cK): what the shot shows chunk by chunk, e.g. whether the shape of the guided first chunk survives the
continuation chunks (session 29). Motion is not meaningful there; colour, kind and setting are.
--forced streams each run's later chunks from the ground truth's earlier chunks instead of its own (stream_shot
forced): with --per-chunk, whether the model carries a true shape through a continuation.
"""
from __future__ import annotations

import argparse
import os
import shutil
from typing import Dict, List, Sequence

import numpy as np
import torch
from PIL import Image

from . import flow, pipeline
from .frame_eval import BOX_MODES, JAR, actor_boxes, clips, judge, layout_boxes, load_run, shot_conditions
from .stream_probe import stream_shot
from .model import pool_caption
from .text import make_text_encoder

PRINTED = ("cameraMoving", "action", "colour", "kind", "settingPerShot")


def write_ground_truth(out_dir: str, count: int, seed: int, frames: int) -> None:
    from storyworld.export import export_clips
    if not os.path.isfile(os.path.join(out_dir, "clips.json")):
        export_clips(out_dir, count, seed, 64, shots=1, frames=frames, split="heldout")


def ground_truth_frames(gt_dir: str, ids: Sequence[str], frames: int) -> torch.Tensor:
    """The first shot's frames of each clip, (N, F, 3, H, W) in [0, 1]."""
    from storyworld.export import frame_name
    return torch.from_numpy(np.stack([np.stack([np.asarray(Image.open(os.path.join(gt_dir, c, frame_name(0, f)))
                                                           .convert("RGB")) for f in range(frames)]) for c in ids])
                            ).permute(0, 1, 4, 2, 3).float() / 255


@torch.no_grad()
def stream_run(run: str, gt_dir: str, out_dir: str, defaults: pipeline.SamplerDefaults, text_cache: str,
               seed: int, warp_noise: bool = False, batch: int = 8, actor_noise: bool = False,
               box: str = "oracle", planner: str = "", forced: bool = False) -> None:
    """Streams every ground-truth shot with the model of `run` and writes the frames as a copy of the export.
    warp_noise: the shot's shared noise moves with its camera label (flow.camera_warped_noise); actor_noise (an
    oracle, with warp_noise): inside the ground truth's actor box it also moves with the actor
    (flow.actor_carried_noise), as train_dit --actor-flow-noise trains. box: an actor_box_cond model's box per
    frame (frame_eval.layout_boxes: "oracle", "planned" by the layout planner in `planner`, or "none"). forced: each
    later chunk continues the ground truth's earlier chunks (encoded by the run's codec), not the run's own."""
    from storyworld.export import frame_name
    model, codec, _ = load_run(run)
    ids = [i for i, _ in clips(gt_dir)]
    prompts, labels = shot_conditions(gt_dir, model.cfg)
    encoder = make_text_encoder("auto", text_cache, None, None, None, model.cfg.l_txt)
    text = encoder.encode(prompts)[:, None]                                          # (N, 1, L, 384)
    frames = len([f for f in os.listdir(os.path.join(gt_dir, ids[0])) if f.endswith(".png")])
    boxes = layout_boxes(gt_dir, ids, frames, model.cfg, box, planner,
                         pool_caption(text[:, 0]) if box == "planned" else None, labels)
    layout = model.layout_for([frames], False)
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    shutil.copytree(gt_dir, out_dir)
    for s in range(0, len(ids), batch):
        rows = ids[s:s + batch]
        shape = (len(rows), frames, model.cfg.latent_channels, model.cfg.latent_h, model.cfg.latent_w)
        shared = torch.randn((len(rows), 1) + shape[2:], generator=torch.Generator().manual_seed(seed + s))
        if warp_noise:
            shared = warped_shared_noise(model.cfg, labels[s:s + batch, 0, 0], frames, seed + s)
            if actor_noise:
                cover = actor_boxes(gt_dir, rows, frames, model.cfg.latent_h, model.cfg.latent_w)
                shared = flow.actor_carried_noise(shared, shared[:, :1], cover, cover[:, 0])
        row_labels = None if labels is None else labels[s:s + batch]                 # (b, 1, 2)
        labels_for = (lambda lay: None) if row_labels is None else \
            (lambda lay: row_labels.expand(-1, len(lay.segments), -1))                 # every segment is the shot
        x0 = codec.encode(ground_truth_frames(gt_dir, rows, frames)) if forced else torch.zeros(shape)
        latents = stream_shot(model, x0, text[s:s + batch], layout, labels_for, shared, defaults,
                              forced, seed + s, None if boxes is None else boxes[s:s + batch])
        video = codec.decode(latents)                                                   # (b, F, 3, H, W) in [0, 1]
        video = (video.clamp(0, 1) * 255).round().byte().permute(0, 1, 3, 4, 2).numpy()
        for clip_id, clip in zip(rows, video):
            for f in range(frames):
                Image.fromarray(clip[f]).save(os.path.join(out_dir, clip_id, frame_name(0, f)))


def warped_shared_noise(cfg, camera: torch.Tensor, frames: int, seed: int) -> torch.Tensor:
    """Shared noise (b, F, C, H, W) per shot that moves with its camera label (0 = null, i + 1 = cfg.cameras[i]),
    as training's (train_dit.camera_noise_rates), read from a canvas twice the view."""
    from .train_dit import camera_noise_rates
    names = [None] + list(cfg.cameras)
    pan_px, log_zoom = camera_noise_rates([names[int(c)] for c in camera], frames, cfg.latent_h)
    H, W = cfg.latent_h, cfg.latent_w
    canvas = torch.randn((len(camera), 1, cfg.latent_channels, 2 * H, 2 * W), generator=torch.Generator().manual_seed(seed))
    return flow.camera_warped_noise(canvas, (H, W), torch.arange(frames), pan_px, log_zoom, frames - 1).float()


def chunk_clips(run_dir: str, out_dir: str, chunk: int, k: int) -> None:
    """Writes out_dir: run_dir's clips with every shot's frames replaced by chunk k's, looped to the shot's length
    (frame f shows frame k * chunk + f % chunk), beside the same labels: a still-like clip of one chunk to judge."""
    from storyworld.export import frame_name
    for clip_id in sorted(c for c in os.listdir(run_dir) if os.path.isdir(os.path.join(run_dir, c))):
        src, dst = os.path.join(run_dir, clip_id), os.path.join(out_dir, clip_id)
        os.makedirs(dst, exist_ok=True)
        for name in os.listdir(src):
            if not name.endswith(".png"):
                shutil.copy(os.path.join(src, name), dst)
        frames = sorted(n for n in os.listdir(src) if n.startswith("shot00_") and n.endswith(".png"))
        assert (k + 1) * chunk <= len(frames), f"{src}: no chunk {k} of {chunk} frames in {len(frames)} frames"
        for f in range(len(frames)):
            shutil.copy(os.path.join(src, frames[k * chunk + f % chunk]), os.path.join(dst, frame_name(0, f)))
    for name in os.listdir(run_dir):
        if not os.path.isdir(os.path.join(run_dir, name)):
            shutil.copy(os.path.join(run_dir, name), out_dir)


def summary(report: dict) -> Dict[str, Dict[str, float]]:
    """Per run: the printed attributes (%)."""
    return {r["label"]: {k: 100.0 * r["accuracy"][k]["rate"] for k in PRINTED if k in r["accuracy"]}
            for r in report["runs"]}


def main(argv: Sequence[str] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--run", action="append", required=True, help="NAME=RUN_OR_STEP_DIR (repeatable)")
    p.add_argument("--count", type=int, default=48)
    p.add_argument("--seed", type=int, default=8_100_000, help="storyworld seed of the first ground-truth scene")
    p.add_argument("--frames", type=int, default=16)
    p.add_argument("--noise-correlation", type=float, default=0.7)
    p.add_argument("--continuation-start", type=float, default=0.9)
    p.add_argument("--steps", type=int, default=16)
    p.add_argument("--shift", type=float, default=3.0)
    p.add_argument("--guidance", type=float, default=3.0)
    p.add_argument("--t-context", type=float, default=pipeline.SamplerDefaults.t_context,
                   help="t_c: the noise level of a shot's earlier chunks as context")
    p.add_argument("--text-cache", default="runs/text_cache_eval.safetensors")
    p.add_argument("--noise-seed", type=int, default=123)
    p.add_argument("--warp-noise", action="store_true", help="the shared noise moves with the camera label")
    p.add_argument("--actor-noise", action="store_true",
                   help="with --warp-noise, an oracle: the shared noise also moves with the ground truth's actor box")
    p.add_argument("--jar", default=JAR)
    p.add_argument("--box", action="append", choices=BOX_MODES, default=None,
                   help="an actor-box model's box per frame (repeatable, one row each): the ground truth's (oracle, the "
                        "default), the layout planner's (planned) or none; a model without the box streams alike in each")
    p.add_argument("--planner", default="runs/box-planner", help="a box_planner folder (--box planned)")
    p.add_argument("--forced", action="store_true",
                   help="later chunks continue the ground truth's earlier chunks, not the run's own")
    p.add_argument("--per-chunk", action="store_true", help="also judge each chunk of every run alone (chunk_clips)")
    a = p.parse_args(argv)
    runs: List[List[str]] = [r.split("=", 1) for r in a.run]
    assert all(len(r) == 2 and r[0] and r[0] != "ground-truth" for r in runs), \
        "--run takes NAME=DIR, NAME not 'ground-truth'"
    assert a.warp_noise or not a.actor_noise, "--actor-noise moves the camera noise: it needs --warp-noise"
    gt = os.path.join(a.out, "ground-truth")
    write_ground_truth(gt, a.count, a.seed, a.frames)
    defaults = pipeline.SamplerDefaults(steps=a.steps, shift=a.shift, guidance=a.guidance,
                                        noise_correlation=a.noise_correlation,
                                        continuation_start=a.continuation_start, t_context=a.t_context)
    dirs = {"ground-truth": gt}
    modes = a.box or ["oracle"]
    streams = [(name if len(modes) == 1 else f"{name}@box-{mode}", run, mode) for name, run in runs for mode in modes]
    for key, run, mode in streams:
        dirs[key] = os.path.join(a.out, key)
        stream_run(run, gt, dirs[key], defaults, a.text_cache, a.noise_seed, a.warp_noise,
                   actor_noise=a.actor_noise, box=mode, planner=a.planner, forced=a.forced)
        print(f"{key}: streamed {a.count} shots from {run}", flush=True)
    if a.per_chunk:
        for key, run, _ in streams:
            cf = load_run(run)[0].cfg.chunk_frames
            for k in range(a.frames // cf):
                dirs[f"{key}#c{k}"] = os.path.join(a.out, "chunks", f"{key}#c{k}")
                chunk_clips(dirs[key], dirs[f"{key}#c{k}"], cf, k)
    for name, row in summary(judge(a.out, dirs, a.jar)).items():
        print(f"{name:14s} " + "  ".join(f"{k} {v:.1f}" for k, v in row.items()))


if __name__ == "__main__":
    main()
