"""Write the held-out storyboard benchmark: projects for the app plus the ground-truth renders they describe.

    python3 -m storyworld.benchmark --out DIR [--count 16] [--seed 7000000] [--frames 16] \
        [--drift-count 3] [--drift-frames 480] [--split heldout|train] [--force]

Layout of DIR:
    scenes/                 storyworld export (clips.json, clipNNNN/labels.json + PNG frames) of ``count``
                            3-shot multi-shot scenes, captions in the held-out wording (split="heldout")
    projects/clipNNNN.storyboard
                            one storyboard per scene: scene prompt = global caption; per shot the prompt a
                            creator would type ("a red ball bounces by the sea", captions.shot_prompt, held-out
                            wording) with camera and shot size as the project's fields (the app appends their
                            phrases), seed, duration = frames
    drift/                  export of ``drift-count`` single-shot scenes of ``drift-frames`` frames
    drift-projects/driftNNNN.storyboard
                            the same as one-shot storyboards (a shot extended to drift-frames frames)

``storyboard eval --generate --labels DIR/scenes DIR/projects/*.storyboard`` generates the projects and
judges them against the labels; the ground truth itself is judged in the same report as run "ground-truth".
Seeds start at 7,000,000, far from the scenes a training run of seed 0 draws (seeds 0 .. batch x steps), and
every caption uses held-out wording that never occurs in training. ``--split train`` writes the same scenes
with training wording instead: a control that separates "the model cannot render it" from "the model does not
understand the synonym".
"""

from __future__ import annotations

import argparse
import json
import os
from typing import List, Optional, Sequence

import numpy as np

from . import captions
from .export import clip_name, export_clips, staged_output
from .scene import sample_scene

PROJECT_FORMAT = "storyboard-project/1"
FPS = 8
GUIDANCE = 3.0


def project_json(spec, title: str, size: int, frames: int, seed_base: int) -> dict:
    """A storyboard project (the app's file format) whose shots ask for exactly what ``spec`` renders."""
    shots = []
    for i, shot in enumerate(spec.shots):
        rng = np.random.RandomState((spec.seed * 7 + i) % 2**32)
        shots.append({
            "id": f"shot-{i + 1}",
            "prompt": captions.shot_prompt(rng, spec.actor, spec.setting.name, shot.action, split=spec.split),
            "durationFrames": frames,
            "camera": shot.camera.upper(),
            "shotSize": shot.shot_size.upper(),
            "seed": seed_base + i,
            "guidance": GUIDANCE,
            "takes": [],
            "activeTakeId": None,
        })
    return {"format": PROJECT_FORMAT,
            "storyboard": {"title": title, "scenePrompt": spec.global_caption or "", "fps": FPS,
                           "width": size, "height": size, "shots": shots}}


def _write_projects(directory: str, seed: int, count: int, shots: int, frames: int,
                    size: int, split: str = "heldout") -> List[str]:
    os.makedirs(directory)
    names = []
    for i in range(count):
        spec = sample_scene(seed + i, shots, frames, mode="multishot", split=split)
        name = clip_name(i)
        with open(os.path.join(directory, name + ".storyboard"), "w", encoding="utf-8") as out:
            json.dump(project_json(spec, f"{name} (seed {seed + i})", size, frames, 1000 * (seed + i)),
                      out, indent=2)
        names.append(name)
    return names


def write_benchmark(out_dir: str, count: int, seed: int, frames: int, drift_count: int, drift_frames: int,
                    size: int = 64, force: bool = False, split: str = "heldout") -> dict:
    """Writes the whole benchmark atomically (temp sibling + rename); returns its index."""
    assert count >= 1 and frames >= 2, "need at least one scene of at least 2 frames"
    with staged_output(out_dir, force, ".storyworld-benchmark-") as staging:
        export_clips(os.path.join(staging, "scenes"), count, seed, size, 3, frames, split=split)
        _write_projects(os.path.join(staging, "projects"), seed, count, 3, frames, size, split)
        index = {"split": split, "seed": seed, "count": count, "frames": frames, "size": size, "fps": FPS,
                 "drift_seed": seed + count, "drift_count": drift_count, "drift_frames": drift_frames}
        if drift_count > 0:
            export_clips(os.path.join(staging, "drift"), drift_count, seed + count, size, 1, drift_frames,
                         split=split)
            drift = _write_projects(os.path.join(staging, "drift-projects"), seed + count, drift_count,
                                    1, drift_frames, size, split)
            index["drift_projects"] = drift
        with open(os.path.join(staging, "benchmark.json"), "w", encoding="utf-8") as out:
            json.dump(index, out, indent=1)
    return index


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=16, help="3-shot scenes")
    parser.add_argument("--seed", type=int, default=7_000_000)
    parser.add_argument("--frames", type=int, default=16, help="frames per shot")
    parser.add_argument("--size", type=int, choices=(64, 128), default=64)
    parser.add_argument("--drift-count", type=int, default=3, help="single long shots for the drift curve")
    parser.add_argument("--drift-frames", type=int, default=480, help="frames of each drift shot (480 = 60 s)")
    parser.add_argument("--split", choices=("heldout", "train"), default="heldout",
                        help="caption wording: held-out synonyms (the benchmark) or training wording (a control)")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    index = write_benchmark(args.out, args.count, args.seed, args.frames, args.drift_count, args.drift_frames,
                            args.size, args.force, args.split)
    print(f"wrote {index['count']} scenes and {index['drift_count']} drift shots to {os.path.abspath(args.out)}")


if __name__ == "__main__":
    main()
