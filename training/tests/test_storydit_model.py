"""StoryDiT: KV-cache equivalence, causality, attention implementations, presets."""
import math

import pytest
import torch

from storydit import checkpoint as ckpt
from storydit.error_bank import ErrorBank, InjectionConfig
from storydit.model import StoryDiT, attention, count_params, dit_config, has_sdpa, pool_caption, segment_captions
from storydit.pipeline import cfg_cache, cfg_caption


def random_model(preset="tiny", seed=0, impl="manual", **kw):
    torch.manual_seed(seed)
    m = StoryDiT(dit_config(preset, **kw), attn_impl=impl).eval()
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for p in m.parameters():                     # leave adaLN-Zero init: blocks must not be identities
            p.add_(torch.randn(p.shape, generator=g) * 0.1)
    return m


def inputs(model, layout, B=2, seed=3):
    c = model.cfg
    g = torch.Generator().manual_seed(seed)
    lat = torch.randn(B, layout.n_frames, c.latent_channels, c.latent_h, c.latent_w, generator=g)
    txt = torch.randn(B, layout.n_text_segments, c.l_txt, c.text_dim, generator=g)
    t = torch.rand(B, len(layout.segments), generator=g)
    return lat, txt, t


@pytest.mark.parametrize("mode", ["context_causal", "chunk_causal"])
def test_kv_cache_new_shot_equals_full_forward(mode):
    m = random_model()
    lay = m.layout_for([4, 6, 2], has_global=True)
    lat, txt, t = inputs(m, lay)
    with torch.no_grad():
        full = m(lat, txt, t, lay, mode)
        # cache global + shot 0 + shot 1, one segment at a time, then shot 2 alone
        cache, f0, t0 = None, 0, 0
        for g, seg in enumerate(lay.segments[:3]):
            sub = lay.with_segments([seg])
            _, new = m(lat[:, f0:f0 + seg.n_frames], txt[:, t0:t0 + 1], t[:, g:g + 1], sub, mode,
                       kv_cache=cache, return_kv=True)
            cache = new if cache is None else cache.append(new)
            f0, t0 = f0 + seg.n_frames, t0 + 1
        out = m(lat[:, f0:], txt[:, t0:], t[:, 3:], lay.with_segments(lay.segments[3:]), mode, kv_cache=cache)
    assert len(cache) == 3 * 8 + 4 * 4 + 6 * 4
    assert (out - full[:, f0:]).abs().max() <= 1e-5
    assert full.abs().mean() > 1e-2


def test_kv_cache_chunk_extension_equals_full_forward():
    m = random_model()
    lay = m.layout_for([4, 6], has_global=False).split_last_shot(2)   # shot 1: [text + frames 0-3][frames 4-5]
    lat, txt, t = inputs(m, lay)
    with torch.no_grad():
        full = m(lat, txt, t, lay, "chunk_causal")
        ctx = lay.with_segments(lay.segments[:2])
        _, cache = m(lat[:, :8], txt, t[:, :2], ctx, "chunk_causal", return_kv=True)
        new = lay.with_segments(lay.segments[2:])
        out = m(lat[:, 8:], txt[:, :0], t[:, 2:], new, "chunk_causal", kv_cache=cache,
                caption=segment_captions(lay, txt)[:, 2:])
        with pytest.raises(AssertionError, match="no caption in this forward"):
            m(lat[:, 8:], txt[:, :0], t[:, 2:], new, "chunk_causal", kv_cache=cache)
    assert (out - full[:, 8:]).abs().max() <= 1e-5


def test_null_caption_stream_pairs_with_the_cache_as_the_uncond_row():
    """CFG of a later chunk: row 1 attends to the shot's earlier chunks encoded with a null caption, which is
    the inline forward with that shot's caption zeroed (what caption dropout trains)."""
    m = random_model()
    lay = m.layout_for([4, 6], has_global=False).split_last_shot(2)   # shot 1: [text + frames 0-3][frames 4-5]
    lat, txt, t = inputs(m, lay, B=1)
    txt_null = txt.clone()
    txt_null[:, 1] = 0                                                # shot 1's caption (text segment 1)
    ctx, new = lay.with_segments(lay.segments[:2]), lay.with_segments(lay.segments[2:])
    with torch.no_grad():
        want_cond = m(lat, txt, t, lay, "chunk_causal")[:, 8:]
        want_uncond = m(lat, txt_null, t, lay, "chunk_causal")[:, 8:]
        _, cond = m(lat[:, :8], txt, t[:, :2], ctx, "chunk_causal", return_kv=True)
        _, null = m(lat[:, :8], txt_null, t[:, :2], ctx, "chunk_causal", return_kv=True)
        caption = cfg_caption(segment_captions(lay, txt)[:, 2:], [0])     # the target's pooled caption, then zero
        out = m(lat[:, 8:].repeat(2, 1, 1, 1, 1), txt[:, :0].repeat(2, 1, 1, 1), t[:, 2:].repeat(2, 1), new,
                "chunk_causal", kv_cache=cfg_cache(cond, null), caption=caption)
    assert (out[:1] - want_cond).abs().max() <= 1e-5
    assert (out[1:] - want_uncond).abs().max() <= 1e-5
    assert (want_cond - want_uncond).abs().max() > 1e-3, "the null stream must differ from the captioned cache"


def test_pool_caption_is_the_minilm_sentence_embedding():
    g = torch.Generator().manual_seed(0)
    rows = torch.zeros(2, 8, 16)
    rows[0, :3] = torch.randn(3, 16, generator=g)            # 3 real tokens, 5 padding rows
    pooled = pool_caption(rows)
    expected = rows[0, :3].mean(0)
    assert torch.allclose(pooled[0], expected / expected.norm(), atol=1e-6), "mean over real rows, L2-normalised"
    assert torch.equal(pooled[1], torch.zeros(16)), "the null caption pools to zero"


def test_caption_condition_steers_the_output_and_starts_as_a_no_op():
    m = random_model()
    lay = m.layout_for([2, 2], has_global=False)
    lat, txt, t = inputs(m, lay)
    cap = segment_captions(lay, txt)
    with torch.no_grad():
        a = m(lat, txt, t, lay, "context_causal", caption=cap)
        b = m(lat, txt, t, lay, "context_causal", caption=cap.flip(1))    # shots' pooled captions swapped
        assert torch.equal(a, m(lat, txt, t, lay, "context_causal")), "default caption = segment_captions(text)"
    assert not torch.allclose(a, b, atol=1e-4), "the pooled caption must reach the output"
    plain = random_model(caption_cond=False)
    warm = StoryDiT(dit_config("tiny"), attn_impl="manual").eval()
    missing, unexpected = warm.load_state_dict(plain.state_dict(), strict=False)
    assert all(k.startswith("caption_embedder.") for k in missing) and not unexpected
    with torch.no_grad():
        assert torch.allclose(warm(lat, txt, t, lay, "scene_full"), plain(lat, txt, t, lay, "scene_full"), atol=1e-6), \
            "a fresh caption_embedder (zero output layer) must not change a warm-started model"


def test_kv_cache_batch_one_broadcasts():
    m = random_model()
    lay = m.layout_for([2, 2], has_global=False)
    lat, txt, t = inputs(m, lay, B=1)
    ctx, new = lay.with_segments(lay.segments[:1]), lay.with_segments(lay.segments[1:])
    with torch.no_grad():
        _, cache = m(lat[:, :2], txt[:, :1], t[:, :1], ctx, "context_causal", return_kv=True)
        one = m(lat[:, 2:], txt[:, 1:], t[:, 1:], new, "context_causal", kv_cache=cache)
        two = m(lat[:, 2:].repeat(2, 1, 1, 1, 1), txt[:, 1:].repeat(2, 1, 1, 1), t[:, 1:].repeat(2, 1), new,
                "context_causal", kv_cache=cache)
    assert torch.allclose(two[0], one[0], atol=1e-6) and torch.allclose(two[1], one[0], atol=1e-6)


def test_context_causal_earlier_shots_ignore_later_ones():
    m = random_model()
    lay = m.layout_for([2, 2], has_global=True)
    lat, txt, t = inputs(m, lay)
    lat2, txt2 = lat.clone(), txt.clone()
    lat2[:, 2:] += 1.0
    txt2[:, 2] += 1.0
    with torch.no_grad():
        a = m(lat, txt, t, lay, "context_causal")
        b = m(lat2, txt2, t, lay, "context_causal")
        c = m(lat2, txt2, t, lay, "scene_full")
        d = m(lat, txt, t, lay, "scene_full")
    assert torch.allclose(a[:, :2], b[:, :2], atol=1e-6), "shot 0 must not see shot 1 under context_causal"
    assert not torch.allclose(c[:, :2], d[:, :2], atol=1e-4), "scene_full must let shot 0 see shot 1"


def test_segment_timestep_changes_only_its_modulation():
    m = random_model()
    lay = m.layout_for([2], has_global=False)
    lat, txt, t = inputs(m, lay)
    with torch.no_grad():
        a = m(lat, txt, t, lay, "scene_full")
        b = m(lat, txt, t + 0.1, lay, "scene_full")
    assert not torch.allclose(a, b, atol=1e-4)


def test_fresh_model_is_zero_and_blocks_are_identities():
    torch.manual_seed(0)
    m = StoryDiT(dit_config("tiny"))
    lay = m.layout_for([2, 2], has_global=True)
    lat, txt, t = inputs(m, lay)
    assert torch.equal(m(lat, txt, t, lay, "scene_full"), torch.zeros_like(lat)), "adaLN-Zero: output starts at 0"
    for b in m.blocks:
        assert torch.equal(b.mod_table, torch.zeros_like(b.mod_table))
    assert torch.equal(m.t_block.weight, torch.zeros_like(m.t_block.weight))


def reference_attention(q, k, v, allow):
    """Per-query loop: softmax over the allowed keys only."""
    B, H, N, D = q.shape
    out = torch.zeros_like(q)
    for i in range(N):
        keys = allow[i].nonzero().flatten() if allow is not None else torch.arange(k.shape[2])
        s = (q[:, :, i:i + 1] @ k[:, :, keys].transpose(-1, -2)) / math.sqrt(D)
        out[:, :, i] = (torch.softmax(s, -1) @ v[:, :, keys])[:, :, 0]
    return out


def test_manual_attention_matches_reference():
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, 3, 7, 8, generator=g) for _ in range(3))
    allow = torch.rand(7, 7, generator=g) > 0.5
    allow |= torch.eye(7, dtype=torch.bool)
    assert torch.allclose(attention(q, k, v, allow, "manual"), reference_attention(q, k, v, allow), atol=1e-6)
    assert torch.allclose(attention(q, k, v, None, "manual"), reference_attention(q, k, v, None), atol=1e-6)


@pytest.mark.skipif(not has_sdpa(), reason="F.scaled_dot_product_attention needs torch >= 2.0")
@pytest.mark.parametrize("mode", ["scene_full", "context_causal", "chunk_causal"])
def test_sdpa_matches_manual(mode):
    m = random_model()
    lay = m.layout_for([4, 2], has_global=True)
    lat, txt, t = inputs(m, lay)
    with torch.no_grad():
        m.attn_impl = "manual"
        a = m(lat, txt, t, lay, mode)
        m.attn_impl = "sdpa"
        b = m(lat, txt, t, lay, mode)
    assert (a - b).abs().max() <= 1e-5


def test_preset_sizes_and_m_checkpoint_budget():
    counts = {p: count_params(StoryDiT(dit_config(p))) for p in ("tiny", "S", "M")}
    assert 2.0e6 <= counts["S"] <= 3.2e6, counts
    assert counts["M"] <= 7.0e6, counts
    # exact M checkpoint: model + EMA + AdamW (2 moments) fp32 + error bank + RNG must fit 8 x 16 MiB
    m = StoryDiT(dit_config("M"))
    sizes = {}
    for prefix in ("model", "ema", "optim.exp_avg", "optim.exp_avg_sq"):
        sizes.update({f"{prefix}.{k}": v.numel() * 4 for k, v in m.state_dict().items()})
    bank = ErrorBank(InjectionConfig(per_bucket=16), (4, 16, 16))
    sizes.update({k: ckpt.tensor_nbytes(v) for k, v in bank.state_tensors().items()})
    sizes["rng.torch"] = 5056
    assert len(ckpt.plan_shards(sizes, meta_bytes=20_000)) <= ckpt.MAX_FILES


def camera_model(**kw):
    return random_model(shot_cond=True, camera_rope=True, camera_pan_per_frame=0.25,
                        camera_log_zoom_per_frame=math.log(0.6) / 3, **kw)


def test_camera_rope_positions_follow_the_view_and_leave_a_still_camera_alone():
    from storydit.rope import camera_rope_positions
    m = camera_model()
    lay = m.layout_for([4], has_global=False)
    table = lay.token_table()
    cams = list(m.cfg.cameras)
    labels = torch.tensor([0, 1 + cams.index("static"), 1 + cams.index("pan_right"), 1 + cams.index("zoom_in")])
    pan, log_zoom = m.camera_rates(labels[:, None].expand(-1, len(table)))
    pos = camera_rope_positions(table.pos, table.frame, 1, m.cfg.grid_hw, pan, log_zoom)
    assert torch.equal(pos[0], table.pos.double()) and torch.equal(pos[1], table.pos.double())
    vid, f = table.frame >= 0, table.frame.double()
    shift = pos[2, :, 2] - table.pos[:, 2].double()
    torch.testing.assert_close(shift[vid], 0.25 * f[vid])                 # pan right: the view slides by 0.25 / frame
    assert torch.equal(pos[2, :, :2], table.pos[:, :2].double()) and torch.equal(pos[2, ~vid], table.pos[~vid].double())
    gh, gw = m.cfg.grid_hw
    last = vid & (table.frame == 3)                                       # zoom in: after 3 frames the view is 0.6 high
    base = table.pos[last, 0].double() - 3
    torch.testing.assert_close(pos[3, last, 1] - (base + (gh - 1) / 2),
                               0.6 * (table.pos[last, 1].double() - (base + (gh - 1) / 2)))
    first = vid & (table.frame == 0)
    assert torch.equal(pos[3, first], table.pos[first].double())         # frame 0 is where every camera starts
    held = camera_rope_positions(table.pos, table.frame, 1, m.cfg.grid_hw, pan, log_zoom, hold_frames=1)
    torch.testing.assert_close(held[2, vid, 2] - table.pos[vid, 2].double(), 0.25 * f[vid].clamp(max=1))
    two = vid & (table.frame == 2)                                        # past the hold: where frame 1 was
    one = vid & (table.frame == 1)
    torch.testing.assert_close(held[3, two, 1:], held[3, one, 1:])
    assert torch.equal(held[:, one], pos[:, one])


def test_camera_rope_is_the_plain_model_for_a_still_camera_and_moves_the_output_for_a_pan():
    m, plain = camera_model(), random_model(shot_cond=True)
    plain.load_state_dict(m.state_dict())
    lay = m.layout_for([4], has_global=False)
    lat, txt, t = inputs(m, lay)
    cams = list(m.cfg.cameras)
    still = torch.tensor([[[1 + cams.index("static"), 1]], [[0, 2]]])
    pan = torch.tensor([[[1 + cams.index("pan_left"), 1]], [[1 + cams.index("zoom_out"), 2]]])
    with torch.no_grad():
        assert torch.equal(m(lat, txt, t, lay, "chunk_causal", shot_labels=still),
                           plain(lat, txt, t, lay, "chunk_causal", shot_labels=still))
        moved = m(lat, txt, t, lay, "chunk_causal", shot_labels=pan)
        unmoved = plain(lat, txt, t, lay, "chunk_causal", shot_labels=pan)
    assert (moved - unmoved).abs().amax(dim=(1, 2, 3, 4)).min() > 1e-4, "each row's camera moves its positions"
    with pytest.raises(AssertionError, match="camera RoPE reads the camera label"):
        dit_config("tiny", camera_rope=True)


def test_kv_cache_chunk_extension_equals_full_forward_under_camera_rope():
    """A later chunk attends to keys rotated by the earlier chunks' camera positions, as a full forward does."""
    m = camera_model()
    lay = m.layout_for([4, 6], has_global=False).split_last_shot(2)
    lat, txt, t = inputs(m, lay)
    cams = list(m.cfg.cameras)
    labels = torch.tensor([[1 + cams.index("pan_right"), 1], [1 + cams.index("zoom_in"), 2],
                           [1 + cams.index("zoom_in"), 2]])[None].repeat(2, 1, 1)
    with torch.no_grad():
        full = m(lat, txt, t, lay, "chunk_causal", shot_labels=labels)
        ctx = lay.with_segments(lay.segments[:2])
        _, cache = m(lat[:, :8], txt, t[:, :2], ctx, "chunk_causal", return_kv=True, shot_labels=labels[:, :2])
        new = lay.with_segments(lay.segments[2:])
        out = m(lat[:, 8:], txt[:, :0], t[:, 2:], new, "chunk_causal", kv_cache=cache,
                caption=segment_captions(lay, txt)[:, 2:], shot_labels=labels[:, 2:])
    assert (out - full[:, 8:]).abs().max() <= 1e-5


def test_camera_rope_rates_are_the_storyworld_camera_over_one_shot():
    from storydit.train_dit import camera_rope_rates
    from storyworld.motion import PAN_DISTANCE, ZOOM_FACTOR
    r = camera_rope_rates(16, 4)
    assert r["camera_pan_per_frame"] * 15 == pytest.approx(PAN_DISTANCE * 4)     # view heights -> patches
    assert math.exp(r["camera_log_zoom_per_frame"] * 15) == pytest.approx(ZOOM_FACTOR)
