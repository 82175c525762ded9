"""Checkpoints: exact resume of a training run, size budget, atomicity and fallback."""
import os
import signal

import pytest
import torch

from storydit import checkpoint as ckpt
from storydit.text import CachedTextEncoder, RandomTestEncoder
from storydit.train_dit import ACTOR_AREA_BOOST_MAX, DiTTrainConfig, DiTTrainer
from storydit.vae import FrameVAE, vae_config
from test_storydit_standin import FakeWorld


def make_trainer(out_dir, stage=2, steps=5):
    cfg = DiTTrainConfig(preset="tiny", stage=stage, out_dir=str(out_dir), steps=steps, batch_size=2, frames_per_shot=4,
                         max_shots=2, ckpt_every=1000, log_every=1000, device="cpu", text_encoder="test", text_cache="",
                         warmup=2, ema_decay=0.9, bank_per_bucket=4)
    torch.manual_seed(1234)
    vae = FrameVAE(vae_config("tiny"))
    return DiTTrainer(cfg, world=FakeWorld(), vae=vae, text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))


def snapshot(tr):
    state, meta = tr.state()
    return {k: v.clone() for k, v in state.items() if not k.startswith("rng.")}, meta


def stage2_batch(tr, step):
    """The stage-2 StepBatch the trainer would draw at `step` (its scene batch encoded, then stage2_batch)."""
    b = tr.batcher.batch(step)
    x0, text = tr.encode_batch(b)
    return tr.stage2_batch(b, x0, text)


def test_resume_is_exact(tmp_path):
    straight = make_trainer(tmp_path / "a")
    for _ in range(5):
        straight.train_step()
    expected, _ = snapshot(straight)

    first = make_trainer(tmp_path / "b")
    for _ in range(3):
        first.train_step()
    first.save()
    torch.manual_seed(999)                            # disturb every global RNG before resuming
    resumed = make_trainer(tmp_path / "b")
    assert resumed.try_resume() and resumed.step == 3
    for _ in range(2):
        resumed.train_step()
    got, meta = snapshot(resumed)
    assert resumed.bank.filled(), "the error bank must be part of the resumed state"
    assert set(got) == set(expected)
    for k in expected:
        assert torch.equal(got[k], expected[k]), f"{k} differs after resume"


def test_sigterm_checkpoints_and_stops(tmp_path):
    tr = make_trainer(tmp_path / "c", stage=1, steps=50)
    real_step = tr.train_step

    def step_then_signal():
        info = real_step()
        if tr.step == 2:
            os.kill(os.getpid(), signal.SIGTERM)
        return info

    tr.train_step = step_then_signal
    tr.run()
    assert tr.step == 2
    assert [os.path.basename(p) for p in ckpt.list_checkpoints(str(tmp_path / "c" / "checkpoints"))] == ["step-00000002"]


def test_budget_is_enforced():
    big = {f"t{i}": 15 * 2**20 for i in range(9)}
    with pytest.raises(ckpt.CheckpointBudgetError, match="budget"):
        ckpt.plan_shards(big)
    with pytest.raises(ckpt.CheckpointBudgetError, match="larger than one checkpoint file"):
        ckpt.plan_shards({"huge": 17 * 2**20})
    # many small tensors pack into few files
    assert len(ckpt.plan_shards({f"s{i}": 2**20 for i in range(60)})) == 4


def test_atomic_layout_retention_and_fallback(tmp_path):
    root = str(tmp_path / "ck")
    os.makedirs(os.path.join(root, ".tmp-step-00000009-1"))        # an interrupted write is ignored
    for step in (1, 2, 3):
        ckpt.save_checkpoint(root, step, {"w": torch.full((3,), float(step))}, {"note": "x"}, keep=2)
    dirs = [os.path.basename(p) for p in ckpt.list_checkpoints(root)]
    assert dirs == ["step-00000002", "step-00000003"]
    for d in dirs:
        files = os.listdir(os.path.join(root, d))
        assert 1 <= len(files) <= ckpt.MAX_FILES
        assert all(os.path.getsize(os.path.join(root, d, f)) <= ckpt.MAX_FILE_BYTES for f in files)
    with open(os.path.join(root, "step-00000003", "shard-00-of-01.safetensors"), "wb") as f:
        f.write(b"garbage")                                          # damage the newest
    tensors, meta, path = ckpt.load_latest(root)
    assert path.endswith("step-00000002") and meta["step"] == 2 and tensors["w"].tolist() == [2.0] * 3


def test_load_run_reads_a_step_folder_itself_else_the_newest_of_a_run(tmp_path):
    run = tmp_path / "run"
    root = str(run / "checkpoints")
    for step in (4, 5):
        ckpt.save_checkpoint(root, step, {"w": torch.full((2,), float(step))}, {}, keep=2)
    assert ckpt.load_run(str(run))[1]["step"] == 5
    assert ckpt.load_run(root)[1]["step"] == 5
    tensors, meta, where = ckpt.load_run(os.path.join(root, "step-00000004"))
    assert meta["step"] == 4 and tensors["w"].tolist() == [4.0, 4.0] and where.endswith("step-00000004")
    assert ckpt.load_run(str(tmp_path / "empty")) is None


def test_training_can_start_from_an_exported_model(tmp_path):
    """Going on from the repository alone: --init accepts the exported (fp16) model folder."""
    from storydit.export import export_model
    from storydit.pipeline import SamplerDefaults

    source = make_trainer(tmp_path / "src", stage=1)
    for _ in range(2):
        source.train_step()
    ema = {k: v.clone() for k, v in source.ema.shadow.items()}
    export_model(str(tmp_path / "model"), "m", source.dit_cfg, ema, source.vae, SamplerDefaults(), "f16")

    cfg = DiTTrainConfig(preset="tiny", stage=1, out_dir=str(tmp_path / "next"), steps=3, batch_size=2,
                         frames_per_shot=4, max_shots=2, device="cpu", text_encoder="test", text_cache="",
                         init_from=str(tmp_path / "model"))
    started = DiTTrainer(cfg, world=FakeWorld(), vae=source.vae,
                         text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))
    for name, value in started.model.state_dict().items():
        assert torch.allclose(value, ema[name].half().float()), name
    started.train_step()


def test_init_across_latent_widths_keeps_everything_but_the_latent_facing_layers(tmp_path):
    """A VAE with more latent channels: the DiT goes on from the old run, fresh patch_embed and final.proj."""
    source = make_trainer(tmp_path / "src", stage=1)
    for _ in range(2):
        source.train_step()
    source.save()
    ema = {k: v.clone() for k, v in source.ema.shadow.items()}

    cfg = DiTTrainConfig(preset="tiny", stage=1, out_dir=str(tmp_path / "wide"), steps=3, batch_size=2,
                         frames_per_shot=4, max_shots=2, device="cpu", text_encoder="test", text_cache="",
                         init_from=str(tmp_path / "src"))
    wide = DiTTrainer(cfg, world=FakeWorld(), vae=FrameVAE(vae_config("tiny", latent_channels=8)),
                      text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))
    state = wide.model.state_dict()
    assert state["patch_embed.weight"].shape[1] == 2 * ema["patch_embed.weight"].shape[1]
    assert float(state["final.proj.weight"].abs().sum()) == 0                      # adaLN-Zero init
    for name, value in state.items():
        if not name.startswith(("patch_embed.", "final.proj.")):
            assert torch.equal(value, ema[name]), name
    wide.train_step()


def test_stage2_chunk_steps_are_the_editors_streaming_steps():
    """chunk_causal batches denoise exactly one chunk: chunk 0 with the caption, or chunk j after chunks < j."""
    from storydit.layout import SceneLayout
    from storydit.train_dit import chunk_step_layout

    full = SceneLayout.full([8, 12], False, (2, 2), 4, 4)
    first, keep = chunk_step_layout(full, 0, 4)
    assert [(s.shot, s.text, s.frame_start, s.n_frames) for s in first.segments] == [(0, True, 0, 8), (1, True, 0, 4)]
    assert keep == 12 and first.shot_frames == (8, 12)             # planned length kept: same RoPE as the editor
    third, keep = chunk_step_layout(full, 2, 4)
    assert [(s.shot, s.text, s.frame_start, s.n_frames) for s in third.segments] == \
        [(0, True, 0, 8), (1, True, 0, 8), (1, False, 8, 4)]
    assert keep == 20
    with pytest.raises(AssertionError, match="no chunk 3"):
        chunk_step_layout(full, 3, 4)


def test_stage2_trains_on_chunk_steps(tmp_path):
    tr = make_trainer(tmp_path / "s2")
    tr.cfg.p_chunk = 1.0
    cf, seen = tr.dit_cfg.chunk_frames, set()
    for _ in range(8):
        sb = stage2_batch(tr, tr.step)
        if sb.mask_mode == "chunk_causal":
            tgt = sb.layout.segments[sb.target_seg]
            assert tgt.n_frames == cf and sb.x0.shape[1] == sb.layout.n_frames
            seen.add(tgt.frame_start)
        info = tr.train_step()
        assert info["loss"] == info["loss"]
    assert 0 in seen and len(seen) >= 2


def test_stage2_motion_loss_is_logged_and_adds_to_the_objective(tmp_path):
    tr = make_trainer(tmp_path)
    tr.cfg.motion_loss = 1.0
    infos = [tr.train_step() for _ in range(3)]
    assert all("motion_mse" in i and i["motion_mse"] >= 0 for i in infos)
    assert any(i["motion_mse"] > 0 for i in infos), "a stage-2 target of 2+ frames has a frame-to-frame change"


def test_stage2_first_chunk_emphasis_only_draws_chunk_zero_when_asked(tmp_path):
    """p_first_chunk = 1: every chunk step is chunk 0 (caption + first frames), the editor's first streamed chunk."""
    tr = make_trainer(tmp_path)
    tr.cfg.p_chunk, tr.cfg.p_first_chunk = 1.0, 1.0
    starts = set()
    for step in range(6):
        sb = stage2_batch(tr, step)
        tgt = sb.layout.segments[sb.target_seg]
        assert sb.mask_mode == "chunk_causal" and tgt.text
        starts.add(tgt.frame_start)
    assert starts == {0}


def test_caption_condition_warm_starts_from_a_model_without_it_and_drops_pooled_captions(tmp_path):
    plain = make_trainer(tmp_path / "plain", stage=1)
    plain.train_step()
    plain.save()
    torch.manual_seed(1234)
    cfg = DiTTrainConfig(preset="tiny", stage=2, out_dir=str(tmp_path / "cc"), steps=5, batch_size=2, frames_per_shot=4,
                         max_shots=2, ckpt_every=1000, log_every=1000, device="cpu", text_encoder="test", text_cache="",
                         warmup=2, ema_decay=0.9, bank_per_bucket=4, init_from=str(tmp_path / "plain"),
                         caption_cond=True, caption_dropout=0.5)
    tr = DiTTrainer(cfg, world=FakeWorld(), vae=FrameVAE(vae_config("tiny")),
                    text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))
    assert tr.model.caption_embedder is not None
    assert torch.equal(tr.model.caption_embedder.fc2.weight, torch.zeros_like(tr.model.caption_embedder.fc2.weight))
    for k, v in plain.ema.shadow.items():
        assert torch.equal(tr.model.state_dict()[k], v), f"{k} was not warm-started"
    b = tr.batcher.batch(0)
    x0, text = tr.encode_batch(b)
    sb = tr.stage2_batch(b, x0, text)
    dropped = kept = 0
    for _ in range(20):
        cap = tr.caption_drop(sb.layout, sb.text)
        norms = cap.norm(dim=-1)                                  # (B, G): 1 = kept sentence embedding, 0 = dropped
        dropped += int((norms < 1e-6).sum())
        kept += int(((norms - 1).abs() < 1e-4).sum())
    assert dropped > 0 and kept > 0 and dropped + kept == 20 * norms.numel()
    assert tr.train_step()["loss"] > 0


def actor_weighted_trainer(out_dir) -> DiTTrainer:
    """A tiny stage-2 run whose loss weighs the actor's pixels (actor_loss_weight 4)."""
    torch.manual_seed(1234)
    cfg = DiTTrainConfig(preset="tiny", stage=2, out_dir=str(out_dir), steps=5, batch_size=2, frames_per_shot=4,
                         max_shots=2, ckpt_every=1000, log_every=1000, device="cpu", text_encoder="test", text_cache="",
                         warmup=2, ema_decay=0.9, bank_per_bucket=4, actor_loss_weight=4.0)
    return DiTTrainer(cfg, world=FakeWorld(), vae=FrameVAE(vae_config("tiny")),
                      text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))


def test_actor_weighted_loss_weighs_the_latent_pixels_the_actor_covers(tmp_path):
    tr = actor_weighted_trainer(tmp_path / "aw")
    b = tr.batcher.batch(0)
    B, S, Fr = b.video.shape[:3]
    pw = tr.pixel_weight(b, torch.full((B, S * Fr, 1, 1, 1), 0.5))
    c = tr.dit_cfg
    assert pw.shape == (B, S * Fr, 1, c.latent_h, c.latent_w)
    # the stand-in's square (a quarter of the side) straddles latent rows: covers them partly; most pixels not at all
    assert 1.0 < float(pw.max()) <= 5.0 and float(pw.min()) == 1.0
    cover = b.alpha.reshape(B, S * Fr, 1, *b.alpha.shape[-2:])
    assert torch.equal(pw > 1, torch.nn.functional.max_pool2d(cover.flatten(0, 1), 8).reshape(pw.shape) > 0)
    for _ in range(3):
        assert tr.train_step()["loss"] > 0
    off = make_trainer(tmp_path / "off")
    assert off.pixel_weight(off.batcher.batch(0), torch.zeros(1)) is None and off.batcher.batch(0).alpha is None

    # gated by t: frames noisier than actor_weight_t_max weigh 1 everywhere, the others as before
    tr.cfg.actor_weight_t_max = 0.4
    t_frames = torch.full((B, S * Fr, 1, 1, 1), 0.3)
    t_frames[:, 1::2] = 0.7
    gated = tr.pixel_weight(b, t_frames)
    assert torch.equal(gated[:, 0::2], pw[:, 0::2]) and float(gated[:, 1::2].max()) == 1.0

    # a frame given its actor box weighs the actor at every t (actor_weight_boxed_all_t); a frame without one is gated
    h, w = tr.dit_cfg.latent_h, tr.dit_cfg.latent_w
    box = torch.zeros(B, S * Fr, 1, h, w)
    box[0, :, :, : h // 2, : w // 2] = 1.0                          # row 0 given a box on every frame, row 1 none
    assert torch.equal(tr.pixel_weight(b, t_frames, box), gated), "off by default"
    tr.cfg.actor_weight_boxed_all_t = True
    boxed = tr.pixel_weight(b, t_frames, box)
    assert torch.equal(boxed[0], pw[0]) and torch.equal(boxed[1], gated[1])


def test_actor_weight_area_weighs_a_small_actor_like_a_large_one(tmp_path):
    tr = actor_weighted_trainer(tmp_path / "aa")
    b = tr.batcher.batch(0)
    B, S, Fr = b.video.shape[:3]
    t_frames = torch.full((B, S * Fr, 1, 1, 1), 0.2)
    plain = tr.pixel_weight(b, t_frames)
    cover = tr.actor_coverage(b)[:, :S * Fr]
    area = cover.sum(dim=(-2, -1), keepdim=True)
    assert float(area.max()) > 0, "the stand-in draws an actor"
    tr.cfg.actor_weight_area = 4 * float(area.max())             # every actor is smaller: each term grows
    boosted = tr.pixel_weight(b, t_frames)
    extra, base = boosted - 1, plain - 1
    boost = (tr.cfg.actor_weight_area / area.clamp(min=1e-6)).clamp(1.0, ACTOR_AREA_BOOST_MAX)
    assert torch.allclose(extra, base * boost)
    assert float(boost.min()) >= 4.0 - 1e-5 and torch.equal(boosted == 1, plain == 1), "only the actor's pixels"
    tr.cfg.actor_weight_area = 0.5 * float(area[area > 0].min())  # every actor is larger: weights unchanged
    assert torch.equal(tr.pixel_weight(b, t_frames), plain)
    assert tr.train_step()["loss"] > 0


def prev_frame_trainer(out_dir, **kw):
    """A stage-2 pixel U-Net run (8-frame shots) with the previous frame as an input."""
    from storydit.codec import PixelCodec
    torch.manual_seed(1234)
    cfg = DiTTrainConfig(preset="tiny", stage=2, vae_dir="pixel", patch=8, prediction="x", conv_decoder_width=4,
                         conv_encoder=True, out_dir=str(out_dir), steps=5, batch_size=2, frames_per_shot=8,
                         max_shots=2, ckpt_every=1000, log_every=1000, device="cpu", text_encoder="test",
                         text_cache="", warmup=2, ema_decay=0.9, bank_per_bucket=4, **kw)
    return DiTTrainer(cfg, world=FakeWorld(), vae=PixelCodec(32),
                      text_encoder=CachedTextEncoder(RandomTestEncoder(8), None))


def test_a_continuation_chunk_reads_the_frame_before_it_and_nothing_else_does(tmp_path):
    from storydit.train_dit import StepBatch, chunk_step_layout
    tr = prev_frame_trainer(tmp_path / "pf", prev_frame_cond=True, prev_frame_lr_mult=10.0)
    conv = tr.model.conv_encoder.prev_frame
    assert tr.dit_cfg.prev_frame_cond and conv.bias is None and conv.weight.abs().sum() == 0
    assert [id(p) for g in tr.opt.param_groups if g["lr_mult"] == 10.0 for p in g["params"]] == [id(conv.weight)]
    full = tr.model.layout_for([8, 8], False)
    x_in = torch.randn(1, 16, 3, 32, 32)
    t = torch.zeros(1, 4)
    cf = tr.dit_cfg.chunk_frames
    for j, expect_from in ((0, None), (1, 8 + cf - 1)):             # chunk j of the second shot (frames 8..15)
        layout, keep = chunk_step_layout(full, j, cf)
        sb = StepBatch(x_in[:, :keep], None, layout, "chunk_causal", t[:, :len(layout.segments)], None,
                       len(layout.segments) - 1)
        prev = tr.prev_frames(sb, x_in[:, :keep])
        target = layout.frame_slices()[-1]
        if expect_from is None:
            assert prev.abs().sum() == 0, "a shot's first chunk continues nothing"
        else:
            assert torch.equal(prev[:, target], x_in[:, expect_from:expect_from + 1].expand(-1, cf, -1, -1, -1))
            assert prev[:, :target.start].abs().sum() == 0, "context frames get none"
    sb = StepBatch(x_in, None, full, "context_causal", torch.zeros(1, 2), None, 1)
    assert tr.prev_frames(sb, x_in).abs().sum() == 0, "a whole shot as target continues nothing"
    for _ in range(5):
        tr.train_step()
    assert conv.weight.abs().sum() > 0, "the loss reaches the conv that reads the previous frame"


def test_a_run_without_the_previous_frame_warm_starts_from_one_with_it(tmp_path):
    src = prev_frame_trainer(tmp_path / "pf", prev_frame_cond=True, prev_frame_lr_mult=10.0)
    for _ in range(5):
        src.train_step()
    src.save()
    tr = prev_frame_trainer(tmp_path / "plain", init_from=str(tmp_path / "pf"))
    assert tr.model.conv_encoder.prev_frame is None and len(tr.opt.param_groups) == 1
    with pytest.raises(AssertionError, match="conv encoder"):
        from storydit.model import dit_config
        dit_config("tiny", prediction="x", conv_decoder_width=4, prev_frame_cond=True).validate()


def test_a_camera_anchor_starts_a_continuing_chunk_from_the_frame_before_it_carried_by_the_shots_camera(tmp_path):
    """continuation_anchor "camera": the rows that start from the frame before their chunk start from that frame
    carried by their shot's camera (flow.camera_carried_frames at the camera-noise rates, as the engine's anchor);
    a static shot's start is the still anchor's."""
    from storydit import flow
    from storydit.train_dit import camera_noise_rates
    tr = make_trainer(tmp_path)
    tr.cfg.p_chunk, tr.cfg.p_continuation_start, tr.cfg.continuation_anchor = 1.0, 1.0, "camera"
    for step in range(12):
        sb = stage2_batch(tr, step)
        seg = sb.layout.segments[sb.target_seg]
        if seg.frame_start > 0:
            break
    assert seg.frame_start > 0, "no continuing chunk in 12 batches"
    x0 = sb.x0
    eps = torch.randn(x0.shape)
    tgt = sb.layout.frame_slices()[sb.target_seg]
    x_t = flow.add_noise(x0, eps, flow.frames_t(sb.t_seg, sb.layout.frame_slices(), x0.shape[1]))
    cameras = ["pan_right"] + ["static"] * (x0.shape[0] - 1)
    started, _ = tr.start_from_previous(sb, x_t, x0, eps, x0, cameras)
    pan, zoom = camera_noise_rates(cameras, tr.cfg.frames_per_shot, x0.shape[-2])
    frames = torch.arange(seg.frame_start, seg.frame_start + tgt.stop - tgt.start)
    carried = flow.camera_carried_frames(x0[:, tgt.start - 1], seg.frame_start - 1, frames, pan, zoom,
                                         tr.cfg.frames_per_shot - 1)
    assert torch.allclose(started[:, tgt], 0.1 * carried + 0.9 * eps[:, tgt], atol=1e-6)
    assert not torch.allclose(carried[0], x0[0, tgt.start - 1:tgt.start].expand_as(carried[0]))   # the pan moved it
    assert torch.equal(carried[1], x0[1, tgt.start - 1:tgt.start].expand_as(carried[1]))          # static: still
    with pytest.raises(AssertionError, match="each row's camera"):
        tr.start_from_previous(sb, x_t, x0, eps, x0)


def test_a_continuation_chunk_can_start_where_the_engine_starts_it(tmp_path):
    """p_continuation_start = 1: every chunk that continues its shot is denoised from the shot's frame before it,
    noised to t0 (the engine's continuation start), and its target is still the true chunk; chunk 0 is untouched."""
    from storydit import flow
    tr = make_trainer(tmp_path)
    tr.cfg.p_chunk, tr.cfg.p_continuation_start, tr.cfg.continuation_start_t = 1.0, 1.0, 0.9
    seen = set()
    for step in range(12):
        sb = stage2_batch(tr, step)
        tgt_seg = sb.layout.segments[sb.target_seg]
        seen.add(tgt_seg.frame_start > 0)
        x0 = sb.x0
        eps = torch.randn(x0.shape)
        slices = sb.layout.frame_slices()
        x_t = flow.add_noise(x0, eps, flow.frames_t(sb.t_seg, slices, x0.shape[1]))
        started, v_target = tr.start_from_previous(sb, x_t, x0, eps, x0)
        tgt = slices[sb.target_seg]
        if tgt_seg.frame_start == 0:
            assert sb.from_previous is None and torch.equal(started, x_t)
            assert torch.allclose(v_target, eps - x0)
            continue
        assert sb.from_previous.all() and torch.allclose(sb.t_seg[:, -1], torch.full((x0.shape[0],), 0.9))
        expected = 0.1 * x0[:, tgt.start - 1:tgt.start] + 0.9 * eps[:, tgt]
        assert torch.allclose(started[:, tgt], expected, atol=1e-6)
        assert torch.allclose(started[:, tgt] - 0.9 * v_target[:, tgt], x0[:, tgt], atol=1e-5)   # the clean frame
        assert torch.equal(started[:, :tgt.start], x_t[:, :tgt.start])                          # context untouched
    assert seen == {True, False}
    tr.train_step()
