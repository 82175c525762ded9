"""Blurred-actor inputs: teach the caption to decide the actor's shape.

Why (training/README.md, "Findings (session 16)"): judged as stills, the denoiser's one-step estimate keeps the
kind it is shown (kind contrast 0.12 at t = 0.1, 0.06 at t = 0.5) but a sample from noise ends near 0.01. In
training, x_t is always made from the true frame, so at every t where the shape is visible the input already
holds it, and where it is not (high t) the best estimate is a blur anyway: the loss never asks the caption for
the shape. A sampler's trajectory, though, reaches mid t holding a blob of the asked colour, and nothing the
model learned turns a blob into a star.

The input is the fix: on a share of frames at t >= t_min, x_t is made from the frame with its actor blurred
(a Gaussian of `sigma` pixels over the actor and its halo), while the target stays the sharp frame. The model
then learns to draw the silhouette the caption names over a blob of the right colour, size and place: blurring
and noise together, as in blurring diffusion (Hoogeboom & Salimans 2022), but only where the caption is needed.

    blur_actor(x, cover, sigma)   x (N, C, H, W) pixels, cover (N, 1, H, W) actor alpha -> x with a blurred actor
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

HALO = 3.0     # the blend mask is the actor's alpha blurred by the same sigma, times this, clamped to 1: it covers
               # the halo the blur spreads the actor's colour into


def gaussian_kernel(sigma: float) -> torch.Tensor:
    """Normalised 1D Gaussian, radius ceil(3 sigma)."""
    radius = max(1, math.ceil(3.0 * sigma))
    x = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-0.5 * (x / sigma) ** 2)
    return k / k.sum()


def gaussian_blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian blur of (N, C, H, W), replicate padding (a flat frame stays flat)."""
    k = gaussian_kernel(sigma).to(x)
    r, C = k.numel() // 2, x.shape[1]
    x = F.conv2d(F.pad(x, (r, r, 0, 0), mode="replicate"), k.view(1, 1, 1, -1).repeat(C, 1, 1, 1), groups=C)
    return F.conv2d(F.pad(x, (0, 0, r, r), mode="replicate"), k.view(1, 1, -1, 1).repeat(C, 1, 1, 1), groups=C)


def blur_actor(x: torch.Tensor, cover: torch.Tensor, sigma: float) -> torch.Tensor:
    """x (N, C, H, W), cover (N, 1, H, W) in [0, 1] -> x with the actor and its halo replaced by x blurred."""
    mask = (gaussian_blur(cover, sigma) * HALO).clamp(0.0, 1.0)
    return x + mask * (gaussian_blur(x, sigma) - x)


def blurred_inputs(x0: torch.Tensor, cover: torch.Tensor, t_frames: torch.Tensor, p: float, t_min: float,
                   sigma: float) -> torch.Tensor:
    """x0 (B, F, C, H, W), cover (B, F, 1, H, W), t_frames (B, F, 1, 1, 1) -> the source of x_t: each frame with
    t >= t_min is blurred with probability p (drawn on the CPU generator, so a run resumes exactly)."""
    B, Fr = x0.shape[:2]
    pick = (torch.rand(B, Fr) < p).to(x0.device) & (t_frames.reshape(B, Fr) >= t_min)
    if not bool(pick.any()):
        return x0
    blurred = blur_actor(x0.reshape(B * Fr, *x0.shape[2:]), cover.reshape(B * Fr, *cover.shape[2:]), sigma)
    return torch.where(pick[:, :, None, None, None], blurred.reshape(x0.shape), x0)
