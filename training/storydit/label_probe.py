"""Kind-label probe: does a kind_label_oracle model use the kind it is told (a diffusion classifier on the label)?

    python3 -m storydit.label_probe --run RUN --stills runs/frame-eval/ground-truth \
        --text-cache runs/text_cache_eval.safetensors [--t 0.3 0.5 0.7] [--out probe.json]

On the stills of a `frame_eval` ground truth (one frame per validation scene), at fixed noise and each t: the
model's denoising loss with every kind label in turn (the true one, every other kind, and the null label), the
caption and the camera / shot-size labels kept true.

    accuracy        how often the true kind gives the lowest loss of the 7 kinds (chance 1/7)
    gain vs null    how much the true kind lowers the loss against the null label, relative to it: what knowing
                    the kind is worth to this model's loss (near 0: the model does not use the label)
"""
from __future__ import annotations

import argparse
import json
from typing import Dict, Sequence

import torch

from . import flow
from .frame_eval import clips, load_run, read_frames, shot_conditions
from .model import StoryDiT
from .text import make_text_encoder

KIND = 2                # index of the kind label in a segment's [camera, shot size, kind]


@torch.no_grad()
def label_losses(model: StoryDiT, x0: torch.Tensor, text: torch.Tensor, labels: torch.Tensor, t: float,
                 seed: int = 0, batch: int = 32) -> torch.Tensor:
    """x0 (N, 1, C, H, W), text (N, 1, L, 384), labels (N, 1, 3) -> loss (N, K + 1) per kind label (0 = null)."""
    assert model.cfg.kind_label_oracle, "the label probe needs a kind_label_oracle model"
    layout = model.layout_for([1], False)
    eps = torch.randn(x0.shape, generator=torch.Generator().manual_seed(seed))
    xt, target = flow.add_noise(x0, eps, t), flow.velocity_target(x0, eps)
    tt = torch.full((x0.shape[0], 1), t)
    out = []
    for k in range(len(model.cfg.kinds) + 1):
        lab = labels.clone()
        lab[..., KIND] = k
        v = torch.cat([model(xt[s:s + batch], text[s:s + batch], tt[s:s + batch], layout, "scene_full",
                             shot_labels=lab[s:s + batch]) for s in range(0, x0.shape[0], batch)])
        out.append((v - target).square().flatten(1).mean(1))
    return torch.stack(out, dim=1)


def summarize(losses: torch.Tensor, true_kind: torch.Tensor) -> Dict[str, float]:
    """losses (N, K + 1) with column 0 = null, true_kind (N,) in 1..K -> accuracy and relative gain vs null."""
    guess = losses[:, 1:].argmin(dim=1) + 1
    true_loss = losses[torch.arange(len(true_kind)), true_kind]
    return {"accuracy": float((guess == true_kind).float().mean()),
            "chance": 1.0 / (losses.shape[1] - 1),
            "gain_vs_null": float((losses[:, 0] - true_loss).mean() / losses[:, 0].mean())}


def main(argv: Sequence[str] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", required=True, help="a kind_label_oracle train_dit run (its newest EMA) or step dir")
    p.add_argument("--stills", required=True, help="a frame_eval ground-truth folder")
    p.add_argument("--text-cache", default="runs/text_cache_eval.safetensors")
    p.add_argument("--t", type=float, nargs="+", default=[0.3, 0.5, 0.7])
    p.add_argument("--out", default="")
    a = p.parse_args(argv)
    model, codec, meta = load_run(a.run)
    ids = [i for i, _ in clips(a.stills)]
    frames = torch.tensor(read_frames(a.stills, ids)).permute(0, 3, 1, 2).float() / 255.0     # (N, 3, H, W)
    x0 = codec.encode(frames)[:, None]                                                      # (N, 1, C, h, w)
    encoder = make_text_encoder("auto", a.text_cache, None, None, None, model.cfg.l_txt)
    prompts, labels = shot_conditions(a.stills, model.cfg)
    text = encoder.encode(prompts)[:, None]
    report = {"run": a.run, "step": meta["step"], "stills": len(ids), "t": {}}
    for t in a.t:
        s = summarize(label_losses(model, x0, text, labels, t), labels[:, 0, KIND])
        report["t"][str(t)] = s
        print(f"t={t}: kind accuracy {100 * s['accuracy']:.1f} % (chance {100 * s['chance']:.1f}); "
              f"the true kind lowers the loss by {100 * s['gain_vs_null']:.3f} % against the null label")
    if a.out:
        with open(a.out, "w") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
