import numpy as np
import torch

from storydit import sdedit_probe
from storydit.patch_ceiling import fit_pca, patches, project, unpatch


def test_patches_round_trip_and_full_rank_projection_is_the_identity():
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 256, (6, 32, 32, 3), dtype=np.uint8)
    x = patches(frames, 16)
    assert x.shape == (6 * 4, 16 * 16 * 3)
    assert np.array_equal(unpatch(x, 6, 32, 32, 16), frames)
    assert np.array_equal(x[1], frames[0, :16, 16:].reshape(-1))          # row-major patch order
    mean, comps, ratio = fit_pca(frames, 16)
    assert np.isclose(ratio.sum(), 1.0)
    assert np.array_equal(project(frames, mean, comps, comps.shape[0], 16), frames)
    err = [np.abs(project(frames, mean, comps, r, 16).astype(int) - frames).mean() for r in (1, 8, 16)]
    assert err[0] > err[1] > err[2]                                       # more components keep more


def test_swapped_stills_are_written_as_the_prompts_scene(tmp_path, monkeypatch):
    written = {}
    monkeypatch.setattr(sdedit_probe, "write_run", lambda gt, out, ids, frames: written.update(zip(ids, frames)))
    frames = np.arange(3)[:, None]
    sdedit_probe.write_swapped("gt", "out", ["a", "b", "c"], frames)
    assert written == {"b": 0, "c": 1, "a": 2}                            # image i under the prompt of i + 1
    assert torch.roll(torch.arange(3), -1, 0).tolist() == [1, 2, 0]       # how main pairs prompts with images
