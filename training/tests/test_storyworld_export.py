"""Export: lossless PNG round trip, labels, index, atomic replacement."""

import json
import os

import numpy as np
import pytest
from PIL import Image

from storyworld import export, render_scene_batch, sample_scene, to_uint8


def test_export_round_trips_frames_and_labels(tmp_path):
    out = tmp_path / "clips"
    export.main(["--out", str(out), "--count", "3", "--seed", "20", "--size", "64", "--shots", "2",
                 "--frames", "4", "--mode", "continuation", "--split", "heldout"])
    index = json.loads((out / "clips.json").read_text())
    assert index["count"] == 3 and [c["seed"] for c in index["clips"]] == [20, 21, 22]
    assert index["mode"] == "continuation" and index["split"] == "heldout"
    assert "crimson" in index["vocabulary"]["colour"]

    specs = [sample_scene(s, 2, 4, mode="continuation", split="heldout") for s in (20, 21, 22)]
    video, labels = render_scene_batch(specs, 64)
    expected = to_uint8(video).permute(0, 1, 2, 4, 5, 3).numpy()  # [B, S, F, H, W, 3]
    for b, clip in enumerate(index["clips"]):
        clip_dir = out / clip["id"]
        written = json.loads((clip_dir / "labels.json").read_text())
        for shot in written["shots"]:
            assert shot.pop("frames") == [export.frame_name(shot["index"], f) for f in range(4)]
        assert written == json.loads(json.dumps(labels[b]))
        assert clip["shot_captions"] == [s.caption for s in specs[b].shots]
        for s in range(2):
            for f in range(4):
                with Image.open(clip_dir / export.frame_name(s, f)) as image:
                    assert image.mode == "RGB" and image.size == (64, 64)
                    assert np.array_equal(np.asarray(image), expected[b, s, f])
    assert sorted(os.listdir(tmp_path)) == ["clips"]  # no staging leftovers


def test_export_refuses_to_overwrite_unless_forced(tmp_path):
    out = tmp_path / "fixtures"
    export.export_clips(str(out), count=1, seed=0, size=64, shots=1, frames=2)
    with pytest.raises(FileExistsError):
        export.export_clips(str(out), count=1, seed=5, size=64, shots=1, frames=2)
    assert json.loads((out / "clips.json").read_text())["seed"] == 0
    export.export_clips(str(out), count=2, seed=5, size=64, shots=1, frames=2, force=True)
    index = json.loads((out / "clips.json").read_text())
    assert index["seed"] == 5 and sorted(os.listdir(out)) == ["clip0000", "clip0001", "clips.json"]
    assert sorted(os.listdir(tmp_path)) == ["fixtures"]


def test_failed_export_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "_write_clip", broken)
    with pytest.raises(RuntimeError):
        export.export_clips(str(tmp_path / "out"), count=1, seed=0, size=64, shots=1, frames=2)
    assert os.listdir(tmp_path) == []
