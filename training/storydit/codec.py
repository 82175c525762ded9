"""Frame codecs: what the DiT's "latent" frames are. Either a frame VAE (vae.py) or the pixels themselves.

    codec.encode(frames (..., 3, H, W) in [0, 1]) -> z (..., C, h, w)
    codec.decode(z (..., C, h, w))                -> frames (..., 3, H, W) in [0, 1]
    codec.cfg: latent_channels, latent_size, image_size, to_dict()

`PixelCodec` is the identity up to scale: z = 2 * frames - 1 (C = 3, h = w = image size). A pixel-space DiT
("Back to Basics: Let Denoising Generative Models Denoise", Li & He 2025) patchifies these directly with
large patches and predicts the clean frame (StoryDiTConfig.prediction = "x"), so nothing is lost before the
transformer starts and the engine needs no decoder. `load_codec("pixel")` or `load_codec(VAE_DIR)`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn as nn

PIXEL = "pixel"                 # the --vae value that selects the pixel codec


@dataclass
class PixelCodecConfig:
    image_size: int = 64
    kind: str = PIXEL

    @property
    def latent_channels(self) -> int:
        return 3

    @property
    def latent_size(self) -> int:
        return self.image_size

    def to_dict(self) -> dict:
        return asdict(self)


class PixelCodec(nn.Module):
    """RGB frames in [0, 1] <-> [-1, 1]; no weights."""

    def __init__(self, image_size: int = 64):
        super().__init__()
        self.cfg = PixelCodecConfig(image_size)

    def encode(self, images: torch.Tensor) -> torch.Tensor:
        return images * 2 - 1                                                    # (..., 3, H, W)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return ((z + 1) / 2).clamp(0, 1)                                         # (..., 3, H, W)


def is_pixel(spec: str) -> bool:
    return spec == PIXEL or spec.startswith(PIXEL + ":")


def load_codec(spec: str, device="cpu", image_size: int = 64):
    """"pixel" (or "pixel:SIZE") -> PixelCodec; anything else is a finalized VAE directory."""
    if is_pixel(spec):
        size = int(spec.split(":", 1)[1]) if ":" in spec else image_size
        return PixelCodec(size).to(device).eval()
    from .train_vae import load_vae
    return load_vae(spec, device)
