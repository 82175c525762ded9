"""A frozen frame critic: the model's clean-frame estimate must show the asked actor (training only).

Why (training/README.md, sessions 12-16): the pixel loss barely pays for the actor's silhouette. Told the kind
exactly (the oracle), the model's denoising loss fell by only ~0.1 %, because at the noise levels where the shape
is decided the loss-optimal estimate is a blob of the right colour wherever the actor may be. Sampled from noise,
every model so far draws that blob (kind contrast ~0.01 of the ground truth's 0.24).

The critic makes the shape worth something. It is a small CNN, trained once on rendered frames to name the
actor's kind and colour, then frozen. During DiT training it reads the model's clean-frame estimate
x_hat = x_t - t v (x-prediction), and a cross-entropy against the asked kind and colour is added to the loss. Its
gradient reaches the generator through x_hat: a blob costs as much as the wrong shape, a star where a star was
asked costs little, wherever it is drawn. This is a perceptual loss with a task-specific feature extractor, as
classifier-based objectives in GAN and diffusion training use; the critic is not a discriminator and never
trains against the generator.

The storyworld judge (a hue mask and template IoU) is a separate instrument, so a model that only fools the critic
does not score: judge with frame_eval and by eye.

    frame z (N, 3, H, W) in the pixel codec's [-1, 1]  [--Gaussian of input_blur px-->]
      --conv3x3 (3 -> w), then 4 x [conv3x3 stride 2, GroupNorm, SiLU] (w, w, 2w, 3w, 4w)--> (N, 4w, H/16, W/16)
      --mean over space--> (N, 4w) --Linear--> kind logits (N, K), colour logits (N, C)

Train it: python3 -m storydit.frame_critic --out runs/critic-w32 --steps 2000 [--input-blur 1.5]  (13 CPU-minutes)
"""
from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import asdict, dataclass
from typing import Dict, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from storyworld.vocab import COLOURS, KIND_NAMES

from .actor_blur import gaussian_blur
from .data import SceneBatcher, load_storyworld
from .safetensors_io import load_file, save_file

WEIGHTS = "critic.safetensors"
CONFIG = "critic.json"
CRITIC_FORMAT = "storydit-frame-critic/1"


@dataclass
class FrameCriticConfig:
    kinds: Tuple[str, ...]
    colours: Tuple[str, ...]
    width: int = 32
    image_size: int = 64
    input_blur: float = 0.0     # px: the critic sees every frame through this fixed Gaussian (0 = none), in training
                                # and in use, so what it reads, and what its gradient asks of the generator, is
                                # the low-frequency silhouette, not pixel patterns the judge and the eye miss


class FrameCritic(nn.Module):
    """Frame (N, 3, H, W) in [-1, 1] -> (kind logits (N, K), colour logits (N, C))."""

    def __init__(self, cfg: FrameCriticConfig):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        widths = (w, w, 2 * w, 3 * w, 4 * w)
        layers = [nn.Conv2d(3, w, 3, padding=1), nn.SiLU()]
        for c_in, c_out in zip(widths[:-1], widths[1:]):
            layers += [nn.Conv2d(c_in, c_out, 3, stride=2, padding=1), nn.GroupNorm(8, c_out), nn.SiLU()]
        self.body = nn.Sequential(*layers)
        self.kind = nn.Linear(widths[-1], len(cfg.kinds))
        self.colour = nn.Linear(widths[-1], len(cfg.colours))

    def forward(self, z: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        if self.cfg.input_blur > 0:
            z = gaussian_blur(z, self.cfg.input_blur)
        h = self.body(z).mean(dim=(2, 3))                                       # (N, 4w)
        return self.kind(h), self.colour(h)

    def targets(self, specs) -> Tuple[torch.Tensor, torch.Tensor]:
        """Scene specs -> (kind index (N,), colour index (N,)) of each scene's actor."""
        kinds = torch.tensor([self.cfg.kinds.index(s.actor.kind) for s in specs])
        colours = torch.tensor([self.cfg.colours.index(s.actor.colour) for s in specs])
        return kinds, colours


def critic_loss(critic: FrameCritic, x_hat: torch.Tensor, kinds: torch.Tensor, colours: torch.Tensor,
                frame_weight: torch.Tensor) -> Tuple[torch.Tensor, Dict[str, float]]:
    """x_hat (B, F, 3, H, W) clean-frame estimates; kinds, colours (B,) the asked actor of each row; frame_weight
    (B, F) (0 = no loss on that frame: context, or t above the critic's range). -> (weighted mean of the kind and
    colour cross-entropies, {"critic_kind": .., "critic_colour": ..} for the log)."""
    B, Fr = x_hat.shape[:2]
    kind_logits, colour_logits = critic(x_hat.reshape(B * Fr, *x_hat.shape[2:]).float())
    kind_ce = F.cross_entropy(kind_logits, kinds.repeat_interleave(Fr), reduction="none")
    colour_ce = F.cross_entropy(colour_logits, colours.repeat_interleave(Fr), reduction="none")
    w = frame_weight.reshape(-1).to(kind_ce)
    norm = w.sum().clamp(min=1e-8)
    kind_mean, colour_mean = (kind_ce * w).sum() / norm, (colour_ce * w).sum() / norm
    return kind_mean + colour_mean, {"critic_kind": round(float(kind_mean), 4),
                                     "critic_colour": round(float(colour_mean), 4)}


def save_critic(critic: FrameCritic, out_dir: str, report: dict) -> None:
    """Weights and config (with the training report) into out_dir, each written atomically."""
    os.makedirs(out_dir, exist_ok=True)
    tmp = os.path.join(out_dir, WEIGHTS + ".tmp")
    save_file({k: v.detach().float().contiguous() for k, v in critic.state_dict().items()}, tmp)
    os.replace(tmp, os.path.join(out_dir, WEIGHTS))
    doc = {"format": CRITIC_FORMAT, "config": asdict(critic.cfg), "report": report}
    tmp = os.path.join(out_dir, CONFIG + ".tmp")
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
    os.replace(tmp, os.path.join(out_dir, CONFIG))


def load_critic(path: str, device="cpu") -> FrameCritic:
    """A trained critic folder -> the frozen critic (eval mode, no gradients to its weights)."""
    cfg_path = os.path.join(path, CONFIG)
    if not os.path.isfile(cfg_path):
        raise FileNotFoundError(f"{path!r} is not a frame critic folder: {CONFIG} is missing "
                                "(train one with python3 -m storydit.frame_critic --out DIR)")
    with open(cfg_path) as f:
        doc = json.load(f)
    if doc.get("format") != CRITIC_FORMAT:
        raise ValueError(f"{cfg_path}: format {doc.get('format')!r}, expected {CRITIC_FORMAT!r}")
    c = doc["config"]
    critic = FrameCritic(FrameCriticConfig(tuple(c["kinds"]), tuple(c["colours"]), c["width"], c["image_size"],
                                           c.get("input_blur", 0.0)))
    critic.load_state_dict(load_file(os.path.join(path, WEIGHTS)))
    return critic.to(device).eval().requires_grad_(False)


# --- training the critic ---------------------------------------------------------------------------------------
def degrade(z: torch.Tensor, gen: torch.Generator, max_sigma: float, max_noise: float) -> torch.Tensor:
    """Augmentation: each frame (N, 3, H, W) blurred by a Gaussian of sigma ~ U[0, max_sigma] px (below 0.3: none)
    and given white noise of std ~ U[0, max_noise], so the critic reads shapes, not pixel-exact edges, and its
    gradient is smooth on the blurry estimates it will be shown."""
    out = z.clone()
    sigmas = torch.rand(z.shape[0], generator=gen) * max_sigma
    for i, s in enumerate(sigmas.tolist()):
        if s >= 0.3:
            out[i:i + 1] = gaussian_blur(z[i:i + 1], s)
    noise = torch.rand(z.shape[0], 1, 1, 1, generator=gen) * max_noise
    return out + noise * torch.randn(z.shape, generator=gen)


def frames_of(batcher: SceneBatcher, cursor: int, gen: torch.Generator):
    """One frame per scene of batch `cursor` (pixel codec space) and the scenes' specs."""
    b = batcher.batch(cursor)
    B = b.video.shape[0]
    pick = torch.randint(0, b.video.shape[2], (B,), generator=gen)
    frames = b.video[torch.arange(B), 0, pick]                                  # (B, 3, H, W) in [0, 1]
    return frames * 2 - 1, b.specs


def accuracy(critic: FrameCritic, batcher: SceneBatcher, batches: int, gen: torch.Generator, sigma: float) -> dict:
    """Kind and colour accuracy on held-out frames, blurred by `sigma` px (0 = sharp)."""
    right_k = right_c = n = 0
    with torch.no_grad():
        for k in range(batches):
            z, specs = frames_of(batcher, k, gen)
            if sigma > 0:
                z = gaussian_blur(z, sigma)
            kl, cl = critic(z)
            kinds, colours = critic.targets(specs)
            right_k += int((kl.argmax(1) == kinds).sum())
            right_c += int((cl.argmax(1) == colours).sum())
            n += len(specs)
    return {"kind": round(100 * right_k / n, 1), "colour": round(100 * right_c / n, 1), "frames": n}


def train_critic(out_dir: str, steps: int = 2000, batch_size: int = 64, lr: float = 2e-3, seed: int = 0,
                 max_sigma: float = 2.0, max_noise: float = 0.15, width: int = 32, world=None,
                 image_size: int = 64, eval_batches: int = 8, input_blur: float = 0.0) -> dict:
    world = world if world is not None else load_storyworld()
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    cfg = FrameCriticConfig(KIND_NAMES, tuple(c.name for c in COLOURS), width, image_size, input_blur)
    critic = FrameCritic(cfg)
    opt = torch.optim.AdamW(critic.parameters(), lr=lr, weight_decay=0.01)
    train = SceneBatcher(world, batch_size, image_size, 2, 1, 1, 0.0, seed=seed * 10 + 7)
    held_out = SceneBatcher(world, batch_size, image_size, 2, 1, 1, 0.0, seed=seed * 10 + 8_000_007)
    t0, log = time.time(), []
    for step in range(steps):
        for g in opt.param_groups:                                              # cosine to 10 %
            g["lr"] = lr * (0.1 + 0.9 * 0.5 * (1 + torch.cos(torch.tensor(step / steps * torch.pi)).item()))
        z, specs = frames_of(train, step, gen)
        kind_logits, colour_logits = critic(degrade(z, gen, max_sigma, max_noise))
        kinds, colours = critic.targets(specs)
        loss = F.cross_entropy(kind_logits, kinds) + F.cross_entropy(colour_logits, colours)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            log.append({"step": step, "loss": round(float(loss), 4), "s": round(time.time() - t0, 1)})
            print(json.dumps(log[-1]), flush=True)
    critic.eval()
    eval_gen = torch.Generator().manual_seed(seed + 1)
    report = {"steps": steps, "batch_size": batch_size, "max_sigma": max_sigma, "max_noise": max_noise,
              "held_out": {f"sigma {s}": accuracy(critic, held_out, eval_batches, eval_gen, s) for s in (0.0, 1.0, 2.0)},
              "log": log}
    save_critic(critic, out_dir, report)
    return report


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description="Train the frozen frame critic (kind and colour of the actor).")
    p.add_argument("--out", required=True, help="critic folder to write (critic.safetensors, critic.json)")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--input-blur", type=float, default=0.0,
                   help="px: a fixed Gaussian every frame passes before the critic reads it (0 = none)")
    a = p.parse_args(argv)
    report = train_critic(a.out, a.steps, a.batch_size, a.lr, a.seed, width=a.width, input_blur=a.input_blur)
    print(json.dumps(report["held_out"]))


if __name__ == "__main__":
    main()
