"""Shared training utilities: device/precision, LR schedule, EMA, logging, stop signals, previews."""
from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import sys
import time
from typing import Dict

import numpy as np
import torch

LOG_FILE = "train_log.jsonl"


def pick_device(name: str = "auto") -> torch.device:
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    dev = torch.device(name)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    return dev


def autocast(device: torch.device):
    """bf16 autocast on CUDA only; fp32 everywhere else."""
    if device.type == "cuda":
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


LR_SCHEDULES = ("constant", "cosine", "linear")


def lr_at(step: int, base_lr: float, warmup: int, total: int, schedule: str, min_ratio: float = 0.1) -> float:
    """Linear warmup over `warmup` steps, then constant, or a cosine or linear decay to min_ratio * base_lr at
    `total`. "linear" is the decay phase of a warmup-stable-decay run: a run `--init` from a constant-LR run
    anneals its weights without starting over."""
    assert schedule in LR_SCHEDULES, f"unknown LR schedule {schedule!r}"
    if warmup > 0 and step < warmup:
        return base_lr * (step + 1) / warmup
    if schedule == "constant":
        return base_lr
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    remaining = 1 - progress if schedule == "linear" else 0.5 * (1 + math.cos(math.pi * progress))
    return base_lr * (min_ratio + (1 - min_ratio) * remaining)


class EMA:
    """Exponential moving average of parameters (and buffers copied as-is)."""

    def __init__(self, model: torch.nn.Module, decay: float):
        self.decay = decay
        self.shadow: Dict[str, torch.Tensor] = {k: v.detach().clone().float() for k, v in model.state_dict().items()}

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                self.shadow[k].mul_(self.decay).add_(v.detach().float(), alpha=1 - self.decay)
            else:
                self.shadow[k].copy_(v)

    def copy_to(self, model: torch.nn.Module) -> None:
        model.load_state_dict({k: v.to(model.state_dict()[k].dtype) for k, v in self.shadow.items()})


class JsonlLogger:
    """Writes one JSON object per line to out_dir/train_log.jsonl and a readable line to stdout."""

    def __init__(self, out_dir: str, total_steps: int, start_step: int):
        os.makedirs(out_dir, exist_ok=True)
        self.f = open(os.path.join(out_dir, LOG_FILE), "a")
        self.total, self.t0, self.s0 = total_steps, time.time(), start_step

    def log(self, step: int, **fields) -> None:
        elapsed = time.time() - self.t0
        done = step - self.s0
        sps = done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - step) / sps if sps > 0 else float("nan")
        rec = {"step": step, "steps_per_s": round(sps, 4), "eta_s": None if math.isnan(eta) else round(eta, 1),
               "time": round(time.time(), 3), **fields}
        self.f.write(json.dumps(rec) + "\n")
        self.f.flush()
        body = " ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in fields.items())
        eta_txt = "?" if math.isnan(eta) else time.strftime("%H:%M:%S", time.gmtime(eta))
        print(f"step {step}/{self.total} {body} | {sps:.3f} steps/s ETA {eta_txt}", flush=True)

    def close(self) -> None:
        self.f.close()


class StopFlag:
    """Set by SIGTERM / SIGINT; the training loop checkpoints and exits after the current step."""

    def __init__(self):
        self.stop = False
        self._old = {}

    def install(self) -> "StopFlag":
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._old[sig] = signal.signal(sig, self._handler)
        return self

    def _handler(self, signum, frame):
        print(f"received signal {signum}: checkpointing after this step", file=sys.stderr, flush=True)
        self.stop = True

    def uninstall(self) -> None:
        for sig, h in self._old.items():
            signal.signal(sig, h)


def save_contact_sheet(frames: torch.Tensor, path: str) -> None:
    """frames (rows, cols, 3, H, W) in [0, 1] -> one PNG grid (needs Pillow)."""
    from PIL import Image
    rows, cols, _, H, W = frames.shape
    grid = frames.clamp(0, 1).permute(0, 3, 1, 4, 2).reshape(rows * H, cols * W, 3)   # (rows*H, cols*W, 3)
    Image.fromarray((grid.cpu().numpy() * 255 + 0.5).astype(np.uint8)).save(path)
