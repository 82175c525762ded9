"""The actor's planned silhouette (session 30; model.StoryDiTConfig.actor_layout = "silhouette").

Sessions 26-29 gave the model the actor's box and found that it places the actor (within 5 px of the box's centre)
but does not shape it: the first chunk draws the asked kind in 33-42 % of shots and every later chunk redraws it
at that level or below, even when it continues the true shape. The kind is known inside the model (a linear probe
reads it from the middle blocks in 70 % of stills, session 13) and lost in the drawing. So the layout planner now
plans the shape as well as the box, as layout-to-image models that read masks rather than boxes do (Make-A-Scene's
segmentation tokens, ControlNet's sketches): the planner names the kind from the prompt, and the kind's mean
silhouette, measured on rendered training scenes, is drawn into the planned box. The model reads that soft mask
where it read the 0/1 box, through the same input conv, in every frame of every chunk.

    kind probabilities (..., K) x templates (K, s, s) -> template (..., s, s), mirrored where the actor faces left
    template sampled bilinearly at each pixel centre's place in the box -> mask (..., H, W), 0 outside the box

A template is the mean actor coverage of one kind inside its box, resampled to s x s and mirrored to face right
(fit_templates), so it is a statistic of the renderer's own actors over their poses, spins and wing beats; birds
and fish keep their heads on one side. The engine's layout.SilhouetteMasks samples it by the same rule
(silhouette_masks).
"""
from __future__ import annotations

from typing import List, Sequence

import torch
import torch.nn.functional as F

TEMPLATE_SIZE = 16


def coverage_boxes(coverage: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """coverage (..., H, W) in [0, 1] -> (..., 4) x0 y0 x1 y1 in pixels (x1, y1 one past the last covered pixel):
    the axis-aligned box around the pixels above `threshold`, as actor_box.box_mask spans it; NaN where none is."""
    inside = coverage > threshold
    rows, cols = inside.any(dim=-1), inside.any(dim=-2)                             # (..., H), (..., W)

    def ends(hit: torch.Tensor):
        n = hit.shape[-1]
        idx = torch.arange(n, dtype=coverage.dtype)
        first = torch.where(hit, idx, torch.full_like(idx, float(n))).amin(-1)
        last = torch.where(hit, idx, torch.full_like(idx, -1.0)).amax(-1)
        return first, last + 1

    x0, x1 = ends(cols)
    y0, y1 = ends(rows)
    boxes = torch.stack([x0, y0, x1, y1], dim=-1)
    return torch.where(rows.any(-1)[..., None], boxes, torch.full_like(boxes, float("nan")))


TEMPLATE_RULES = ("mean", "medoid")   # fit_templates(rule=...)
SILHOUETTE_SOURCES = ("template", "coverage")   # what training draws: true_silhouettes, or the coverage itself


def fit_templates(coverage: torch.Tensor, kinds: torch.Tensor, n_kinds: int, size: int = TEMPLATE_SIZE,
                  threshold: float = 0.5, facing: torch.Tensor = None, rule: str = "mean") -> torch.Tensor:
    """Each kind's silhouette inside its box, facing right: coverage (N, H, W) of N frames, kinds (N,) in
    [0, n_kinds), facing (N,) +1 right / -1 left (None: all right) -> (n_kinds, size, size). Each frame's coverage
    is cropped to its box, resized to size x size (bilinear, pixel centres) and mirrored if it faces left; frames
    with no actor, or a box under 3 px either way, are skipped.

    rule "mean": the mean of those crops, a statistic over poses, spins and wing beats (soft where they vary).
    rule "medoid" (session 32): the one crop nearest that mean (L2), a pose the renderer really draws, with its
    sharp edges; the template a model that copies the true coverage (silhouette source "coverage") is given. Only
    crops at least `size` pixels either way are candidates where a kind has any, so the pose is not upsampled."""
    assert rule in TEMPLATE_RULES, f"rule must be one of {TEMPLATE_RULES}, not {rule!r}"
    boxes = coverage_boxes(coverage, threshold)
    crops: List[List[torch.Tensor]] = [[] for _ in range(n_kinds)]
    sharp: List[List[bool]] = [[] for _ in range(n_kinds)]                                    # box >= size
    left = [False] * len(kinds) if facing is None else (facing < 0).tolist()
    for cov, box, kind, mirror in zip(coverage, boxes, kinds.tolist(), left):
        if torch.isnan(box[0]):
            continue
        x0, y0, x1, y1 = (int(v) for v in box.tolist())
        if x1 - x0 < 3 or y1 - y0 < 3:
            continue
        crop = cov[y0:y1, x0:x1][None, None].float()
        fitted = F.interpolate(crop, size=(size, size), mode="bilinear", align_corners=False)[0, 0]
        crops[kind].append(fitted.flip(-1) if mirror else fitted)
        sharp[kind].append(min(x1 - x0, y1 - y0) >= size)
    assert all(crops), f"no frames of kinds {[k for k in range(n_kinds) if not crops[k]]}"
    means = torch.stack([torch.stack(c).mean(0) for c in crops])                              # (K, s, s)
    if rule == "mean":
        return means
    medoids = []
    for kind_crops, kind_sharp, mean in zip(crops, sharp, means):
        stack = torch.stack(kind_crops)                                                        # (n, s, s)
        if any(kind_sharp):
            stack = stack[torch.tensor(kind_sharp)]
        medoids.append(stack[((stack - mean) ** 2).sum((-2, -1)).argmin()])
    return torch.stack(medoids)


def silhouette_masks(boxes: torch.Tensor, kind_probs: torch.Tensor, templates: torch.Tensor, h: int,
                     w: int, facing: torch.Tensor = None) -> torch.Tensor:
    """boxes (..., 4) x0 y0 x1 y1 in pixels of an (h, w) frame (NaN = no box), kind_probs (..., K), templates
    (K, s, s), facing (...) +1 right / -1 left (None: right) -> masks (..., h, w).

    The kind's template (the probabilities' mixture of templates), mirrored left to right where the actor faces
    left, is stretched over the box: pixel centre (x + 0.5,
    y + 0.5) inside the box sits at u = (x + 0.5 - x0) / (x1 - x0) of its width, read from the template at
    u * s - 0.5 by bilinear interpolation with the edge texels repeated; pixels whose centre is outside the box are
    0. A box under a pixel wide has no centre inside it and draws nothing."""
    lead = boxes.shape[:-1]
    s = templates.shape[-1]
    tmpl = torch.einsum("...k,kij->...ij", kind_probs.to(templates.dtype), templates)         # (..., s, s)
    if facing is not None:
        tmpl = torch.where((facing < 0)[..., None, None], tmpl.flip(-1), tmpl)
    tmpl = tmpl.reshape(-1, s, s)
    b = boxes.reshape(-1, 4).to(templates.dtype)
    n = b.shape[0]
    xs = torch.arange(w, dtype=templates.dtype) + 0.5
    ys = torch.arange(h, dtype=templates.dtype) + 0.5
    u = (xs[None] - b[:, 0:1]) / (b[:, 2:3] - b[:, 0:1])                                       # (n, w)
    v = (ys[None] - b[:, 1:2]) / (b[:, 3:4] - b[:, 1:2])                                       # (n, h)
    inside = ((v >= 0) & (v <= 1))[:, :, None] & ((u >= 0) & (u <= 1))[:, None, :]            # NaN: False

    def taps(coord: torch.Tensor):
        p = (coord.nan_to_num(0.0) * s - 0.5).clamp(0.0, s - 1.0)
        i0 = p.floor().clamp(max=s - 2 if s > 1 else 0)
        return i0.long(), (i0 + 1).clamp(max=s - 1).long(), p - i0

    x0, x1, fx = taps(u)                                                                       # (n, w)
    y0, y1, fy = taps(v)                                                                       # (n, h)
    rows = torch.arange(n)[:, None, None]

    def at(yi, xi):
        return tmpl[rows, yi[:, :, None], xi[:, None, :]]                                      # (n, h, w)

    top = at(y0, x0) * (1 - fx[:, None, :]) + at(y0, x1) * fx[:, None, :]
    bottom = at(y1, x0) * (1 - fx[:, None, :]) + at(y1, x1) * fx[:, None, :]
    mask = top * (1 - fy[:, :, None]) + bottom * fy[:, :, None]
    return (mask * inside).reshape(*lead, h, w)


def painted_masks(silhouette: torch.Tensor, rgb: torch.Tensor) -> torch.Tensor:
    """The painted silhouette (session 31, actor_layout "painted"): silhouette (..., H, W) in [0, 1], rgb (..., 3)
    the actor's colour in [0, 1] -> (..., 4, H, W), the silhouette and then the silhouette times the colour's red,
    green and blue. The first channel keeps black apart from no actor. The engine's layout.PaintedMasks."""
    sil = silhouette.unsqueeze(-3)                                                            # (..., 1, H, W)
    return torch.cat([sil, sil * rgb.to(sil.dtype)[..., :, None, None]], dim=-3)


def shot_facing(specs) -> torch.Tensor:
    """The way each scene's actor faces in every frame, (B, S*F) +1 right / -1 left (storyworld.motion.scene_track,
    the renderer's poses: a move left or right turns it)."""
    from storyworld.motion import scene_track
    return torch.stack([scene_track(spec)["facing"].float().reshape(-1) for spec in specs])


def true_silhouettes(coverage: torch.Tensor, kinds: Sequence[int], templates: torch.Tensor,
                     facing: torch.Tensor = None, threshold: float = 0.5) -> torch.Tensor:
    """Training's (and the oracle's) silhouette: coverage (B, F, 1, H, W), kinds (B,) indices into the templates,
    facing (B, F) +1 / -1 (None: right) -> (B, F, 1, H, W), each frame's true kind's template drawn into its true
    box, facing the true way (zeros where the actor is not visible)."""
    B, Fr, _, H, W = coverage.shape
    boxes = coverage_boxes(coverage[:, :, 0].float().cpu(), threshold)                        # (B, F, 4)
    probs = F.one_hot(torch.as_tensor(list(kinds)), templates.shape[0]).float()               # (B, K)
    masks = silhouette_masks(boxes, probs[:, None].expand(B, Fr, -1), templates, H, W,
                             None if facing is None else facing.cpu())
    return masks[:, :, None].to(coverage.device, coverage.dtype)
