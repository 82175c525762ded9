"""Error recycling (Stable Video Infinity): a replay bank of the model's own one-step prediction errors.

Collection (no grad, from the training forward's own prediction v_hat on target frames at time t):
    x0_hat  = x_t - t * v_hat          err_x0  = x0_hat  - (x_t - t * v)        = -t * (v_hat - v)
    eps_hat = x_t + (1 - t) * v_hat    err_eps = eps_hat - (x_t + (1 - t) * v)  = (1 - t) * (v_hat - v)
i.e. residuals against the same formulas with the true velocity v. Errors are stored per latent frame
(C, H, W) in ring buffers per timestep bucket (bucket = floor(t * n_buckets)).

Injection (training, stage 2), with probabilities from InjectionConfig:
    with p_none nothing is injected for that sample; otherwise independently
    context latents  x0_ctx + err_x0 from a random filled bucket        (p_context)
    target latent    x0 + err_x0 from the target's own t bucket         (p_latent)
    noise            eps + err_eps from the target's own t bucket       (p_noise)
The regression target stays eps_tilde - x0 with the CLEAN x0.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Dict, Optional, Tuple

import torch


@dataclass
class InjectionConfig:
    n_buckets: int = 50          # timestep buckets
    per_bucket: int = 16         # frames kept per bucket and kind (ring buffer; M: 16 keeps the checkpoint in budget)
    p_none: float = 0.2          # probability that a sample gets no injection at all
    p_context: float = 0.9       # inject into conditioning (context) latents
    p_latent: float = 0.9        # inject into the target's clean latent
    p_noise: float = 0.01        # inject into the target's noise
    collect_frames: int = 4      # frames banked per training step (random target frames)

    def to_dict(self) -> dict:
        return asdict(self)


class ErrorBank:
    KINDS = ("x0", "eps")

    def __init__(self, cfg: InjectionConfig, frame_shape: Tuple[int, int, int]):
        self.cfg = cfg
        self.frame_shape = tuple(frame_shape)
        n, k = cfg.n_buckets, cfg.per_bucket
        self.data = {kind: torch.zeros(n, k, *frame_shape) for kind in self.KINDS}   # (n_buckets, per_bucket, C, H, W)
        self.count = torch.zeros(n, dtype=torch.long)     # filled entries per bucket (<= per_bucket)
        self.cursor = torch.zeros(n, dtype=torch.long)    # next write position per bucket

    def bucket(self, t: float) -> int:
        return min(int(t * self.cfg.n_buckets), self.cfg.n_buckets - 1)

    @torch.no_grad()
    def collect(self, v_hat: torch.Tensor, v: torch.Tensor, t_frames: torch.Tensor, generator: torch.Generator) -> None:
        """v_hat, v (M, C, H, W) target frames; t_frames (M,) their timesteps. Banks `collect_frames` random ones."""
        M = v_hat.shape[0]
        if M == 0:
            return
        pick = torch.randperm(M, generator=generator)[: self.cfg.collect_frames]
        delta = (v_hat[pick] - v[pick]).float().cpu()                                # (k, C, H, W)
        ts = t_frames[pick].float().cpu()
        for d, t in zip(delta, ts.tolist()):
            b = self.bucket(t)
            pos = int(self.cursor[b])
            self.data["x0"][b, pos] = -t * d
            self.data["eps"][b, pos] = (1 - t) * d
            self.cursor[b] = (pos + 1) % self.cfg.per_bucket
            self.count[b] = min(int(self.count[b]) + 1, self.cfg.per_bucket)

    def filled(self) -> bool:
        return bool(self.count.sum() > 0)

    def draw(self, kind: str, t: Optional[float], generator: torch.Generator) -> Optional[torch.Tensor]:
        """One banked frame error (C, H, W): from t's bucket (nearest filled one) or, t=None, any filled bucket."""
        filled = torch.nonzero(self.count > 0, as_tuple=True)[0]
        if filled.numel() == 0:
            return None
        if t is None:
            b = int(filled[torch.randint(filled.numel(), (1,), generator=generator)])
        else:
            want = self.bucket(t)
            b = int(filled[(filled - want).abs().argmin()])
        i = int(torch.randint(int(self.count[b]), (1,), generator=generator))
        return self.data[kind][b, i]

    def draw_frames(self, kind: str, t: Optional[float], n: int, generator: torch.Generator, device) -> torch.Tensor:
        """(n, C, H, W) errors (zeros if the bank is empty)."""
        out = torch.zeros(n, *self.frame_shape)
        for i in range(n):
            e = self.draw(kind, t, generator)
            if e is not None:
                out[i] = e
        return out.to(device)

    # --- checkpointing -------------------------------------------------------------------------------
    def state_tensors(self) -> Dict[str, torch.Tensor]:
        return {"error_bank.x0": self.data["x0"], "error_bank.eps": self.data["eps"],
                "error_bank.count": self.count, "error_bank.cursor": self.cursor}

    def load_state_tensors(self, tensors: Dict[str, torch.Tensor]) -> None:
        self.data["x0"] = tensors["error_bank.x0"].float().clone()
        self.data["eps"] = tensors["error_bank.eps"].float().clone()
        self.count = tensors["error_bank.count"].long().clone()
        self.cursor = tensors["error_bank.cursor"].long().clone()

    def nbytes(self) -> int:
        return sum(t.numel() * t.element_size() for t in self.state_tensors().values())
