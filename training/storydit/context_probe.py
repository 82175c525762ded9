"""Does a stage-2 model use its context? One streaming step (chunk j >= 1 of the last shot, the editor's
continuation), judged by the one-step clean-frame estimate of the target chunk:

    true      the context is the scene's own earlier chunks and shots (re-noised to t_c, as the engine caches)
    foreign   the same target, its context taken from another scene of the batch (rolled by one row)

A model that continues its context predicts the target better from the true context, most of all at high t,
where the target's own input says little. Reported per target t:

    mse_true / mse_foreign    the estimate's error against the clean target chunk
    mse_copy_last             the error of copying the last context frame into every target frame: a model that
                              continues its context does at least this well at high t
    gain                      1 - mse_true / mse_foreign (0 = the context is ignored)
    seam_true / seam_gt       mean |x̂ first frame - last context frame| in grey levels, against the ground truth's
                              own step there (a continuing model's seam is near the ground truth's)

    python3 -m storydit.context_probe --run RUN_OR_EXPORT --batches 8 [--noise-correlation 0.7] TRAINING_FLAGS

TRAINING_FLAGS are the run's train_dit architecture flags (--vae pixel --patch 16 --prediction x ...).

Deterministic: the scenes, noise and t_c come from --seed.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import Dict, List, Optional

import torch

from . import checkpoint as ckpt
from . import flow
from .train_dit import DiTTrainer, chunk_step_layout, parse_config


def probe_trainer(run: str, train_args: List[str], text_cache: str, batch_size: int, seed: int) -> DiTTrainer:
    """A trainer with the run's architecture (its training flags) and weights (its newest checkpoint's EMA, or an
    exported model folder), drawing stage-2 scenes."""
    cfg = replace(parse_config(train_args), stage=2, init_from=run, out_dir="/nonexistent-context-probe",
                  text_cache=text_cache, batch_size=batch_size, seed=seed, error_recycling=False, data_workers=0)
    return DiTTrainer(cfg)


def foreign_context(x0: torch.Tensor, target: slice) -> torch.Tensor:
    """(B, F, C, H, W) -> the same targets with every other frame taken from the previous row (rolled by one)."""
    out = x0.roll(1, dims=0)
    out[:, target] = x0[:, target]
    return out


def target_estimate(model, clean: torch.Tensor, eps: torch.Tensor, text: torch.Tensor, layout, t_seg: torch.Tensor,
                    labels: Optional[torch.Tensor]) -> torch.Tensor:
    """One-step clean estimate x̂ of the layout's last segment, everything noised from `clean` at t_seg."""
    slices = layout.frame_slices()
    t_frames = flow.frames_t(t_seg, slices, clean.shape[1])
    x_t = flow.add_noise(clean, eps, t_frames)
    v = model(x_t, text, t_seg, layout, "chunk_causal", shot_labels=labels)
    return flow.clean_estimate(x_t, v, t_frames)[:, slices[-1]]


def step_times(layout, batch: int, t: float, t_context: float) -> torch.Tensor:
    """(B, G): the target (last segment) at t, context at t_c, the global caption clean (as the engine caches)."""
    t_seg = torch.full((batch, len(layout.segments)), t_context)
    t_seg[:, -1] = t
    for g, s in enumerate(layout.segments):
        if s.shot < 0:
            t_seg[:, g] = 0.0
    return t_seg


def row_mse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return ((a - b) ** 2).mean(dim=tuple(range(1, a.dim())))


def grey(diff: torch.Tensor) -> torch.Tensor:
    """Mean absolute difference per row in grey levels (frames in [-1, 1] -> 0..255)."""
    return diff.abs().mean(dim=tuple(range(1, diff.dim()))) * 127.5


@torch.no_grad()
def probe(tr: DiTTrainer, batches: int, ts: List[float], t_context: float, correlation: float,
          seed: int) -> Dict[str, dict]:
    """Chunk j = 1 .. n-1 of the last shot in turn, one batch each; sums per target t (see the module doc)."""
    model, cf, Fr = tr.model.eval(), tr.dit_cfg.chunk_frames, tr.cfg.frames_per_shot
    gen = torch.Generator().manual_seed(seed)
    keys = ("se_true", "se_foreign", "se_copy", "seam_true", "seam_gt")
    sums = {t: dict.fromkeys(keys + ("n",), 0.0) for t in ts}
    for i in range(batches):
        b = tr.batcher.batch(i)
        x0_all, text = tr.encode_batch(b)
        B = x0_all.shape[0]
        if B < 2:
            raise SystemExit("the probe needs a batch of at least 2 scenes (the foreign context is another row)")
        j = 1 + i % (Fr // cf - 1)
        layout, keep = chunk_step_layout(model.layout_for([Fr] * b.n_shots, b.has_global), j, cf)
        x0, tgt = x0_all[:, :keep], layout.frame_slices()[-1]
        labels = tr.shot_labels(b, layout, torch.ones(text.shape[:2]))
        eps = torch.randn(x0.shape, generator=gen)
        shared = torch.randn((B, 1) + x0.shape[2:], generator=gen)
        eps[:, tgt] = flow.shot_noise(eps[:, tgt], shared, correlation)
        truth, last = x0[:, tgt], x0[:, tgt.start - 1:tgt.start]
        for t in ts:
            t_seg = step_times(layout, B, t, t_context)
            x_true = target_estimate(model, x0, eps, text, layout, t_seg, labels)
            x_foreign = target_estimate(model, foreign_context(x0, tgt), eps, text, layout, t_seg, labels)
            acc = sums[t]
            acc["se_true"] += float(row_mse(x_true, truth).sum())
            acc["se_foreign"] += float(row_mse(x_foreign, truth).sum())
            acc["se_copy"] += float(row_mse(last.expand_as(truth), truth).sum())
            acc["seam_true"] += float(grey(x_true[:, 0] - last[:, 0]).sum())
            acc["seam_gt"] += float(grey(truth[:, 0] - last[:, 0]).sum())
            acc["n"] += B
    return {f"{t:g}": summarize(s) for t, s in sums.items()}


def summarize(s: dict) -> dict:
    n = s["n"]
    return {"mse_true": s["se_true"] / n, "mse_foreign": s["se_foreign"] / n, "mse_copy_last": s["se_copy"] / n,
            "gain": 1 - s["se_true"] / max(s["se_foreign"], 1e-12),
            "seam_true": s["seam_true"] / n, "seam_gt": s["seam_gt"] / n, "targets": int(n)}


def load_raw_weights(tr: DiTTrainer, run: str) -> None:
    """The newest checkpoint's (or a step folder's) training weights into the trainer's model."""
    found = ckpt.load_run(run)
    if found is None:
        raise SystemExit(f"--raw needs a training checkpoint under {run}")
    tensors, meta, where = found
    tr.model.load_state_dict({k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")})
    print(f"raw training weights of {where} (step {meta['step']})")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description="Does a stage-2 model use its context? (true vs foreign context)")
    p.add_argument("--run", required=True, help="run dir or exported model dir")
    p.add_argument("--batches", type=int, default=8)
    p.add_argument("--batch-size", type=int, default=6)
    p.add_argument("--t", type=float, nargs="+", default=[0.3, 0.6, 0.9])
    p.add_argument("--t-context", type=float, default=0.2)
    p.add_argument("--noise-correlation", type=float, default=0.0)
    p.add_argument("--text-cache", default="runs/text_cache_probe.safetensors")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--raw", action="store_true",
                   help="a checkpoint's training weights instead of its EMA (early in a run the EMA is mostly its init)")
    a, train_args = p.parse_known_args(argv)
    tr = probe_trainer(a.run, train_args, a.text_cache, a.batch_size, a.seed)
    if a.raw:
        load_raw_weights(tr, a.run)
    print(json.dumps(probe(tr, a.batches, a.t, a.t_context, a.noise_correlation, a.seed), indent=1))


if __name__ == "__main__":
    main()
