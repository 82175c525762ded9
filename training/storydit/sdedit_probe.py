"""Where does a stage-0 model lose the actor's kind? An SDEdit probe on the validation stills.

    python3 -m storydit.sdedit_probe --out runs/sdedit --run NAME=RUN_DIR [--count 128] \
        [--start 0.3 --start 0.5 --start 0.7] [--shift 3]

frame_eval starts every still from pure noise (t = 1). This probe starts from the ground-truth still noised to
t_start (x_t = (1 - t) x_0 + t eps, the training noise) and samples the rest of the schedule, with:

1. the still's own prompt ("own@T"): can the model keep / redraw the kind when the layout is given? If kind
   survives at t = 0.7 but not from t = 1, the model can draw shapes and fails at composing them from noise;
   if it is lost already at t = 0.3, it cannot draw them at all (capacity, patch decoder);
2. the prompt of the next still ("swap@T", a different scene): is the kind the judge reads the prompt's or the
   image's? The same frames are judged twice, against the prompt's scene ("swap@T:prompt") and against the
   image's ("swap@T:image"); a model that reads its prompt's kind moves the first up and the second down.

Everything is judged by the product's storyworld judge in one report; `<out>/summary.json` has the adherence
and the kind contrast (frame_eval) per row and `<out>/grid.png` shows the first 16 stills of every row.
"""
from __future__ import annotations

import argparse
import json
import os
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from . import flow
from .frame_eval import (JAR, VALIDATION_SEED, clips, grid, judge, kind_contrast, load_run, read_frames, shot_conditions,
                         still_adherence, write_ground_truth, write_run)
from .pipeline import SamplerDefaults, denoise
from .text import make_text_encoder


@torch.no_grad()
def sdedit(model, codec, clean: np.ndarray, text: torch.Tensor, labels: Optional[torch.Tensor], start_t: float,
           seed: int, defaults: SamplerDefaults, batch: int = 32) -> np.ndarray:
    """clean stills (N, H, W, 3) uint8 -> stills re-sampled from x_{start_t} under text (N, 1, L, 384)."""
    layout = model.layout_for([1], False)
    out = []
    for s in range(0, clean.shape[0], batch):
        x0 = torch.from_numpy(clean[s:s + batch]).float().div(255).permute(0, 3, 1, 2)[:, None]   # (b, 1, 3, H, W)
        z0 = codec.encode(x0)
        eps = torch.stack([torch.randn(z0.shape[1:], generator=torch.Generator().manual_seed(seed + s + i))
                           for i in range(z0.shape[0])])
        zt = flow.add_noise(z0, eps, torch.tensor(start_t))
        z = denoise(model, layout, "scene_full", text[s:s + batch], [0], zt, defaults,
                    shot_labels=None if labels is None else labels[s:s + batch], start_t=start_t)
        frames = codec.decode(z).reshape(-1, *z.shape[-3:])                              # (b, 3, H, W)
        out.append((frames.permute(0, 2, 3, 1).numpy() * 255).round().astype(np.uint8))
    return np.concatenate(out)


def write_swapped(gt_dir: str, out_dir: str, ids: Sequence[str], frames: np.ndarray) -> None:
    """Frames made from image i under the prompt of scene i + 1, written as scene i + 1's still."""
    write_run(gt_dir, out_dir, list(ids[1:]) + [ids[0]], frames)


def main(argv: Optional[Sequence[str]] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--run", required=True, help="NAME=RUN_DIR (a train_dit run; its newest EMA)")
    p.add_argument("--count", type=int, default=128)
    p.add_argument("--seed", type=int, default=VALIDATION_SEED)
    p.add_argument("--start", type=float, action="append", default=None, help="t_start in (0, 1); repeat")
    p.add_argument("--steps", type=int, default=24)
    p.add_argument("--shift", type=float, default=3.0)
    p.add_argument("--guidance", type=float, default=3.0)
    p.add_argument("--text-cache", default="runs/text_cache.safetensors")
    p.add_argument("--jar", default=JAR)
    a = p.parse_args(argv)
    starts = a.start or [0.3, 0.5, 0.7]
    os.makedirs(a.out, exist_ok=True)
    gt = os.path.join(a.out, "ground-truth")
    write_ground_truth(gt, a.count, a.seed)
    ids = [i for i, _ in clips(gt)]
    clean = read_frames(gt, ids)
    name, run_dir = a.run.split("=", 1)
    model, codec, meta = load_run(run_dir)
    encoder = make_text_encoder("auto", a.text_cache, None, None, None, model.cfg.l_txt)
    prompts, labels = shot_conditions(gt, model.cfg)
    text = encoder.encode(prompts)[:, None]                                              # (N, 1, L, 384)
    if hasattr(encoder, "save"):
        encoder.save()
    swapped_text = torch.roll(text, -1, 0)                # image i gets the prompt of scene i + 1
    swapped_labels = None if labels is None else torch.roll(labels, -1, 0)
    defaults = SamplerDefaults(steps=a.steps, shift=a.shift, guidance=a.guidance)
    dirs: Dict[str, str] = {"ground-truth": gt}
    rows: List[np.ndarray] = [clean]
    for t in starts:
        own = sdedit(model, codec, clean, text, labels, t, a.seed, defaults)
        dirs[f"own@{t:g}"] = os.path.join(a.out, f"own-{t:g}")
        write_run(gt, dirs[f"own@{t:g}"], ids, own)
        swap = sdedit(model, codec, clean, swapped_text, swapped_labels, t, a.seed, defaults)
        dirs[f"swap@{t:g}:image"] = os.path.join(a.out, f"swap-{t:g}-image")
        write_run(gt, dirs[f"swap@{t:g}:image"], ids, swap)
        dirs[f"swap@{t:g}:prompt"] = os.path.join(a.out, f"swap-{t:g}-prompt")
        write_swapped(gt, dirs[f"swap@{t:g}:prompt"], ids, swap)
        rows += [own, swap]
    report = judge(a.out, dirs, a.jar)
    summary = {"run": run_dir, "step": meta["step"], "cpu_minutes": round(meta.get("cpu_seconds", 0.0) / 60, 1),
               "count": a.count, "sampler": defaults.to_dict(), "rows": {}}
    for key in dirs:
        summary["rows"][key] = {**still_adherence(report, key), **kind_contrast(report, key)}
    with open(os.path.join(a.out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
    names = ["ground-truth"] + [n for t in starts for n in (f"own@{t:g}", f"swap@{t:g}")]
    grid(rows, os.path.join(a.out, "grid.png"), names=names)
    for key, r in summary["rows"].items():
        print(f"{name} {key:22s} {json.dumps(r)}")


if __name__ == "__main__":
    main()
