"""The six settings: per-scene layout sampling and painting in world coordinates.

A layout is a JSON-friendly dict with the same keys for every setting (unused ones
are zero), so layouts of different scenes stack into tensors:

- ``celestial``: [x, y, radius] of the sun or moon (radius 0 = none)
- ``ground_phase``: phase of the ground/dune/hill/mountain curves
- ``pattern_seed``: integer seed of the star field and lit windows
- ``prop_spacing`` and five tables of ``PROP_SLOTS`` entries describing props (trees,
  pines, boats, cacti, buildings) in equal slots centred on x = 0:
  ``prop_present`` (0/1), ``prop_offset`` (x shift in the slot), ``prop_height``,
  ``prop_width``, ``prop_shade`` (brightness multiplier)

Each prop fits inside its own slot, so a pixel only needs to look at the prop of the
slot it falls in: one gather per column instead of one SDF per prop.
"""

from __future__ import annotations

from typing import Callable, Dict, List

import numpy as np
import torch

from . import sdf
from .vocab import SETTING_BY_NAME
from .world import HORIZON_Y, PROP_SLOTS

Tensor = torch.Tensor
Layout = Dict[str, object]

PROP_TABLES = ("prop_present", "prop_offset", "prop_height", "prop_width", "prop_shade")


# --------------------------------------------------------------------------- sampling

def _round(values) -> List[float]:
    # Layouts are rounded so the JSON labels reproduce the rendered scene exactly.
    return [round(float(v), 4) for v in np.atleast_1d(values)]


def sample_layout(setting: str, rng: np.random.RandomState) -> Layout:
    """Random layout details of one scene (shared by all its shots)."""
    spacing = SETTING_BY_NAME[setting].prop_spacing
    presence = {"meadow": 0.45, "beach": 0.22, "night": 0.0, "desert": 0.3, "snow": 0.55, "city": 0.93}[setting]
    # (height range, width range) of props, world units; widths keep props inside a slot
    heights, widths = {
        "meadow": ((0.05, 0.1), (0.055, 0.09)),  # trunk height, crown radius
        "beach": ((0.05, 0.08), (0.025, 0.045)),  # sail height, hull half-width
        "night": ((0.0, 0.0), (0.0, 0.0)),
        "desert": ((0.06, 0.11), (0.012, 0.016)),  # cactus height, trunk half-width
        "snow": ((0.1, 0.19), (0.045, 0.07)),  # pine height, lowest branch half-width
        "city": ((0.12, 0.44), (0.38, 0.49)),  # building height, half-width / spacing
    }[setting]
    present = (rng.random_sample(PROP_SLOTS) < presence).astype(float)
    width = rng.uniform(*widths, PROP_SLOTS)
    half_extent = width * spacing if setting == "city" else width
    free = np.maximum(spacing / 2.0 - half_extent - 0.005, 0.0)  # room left in the slot
    offset = rng.uniform(-1.0, 1.0, PROP_SLOTS) * free * (0.0 if setting == "city" else 1.0)
    celestial = {
        "meadow": (rng.uniform(-1.2, 1.2), rng.uniform(-0.42, -0.26), 0.055),
        "beach": (rng.uniform(-1.2, 1.2), rng.uniform(-0.4, -0.2), 0.06),
        "night": (rng.uniform(-1.2, 1.2), rng.uniform(-0.4, -0.22), 0.055),
        "desert": (rng.uniform(-1.2, 1.2), rng.uniform(-0.42, -0.25), 0.075),
        "snow": (rng.uniform(-1.2, 1.2), rng.uniform(-0.44, -0.3), 0.045),
        "city": (0.0, 0.0, 0.0),
    }[setting]
    return {
        "celestial": _round(celestial),
        "ground_phase": _round(rng.uniform(0.0, 2.0 * np.pi))[0],
        "pattern_seed": int(rng.randint(0, 2**31 - 1)),
        "prop_spacing": spacing,
        "prop_present": _round(present),
        "prop_offset": _round(offset),
        "prop_height": _round(rng.uniform(*heights, PROP_SLOTS)),
        "prop_width": _round(width),
        "prop_shade": _round(rng.uniform(0.8, 1.15, PROP_SLOTS)),
    }


def layout_tensors(layouts: List[Layout], device: torch.device) -> Dict[str, Tensor]:
    """Stack layouts of B scenes: scalars -> [B], tables -> [B, PROP_SLOTS], seeds int64."""
    out = {
        "celestial": torch.tensor([l["celestial"] for l in layouts], dtype=torch.float32, device=device),
        "ground_phase": torch.tensor([l["ground_phase"] for l in layouts], dtype=torch.float32, device=device),
        "prop_spacing": torch.tensor([l["prop_spacing"] for l in layouts], dtype=torch.float32, device=device),
        "pattern_seed": torch.tensor([l["pattern_seed"] for l in layouts], dtype=torch.int64, device=device),
    }
    for name in PROP_TABLES:
        out[name] = torch.tensor([l[name] for l in layouts], dtype=torch.float32, device=device)
    return out


# --------------------------------------------------------------------------- painting

class Canvas:
    """World coordinates of a group of n frames, plus the layout of each frame's scene.

    x: [n, 1, W], y: [n, H, 1] world coordinates of pixel centres; px: [n, 1, 1] world
    units per pixel (the antialiasing width); layout values indexed per frame:
    scalars [n, 1, 1], tables [n, PROP_SLOTS].
    """

    def __init__(self, x: Tensor, y: Tensor, px: Tensor, layout: Dict[str, Tensor]):
        self.x, self.y, self.px, self.layout = x, y, px, layout
        self.n, self.height, self.width = x.shape[0], y.shape[1], x.shape[2]

    def scalar(self, name: str) -> Tensor:
        return self.layout[name].view(self.n, 1, 1)

    def cov(self, distance: Tensor) -> Tensor:
        """Antialiased coverage of a world-unit SDF."""
        return sdf.coverage(distance / self.px)

    def gradient(self, y0: float, y1: float, c0, c1) -> Tensor:
        """Vertical colour ramp [n, 3, H, W] from c0 at y0 to c1 at y1 (clamped)."""
        t = torch.clamp((self.y - y0) / (y1 - y0), 0.0, 1.0).unsqueeze(1)  # [n, 1, H, 1]
        top = sdf.rgb(*c0, like=self.x).unsqueeze(0)
        bottom = sdf.rgb(*c1, like=self.x).unsqueeze(0)
        return (top + t * (bottom - top)).expand(self.n, 3, self.height, self.width)

    def props(self):
        """Slot lookup for every column: (slot index [n,1,W] int64, dx [n,1,W], take)."""
        spacing = self.scalar("prop_spacing")
        x0 = -spacing * PROP_SLOTS / 2.0
        slot = torch.clamp(torch.floor((self.x - x0) / spacing), 0, PROP_SLOTS - 1).long()

        def take(name: str) -> Tensor:  # table value of each column's slot, [n, 1, W]
            return torch.gather(self.layout[name].unsqueeze(1), 2, slot)

        dx = self.x - (x0 + (slot.to(self.x.dtype) + 0.5) * spacing + take("prop_offset"))
        return slot, dx, take

    def celestial_distance(self) -> Tensor:
        c = self.layout["celestial"]  # [n, 3]
        cx, cy, r = (c[:, i].view(self.n, 1, 1) for i in range(3))
        return sdf.circle(self.x - cx, self.y - cy, r)


def _colour(like: Tensor, r: float, g: float, b: float) -> Tensor:
    return sdf.rgb(r, g, b, like=like).unsqueeze(0)  # [1, 3, 1, 1]


def _shaded(like: Tensor, base, shade: Tensor) -> Tensor:
    """Colour [n, 3, 1, W] = base colour times a per-column shade [n, 1, W]."""
    return torch.clamp(_colour(like, *base) * shade.unsqueeze(1), 0.0, 1.0)


def _paint_meadow(c: Canvas) -> Tensor:
    img = c.gradient(-0.6, HORIZON_Y, (0.36, 0.6, 0.93), (0.74, 0.87, 0.98))
    img = sdf.over(img, _colour(c.x, 1.0, 0.93, 0.55), c.cov(c.celestial_distance()))
    phase = c.scalar("ground_phase")
    ground_top = HORIZON_Y + 0.008 * torch.sin(c.x * 7.0 + phase)
    grass = c.gradient(HORIZON_Y, 0.7, (0.45, 0.74, 0.34), (0.25, 0.55, 0.2))
    img = sdf.over(img, grass, c.cov(ground_top - c.y))
    _, dx, take = c.props()
    base = HORIZON_Y + 0.035
    trunk_h, crown_r = take("prop_height"), take("prop_width")
    present = take("prop_present") > 0.5
    trunk = sdf.box(dx, c.y - (base - trunk_h / 2.0), 0.011, trunk_h / 2.0)
    crown = sdf.circle(dx, c.y - (base - trunk_h - 0.7 * crown_r), crown_r)
    far = torch.full_like(trunk, 1.0)
    img = sdf.over(img, _colour(c.x, 0.45, 0.3, 0.17), c.cov(torch.where(present, trunk, far)))
    img = sdf.over(img, _shaded(c.x, (0.14, 0.45, 0.17), take("prop_shade")), c.cov(torch.where(present, crown, far)))
    return img


def _paint_beach(c: Canvas) -> Tensor:
    img = c.gradient(-0.6, HORIZON_Y, (0.33, 0.6, 0.95), (0.8, 0.9, 0.98))
    img = sdf.over(img, _colour(c.x, 1.0, 0.95, 0.6), c.cov(c.celestial_distance()))
    phase = c.scalar("ground_phase")
    sea = c.gradient(HORIZON_Y, HORIZON_Y + 0.12, (0.08, 0.36, 0.64), (0.2, 0.6, 0.78))
    img = sdf.over(img, sea, c.cov(HORIZON_Y - c.y))
    shore = HORIZON_Y + 0.11 + 0.014 * torch.sin(c.x * 6.0 + phase)
    img = sdf.over(img, _colour(c.x, 0.93, 0.97, 1.0), c.cov(shore - 0.012 - c.y))  # foam
    sand = c.gradient(HORIZON_Y + 0.1, 0.7, (0.95, 0.86, 0.63), (0.87, 0.74, 0.5))
    img = sdf.over(img, sand, c.cov(shore - c.y))
    _, dx, take = c.props()  # sailing boats on the horizon
    present = take("prop_present") > 0.5
    waterline = HORIZON_Y + 0.012
    hull_w, sail_h = take("prop_width"), take("prop_height")
    hull = sdf.box(dx, c.y - waterline, hull_w, 0.007)
    sail = sdf.triangle(dx, c.y, (0.0 * hull_w - 0.004, waterline - 0.01),
                        (0.0 * hull_w - 0.004, waterline - 0.01 - sail_h),
                        (0.8 * hull_w, waterline - 0.01))
    far = torch.full_like(hull, 1.0)
    img = sdf.over(img, _colour(c.x, 0.35, 0.22, 0.15), c.cov(torch.where(present, hull, far)))
    img = sdf.over(img, _colour(c.x, 0.98, 0.97, 0.93), c.cov(torch.where(present, sail, far)))
    return img


_STAR_CELL = 0.045  # world size of one star-field cell (at most one star per cell)


def _paint_night(c: Canvas) -> Tensor:
    img = c.gradient(-0.6, HORIZON_Y, (0.01, 0.02, 0.09), (0.08, 0.11, 0.3))
    seed = c.layout["pattern_seed"].view(c.n, 1, 1)
    col = torch.floor(c.x / _STAR_CELL).long()  # [n, 1, W]
    row = torch.floor(c.y / _STAR_CELL).long()  # [n, H, 1]
    has_star = sdf.hash_unit(seed, col, row) < 0.25
    star_x = (col.to(c.x.dtype) + 0.2 + 0.6 * sdf.hash_unit(seed + 1, col, row)) * _STAR_CELL
    star_y = (row.to(c.x.dtype) + 0.2 + 0.6 * sdf.hash_unit(seed + 2, col, row)) * _STAR_CELL
    star_r = torch.maximum(0.0035 + 0.004 * sdf.hash_unit(seed + 3, col, row), 0.6 * c.px)
    stars = sdf.circle(c.x - star_x, c.y - star_y, star_r)
    img = sdf.over(img, _colour(c.x, 1.0, 0.98, 0.85), c.cov(torch.where(has_star, stars, torch.ones_like(stars))))
    moon = c.layout["celestial"]
    mx, my, mr = (moon[:, i].view(c.n, 1, 1) for i in range(3))
    crescent = torch.maximum(sdf.circle(c.x - mx, c.y - my, mr),
                             -sdf.circle(c.x - mx - 0.45 * mr, c.y - my + 0.25 * mr, 0.9 * mr))
    img = sdf.over(img, _colour(c.x, 0.97, 0.95, 0.8), c.cov(crescent))
    phase = c.scalar("ground_phase")
    hills = HORIZON_Y - 0.02 + 0.025 * torch.sin(c.x * 2.5 + phase) + 0.012 * torch.sin(c.x * 6.3 + 2.0 * phase)
    ground = c.gradient(HORIZON_Y, 0.7, (0.06, 0.1, 0.14), (0.03, 0.06, 0.08))
    return sdf.over(img, ground, c.cov(hills - c.y))


def _paint_desert(c: Canvas) -> Tensor:
    img = c.gradient(-0.6, HORIZON_Y, (0.4, 0.6, 0.9), (0.97, 0.87, 0.68))
    img = sdf.over(img, _colour(c.x, 1.0, 0.97, 0.72), c.cov(c.celestial_distance()))
    phase = c.scalar("ground_phase")
    back = HORIZON_Y - 0.01 - 0.04 * (0.5 + 0.5 * torch.sin(c.x * 2.1 + phase))
    img = sdf.over(img, _colour(c.x, 0.85, 0.64, 0.4), c.cov(back - c.y))
    front = HORIZON_Y + 0.05 + 0.03 * torch.sin(c.x * 1.6 + 1.7 * phase + 1.0)
    sand = c.gradient(HORIZON_Y, 0.7, (0.96, 0.8, 0.53), (0.88, 0.7, 0.44))
    img = sdf.over(img, sand, c.cov(front - c.y))
    _, dx, take = c.props()  # cacti
    present = take("prop_present") > 0.5
    height, half_w = take("prop_height"), take("prop_width")
    base = HORIZON_Y + 0.1
    trunk = sdf.box(dx, c.y - (base - height / 2.0), half_w, height / 2.0) - 0.004
    arms = None
    for side, arm_y, arm_len in ((1.0, base - 0.62 * height, 0.3 * height), (-1.0, base - 0.45 * height, 0.2 * height)):
        elbow = sdf.box(dx - side * 1.3 * half_w, c.y - arm_y, 1.3 * half_w, 0.6 * half_w)
        upright = sdf.box(dx - side * 2.6 * half_w, c.y - (arm_y - arm_len / 2.0), 0.7 * half_w, arm_len / 2.0)
        arm = torch.minimum(elbow, upright)
        arms = arm if arms is None else torch.minimum(arms, arm)
    cactus = torch.where(present, torch.minimum(trunk, arms), torch.ones_like(trunk))
    return sdf.over(img, _shaded(c.x, (0.24, 0.52, 0.28), take("prop_shade")), c.cov(cactus))


def _paint_snow(c: Canvas) -> Tensor:
    img = c.gradient(-0.6, HORIZON_Y, (0.66, 0.77, 0.9), (0.9, 0.93, 0.97))
    img = sdf.over(img, _colour(c.x, 1.0, 1.0, 0.93), c.cov(c.celestial_distance()))
    phase = c.scalar("ground_phase")
    ridge = torch.abs(torch.remainder(c.x * 1.3 + phase, 1.0) - 0.5) * 2.0  # triangle wave, 0..1
    mountains = HORIZON_Y - 0.05 - 0.11 * (1.0 - ridge)
    rock = c.gradient(HORIZON_Y - 0.16, HORIZON_Y, (0.93, 0.95, 0.99), (0.6, 0.67, 0.8))
    img = sdf.over(img, rock, c.cov(mountains - c.y))
    ground_top = HORIZON_Y + 0.006 * torch.sin(c.x * 5.0 + phase)
    snow = c.gradient(HORIZON_Y, 0.7, (0.98, 0.99, 1.0), (0.85, 0.88, 0.96))
    img = sdf.over(img, snow, c.cov(ground_top - c.y))
    _, dx, take = c.props()  # pine trees: three stacked triangles on a short trunk
    present = take("prop_present") > 0.5
    height, half_w = take("prop_height"), take("prop_width")
    base = HORIZON_Y + 0.04
    trunk = sdf.box(dx, c.y - (base - 0.012), 0.008, 0.012)
    tiers = None
    for k, (bottom, top, width) in enumerate(((0.02, 0.55, 1.0), (0.3, 0.8, 0.78), (0.55, 1.0, 0.55))):
        y_bottom, y_top = base - bottom * height, base - top * height
        tier = sdf.triangle(dx, c.y, (-width * half_w, y_bottom), (width * half_w, y_bottom), (0.0 * dx, y_top))
        tiers = tier if tiers is None else torch.minimum(tiers, tier)
    far = torch.ones_like(trunk)
    img = sdf.over(img, _colour(c.x, 0.38, 0.26, 0.17), c.cov(torch.where(present, trunk, far)))
    return sdf.over(img, _shaded(c.x, (0.11, 0.34, 0.25), take("prop_shade")), c.cov(torch.where(present, tiers, far)))


_WINDOW_PERIOD = (0.032, 0.042)  # x, y distance between windows (world units)


def _paint_city(c: Canvas) -> Tensor:
    img = c.gradient(-0.6, HORIZON_Y, (0.45, 0.62, 0.88), (0.88, 0.87, 0.9))
    slot, dx, take = c.props()
    present = take("prop_present") > 0.5
    base, height = HORIZON_Y + 0.01, take("prop_height")
    half_w = take("prop_width") * c.scalar("prop_spacing")
    top = base - height
    building = sdf.box(dx, c.y - (base + top) / 2.0, half_w, height / 2.0)
    far = torch.ones_like(building)
    img = sdf.over(img, _shaded(c.x, (0.36, 0.4, 0.5), take("prop_shade")), c.cov(torch.where(present, building, far)))
    # windows: a grid anchored at each building's top-left, lit at random
    wx = (dx + half_w) / _WINDOW_PERIOD[0]
    wy = (c.y - top) / _WINDOW_PERIOD[1]
    col, row = torch.floor(wx), torch.floor(wy)
    window = sdf.box((wx - col - 0.5) * _WINDOW_PERIOD[0], (wy - row - 0.5) * _WINDOW_PERIOD[1], 0.0075, 0.011)
    inside = sdf.box(dx, c.y - (base + top) / 2.0, half_w - 0.012, height / 2.0 - 0.016)
    window = torch.where(present, torch.maximum(window, inside), far)
    seed = c.layout["pattern_seed"].view(c.n, 1, 1)
    lit = sdf.hash_unit(seed, slot, col.long(), row.long()) < 0.45
    window_colour = torch.where(lit.unsqueeze(1), _colour(c.x, 1.0, 0.87, 0.5), _colour(c.x, 0.2, 0.24, 0.32))
    img = sdf.over(img, window_colour, c.cov(window))
    img = sdf.over(img, _colour(c.x, 0.56, 0.56, 0.56), c.cov(HORIZON_Y - c.y))  # pavement
    road = c.gradient(HORIZON_Y + 0.04, 0.7, (0.34, 0.34, 0.37), (0.26, 0.26, 0.29))
    img = sdf.over(img, road, c.cov(HORIZON_Y + 0.04 - c.y))
    dash_x = (torch.remainder(c.x, 0.14) - 0.07)
    dashes = sdf.box(dash_x, c.y - (HORIZON_Y + 0.2), 0.035, 0.005)
    return sdf.over(img, _colour(c.x, 0.92, 0.9, 0.75), c.cov(dashes))


PAINTERS: Dict[str, Callable[[Canvas], Tensor]] = {
    "meadow": _paint_meadow,
    "beach": _paint_beach,
    "night": _paint_night,
    "desert": _paint_desert,
    "snow": _paint_snow,
    "city": _paint_city,
}


def paint_background(setting: str, canvas: Canvas) -> Tensor:
    """Background of every frame of ``canvas``: [n, 3, H, W] in [0, 1]."""
    return torch.clamp(PAINTERS[setting](canvas), 0.0, 1.0)
