"""Frame VAE: a 2D convolutional autoencoder applied per frame, x8 spatial downsampling.

Decisions (the Java port must match):
  * Input mapping: pixels in [0, 1] -> x = 2 * p - 1 in [-1, 1].
  * Output mapping: image = clamp((y + 1) / 2, 0, 1) where y is the decoder output (training uses the
    unclamped value in the loss).
  * KL-regularised: the encoder emits 2*C channels = [mean | logvar]; training samples
    z = mean + exp(logvar / 2) * eps with a tiny KL weight (1e-6); inference uses z = mean only
    (the Java encoder reads the first C channels and ignores logvar).
  * DiT latents are normalised: z_dit = (mean - shift_factor) * scaling_factor, and decoded with
    decoder(z_dit / scaling_factor + shift_factor). Both factors are measured after VAE training
    (measure_latent_stats) and stored in the VAE config JSON.

Architecture (all convs 3x3 padding 1 unless noted; ResBlock = x + conv2(SiLU(GN2(conv1(SiLU(GN1(x)))))):
  encoder: conv_in(3 -> ch0); for level i = 0..3: n_res x ResBlock(ch_i); levels 0..2 end with
           down = Conv(ch_i -> ch_{i+1}, stride 2); then norm_out (GN), SiLU, conv_out(ch3 -> 2C)
  decoder: conv_in(C -> ch3); for level k = 0..3 (channels ch_{3-k}): n_res x ResBlock; levels 0..2 end with
           up = nearest x2 upsample then Conv(ch_{3-k} -> ch_{2-k}); then norm_out, SiLU, conv_out(ch0 -> 3)
  ch_i = base_channels * channel_mults[i]. GroupNorm eps 1e-6, affine.
Shape legend: B frames (batch of frames), 3 RGB, C latent channels, H x W pixels, H/8 x W/8 latent.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

GN_EPS = 1e-6
DOWNSAMPLE = 8            # three stride-2 stages
N_LEVELS = 4              # resolutions: 1, 1/2, 1/4, 1/8


@dataclass
class VAEConfig:
    preset: str = "S"                              # name of the preset (informational)
    image_size: int = 64                           # pixels, square frames
    in_channels: int = 3                           # RGB
    latent_channels: int = 4                       # C
    base_channels: int = 32                        # ch0
    channel_mults: Tuple[int, ...] = (1, 2, 2, 2)  # ch_i = base * mults[i], i = 0..3
    n_res: int = 1                                 # ResBlocks per level
    norm_groups: int = 8                           # GroupNorm groups (must divide every ch_i)
    kl_weight: float = 1e-6                        # KL term weight in training
    edge_weight: float = 0.1                       # weight of the L1 image-gradient (edge) term
    scaling_factor: float = 1.0                    # 1 / std of training latent means (set after training)
    shift_factor: float = 0.0                      # mean of training latent means (set after training)

    @property
    def channels(self) -> Tuple[int, ...]:
        return tuple(self.base_channels * m for m in self.channel_mults)

    @property
    def latent_size(self) -> int:
        return self.image_size // DOWNSAMPLE

    def validate(self) -> None:
        assert len(self.channel_mults) == N_LEVELS, f"channel_mults needs {N_LEVELS} entries"
        assert self.image_size % DOWNSAMPLE == 0, f"image_size must be a multiple of {DOWNSAMPLE}"
        for ch in self.channels:
            assert ch % self.norm_groups == 0, f"norm_groups {self.norm_groups} must divide channels {ch}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["channel_mults"] = list(self.channel_mults)
        return d

    @staticmethod
    def from_dict(d: dict) -> "VAEConfig":
        known = set(VAEConfig.__dataclass_fields__)
        d = {k: v for k, v in d.items() if k in known}
        if "channel_mults" in d:
            d["channel_mults"] = tuple(d["channel_mults"])
        return VAEConfig(**d)

    def save_json(self, path: str) -> None:
        with open(path, "w") as f:
            json.dump(self.to_dict(), f, indent=2)

    @staticmethod
    def load_json(path: str) -> "VAEConfig":
        with open(path) as f:
            return VAEConfig.from_dict(json.load(f))


VAE_PRESETS = {
    "tiny": dict(preset="tiny", image_size=32, base_channels=8, channel_mults=(1, 1, 2, 2), norm_groups=4),
    "S": dict(preset="S", image_size=64, base_channels=32, channel_mults=(1, 2, 2, 2)),
    "M": dict(preset="M", image_size=128, base_channels=32, channel_mults=(1, 2, 2, 4)),
}


def vae_config(preset: str, **overrides) -> VAEConfig:
    assert preset in VAE_PRESETS, f"unknown VAE preset {preset!r}; expected one of {list(VAE_PRESETS)}"
    cfg = VAEConfig(**{**VAE_PRESETS[preset], **overrides})
    cfg.validate()
    return cfg


class ResBlock(nn.Module):
    def __init__(self, ch: int, groups: int):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, ch, eps=GN_EPS)
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1)
        self.norm2 = nn.GroupNorm(groups, ch, eps=GN_EPS)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return x + h


class EncoderLevel(nn.Module):
    def __init__(self, ch: int, ch_next: int, n_res: int, groups: int, downsample: bool):
        super().__init__()
        self.res = nn.ModuleList([ResBlock(ch, groups) for _ in range(n_res)])
        self.down = nn.Conv2d(ch, ch_next, 3, stride=2, padding=1) if downsample else None

    def forward(self, x):
        for r in self.res:
            x = r(x)
        return self.down(x) if self.down is not None else x


class DecoderLevel(nn.Module):
    def __init__(self, ch: int, ch_next: int, n_res: int, groups: int, upsample: bool):
        super().__init__()
        self.res = nn.ModuleList([ResBlock(ch, groups) for _ in range(n_res)])
        self.up = nn.Conv2d(ch, ch_next, 3, padding=1) if upsample else None

    def forward(self, x):
        for r in self.res:
            x = r(x)
        if self.up is not None:
            x = self.up(F.interpolate(x, scale_factor=2, mode="nearest"))
        return x


class Encoder(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        ch = cfg.channels
        self.conv_in = nn.Conv2d(cfg.in_channels, ch[0], 3, padding=1)
        self.levels = nn.ModuleList([EncoderLevel(ch[i], ch[min(i + 1, N_LEVELS - 1)], cfg.n_res, cfg.norm_groups,
                                                  downsample=i < N_LEVELS - 1) for i in range(N_LEVELS)])
        self.norm_out = nn.GroupNorm(cfg.norm_groups, ch[-1], eps=GN_EPS)
        self.conv_out = nn.Conv2d(ch[-1], 2 * cfg.latent_channels, 3, padding=1)

    def forward(self, x):
        """x (B, 3, H, W) in [-1, 1] -> moments (B, 2C, H/8, W/8) = [mean | logvar]."""
        h = self.conv_in(x)
        for lvl in self.levels:
            h = lvl(h)
        return self.conv_out(F.silu(self.norm_out(h)))


class Decoder(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        ch = cfg.channels[::-1]                        # processing order: lowest resolution first
        self.conv_in = nn.Conv2d(cfg.latent_channels, ch[0], 3, padding=1)
        self.levels = nn.ModuleList([DecoderLevel(ch[k], ch[min(k + 1, N_LEVELS - 1)], cfg.n_res, cfg.norm_groups,
                                                  upsample=k < N_LEVELS - 1) for k in range(N_LEVELS)])
        self.norm_out = nn.GroupNorm(cfg.norm_groups, ch[-1], eps=GN_EPS)
        self.conv_out = nn.Conv2d(ch[-1], cfg.in_channels, 3, padding=1)

    def forward(self, z):
        """z (B, C, H/8, W/8) raw (un-normalised) latent -> y (B, 3, H, W), image = (y + 1) / 2."""
        h = self.conv_in(z)
        for lvl in self.levels:
            h = lvl(h)
        return self.conv_out(F.silu(self.norm_out(h)))


class FrameVAE(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)

    # --- raw latent space -------------------------------------------------------------------------
    def encode_moments(self, images: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """images (B, 3, H, W) in [0, 1] -> mean, logvar each (B, C, H/8, W/8)."""
        moments = self.encoder(images * 2 - 1)
        mean, logvar = moments.chunk(2, dim=1)
        return mean, logvar.clamp(-30.0, 20.0)

    def decode_raw(self, z: torch.Tensor) -> torch.Tensor:
        """raw latent (B, C, h, w) -> y (B, 3, H, W); image = (y + 1) / 2 (unclamped)."""
        return (self.decoder(z) + 1) / 2

    # --- DiT latent space (normalised) ------------------------------------------------------------
    @torch.no_grad()
    def encode(self, images: torch.Tensor) -> torch.Tensor:
        """images (..., 3, H, W) in [0, 1] -> z_dit (..., C, H/8, W/8) = (mean - shift) * scale."""
        lead = images.shape[:-3]
        mean, _ = self.encode_moments(images.reshape(-1, *images.shape[-3:]))
        z = (mean - self.cfg.shift_factor) * self.cfg.scaling_factor
        return z.reshape(*lead, *z.shape[1:])

    @torch.no_grad()
    def decode(self, z_dit: torch.Tensor) -> torch.Tensor:
        """z_dit (..., C, h, w) -> images (..., 3, H, W) in [0, 1]."""
        lead = z_dit.shape[:-3]
        z = z_dit.reshape(-1, *z_dit.shape[-3:]) / self.cfg.scaling_factor + self.cfg.shift_factor
        img = self.decode_raw(z).clamp(0, 1)
        return img.reshape(*lead, *img.shape[1:])


def warm_start_state(old: dict, old_channels: int, new: "FrameVAE") -> dict:
    """A state dict for ``new`` that starts from a trained VAE with ``old_channels`` latent channels.

    Every tensor of the same shape is copied. When ``new`` has more latent channels, the old channels keep
    their weights (encoder conv_out: mean rows [0, C_old) and logvar rows [C, C + C_old); decoder conv_in:
    input columns [0, C_old)), the extra encoder rows keep their fresh init and the extra decoder columns start
    at zero, so the warm-started VAE reconstructs exactly like the old one at step 0 and can only add detail.
    """
    c_new = new.cfg.latent_channels
    assert c_new >= old_channels, f"cannot shrink latent channels {old_channels} -> {c_new}"
    out = {k: v.clone() for k, v in new.state_dict().items()}
    for name, value in old.items():
        assert name in out, f"warm start: {name} is not a tensor of the new VAE (different architecture?)"
        target = out[name]
        if value.shape == target.shape:
            target.copy_(value)
        elif name in ("encoder.conv_out.weight", "encoder.conv_out.bias"):
            target[:old_channels] = value[:old_channels]                                # mean
            target[c_new:c_new + old_channels] = value[old_channels:]                   # logvar
        elif name == "decoder.conv_in.weight":
            target.zero_()
            target[:, :old_channels] = value
        else:
            raise AssertionError(f"warm start: {name} has shape {tuple(value.shape)}, new VAE {tuple(target.shape)}")
    return out


def image_gradients(x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    return x[..., :, 1:] - x[..., :, :-1], x[..., 1:, :] - x[..., :-1, :]


def vae_loss(vae: FrameVAE, images: torch.Tensor, generator=None) -> Tuple[torch.Tensor, dict]:
    """images (B, 3, H, W) in [0, 1]. L1 + edge_weight * L1(image gradients) + kl_weight * KL (per element mean)."""
    cfg = vae.cfg
    mean, logvar = vae.encode_moments(images)
    eps = torch.randn(mean.shape, generator=generator, device=mean.device, dtype=mean.dtype)
    z = mean + torch.exp(0.5 * logvar) * eps
    recon = vae.decode_raw(z)
    l1 = (recon - images).abs().mean()
    gx_r, gy_r = image_gradients(recon)
    gx_t, gy_t = image_gradients(images)
    edge = (gx_r - gx_t).abs().mean() + (gy_r - gy_t).abs().mean()
    kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).mean()
    loss = l1 + cfg.edge_weight * edge + cfg.kl_weight * kl
    return loss, {"l1": float(l1), "edge": float(edge), "kl": float(kl)}


def psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    """PSNR in dB of images in [0, 1]."""
    mse = float(((a.clamp(0, 1) - b) ** 2).mean())
    return float("inf") if mse == 0 else 10.0 * torch.log10(torch.tensor(1.0 / mse)).item()


@torch.no_grad()
def measure_latent_stats(vae: FrameVAE, frames: torch.Tensor, batch: int = 64) -> Tuple[float, float]:
    """(shift_factor, scaling_factor) = (mean, 1 / std) of the raw latent means of `frames` (N, 3, H, W)."""
    means = [vae.encode_moments(frames[i:i + batch])[0] for i in range(0, frames.shape[0], batch)]
    m = torch.cat(means)
    return float(m.mean()), float(1.0 / m.std().clamp_min(1e-8))
