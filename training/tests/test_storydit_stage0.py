"""Stage 0 (single frames), the pixel codec, x-prediction and the CPU budget of a run."""
import math
import os

import pytest
import torch

from storydit import checkpoint as ckpt
from storydit.codec import PixelCodec, load_codec
from storydit.flow import add_noise
from storydit.model import ConvDecoder, StoryDiT, StoryDiTConfig, dit_config
from storydit.pipeline import cfg_shot_labels
from storydit.text import CachedTextEncoder, RandomTestEncoder
from storydit.train_dit import DiTTrainConfig, DiTTrainer
from storydit.vae import FrameVAE, vae_config
from test_storydit_standin import FakeWorld


def stage0_trainer(out_dir, codec, steps=4, **kw):
    cfg = DiTTrainConfig(preset="tiny", stage=0, out_dir=str(out_dir), steps=steps, batch_size=6, ckpt_every=1000,
                         log_every=1000, device="cpu", text_encoder="test", text_cache="", warmup=2, ema_decay=0.9,
                         **kw)
    torch.manual_seed(4321)
    return DiTTrainer(cfg, world=FakeWorld(), vae=codec, text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))


def test_pixel_codec_is_the_identity_up_to_scale():
    frames = torch.rand(5, 3, 32, 32)
    codec = PixelCodec(32)
    z = codec.encode(frames)
    assert z.shape == frames.shape and float(z.min()) >= -1 and float(z.max()) <= 1
    assert torch.allclose(codec.decode(z), frames, atol=1e-6)
    assert (codec.cfg.latent_channels, codec.cfg.latent_size) == (3, 32)
    assert isinstance(load_codec("pixel:32"), PixelCodec) and load_codec("pixel:32").cfg.image_size == 32


def test_x_prediction_returns_the_velocity_of_its_clean_frame_estimate():
    torch.manual_seed(0)
    cfg = dit_config("tiny", latent_channels=3, latent_h=32, latent_w=32, patch_h=8, patch_w=8, prediction="x")
    model = StoryDiT(cfg).eval()
    torch.nn.init.normal_(model.final.proj.weight, std=0.1)        # a non-zero head
    layout = model.layout_for([2], False)
    x0, eps = torch.rand(2, 2, 3, 32, 32) * 2 - 1, torch.randn(2, 2, 3, 32, 32)
    t = torch.tensor([[0.7], [0.02]])
    x_t = add_noise(x0, eps, t[:, :, None, None, None])
    text = torch.randn(2, 1, cfg.l_txt, cfg.text_dim)
    v = model(x_t, text, t, layout, "scene_full")
    # the head's clean-frame estimate, read back through the same forward with prediction switched to v
    cfg.prediction = "v"
    x_hat = model(x_t, text, t, layout, "scene_full")
    cfg.prediction = "x"
    assert torch.allclose(x_t[0] - 0.7 * v[0], x_hat[0], atol=1e-5), "x_t - t v must be the predicted clean frame"
    # below t_min the division is clamped, so a near-clean input gives a bounded velocity
    assert torch.allclose(v[1], (x_t[1] - x_hat[1]) / cfg.x_pred_t_min, atol=1e-4)


def test_stage0_trains_text_to_image_on_single_frames(tmp_path):
    tr = stage0_trainer(tmp_path / "s0", FrameVAE(vae_config("tiny")))
    b = tr.single_frames(tr.batcher.batch(0))
    assert b.video.shape[:3] == (6, 1, 1) and b.global_captions == [None] * 6
    losses = [tr.train_step()["loss"] for _ in range(4)]
    assert all(l == l and l > 0 for l in losses)                   # finite, positive
    assert tr.batcher.max_shots == 1


def test_pixel_space_stage0_with_large_patches(tmp_path):
    tr = stage0_trainer(tmp_path / "px", PixelCodec(32), patch=8, prediction="x", t_mean=0.8, t_std=0.8)
    assert tr.dit_cfg.grid_hw == (4, 4) and tr.dit_cfg.patch_dim == 8 * 8 * 3 and tr.dit_cfg.prediction == "x"
    before = {k: v.clone() for k, v in tr.model.state_dict().items()}
    info = tr.train_step()
    assert info["loss"] > 0
    assert any(not torch.equal(before[k], v) for k, v in tr.model.state_dict().items())


def test_cpu_budget_stops_the_run_and_survives_resume(tmp_path):
    tr = stage0_trainer(tmp_path / "b", FrameVAE(vae_config("tiny")), steps=10_000, cpu_budget_min=1e-9)
    tr.run()
    assert tr.step == 1, "a spent budget stops after the step that spent it"
    _, meta = ckpt.load_checkpoint_dir(ckpt.list_checkpoints(str(tmp_path / "b" / "checkpoints"))[-1])
    assert meta["cpu_seconds"] > 0
    again = stage0_trainer(tmp_path / "b", FrameVAE(vae_config("tiny")), steps=10_000, cpu_budget_min=1e-9)
    again.run()
    assert again.step == 1 and again.cpu_seconds == meta["cpu_seconds"], "the budget counts over resumes"


def test_a_wall_clock_budget_stops_this_process_and_the_wall_time_is_kept(tmp_path):
    tr = stage0_trainer(tmp_path / "w", FrameVAE(vae_config("tiny")), steps=10_000, wall_budget_min=1e-9)
    tr.run()
    assert tr.step == 1, "a spent wall budget stops after the step that spent it"
    _, meta = ckpt.load_checkpoint_dir(ckpt.list_checkpoints(str(tmp_path / "w" / "checkpoints"))[-1])
    assert meta["wall_seconds"] > 0
    again = stage0_trainer(tmp_path / "w", FrameVAE(vae_config("tiny")), steps=10_000, wall_budget_min=1e-9)
    again.run()
    assert again.step == 2, "the wall budget is this process's: a resumed run trains again"
    assert again.wall_seconds > meta["wall_seconds"], "the wall time sums over resumes"


def test_stage0_error_recycling_banks_the_models_errors_and_feeds_them_back(tmp_path):
    plain = stage0_trainer(tmp_path / "plain", FrameVAE(vae_config("tiny")))
    assert plain.bank is None, "off by default in stage 0"
    tr = stage0_trainer(tmp_path / "er", FrameVAE(vae_config("tiny")), stage0_error_recycling=True,
                        bank_per_bucket=4, p_inject_none=0.0, p_inject_latent=1.0)
    assert tr.bank is not None and not tr.bank.filled()
    tr.train_step()
    assert tr.bank.filled(), "the first step banks its own errors"
    b = tr.single_frames(tr.batcher.batch(1))
    x0, text = tr.encode_batch(b)
    sb = tr.stage0_batch(b, x0, text)
    assert sb.target_seg == 0
    x_in, eps_in = tr.inject_errors(sb, x0, torch.zeros_like(x0))
    assert not torch.equal(x_in, x0), "every frame gets an error added (p_none 0, p_latent 1)"
    tr.train_step()
    tr.save()
    again = stage0_trainer(tmp_path / "er", FrameVAE(vae_config("tiny")), stage0_error_recycling=True,
                           bank_per_bucket=4, p_inject_none=0.0, p_inject_latent=1.0)
    assert again.try_resume()
    assert torch.equal(again.bank.data["x0"], tr.bank.data["x0"]), "the bank resumes exactly"


# --- camera and framing as class labels (shot_cond) ------------------------------------------------------
def shot_cond_trainer(out_dir, stage=1, **kw):
    cfg = DiTTrainConfig(preset="tiny", stage=stage, out_dir=str(out_dir), steps=4, batch_size=4, frames_per_shot=4,
                         max_shots=2, ckpt_every=1000, log_every=1000, device="cpu", text_encoder="test",
                         text_cache="", warmup=2, ema_decay=0.9, shot_cond=True, **kw)
    torch.manual_seed(99)
    return DiTTrainer(cfg, world=FakeWorld(), vae=FrameVAE(vae_config("tiny")),
                      text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))


def test_shot_labels_follow_the_caption_dropout_and_skip_the_global_caption(tmp_path):
    tr = shot_cond_trainer(tmp_path / "sc")
    b = tr.batcher.batch(0, n_shots=2)
    layout = tr.model.layout_for([4, 4], True)                     # [global][shot 0][shot 1]
    keep = torch.ones(4, 3)
    keep[1, 2] = 0                                                 # row 1 drops shot 1's caption
    labels = tr.shot_labels(b, layout, keep)
    assert labels.shape == (4, 3, 2)
    assert labels[:, 0].eq(0).all(), "the global segment has no camera or framing"
    for i, spec in enumerate(b.specs):
        for j, shot in enumerate(spec.shots):
            expected = torch.tensor(tr.dit_cfg.shot_label(shot.camera, shot.shot_size))
            if (i, j) == (1, 1):
                assert labels[i, 1 + j].eq(0).all(), "a dropped caption drops its shot's labels"
            else:
                assert torch.equal(labels[i, 1 + j], expected) and expected.gt(0).all()


def test_shot_cond_uses_the_content_caption_and_learns_the_label_tables(tmp_path):
    tr = shot_cond_trainer(tmp_path / "sl")
    seen = []
    real = tr.text_encoder.encode
    tr.text_encoder.encode = lambda caps: seen.extend(caps) or real(caps)
    before = tr.model.shot_embedder.camera.weight.clone()
    for _ in range(3):                 # adaLN-Zero: the condition gets its first gradient once t_block has moved
        tr.train_step()
    shot_captions = [c for c in seen if c != "a toy scene"]                 # the stand-in's global caption
    assert shot_captions and all(c.endswith(" square") for c in shot_captions), seen   # not "... moves right"
    assert not torch.equal(before, tr.model.shot_embedder.camera.weight), "the camera table must train"


def test_label_tables_start_at_zero_so_a_warm_start_begins_where_it_was():
    torch.manual_seed(3)
    cfg = dit_config("tiny", shot_cond=True)
    model = StoryDiT(cfg).eval()
    torch.nn.init.normal_(model.final.proj.weight, std=0.1)
    layout = model.layout_for([2], False)
    x, text, t = torch.randn(1, 2, 4, 4, 4), torch.randn(1, 1, cfg.l_txt, cfg.text_dim), torch.full((1, 1), 0.5)
    labelled = model(x, text, t, layout, "scene_full", shot_labels=torch.tensor([[[2, 3]]]))
    assert torch.equal(labelled, model(x, text, t, layout, "scene_full"))
    torch.nn.init.normal_(model.shot_embedder.camera.weight)
    assert not torch.allclose(model(x, text, t, layout, "scene_full", shot_labels=torch.tensor([[[2, 3]]])), labelled)


def test_shot_labels_map_names_and_survive_the_config_round_trip():
    cfg = dit_config("tiny", shot_cond=True)
    assert cfg.shot_label("static", "wide") == (1, 1) and cfg.shot_label("zoom_out", "close_up") == (5, 3)
    assert cfg.shot_label(None, None) == (0, 0)
    again = StoryDiTConfig.from_dict(cfg.to_dict())
    assert again == cfg and again.cameras == cfg.cameras
    with pytest.raises(AssertionError, match="unknown camera move 'dolly'"):
        cfg.shot_label("dolly", "wide")


def test_cfg_drops_the_target_segments_labels_in_the_unconditional_rows():
    labels = torch.tensor([[[1, 2], [3, 1]]])
    both = cfg_shot_labels(labels, [1])
    assert torch.equal(both[0], labels[0]) and torch.equal(both[1], torch.tensor([[1, 2], [0, 0]]))


def test_content_captions_name_no_camera_or_framing():
    from storyworld import sample_scene, vocab
    words = [p for c in vocab.CAMERAS for p in c.clauses.train + c.clauses.heldout] + \
            [p for s in vocab.SHOT_SIZES for p in s.nouns.train + s.nouns.heldout]
    for seed in range(60):
        spec = sample_scene(seed, 2, 4, split="heldout" if seed % 2 else "train")
        for shot in spec.shots:
            assert shot.prompt and not any(w in shot.prompt for w in words), shot.prompt


def test_a_pixel_space_model_exports_without_a_vae_and_warm_starts_training(tmp_path):
    from storydit.export import export_model, load_exported
    from storydit.model_card import write_model_card
    tr = stage0_trainer(tmp_path / "px", PixelCodec(32), patch=8, prediction="x")
    tr.train_step()
    out = tmp_path / "model"
    out.mkdir()
    card = open(write_model_card(str(out), "px", tr.dit_cfg, tr.vae.cfg, {"step": 1, "train_config": {}})).read()
    assert "in pixel space" in card and "no VAE" in card and "x-prediction" in card
    export_model(str(out), "px", tr.dit_cfg, tr.ema.shadow, tr.vae, storage="f16", extra_files=("MODEL_CARD.md",))
    assert sorted(os.listdir(out)) == ["MODEL_CARD.md", "config.json", "manifest.json", "storydit.safetensors",
                                       "vocabulary.json"]
    model, codec, config = load_exported(str(out))
    assert isinstance(codec, PixelCodec) and config["codec"] == "pixel" and model.cfg.prediction == "x"
    warm = stage0_trainer(tmp_path / "px2", PixelCodec(32), patch=8, prediction="x", init_from=str(out))
    for k, v in warm.model.state_dict().items():
        assert torch.allclose(v, tr.ema.shadow[k].half().float()), k


def test_shot_labels_warm_start_from_a_model_without_them(tmp_path):
    plain = stage0_trainer(tmp_path / "plain", PixelCodec(32), patch=8, prediction="x")
    plain.train_step()
    plain.save()
    labelled = stage0_trainer(tmp_path / "lab", PixelCodec(32), patch=8, prediction="x", shot_cond=True,
                              init_from=str(tmp_path / "plain"))
    state = labelled.model.state_dict()
    assert state["shot_embedder.camera.weight"].eq(0).all() and state["shot_embedder.size.weight"].eq(0).all()
    for k, v in plain.ema.shadow.items():
        assert torch.equal(state[k], v), k
    labelled.train_step()


# --- the kind-label oracle (a diagnostic: is the drawing path able to show a kind it is told exactly?) ------
def test_kind_label_oracle_reads_the_actor_kind_as_a_third_label_and_trains_its_table(tmp_path):
    tr = shot_cond_trainer(tmp_path / "ko", stage=0, kind_label_oracle=True)
    assert tr.dit_cfg.n_shot_labels == 3 and tr.model.shot_embedder.kind is not None
    b = tr.single_frames(tr.batcher.batch(0))
    layout = tr.model.layout_for([1], False)
    keep = torch.ones(4, 1)
    keep[2, 0] = 0                                                 # row 2 drops its caption
    labels = tr.shot_labels(b, layout, keep)
    assert labels.shape == (4, 1, 3)
    for i, spec in enumerate(b.specs):
        expected = 0 if i == 2 else tr.dit_cfg.kinds.index(spec.actor.kind) + 1
        assert int(labels[i, 0, 2]) == expected, "the kind label follows the actor and drops with the caption"
    before = tr.model.shot_embedder.kind.weight.clone()
    for _ in range(3):
        tr.train_step()
    assert not torch.equal(before, tr.model.shot_embedder.kind.weight), "the kind table must train"


def test_kind_label_oracle_is_never_exported_and_plain_models_keep_two_labels(tmp_path):
    from storydit.export import export_model
    plain = dit_config("tiny", shot_cond=True)
    assert plain.n_shot_labels == 2 and plain.shot_label("static", "wide", "ball") == (1, 1)
    oracle = dit_config("tiny", shot_cond=True, kind_label_oracle=True)
    assert oracle.shot_label("static", "wide", "fish") == (1, 1, 7)
    assert StoryDiTConfig.from_dict(oracle.to_dict()) == oracle
    with pytest.raises(AssertionError, match="unknown actor kind 'dragon'"):
        oracle.shot_label("static", "wide", "dragon")
    with pytest.raises(AssertionError, match="never exported"):
        export_model(str(tmp_path / "m"), "m", oracle, StoryDiT(oracle).state_dict(), PixelCodec(32))
    assert not (tmp_path / "m").exists(), "a refused export writes nothing"


# --- a deeper model warm-started from a shallower one (--depth) --------------------------------------------
def test_a_deeper_model_starts_exactly_where_the_shallower_one_was_and_trains_its_new_blocks(tmp_path):
    from storydit.train_dit import interleaved_blocks
    torch.manual_seed(5)
    shallow = StoryDiT(dit_config("tiny", shot_cond=True))
    for p in shallow.parameters():                  # a trained-looking model: no zero tables or gates
        torch.nn.init.normal_(p, std=0.05)
    deep = StoryDiT(dit_config("tiny", shot_cond=True, n_layers=4))
    deep.load_state_dict(interleaved_blocks(shallow.state_dict(), deep.state_dict()))
    layout = shallow.layout_for([2], False)
    x, text, t = torch.randn(2, 2, 4, 4, 4), torch.randn(2, 1, 8, 384), torch.rand(2, 1)
    with torch.no_grad():
        assert torch.allclose(deep(x, text, t, layout, "scene_full"), shallow(x, text, t, layout, "scene_full"), atol=1e-6)
    assert torch.equal(deep.blocks[2].attn.qkv.weight, shallow.blocks[1].attn.qkv.weight)
    deep(x, text, t, layout, "scene_full").square().mean().backward()
    assert deep.blocks[1].mlp.fc2.weight.grad.abs().sum() > 0, "the identity blocks learn from the first step"
    own_depth = shallow.state_dict()
    assert interleaved_blocks(own_depth, shallow.state_dict()) is own_depth, "a state of the model's depth is kept"
    with pytest.raises(AssertionError, match="not a multiple"):
        interleaved_blocks(shallow.state_dict(), StoryDiT(dit_config("tiny", n_layers=3)).state_dict())


def test_depth_overrides_the_presets_blocks_and_deepens_an_init(tmp_path):
    src = shot_cond_trainer(tmp_path / "shallow", stage=0)
    src.save()
    deep = shot_cond_trainer(tmp_path / "deep", stage=0, depth=4, init_from=str(tmp_path / "shallow"))
    assert deep.dit_cfg.n_layers == 4 and len(deep.model.blocks) == 4
    assert torch.equal(deep.model.blocks[2].mlp.fc1.weight, src.ema.shadow["blocks.1.mlp.fc1.weight"])
    assert deep.model.blocks[3].attn.proj.weight.abs().sum() == 0


# --- the auxiliary actor-mask loss (--actor-mask-loss) -----------------------------------------------------
def test_actor_mask_head_reads_the_final_tokens_trains_the_body_and_resumes_exactly(tmp_path):
    from storydit.actor_mask import ActorMaskHead, mask_loss
    tr = shot_cond_trainer(tmp_path / "mask", stage=0, actor_mask_loss=1.0)
    assert isinstance(tr.mask_head, ActorMaskHead)
    before = {k: v.clone() for k, v in tr.mask_head.state_dict().items()}
    body = tr.model.blocks[0].mlp.fc1.weight.clone()
    info = tr.train_step()
    assert tr.final_tokens.shape[1] == 4 and 0 < info["mask_bce"] < 5, info    # tiny: a 4x4 latent in 2x2 patches
    assert any(not torch.equal(before[k], v) for k, v in tr.mask_head.state_dict().items()), "the head trains"
    assert not torch.equal(body, tr.model.blocks[0].mlp.fc1.weight)
    tr.save()
    again = shot_cond_trainer(tmp_path / "mask", stage=0, actor_mask_loss=1.0)
    assert again.try_resume()
    for k, v in tr.mask_head.state_dict().items():
        assert torch.equal(v, again.mask_head.state_dict()[k]), f"the head resumes exactly: {k}"
    keys = tr.state()[0]
    assert "aux.mask_head.proj.weight" in keys and not any("mask_head" in k for k in keys if k.startswith("ema."))
    # the loss: zero weight frames are left out; a confident right mask costs almost nothing
    cover = torch.zeros(1, 2, 1, 4, 4)
    cover[0, 0, 0, :2, :2] = 1.0
    right = (cover * 2 - 1) * 20
    w = torch.tensor([1.0, 0.0]).reshape(1, 2, 1, 1, 1)
    assert float(mask_loss(right, cover, w)) < 1e-6
    assert float(mask_loss(-right, cover, w)) > 10
    assert float(mask_loss(right.clone().index_fill_(1, torch.tensor([1]), 50.0), cover, w)) < 1e-6, "frame 1 has no weight"


def test_actor_mask_head_unpatchifies_like_the_model():
    from storydit.actor_mask import ActorMaskHead
    cfg = dit_config("tiny", patch_h=2, patch_w=2, latent_channels=1)
    model, head = StoryDiT(cfg), ActorMaskHead(cfg)
    tokens = torch.randn(2, 3 * 4, cfg.d_model)                      # 3 frames of a 2x2 token grid
    with torch.no_grad():
        head.proj.weight.copy_(model.final.proj.weight.new_empty(head.proj.weight.shape).normal_())
        head.proj.bias.zero_()
        expected = model.unpatchify(head.proj(tokens), 3)            # one latent channel: the same layout
    assert torch.equal(head(tokens, 3), expected)


# --- the auxiliary kind-segmentation loss (--actor-kind-loss) ----------------------------------------------
def test_actor_kind_head_reads_a_middle_block_trains_the_body_and_resumes_exactly(tmp_path):
    from storydit.actor_mask import ActorKindHead
    tr = shot_cond_trainer(tmp_path / "kind", stage=0, actor_kind_loss=1.0, aux_layer=0)
    assert isinstance(tr.kind_head, ActorKindHead) and tr.kind_head.n_classes == len(tr.dit_cfg.kinds) + 1
    assert all(float(v.abs().sum()) == 0 for v in tr.kind_head.state_dict().values()), "a zero head at the start"
    info = tr.train_step()
    assert abs(info["kind_ce"] - math.log(tr.kind_head.n_classes)) < 1e-4, "zero logits: ln(K+1)"
    assert any(float(v.abs().sum()) > 0 for v in tr.kind_head.state_dict().values()), "the head trains"
    tr.train_step()
    assert tr.mid_tokens.shape[-1] == tr.dit_cfg.d_model
    c, layout = tr.dit_cfg, tr.model.layout_for([1], False)
    tr.model(torch.randn(2, 1, c.latent_channels, c.latent_h, c.latent_w), torch.randn(2, 1, c.l_txt, c.text_dim),
             torch.rand(2, 1), layout, "scene_full")                # the hook keeps this forward's tokens
    video = torch.nonzero(layout.token_table().is_video, as_tuple=True)[0]
    head_loss = tr.kind_head(tr.mid_tokens[:, video], 1).logsumexp(2).sum()
    grad = torch.autograd.grad(head_loss, tr.model.blocks[0].mlp.fc1.weight)[0]
    assert float(grad.abs().sum()) > 0, "once the head has weights, its gradient reaches the block it reads"
    tr.save()
    again = shot_cond_trainer(tmp_path / "kind", stage=0, actor_kind_loss=1.0, aux_layer=0)
    assert again.try_resume()
    for k, v in tr.kind_head.state_dict().items():
        assert torch.equal(v, again.kind_head.state_dict()[k]), f"the head resumes exactly: {k}"
    keys = tr.state()[0]
    assert "aux.kind_head.proj.weight" in keys and not any("kind_head" in k for k in keys if not k.startswith("aux."))


def test_kind_targets_and_loss():
    from storydit.actor_mask import kind_loss, kind_targets
    cover = torch.zeros(2, 1, 1, 4, 4)
    cover[0, 0, 0, :2, :2] = 1.0
    cover[1, 0, 0, 3, 3] = 0.4                                       # under half a pixel: background
    classes = kind_targets(cover, torch.tensor([3, 5]))
    assert classes.shape == (2, 1, 4, 4)
    assert int(classes[0, 0, 0, 0]) == 3 and int(classes[0, 0, 3, 3]) == 0 and int(classes[1].sum()) == 0
    right = torch.nn.functional.one_hot(classes, 8).permute(0, 1, 4, 2, 3).float() * 30
    w = torch.ones(2, 1, 1, 1, 1)
    assert float(kind_loss(right, classes, w)) < 1e-6
    wrong = right.roll(1, dims=2)                                    # every pixel called the next class
    assert float(kind_loss(wrong, classes, w)) > 10
    w0 = torch.tensor([1.0, 0.0]).reshape(2, 1, 1, 1, 1)
    mixed = torch.cat([right[:1], wrong[1:]])
    assert float(kind_loss(mixed, classes, w0)) < 1e-6, "a row without weight is left out"


def test_actor_kind_head_unpatchifies_like_the_model():
    from storydit.actor_mask import ActorKindHead
    cfg = dit_config("tiny", patch_h=2, patch_w=2)
    head = ActorKindHead(cfg)
    as_image = StoryDiT(dit_config("tiny", patch_h=2, patch_w=2, latent_channels=head.n_classes))
    tokens = torch.randn(2, 3 * 4, cfg.d_model)                      # 3 frames of a 2x2 token grid
    with torch.no_grad():
        expected = as_image.unpatchify(head.proj(tokens), 3)         # the classes as image channels
    assert torch.equal(head(tokens, 3), expected)


def test_a_state_too_large_to_checkpoint_is_refused_before_training(tmp_path, monkeypatch):
    monkeypatch.setattr(ckpt, "MAX_FILE_BYTES", 1 << 20)                 # 1 MiB files: a 4.9 MB bank cannot fit
    with pytest.raises(ckpt.CheckpointBudgetError, match="error_bank"):
        stage0_trainer(tmp_path / "big", PixelCodec(32), stage0_error_recycling=True, bank_per_bucket=8)
    stage0_trainer(tmp_path / "small", PixelCodec(32), stage0_error_recycling=True, bank_per_bucket=1)


# --- zero-initialised parts added to a warm start -------------------------------------------------------------
def warm_started_with(tmp_path, base=None, **parts):
    """A plain x-prediction run (with `base` options) trained one step, and a run warm-started from it with `parts`
    added; asserts that the new run computes exactly what its warm start computed (the added parts start as the
    identity)."""
    base = base or {}
    src = stage0_trainer(tmp_path / "plain", PixelCodec(32), prediction="x", **base)
    src.train_step()
    src.save()
    tr = stage0_trainer(tmp_path / "grown", PixelCodec(32), prediction="x", init_from=str(tmp_path / "plain"),
                        **base, **parts)
    assert_computes_like_ema_of(tr, src)
    tr.model.train()
    return tr


def assert_computes_like_ema_of(tr, src):
    """tr's model (given no extra inputs) computes on a still what src's EMA weights compute."""
    reference = StoryDiT(src.dit_cfg).eval()
    src.ema.copy_to(reference)
    layout = reference.layout_for([1], False)
    x, text, t = torch.rand(2, 1, 3, 32, 32), torch.randn(2, 1, 8, 384), torch.tensor([[0.3], [0.8]])
    with torch.no_grad():
        assert torch.allclose(tr.model.eval()(x, text, t, layout, "scene_full"),
                              reference(x, text, t, layout, "scene_full"))


# --- the pixel refiner (--refiner-width) ---------------------------------------------------------------------
def test_a_warm_start_gains_a_zero_refiner_that_changes_nothing_until_it_trains(tmp_path):
    tr = warm_started_with(tmp_path, refiner_width=8)
    assert tr.model.refiner is not None and tr.dit_cfg.refiner_width == 8
    for _ in range(2):
        tr.train_step()
    assert tr.model.refiner.conv_out.weight.abs().sum() > 0, "the refiner trains"
    with pytest.raises(AssertionError, match="x-prediction"):
        dit_config("tiny", refiner_width=8).validate()


# --- the conv decoder (--conv-decoder-width) -----------------------------------------------------------------
@pytest.mark.parametrize("encoder", [False, True])
def test_a_warm_start_gains_a_zero_conv_decoder_that_changes_nothing_until_it_trains(tmp_path, encoder):
    tr = warm_started_with(tmp_path, conv_decoder_width=4, conv_encoder=encoder)
    assert (tr.model.conv_encoder is not None) == encoder
    assert tr.model.conv_decoder is not None and 2 ** tr.model.conv_decoder.levels == tr.dit_cfg.patch_h
    before = tr.model.conv_decoder.stem.weight.detach().clone()
    for _ in range(3):
        tr.train_step()
    assert tr.model.conv_decoder.conv_out.weight.abs().sum() > 0, "the decoder's output layer trains"
    assert not torch.equal(tr.model.conv_decoder.stem.weight, before), "gradient reaches the decoder's stem"
    if encoder:
        assert tr.model.conv_encoder.to_tokens.weight.abs().sum() > 0, "the encoder's features reach the tokens"
    with pytest.raises(AssertionError, match="x-prediction"):
        dit_config("tiny", conv_decoder_width=4).validate()
    with pytest.raises(AssertionError, match="conv decoder"):
        dit_config("tiny", prediction="x", conv_encoder=True).validate()


def test_the_conv_decoder_draws_across_patch_borders():
    """A change to one token's features moves pixels outside that token's own patch: the decoder's convolutions
    share weights across patch borders, which the linear head cannot."""
    torch.manual_seed(0)
    cfg = dit_config("tiny", latent_channels=3, image_size=32, latent_h=32, latent_w=32, patch_h=8, patch_w=8,
                     prediction="x", conv_decoder_width=4)
    dec = ConvDecoder(cfg)
    torch.nn.init.normal_(dec.conv_out.weight, std=0.1)
    feats = torch.randn(1, 16, cfg.d_model)
    x_hat, x_t, t = torch.rand(1, 1, 3, 32, 32), torch.rand(1, 1, 3, 32, 32), torch.full((1, 1, 1, 1, 1), 0.5)
    nudged = feats.clone()
    nudged[0, 5] += 1.0                                  # token (row 1, col 1): pixels 8..15 x 8..15
    diff = (dec(nudged, x_hat, x_t, t) - dec(feats, x_hat, x_t, t)).abs()[0, 0].sum(0)
    assert diff[8:16, 8:16].sum() > 0
    assert diff[16, 8:16].sum() > 0 and diff[7, 8:16].sum() > 0, "the change reaches the neighbouring patches"


# --- residual conv blocks (--conv-res-blocks) ---------------------------------------------------------------
def test_residual_conv_blocks_start_as_the_identity_below_full_resolution_and_train(tmp_path):
    unet = dict(patch=8, conv_decoder_width=4, conv_encoder=True)
    tr = warm_started_with(tmp_path, base=unet, conv_res_blocks=2)
    for part in (tr.model.conv_encoder, tr.model.conv_decoder):
        assert [len(blocks) for blocks in part.res] == [0, 2, 2], "two blocks per level, none at full resolution"
        assert all(b.conv1.in_channels == w for lvl, w in enumerate(part.widths) for b in part.res[lvl])
    last = tr.model.conv_decoder.res[1][1].conv2
    assert last.weight.abs().sum() == 0
    for _ in range(4):
        tr.train_step()
    assert last.weight.abs().sum() > 0, "the loss reaches the blocks' zero convolutions"
    with pytest.raises(AssertionError, match="conv encoder"):
        dit_config("tiny", prediction="x", conv_decoder_width=4, conv_res_blocks=1).validate()


# --- the actor's box as a layout condition (--actor-box-cond) ------------------------------------------------
def test_the_box_mask_spans_the_actor_and_is_empty_without_one():
    from storydit.actor_box import box_mask, drop_boxes
    cover = torch.zeros(2, 1, 1, 8, 8)
    cover[0, 0, 0, 2, 3] = 1.0                       # an L-shaped actor: rows 2..5, columns 3..6
    cover[0, 0, 0, 2:6, 6] = 0.9
    cover[0, 0, 0, 5, 4] = 0.4                       # below the threshold: not the actor
    box = box_mask(cover)
    expected = torch.zeros(8, 8)
    expected[2:6, 3:7] = 1.0
    assert torch.equal(box[0, 0, 0], expected)
    assert box[1].sum() == 0, "no actor, no box"
    torch.manual_seed(0)
    kept = drop_boxes(torch.ones(64, 1, 1, 2, 2), 0.75)[:, 0, 0, 0, 0]
    assert set(kept.tolist()) == {0.0, 1.0} and 0.5 < float(kept.mean()) < 0.95


def test_the_actor_box_starts_as_no_input_and_trains_its_conv(tmp_path):
    unet = dict(patch=8, conv_decoder_width=4, conv_encoder=True)
    tr = warm_started_with(tmp_path, base=unet, actor_box_cond=1.0)
    conv = tr.model.conv_encoder.actor_box
    assert tr.dit_cfg.actor_box_cond and conv is not None and conv.bias is None and conv.weight.abs().sum() == 0
    for _ in range(3):
        tr.train_step()
    assert conv.weight.abs().sum() > 0, "the loss reaches the conv that reads the box"
    layout = tr.model.layout_for([1], False)
    x, text, t = torch.rand(2, 1, 3, 32, 32), torch.randn(2, 1, 8, 384), torch.tensor([[0.3], [0.8]])
    box = torch.zeros(2, 1, 1, 32, 32)
    box[:, :, :, 8:20, 4:16] = 1.0
    tr.model.eval()
    with torch.no_grad():
        assert not torch.allclose(tr.model(x, text, t, layout, "scene_full", actor_box=box),
                                  tr.model(x, text, t, layout, "scene_full")), "a trained model reads the box"
    with pytest.raises(AssertionError, match="conv encoder"):
        dit_config("tiny", prediction="x", conv_decoder_width=4, actor_box_cond=True).validate()


def test_the_box_conv_can_learn_at_a_multiple_of_the_learning_rate(tmp_path):
    unet = dict(patch=8, conv_decoder_width=4, conv_encoder=True)
    tr = warm_started_with(tmp_path, base=unet, actor_box_cond=1.0, actor_box_lr_mult=10.0)
    box_group = [g for g in tr.opt.param_groups if g["lr_mult"] == 10.0]
    assert len(tr.opt.param_groups) == 2 and len(box_group) == 1
    assert [id(p) for p in box_group[0]["params"]] == [id(tr.model.conv_encoder.actor_box.weight)]
    tr.train_step()
    base, boosted = sorted(g["lr"] for g in tr.opt.param_groups)
    assert base > 0 and boosted == pytest.approx(10.0 * base)
    assert len(stage0_trainer(tmp_path / "unboosted", PixelCodec(32), prediction="x", actor_box_cond=1.0,
                              **unet).opt.param_groups) == 1


def test_a_run_without_boxes_warm_starts_from_a_box_model_as_that_model_given_no_box(tmp_path):
    unet = dict(patch=8, conv_decoder_width=4, conv_encoder=True)
    src = stage0_trainer(tmp_path / "box", PixelCodec(32), prediction="x", actor_box_cond=1.0, **unet)
    for _ in range(2):
        src.train_step()
    src.save()
    assert src.model.conv_encoder.actor_box.weight.abs().sum() > 0
    tr = stage0_trainer(tmp_path / "plain", PixelCodec(32), prediction="x", init_from=str(tmp_path / "box"), **unet)
    assert tr.model.conv_encoder.actor_box is None
    assert_computes_like_ema_of(tr, src)


# --- self-conditioning (--self-cond) --------------------------------------------------------------------------
def test_self_conditioning_starts_as_a_no_op_and_trains_its_input_conv(tmp_path):
    tr = warm_started_with(tmp_path, conv_decoder_width=4, conv_encoder=True, self_cond=1.0)
    sc = tr.model.conv_encoder.self_cond
    assert tr.dit_cfg.self_cond and sc is not None and sc.bias is None and sc.weight.abs().sum() == 0
    layout = tr.model.layout_for([1], False)
    x, text, t = torch.rand(2, 1, 3, 32, 32), torch.randn(2, 1, 8, 384), torch.tensor([[0.3], [0.8]])
    tr.model.eval()
    with torch.no_grad():
        given = tr.model(x, text, t, layout, "scene_full", self_cond=torch.rand(2, 1, 3, 32, 32))
        assert torch.equal(given, tr.model(x, text, t, layout, "scene_full")), "a zero conv reads nothing yet"
    tr.model.train()
    for _ in range(3):
        tr.train_step()
    assert sc.weight.abs().sum() > 0, "the loss reaches the conv that reads the previous estimate"
    tr.model.eval()
    with torch.no_grad():
        a = tr.model(x, text, t, layout, "scene_full", self_cond=torch.rand(2, 1, 3, 32, 32))
        assert not torch.allclose(a, tr.model(x, text, t, layout, "scene_full")), "a trained model reads it"
    with pytest.raises(AssertionError, match="conv encoder"):
        dit_config("tiny", prediction="x", conv_decoder_width=4, self_cond=True).validate()
    plain = StoryDiT(dit_config("tiny", latent_channels=3, image_size=32, latent_h=32, latent_w=32, patch_h=8,
                                patch_w=8, prediction="x", conv_decoder_width=4, conv_encoder=True)).eval()
    with pytest.raises(AssertionError, match="without self-conditioning"):
        plain(x, text, t, layout, "scene_full", self_cond=x)


def test_the_sampler_hands_each_step_the_previous_steps_clean_estimate(tmp_path):
    """Step 1 reads zeros; every later step reads x_hat = x - t v of the step before, row by row (the CFG rows
    each their own), as training's no-grad pass hands it."""
    from storydit.export import export_model
    from storydit.fixtures import tiny_pixel_model
    from storydit.flow import clean_estimate
    from storydit.pipeline import SamplerDefaults, denoise
    model, g = tiny_pixel_model(conv_decoder_width=4, conv_encoder=True, self_cond=True)
    seen = []
    forward = model.forward

    def spy(latents, *args, self_cond=None, **kw):
        v = forward(latents, *args, self_cond=self_cond, **kw)
        seen.append((latents.clone(), self_cond.clone(), v.clone()))
        return v
    model.forward = spy
    layout = model.layout_for([1], False)
    size = model.cfg.latent_h
    text = torch.randn(1, 1, model.cfg.l_txt, 384, generator=g)
    noise = torch.randn(1, 1, 3, size, size, generator=g)
    denoise(model, layout, "scene_full", text, [0], noise, SamplerDefaults(steps=3, shift=1.0))
    assert len(seen) == 3 and seen[0][1].abs().sum() == 0
    for (x, _, v), (_, given, _), t in zip(seen, seen[1:], [1.0, 2 / 3]):
        assert torch.allclose(given, clean_estimate(x, v, t, model.cfg.x_pred_t_min), atol=1e-6)
    with pytest.raises(AssertionError, match="self-conditioning"):
        export_model(str(tmp_path / "m"), "m", model.cfg, model.state_dict(), PixelCodec(size))
    assert not (tmp_path / "m").exists(), "a refused export writes nothing"


def test_a_silhouette_run_gives_the_true_kind_s_template_in_the_true_box_and_trains_its_conv(tmp_path):
    """train_dit --actor-layout silhouette: the box input is the true kind's template drawn into the true box, facing
    the true way (actor_silhouette.true_silhouettes), its conv learns from it, and a planner without kinds is
    refused."""
    from storydit.actor_box import box_mask
    from storydit.actor_silhouette import shot_facing, true_silhouettes
    from storydit.box_planner import BoxPlanner, BoxPlannerConfig, save_planner
    from storyworld.vocab import KIND_NAMES
    planner = BoxPlanner(BoxPlannerConfig(hidden=8, kinds=list(KIND_NAMES)))
    g = torch.Generator().manual_seed(3)
    planner.templates.copy_(torch.rand(planner.templates.shape, generator=g))           # not symmetric, not a box
    save_planner(planner, str(tmp_path / "planner"))
    unet = dict(patch=8, conv_decoder_width=4, conv_encoder=True)

    def trainer(out, planner_dir):                   # the real storyworld: the facing comes from its poses
        cfg = DiTTrainConfig(preset="tiny", stage=0, out_dir=str(out), steps=4, batch_size=4, ckpt_every=1000,
                             log_every=1000, device="cpu", text_encoder="test", text_cache="", warmup=2,
                             prediction="x", actor_box_cond=1.0, actor_layout="silhouette",
                             layout_planner=planner_dir, **unet)
        torch.manual_seed(4321)
        return DiTTrainer(cfg, vae=PixelCodec(32), text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))
    tr = trainer(tmp_path / "run", str(tmp_path / "planner"))
    assert tr.dit_cfg.actor_layout == "silhouette" and tr.silhouette_kinds == list(KIND_NAMES)
    b = tr.batcher.batch(0)
    frames = b.alpha.shape[1] * b.alpha.shape[2]
    drawn = tr.actor_layout(b, frames)
    cover = tr.actor_coverage(b)[:, :frames]
    kinds = [KIND_NAMES.index(s.actor.kind) for s in b.specs]
    assert torch.equal(drawn, true_silhouettes(cover, kinds, planner.templates, shot_facing(b.specs)))
    one = tr.single_frames(b)                        # stage 0 keeps one frame per row, and its facing
    facing = shot_facing(b.specs)[torch.arange(len(kinds)), one.kept_frame][:, None]
    assert torch.equal(tr.actor_layout(one, 1), true_silhouettes(tr.actor_coverage(one), kinds, planner.templates,
                                                                 facing))
    assert (drawn * (1 - box_mask(cover))).abs().sum() == 0, "nothing outside the true box"
    assert not torch.equal(drawn, box_mask(cover)), "a silhouette, not the box"
    conv = tr.model.conv_encoder.actor_box
    for _ in range(2):
        tr.train_step()
    assert conv.weight.abs().sum() > 0
    save_planner(BoxPlanner(BoxPlannerConfig(hidden=8)), str(tmp_path / "boxes"))
    with pytest.raises(AssertionError, match="plans boxes only"):
        trainer(tmp_path / "refused", str(tmp_path / "boxes"))


def test_a_painted_run_paints_the_true_silhouette_the_true_colour_and_widens_a_silhouette_warm_start(tmp_path):
    """train_dit --actor-layout painted: the input is the true silhouette and it times the true colour's mean fill
    (the planner's palette), a warm start from a silhouette model keeps its silhouette weights and starts the colour
    channels at zero, and a planner that does not paint is refused."""
    from storydit.actor_silhouette import painted_masks, shot_facing, true_silhouettes
    from storydit.box_planner import BoxPlanner, BoxPlannerConfig, save_planner
    from storyworld.vocab import COLOURS, KIND_NAMES
    names = [c.name for c in COLOURS]
    g = torch.Generator().manual_seed(5)
    planners = {}
    for name, colours in (("sil", []), ("paint", names)):
        planner = BoxPlanner(BoxPlannerConfig(hidden=8, kinds=list(KIND_NAMES), colours=colours))
        planner.templates.copy_(torch.rand(planner.templates.shape, generator=g))
        if colours:
            planner.palette.copy_(torch.rand(planner.palette.shape, generator=g))
        save_planner(planner, str(tmp_path / name))
        planners[name] = planner
    unet = dict(patch=8, conv_decoder_width=4, conv_encoder=True)

    def trainer(out, layout, planner_dir, init=""):
        cfg = DiTTrainConfig(preset="tiny", stage=0, out_dir=str(out), steps=4, batch_size=4, ckpt_every=1000,
                             log_every=1000, device="cpu", text_encoder="test", text_cache="", warmup=2,
                             prediction="x", actor_box_cond=1.0, actor_layout=layout,
                             layout_planner=str(tmp_path / planner_dir), init_from=init, **unet)
        torch.manual_seed(4321)
        return DiTTrainer(cfg, vae=PixelCodec(32), text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))
    sil_run = trainer(tmp_path / "sil-run", "silhouette", "sil")
    for _ in range(2):
        sil_run.train_step()
    sil_run.save()
    tr = trainer(tmp_path / "run", "painted", "paint", init=str(tmp_path / "sil-run"))
    assert tr.model.conv_encoder.actor_box.weight.shape[1] == 4
    widened = tr.model.conv_encoder.actor_box.weight
    assert torch.equal(widened[:, :1], sil_run.ema.shadow["conv_encoder.actor_box.weight"])
    assert widened[:, :1].abs().sum() > 0 and widened[:, 1:].abs().sum() == 0
    b = tr.batcher.batch(0)
    frames = b.alpha.shape[1] * b.alpha.shape[2]
    kinds = [KIND_NAMES.index(s.actor.kind) for s in b.specs]
    sil = true_silhouettes(tr.actor_coverage(b)[:, :frames], kinds, planners["paint"].templates, shot_facing(b.specs))
    rgb = planners["paint"].palette[[names.index(s.actor.colour) for s in b.specs]]
    assert torch.equal(tr.actor_layout(b, frames), painted_masks(sil[:, :, 0], rgb[:, None].expand(-1, frames, -1)))
    for _ in range(2):
        tr.train_step()
    assert tr.model.conv_encoder.actor_box.weight[:, 1:].abs().sum() > 0, "the colour channels learn"
    with pytest.raises(AssertionError, match="does not paint"):
        trainer(tmp_path / "refused", "painted", "sil")
    with pytest.raises(AssertionError, match="paints its silhouettes"):
        trainer(tmp_path / "refused2", "silhouette", "paint")


def test_a_coverage_run_paints_the_actor_s_true_coverage_whatever_the_templates(tmp_path):
    """train_dit --silhouette-source coverage (session 32): the layout is the renderer's own coverage of the actor,
    its pose in every frame, painted the true colour; the planner's templates are not read. Other sources are
    refused by name."""
    from storydit.actor_silhouette import painted_masks
    from storydit.box_planner import BoxPlanner, BoxPlannerConfig, save_planner
    from storyworld.vocab import COLOURS, KIND_NAMES
    names = [c.name for c in COLOURS]
    g = torch.Generator().manual_seed(6)
    planner = BoxPlanner(BoxPlannerConfig(hidden=8, kinds=list(KIND_NAMES), colours=names))
    planner.templates.copy_(torch.rand(planner.templates.shape, generator=g))
    planner.palette.copy_(torch.rand(planner.palette.shape, generator=g))
    save_planner(planner, str(tmp_path / "paint"))

    def trainer(out, source):
        cfg = DiTTrainConfig(preset="tiny", stage=0, out_dir=str(out), steps=4, batch_size=4, ckpt_every=1000,
                             log_every=1000, device="cpu", text_encoder="test", text_cache="", warmup=2,
                             prediction="x", actor_box_cond=1.0, actor_layout="painted", silhouette_source=source,
                             layout_planner=str(tmp_path / "paint"), patch=8, conv_decoder_width=4, conv_encoder=True)
        torch.manual_seed(4321)
        return DiTTrainer(cfg, vae=PixelCodec(32), text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))
    tr = trainer(tmp_path / "run", "coverage")
    b = tr.batcher.batch(0)
    frames = b.alpha.shape[1] * b.alpha.shape[2]
    cover = tr.actor_coverage(b)[:, :frames]
    rgb = planner.palette[[names.index(s.actor.colour) for s in b.specs]]
    layout = tr.actor_layout(b, frames)
    assert torch.equal(layout, painted_masks(cover[:, :, 0], rgb[:, None].expand(-1, frames, -1)))
    assert 0 < layout[:, :, 0].sum() and layout[:, :, 0].max() <= 1
    tr.train_step()
    with pytest.raises(AssertionError, match="must be one of"):
        trainer(tmp_path / "refused", "pose")

    # --paint-source actor (session 35): the actor's own colour, not its colour's mean fill
    tr.cfg.paint_source = "actor"
    own = torch.tensor([s.actor.rgb for s in b.specs], dtype=torch.float32)
    assert torch.equal(tr.actor_layout(b, frames), painted_masks(cover[:, :, 0], own[:, None].expand(-1, frames, -1)))
    assert not torch.equal(own, rgb), "the stand-in palette is not the actors' colours"
    tr.cfg.paint_source = "hue"
    with pytest.raises(AssertionError, match="paint-source must be one of"):
        DiTTrainer(tr.cfg, vae=PixelCodec(32), text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))
