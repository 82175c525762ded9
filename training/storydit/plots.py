"""Line charts as PNG with PIL only (the training machines have no matplotlib).

    line_chart(path, title, series={"label": [(x, y), ...]}, x_label, y_label, y_range=None, log_y=False)
"""
from __future__ import annotations

import math
from typing import Dict, List, Optional, Sequence, Tuple

from PIL import Image, ImageDraw

COLOURS = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189), (23, 190, 207))
W, H = 720, 400
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 40, 50


def _ticks(lo: float, hi: float, n: int = 5) -> List[float]:
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=raw)
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]


def _fmt(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 1000:
        return f"{v:.0f}"
    return f"{v:.3g}"


def line_chart(path: str, title: str, series: Dict[str, Sequence[Tuple[float, float]]], x_label: str,
               y_label: str, y_range: Optional[Tuple[float, float]] = None, log_y: bool = False,
               smooth: int = 1) -> str:
    """Draws every series as a polyline (optionally a moving average of ``smooth`` points) and saves a PNG."""
    series = {k: [(float(x), float(y)) for x, y in v if math.isfinite(y) and (not log_y or y > 0)]
              for k, v in series.items()}
    series = {k: v for k, v in series.items() if v}
    if not series:
        raise ValueError(f"{title}: nothing to plot")
    if smooth > 1:
        series = {k: [(v[i][0], sum(y for _, y in v[max(0, i - smooth + 1):i + 1]) / len(v[max(0, i - smooth + 1):i + 1]))
                      for i in range(len(v))] for k, v in series.items()}
    fy = (lambda y: math.log10(y)) if log_y else (lambda y: y)
    xs = [x for v in series.values() for x, _ in v]
    ys = [fy(y) for v in series.values() for _, y in v]
    x0, x1 = min(xs), max(xs)
    y0, y1 = (fy(y_range[0]), fy(y_range[1])) if y_range else (min(ys), max(ys))
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y1 = y0 + 1
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)

    def px(x: float, y: float) -> Tuple[float, float]:
        return (LEFT + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT),
                H - BOTTOM - (min(max(y, y0), y1) - y0) / (y1 - y0) * (H - TOP - BOTTOM))

    d.rectangle([LEFT, TOP, W - RIGHT, H - BOTTOM], outline=(0, 0, 0))
    for t in _ticks(x0, x1):
        x, _ = px(t, y0)
        d.line([x, H - BOTTOM, x, H - BOTTOM + 4], fill=(0, 0, 0))
        d.text((x - 12, H - BOTTOM + 6), _fmt(t), fill=(0, 0, 0))
    for t in _ticks(y0, y1):
        _, y = px(x0, t)
        d.line([LEFT - 4, y, W - RIGHT, y], fill=(225, 225, 225))
        d.text((4, y - 6), _fmt(10 ** t if log_y else t), fill=(0, 0, 0))
    d.text((LEFT, 12), title, fill=(0, 0, 0))
    d.text(((W - len(x_label) * 6) / 2, H - 20), x_label, fill=(0, 0, 0))
    d.text((4, TOP - 16), y_label + (" (log)" if log_y else ""), fill=(0, 0, 0))
    for i, (name, pts) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        points = [px(x, fy(y)) for x, y in pts]
        if len(points) == 1:
            x, y = points[0]
            d.ellipse([x - 3, y - 3, x + 3, y + 3], fill=colour)
        else:
            d.line(points, fill=colour, width=2)
        d.line([W - RIGHT - 170, TOP + 12 + 16 * i, W - RIGHT - 150, TOP + 12 + 16 * i], fill=colour, width=3)
        d.text((W - RIGHT - 145, TOP + 6 + 16 * i), name, fill=(0, 0, 0))
    img.save(path, format="PNG")
    return path
