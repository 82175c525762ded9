import numpy as np
import pytest
from PIL import Image

from storydit.shot_eval import PRINTED, chunk_clips, summary


def test_summary_reads_each_runs_rates_in_percent_and_skips_missing_attributes():
    report = {"runs": [
        {"label": "ground-truth", "accuracy": {k: {"rate": 1.0} for k in PRINTED}},
        {"label": "model", "accuracy": {"cameraMoving": {"rate": 0.25}, "action": {"rate": 0.5}}},
    ]}
    s = summary(report)
    assert s["ground-truth"] == {k: 100.0 for k in PRINTED}
    assert s["model"] == {"cameraMoving": 25.0, "action": 50.0}


def test_warped_shared_noise_moves_only_the_moving_cameras_shots():
    from types import SimpleNamespace

    import torch

    from storydit.shot_eval import warped_shared_noise
    cfg = SimpleNamespace(cameras=("static", "pan_left", "pan_right", "zoom_in", "zoom_out"), latent_h=16, latent_w=16,
                          latent_channels=3)
    labels = torch.tensor([0, 1, 3, 4])                                   # null, static, pan_right, zoom_in
    s = warped_shared_noise(cfg, labels, 16, seed=5)
    assert s.shape == (4, 16, 3, 16, 16)
    for row in (0, 1):                                                    # still cameras: one frame throughout
        assert all(torch.equal(s[row, f], s[row, 0]) for f in range(16))
    assert not torch.equal(s[2, 15], s[2, 0]) and not torch.equal(s[3, 15], s[3, 0])
    assert torch.equal(s[2, 15, :, :, :8], s[2, 0, :, :, 4:12])           # pan right: 0.24 * 16 / 15 px per frame


def test_actor_boxes_turns_the_ground_truths_boxes_into_coverage_masks(tmp_path):
    import json

    import torch

    from storydit.frame_eval import actor_boxes
    clip = tmp_path / "clip0000"
    clip.mkdir()
    boxes = [[2.5, 3.0, 6.2, 5.0], [4.0, 3.0, 8.0, 5.0]]
    (clip / "labels.json").write_text(json.dumps({"shots": [{"bbox": boxes}]}))
    cover = actor_boxes(str(tmp_path), ["clip0000"], 2, 16, 16)
    assert cover.shape == (1, 2, 16, 16)
    assert cover[0, 0].nonzero()[:, 1].unique().tolist() == [2, 3, 4, 5, 6]   # x from 2 to ceil(6.2) = 7, exclusive
    assert cover[0, 0].nonzero()[:, 0].unique().tolist() == [3, 4]
    assert cover[0, 1].nonzero()[:, 1].unique().tolist() == [4, 5, 6, 7]
    (clip / "labels.json").write_text(json.dumps({"shots": [{"bbox": [None, boxes[1]]}]}))
    hidden = actor_boxes(str(tmp_path), ["clip0000"], 2, 16, 16)
    assert hidden[0, 0].sum() == 0 and torch.equal(hidden[0, 1], cover[0, 1]), "no visible actor, no box"


def test_chunk_clips_loop_one_chunk_of_every_shot_beside_its_labels(tmp_path):
    run = tmp_path / "run"
    (run / "clip0000").mkdir(parents=True)
    (run / "clip0000" / "labels.json").write_text("{}")
    (run / "clips.json").write_text("[]")
    for f in range(8):                                       # frame f is grey level 10 * f
        Image.fromarray(np.full((4, 4, 3), 10 * f, np.uint8)).save(run / "clip0000" / f"shot00_frame{f:03d}.png")
    chunk_clips(str(run), str(tmp_path / "c1"), 4, 1)
    out = tmp_path / "c1" / "clip0000"
    levels = [int(np.asarray(Image.open(out / f"shot00_frame{f:03d}.png"))[0, 0, 0]) for f in range(8)]
    assert levels == [40, 50, 60, 70, 40, 50, 60, 70]
    assert (out / "labels.json").read_text() == "{}" and (tmp_path / "c1" / "clips.json").exists()
    with pytest.raises(AssertionError, match="no chunk 2"):
        chunk_clips(str(run), str(tmp_path / "c2"), 4, 2)


def test_ground_truth_frames_reads_each_clips_shot_in_order(tmp_path):
    from storydit.shot_eval import ground_truth_frames
    for clip, base in (("clip0000", 0), ("clip0001", 100)):
        (tmp_path / clip).mkdir()
        for f in range(3):
            Image.fromarray(np.full((4, 4, 3), base + 10 * f, np.uint8)).save(tmp_path / clip / f"shot00_frame{f:03d}.png")
    frames = ground_truth_frames(str(tmp_path), ["clip0001", "clip0000"], 3)
    assert frames.shape == (2, 3, 3, 4, 4)
    assert [round(float(frames[0, f, 0, 0, 0]) * 255) for f in range(3)] == [100, 110, 120]
    assert round(float(frames[1, 2, 2, 3, 3]) * 255) == 20
