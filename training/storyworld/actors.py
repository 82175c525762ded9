"""Actor silhouettes built from SDF primitives, their colouring, and their exact extents.

Shapes live in *local* units: the actor's radius is 1, x points the way the actor
faces, y points down. Each kind is a list of parts; the same parts give both the
pixels (``paint_actors``) and the outline points that bounding-box labels are
computed from (``outline_points``), so labels and pictures cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple, Union

import torch

from . import sdf
from .motion import FLAPS_PER_FRAME

Tensor = torch.Tensor
Scalar = Union[float, Tensor]  # per-frame values are tensors [n, 1, 1]

_ARC_POINTS = 96  # samples per circle/ellipse outline; polygon error < 0.06 % of radius


def _as_column(value: Scalar, n: int, like: Tensor) -> Tensor:
    """A float or [n, 1, 1] tensor as a [n] vector (for outline points)."""
    return torch.as_tensor(value, dtype=like.dtype, device=like.device).reshape(-1).expand(n)


@dataclass(frozen=True)
class Circle:
    cx: Scalar
    cy: Scalar
    r: float

    def distance(self, x: Tensor, y: Tensor) -> Tensor:
        return sdf.circle(x - self.cx, y - self.cy, self.r)

    def points(self, n: int, like: Tensor) -> Tensor:
        return Ellipse(self.cx, self.cy, self.r, self.r).points(n, like)


@dataclass(frozen=True)
class Ellipse:
    cx: Scalar
    cy: Scalar
    a: float
    b: float

    def distance(self, x: Tensor, y: Tensor) -> Tensor:
        return sdf.ellipse(x - self.cx, y - self.cy, self.a, self.b)

    def points(self, n: int, like: Tensor) -> Tensor:
        t = torch.arange(_ARC_POINTS, dtype=like.dtype, device=like.device) * (2.0 * math.pi / _ARC_POINTS)
        px = _as_column(self.cx, n, like)[:, None] + self.a * torch.cos(t)[None, :]
        py = _as_column(self.cy, n, like)[:, None] + self.b * torch.sin(t)[None, :]
        return torch.stack([px, py], dim=-1)  # [n, P, 2]


@dataclass(frozen=True)
class Triangle:
    p0: Tuple[Scalar, Scalar]
    p1: Tuple[Scalar, Scalar]
    p2: Tuple[Scalar, Scalar]

    def distance(self, x: Tensor, y: Tensor) -> Tensor:
        return sdf.triangle(x, y, self.p0, self.p1, self.p2)

    def points(self, n: int, like: Tensor) -> Tensor:
        return torch.stack([torch.stack([_as_column(px, n, like), _as_column(py, n, like)], dim=-1)
                            for px, py in (self.p0, self.p1, self.p2)], dim=1)  # [n, 3, 2]


@dataclass(frozen=True)
class RoundedSquare:
    half: float
    corner: float

    def distance(self, x: Tensor, y: Tensor) -> Tensor:
        return sdf.rounded_box(x, y, self.half, self.half, self.corner)

    def points(self, n: int, like: Tensor) -> Tensor:
        inner = self.half - self.corner
        arcs = [Circle(sx * inner, sy * inner, self.corner).points(n, like) for sx in (-1, 1) for sy in (-1, 1)]
        return torch.cat(arcs, dim=1)


@dataclass(frozen=True)
class Star:
    r: float
    inner_ratio: float

    def distance(self, x: Tensor, y: Tensor) -> Tensor:
        return sdf.star5(x, y, self.r, self.inner_ratio)

    def points(self, n: int, like: Tensor) -> Tensor:
        tips = torch.tensor(sdf.star5_tips(self.r), dtype=like.dtype, device=like.device)
        return tips.unsqueeze(0).expand(n, 5, 2)


@dataclass(frozen=True)
class Ring:
    r: float  # outer radius
    thickness: float

    def distance(self, x: Tensor, y: Tensor) -> Tensor:
        return torch.abs(sdf.length(x, y) - (self.r - self.thickness / 2.0)) - self.thickness / 2.0

    def points(self, n: int, like: Tensor) -> Tensor:
        return Circle(0.0, 0.0, self.r).points(n, like)


Part = Union[Circle, Ellipse, Triangle, RoundedSquare, Star, Ring]


@dataclass(frozen=True)
class Detail:
    """A part painted over the body: a darker shade of the actor colour, or an eye."""

    part: Part
    shade: Optional[float]  # multiplier of the actor colour; None = eye (near black)


@dataclass(frozen=True)
class Figure:
    body: Sequence[Part]  # carries the pattern
    details: Sequence[Detail] = ()  # painted over the body; those sticking out widen the silhouette


def figure(kind: str, anim: Scalar) -> Figure:
    """The parts of one kind at animation time ``anim`` (frame index)."""
    phase = 2.0 * math.pi * FLAPS_PER_FRAME * anim
    if kind == "ball":
        return Figure(body=[Circle(0.0, 0.0, 1.0)])
    if kind == "cube":
        return Figure(body=[RoundedSquare(0.86, 0.14)])
    if kind == "pyramid":
        s = 1.0  # half the base; the centroid sits at the origin
        apex, base_y = -2.0 * s / math.sqrt(3.0), s / math.sqrt(3.0)
        return Figure(body=[Triangle((-s, base_y), (s, base_y), (0.0, apex))],
                      details=[Detail(Triangle((0.0, base_y), (s, base_y), (0.0, apex)), 0.72)])  # shaded face
    if kind == "star":
        return Figure(body=[Star(1.1, 0.48)])
    if kind == "ring":
        return Figure(body=[Ring(1.0, 0.55)])
    if kind == "bird":
        flap = 0.5 + 0.5 * torch.sin(torch.as_tensor(phase))  # 0 = wing down, 1 = wing up
        return Figure(
            body=[Ellipse(-0.12, 0.12, 0.8, 0.52), Circle(0.56, -0.22, 0.4),
                  Triangle((-0.72, 0.0), (-1.22, -0.3), (-1.16, 0.32))],  # body, head, tail
            details=[Detail(Triangle((-0.55, 0.02), (0.25, 0.02), (-0.38, -0.3 - 0.62 * flap)), 0.7),  # wing
                     Detail(Triangle((0.86, -0.36), (0.86, -0.1), (1.26, -0.23)), 0.5),  # beak
                     Detail(Circle(0.66, -0.3, 0.085), None)])  # eye
    if kind == "fish":
        wag = 0.14 * torch.sin(torch.as_tensor(phase))
        return Figure(
            body=[Ellipse(0.12, 0.0, 0.86, 0.56), Triangle((-0.6, 0.0), (-1.15, -0.52 + wag), (-1.15, 0.52 + wag))],
            details=[Detail(Triangle((-0.2, -0.4), (0.35, -0.45), (-0.12, -0.78)), 0.72),  # dorsal fin
                     Detail(Circle(0.6, -0.1, 0.09), None)])  # eye
    raise ValueError(f"unknown actor kind {kind!r}")


def _silhouette_parts(fig: Figure) -> List[Part]:
    return list(fig.body) + [d.part for d in fig.details]


def outline_points(kind: str, anim: Tensor) -> Tensor:
    """Points whose bounding box is the kind's silhouette bounding box, local units.

    anim: [n] frame indices. Returns [n, P, 2] (x towards facing direction, y down).
    """
    n = anim.shape[0]
    fig = figure(kind, anim.view(n, 1, 1))
    return torch.cat([part.points(n, anim) for part in _silhouette_parts(fig)], dim=1)


# Patterns, in local units (rotate and scale with the actor).
STRIPE_PERIOD = 0.7
DOT_PERIOD = 0.62
DOT_RADIUS = 0.17
PATTERN_IDS = {"plain": 0, "stripes": 1, "dots": 2}


def _pattern_distance(lx: Tensor, ly: Tensor, pattern: Tensor) -> Tensor:
    """SDF of the pattern marks (local units); pattern: [n, 1, 1] ids."""
    stripe_u = torch.remainder(lx / STRIPE_PERIOD + 0.5, 1.0) - 0.5
    stripes = (torch.abs(stripe_u) - 0.25) * STRIPE_PERIOD
    dot_u = torch.remainder(lx / DOT_PERIOD + 0.5, 1.0) - 0.5
    dot_v = torch.remainder(ly / DOT_PERIOD + 0.5, 1.0) - 0.5
    dots = sdf.length(dot_u, dot_v) * DOT_PERIOD - DOT_RADIUS
    none = torch.ones_like(stripes)
    return torch.where(pattern == 1, stripes, torch.where(pattern == 2, dots, none))


@dataclass
class ActorFrames:
    """Per-frame actor parameters for a group of n frames of the same kind."""

    x: Tensor  # [n, 1, 1] centre, world
    y: Tensor  # [n, 1, 1]
    radius: Tensor  # [n, 1, 1] world radius (base radius * scale)
    angle: Tensor  # [n, 1, 1] radians, clockwise on screen
    facing: Tensor  # [n, 1, 1] +1 / -1
    anim: Tensor  # [n, 1, 1] frame index
    colour: Tensor  # [n, 3, 1, 1] fill RGB
    pattern_colour: Tensor  # [n, 3, 1, 1]
    outline_colour: Tensor  # [n, 3, 1, 1]
    pattern: Tensor  # [n, 1, 1] pattern id


EYE_COLOUR = (0.05, 0.05, 0.06)
SHADING = 0.22  # light from the top-left: the far side is this much darker


def paint_actors(kind: str, frames: ActorFrames, x: Tensor, y: Tensor, px: Tensor,
                 outline_px: float) -> Tuple[Tensor, Tensor]:
    """Colour [n, 3, H, W] and alpha [n, H, W] of one kind's actor in n frames.

    x: [n, 1, W], y: [n, H, 1] world coordinates of pixel centres, px: [n, 1, 1] world
    units per pixel. Alpha covers fill plus an ``outline_px`` wide outline.
    """
    dx, dy = x - frames.x, y - frames.y  # [n, 1, W], [n, H, 1]
    cos, sin = torch.cos(frames.angle), torch.sin(frames.angle)
    lx = (cos * dx + sin * dy) / frames.radius * frames.facing  # [n, H, W]
    ly = (-sin * dx + cos * dy) / frames.radius
    to_px = frames.radius / px  # local units -> pixels, [n, 1, 1]

    fig = figure(kind, frames.anim)
    body = None
    for part in fig.body:
        d = part.distance(lx, ly)
        body = d if body is None else torch.minimum(body, d)
    silhouette = body
    for part in _silhouette_parts(fig)[len(fig.body):]:
        silhouette = torch.minimum(silhouette, part.distance(lx, ly))

    # 1. body colour with its pattern
    pattern_cov = sdf.coverage(_pattern_distance(lx, ly, frames.pattern) * to_px)
    colour = frames.colour + pattern_cov.unsqueeze(1) * (frames.pattern_colour - frames.colour)
    # 2. details (wing, beak, shaded face, eye)
    eye = sdf.rgb(*EYE_COLOUR, like=x)
    for detail in fig.details:
        detail_colour = eye if detail.shade is None else frames.colour * detail.shade
        colour = sdf.over(colour, detail_colour, sdf.coverage(detail.part.distance(lx, ly) * to_px))
    # 3. shading in screen space (does not spin with the actor); multiplying keeps hue
    light = torch.clamp((dx + dy) / frames.radius / 2.4 + 0.5, 0.0, 1.0)  # [n, H, W]
    colour = colour * (1.0 - SHADING * light).unsqueeze(1)
    # 4. outline ring, then coverage of the whole actor
    silhouette_px = silhouette * to_px
    colour = sdf.over(frames.outline_colour.expand_as(colour), colour, sdf.coverage(silhouette_px))
    alpha = sdf.coverage(silhouette_px - outline_px)
    return colour, alpha


def pattern_id(name: str) -> int:
    return PATTERN_IDS[name]


def local_to_world(points: Tensor, x: Tensor, y: Tensor, radius: Tensor, angle: Tensor,
                   facing: Tensor) -> Tuple[Tensor, Tensor]:
    """Inverse of the transform in ``paint_actors``: local points [n, P, 2] -> world x, y [n, P].

    x, y, radius, angle, facing: [n] tensors.
    """
    lx = points[..., 0] * facing[:, None]
    ly = points[..., 1]
    cos, sin = torch.cos(angle)[:, None], torch.sin(angle)[:, None]
    wx = x[:, None] + radius[:, None] * (cos * lx - sin * ly)
    wy = y[:, None] + radius[:, None] * (sin * lx + cos * ly)
    return wx, wy
