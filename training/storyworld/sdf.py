"""Signed distance functions, antialiased coverage and integer hashing, all in torch.

Every SDF takes coordinate tensors that broadcast against each other (typically
x: [n, 1, W] and y: [n, H, 1]) and returns distances in the same units (negative
inside). Coverage turns a distance measured in *pixels* into a soft 0..1 mask: a
smoothstep over one pixel, which is what makes edges antialiased without
supersampling. Only plain elementwise ops are used, so results match across
devices up to float rounding.
"""

from __future__ import annotations

import math

import torch

Tensor = torch.Tensor


def coverage(distance_px: Tensor) -> Tensor:
    """Fraction of a pixel inside a shape whose edge is ``distance_px`` pixels away."""
    t = torch.clamp(0.5 - distance_px, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def over(image: Tensor, colour, alpha: Tensor) -> Tensor:
    """Composite ``colour`` onto ``image`` [n, 3, H, W] with ``alpha`` [n, H, W].

    ``colour`` is a tensor broadcastable to the image ([3, 1, 1], [n, 3, 1, 1] or
    [n, 3, H, W]).
    """
    return image + alpha.unsqueeze(1) * (colour - image)


def rgb(r: float, g: float, b: float, like: Tensor) -> Tensor:
    """A constant colour [3, 1, 1] on the device/dtype of ``like``."""
    return torch.tensor([r, g, b], dtype=like.dtype, device=like.device).view(3, 1, 1)


def length(x: Tensor, y: Tensor) -> Tensor:
    return torch.sqrt(x * x + y * y)


def circle(x: Tensor, y: Tensor, radius) -> Tensor:
    return length(x, y) - radius


def ellipse(x: Tensor, y: Tensor, a, b) -> Tensor:
    """Approximate SDF of an axis-aligned ellipse with half-axes a, b.

    The implicit function divided by its gradient length: the zero set is exactly the
    ellipse and distances are right to first order, so one-pixel ramps and outlines
    have the same width all around (a plain rescaling would thin them at the ends).
    """
    k0 = length(x / a, y / b)
    k1 = torch.clamp(length(x / (a * a), y / (b * b)), min=1e-6)
    return k0 * (k0 - 1.0) / k1


def box(x: Tensor, y: Tensor, half_w, half_h) -> Tensor:
    qx = torch.abs(x) - half_w
    qy = torch.abs(y) - half_h
    outside = length(torch.clamp(qx, min=0.0), torch.clamp(qy, min=0.0))
    inside = torch.clamp(torch.maximum(qx, qy), max=0.0)
    return outside + inside


def rounded_box(x: Tensor, y: Tensor, half_w: float, half_h: float, corner: float) -> Tensor:
    return box(x, y, half_w - corner, half_h - corner) - corner


def triangle(x: Tensor, y: Tensor, p0, p1, p2) -> Tensor:
    """Exact SDF of the triangle with vertices p0, p1, p2 (pairs of scalars or tensors).

    Vertex coordinates may be tensors broadcastable to x (per-frame animation).
    """
    def edge(ax, ay, bx, by):
        ex, ey = bx - ax, by - ay
        vx, vy = x - ax, y - ay
        t = torch.clamp((vx * ex + vy * ey) / (ex * ex + ey * ey), 0.0, 1.0)
        qx, qy = vx - ex * t, vy - ey * t
        return qx * qx + qy * qy, vx * ey - vy * ex

    (x0, y0), (x1, y1), (x2, y2) = p0, p1, p2
    winding = (x1 - x0) * (y0 - y2) - (y1 - y0) * (x0 - x2)
    orientation = torch.sign(torch.as_tensor(winding, dtype=x.dtype, device=x.device))
    d0, s0 = edge(x0, y0, x1, y1)
    d1, s1 = edge(x1, y1, x2, y2)
    d2, s2 = edge(x2, y2, x0, y0)
    dist2 = torch.minimum(torch.minimum(d0, d1), d2)
    side = torch.minimum(torch.minimum(s0 * orientation, s1 * orientation), s2 * orientation)
    return -torch.sqrt(dist2) * torch.sign(side)


def star5(x: Tensor, y: Tensor, radius: float, inner_ratio: float) -> Tensor:
    """Five-pointed star with a tip pointing up (screen up = -y), outer radius ``radius``."""
    k1x, k1y = 0.809016994375, -0.587785252292  # cos/sin(-36 deg): fold axes of the star
    k2x, k2y = -k1x, k1y
    px, py = torch.abs(x), -y  # y-up for the folding below
    d = 2.0 * torch.clamp(k1x * px + k1y * py, min=0.0)
    px, py = px - d * k1x, py - d * k1y
    d = 2.0 * torch.clamp(k2x * px + k2y * py, min=0.0)
    px, py = px - d * k2x, py - d * k2y
    px = torch.abs(px)
    py = py - radius
    bax, bay = inner_ratio * (-k1y), inner_ratio * k1x - 1.0
    t = torch.clamp((px * bax + py * bay) / (bax * bax + bay * bay), 0.0, radius)
    return length(px - bax * t, py - bay * t) * torch.sign(py * bax - px * bay)


def star5_tips(radius: float):
    """The five tip points of ``star5`` (screen coordinates, y down)."""
    return [(radius * math.sin(2.0 * math.pi * k / 5.0), -radius * math.cos(2.0 * math.pi * k / 5.0))
            for k in range(5)]


# Integer hashing: int64 arithmetic on values kept below 2**32 (products stay below
# 2**63), so every device computes bit-identical results, unlike sin()-based hashes.
_MASK32 = 0xFFFFFFFF
_MIX = 0x45D9F3B


def _mix(h: Tensor) -> Tensor:
    h = ((h >> 16) ^ h) * _MIX & _MASK32
    h = ((h >> 16) ^ h) * _MIX & _MASK32
    return (h >> 16) ^ h


def hash_unit(seed: Tensor, *cells: Tensor) -> Tensor:
    """Uniform [0, 1) pseudo-random value for each integer cell, per seed.

    ``seed`` and ``cells`` are int64 tensors broadcastable to each other.
    """
    h = seed & _MASK32
    for cell in cells:
        h = _mix(h ^ (cell & _MASK32))
    return h.to(torch.float32) / float(1 << 32)
