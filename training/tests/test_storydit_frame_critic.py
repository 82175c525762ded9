"""The frozen frame critic (frame_critic.py): it learns the actor's colour from rendered frames, it is saved and
loaded exactly, its loss skips unweighted frames, and in DiT training its gradient reaches the model, never itself."""
import json

import pytest
import torch

from storydit.codec import PixelCodec
from storydit.data import load_storyworld
from storydit.frame_critic import (CONFIG, FrameCritic, FrameCriticConfig, critic_loss, load_critic, save_critic,
                                   train_critic)
from storyworld.vocab import COLOURS, KIND_NAMES
from test_storydit_stage0 import stage0_trainer
from test_storydit_standin import FakeWorld


def small_critic(seed=0, size=32):
    torch.manual_seed(seed)
    return FrameCritic(FrameCriticConfig(KIND_NAMES, tuple(c.name for c in COLOURS), width=8, image_size=size))


def test_the_critic_names_a_logit_per_kind_and_per_colour_and_reads_each_scenes_actor():
    critic = small_critic()
    kind_logits, colour_logits = critic(torch.rand(5, 3, 32, 32) * 2 - 1)
    assert kind_logits.shape == (5, len(KIND_NAMES)) and colour_logits.shape == (5, len(COLOURS))
    specs = [FakeWorld.sample_scene(seed=s, n_shots=1, frames_per_shot=1) for s in (0, 1)]
    kinds, colours = critic.targets(specs)
    assert KIND_NAMES[int(kinds[0])] == "ball" and KIND_NAMES[int(kinds[1])] == "cube"
    assert [COLOURS[int(c)].name for c in colours] == [s.actor.colour for s in specs]


def test_saved_critic_loads_frozen_and_identical(tmp_path):
    critic = small_critic().eval()
    save_critic(critic, str(tmp_path / "c"), {"note": "test"})
    loaded = load_critic(str(tmp_path / "c"))
    z = torch.rand(3, 3, 32, 32) * 2 - 1
    for a, b in zip(critic(z), loaded(z)):
        assert torch.equal(a, b)
    assert not loaded.training and not any(p.requires_grad for p in loaded.parameters())
    with pytest.raises(FileNotFoundError, match="not a frame critic folder"):
        load_critic(str(tmp_path))
    doc = json.loads((tmp_path / "c" / CONFIG).read_text())
    doc["format"] = "something-else/1"
    (tmp_path / "c" / CONFIG).write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="format"):
        load_critic(str(tmp_path / "c"))


def test_the_loss_ignores_frames_without_weight_and_its_gradient_reaches_the_frames():
    critic = small_critic().eval().requires_grad_(False)
    x_hat = (torch.rand(2, 3, 3, 32, 32) * 2 - 1).requires_grad_(True)
    kinds, colours = torch.tensor([0, 3]), torch.tensor([1, 2])
    weight = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    loss, info = critic_loss(critic, x_hat, kinds, colours, weight)
    loss.backward()
    assert set(info) == {"critic_kind", "critic_colour"} and float(loss) > 0
    assert float(x_hat.grad[0, 1].abs().sum()) == 0 and float(x_hat.grad[1, 0].abs().sum()) == 0
    assert float(x_hat.grad[0, 0].abs().sum()) > 0 and float(x_hat.grad[1, 1].abs().sum()) > 0
    changed = x_hat.detach().clone()
    changed[0, 1] = torch.rand(3, 32, 32)                                        # a weightless frame
    again, _ = critic_loss(critic, changed, kinds, colours, weight)
    assert float(again) == pytest.approx(float(loss), abs=1e-6)


def test_a_short_training_run_learns_the_actors_colour_from_rendered_frames(tmp_path):
    report = train_critic(str(tmp_path / "c"), steps=120, batch_size=32, lr=3e-3, width=16, image_size=32,
                          world=load_storyworld(), eval_batches=4)
    chance = 100 / len(COLOURS)
    assert report["held_out"]["sigma 0.0"]["colour"] > 2.5 * chance, report["held_out"]
    assert report["log"][-1]["loss"] < report["log"][0]["loss"]
    assert load_critic(str(tmp_path / "c")).cfg.image_size == 32


def test_in_dit_training_the_critic_loss_moves_the_model_and_never_the_critic(tmp_path):
    save_critic(small_critic(seed=3), str(tmp_path / "critic"), {})
    tr = stage0_trainer(tmp_path / "px", PixelCodec(32), patch=8, prediction="x", critic=str(tmp_path / "critic"),
                        critic_loss=1.0)
    frozen = {k: v.clone() for k, v in tr.critic.state_dict().items()}
    info = tr.train_step()
    assert info["critic_kind"] > 0 and info["critic_colour"] > 0
    assert all(torch.equal(v, tr.critic.state_dict()[k]) for k, v in frozen.items())
    assert not any(p is q for g in tr.opt.param_groups for p in g["params"] for q in tr.critic.parameters())
    with pytest.raises(AssertionError, match="needs --prediction x"):
        stage0_trainer(tmp_path / "v", PixelCodec(32), patch=8, critic=str(tmp_path / "critic"), critic_loss=1.0)
    with pytest.raises(AssertionError, match="needs --critic DIR"):
        stage0_trainer(tmp_path / "nodir", PixelCodec(32), patch=8, prediction="x", critic_loss=1.0)


def test_an_input_blur_hides_pixel_patterns_from_the_critic_and_survives_save_and_load(tmp_path):
    torch.manual_seed(5)
    sharp = FrameCritic(FrameCriticConfig(KIND_NAMES, tuple(c.name for c in COLOURS), width=8, image_size=32)).eval()
    blurred = FrameCritic(FrameCriticConfig(KIND_NAMES, tuple(c.name for c in COLOURS), width=8, image_size=32,
                                            input_blur=2.0)).eval()
    blurred.load_state_dict(sharp.state_dict())
    z = torch.rand(2, 3, 32, 32) * 2 - 1
    yy, xx = torch.meshgrid(torch.arange(32), torch.arange(32), indexing="ij")
    checker = 0.5 * (((yy + xx) % 2) * 2 - 1).float()                          # a 1-px pattern, amplitude 0.5,
    checker[:8], checker[-8:], checker[:, :8], checker[:, -8:] = 0, 0, 0, 0     # away from the padded border

    def shift(critic):
        return float((critic(z)[0] - critic(z + checker)[0]).abs().max())
    assert shift(blurred) < 0.1 * shift(sharp)
    save_critic(blurred, str(tmp_path / "c"), {})
    assert load_critic(str(tmp_path / "c")).cfg.input_blur == 2.0
