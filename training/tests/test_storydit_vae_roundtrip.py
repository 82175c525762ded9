"""VAE round trip of a storyworld export: same labels, frames replaced by decode(encode(frame))."""
import json
import os

import pytest
import torch

from storydit.train_vae import load_vae, save_vae
from storydit.vae import FrameVAE, vae_config
from storydit.vae_roundtrip import load_frames, round_trip, write_round_trip
from storyworld.export import export_clips


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    root = tmp_path_factory.mktemp("rt")
    export_clips(str(root / "scenes"), 2, 11, 32, 2, 3)
    torch.manual_seed(0)
    save_vae(FrameVAE(vae_config("tiny")), str(root / "vae"))
    return root


def test_round_trip_replaces_frames_and_keeps_labels(export):
    n = write_round_trip(str(export / "vae"), str(export / "scenes"), str(export / "rt"))
    assert n == 2 * 2 * 3
    src, out = export / "scenes", export / "rt"
    assert json.load(open(src / "clips.json")) == json.load(open(out / "clips.json"))
    first = sorted(p for p in os.listdir(src / "clip0000") if p.endswith(".png"))[0]
    assert json.load(open(src / "clip0000" / "labels.json")) == json.load(open(out / "clip0000" / "labels.json"))
    expected = round_trip(load_vae(str(export / "vae")), load_frames([str(src / "clip0000" / first)]))
    got = load_frames([str(out / "clip0000" / first)])
    assert torch.allclose(got, expected, atol=1 / 255 + 1e-6)               # exactly the VAE's output, 8-bit
    assert not torch.equal(got, load_frames([str(src / "clip0000" / first)]))  # an untrained VAE changes frames


def test_refuses_a_folder_that_is_not_an_export_and_keeps_an_existing_output(export, tmp_path):
    with pytest.raises(AssertionError, match="clips.json"):
        write_round_trip(str(export / "vae"), str(tmp_path), str(tmp_path / "x"))
    (tmp_path / "kept").mkdir()
    with pytest.raises(FileExistsError):
        write_round_trip(str(export / "vae"), str(export / "scenes"), str(tmp_path / "kept"))
