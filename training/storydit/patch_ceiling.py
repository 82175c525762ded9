"""How much of a frame survives a width-d linear patch bottleneck? The pixel DiT's analogue of a VAE round trip.

    python3 -m storydit.patch_ceiling --labels EXPORT --out DIR [--patch 16] [--rank 192 --rank 384 ...] \
        [--fit-count 2048] [--fit-seed 7000000]

A pixel-space DiT reads a p x p x 3 patch through one linear layer into d_model features and writes it back
through another (x-prediction: the clean patch is a linear function of the last d_model features). Whatever the
transformer does in between, a patch it writes lies in the span of its output layer: at most d_model
directions. The best linear span of that size is the patches' top principal components, so projecting the
ground truth onto its top-r components (r = d_model) and judging it says what the output layer alone lets
through, before any training. (Nonlinear features do not widen it: the output is still linear in them.)
`--mlp-rank r` asks what a nonlinear output head would let through: a patch autoencoder whose decoder is an
MLP (r -> hidden -> p*p*3, GELU) trained on the same patches, its encoder an MLP too (the transformer's
features are nonlinear in the input).

1. fit: PCA of `fit_count` training-split stills' patches (frame 0 of one-shot scenes from `fit_seed`);
2. for each rank r: every frame of the export `--labels` (e.g. frame_eval's ground-truth/) projected onto the
   mean + top-r components, written as a copy of the export (`<out>/rank-<r>/`, same clips.json);
3. the product's judge scores them next to the export itself (`<out>/judge/report.json`, printed per rank).
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
from typing import Optional, Sequence

import numpy as np
import torch
from PIL import Image
from torch import nn

from storyworld.export import export_clips, frame_name
from .frame_eval import JAR, judge, still_adherence


def patches(frames: np.ndarray, p: int) -> np.ndarray:
    """(N, H, W, 3) -> (N * H/p * W/p, p*p*3)."""
    n, h, w, c = frames.shape
    x = frames.reshape(n, h // p, p, w // p, p, c).transpose(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, p * p * c)


def unpatch(x: np.ndarray, n: int, h: int, w: int, p: int) -> np.ndarray:
    c = x.shape[1] // (p * p)
    return x.reshape(n, h // p, w // p, p, p, c).transpose(0, 1, 3, 2, 4, 5).reshape(n, h, w, c)


def fit_pca(frames: np.ndarray, p: int):
    """-> (mean (D,), components (D, D) rows by decreasing variance, explained variance ratio (D,))."""
    x = patches(frames.astype(np.float64) / 255, p)
    mean = x.mean(0)
    _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
    var = s ** 2
    return mean, vt, var / var.sum()


def project(frames: np.ndarray, mean: np.ndarray, comps: np.ndarray, rank: int, p: int) -> np.ndarray:
    n, h, w, _ = frames.shape
    x = patches(frames.astype(np.float64) / 255, p) - mean
    basis = comps[:rank]                                                     # (r, D)
    y = (x @ basis.T) @ basis + mean
    return (unpatch(y, n, h, w, p).clip(0, 1) * 255).round().astype(np.uint8)


def mlp(sizes: Sequence[int]) -> nn.Sequential:
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.GELU())
    return nn.Sequential(*layers)


def fit_mlp_autoencoder(frames: np.ndarray, p: int, rank: int, hidden: int, steps: int, seed: int = 0):
    """Patch autoencoder dim -> hidden -> rank -> hidden -> dim (MSE, Adam, cosine lr); returns it."""
    torch.manual_seed(seed)
    x = torch.from_numpy(patches(frames.astype(np.float32) / 255, p))
    dim = x.shape[1]
    model = nn.Sequential(mlp([dim, hidden, rank]), mlp([rank, hidden, hidden, dim]))
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    g = torch.Generator().manual_seed(seed)
    for step in range(steps):
        batch = x[torch.randint(0, x.shape[0], (1024,), generator=g)]
        loss = ((model(batch * 2 - 1) - (batch * 2 - 1)) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 500 == 0 or step == steps - 1:
            print(f"  mlp rank {rank} step {step} mse {loss.item():.5f}")
    return model.eval()


@torch.no_grad()
def reconstruct_mlp(model: nn.Module, frames: np.ndarray, p: int) -> np.ndarray:
    n, h, w, _ = frames.shape
    x = torch.from_numpy(patches(frames.astype(np.float32) / 255, p)) * 2 - 1
    y = ((model(x) + 1) / 2).numpy()
    return (unpatch(y, n, h, w, p).clip(0, 1) * 255).round().astype(np.uint8)


def fit_frames(count: int, seed: int, work: str) -> np.ndarray:
    d = os.path.join(work, "fit")
    if not os.path.isfile(os.path.join(d, "clips.json")):
        export_clips(d, count, seed, 64, shots=1, frames=2, split="train", force=True)
    paths = sorted(glob.glob(os.path.join(d, "*", frame_name(0, 0))))
    return np.stack([np.asarray(Image.open(q).convert("RGB")) for q in paths])


def main(argv: Optional[Sequence[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", required=True, help="a storyworld export to project (e.g. frame_eval's ground truth)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--patch", type=int, default=16)
    ap.add_argument("--rank", type=int, action="append", default=None)
    ap.add_argument("--fit-count", type=int, default=2048)
    ap.add_argument("--fit-seed", type=int, default=7_000_000)
    ap.add_argument("--mlp-rank", type=int, action="append", default=[])
    ap.add_argument("--mlp-hidden", type=int, default=768)
    ap.add_argument("--mlp-steps", type=int, default=3000)
    ap.add_argument("--jar", default=JAR)
    a = ap.parse_args(argv)
    ranks = a.rank or [48, 96, 192, 384]
    os.makedirs(a.out, exist_ok=True)
    fit = fit_frames(a.fit_count, a.fit_seed, a.out)
    mean, comps, ratio = fit_pca(fit, a.patch)
    for r in ranks:
        print(f"rank {r}: {100 * ratio[:r].sum():.2f} % of the patch variance")
    files = sorted(glob.glob(os.path.join(a.labels, "*", "*.png")))
    frames = np.stack([np.asarray(Image.open(q).convert("RGB")) for q in files])
    dirs = {"ground-truth": a.labels}
    for r in ranks:
        d = dirs[f"rank-{r}"] = os.path.join(a.out, f"rank-{r}")
        if os.path.exists(d):
            shutil.rmtree(d)
        shutil.copytree(a.labels, d)
        for q, img in zip(files, project(frames, mean, comps, r, a.patch)):
            Image.fromarray(img).save(os.path.join(d, os.path.relpath(q, a.labels)))
    for r in a.mlp_rank:
        model = fit_mlp_autoencoder(fit, a.patch, r, a.mlp_hidden, a.mlp_steps)
        d = dirs[f"mlp-{r}"] = os.path.join(a.out, f"mlp-{r}")
        if os.path.exists(d):
            shutil.rmtree(d)
        shutil.copytree(a.labels, d)
        for q, img in zip(files, reconstruct_mlp(model, frames, a.patch)):
            Image.fromarray(img).save(os.path.join(d, os.path.relpath(q, a.labels)))
    report = judge(a.out, dirs, a.jar)
    for name in dirs:
        print(f"{name:14s} {json.dumps(still_adherence(report, name))}")


if __name__ == "__main__":
    main()
