"""Train the frame VAE on rendered storyworld frames.

    cd training && python3 -m storydit.train_vae --preset S --out runs/vae-S --steps 20000

Writes checkpoints to <out>/checkpoints (resumed automatically), a JSONL log, and at the end the frozen
artifact <out>/vae/{vae_config.json, vae.safetensors} with the measured latent scaling/shift factors and
held-out PSNR (vae_config.json also records them under "eval").
"""
from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict, dataclass
from typing import Optional

import torch

from . import checkpoint as ckpt
from . import safetensors_io
from .data import SceneBatcher, load_storyworld
from .train_common import LR_SCHEDULES, JsonlLogger, StopFlag, lr_at, pick_device, save_contact_sheet
from .vae import FrameVAE, VAEConfig, measure_latent_stats, psnr, vae_config, vae_loss, warm_start_state

VAE_ARTIFACT_DIR = "vae"
VAE_WEIGHTS = "vae.safetensors"
VAE_CONFIG = "vae_config.json"
HELDOUT_SEED_OFFSET = 1000      # held-out scenes use run seed + this (scene seeds never overlap training ones)
STATS_CURSOR = 10_000_000       # batch cursors from here on feed the latent statistics (never used by training)


@dataclass
class VAETrainConfig:
    preset: str = "S"               # VAE preset (tiny | S | M)
    latent_channels: int = 4        # C: latent channels (more = sharper reconstructions, larger DiT input)
    init_from: str = ""             # finalized VAE dir to warm-start from (same preset, C may grow)
    out_dir: str = "runs/vae-S"     # run directory
    steps: int = 20000              # total optimizer steps
    batch_frames: int = 32          # frames per optimizer step
    scenes_per_batch: int = 4       # scenes rendered per step (frames are drawn from them)
    frames_per_shot: int = 8        # frames per rendered shot
    max_shots: int = 2              # shots per rendered scene
    lr: float = 2e-4                # peak learning rate (AdamW)
    warmup: int = 200               # linear warmup steps
    schedule: str = "cosine"        # cosine | constant
    weight_decay: float = 0.0
    grad_clip: float = 1.0
    ckpt_every: int = 500           # checkpoint period in steps (also on SIGTERM / SIGINT and at the end)
    log_every: int = 20
    eval_every: int = 1000          # held-out PSNR period
    eval_frames: int = 64           # held-out frames for PSNR
    stats_frames: int = 512         # training frames for the latent scaling factor
    preview_every: int = 0          # 0 = no PNG previews
    seed: int = 0
    device: str = "auto"


class VAETrainer:
    def __init__(self, cfg: VAETrainConfig, world=None):
        self.cfg = cfg
        self.device = pick_device(cfg.device)
        torch.manual_seed(cfg.seed)
        self.world = world if world is not None else load_storyworld()
        self.vae_cfg = vae_config(cfg.preset, latent_channels=cfg.latent_channels)
        self.vae = FrameVAE(self.vae_cfg).to(self.device)
        if cfg.init_from:
            init = load_vae(cfg.init_from)
            self.vae.load_state_dict(warm_start_state(init.state_dict(), init.cfg.latent_channels, self.vae))
        self.opt = torch.optim.AdamW(self.vae.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        self.batcher = SceneBatcher(self.world, cfg.scenes_per_batch, self.vae_cfg.image_size, cfg.frames_per_shot,
                                    cfg.max_shots, seed=cfg.seed, device=self.device)
        self.step = 0
        self.ckpt_dir = os.path.join(cfg.out_dir, "checkpoints")

    # --- checkpoint ---------------------------------------------------------------------------------
    def state(self):
        tensors = {f"model.{k}": v for k, v in self.vae.state_dict().items()}
        t_opt, m_opt = ckpt.optimizer_state(self.opt)
        t_rng, m_rng = ckpt.rng_state()
        meta = {"kind": "vae", "train_config": asdict(self.cfg), "vae_config": self.vae_cfg.to_dict(),
                "data_cursor": self.step, **m_opt, **m_rng}
        return {**tensors, **t_opt, **t_rng}, meta

    def save(self) -> str:
        tensors, meta = self.state()
        return ckpt.save_checkpoint(self.ckpt_dir, self.step, tensors, meta)

    def try_resume(self) -> bool:
        found = ckpt.load_latest(self.ckpt_dir)
        if found is None:
            return False
        tensors, meta, path = found
        self.vae.load_state_dict({k[len("model."):]: v.to(self.device) for k, v in tensors.items() if k.startswith("model.")})
        ckpt.load_optimizer_state(self.opt, {k: v for k, v in tensors.items() if k.startswith("optim.")}, meta)
        ckpt.set_rng_state(tensors, meta)
        self.step = meta["step"]
        print(f"resumed VAE training from {path} at step {self.step}")
        return True

    # --- training -----------------------------------------------------------------------------------
    def frames(self, cursor: int, split_batcher: Optional[SceneBatcher] = None) -> torch.Tensor:
        b = (split_batcher or self.batcher).batch(cursor)
        fr = b.video.reshape(-1, *b.video.shape[-3:])                                # (B*S*F, 3, H, W)
        idx = torch.randperm(fr.shape[0])[: self.cfg.batch_frames]
        return fr[idx.to(fr.device)].to(self.device)

    def train_step(self) -> dict:
        lr = lr_at(self.step, self.cfg.lr, self.cfg.warmup, self.cfg.steps, self.cfg.schedule)
        for g in self.opt.param_groups:
            g["lr"] = lr
        x = self.frames(self.step)
        loss, parts = vae_loss(self.vae, x)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        gnorm = torch.nn.utils.clip_grad_norm_(self.vae.parameters(), self.cfg.grad_clip)
        self.opt.step()
        self.step += 1
        return {"loss": float(loss), "lr": lr, "grad_norm": float(gnorm), **parts}

    @torch.no_grad()
    def heldout_frames(self, n: int) -> torch.Tensor:
        held = SceneBatcher(self.world, self.cfg.scenes_per_batch, self.vae_cfg.image_size, self.cfg.frames_per_shot,
                            self.cfg.max_shots, split="heldout", seed=self.cfg.seed + HELDOUT_SEED_OFFSET, device=self.device)
        out, cursor = [], 0
        while sum(o.shape[0] for o in out) < n:
            out.append(held.batch(cursor).video.reshape(-1, 3, self.vae_cfg.image_size, self.vae_cfg.image_size))
            cursor += 1
        return torch.cat(out)[:n].to(self.device)

    @torch.no_grad()
    def evaluate(self) -> float:
        self.vae.eval()
        x = self.heldout_frames(self.cfg.eval_frames)
        mean, _ = self.vae.encode_moments(x)
        value = psnr(self.vae.decode_raw(mean), x)
        self.vae.train()
        return value

    def run(self) -> None:
        self.try_resume()
        log = JsonlLogger(self.cfg.out_dir, self.cfg.steps, self.step)
        log.log(self.step, event="start", device=str(self.device), torch=torch.__version__)  # read by model_card.py
        stop = StopFlag().install()
        try:
            while self.step < self.cfg.steps and not stop.stop:
                info = self.train_step()
                if self.step % self.cfg.log_every == 0:
                    log.log(self.step, **info)
                if self.cfg.eval_every and self.step % self.cfg.eval_every == 0:
                    log.log(self.step, heldout_psnr=self.evaluate())
                if self.cfg.preview_every and self.step % self.cfg.preview_every == 0:
                    self.preview()
                if self.step % self.cfg.ckpt_every == 0:
                    self.save()
            self.save()
            if self.step >= self.cfg.steps:
                self.finalize()
        finally:
            stop.uninstall()
            log.close()

    @torch.no_grad()
    def preview(self) -> None:
        self.vae.eval()
        x = self.heldout_frames(8)
        rec = self.vae.decode_raw(self.vae.encode_moments(x)[0]).clamp(0, 1)
        os.makedirs(os.path.join(self.cfg.out_dir, "previews"), exist_ok=True)
        save_contact_sheet(torch.stack([x, rec]), os.path.join(self.cfg.out_dir, "previews", f"vae-{self.step:08d}.png"))
        self.vae.train()

    @torch.no_grad()
    def finalize(self) -> str:
        """Measure latent statistics, evaluate, write <out>/vae/{vae_config.json, vae.safetensors}."""
        self.vae.eval()
        frames, cursor = [], STATS_CURSOR
        while sum(f.shape[0] for f in frames) < self.cfg.stats_frames:
            b = self.batcher.batch(cursor)
            frames.append(b.video.reshape(-1, *b.video.shape[-3:]).to(self.device))
            cursor += 1
        shift, scale = measure_latent_stats(self.vae, torch.cat(frames)[: self.cfg.stats_frames])
        self.vae.cfg.shift_factor, self.vae.cfg.scaling_factor = shift, scale
        value = self.evaluate()
        return save_vae(self.vae, os.path.join(self.cfg.out_dir, VAE_ARTIFACT_DIR),
                        {"heldout_psnr_db": value, "steps": self.step, "stats_frames": self.cfg.stats_frames})


def save_vae(vae: FrameVAE, out_dir: str, eval_info: Optional[dict] = None) -> str:
    os.makedirs(out_dir, exist_ok=True)
    safetensors_io.save_file({k: v.detach().float().cpu() for k, v in vae.state_dict().items()},
                             os.path.join(out_dir, VAE_WEIGHTS), {"format": "storydit-vae/1"})
    d = vae.cfg.to_dict()
    if eval_info:
        d["eval"] = eval_info
    with open(os.path.join(out_dir, VAE_CONFIG), "w") as f:
        json.dump(d, f, indent=2)
    print(f"wrote VAE to {out_dir}: shift={vae.cfg.shift_factor:.4f} scale={vae.cfg.scaling_factor:.4f} {eval_info or ''}")
    return out_dir


def load_vae(vae_dir: str, device="cpu") -> FrameVAE:
    """Load a finalized VAE directory (vae_config.json + vae.safetensors)."""
    cfg_path = os.path.join(vae_dir, VAE_CONFIG)
    assert os.path.exists(cfg_path), f"{cfg_path} not found: train the VAE first (python3 -m storydit.train_vae)"
    vae = FrameVAE(VAEConfig.load_json(cfg_path))
    vae.load_state_dict(safetensors_io.load_file(os.path.join(vae_dir, VAE_WEIGHTS)))
    return vae.to(device).eval().requires_grad_(False)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description="Train the StoryDiT frame VAE on storyworld frames.")
    d = VAETrainConfig()
    p.add_argument("--preset", default=d.preset, choices=["tiny", "S", "M"])
    p.add_argument("--out", default=None, help="run directory (default runs/vae-<preset>)")
    p.add_argument("--init", dest="init_from", default="", help="finalized VAE dir to warm-start from")
    for name in ("latent_channels", "steps", "batch_frames", "scenes_per_batch", "frames_per_shot", "max_shots", "warmup",
                 "ckpt_every", "log_every", "eval_every", "eval_frames", "stats_frames", "preview_every", "seed"):
        p.add_argument("--" + name.replace("_", "-"), type=int, default=getattr(d, name))
    for name in ("lr", "weight_decay", "grad_clip"):
        p.add_argument("--" + name.replace("_", "-"), type=float, default=getattr(d, name))
    p.add_argument("--schedule", default=d.schedule, choices=list(LR_SCHEDULES))
    p.add_argument("--device", default=d.device)
    p.add_argument("--finalize-only", action="store_true", help="resume the latest checkpoint and write the VAE artifact")
    a = p.parse_args(argv)
    cfg = VAETrainConfig(**{k: getattr(a, k) for k in asdict(d) if k not in ("out_dir",) and hasattr(a, k)},
                         out_dir=a.out or f"runs/vae-{a.preset}")
    tr = VAETrainer(cfg)
    if a.finalize_only:
        assert tr.try_resume(), f"no checkpoint under {tr.ckpt_dir}"
        tr.finalize()
    else:
        tr.run()


if __name__ == "__main__":
    main()
