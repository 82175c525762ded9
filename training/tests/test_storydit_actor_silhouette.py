"""The planned silhouette (actor_silhouette.py): boxes from coverage, the kind templates, and the rule that draws a
template into a box, which the Java engine's layout.SilhouetteMasks repeats."""
import json

import pytest
import torch
import torch.nn.functional as F

from storydit.actor_box import box_mask, boxes_to_masks
from storydit.actor_silhouette import coverage_boxes, fit_templates, painted_masks, silhouette_masks, true_silhouettes
from storydit.box_planner import (TRAIN_SEED, BoxPlanner, BoxPlannerConfig, colour_palette, judge_colour,
                                  judge_kind, kind_templates, load_planner, planned_masks, save_planner, train_colour,
                                  train_kind)
from storydit.box_planner import main as box_planner_main
from storyworld.vocab import COLOURS, KIND_NAMES

NAN = float("nan")


def test_coverage_boxes_span_what_box_mask_covers():
    cov = torch.zeros(3, 10, 12)
    cov[0, 2:5, 3:9] = 0.9
    cov[1, 7, 11] = 0.6
    cov[2, 4, 4] = 0.4                                         # under the threshold: no actor
    boxes = coverage_boxes(cov)
    assert boxes[0].tolist() == [3.0, 2.0, 9.0, 5.0]
    assert boxes[1].tolist() == [11.0, 7.0, 12.0, 8.0]
    assert torch.isnan(boxes[2]).all()
    masks = boxes_to_masks(boxes, 10, 12)
    assert torch.equal(masks, box_mask(cov[:, None])[:, 0])


def test_a_box_of_template_size_reads_the_template_texel_for_texel():
    s = 4
    templates = torch.arange(2 * s * s, dtype=torch.float32).reshape(2, s, s) / 32
    boxes = torch.tensor([[3.0, 1.0, 3.0 + s, 1.0 + s]])
    mask = silhouette_masks(boxes, torch.tensor([[0.0, 1.0]]), templates, 8, 9)[0]
    assert torch.allclose(mask[1:5, 3:7], templates[1])
    outside = torch.ones(8, 9, dtype=torch.bool)
    outside[1:5, 3:7] = False
    assert mask[outside].abs().sum() == 0


def test_an_actor_facing_left_reads_the_template_mirrored():
    s = 4
    templates = torch.arange(s * s, dtype=torch.float32).reshape(1, s, s) / 16
    boxes = torch.tensor([[0.0, 0.0, s, s]] * 2)
    masks = silhouette_masks(boxes, torch.ones(2, 1), templates, s, s, facing=torch.tensor([1.0, -1.0]))
    assert torch.allclose(masks[0], templates[0]) and torch.allclose(masks[1], templates[0].flip(-1))


def test_fit_templates_mirror_the_frames_that_face_left():
    head = torch.zeros(2, 8, 8)
    head[0, 2:6, 1:7] = 1.0
    head[0, 2:6, 5:7] = 0.0                   # facing right: only the left part ... and a dot on its right
    head[0, 3, 6] = 1.0
    head[1] = head[0].flip(-1)                # the same actor facing left
    templates = fit_templates(head, torch.tensor([0, 0]), 1, size=6, facing=torch.tensor([1.0, -1.0]))
    alone = fit_templates(head[:1], torch.tensor([0]), 1, size=6)
    assert torch.allclose(templates, alone, atol=1e-6)


def test_a_full_template_is_the_box_mask_and_nothing_outside():
    templates = torch.ones(1, 16, 16)
    boxes = torch.tensor([[2.0, 3.0, 7.0, 5.0], [NAN] * 4, [4.0, 4.0, 4.0, 6.0]])    # a box, none, zero width
    masks = silhouette_masks(boxes, torch.ones(3, 1), templates, 8, 8)
    assert torch.equal(masks[0], boxes_to_masks(boxes[0], 8, 8))
    assert masks[1].sum() == 0 and masks[2].sum() == 0


def test_kind_probabilities_mix_the_templates_linearly():
    g = torch.Generator().manual_seed(1)
    templates = torch.rand(3, 16, 16, generator=g)
    boxes = torch.tensor([[5.3, 2.7, 20.1, 30.6]])
    probs = torch.tensor([[0.2, 0.5, 0.3]])
    mixed = silhouette_masks(boxes, probs, templates, 32, 24)
    parts = sum(float(probs[0, k]) * silhouette_masks(boxes, F.one_hot(torch.tensor([k]), 3).float(), templates, 32, 24)
                for k in range(3))
    assert torch.allclose(mixed, parts, atol=1e-6)
    assert mixed.min() >= 0 and mixed.max() <= 1


def test_fit_templates_of_discs_and_squares_read_a_disc_and_a_full_square():
    yy, xx = torch.meshgrid(torch.arange(32.0), torch.arange(32.0), indexing="ij")
    disc = (((yy - 15.5) ** 2 + (xx - 15.5) ** 2) <= 10.0 ** 2).float()
    square = torch.zeros(32, 32)
    square[4:20, 6:18] = 1.0
    templates = fit_templates(torch.stack([disc, square, disc]), torch.tensor([0, 1, 0]), 2, size=16)
    assert torch.allclose(templates[1], torch.ones(16, 16))
    assert templates[0][7:9, 7:9].min() > 0.99 and templates[0][0, 0] < 0.05     # full in the middle, empty corners


def test_the_medoid_template_is_the_sharp_pose_nearest_the_mean_not_the_mean():
    yy, xx = torch.meshgrid(torch.arange(32.0), torch.arange(32.0), indexing="ij")
    upright = ((xx >= 4) & (xx < 28) & (yy >= 4) & (yy < 28)).float()                 # a 24 px square
    r = ((yy - 15.5) ** 2 + (xx - 15.5) ** 2).sqrt()
    round_ = (r <= 12.0).float()                                                       # a 24 px disc
    diamond = ((yy - 15.5).abs() + (xx - 15.5).abs() <= 12.0).float()                 # the square turned 45 degrees
    small = torch.zeros(32, 32)
    small[10:16, 10:16] = 1.0                                                          # under 16 px: no candidate
    coverage = torch.stack([upright, round_, diamond, upright, small])
    kinds = torch.zeros(5, dtype=torch.long)
    mean = fit_templates(coverage, kinds, 1, size=16)[0]
    medoid = fit_templates(coverage, kinds, 1, size=16, rule="medoid")[0]
    crops = [fit_templates(c[None], kinds[:1], 1, size=16)[0] for c in coverage]
    assert not any(torch.allclose(mean, c) for c in crops), "the mean is no pose the renderer draws"
    assert torch.equal(medoid, crops[0]), "two upright squares in four: the upright pose is nearest the mean"
    soft = lambda t: ((t > 0.05) & (t < 0.95)).float().mean()                         # noqa: E731
    assert soft(medoid) < soft(mean)
    with pytest.raises(AssertionError, match="rule must be one of"):
        fit_templates(coverage, kinds, 1, rule="mode")


def test_a_retemplated_planner_keeps_its_heads_and_palette_and_refits_the_templates(tmp_path):
    torch.manual_seed(0)
    cfg = BoxPlannerConfig(hidden=16, kinds=list(KIND_NAMES), colours=[c.name for c in COLOURS])
    planner = BoxPlanner(cfg)
    planner.templates.copy_(torch.rand(planner.templates.shape))
    planner.palette.copy_(torch.rand(planner.palette.shape))
    save_planner(planner, str(tmp_path / "mean"))
    (tmp_path / "mean" / "eval.json").write_text('{"scenes": 7}')
    box_planner_main(["--retemplate", str(tmp_path / "mean"), "--templates", "medoid", "--template-scenes", "80",
                      "--frames", "2", "--out", str(tmp_path / "posed")])
    posed = load_planner(str(tmp_path / "posed"))
    for name, value in planner.state_dict().items():
        if name != "templates":
            assert torch.equal(posed.state_dict()[name], value), name
    assert torch.equal(posed.templates, kind_templates(range(TRAIN_SEED, TRAIN_SEED + 80), 2, cfg.kinds,
                                                       rule="medoid"))
    report = json.loads((tmp_path / "posed" / "eval.json").read_text())
    assert report["scenes"] == 7 and report["templates"] == "medoid" and report["template_scenes"] == 80


def test_true_silhouettes_are_zero_outside_the_true_box_and_follow_the_kind():
    templates = torch.zeros(2, 16, 16)
    templates[0] = 1.0
    templates[1, :, :8] = 1.0                                  # kind 1: the left half of its box
    cov = torch.zeros(2, 1, 1, 16, 16)
    cov[:, 0, 0, 4:12, 2:10] = 1.0
    sil = true_silhouettes(cov, [0, 1], templates)
    assert sil.shape == cov.shape
    assert torch.equal(sil[0], cov[0])
    assert sil[1, 0, 0, 4:12, 2:6].min() == 1 and sil[1, 0, 0, :, 6:].sum() == 0


def test_a_silhouette_planner_names_the_kind_and_keeps_its_templates(tmp_path):
    torch.manual_seed(0)
    cfg = BoxPlannerConfig(hidden=32, kinds=list(KIND_NAMES))
    templates = kind_templates(range(300, 340), 4, cfg.kinds)
    assert templates.shape == (len(KIND_NAMES), 16, 16)
    ball, pyramid = templates[KIND_NAMES.index("ball")], templates[KIND_NAMES.index("pyramid")]
    assert ball[8, 8] > 0.9 and ball[0, 0] < 0.3               # round: full centre, empty corners
    assert pyramid[1, 8] > pyramid[1, 1] + 0.3                 # a point at the top centre, not the top corners
    planner = BoxPlanner(cfg)
    planner.templates.copy_(templates)
    kinds = torch.arange(len(KIND_NAMES)).repeat(20)
    pooled = F.one_hot(kinds, 384).float()                     # a prompt that names its kind plainly
    facing = torch.where(torch.arange(len(kinds)) % 2 == 0, 1.0, -1.0)
    pooled = pooled + F.one_hot(100 + (facing > 0).long(), 384).float()    # ... and the way it goes
    train_kind(planner, pooled, kinds, steps=200, batch=64, lr=1e-2, facing=facing)
    report = judge_kind(planner, pooled, kinds, facing, torch.ones(len(kinds), dtype=torch.bool))
    assert report["accuracy"] == 1.0 and report["facing_on_moving_shots"] == 1.0
    named, way = planner.named_kind(pooled)
    assert torch.equal(named.argmax(1), kinds) and torch.equal(way, facing)
    save_planner(planner, str(tmp_path))
    loaded = load_planner(str(tmp_path))
    assert torch.equal(loaded.templates, templates)
    labels = torch.tensor([[1, 2]])
    masks = planned_masks(loaded, pooled[2:3], labels, 4, 32, 32)
    boxes = planned_masks(BoxPlanner(BoxPlannerConfig(hidden=32)).eval(), pooled[2:3], labels, 4, 32, 32)
    assert masks.shape == boxes.shape == (1, 4, 1, 32, 32)
    assert masks.max() <= 1 and masks.sum() > 0


def test_a_scene_names_its_kind_from_all_its_words():
    planner = BoxPlanner(BoxPlannerConfig(hidden=8, kinds=["ball", "cube", "star"])).eval()
    head = torch.nn.Linear(384, 4, bias=False)                 # a head whose logits are read off the input
    with torch.no_grad():
        head.weight.zero_()
        head.weight[:, 0] = torch.tensor([3.0, 0.0, 0.0, 0.0])  # prompt e0: surely a ball
        head.weight[:, 1] = torch.tensor([0.0, 0.4, 0.5, 0.0])  # prompt e1: perhaps a star
    planner.kind = head
    sure_ball, unsure_star, null = torch.eye(384)[0], torch.eye(384)[1], torch.zeros(384)
    assert planner.scene_kind(torch.stack([unsure_star, sure_ball, null])) == 0
    assert planner.scene_kind(torch.stack([unsure_star, null])) == 2
    assert planner.scene_kind(torch.stack([unsure_star, unsure_star, sure_ball])) == 0
    many = torch.stack([unsure_star] * 30 + [sure_ball])
    assert planner.scene_kind(many) == 0, "the surest prompt names it, however often the others say another"
    assert torch.log_softmax(head(many)[:, :-1], -1).sum(0).argmax() == 2, "summed, the unsure ones would win"
    level = torch.eye(384)[2]                                   # prompt e2: every kind alike
    assert planner.scene_kind(torch.stack([level, null])) == 0, "a tie names the first kind (torch.argmax)"
    assert torch.allclose(planner.scene_log_probs(torch.stack([unsure_star, null, sure_ball])),
                          torch.log_softmax(head(sure_ball[None])[0, :-1], -1))
    assert torch.equal(planner.scene_log_probs(torch.stack([unsure_star, unsure_star])),
                       planner.scene_log_probs(unsure_star[None])), "the first of equally sure prompts"
    with pytest.raises(AssertionError, match="no prompt"):
        planner.scene_kind(torch.stack([null, null]))


def test_painted_masks_are_the_silhouette_then_it_times_the_colour():
    sil = torch.rand(2, 3, 8, 8)
    rgb = torch.tensor([[1.0, 0.5, 0.0], [0.0, 0.0, 0.0]])[:, None].expand(2, 3, 3)
    painted = painted_masks(sil, rgb)
    assert painted.shape == (2, 3, 4, 8, 8)
    assert torch.equal(painted[:, :, 0], sil)
    assert torch.equal(painted[0, :, 1], sil[0]) and torch.equal(painted[0, :, 2], sil[0] * 0.5)
    assert painted[0, :, 3].abs().sum() == 0
    assert painted[1, :, 1:].abs().sum() == 0 and painted[1, :, 0].sum() > 0, "black stays apart from no actor"


def test_colour_palette_is_each_colour_s_mean_fill():
    names = [c.name for c in COLOURS]
    palette = colour_palette(range(500, 700), names)
    assert palette.shape == (len(names), 3)
    red, blue, white, black = (palette[names.index(n)] for n in ("red", "blue", "white", "black"))
    assert red[0] > 0.7 and red[1] < 0.35 and red[2] < 0.35
    assert blue[2] > 0.7 and blue[0] < 0.35
    assert white.min() > 0.85 and black.max() < 0.2


def test_a_painting_planner_names_the_colour_paints_the_silhouette_and_needs_kinds(tmp_path):
    torch.manual_seed(0)
    names = [c.name for c in COLOURS]
    cfg = BoxPlannerConfig(hidden=32, kinds=list(KIND_NAMES), colours=names)
    assert cfg.layout_channels == 4 and BoxPlannerConfig(kinds=["ball"]).layout_channels == 1
    planner = BoxPlanner(cfg)
    planner.templates.copy_(torch.rand(planner.templates.shape))
    planner.palette.copy_(torch.rand(len(names), 3))
    colours = torch.arange(len(names)).repeat(10)
    pooled = F.one_hot(colours + 50, 384).float()               # a prompt that names its colour plainly
    train_colour(planner, pooled, colours, steps=200, batch=64, lr=1e-2)
    assert judge_colour(planner, pooled, colours)["accuracy"] == 1.0
    assert torch.equal(planner.named_colour(pooled[3:5]), planner.palette[colours[3:5]])
    save_planner(planner, str(tmp_path))
    loaded = load_planner(str(tmp_path))
    assert loaded.cfg.colours == names and torch.equal(loaded.palette, planner.palette)
    labels = torch.tensor([[1, 2]])
    painted = planned_masks(loaded, pooled[4:5], labels, 4, 32, 32)
    assert painted.shape == (1, 4, 4, 32, 32)
    unpainted = BoxPlanner(BoxPlannerConfig(hidden=32, kinds=list(KIND_NAMES))).eval()
    unpainted.load_state_dict({k: v for k, v in loaded.state_dict().items()
                               if not k.startswith(("colour.", "palette"))})
    sil = planned_masks(unpainted, pooled[4:5], labels, 4, 32, 32)
    assert torch.equal(painted[:, :, :1], sil), "the first channel is the silhouette the same planner plans"
    assert torch.allclose(painted[:, :, 1:], sil * planner.palette[4][:, None, None])
    with pytest.raises(AssertionError, match="colours need kinds"):
        BoxPlanner(BoxPlannerConfig(hidden=8, colours=names))


def test_a_scene_names_its_colour_from_all_its_words():
    planner = BoxPlanner(BoxPlannerConfig(hidden=8, kinds=["ball"], colours=["red", "blue", "white"])).eval()
    head = torch.nn.Linear(384, 3, bias=False)
    with torch.no_grad():
        head.weight.zero_()
        head.weight[:, 0] = torch.tensor([0.0, 3.0, 0.0])     # prompt e0: surely blue
        head.weight[:, 1] = torch.tensor([0.5, 0.0, 0.4])     # prompt e1 ("a ball", no colour): a guess of red
    planner.colour = head
    sure_blue, no_colour, null = torch.eye(384)[0], torch.eye(384)[1], torch.zeros(384)
    assert planner.scene_colour(torch.stack([no_colour, sure_blue, null])) == 1
    assert planner.scene_colour(torch.stack([no_colour, null])) == 0
    assert torch.allclose(planner.scene_colour_log_probs(torch.stack([no_colour, null, sure_blue])),
                          torch.log_softmax(head(sure_blue[None])[0], -1))
    assert planner.scene_colour(torch.stack([no_colour] * 30 + [sure_blue])) == 1, "guesses do not outvote a name"
    with pytest.raises(AssertionError, match="no colour"):
        planner.scene_colour(torch.stack([null]))
