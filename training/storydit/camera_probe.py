"""Camera-label probe: does a shot_cond model use the camera move it is told (a diffusion classifier on the label)?

    python3 -m storydit.camera_probe --run RUN_OR_STEP_DIR [--scenes 24] [--t 0.3 0.6 0.9] TRAINING_FLAGS

On rendered one-shot scenes (whole shots, the frames of a shot sharing their noise as the sampler's do), at fixed
noise and each t: the model's denoising losses with every camera label in turn (the true one, every other move, and
the null label), the caption and the shot-size label kept true. Two losses, as train_dit has them:

    frame loss    the per-frame velocity MSE
    motion loss   flow.motion_mse, the error of the frame-to-frame change: where a camera move shows

and for each, over the shots whose camera moves (a static shot's label is nearly free to get right):

    accuracy        how often the true move gives the lowest loss of the 5 (chance 1/5)
    gain vs null    how much the true move lowers the loss against the null label, relative to it (near 0: the
                    model does not use the label)

A model that ignores its camera label cannot draw the move, whatever the sampler does; one that uses it here but not
in its videos points at the sampler. About a minute on 2 cores.
"""
from __future__ import annotations

import argparse
import json
from typing import Dict, List, Sequence

import torch

from . import flow
from .context_probe import probe_trainer
from .label_probe import summarize

CAMERA = 0              # index of the camera label in a segment's [camera, shot size(, kind)]


def per_row(loss_fn, pred: torch.Tensor, target: torch.Tensor, slices, weight: torch.Tensor) -> torch.Tensor:
    """A batch loss (flow.per_segment_mse or flow.motion_mse) evaluated row by row -> (B,)."""
    return torch.stack([loss_fn(pred[i:i + 1], target[i:i + 1], slices, weight[i:i + 1])
                        for i in range(pred.shape[0])])


@torch.no_grad()
def camera_losses(model, x0: torch.Tensor, text: torch.Tensor, labels: torch.Tensor, layout, t: float,
                  noise_correlation: float, seed: int = 0) -> Dict[str, torch.Tensor]:
    """x0 (B, F, C, H, W) one shot per row, text (B, T, L, 384), labels (B, G, n) true labels of layout's segments ->
    {"frame": (B, K + 1), "motion": (B, K + 1)}: the losses with camera label k (column 0 = null)."""
    gen = torch.Generator().manual_seed(seed)
    independent = torch.randn(x0.shape, generator=gen)
    shared = torch.randn((x0.shape[0], 1) + x0.shape[2:], generator=gen)
    eps = flow.shot_noise(independent, shared, noise_correlation)
    slices = layout.frame_slices()
    t_seg = torch.zeros(x0.shape[0], len(layout.segments))
    weight = torch.zeros_like(t_seg)
    for g, s in enumerate(layout.segments):
        if s.shot >= 0:
            t_seg[:, g], weight[:, g] = t, 1.0
    t_frames = flow.frames_t(t_seg, slices, x0.shape[1])
    x_t, target = flow.add_noise(x0, eps, t_frames), flow.velocity_target(x0, eps)
    out: Dict[str, List[torch.Tensor]] = {"frame": [], "motion": []}
    for k in range(len(model.cfg.cameras) + 1):
        lab = labels.clone()
        shot_segments = [g for g, s in enumerate(layout.segments) if s.shot >= 0]
        lab[:, shot_segments, CAMERA] = k
        v = model(x_t, text, t_seg, layout, "context_causal", shot_labels=lab).float()
        out["frame"].append(per_row(flow.per_segment_mse, v, target, slices, weight))
        out["motion"].append(per_row(flow.motion_mse, v, target, slices, weight))
    return {name: torch.stack(cols, dim=1) for name, cols in out.items()}


def main(argv: Sequence[str] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", required=True, help="a shot_cond train_dit run (its newest EMA), a step dir or an export")
    p.add_argument("--scenes", type=int, default=24, help="one-shot scenes (drawn in batches of 6)")
    p.add_argument("--t", type=float, nargs="+", default=[0.3, 0.6, 0.9])
    p.add_argument("--text-cache", default="runs/text_cache_probe.safetensors")
    p.add_argument("--seed", type=int, default=4242)
    p.add_argument("--out", default="")
    a, train_args = p.parse_known_args(argv)
    tr = probe_trainer(a.run, train_args, a.text_cache, 6, a.seed)
    model = tr.model.eval()
    assert model.cfg.shot_cond, "the camera probe needs a shot_cond model"
    losses: Dict[str, Dict[str, List[torch.Tensor]]] = {str(t): {"frame": [], "motion": []} for t in a.t}
    true_camera: List[torch.Tensor] = []
    for k in range(-(-a.scenes // 6)):
        b = tr.batcher.batch(1000 + k, n_shots=1)
        x0, text = tr.encode_batch(b)
        layout = model.layout_for([x0.shape[1]], b.has_global)
        labels = tr.shot_labels(b, layout, torch.ones(text.shape[:2]))
        shot_g = [g for g, s in enumerate(layout.segments) if s.shot >= 0][0]
        true_camera.append(labels[:, shot_g, CAMERA].cpu())
        for t in a.t:
            for name, v in camera_losses(model, x0, text, labels, layout, t, tr.cfg.noise_correlation,
                                         seed=a.seed + k).items():
                losses[str(t)][name].append(v)
    cams = torch.cat(true_camera)
    static = model.cfg.cameras.index("static") + 1
    moving = cams != static
    report = {"run": a.run, "shots": int(len(cams)), "moving_shots": int(moving.sum()), "t": {}}
    for t in a.t:
        report["t"][str(t)] = {}
        for name in ("frame", "motion"):
            L = torch.cat(losses[str(t)][name])
            s = summarize(L[moving], cams[moving])
            report["t"][str(t)][name] = s
            print(f"t={t} {name} loss, moving shots: camera accuracy {100 * s['accuracy']:.1f} % "
                  f"(chance {100 * s['chance']:.1f}); the true move lowers the loss by "
                  f"{100 * s['gain_vs_null']:.2f} % against the null label")
    if a.out:
        with open(a.out, "w") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
