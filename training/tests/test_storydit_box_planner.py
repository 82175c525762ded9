"""The layout planner (box_planner.py), the labels it learns from, and the box masks an actor-box model reads."""
import math

import torch

from storydit.actor_box import boxes_to_masks
from storydit.box_planner import (BoxPlanner, BoxPlannerConfig, flatten, iou, judge, load_planner, save_planner,
                                  shot_examples, size_only_boxes, train)
from storyworld.render import render_scene_batch, scene_labels
from storyworld.scene import sample_scene


def test_scene_labels_are_the_render_labels_without_pixels():
    specs = [sample_scene(s, 2, 6) for s in (3, 4, 5)]
    _, rendered = render_scene_batch(specs, 32)
    assert scene_labels(specs, 32) == rendered


def test_boxes_to_masks_covers_floor_to_ceil_and_nan_is_no_box():
    boxes = torch.tensor([[1.2, 2.0, 3.5, 4.0], [float("nan")] * 4])
    masks = boxes_to_masks(boxes, 6, 8)
    expected = torch.zeros(6, 8)
    expected[2:4, 1:4] = 1.0
    assert torch.equal(masks[0], expected)
    assert masks[1].sum() == 0


def test_iou_of_known_boxes():
    a = torch.tensor([[0.0, 0.0, 0.5, 0.5], [0.0, 0.0, 0.5, 0.5]])
    b = torch.tensor([[0.0, 0.0, 0.5, 0.5], [0.25, 0.0, 0.75, 0.5]])
    assert torch.allclose(iou(a, b), torch.tensor([1.0, 1.0 / 3.0]))


def test_planner_boxes_are_ordered_in_the_frame_and_survive_a_save(tmp_path):
    torch.manual_seed(0)
    planner = BoxPlanner(BoxPlannerConfig()).eval()
    n = 5
    args = (torch.randn(n, 384), torch.tensor([0, 1, 2, 3, 5]), torch.tensor([0, 1, 2, 3, 1]), torch.rand(n))
    boxes = planner(*args)
    assert boxes.shape == (n, 4)
    assert (boxes >= 0).all() and (boxes <= 1).all()
    assert (boxes[:, 2] >= boxes[:, 0]).all() and (boxes[:, 3] >= boxes[:, 1]).all()
    save_planner(planner, str(tmp_path))
    assert torch.equal(load_planner(str(tmp_path))(*args), boxes)


def test_planner_learns_the_staging_beyond_the_shot_size():
    """Given the camera and the phase (no words here), the planner must place boxes better than the mean box of
    each shot size: pans and zooms move and scale the actor's box over the shot."""
    torch.manual_seed(0)
    cfg = BoxPlannerConfig(hidden=64)
    ex = shot_examples(range(100, 400), 8, "train", cfg)
    assert ex.boxes.shape == (300, 8, 4)
    visible = ~torch.isnan(ex.boxes[..., 0])
    assert visible.float().mean() > 0.9
    rows = flatten(ex, torch.zeros(300, 384))
    assert rows["box"].shape[0] == int(visible.sum())
    planner = BoxPlanner(cfg)
    train(planner, rows, steps=600, batch=256, lr=3e-3, log_every=0)
    report = judge(planner, rows, rows)
    assert report["iou"] > report["iou_size_only"] + 0.03, report
    assert not math.isnan(float(size_only_boxes(rows, rows["shot_size"]).sum()))


def test_frame_eval_gives_a_box_model_the_planned_box_or_none(tmp_path):
    from storydit.frame_eval import still_boxes
    from storydit.model import dit_config
    cfg = dit_config("tiny", prediction="x", conv_decoder_width=4, conv_encoder=True, shot_cond=True,
                     actor_box_cond=True)
    torch.manual_seed(0)
    save_planner(BoxPlanner(BoxPlannerConfig()), str(tmp_path))
    ids = ["a", "b", "c"]
    labels = torch.tensor([[[1, 1]], [[2, 2]], [[3, 3]]])
    none = still_boxes("", ids, cfg, "none")
    assert none.shape == (3, 1, 1, cfg.latent_h, cfg.latent_w) and none.sum() == 0
    planned = still_boxes("", ids, cfg, "planned", str(tmp_path), torch.randn(3, 384), labels)
    assert planned.shape == none.shape
    area = planned.sum(dim=(-1, -2)).flatten()
    assert ((area > 0) & (area < cfg.latent_h * cfg.latent_w)).all()
    assert still_boxes("", ids, dit_config("tiny"), "planned") is None


def fake_pooled(prompts, text_cache=None):
    """A stand-in for the MiniLM pooling in planner tests: each prompt a fixed random unit vector (no encoder)."""
    rows = []
    for p in prompts:
        g = torch.Generator().manual_seed(sum(ord(ch) * (i + 1) for i, ch in enumerate(p)) % (2 ** 31))
        v = torch.randn(384, generator=g)
        rows.append(v / v.norm())
    return torch.stack(rows)


def test_an_action_planner_plans_the_action_it_is_told_or_names():
    """With no words (zero prompts), a planner told each shot's action places boxes better than one that is not: the
    action's path is in its label. Untold, it plans the action its head names, one path, never a blend."""
    from storydit.box_planner import action_indices, judge_action, train_action
    from storyworld.vocab import ACTION_NAMES
    torch.manual_seed(0)
    ex = shot_examples(range(100, 400), 8, "train", BoxPlannerConfig())
    plain, told = BoxPlanner(BoxPlannerConfig(hidden=64)), BoxPlanner(BoxPlannerConfig(hidden=64,
                                                                                       actions=list(ACTION_NAMES)))
    rows = flatten(ex, torch.zeros(300, 384), told.cfg.actions)
    assert rows["action"].shape == rows["box"].shape[:1]
    assert "action" not in flatten(ex, torch.zeros(300, 384))
    for planner in (plain, told):
        torch.manual_seed(0)
        train(planner, rows, steps=600, batch=256, lr=3e-3, log_every=0)
    without, with_action = judge(plain, rows, rows), judge(told, rows, rows)
    assert "iou_true_action" not in without
    assert with_action["iou_true_action"] > without["iou"] + 0.02, (with_action, without)

    pooled = fake_pooled(ex.prompts)                     # one vector per prompt: the head can learn each shot's action
    actions = action_indices(ex, told.cfg.actions)
    train_action(told, pooled, actions, steps=300, batch=128, lr=3e-3)
    assert judge_action(told, pooled, actions)["accuracy"] > 0.9
    one = (pooled[:4].repeat_interleave(8, 0), ex.camera[:4].repeat_interleave(8), ex.shot_size[:4].repeat_interleave(8),
           torch.arange(8).repeat(4) / 8)
    named = told.named_action(one[0])
    assert torch.equal(told(*one), told(*one, named))
    assert not torch.equal(told(*one), told(*one, (named + 1) % len(ACTION_NAMES)))


def test_a_replanned_planner_keeps_its_prompt_heads_and_names_the_action(tmp_path, monkeypatch):
    import json

    from storydit import box_planner
    from storyworld.vocab import ACTION_NAMES
    monkeypatch.setattr(box_planner, "pooled_prompts", fake_pooled)
    source = tmp_path / "painted"
    box_planner.main(["--out", str(source), "--silhouette", "--paint", "--scenes", "60", "--val-scenes", "20",
                      "--steps", "20", "--batch", "32", "--template-scenes", "150", "--frames", "8"])
    box_planner.main(["--out", str(tmp_path / "acting"), "--replan", str(source), "--actions", "--scenes", "60",
                      "--val-scenes", "20", "--steps", "20", "--batch", "32", "--frames", "8"])
    before, after = load_planner(str(source)), load_planner(str(tmp_path / "acting"))
    assert after.cfg.actions == list(ACTION_NAMES) and after.cfg.kinds == before.cfg.kinds
    kept = before.state_dict()
    for name, value in after.state_dict().items():
        if name.split(".")[0] in box_planner.PROMPT_PARTS:
            assert torch.equal(value, kept[name]), name
    assert not torch.equal(after.mlp[0].weight[:, :384], kept["mlp.0.weight"][:, :384]), "the box MLP is new"
    report = json.load(open(tmp_path / "acting" / "eval.json"))
    old = json.load(open(source / "eval.json"))
    assert report["validation"]["kind"] == old["validation"]["kind"]
    assert report["validation"]["colour"] == old["validation"]["colour"]
    assert set(report["validation"]["action"]["per_action"]) <= set(ACTION_NAMES)
    assert report["replanned_from"] == str(source) and "iou_true_action" in report["validation"]
