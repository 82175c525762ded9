"""Auxiliary actor-mask head (training only, never exported).

The kind oracle (training/README.md, session 12) showed that knowing the actor's kind lowers this model's
denoising loss by only ~0.1 %: the pixel loss barely pays for the actor's shape, so shape is learned slowly. This
head reads the transformer's last hidden video tokens (the input of the final layer) and predicts the actor's
coverage mask (the renderer's alpha, at the model's resolution) with a binary cross-entropy: a loss that is all
about the actor's silhouette. Its gradient reaches the shared transformer; the head itself is dropped at export.

    tokens (B, Nv, d) --Linear--> (B, Nv, pt*ph*pw) --unpatchify--> logits (B, F, 1, H, W)
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from .model import StoryDiTConfig


class ActorMaskHead(nn.Module):
    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        self.cfg = cfg
        self.proj = nn.Linear(cfg.d_model, cfg.patch_t * cfg.patch_h * cfg.patch_w)

    def forward(self, tokens: torch.Tensor, n_frames: int) -> torch.Tensor:
        """tokens (B, Nv, d) in the model's video-token order -> mask logits (B, F, 1, H, W)."""
        c = self.cfg
        B = tokens.shape[0]
        Hp, Wp = c.grid_hw
        x = self.proj(tokens).reshape(B, n_frames // c.patch_t, Hp, Wp, c.patch_t, c.patch_h, c.patch_w)
        x = x.permute(0, 1, 4, 2, 5, 3, 6)                                   # (B, Ft, pt, Hp, ph, Wp, pw)
        return x.reshape(B, n_frames, 1, Hp * c.patch_h, Wp * c.patch_w)


def mask_loss(logits: torch.Tensor, coverage: torch.Tensor, frame_weight: torch.Tensor) -> torch.Tensor:
    """Mean BCE of logits (B, F, 1, H, W) against coverage in [0, 1] (same shape), per frame weighted by
    frame_weight (B, F, 1, 1, 1) (0 = a frame without loss, e.g. context)."""
    bce = F.binary_cross_entropy_with_logits(logits.float(), coverage, reduction="none")
    w = frame_weight.expand_as(bce)
    return (bce * w).sum() / w.sum().clamp(min=1e-8)
