"""Blurred-actor inputs (actor_blur.py): the actor and its halo are blurred, the rest of the frame is not, and only
frames noisy enough are picked."""
import pytest
import torch

from storydit.actor_blur import blur_actor, blurred_inputs, gaussian_blur, gaussian_kernel
from storydit.codec import PixelCodec
from storydit.vae import FrameVAE, vae_config
from test_storydit_stage0 import stage0_trainer


def square_actor(n=2, size=32):
    """A sharp bright square (the actor) on a dark flat background, and its alpha."""
    x = torch.full((n, 3, size, size), -0.5)
    cover = torch.zeros(n, 1, size, size)
    x[:, :, 12:20, 12:20], cover[:, :, 12:20, 12:20] = 0.8, 1.0
    return x, cover


def edge_energy(x):
    return float((x[..., 1:, :] - x[..., :-1, :]).square().sum() + (x[..., :, 1:] - x[..., :, :-1]).square().sum())


def test_the_kernel_is_normalised_and_a_flat_frame_stays_flat():
    assert float(gaussian_kernel(2.5).sum()) == pytest.approx(1.0)
    flat = torch.full((1, 3, 16, 16), 0.3)
    assert torch.allclose(gaussian_blur(flat, 2.0), flat, atol=1e-6)


def test_the_actor_is_blurred_and_the_background_far_from_it_is_not():
    x, cover = square_actor()
    out = blur_actor(x, cover, 2.0)
    assert edge_energy(out) < 0.6 * edge_energy(x), "the square's edges are softened"
    assert torch.equal(out[:, :, :2], x[:, :, :2]) and torch.equal(out[:, :, :, -2:], x[:, :, :, -2:])
    assert float(out[:, :, 16, 16].min()) > 0.5, "the actor's centre keeps its colour"
    assert float(out[:, :, 11, 16].max()) > -0.5, "the halo takes some of the actor's colour"
    no_actor = blur_actor(x, torch.zeros_like(cover), 2.0)
    assert torch.equal(no_actor, x), "a frame without an actor is unchanged"


def test_only_frames_at_or_above_t_min_are_picked():
    x, cover = square_actor(4)
    x0, c = x.reshape(2, 2, 3, 32, 32), cover.reshape(2, 2, 1, 32, 32)
    t = torch.tensor([0.1, 0.5, 0.29, 0.9]).reshape(2, 2, 1, 1, 1)
    out = blurred_inputs(x0, c, t, 1.0, 0.3, 2.0)
    assert torch.equal(out[0, 0], x0[0, 0]) and torch.equal(out[1, 0], x0[1, 0])
    assert not torch.equal(out[0, 1], x0[0, 1]) and not torch.equal(out[1, 1], x0[1, 1])
    assert torch.equal(blurred_inputs(x0, c, t, 0.0, 0.3, 2.0), x0), "p = 0 picks nothing"


def test_the_trainer_blurs_inputs_on_the_pixel_codec_and_refuses_a_vae(tmp_path):
    tr = stage0_trainer(tmp_path / "px", PixelCodec(32), patch=8, prediction="x", actor_blur=0.5)
    assert tr.batcher.batch(0).alpha is not None, "the blur needs the renderer's actor coverage"
    assert tr.train_step()["loss"] > 0
    with pytest.raises(AssertionError, match="pixel codec"):
        stage0_trainer(tmp_path / "vae", FrameVAE(vae_config("tiny")), actor_blur=0.5)
