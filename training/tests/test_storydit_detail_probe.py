"""The detail probe: a denoiser's one-step clean-frame estimate at small t, and how much edge energy it keeps."""
import pytest
import torch

from storydit.detail_probe import detail_report, edge_energy, one_step_x0
from storydit.model import StoryDiT, dit_config


def test_the_report_scores_a_perfect_a_flat_and_a_noisy_estimate():
    torch.manual_seed(0)
    x0 = torch.rand(4, 1, 3, 16, 16)
    xt = 0.9 * x0 + 0.1 * torch.randn_like(x0)
    perfect = detail_report(x0, x0, xt, 0.1)
    assert perfect["mse_model"] == 0 and perfect["edge_ratio"] == 1.0
    assert perfect["mse_input"] == pytest.approx(float((xt / 0.9 - x0).square().mean()), abs=1e-5)
    assert detail_report(x0, torch.full_like(x0, 0.5), xt, 0.1)["edge_ratio"] == 0.0
    assert edge_energy(xt / 0.9) > edge_energy(x0), "noise adds high-frequency energy"


def test_an_x_prediction_model_with_a_zero_head_estimates_a_flat_frame():
    model = StoryDiT(dit_config("tiny", prediction="x")).eval()        # adaLN-Zero: the output layer starts at 0
    x0, text = torch.rand(3, 1, 4, 4, 4), torch.randn(3, 1, 8, 384)
    out = one_step_x0(model, x0, text, None, 0.2, batch=2)
    assert out["x_hat"].shape == x0.shape and float(out["x_hat"].abs().max()) < 1e-6
    assert not torch.equal(out["x_t"], x0)


def test_the_kind_readout_reads_the_kind_the_head_puts_everywhere():
    from storydit.actor_mask import ActorKindHead
    from storydit.kind_readout import read_kinds
    cfg = dit_config("tiny")
    model, head = StoryDiT(cfg).eval(), ActorKindHead(cfg)
    with torch.no_grad():
        head.proj.bias.view(-1, head.n_classes)[:, 3] = 5.0           # every pixel: kind 3
    x0, text = torch.rand(2, 1, 4, 4, 4), torch.randn(2, 1, 8, 384)
    assert read_kinds(model, head, 0, x0, text, None, 0.9).tolist() == [3, 3]
    assert not model.blocks[0]._forward_hooks, "the hook is removed"


def test_the_linear_probe_separates_separable_kinds_and_reads_a_blocks_pooled_tokens():
    from storydit.kind_readout import block_features, fit_linear_probe
    torch.manual_seed(1)
    kinds = torch.arange(6).repeat(10)                                # 60 stills, 6 kinds
    features = torch.randn(60, 12) * 0.1
    features[torch.arange(60), kinds] += 3.0                          # one feature per kind
    probe = fit_linear_probe(features, kinds, 6, steps=200)
    assert torch.equal(probe(features), kinds)
    model = StoryDiT(dit_config("tiny")).eval()
    f = block_features(model, 1, torch.rand(5, 1, 4, 4, 4), torch.randn(5, 1, 8, 384), None, 0.9, batch=2)
    assert f.shape == (5, model.cfg.d_model) and not model.blocks[1]._forward_hooks
