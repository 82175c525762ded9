"""Frame VAE: shapes, presets, latent normalisation, and a short training run through the trainer."""
import json
import os

import torch

from storydit.train_vae import VAETrainConfig, VAETrainer, load_vae
from storydit.vae import FrameVAE, VAE_PRESETS, vae_config, warm_start_state
from test_storydit_standin import FakeWorld


def test_shapes_and_param_budget():
    for preset in VAE_PRESETS:
        cfg = vae_config(preset)
        vae = FrameVAE(cfg).eval()
        x = torch.rand(2, 3, 3, cfg.image_size, cfg.image_size)
        z = vae.encode(x)
        assert z.shape == (2, 3, cfg.latent_channels, cfg.image_size // 8, cfg.image_size // 8)
        y = vae.decode(z)
        assert y.shape == x.shape and float(y.min()) >= 0 and float(y.max()) <= 1
    n = sum(p.numel() for p in FrameVAE(vae_config("S")).parameters())
    assert 0.5e6 <= n <= 1.0e6, n


def test_latent_normalisation_round_trip():
    vae = FrameVAE(vae_config("tiny", scaling_factor=2.0, shift_factor=0.3)).eval()
    x = torch.rand(2, 3, 32, 32)
    mean, _ = vae.encode_moments(x)
    assert torch.allclose(vae.encode(x), (mean - 0.3) * 2.0, atol=1e-6)
    z = torch.randn(2, 4, 4, 4)
    assert torch.allclose(vae.decode(z), vae.decode_raw(z / 2.0 + 0.3).clamp(0, 1), atol=1e-6)


def test_trainer_reduces_loss_and_writes_artifact(tmp_path):
    cfg = VAETrainConfig(preset="tiny", out_dir=str(tmp_path), steps=40, batch_frames=16, scenes_per_batch=2,
                         frames_per_shot=2, lr=3e-3, warmup=5, ckpt_every=1000, log_every=1000, eval_every=0,
                         eval_frames=8, stats_frames=16, device="cpu")
    tr = VAETrainer(cfg, world=FakeWorld())
    losses = [tr.train_step()["loss"] for _ in range(cfg.steps)]
    assert sum(losses[-5:]) / 5 < 0.6 * sum(losses[:5]) / 5, (losses[:5], losses[-5:])
    tr.save()
    out = tr.finalize()
    saved = json.load(open(os.path.join(out, "vae_config.json")))
    assert saved["scaling_factor"] != 1.0 and "heldout_psnr_db" in saved["eval"]
    vae = load_vae(out)
    z = vae.encode(tr.heldout_frames(8))
    assert abs(float(z.std()) - 1.0) < 0.5, "normalised latents should have roughly unit std"


def test_warm_start_to_more_latent_channels_reconstructs_like_the_old_vae():
    torch.manual_seed(0)
    old = FrameVAE(vae_config("tiny")).eval()
    new = FrameVAE(vae_config("tiny", latent_channels=8))
    new.load_state_dict(warm_start_state(old.state_dict(), 4, new))
    new.eval()
    x = torch.rand(3, 3, 32, 32)
    with torch.no_grad():
        old_rec = old.decode_raw(old.encode_moments(x)[0])
        mean, logvar = new.encode_moments(x)
        new_rec = new.decode_raw(mean)
        old_mean, old_logvar = old.encode_moments(x)
    assert mean.shape[1] == 8
    assert torch.allclose(mean[:, :4], old_mean) and torch.allclose(logvar[:, :4], old_logvar)
    assert torch.allclose(new_rec, old_rec, atol=1e-6)
    # the extra channels are live (fresh encoder rows), only their decoder columns start at zero
    assert float(mean[:, 4:].abs().sum()) > 0
    assert float(new.decoder.conv_in.weight[:, 4:].abs().sum()) == 0


def test_warm_start_rejects_a_different_architecture():
    old = FrameVAE(vae_config("tiny")).state_dict()
    new = FrameVAE(vae_config("S"))
    try:
        warm_start_state(old, 4, new)
    except AssertionError as e:
        assert "shape" in str(e)
    else:
        raise AssertionError("a tiny VAE must not warm-start an S VAE")
