"""Interleaved 3D rotary position embedding (LCT), rotate-half convention.

head_dim Dh is split into three contiguous parts [t | h | w]:
    d_h = d_w = 2 * floor(Dh / 6),   d_t = Dh - d_h - d_w
    (Dh=16 -> 8,4,4   Dh=32 -> 12,10,10   Dh=64 -> 24,20,20)
Part a in {t, h, w} of size D rotates by its own coordinate p_a (positions from layout.token_table):
    inv_freq[i] = theta ** (-2i / D),  i = 0 .. D/2-1,  theta = 10000
    angle[i]    = p_a * inv_freq[i]                          (computed in float64, then cast to float32)
    cos_a = cat[cos(angle), cos(angle)],  sin_a = cat[sin(angle), sin(angle)]      # (D,)
    rotate_half(x) = cat[-x[D/2:], x[:D/2]]
    x_a' = x_a * cos_a + rotate_half(x_a) * sin_a
This is the GPT-NeoX / Llama "rotate-half" form (pairs (i, i + D/2)), NOT the interleaved-pairs form
(2i, 2i+1). The Java port must use the same pairing.
"""
from __future__ import annotations

from typing import Optional, Tuple

import torch

ROPE_THETA = 10000.0


def rope_split(head_dim: int) -> Tuple[int, int, int]:
    """(d_t, d_h, d_w) for a head of size head_dim."""
    d_hw = 2 * (head_dim // 6)
    d_t = head_dim - 2 * d_hw
    assert d_hw > 0 and d_t > 0 and d_t % 2 == 0, f"head_dim {head_dim} cannot be split into even t/h/w parts"
    return d_t, d_hw, d_hw


def rope_cos_sin(pos: torch.Tensor, head_dim: int, theta: float = ROPE_THETA) -> Tuple[torch.Tensor, torch.Tensor]:
    """pos (N, 3) or (B, N, 3), int or float (camera_rope_positions) -> cos, sin each (N, head_dim) or
    (B, N, head_dim) float32, parts laid out [t | h | w]."""
    assert pos.dim() in (2, 3) and pos.shape[-1] == 3, f"pos must be (N, 3) or (B, N, 3), got {tuple(pos.shape)}"
    coss, sins = [], []
    for axis, d in enumerate(rope_split(head_dim)):
        inv_freq = theta ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)          # (d/2,)
        angle = pos[..., axis].to(torch.float64)[..., None] * inv_freq                 # (.., N, d/2)
        angle = torch.cat([angle, angle], dim=-1)                                      # (.., N, d)
        coss.append(angle.cos())
        sins.append(angle.sin())
    return torch.cat(coss, -1).float(), torch.cat(sins, -1).float()                    # (.., N, Dh) each


def _rotate_half(x: torch.Tensor) -> torch.Tensor:
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat([-x2, x1], dim=-1)


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, head_dim: int) -> torch.Tensor:
    """x (B, H, N, Dh), cos/sin (N, Dh) or per batch row (B, N, Dh) -> rotated x (B, H, N, Dh); each t/h/w part
    rotates on its own."""
    if cos.dim() == 3:
        cos, sin = cos[:, None], sin[:, None]                                          # (B, 1, N, Dh)
    parts = torch.split(x, list(rope_split(head_dim)), dim=-1)
    rotated = torch.cat([_rotate_half(p) for p in parts], dim=-1)                      # (B, H, N, Dh)
    return x * cos.to(x.dtype) + rotated * sin.to(x.dtype)


def camera_move(name: Optional[str], pan_per_frame: float, log_zoom_per_frame: float) -> Tuple[float, float]:
    """(pan, log zoom) per frame under the camera move `name`: pan_right +pan, pan_left -pan, zoom_in +log_zoom
    (< 0: the view shrinks), zoom_out -log_zoom; static, None and unknown moves: (0, 0). The one mapping of camera
    names to travel, for camera RoPE (in patches) and the camera noise (in pixels); Java: CameraMotion.rates."""
    pan = {"pan_left": -pan_per_frame, "pan_right": pan_per_frame}.get(name, 0.0)
    log_zoom = {"zoom_in": log_zoom_per_frame, "zoom_out": -log_zoom_per_frame}.get(name, 0.0)
    return pan, log_zoom


def camera_rope_positions(pos: torch.Tensor, frame: torch.Tensor, patch_t: int, grid_hw: Tuple[int, int],
                          pan: torch.Tensor, log_zoom: torch.Tensor, hold_frames: int = 0) -> torch.Tensor:
    """Camera RoPE: the spatial positions of a video token in world coordinates instead of screen coordinates.

    A camera move is a known transform of the frame: a pan slides the view by `pan` patches per latent frame, a zoom
    scales the view height by exp(log_zoom) per frame about the frame centre. Rotating a token by where its content
    sits in the world, not on the screen, gives the same background point the same position in every frame of the
    shot, so attention links it across frames as it does for a static camera, and the model is told per frame how
    far the camera has gone (CameraCtrl and MotionCtrl condition per frame on the camera for the same reason).

        h' = c_h + (h - c_h) * exp(log_zoom * f')
        w' = c_w + (w - c_w) * exp(log_zoom * f') + pan * f'        f = latent frame index in the shot
        c  = the grid centre ((grid - 1) / 2 after the position's base)
        f' = min(f, hold_frames) (hold_frames > 0), else f

    hold_frames: the camera's travel stops growing after this frame (the trained shot's last frame): past it a zoom
    would shrink every position towards the centre and a pan slide them beyond any distance training saw.

    pos (N, 3) int (layout.TokenTable.pos), frame (N,) int (-1 = text, unchanged), pan / log_zoom (B, N) float per
    token -> (B, N, 3) float64. A static or null camera (pan = log_zoom = 0) leaves every position as it was."""
    B = pan.shape[0]
    out = pos.to(torch.float64)[None].repeat(B, 1, 1)                                 # (B, N, 3)
    vid = frame >= 0
    f = frame[vid].to(torch.float64)                                                   # (Nv,)
    if hold_frames > 0:
        f = f.clamp(max=hold_frames)
    base = out[:, vid, 0] - torch.div(frame[vid], patch_t, rounding_mode="floor").to(torch.float64)
    z = torch.exp(log_zoom[:, vid].to(torch.float64) * f)                              # (B, Nv)
    for axis, grid in ((1, grid_hw[0]), (2, grid_hw[1])):
        c = base + (grid - 1) / 2.0
        out[:, vid, axis] = c + (out[:, vid, axis] - c) * z
    out[:, vid, 2] = out[:, vid, 2] + pan[:, vid].to(torch.float64) * f
    return out
