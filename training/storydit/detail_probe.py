"""Detail probe: does the denoiser keep the detail it is shown?

    python3 -m storydit.detail_probe --stills runs/frame-eval/ground-truth --run NAME=RUN [--run ...] \
        [--text-cache runs/text_cache_eval.safetensors] [--t 0.05 0.1 0.2 0.3] [--out probe.json] [--judge DIR]

On the stills of a `frame_eval` ground truth, noised to small t at fixed noise, one model call each:

    mse_model     error of the model's clean-frame estimate x_hat against the ground truth
    mse_input     error of the input itself, x_t / (1 - t): sharp, but with the noise left in
    edge_ratio    high-frequency energy (a Laplacian's) of x_hat over the ground truth's: 1 keeps every edge,
                  below 1 blurs them, 0 is a flat frame

With `--judge DIR` the estimates x_hat themselves are written as stills (DIR/NAME-t<T>/) and judged by the
product's storyworld judge in one report, beside the ground truth: per t the adherence and the kind contrast of
the one-step estimate. Where the contrast falls with t tells whether the denoiser loses the shape it is shown
(a capacity limit at that noise level) or keeps it and sampling never commits to one (a composition limit).

A sampler's last step returns x_hat at its smallest t (0.115 at 24 steps and shift 3), so a model that blurs
there cannot end on a sharp frame whatever it drew before. Session 13: the warm start loses half the edge energy
even at t = 0.05, where its input shows everything.
"""
from __future__ import annotations

import argparse
import json
import os
from typing import Dict, Sequence

import torch
import torch.nn.functional as F

from . import flow
from .frame_eval import JAR, clips, judge, kind_contrast, load_run, read_frames, shot_conditions, still_adherence, \
    write_run
from .model import StoryDiT
from .text import make_text_encoder

LAPLACIAN = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


@torch.no_grad()
def one_step_x0(model: StoryDiT, x0: torch.Tensor, text: torch.Tensor, labels, t: float, seed: int = 0,
                batch: int = 32) -> Dict[str, torch.Tensor]:
    """x0 (N, 1, C, H, W), text (N, 1, L, 384) -> {"x_t", "x_hat"} at t, noise from `seed`."""
    layout = model.layout_for([1], False)
    eps = torch.randn(x0.shape, generator=torch.Generator().manual_seed(seed))
    xt = flow.add_noise(x0, eps, t)
    v = torch.cat([model(xt[s:s + batch], text[s:s + batch], torch.full((len(xt[s:s + batch]), 1), t), layout,
                         "scene_full", shot_labels=None if labels is None else labels[s:s + batch])
                   for s in range(0, x0.shape[0], batch)])
    return {"x_t": xt, "x_hat": flow.clean_estimate(xt, v, t)}


def edge_energy(x: torch.Tensor) -> float:
    """Mean squared Laplacian of frames (N, 1, C, H, W), per channel."""
    C = x.shape[2]
    kernel = LAPLACIAN.view(1, 1, 3, 3).repeat(C, 1, 1, 1)
    padded = F.pad(x[:, 0].float(), (1, 1, 1, 1), mode="replicate")             # a flat frame scores 0
    return float(F.conv2d(padded, kernel, groups=C).square().mean())


def detail_report(x0: torch.Tensor, x_hat: torch.Tensor, x_t: torch.Tensor, t: float) -> Dict[str, float]:
    return {"mse_model": round(float((x_hat - x0).square().mean()), 5),
            "mse_input": round(float((x_t / (1 - t) - x0).square().mean()), 5),
            "edge_ratio": round(edge_energy(x_hat) / max(edge_energy(x0), 1e-12), 3)}


def main(argv: Sequence[str] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", action="append", required=True, help="NAME=DIR: a train_dit run or an exported model")
    p.add_argument("--stills", required=True, help="a frame_eval ground-truth folder")
    p.add_argument("--text-cache", default="runs/text_cache_eval.safetensors")
    p.add_argument("--t", type=float, nargs="+", default=[0.05, 0.1, 0.2, 0.3])
    p.add_argument("--out", default="")
    p.add_argument("--judge", default="", help="folder: write the one-step estimates as stills and judge them")
    p.add_argument("--jar", default=JAR)
    a = p.parse_args(argv)
    ids = [i for i, _ in clips(a.stills)]
    frames = torch.tensor(read_frames(a.stills, ids)).permute(0, 3, 1, 2).float() / 255.0     # (N, 3, H, W)
    report = {"stills": len(ids), "runs": {}}
    judged: Dict[str, str] = {"ground-truth": a.stills}
    for spec in a.run:
        name, run_dir = spec.split("=", 1)
        model, codec, meta = load_run(run_dir)
        x0 = codec.encode(frames)[:, None]                                                  # (N, 1, C, h, w)
        prompts, labels = shot_conditions(a.stills, model.cfg)
        text = make_text_encoder("auto", a.text_cache, None, None, None, model.cfg.l_txt).encode(prompts)[:, None]
        rows = {}
        for t in a.t:
            out = one_step_x0(model, x0, text, labels, t)
            rows[str(t)] = detail_report(x0, out["x_hat"], out["x_t"], t)
            if a.judge:
                stills = codec.decode(out["x_hat"]).reshape(-1, *frames.shape[1:])              # (N, 3, H, W)
                judged[f"{name}@{t:g}"] = os.path.join(a.judge, f"{name}-t{t:g}")
                write_run(a.stills, judged[f"{name}@{t:g}"], ids,
                          (stills.clamp(0, 1).permute(0, 2, 3, 1).numpy() * 255).round().astype("uint8"))
            print(f"{name:16s} t={t:<5} {json.dumps(rows[str(t)])}")
        report["runs"][name] = {"run": run_dir, "step": meta["step"], "t": rows}
    if a.judge:
        verdict = judge(a.judge, judged, a.jar)
        report["judged"] = {key: {**still_adherence(verdict, key), **kind_contrast(verdict, key)} for key in judged}
        for key, row in report["judged"].items():
            print(f"{key:22s} {json.dumps(row)}")
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
