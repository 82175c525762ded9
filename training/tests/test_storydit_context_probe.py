import torch

from storydit.context_probe import foreign_context, grey, row_mse, step_times, summarize, target_estimate
from storydit.model import StoryDiT, dit_config
from storydit.train_dit import chunk_step_layout


def tiny_step():
    torch.manual_seed(0)
    model = StoryDiT(dit_config("tiny")).eval()
    for p in model.parameters():
        torch.nn.init.normal_(p, std=0.05)
    layout, keep = chunk_step_layout(model.layout_for([6], True), 2, model.cfg.chunk_frames)
    return model, layout, keep


def test_foreign_context_swaps_everything_but_the_target_between_rows():
    x0 = torch.arange(3.0)[:, None, None, None, None].expand(3, 6, 1, 2, 2).clone()
    x0[:, 4:] += 10
    out = foreign_context(x0, slice(4, 6))
    assert torch.equal(out[:, :4, 0, 0, 0], torch.tensor([2.0, 0.0, 1.0])[:, None].expand(3, 4))
    assert torch.equal(out[:, 4:], x0[:, 4:]), "the target frames stay the row's own"


def test_step_times_put_the_target_at_t_the_context_at_t_c_and_the_global_caption_clean():
    _, layout, _ = tiny_step()
    t_seg = step_times(layout, 2, 0.9, 0.2)
    assert [s.shot for s in layout.segments] == [-1, 0, 0]
    assert torch.allclose(t_seg, torch.tensor([[0.0, 0.2, 0.9]] * 2))


def test_the_estimate_reads_its_context_and_identical_contexts_give_identical_estimates():
    model, layout, keep = tiny_step()
    c = model.cfg
    scene = torch.randn(1, keep, c.latent_channels, c.latent_h, c.latent_w)
    text = torch.randn(1, layout.n_text_segments, c.l_txt, 384)
    x0, text2 = scene.expand(2, -1, -1, -1, -1).clone(), text.expand(2, -1, -1, -1)
    eps = torch.randn(1, keep, c.latent_channels, c.latent_h, c.latent_w).expand(2, -1, -1, -1, -1)
    t_seg = step_times(layout, 2, 0.9, 0.2)
    tgt = layout.frame_slices()[-1]
    with torch.no_grad():
        same = target_estimate(model, foreign_context(x0, tgt), eps, text2, layout, t_seg, None)
        assert same.shape == (2, tgt.stop - tgt.start, c.latent_channels, c.latent_h, c.latent_w)
        assert torch.allclose(same, target_estimate(model, x0, eps, text2, layout, t_seg, None), atol=1e-6)
        x0[1, :tgt.start] = torch.randn_like(x0[1, :tgt.start])             # another context, the same target
        other = target_estimate(model, x0, eps, text2, layout, t_seg, None)
    assert not torch.allclose(other[0], other[1], atol=1e-4), "the target attends to its earlier chunks"


def test_summary_reports_the_gain_over_a_foreign_context_and_grey_levels():
    s = summarize({"se_true": 1.0, "se_foreign": 4.0, "se_copy": 2.0, "seam_true": 30.0, "seam_gt": 10.0, "n": 2})
    assert s["gain"] == 0.75 and s["mse_true"] == 0.5 and s["mse_copy_last"] == 1.0 and s["targets"] == 2
    assert s["seam_true"] == 15.0 and s["seam_gt"] == 5.0
    assert grey(torch.full((2, 3, 4, 4), 2.0)).tolist() == [255.0, 255.0]
    assert row_mse(torch.zeros(2, 3), torch.ones(2, 3)).tolist() == [1.0, 1.0]
