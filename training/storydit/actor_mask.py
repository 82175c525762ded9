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


class ActorKindHead(nn.Module):
    """Auxiliary kind-segmentation head (training only, never exported; session 13).

    Reads the video tokens after a middle block (REPA's lesson: a representation target on an early layer
    speeds a DiT's training) and classifies every pixel of its patch as background or one of the actor kinds.
    The actor mask head above asked only *where* the actor is; this one asks *what* it is, at the place it is.
    At high t the noisy frame holds no kind, so the head can only be right by reading the caption: the loss
    routes text to a spatial kind map before the last blocks draw. The projection starts at zero, so the
    warm-started body feels no gradient from a random head: the head learns first, then the body follows.

    tokens (B, Nv, d) --Linear--> (B, Nv, pt*ph*pw*(K+1)) --unpatchify--> logits (B, F, K+1, H, W)
    """

    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        self.cfg = cfg
        self.n_classes = len(cfg.kinds) + 1                                   # 0 = background
        self.proj = nn.Linear(cfg.d_model, cfg.patch_t * cfg.patch_h * cfg.patch_w * self.n_classes)
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)

    def forward(self, tokens: torch.Tensor, n_frames: int) -> torch.Tensor:
        """tokens (B, Nv, d) in the model's video-token order -> class logits (B, F, K+1, H, W)."""
        c, K1 = self.cfg, self.n_classes
        B = tokens.shape[0]
        Hp, Wp = c.grid_hw
        x = self.proj(tokens).reshape(B, n_frames // c.patch_t, Hp, Wp, c.patch_t, c.patch_h, c.patch_w, K1)
        x = x.permute(0, 1, 4, 7, 2, 5, 3, 6)                             # (B, Ft, pt, K1, Hp, ph, Wp, pw)
        return x.reshape(B, n_frames, K1, Hp * c.patch_h, Wp * c.patch_w)


def kind_targets(coverage: torch.Tensor, kind_index: torch.Tensor) -> torch.Tensor:
    """coverage (B, F, 1, H, W) in [0, 1] and kind_index (B,) in 1..K -> class map (B, F, H, W): the row's kind
    where the actor covers at least half the pixel, else 0 (background)."""
    return (coverage[:, :, 0] >= 0.5).long() * kind_index.long().view(-1, 1, 1, 1)


def kind_loss(logits: torch.Tensor, classes: torch.Tensor, frame_weight: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of logits (B, F, K+1, H, W) against classes (B, F, H, W), per frame weighted by
    frame_weight (B, F, 1, 1, 1)."""
    B, Fr, K1, H, W = logits.shape
    ce = F.cross_entropy(logits.float().reshape(B * Fr, K1, H, W), classes.reshape(B * Fr, H, W).long(),
                         reduction="none").reshape(B, Fr, H, W)
    w = frame_weight[:, :, 0].expand_as(ce)
    return (ce * w).sum() / w.sum().clamp(min=1e-8)
