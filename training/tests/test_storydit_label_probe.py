import pytest
import torch

from storydit.label_probe import label_losses, summarize
from storydit.model import StoryDiT, dit_config


def test_summary_reads_the_lowest_loss_kind_and_the_gain_against_the_null_label():
    losses = torch.tensor([[1.0, 0.9, 0.5, 0.8],       # true 2: lowest -> right
                           [2.0, 1.0, 1.5, 1.9]])      # true 3: kind 1 lowest -> wrong
    s = summarize(losses, torch.tensor([2, 3]))
    assert s["accuracy"] == 0.5 and s["chance"] == pytest.approx(1 / 3)
    assert s["gain_vs_null"] == pytest.approx(((1.0 - 0.5) + (2.0 - 1.9)) / 2 / 1.5)


def test_a_model_that_ignores_its_kind_label_gains_nothing_and_one_that_reads_it_does():
    torch.manual_seed(0)
    model = StoryDiT(dit_config("tiny", shot_cond=True, kind_label_oracle=True)).eval()
    for p in model.parameters():
        torch.nn.init.normal_(p, std=0.05)
    torch.nn.init.zeros_(model.shot_embedder.kind.weight)                  # the label changes nothing
    x0, text = torch.randn(6, 1, 4, 4, 4), torch.randn(6, 1, 8, 384)
    labels = torch.tensor([[[1, 1, k]] for k in (1, 2, 3, 4, 5, 6)])
    flat = label_losses(model, x0, text, labels, 0.5, batch=4)
    assert flat.shape == (6, 8) and torch.allclose(flat, flat[:, :1].expand_as(flat))
    assert summarize(flat, labels[:, 0, 2])["gain_vs_null"] == pytest.approx(0.0, abs=1e-6)
    torch.nn.init.normal_(model.shot_embedder.kind.weight, std=1.0)
    assert not torch.allclose(label_losses(model, x0, text, labels, 0.5), flat), "a used label changes the loss"
    with pytest.raises(AssertionError, match="kind_label_oracle"):
        label_losses(StoryDiT(dit_config("tiny", shot_cond=True)), x0, text, labels[..., :2], 0.5)
