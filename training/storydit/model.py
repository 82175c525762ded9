"""StoryDiT: a scene-level diffusion transformer for multi-shot video (Long Context Tuning recipe).

One sequence holds the whole scene: [global text]? then per shot [text tokens][video tokens].
Positions come only from interleaved 3D RoPE (rope.py); the attention pattern from masks.py;
every segment (shot, or part of a shot) has its own timestep, applied through adaLN-single
(PixArt-alpha): one shared Linear(d, 6d) on SiLU(c) per segment, plus a learned [6, d] table per block.
With caption_cond, c = c_t + c_txt: the segment's caption also enters the condition as its MiniLM sentence
embedding (masked mean of the caption's token rows, L2-normalised), next to the in-context caption tokens.

Shape legend
    B  batch                 G  segments in the layout       T  text segments in the layout
    F  latent frames         C  latent channels              H, W  latent height / width
    N  tokens of this forward   Nk  keys (cached + new)      d  d_model
    nh heads                 Dh head_dim = d / nh            P  pt*ph*pw*C (one tubelet, flattened)

With prediction = "x" the head predicts the clean frames x_hat and the forward returns v = (x_t - x_hat) / t
(t clamped at x_pred_t_min), the pixel-space recipe of "Back to Basics" (Li & He 2025).

Tubelet flattening order (patch vector index): ((dt * ph + dh) * pw + dw) * C + c.
Sampling lives in flow.py; this file is the network only.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .flow import frames_t
from .layout import SceneLayout, TokenTable
from .masks import MASK_MODES, build_allow
from .rope import ROPE_THETA, apply_rope, camera_move, camera_rope_positions, rope_cos_sin, rope_split

TEXT_TYPE, VIDEO_TYPE = 0, 1      # rows of the token-type embedding
N_MOD = 6                         # shift/scale/gate for attention and for the MLP
MOD_NAMES = ("shift_msa", "scale_msa", "gate_msa", "shift_mlp", "scale_mlp", "gate_mlp")
T_MAX_PERIOD = 10000.0            # sinusoidal timestep embedding: freqs = exp(-ln(T_MAX_PERIOD) * i / half)
SHOT_CAMERAS = ("static", "pan_left", "pan_right", "zoom_in", "zoom_out")   # storyworld vocab.CAMERA_NAMES
SHOT_SIZES = ("wide", "medium", "close_up")                                  # storyworld vocab.SHOT_SIZE_NAMES
ACTOR_KINDS = ("ball", "cube", "pyramid", "star", "ring", "bird", "fish")       # storyworld vocab.KIND_NAMES
ACTOR_LAYOUTS = ("box", "silhouette", "painted")  # StoryDiTConfig.actor_layout


@dataclass
class StoryDiTConfig:
    preset: str = "S"             # name of the preset this config came from (informational)
    image_size: int = 64          # pixels (square frames), informational for export/UI
    fps: int = 8                  # frames per second of the data, informational
    latent_channels: int = 4      # C: channels of the VAE latent
    latent_h: int = 8             # H: latent height (image_size / 8)
    latent_w: int = 8             # W: latent width
    patch_t: int = 1              # pt: latent frames per tubelet
    patch_h: int = 2              # ph
    patch_w: int = 2              # pw
    d_model: int = 192            # d: transformer width
    n_layers: int = 6             # transformer blocks
    n_heads: int = 6              # nh; head_dim = d_model / n_heads
    mlp_ratio: float = 4.0        # MLP hidden = mlp_ratio * d_model
    l_txt: int = 32               # text tokens per caption ([CLS] .. [SEP] + zero padding)
    text_dim: int = 384           # MiniLM-L6 hidden size
    chunk_frames: int = 4         # latent frames per chunk (chunk_causal mask, extension unit)
    t_embed_dim: int = 256        # sinusoidal timestep feature size
    t_scale: float = 1000.0       # t in [0,1] is embedded as t * t_scale (DiT convention)
    norm_eps: float = 1e-6        # eps of every LayerNorm / RMSNorm
    rope_theta: float = ROPE_THETA
    caption_cond: bool = False    # add each segment's pooled caption embedding to its adaLN condition
    prediction: str = "v"         # what the head predicts: "v" (velocity) or "x" (the clean frame, JiT); the
                                  # forward always returns v, so samplers and the KV-cache flows are unchanged
    x_pred_t_min: float = 0.05    # "x": v = (x_t - x_hat) / max(t, x_pred_t_min)
    shot_cond: bool = False       # camera move and shot size as class labels in the adaLN condition
    cameras: Tuple[str, ...] = SHOT_CAMERAS          # label i + 1 = cameras[i]; 0 = null (CFG drops it)
    shot_sizes: Tuple[str, ...] = SHOT_SIZES         # label i + 1 = shot_sizes[i]; 0 = null
    kind_label_oracle: bool = False  # diagnostic only (never exported): the actor kind as a third class label,
                                     # to test whether the drawing path can show kinds when told them exactly
    kinds: Tuple[str, ...] = ACTOR_KINDS             # label i + 1 = kinds[i]; 0 = null
    refiner_width: int = 0        # "x" only: PixelRefiner channels (0 = none), a residual conv net over each
                                  # predicted frame and its noisy input; not in the Java engine yet (export refuses)
    conv_decoder_width: int = 0   # "x" only: ConvDecoder channels at full resolution (0 = none), a U-Net-style
                                  # upsampling decoder from the last hidden tokens (Java: dit.ConvDecoder)
    conv_encoder: bool = False    # with conv_decoder_width: a ConvEncoder reads the noisy frame at every level; its
                                  # features are the decoder's skips and join the patch tokens (a U-Net around the DiT)
    actor_box_cond: bool = False  # with conv_encoder: the actor's box per frame, a 0/1 mask, is an input (layout
                                  # conditioning, as GLIGEN and Boximator; session 26); the conv encoder reads it.
                                  # Training reads the renderer's; sampling needs one (frame_eval: the ground truth's;
                                  # the engine: the layout planner's, box_planner.py, exported with the model)
    actor_layout: str = "box"     # with actor_box_cond, what that input draws: "box", the 0/1 box, or "silhouette"
                                  # (session 30), the kind's mean silhouette stretched over the box, a soft mask
                                  # (actor_silhouette.py; the layout planner names the kind), or "painted" (session
                                  # 31), that silhouette and it times the named colour's RGB: 4 channels
    prev_frame_cond: bool = False  # with conv_encoder: a chunk that continues its shot also reads the shot's frame
                                  # before it, clean, as an input of every one of its frames (SVD's conditioning
                                  # frame, concatenated by a conv; session 29): the shape a continuation would
                                  # otherwise redraw from the context's coarse tokens. Zeros = none: a shot's
                                  # first chunk, context frames
    conv_res_blocks: int = 0      # with conv_encoder: ConvResBlocks per level below full resolution, in the encoder
                                  # and the decoder (session 26); not in the Java engine yet (export refuses)
    self_cond: bool = False       # with conv_encoder: self-conditioning (Chen et al. 2022, "Analog Bits"): the conv
                                  # encoder also reads the previous sampler step's clean-frame estimate; training only
    camera_rope: bool = False     # with shot_cond: camera RoPE (rope.camera_rope_positions): each video token is
                                  # rotated by its content's world position under its segment's camera label (Java:
                                  # dit.CameraRope)
    camera_pan_per_frame: float = 0.0       # patches the view slides per latent frame of a pan (pan_right: +w)
    camera_log_zoom_per_frame: float = 0.0  # log of the view-height factor per latent frame of zoom_in (< 0; zoom_out
                                            # is its negative)
    camera_hold_frames: int = 0   # camera RoPE's travel stops growing after this latent frame of a shot (the trained
                                  # shot's last frame); 0 = it never stops

    @property
    def n_shot_labels(self) -> int:
        """Labels per segment: [camera, shot size] (+ [kind] for the oracle)."""
        return 3 if self.kind_label_oracle else 2

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_heads

    @property
    def patch_dim(self) -> int:
        return self.patch_t * self.patch_h * self.patch_w * self.latent_channels

    @property
    def grid_hw(self) -> Tuple[int, int]:
        return self.latent_h // self.patch_h, self.latent_w // self.patch_w

    @property
    def mlp_hidden(self) -> int:
        return int(self.mlp_ratio * self.d_model)

    def validate(self) -> None:
        assert self.d_model % self.n_heads == 0, "d_model must be divisible by n_heads"
        assert self.latent_h % self.patch_h == 0 and self.latent_w % self.patch_w == 0, "latent not divisible by patch"
        assert self.chunk_frames % self.patch_t == 0, "chunk_frames must be a multiple of patch_t"
        assert self.t_embed_dim % 2 == 0, "t_embed_dim must be even"
        assert self.prediction in ("v", "x"), f"prediction must be 'v' or 'x', not {self.prediction!r}"
        assert self.shot_cond or not self.kind_label_oracle, "kind_label_oracle needs shot_cond"
        assert self.refiner_width == 0 or self.prediction == "x", "the pixel refiner needs x-prediction"
        assert self.conv_decoder_width == 0 or self.prediction == "x", "the conv decoder needs x-prediction"
        assert self.conv_decoder_width == 0 or (self.patch_t == 1 and self.patch_h == self.patch_w
                                                and self.patch_h & (self.patch_h - 1) == 0 and self.patch_h > 1), \
            "the conv decoder needs square power-of-two patches of one frame"
        assert not self.conv_encoder or self.conv_decoder_width, "the conv encoder needs the conv decoder"
        assert not self.self_cond or self.conv_encoder, "self-conditioning is read by the conv encoder"
        assert not self.actor_box_cond or self.conv_encoder, "the actor box is read by the conv encoder"
        assert not self.prev_frame_cond or self.conv_encoder, "the previous frame is read by the conv encoder"
        assert self.actor_layout in ACTOR_LAYOUTS, f"actor_layout must be one of {ACTOR_LAYOUTS}, not {self.actor_layout!r}"
        assert not self.conv_res_blocks or self.conv_encoder, "residual conv blocks need the conv encoder and decoder"
        assert not self.camera_rope or self.shot_cond, "camera RoPE reads the camera label (shot_cond)"
        rope_split(self.head_dim)

    @property
    def actor_layout_channels(self) -> int:
        """Channels of the actor layout input: 4 painted (silhouette, silhouette x RGB), else 1."""
        return 4 if self.actor_layout == "painted" else 1

    def to_dict(self) -> dict:
        d = asdict(self)
        d["cameras"], d["shot_sizes"], d["kinds"] = list(self.cameras), list(self.shot_sizes), list(self.kinds)
        if not d["camera_hold_frames"]:
            del d["camera_hold_frames"]                                             # configs before it keep their bytes
        if d["actor_layout"] == "box":
            del d["actor_layout"]                                                   # so do box models' configs
        return d

    @staticmethod
    def from_dict(d: dict) -> "StoryDiTConfig":
        known = {f for f in StoryDiTConfig.__dataclass_fields__}
        kw = {k: v for k, v in d.items() if k in known}
        for k in ("cameras", "shot_sizes", "kinds"):
            if k in kw:
                kw[k] = tuple(kw[k])
        return StoryDiTConfig(**kw)

    def shot_label(self, camera: Optional[str], shot_size: Optional[str],
                   kind: Optional[str] = None) -> Tuple[int, ...]:
        """(camera, shot size[, kind]) names -> class labels (0 = null / unknown name is an error); the kind
        label only for a kind_label_oracle model."""
        def index(names, name, what):
            if name is None:
                return 0
            assert name in names, f"unknown {what} {name!r}; this model knows {list(names)}"
            return names.index(name) + 1
        labels = index(self.cameras, camera, "camera move"), index(self.shot_sizes, shot_size, "shot size")
        return labels + (index(self.kinds, kind, "actor kind"),) if self.kind_label_oracle else labels


DIT_PRESETS = {
    # tiny: parity fixtures and unit tests (l_txt 8 keeps fixtures small; the product uses 32)
    "tiny": dict(preset="tiny", image_size=32, latent_h=4, latent_w=4, d_model=48, n_layers=2, n_heads=3,
                 l_txt=8, chunk_frames=2, caption_cond=True),
    # S: CPU-trainable, 64x64 px, latent 8x8x4, ~3 M params
    "S": dict(preset="S", image_size=64, latent_h=8, latent_w=8, d_model=192, n_layers=6, n_heads=6),
    # M: GPU, 128x128 px, latent 16x16x4, <= 7 M params (exact checkpoint fits 8 x 16 MB)
    "M": dict(preset="M", image_size=128, latent_h=16, latent_w=16, d_model=256, n_layers=8, n_heads=4),
}


def dit_config(preset: str, **overrides) -> StoryDiTConfig:
    assert preset in DIT_PRESETS, f"unknown StoryDiT preset {preset!r}; expected one of {list(DIT_PRESETS)}"
    cfg = StoryDiTConfig(**{**DIT_PRESETS[preset], **overrides})
    cfg.validate()
    return cfg


# ---------------------------------------------------------------------------------------------
# building blocks
# ---------------------------------------------------------------------------------------------
class RMSNorm(nn.Module):
    """y = x / sqrt(mean(x^2) + eps) * weight over the last dim (computed in float32)."""

    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xf = x.float()
        y = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return (y * self.weight.float()).to(x.dtype)


def timestep_features(t: torch.Tensor, dim: int, t_scale: float) -> torch.Tensor:
    """DiT sinusoidal features: t (...,) in [0,1] -> (..., dim) = cat[cos(a), sin(a)], a = t*t_scale*freqs."""
    half = dim // 2
    freqs = torch.exp(-math.log(T_MAX_PERIOD) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = (t.float() * t_scale)[..., None] * freqs                     # (..., half)
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)        # (..., dim)


class TimestepEmbedder(nn.Module):
    """c = fc2(SiLU(fc1(features(t))))."""

    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        self.cfg = cfg
        self.fc1 = nn.Linear(cfg.t_embed_dim, cfg.d_model)
        self.fc2 = nn.Linear(cfg.d_model, cfg.d_model)

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        feats = timestep_features(t, self.cfg.t_embed_dim, self.cfg.t_scale)   # (B, G, t_embed_dim)
        return self.fc2(F.silu(self.fc1(feats.to(self.fc1.weight.dtype))))     # (B, G, d)


def pool_caption(text: torch.Tensor) -> torch.Tensor:
    """MiniLM sentence embedding of caption token rows: (..., L_txt, D) -> (..., D).

    Mean over the non-padding rows (padding rows are all zero), then L2-normalised, as all-MiniLM-L6-v2 pools.
    The null caption (all rows zero) pools to the zero vector."""
    real = (text.abs().sum(-1, keepdim=True) > 0).to(text.dtype)                 # (..., L, 1)
    mean = (text * real).sum(-2) / real.sum(-2).clamp(min=1.0)                   # (..., D)
    return mean / mean.norm(dim=-1, keepdim=True).clamp(min=1e-6)


def segment_captions(layout: SceneLayout, text: torch.Tensor) -> torch.Tensor:
    """Pooled caption of every segment from the text segments present in `layout`: text (B, T, L, D) ->
    (B, G, D). A segment without its own text row takes the row of its shot's text segment, which must be in
    the same layout (a forward whose shot caption is only in the KV cache must pass `caption` explicitly)."""
    rows, shot_row = [], {}
    for s in layout.segments:
        if s.text:
            shot_row[s.shot] = len(shot_row)
    for s in layout.segments:
        assert s.shot in shot_row, \
            f"segment {s} has no caption in this forward; pass caption=(B, G, {text.shape[-1]}) explicitly"
        rows.append(shot_row[s.shot])
    pooled = pool_caption(text)                                                  # (B, T, D)
    return pooled[:, rows]                                                       # (B, G, D)


class CaptionEmbedder(nn.Module):
    """c_txt = fc2(SiLU(fc1(sqrt(D) * pooled caption))); the sqrt(D) gives the unit-length sentence embedding
    unit RMS per component. fc2 starts at zero, so a model warm-started from one without this path begins
    exactly where that model was."""

    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        self.scale = math.sqrt(cfg.text_dim)
        self.fc1 = nn.Linear(cfg.text_dim, cfg.d_model)
        self.fc2 = nn.Linear(cfg.d_model, cfg.d_model)

    def forward(self, caption: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.silu(self.fc1(caption.to(self.fc1.weight.dtype) * self.scale)))    # (B, G, d)


class ShotEmbedder(nn.Module):
    """c_shot = camera_table[camera label] + size_table[size label]; row 0 of each table is the null label.
    Both tables start at zero, so a model warm-started from one without them begins where that model was
    (class-conditional DiT / SVD's micro-conditioning: a class embedding added to the timestep embedding)."""

    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        self.camera = nn.Embedding(len(cfg.cameras) + 1, cfg.d_model)
        self.size = nn.Embedding(len(cfg.shot_sizes) + 1, cfg.d_model)
        self.kind = nn.Embedding(len(cfg.kinds) + 1, cfg.d_model) if cfg.kind_label_oracle else None

    def forward(self, labels: torch.Tensor) -> torch.Tensor:
        """labels (B, G, 2 or 3) int64 [camera, shot size(, kind)] -> (B, G, d)."""
        c = self.camera(labels[..., 0]) + self.size(labels[..., 1])
        return c + self.kind(labels[..., 2]) if self.kind is not None else c


def has_sdpa() -> bool:
    return hasattr(F, "scaled_dot_product_attention")


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, allow: Optional[torch.Tensor],
              impl: str = "auto") -> torch.Tensor:
    """q (B, nh, N, Dh), k/v (B, nh, Nk, Dh), allow bool (N, Nk) or None (= all) -> (B, nh, N, Dh).

    impl: "sdpa" = F.scaled_dot_product_attention (torch >= 2.0, fused kernels on GPU),
          "manual" = softmax(q k^T / sqrt(Dh) + mask) v, "auto" = sdpa when present."""
    if impl == "auto":
        impl = "sdpa" if has_sdpa() else "manual"
    if impl == "sdpa":
        assert has_sdpa(), "F.scaled_dot_product_attention is not available in this torch"
        return F.scaled_dot_product_attention(q, k, v, attn_mask=allow)
    assert impl == "manual", f"unknown attention impl {impl!r}"
    scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(q.shape[-1])      # (B, nh, N, Nk)
    if allow is not None:
        scores = scores.masked_fill(~allow, float("-inf"))
    probs = torch.softmax(scores.float(), dim=-1).to(v.dtype)
    return torch.matmul(probs, v)                                              # (B, nh, N, Dh)


class Attention(nn.Module):
    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.q_norm = RMSNorm(cfg.head_dim, cfg.norm_eps)
        self.k_norm = RMSNorm(cfg.head_dim, cfg.norm_eps)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)

    def forward(self, x, cos, sin, allow, past_kv=None, impl="auto"):
        """x (B, N, d); cos/sin (N, Dh); allow (N, Nk) bool or None; past_kv = (k, v) each (Bc, nh, Nc, Dh).
        Returns out (B, N, d) and this call's (k, v) each (B, nh, N, Dh), k post-RoPE."""
        B, N, d = x.shape
        nh, Dh = self.cfg.n_heads, self.cfg.head_dim
        qkv = self.qkv(x).view(B, N, 3, nh, Dh).permute(2, 0, 3, 1, 4)          # (3, B, nh, N, Dh)
        q, k, v = qkv[0], qkv[1], qkv[2]                                         # (B, nh, N, Dh) each
        q = apply_rope(self.q_norm(q).float(), cos, sin, Dh).to(v.dtype)       # RoPE in float32
        k = apply_rope(self.k_norm(k).float(), cos, sin, Dh).to(v.dtype)
        new_kv = (k, v)
        if past_kv is not None:
            pk, pv = past_kv
            if pk.shape[0] != B:
                assert pk.shape[0] == 1, f"KV cache batch {pk.shape[0]} must be 1 or {B}"
                pk, pv = pk.expand(B, -1, -1, -1), pv.expand(B, -1, -1, -1)
            k = torch.cat([pk.to(v.dtype), k], dim=2)                           # (B, nh, Nk, Dh)
            v = torch.cat([pv.to(v.dtype), v], dim=2)
        y = attention(q, k, v, allow, impl)                                      # (B, nh, N, Dh)
        y = y.transpose(1, 2).reshape(B, N, d)                                   # (B, N, d)
        return self.proj(y), new_kv


class Mlp(nn.Module):
    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        self.fc1 = nn.Linear(cfg.d_model, cfg.mlp_hidden)
        self.fc2 = nn.Linear(cfg.mlp_hidden, cfg.d_model)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x), approximate="tanh"))


def modulate(x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    return x * (1 + scale) + shift


class StoryDiTBlock(nn.Module):
    """x += gate_msa * Attn(modulate(LN(x))); x += gate_mlp * MLP(modulate(LN(x)))."""

    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        self.norm1 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps, elementwise_affine=False)
        self.attn = Attention(cfg)
        self.norm2 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps, elementwise_affine=False)
        self.mlp = Mlp(cfg)
        self.mod_table = nn.Parameter(torch.zeros(N_MOD, cfg.d_model))          # (6, d), rows = MOD_NAMES

    def forward(self, x, seg_mod, seg_index, cos, sin, allow, past_kv=None, impl="auto"):
        """x (B, N, d); seg_mod (B, G, 6, d) = t_block(SiLU(c)) per segment; seg_index (N,) segment of each token."""
        mod = (seg_mod + self.mod_table.to(seg_mod.dtype))[:, seg_index]        # (B, N, 6, d) gather per token
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = mod.unbind(dim=2)  # (B, N, d) each
        h, new_kv = self.attn(modulate(self.norm1(x), shift_msa, scale_msa), cos, sin, allow, past_kv, impl)
        x = x + gate_msa * h
        x = x + gate_mlp * self.mlp(modulate(self.norm2(x), shift_mlp, scale_mlp))
        return x, new_kv


class FinalLayer(nn.Module):
    """LN(no affine) -> modulate(shift = c + table[0], scale = c + table[1]) -> Linear(d, P)."""

    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        self.norm = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps, elementwise_affine=False)
        self.table = nn.Parameter(torch.zeros(2, cfg.d_model))                  # (2, d): shift, scale
        self.proj = nn.Linear(cfg.d_model, cfg.patch_dim)

    def features(self, x, c_tok):
        """x (B, N, d), c_tok (B, N, d) -> the modulated features the projection reads (B, N, d)."""
        shift = c_tok + self.table[0]
        scale = c_tok + self.table[1]
        return modulate(self.norm(x), shift, scale)

    def forward(self, x, c_tok):
        """x (B, N, d), c_tok (B, N, d) -> (B, N, P)."""
        return self.proj(self.features(x, c_tok))


# ---------------------------------------------------------------------------------------------
# KV cache
# ---------------------------------------------------------------------------------------------
@dataclass
class KvCache:
    """Post-RoPE keys and values of earlier tokens, per layer, plus their (shot, chunk) ids for masking.

    keys[l], values[l]: (Bc, nh, Nc, Dh) with Bc = 1 (broadcast over the batch, e.g. CFG's two rows) or B."""
    keys: List[torch.Tensor]
    values: List[torch.Tensor]
    shot: torch.Tensor        # (Nc,) int64
    chunk: torch.Tensor       # (Nc,) int64

    def __len__(self) -> int:
        return int(self.shot.shape[0])

    def append(self, other: "KvCache") -> "KvCache":
        return KvCache([torch.cat([a, b], 2) for a, b in zip(self.keys, other.keys)],
                       [torch.cat([a, b], 2) for a, b in zip(self.values, other.values)],
                       torch.cat([self.shot, other.shot]), torch.cat([self.chunk, other.chunk]))

    def select_batch(self, i: int) -> "KvCache":
        return KvCache([k[i:i + 1] for k in self.keys], [v[i:i + 1] for v in self.values], self.shot, self.chunk)


class PixelRefiner(nn.Module):
    """A small convolutional net after the patch head (session 13). The head writes each 16x16 patch from one
    token, with no weights shared across a patch's pixels, so every edge at every offset is learned apart, and
    the model blurs: it loses half the edge energy of a frame it is shown at t = 0.05 (detail_probe). Convolutions
    share weights across positions. Input: the head's x_hat and the noisy frame x_t; output: a correction to
    x_hat, FiLM-conditioned on t. The last conv starts at zero, so a warm start is unchanged at step 0.

        [x_hat, x_t] (B*F, 2C, H, W) -> conv3x3 -> FiLM(t) -> SiLU -> conv3x3 -> SiLU -> conv3x3 (zero) -> + x_hat
    """

    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        C, w = cfg.latent_channels, cfg.refiner_width
        self.conv_in = nn.Conv2d(2 * C, w, 3, padding=1)
        self.film = nn.Sequential(nn.Linear(1, w), nn.SiLU(), nn.Linear(w, 2 * w))
        self.conv_mid = nn.Conv2d(w, w, 3, padding=1)
        self.conv_out = nn.Conv2d(w, C, 3, padding=1)

    def forward(self, x_hat: torch.Tensor, x_t: torch.Tensor, t_frames: torch.Tensor) -> torch.Tensor:
        """x_hat, x_t (B, F, C, H, W), t_frames (B, F, 1, 1, 1) -> refined x_hat (B, F, C, H, W)."""
        B, Fr, C, H, W = x_hat.shape
        h = self.conv_in(torch.cat([x_hat, x_t.to(x_hat.dtype)], dim=2).reshape(B * Fr, 2 * C, H, W))
        scale, shift = self.film(t_frames.reshape(B * Fr, 1).to(h.dtype)).chunk(2, dim=1)
        h = F.silu(h * (1 + scale[:, :, None, None]) + shift[:, :, None, None])
        h = self.conv_out(F.silu(self.conv_mid(h)))
        return x_hat + h.reshape(B, Fr, C, H, W)


def film_silu(h: torch.Tensor, film: torch.Tensor, at: int) -> Tuple[torch.Tensor, int]:
    """SiLU(h * (1 + scale) + shift), scale and shift the next 2 * w columns of `film` from column `at`
    (w = h's channels): the per-level FiLM on t of ConvDecoder and ConvEncoder. Returns (h, the next column)."""
    w = h.shape[1]
    scale, shift = film[:, at:at + w], film[:, at + w:at + 2 * w]
    return F.silu(h * (1 + scale[:, :, None, None]) + shift[:, :, None, None]), at + 2 * w


class ConvResBlock(nn.Module):
    """One residual block at one level of the U-Net around the DiT (session 26). The encoder and the decoder had one
    convolution per level, so the shape an actor's tokens name is drawn by four 3x3 convolutions from a 4x4 grid;
    these blocks add depth where it is cheap (below full resolution), like a DDPM U-Net's ResBlocks. The second
    conv starts at zero, so a warm start is unchanged at step 0.

        h (B*F, w, H', W') -> conv3x3 -> FiLM(t) -> SiLU -> conv3x3 (zero) -> + h
    """

    def __init__(self, w: int):
        super().__init__()
        self.conv1 = nn.Conv2d(w, w, 3, padding=1)
        self.conv2 = nn.Conv2d(w, w, 3, padding=1)
        nn.init.zeros_(self.conv2.weight)
        nn.init.zeros_(self.conv2.bias)

    def forward(self, h: torch.Tensor, film: torch.Tensor, at: int) -> Tuple[torch.Tensor, int]:
        """h (B*F, w, H', W'), film (B*F, *) and its next column `at` (film_silu) -> (h + residual, next column)."""
        r, at = film_silu(self.conv1(h), film, at)
        return h + self.conv2(r), at


def res_levels(cfg: "StoryDiTConfig", widths: List[int]) -> Tuple[nn.ModuleList, Optional[nn.Module]]:
    """cfg.conv_res_blocks ConvResBlocks at each level below full resolution (level l has widths[l] channels; level
    0 none), and the FiLM on t that feeds them (None without blocks): (ModuleList per level, film)."""
    n = cfg.conv_res_blocks
    blocks = nn.ModuleList(nn.ModuleList(ConvResBlock(w) for _ in range(n if lvl else 0))
                           for lvl, w in enumerate(widths))
    columns = 2 * n * sum(widths[1:])
    film = nn.Sequential(nn.Linear(1, 64), nn.SiLU(), nn.Linear(64, columns)) if columns else None
    return blocks, film


def run_res_blocks(blocks: nn.ModuleList, h: torch.Tensor, film: Optional[torch.Tensor], at: int
                   ) -> Tuple[torch.Tensor, int]:
    """Applies one level's ConvResBlocks in order, reading FiLM columns from `at` -> (h, the next column)."""
    for block in blocks:
        h, at = block(h, film, at)
    return h, at


class ConvDecoder(nn.Module):
    """A U-Net-style decoder from the last hidden tokens to pixels, beside the linear patch head (session 14).

    The linear head writes a 16x16 patch from one token with weights of its own for every pixel, so a shape must
    be learned at every offset inside every patch apart; the model knows the kind in its tokens (a linear probe
    reads it in 62 % of stills at t = 0.9) and draws a blob. This decoder draws with convolutions, whose weights
    are shared across positions, from the same token features the head reads, upsampling x2 per level and
    reading the noisy frame at each scale (its detail at small t). The last conv starts at zero, so a warm start
    is unchanged at step 0. Widths: level l (resolution H / 2^l) has w * (l + 1) channels, w at full resolution.

        feats (B*F, d, Hp, Wp) -> conv1x1 -> [up x2 -> cat(pool(x_t)) -> conv3x3 -> FiLM(t) -> SiLU] x log2(p)
        -> cat(x_hat) -> conv3x3 (zero) -> + x_hat
    """

    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        C, w, d = cfg.latent_channels, cfg.conv_decoder_width, cfg.d_model
        self.levels = cfg.patch_h.bit_length() - 1                                 # log2(patch)
        widths = [w * (lvl + 1) for lvl in range(self.levels)]                    # widths[l]: level l
        self.widths = widths
        self.stem = nn.Conv2d(d, widths[-1], 1)
        self.ups = nn.ModuleList()
        cin = widths[-1]
        for lvl in reversed(range(self.levels)):                                   # skip: ConvEncoder level or x_t
            self.ups.append(nn.Conv2d(cin + (widths[lvl] if cfg.conv_encoder else C), widths[lvl], 3, padding=1))
            cin = widths[lvl]
        self.film = nn.Sequential(nn.Linear(1, 64), nn.SiLU(), nn.Linear(64, 2 * sum(widths)))
        self.res, self.res_film = res_levels(cfg, widths)                          # res[l]: level l's blocks
        self.conv_out = nn.Conv2d(w + C, C, 3, padding=1)
        self.to(memory_format=torch.channels_last)     # NHWC convolutions: half the CPU time of NCHW (mkldnn)

    def forward(self, feats: torch.Tensor, x_hat: torch.Tensor, x_t: torch.Tensor,
                t_frames: torch.Tensor, skips: Optional[List[torch.Tensor]] = None) -> torch.Tensor:
        """feats (B, F*Hp*Wp, d) in (f, h, w) order; x_hat, x_t (B, F, C, H, W); t_frames (B, F, 1, 1, 1);
        skips: the ConvEncoder's features per level (None: the noisy frame, average-pooled to each level)
        -> refined x_hat (B, F, C, H, W)."""
        B, Fr, C, H, W = x_hat.shape
        p = 2 ** self.levels
        h = feats.reshape(B * Fr, H // p, W // p, -1).permute(0, 3, 1, 2)          # (B*F, d, Hp, Wp)
        h = self.stem(h.to(x_hat.dtype).contiguous(memory_format=torch.channels_last))
        xt = x_t.to(x_hat.dtype).reshape(B * Fr, C, H, W).contiguous(memory_format=torch.channels_last)
        film = self.film(t_frames.reshape(B * Fr, 1).to(h.dtype))                  # (B*F, 2 * sum(widths))
        res_film = self.res_film(t_frames.reshape(B * Fr, 1).to(h.dtype)) if self.res_film is not None else None
        at = res_at = 0
        for conv, lvl in zip(self.ups, reversed(range(self.levels))):
            h = F.interpolate(h, scale_factor=2, mode="nearest")
            skip = skips[lvl] if skips is not None else F.avg_pool2d(xt, 2 ** lvl) if lvl else xt
            h, at = film_silu(conv(torch.cat([h, skip], dim=1)), film, at)
            h, res_at = run_res_blocks(self.res[lvl], h, res_film, res_at)
        out = self.conv_out(torch.cat([h, x_hat.reshape(B * Fr, C, H, W)], dim=1))
        return x_hat + out.contiguous().reshape(B, Fr, C, H, W)


class ConvEncoder(nn.Module):
    """The contracting half of the U-Net around the DiT (session 14): convolutions over the noisy frame at every
    level of the ConvDecoder, each FiLM-conditioned on t. Level l's features are the decoder's skip at level l,
    and the last level, pooled to the token grid, joins the patch tokens through a zero-initialised projection,
    so the transformer reads shape features as well as raw patches. A warm start is unchanged at step 0.

        x_t (B*F, C, H, W) -> [conv3x3 -> FiLM(t) -> SiLU -> pool x2] x log2(p) -> Linear (zero) -> + patch tokens

    Self-conditioning (cfg.self_cond, session 21): the first level adds conv3x3(x_prev), x_prev the clean-frame
    estimate of the sampler's previous step (zeros at the first step and on the training samples without one). That conv
    has no bias and starts at zero, so x_prev = zeros is exactly "no estimate" and a warm start is unchanged.

    The actor box (cfg.actor_box_cond, session 26) enters the same way: the first level adds conv3x3(box), box the
    actor's box per frame as a 0/1 mask; no bias, zero at the start, zeros = no box given. A painted layout
    (session 31) is 4 channels into the same conv.

    The previous frame (cfg.prev_frame_cond, session 29) too: conv3x3(prev), prev the shot's frame before a
    continuation chunk, given to each of the chunk's frames; no bias, zero at the start, zeros = none.
    """

    def __init__(self, cfg: StoryDiTConfig):
        super().__init__()
        C, w, d = cfg.latent_channels, cfg.conv_decoder_width, cfg.d_model
        self.levels = cfg.patch_h.bit_length() - 1
        self.widths = [w * (lvl + 1) for lvl in range(self.levels)]
        self.convs = nn.ModuleList(nn.Conv2d(C if lvl == 0 else self.widths[lvl - 1], self.widths[lvl], 3, padding=1)
                                   for lvl in range(self.levels))
        self.film = nn.Sequential(nn.Linear(1, 64), nn.SiLU(), nn.Linear(64, 2 * sum(self.widths)))
        self.res, self.res_film = res_levels(cfg, self.widths)                     # res[l]: level l's blocks
        self.to_tokens = nn.Linear(self.widths[-1], d)
        self.self_cond = nn.Conv2d(C, self.widths[0], 3, padding=1, bias=False) if cfg.self_cond else None
        self.actor_box = nn.Conv2d(cfg.actor_layout_channels, self.widths[0], 3, padding=1, bias=False) \
            if cfg.actor_box_cond else None
        self.prev_frame = nn.Conv2d(C, self.widths[0], 3, padding=1, bias=False) if cfg.prev_frame_cond else None
        self.to(memory_format=torch.channels_last)

    def forward(self, x_t: torch.Tensor, t_frames: torch.Tensor, x_prev: Optional[torch.Tensor] = None,
                actor_box: Optional[torch.Tensor] = None, prev_frame: Optional[torch.Tensor] = None
                ) -> Tuple[List[torch.Tensor], torch.Tensor]:
        """x_t (B, F, C, H, W), t_frames (B, F, 1, 1, 1), x_prev (B, F, C, H, W) or None (self_cond only: the
        previous step's clean-frame estimate; None = zeros), actor_box (B, F, 1 or 4, H, W) or None, prev_frame
        (B, F, C, H, W) or None (the shot's frame before the chunk, per frame; None = zeros) -> (skips: level l
        (B*F, w_l, H/2^l, W/2^l), tokens to add to the patch embedding (B, F*Hp*Wp, d) in (f, h, w) order)."""
        B, Fr, C, H, W = x_t.shape
        assert x_prev is None or self.self_cond is not None, "x_prev given to a model without self-conditioning"
        assert actor_box is None or self.actor_box is not None, "actor_box given to a model without actor_box_cond"
        assert prev_frame is None or self.prev_frame is not None, "prev_frame given to a model without prev_frame_cond"
        h = x_t.float().reshape(B * Fr, C, H, W).contiguous(memory_format=torch.channels_last)
        film = self.film(t_frames.reshape(B * Fr, 1).float())
        res_film = self.res_film(t_frames.reshape(B * Fr, 1).float()) if self.res_film is not None else None
        skips, at, res_at = [], 0, 0
        for lvl, conv in enumerate(self.convs):
            if lvl:
                h = F.avg_pool2d(h, 2)
            pre = conv(h)
            if lvl == 0 and x_prev is not None:
                pre = pre + self.self_cond(x_prev.float().reshape(B * Fr, C, H, W)
                                           .contiguous(memory_format=torch.channels_last))
            if lvl == 0 and actor_box is not None:
                pre = pre + self.actor_box(actor_box.float().reshape(B * Fr, self.actor_box.in_channels, H, W)
                                           .contiguous(memory_format=torch.channels_last))
            if lvl == 0 and prev_frame is not None:
                pre = pre + self.prev_frame(prev_frame.float().reshape(B * Fr, C, H, W)
                                            .contiguous(memory_format=torch.channels_last))
            h, at = film_silu(pre, film, at)
            h, res_at = run_res_blocks(self.res[lvl], h, res_film, res_at)
            skips.append(h)
        grid = F.avg_pool2d(h, 2)                                                   # (B*F, w_L, Hp, Wp)
        tokens = grid.permute(0, 2, 3, 1).reshape(B, -1, self.widths[-1])           # (B, F*Hp*Wp, w_L)
        return skips, self.to_tokens(tokens)


# ---------------------------------------------------------------------------------------------
# the model
# ---------------------------------------------------------------------------------------------
class StoryDiT(nn.Module):
    def __init__(self, cfg: StoryDiTConfig, attn_impl: str = "auto"):
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        self.attn_impl = attn_impl                   # runtime choice, not part of the architecture
        d = cfg.d_model
        self.patch_embed = nn.Linear(cfg.patch_dim, d)
        self.text_norm = nn.LayerNorm(cfg.text_dim, eps=cfg.norm_eps)
        self.text_proj = nn.Linear(cfg.text_dim, d)
        self.token_type = nn.Embedding(2, d)         # row TEXT_TYPE, row VIDEO_TYPE
        self.t_embedder = TimestepEmbedder(cfg)
        self.caption_embedder = CaptionEmbedder(cfg) if cfg.caption_cond else None
        self.shot_embedder = ShotEmbedder(cfg) if cfg.shot_cond else None
        self.t_block = nn.Linear(d, N_MOD * d)       # adaLN-single: shared by all blocks, applied to SiLU(c)
        self.blocks = nn.ModuleList([StoryDiTBlock(cfg) for _ in range(cfg.n_layers)])
        self.final = FinalLayer(cfg)
        self.refiner = PixelRefiner(cfg) if cfg.refiner_width else None
        self.conv_decoder = ConvDecoder(cfg) if cfg.conv_decoder_width else None
        self.conv_encoder = ConvEncoder(cfg) if cfg.conv_encoder else None
        self.initialize_weights()

    def initialize_weights(self) -> None:
        """DiT/PixArt init; adaLN-Zero: t_block, every mod_table, final table and final proj start at 0,
        so each block starts as the identity (gates 0) and the output starts at 0."""
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
        nn.init.normal_(self.token_type.weight, std=0.02)
        nn.init.normal_(self.t_embedder.fc1.weight, std=0.02)
        nn.init.normal_(self.t_embedder.fc2.weight, std=0.02)
        if self.caption_embedder is not None:
            nn.init.zeros_(self.caption_embedder.fc2.weight)
        if self.shot_embedder is not None:
            nn.init.zeros_(self.shot_embedder.camera.weight)
            nn.init.zeros_(self.shot_embedder.size.weight)
            if self.shot_embedder.kind is not None:
                nn.init.zeros_(self.shot_embedder.kind.weight)
        for z in [self.t_block.weight, self.t_block.bias, self.final.proj.weight, self.final.proj.bias,
                  self.final.table] + [b.mod_table for b in self.blocks]:
            nn.init.zeros_(z)
        if self.refiner is not None:
            nn.init.zeros_(self.refiner.conv_out.weight)
            nn.init.zeros_(self.refiner.conv_out.bias)
        if self.conv_decoder is not None:
            nn.init.zeros_(self.conv_decoder.conv_out.weight)
            nn.init.zeros_(self.conv_decoder.conv_out.bias)
        if self.conv_encoder is not None:
            nn.init.zeros_(self.conv_encoder.to_tokens.weight)
            nn.init.zeros_(self.conv_encoder.to_tokens.bias)
            if self.conv_encoder.self_cond is not None:
                nn.init.zeros_(self.conv_encoder.self_cond.weight)
            if self.conv_encoder.actor_box is not None:
                nn.init.zeros_(self.conv_encoder.actor_box.weight)
            if self.conv_encoder.prev_frame is not None:
                nn.init.zeros_(self.conv_encoder.prev_frame.weight)

    # ---- patchify ------------------------------------------------------------------------------
    def patchify(self, latents: torch.Tensor) -> torch.Tensor:
        """(B, F, C, H, W) -> (B, F/pt * Hp * Wp, P) tubelets in (f, h, w) raster order."""
        c = self.cfg
        B, Fr, C, H, W = latents.shape
        pt, ph, pw = c.patch_t, c.patch_h, c.patch_w
        x = latents.reshape(B, Fr // pt, pt, C, H // ph, ph, W // pw, pw)      # (B, Ft, pt, C, Hp, ph, Wp, pw)
        x = x.permute(0, 1, 4, 6, 2, 5, 7, 3)                                   # (B, Ft, Hp, Wp, pt, ph, pw, C)
        return x.reshape(B, (Fr // pt) * (H // ph) * (W // pw), c.patch_dim)    # (B, Ft*Hp*Wp, P)

    def unpatchify(self, tokens: torch.Tensor, n_frames: int) -> torch.Tensor:
        """(B, F/pt * Hp * Wp, P) -> (B, F, C, H, W)."""
        c = self.cfg
        B = tokens.shape[0]
        pt, ph, pw = c.patch_t, c.patch_h, c.patch_w
        Hp, Wp = c.grid_hw
        x = tokens.reshape(B, n_frames // pt, Hp, Wp, pt, ph, pw, c.latent_channels)  # (B, Ft, Hp, Wp, pt, ph, pw, C)
        x = x.permute(0, 1, 4, 7, 2, 5, 3, 6)                                   # (B, Ft, pt, C, Hp, ph, Wp, pw)
        return x.reshape(B, n_frames, c.latent_channels, Hp * ph, Wp * pw)      # (B, F, C, H, W)

    def camera_rates(self, camera: torch.Tensor):
        """Camera labels (B, N) int (0 = null, i + 1 = cfg.cameras[i]) -> (pan, log_zoom) per latent frame, each
        (B, N) float64: the view's travel under each label (static and null: none)."""
        c = self.cfg
        moves = [(0.0, 0.0)] + [camera_move(name, c.camera_pan_per_frame, c.camera_log_zoom_per_frame)
                                for name in c.cameras]
        pan_table, zoom_table = torch.tensor(moves, dtype=torch.float64).unbind(1)
        return pan_table[camera], zoom_table[camera]

    def layout_for(self, shot_frames, has_global: bool) -> SceneLayout:
        """Full layout (one segment per shot) with this model's grid, l_txt, chunk size."""
        return SceneLayout.full(shot_frames, has_global, self.cfg.grid_hw, self.cfg.l_txt,
                                self.cfg.chunk_frames, self.cfg.patch_t)

    # ---- forward -------------------------------------------------------------------------------
    def forward(self, latents: torch.Tensor, text: torch.Tensor, t: torch.Tensor, layout: SceneLayout,
                mask_mode: str, kv_cache: Optional[KvCache] = None, return_kv: bool = False,
                caption: Optional[torch.Tensor] = None, shot_labels: Optional[torch.Tensor] = None,
                self_cond: Optional[torch.Tensor] = None, actor_box: Optional[torch.Tensor] = None,
                prev_frame: Optional[torch.Tensor] = None):
        """Velocity prediction for the video tokens of `layout`.

        latents  (B, F, C, H, W)        latent frames of the layout's segments, concatenated in order
        text     (B, T, L_txt, 384)     caption token embeddings, one row per text segment (zeros = null)
        t        (B, G)                 timestep in [0, 1] of each segment
        layout   SceneLayout            which tokens this forward holds (positions, segments, chunks)
        mask_mode                       one of masks.MASK_MODES
        kv_cache KvCache or None        K/V of earlier tokens (they precede this layout's tokens)
        caption  (B, G, 384) or None    caption_cond only: pooled caption per segment (zeros = null); None =
                                        segment_captions(layout, text)
        shot_labels (B, G, 2) or None   shot_cond only: [camera, shot size] label per segment (0 = null;
                                        kind_label_oracle: (B, G, 3), + [kind]);
                                        None = all null
        self_cond (B, F, C, H, W) or None  self_cond models only: the previous step's clean-frame estimate of
                                        every frame (None = zeros: no estimate yet)
        actor_box (B, F, 1, H, W) or None  actor_box_cond models only: the actor's box per frame, 1 inside (None =
                                        zeros: no box given); painted layouts (B, F, 4, H, W)
        prev_frame (B, F, C, H, W) or None  prev_frame_cond models only: per frame, the shot's frame before the
                                        frame's chunk when the chunk continues a shot (zeros elsewhere; None =
                                        zeros)
        returns  v (B, F, C, H, W)      and, when return_kv, a KvCache of this forward's tokens
        """
        c = self.cfg
        B = latents.shape[0]
        assert mask_mode in MASK_MODES, f"unknown mask mode {mask_mode!r}"
        assert latents.shape[1:] == (layout.n_frames, c.latent_channels, c.latent_h, c.latent_w), \
            f"latents {tuple(latents.shape)} do not match layout frames {layout.n_frames} and config"
        assert text.shape == (B, layout.n_text_segments, c.l_txt, c.text_dim), \
            f"text {tuple(text.shape)} expected {(B, layout.n_text_segments, c.l_txt, c.text_dim)}"
        assert t.shape == (B, len(layout.segments)), f"t {tuple(t.shape)} expected {(B, len(layout.segments))}"
        assert self_cond is None or c.self_cond, "self_cond given to a model without self-conditioning"
        assert actor_box is None or c.actor_box_cond, "actor_box given to a model without actor_box_cond"
        assert prev_frame is None or c.prev_frame_cond, "prev_frame given to a model without prev_frame_cond"
        assert (layout.grid_h, layout.grid_w, layout.l_txt, layout.chunk_frames) == \
            (*c.grid_hw, c.l_txt, c.chunk_frames), "layout was built for another config"
        table: TokenTable = layout.token_table()
        dev = latents.device
        seg_index = table.segment.to(dev)
        video_idx = torch.nonzero(table.is_video.to(dev), as_tuple=True)[0]       # (Nv,)
        text_idx = torch.nonzero(1 - table.is_video.to(dev), as_tuple=True)[0]    # (Nt,)
        N, d = len(table), c.d_model

        # 1. patch & text embedding, token type (no absolute positions: RoPE only); the conv encoder's features
        t_frames = frames_t(t, layout.frame_slices(), layout.n_frames).to(dev) \
            if c.prediction == "x" else None                                        # (B, F, 1, 1, 1)
        vid = self.patch_embed(self.patchify(latents))                             # (B, Nv, d)
        skips = None
        if self.conv_encoder is not None:
            skips, enc_tokens = self.conv_encoder(latents, t_frames, self_cond, actor_box,
                                                  prev_frame)                      # levels; (B, Nv, d)
            vid = vid + enc_tokens.to(vid.dtype)
        txt = self.text_proj(self.text_norm(text.reshape(B, -1, c.text_dim)))      # (B, Nt, d)
        x = torch.zeros(B, N, d, device=dev, dtype=torch.float32)                 # residual stream stays fp32
        x[:, video_idx] = (vid + self.token_type.weight[VIDEO_TYPE]).float()
        x[:, text_idx] = (txt + self.token_type.weight[TEXT_TYPE]).float()

        # 2. condition: per-segment timestep embedding and adaLN-single modulation
        cond = self.t_embedder(t)                                                   # (B, G, d)
        if self.caption_embedder is not None:
            if caption is None:
                caption = segment_captions(layout, text)
            assert caption.shape == (B, len(layout.segments), c.text_dim), \
                f"caption {tuple(caption.shape)} expected {(B, len(layout.segments), c.text_dim)}"
            cond = cond + self.caption_embedder(caption)                            # (B, G, d)
        if self.shot_embedder is not None:
            shape = (B, len(layout.segments), c.n_shot_labels)
            if shot_labels is None:
                shot_labels = torch.zeros(shape, dtype=torch.long, device=dev)
            assert shot_labels.shape == shape, f"shot_labels {tuple(shot_labels.shape)} expected {shape}"
            cond = cond + self.shot_embedder(shot_labels.to(dev))                   # (B, G, d)
        seg_mod = self.t_block(F.silu(cond)).view(B, -1, N_MOD, d)                  # (B, G, 6, d)

        # 3. positions (camera RoPE: per batch row, from each token's camera label) and attention mask
        pos = table.pos                                                             # (N, 3)
        if c.camera_rope:
            pan, log_zoom = self.camera_rates(shot_labels[..., 0][:, seg_index.cpu()].cpu())    # (B, N) each
            pos = camera_rope_positions(table.pos, table.frame, c.patch_t, c.grid_hw, pan, log_zoom,
                                        c.camera_hold_frames)                       # (B, N, 3)
        cos, sin = rope_cos_sin(pos, c.head_dim, c.rope_theta)                      # (N, Dh) or (B, N, Dh) each
        cos, sin = cos.to(dev), sin.to(dev)
        if kv_cache is None and mask_mode == "scene_full":
            allow = None                                                            # all pairs: lets SDPA use flash
        else:
            k_shot, k_chunk = table.shot, table.chunk
            if kv_cache is not None:
                k_shot = torch.cat([kv_cache.shot.cpu(), k_shot])
                k_chunk = torch.cat([kv_cache.chunk.cpu(), k_chunk])
            allow = build_allow(mask_mode, table.shot, table.chunk, k_shot, k_chunk).to(dev)  # (N, Nk)

        # 4. transformer blocks
        new_keys, new_values = [], []
        for i, block in enumerate(self.blocks):
            past = (kv_cache.keys[i], kv_cache.values[i]) if kv_cache is not None else None
            x, (k, v) = block(x, seg_mod, seg_index, cos, sin, allow, past, self.attn_impl)
            if return_kv:
                new_keys.append(k)
                new_values.append(v)

        # 5. output: final modulated projection of the video tokens, unpatchify
        x_vid, c_vid = x[:, video_idx], cond[:, seg_index[video_idx]]              # (B, Nv, d) each
        v_pred = self.unpatchify(self.final(x_vid, c_vid), layout.n_frames)        # (B, F, C, H, W)
        if c.prediction == "x":                                                     # x-prediction (JiT): the
            if self.conv_decoder is not None:                                       # head gave x_hat
                feats = self.final.features(x_vid, c_vid)                          # what the head reads
                v_pred = self.conv_decoder(feats, v_pred, latents, t_frames, skips)  # (B, F, C, H, W)
            if self.refiner is not None:
                v_pred = self.refiner(v_pred, latents, t_frames)                    # (B, F, C, H, W)
            v_pred = (latents.float() - v_pred.float()) / t_frames.clamp(min=c.x_pred_t_min)
        if return_kv:
            return v_pred, KvCache(new_keys, new_values, table.shot.clone(), table.chunk.clone())
        return v_pred


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
