"""Write labelled ground-truth clips to disk (fixtures for the Java evaluation tests).

    python3 -m storyworld.export --out DIR --count N --seed S --size 64 --shots K --frames F \
        [--mode multishot|continuation] [--split train|heldout] [--force]

Layout of DIR:
    clips.json                       index: settings of the export and one entry per clip
    clip0000/labels.json             labels of the clip (see render.render_scene_batch)
    clip0000/shot00_frame000.png     RGB frames, lossless PNG, H = W = size
    ...

Clip i is ``sample_scene(S + i, K, F, mode, split)``. The directory is built in a
temporary sibling and renamed into place, so readers never see a half-written export.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import tempfile
from typing import List, Optional, Sequence

import torch
from PIL import Image

from . import captions
from .render import render_scene_batch, to_uint8
from .scene import MAX_SHOTS, MODES, SPLITS, sample_scene

FORMAT_VERSION = 1
RENDER_BATCH = 8  # scenes rendered together


def frame_name(shot: int, frame: int) -> str:
    return f"shot{shot:02d}_frame{frame:03d}.png"


def clip_name(index: int) -> str:
    return f"clip{index:04d}"


def _write_clip(directory: str, video_uint8: torch.Tensor, labels: dict) -> List[List[str]]:
    """Write one clip's frames ([S, F, 3, H, W] uint8) and labels; returns frame names per shot."""
    os.makedirs(directory)
    frames = video_uint8.permute(0, 1, 3, 4, 2).cpu().numpy()  # [S, F, H, W, 3]
    names = []
    for s in range(frames.shape[0]):
        shot_names = []
        for f in range(frames.shape[1]):
            name = frame_name(s, f)
            Image.fromarray(frames[s, f]).save(os.path.join(directory, name), format="PNG")
            shot_names.append(name)
        names.append(shot_names)
    for shot, shot_names in zip(labels["shots"], names):
        shot["frames"] = shot_names
    with open(os.path.join(directory, "labels.json"), "w", encoding="utf-8") as out:
        json.dump(labels, out)
    return names


def export_clips(out_dir: str, count: int, seed: int, size: int, shots: int, frames: int,
                 mode: str = "multishot", split: str = "train", force: bool = False,
                 device: Optional[str] = None) -> dict:
    """Render ``count`` clips and write them atomically to ``out_dir``; returns the index."""
    assert count >= 1, f"count must be >= 1, got {count}"
    with staged_output(out_dir, force, ".storyworld-export-") as staging:
        index = {"version": FORMAT_VERSION, "seed": seed, "count": count, "size": size, "shots": shots,
                 "frames": frames, "mode": mode, "split": split,
                 "vocabulary": captions.caption_vocabulary(), "clips": []}
        for start in range(0, count, RENDER_BATCH):
            seeds = list(range(seed + start, seed + min(start + RENDER_BATCH, count)))
            specs = [sample_scene(s, shots, frames, mode=mode, split=split) for s in seeds]
            video, labels = render_scene_batch(specs, size, device=device)
            video_uint8 = to_uint8(video)
            for offset, (spec, clip_labels) in enumerate(zip(specs, labels)):
                name = clip_name(start + offset)
                _write_clip(os.path.join(staging, name), video_uint8[offset], clip_labels)
                index["clips"].append({"id": name, "seed": spec.seed, "caption": spec.global_caption,
                                       "shot_captions": [shot.caption for shot in spec.shots]})
        with open(os.path.join(staging, "clips.json"), "w", encoding="utf-8") as out:
            json.dump(index, out, indent=1)
    return index


@contextlib.contextmanager
def staged_output(out_dir: str, force: bool, prefix: str):
    """Yields a temporary sibling of ``out_dir`` to fill; renamed into place on success, removed on failure,
    so readers never see a half-written folder. An existing ``out_dir`` is replaced only with ``force``."""
    out_dir = os.path.abspath(out_dir)
    if os.path.exists(out_dir) and not force:
        raise FileExistsError(f"{out_dir} exists; pass --force to replace it")
    parent = os.path.dirname(out_dir)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=prefix, dir=parent)
    try:
        yield staging
        _move_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _move_into_place(staging: str, out_dir: str) -> None:
    """Rename staging -> out_dir; an existing out_dir (only with --force) is swapped out first."""
    if not os.path.exists(out_dir):
        os.rename(staging, out_dir)
        return
    retired = tempfile.mkdtemp(prefix=".storyworld-old-", dir=os.path.dirname(out_dir))
    os.rmdir(retired)
    os.rename(out_dir, retired)
    os.rename(staging, out_dir)
    shutil.rmtree(retired, ignore_errors=True)


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="output directory (must not exist unless --force)")
    parser.add_argument("--count", type=int, required=True, help="number of clips")
    parser.add_argument("--seed", type=int, default=0, help="clip i uses seed + i")
    parser.add_argument("--size", type=int, choices=(64, 128), default=64)
    parser.add_argument("--shots", type=int, choices=range(1, MAX_SHOTS + 1), default=3)
    parser.add_argument("--frames", type=int, default=16, help="frames per shot")
    parser.add_argument("--mode", choices=MODES, default="multishot")
    parser.add_argument("--split", choices=SPLITS, default="train")
    parser.add_argument("--force", action="store_true", help="replace an existing output directory")
    parser.add_argument("--device", default=None, help="torch device for rendering (default cpu)")
    args = parser.parse_args(argv)
    index = export_clips(args.out, args.count, args.seed, args.size, args.shots, args.frames, args.mode,
                         args.split, args.force, args.device)
    print(f"wrote {len(index['clips'])} clips to {os.path.abspath(args.out)}")


if __name__ == "__main__":
    main()
