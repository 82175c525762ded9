"""The actor's box per frame as a layout condition (session 26; model.StoryDiTConfig.actor_box_cond).

Session 12 found that knowing the kind is worth almost nothing to this model's pixel loss: its uncertainty is where
and how big the actor is, and a blob of the asked colour is the loss-optimal answer to that. Told the box, as
layout-to-image models (GLIGEN) and box-guided video models (Boximator) are, the model no longer has to guess the
layout, and the actor's shape is what is left to draw. Training reads the box from the renderer's coverage;
sampling needs a box from elsewhere (frame_eval: the ground truth's, an oracle; the product: the layout planner's,
box_planner.py, which export.py copies into the model folder and the Java engine runs as layout.BoxPlanner).

    coverage (B, F, 1, H, W) --threshold, rows / columns spanned--> box mask (B, F, 1, H, W), 1 inside the box
"""
from __future__ import annotations

import torch


def span(hit: torch.Tensor) -> torch.Tensor:
    """hit (..., n) bool -> (..., n) bool: True from the first True to the last True (all False if none)."""
    seen = hit.long().cumsum(-1) > 0
    ahead = hit.flip(-1).long().cumsum(-1).flip(-1) > 0
    return seen & ahead


def box_mask(coverage: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """coverage (B, F, 1, H, W) in [0, 1] -> the axis-aligned box around the pixels above `threshold`, as a 0/1
    mask of the same shape (zeros on frames where the actor is not visible)."""
    inside = coverage > threshold
    rows = span(inside.any(dim=-1))                                                 # (B, F, 1, H)
    cols = span(inside.any(dim=-2))                                                 # (B, F, 1, W)
    return (rows[..., :, None] & cols[..., None, :]).to(coverage.dtype)


def boxes_to_masks(boxes: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """boxes (..., 4) x0 y0 x1 y1 in pixels of an (h, w) frame (NaN = no box) -> 0/1 masks (..., h, w): the pixels
    from floor(x0) to ceil(x1), as the renderer's labels cover the actor."""
    ys = torch.arange(h, dtype=boxes.dtype)
    xs = torch.arange(w, dtype=boxes.dtype)
    x0, y0 = boxes[..., 0:1].floor(), boxes[..., 1:2].floor()
    x1, y1 = boxes[..., 2:3].ceil(), boxes[..., 3:4].ceil()
    rows = (ys >= y0) & (ys < y1)                                                   # (..., h); NaN compares False
    cols = (xs >= x0) & (xs < x1)                                                   # (..., w)
    return (rows[..., :, None] & cols[..., None, :]).to(boxes.dtype)


def drop_boxes(box: torch.Tensor, keep_share: float) -> torch.Tensor:
    """Zeroes the boxes of a random (1 - keep_share) of the batch rows (box (B, F, 1, H, W)), so the model also
    learns to draw without one (zeros = no box given); draws on the CPU generator."""
    keep = (torch.rand(box.shape[0]) < keep_share).to(box.dtype).to(box.device)
    return box * keep[:, None, None, None, None]
