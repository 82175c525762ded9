import torch

from storydit.camera_probe import camera_losses
from storydit.model import StoryDiT, dit_config


def test_camera_losses_change_only_when_the_model_reads_its_camera_label():
    torch.manual_seed(0)
    model = StoryDiT(dit_config("tiny", shot_cond=True)).eval()
    for p in model.parameters():
        torch.nn.init.normal_(p, std=0.05)
    torch.nn.init.zeros_(model.shot_embedder.camera.weight)               # the camera label changes nothing
    x0, text = torch.randn(3, 4, 4, 4, 4), torch.randn(3, 1, 8, 384)
    layout = model.layout_for([4], False)
    labels = torch.tensor([[[2, 1]], [[3, 2]], [[5, 1]]])
    flat = camera_losses(model, x0, text, labels, layout, 0.6, noise_correlation=0.7)
    k = len(model.cfg.cameras) + 1
    for name in ("frame", "motion"):
        assert flat[name].shape == (3, k) and torch.allclose(flat[name], flat[name][:, :1].expand_as(flat[name]))
        assert bool((flat[name] > 0).all())
    torch.nn.init.normal_(model.shot_embedder.camera.weight, std=1.0)
    used = camera_losses(model, x0, text, labels, layout, 0.6, noise_correlation=0.7)
    assert not torch.allclose(used["motion"], flat["motion"]), "a used camera label changes the motion loss"
    assert torch.equal(labels[:, :, 1], torch.tensor([[1], [2], [1]])), "the true labels are left as they were"
