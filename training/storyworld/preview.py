"""Contact sheet of a scene: one row per shot, evenly spaced frames across.

    python3 -m storyworld.preview --seed 3 --size 64 --shots 3 --frames 16 --out /tmp/sheet.png
"""

from __future__ import annotations

import argparse
from typing import Sequence

import numpy as np
import torch
from PIL import Image

from .render import render_scene_batch, to_uint8
from .scene import MODES, sample_scene

GAP_PX = 2  # grey gutter between frames


def contact_sheet(video: torch.Tensor, columns: int = 8, zoom: int = 1) -> np.ndarray:
    """Grid image uint8 [rows*H', cols*W', 3] from one scene's video [S, F, 3, H, W]."""
    n_shots, frames = video.shape[:2]
    picks = np.linspace(0, frames - 1, min(columns, frames)).round().astype(int)
    tiles = to_uint8(video[:, picks]).permute(0, 1, 3, 4, 2).cpu().numpy()  # [S, C, H, W, 3]
    if zoom > 1:
        tiles = tiles.repeat(zoom, axis=2).repeat(zoom, axis=3)
    rows, cols, tile_h, tile_w = tiles.shape[:4]
    sheet = np.full((rows * (tile_h + GAP_PX) - GAP_PX, cols * (tile_w + GAP_PX) - GAP_PX, 3), 128, np.uint8)
    for r in range(rows):
        for c in range(cols):
            y, x = r * (tile_h + GAP_PX), c * (tile_w + GAP_PX)
            sheet[y:y + tile_h, x:x + tile_w] = tiles[r, c]
    return sheet


def main(argv: Sequence[str] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--shots", type=int, default=3)
    parser.add_argument("--frames", type=int, default=16)
    parser.add_argument("--columns", type=int, default=8)
    parser.add_argument("--zoom", type=int, default=1, help="nearest-neighbour upscaling for viewing")
    parser.add_argument("--mode", choices=MODES, default="multishot")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    spec = sample_scene(args.seed, args.shots, args.frames, mode=args.mode)
    video, labels = render_scene_batch([spec], args.size)
    Image.fromarray(contact_sheet(video[0], args.columns, args.zoom)).save(args.out)
    for shot in labels[0]["shots"]:
        print(f"shot {shot['index']}: {shot['caption']}")


if __name__ == "__main__":
    main()
