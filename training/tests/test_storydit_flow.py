"""Rectified flow math, samplers, CFG, and an overfitting run of the tiny model."""
import math

import pytest
import torch

from storydit import flow
from storydit.layout import GLOBAL_SHOT
from storydit.model import StoryDiT, dit_config
from storydit.pipeline import SamplerDefaults, SegmentDenoiser, cfg_text, denoise


def test_shift_and_schedule():
    assert flow.shift_t(0.5, 3.0) == 0.75
    assert flow.shift_t(0.5, 1.0) == 0.5
    ts = flow.flow_timesteps(4, 2.0)
    assert ts[0] == 1.0 and ts[-1] == 0.0 and len(ts) == 5
    assert all(a > b for a, b in zip(ts, ts[1:]))
    assert abs(ts[2] - 2 * 0.5 / (1 + 0.5)) < 1e-12


def test_noise_target_and_one_step_estimates():
    g = torch.Generator().manual_seed(0)
    x0, eps = torch.randn(4, 3, generator=g), torch.randn(4, 3, generator=g)
    t = torch.tensor(0.3)
    xt = flow.add_noise(x0, eps, t)
    v = flow.velocity_target(x0, eps)
    assert torch.allclose(xt - t * v, x0, atol=1e-6)
    assert torch.allclose(xt + (1 - t) * v, eps, atol=1e-6)


def test_euler_is_exact_for_the_true_straight_flow():
    g = torch.Generator().manual_seed(0)
    x0, eps = torch.randn(2, 5, generator=g), torch.randn(2, 5, generator=g)
    out = flow.sample(lambda x, t: eps - x0, eps, steps=3, shift=3.0, sampler="euler")
    assert torch.allclose(out, x0, atol=1e-6)
    out = flow.sample(lambda x, t: eps - x0, eps, steps=3, shift=3.0, sampler="heun")
    assert torch.allclose(out, x0, atol=1e-6)


def test_a_late_start_runs_only_the_schedule_below_it():
    g = torch.Generator().manual_seed(1)
    x0, eps = torch.randn(2, 5, generator=g), torch.randn(2, 5, generator=g)
    start = 0.6
    times = []

    def oracle(x, t):                                   # the straight flow's velocity from x_t itself
        times.append(t)
        return (x - x0) / t

    out = flow.sample(oracle, flow.add_noise(x0, eps, torch.tensor(start)), steps=8, shift=3.0, start_t=start)
    assert torch.allclose(out, x0, atol=1e-5)
    below = [t for t in flow.flow_timesteps(8, 3.0) if 0 < t < start]
    assert times == [start] + below                     # one step onto the schedule, then its own times
    assert flow.sample(lambda x, t: eps - x0, eps, steps=3, shift=3.0, start_t=1.0).allclose(
        flow.sample(lambda x, t: eps - x0, eps, steps=3, shift=3.0))


def test_heun_is_second_order():
    # dx/dt = x, from t=1 (x=1) to 0: exact x(0) = e^-1
    exact = torch.exp(torch.tensor(-1.0))
    err = {}
    for name in ("euler", "heun"):
        x = torch.ones(1)
        stepper = flow.SAMPLERS[name]()
        ts = [1 - i / 20 for i in range(21)]
        for a, b in zip(ts, ts[1:]):
            x = stepper.step(lambda y, t: y, x, a, b + 1e-9 if b == 0 else b)
        err[name] = float((x - exact).abs())
    assert err["heun"] < err["euler"] / 10, err


def test_cfg_identity_and_batching():
    calls = []

    def batched(x2, t):
        calls.append(x2.shape[0])
        B = x2.shape[0] // 2
        return torch.cat([x2[:B] * 2.0, x2[B:] * -1.0])         # cond rows, uncond rows

    x = torch.randn(3, 4)
    assert torch.allclose(flow.guided(batched, 1.0)(x, 0.5), 2.0 * x)          # g = 1: the conditional velocity
    assert torch.allclose(flow.guided(batched, 0.0)(x, 0.5), -1.0 * x)         # g = 0: the unconditional one
    assert torch.allclose(flow.guided(batched, 3.0)(x, 0.5), -x + 3.0 * 3.0 * x)
    assert calls == [6, 6, 6], "cond and uncond must run as ONE batched call"


def test_per_segment_loss_weights_segments_equally():
    pred = torch.zeros(1, 3, 1, 1, 1)
    target = torch.tensor([1.0, 1.0, 3.0]).reshape(1, 3, 1, 1, 1)
    slices = [slice(0, 0), slice(0, 2), slice(2, 3)]               # global (no frames), shot 0 (2 frames), shot 1
    loss = flow.per_segment_mse(pred, target, slices, torch.tensor([[0.0, 1.0, 1.0]]))
    assert abs(float(loss) - (1.0 + 9.0) / 2) < 1e-6                # not (1 + 1 + 9) / 3
    loss = flow.per_segment_mse(pred, target, slices, torch.tensor([[0.0, 1.0, 0.0]]))
    assert abs(float(loss) - 1.0) < 1e-6


def tiny_model(seed=0):
    torch.manual_seed(seed)
    return StoryDiT(dit_config("tiny"), attn_impl="manual")


def test_sampler_shapes_and_cfg_g1_equals_cond():
    m = tiny_model().eval()
    with torch.no_grad():
        for p in m.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    c = m.cfg
    lay = m.layout_for([2, 2], has_global=True)
    targets = [g for g, s in enumerate(lay.segments) if s.shot != GLOBAL_SHOT]
    text = torch.randn(1, lay.n_text_segments, c.l_txt, c.text_dim)
    noise = torch.randn(1, lay.n_frames, c.latent_channels, c.latent_h, c.latent_w)
    for sampler in ("euler", "heun"):
        out = denoise(m, lay, "scene_full", text, targets, noise, SamplerDefaults(sampler=sampler, steps=3, guidance=1.0))
        assert out.shape == noise.shape and torch.isfinite(out).all()
    # g = 1 equals the plain conditional sample
    den_c = SegmentDenoiser(m, lay, "scene_full", torch.zeros_like(noise), text, torch.zeros(1, 3), targets)
    with torch.no_grad():
        cond_only = flow.sample(den_c, noise, 3, 2.0, "euler")
        guided = denoise(m, lay, "scene_full", text, targets, noise, SamplerDefaults(steps=3, shift=2.0, guidance=1.0))
    assert torch.allclose(cond_only, guided, atol=1e-5)
    text2 = cfg_text(text, lay, targets)
    assert torch.equal(text2[1, 0], text[0, 0]) and text2[1, 1:].abs().sum() == 0, "uncond zeroes target captions only"


def test_overfit_tiny_batch_loss_halves():
    m = tiny_model()
    c = m.cfg
    g = torch.Generator().manual_seed(1)
    lay = m.layout_for([2, 2], has_global=False)
    x0 = torch.randn(2, lay.n_frames, c.latent_channels, c.latent_h, c.latent_w, generator=g)
    text = torch.randn(2, lay.n_text_segments, c.l_txt, c.text_dim, generator=g)
    slices, weight = lay.frame_slices(), torch.ones(2, 2)

    def loss_on(t, eps):
        xt = flow.add_noise(x0, eps, flow.frames_t(t, slices, lay.n_frames))
        return flow.per_segment_mse(m(xt, text, t, lay, "scene_full"), flow.velocity_target(x0, eps), slices, weight)

    eg = torch.Generator().manual_seed(2)
    evals = [(flow.logit_normal_t((2, 2), generator=eg), torch.randn(x0.shape, generator=eg)) for _ in range(8)]
    evaluate = lambda: sum(float(loss_on(t, e)) for t, e in evals) / len(evals)
    with torch.no_grad():
        initial = evaluate()
    opt = torch.optim.AdamW(m.parameters(), lr=2e-3)
    for _ in range(200):
        loss = loss_on(flow.logit_normal_t((2, 2), generator=g), torch.randn(x0.shape, generator=g))
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        final = evaluate()
    assert final < 0.5 * initial, (initial, final)


def test_pixel_weighted_segment_mse():
    from storydit.flow import per_segment_mse
    g = torch.Generator().manual_seed(0)
    pred, target = torch.randn(2, 4, 3, 4, 4, generator=g), torch.randn(2, 4, 3, 4, 4, generator=g)
    slices, w = [slice(0, 2), slice(2, 4)], torch.tensor([[1.0, 1.0], [0.0, 1.0]])
    plain = per_segment_mse(pred, target, slices, w)
    assert torch.allclose(per_segment_mse(pred, target, slices, w, torch.full((2, 4, 1, 4, 4), 3.0)), plain), \
        "uniform pixel weights must not change the loss"
    only = torch.zeros(2, 4, 1, 4, 4)
    only[..., 1, 2] = 1.0                                      # all weight on one latent pixel
    err = ((pred - target) ** 2)[..., 1, 2].mean(dim=2)        # (B, F): that pixel's error over channels
    expected = (err[0, :2].mean() + err[0, 2:].mean() + err[1, 2:].mean()) / 3
    assert torch.allclose(per_segment_mse(pred, target, slices, w, only), expected)


def test_motion_mse_pays_for_motion_not_for_a_steady_error():
    g = torch.Generator().manual_seed(1)
    target = torch.randn(2, 5, 3, 4, 4, generator=g)
    slices, w = [slice(0, 1), slice(1, 5)], torch.tensor([[1.0, 1.0], [1.0, 1.0]])
    steady = target + torch.randn(2, 1, 3, 4, 4, generator=g)          # the same wrong offset in every frame
    assert float(flow.motion_mse(steady, target, slices, w)) < 1e-10
    still = target[:, 1:2].expand(-1, 5, -1, -1, -1)                 # stands still where the target moves
    change = target[:, 2:5] - target[:, 1:4]                           # the target's change inside segment 1
    torch.testing.assert_close(flow.motion_mse(still, target, slices, w), (change ** 2).mean())
    # a one-frame segment has no change and drops out of the mean; weight 0 segments too
    assert float(flow.motion_mse(still, target, [slice(0, 1)], torch.ones(2, 1))) == 0.0
    row1 = (change[1] ** 2).mean()
    torch.testing.assert_close(flow.motion_mse(still, target, slices, torch.tensor([[1.0, 0.0], [0.0, 1.0]])), row1)


def test_min_snr_cap_evens_out_the_clean_frame_weight_below_the_floor():
    t = torch.tensor([[0.02, 0.1, 0.3, 0.6, 0.95]])
    assert torch.equal(flow.min_snr_segment_weight(t, 0.0), torch.ones_like(t))
    w = flow.min_snr_segment_weight(t, 0.3, t_clamp=0.05)
    # clean-frame weight of the v-loss, 1 / max(t, 0.05)^2, times the factor = 1 / max(t, 0.3)^2
    x_weight = w / t.clamp(min=0.05) ** 2
    torch.testing.assert_close(x_weight, 1.0 / t.clamp(min=0.3) ** 2)
    assert torch.equal(w[0, 2:], torch.ones(3))                  # at and above the floor: the plain v-loss
    assert abs(float(w[0, 0]) - (0.05 / 0.3) ** 2) < 1e-6 and float(w[0, 0]) < float(w[0, 1]) < 1.0


def test_ancestral_sampler_is_ddim_at_eta_0_and_keeps_the_marginal_at_eta_1():
    x0 = torch.tensor([0.7, -0.3])

    def oracle(x, t):                                   # the exact velocity when the data is the single point x0
        return (x - x0) / t

    ts = flow.flow_timesteps(6, 3.0)
    eps = torch.randn(4096, 2, generator=torch.Generator().manual_seed(1))
    ddim, euler = flow.AncestralSampler(eta=0.0), flow.EulerSampler()
    x_a, x_e = eps.clone(), eps.clone()
    for a, b in zip(ts[:-2], ts[1:-1]):
        x_a, x_e = ddim.step(oracle, x_a, a, b), euler.step(oracle, x_e, a, b)
    assert torch.allclose(x_a, x_e, atol=1e-5)          # eta 0: the deterministic path

    # eta 1 with the exact x0: x_{t_next} = (1 - t_next) x0 + t_next * N(0, I) in distribution
    anc = flow.AncestralSampler(eta=1.0, seed=3)
    x = eps.clone()
    for a, b in zip(ts[:3], ts[1:4]):
        x = anc.step(oracle, x, a, b)
    t_n = ts[3]
    noise = (x - (1 - t_n) * x0) / t_n
    assert abs(float(noise.mean())) < 0.05 and abs(float(noise.std()) - 1.0) < 0.05
    assert torch.allclose(anc.step(oracle, x, t_n, 0.0), x0.expand_as(x), atol=1e-5)   # last step: x0_hat


def test_sample_refuses_an_unknown_sampler():
    with pytest.raises(AssertionError, match="unknown sampler 'nope'"):
        flow.sample(lambda x, t: x, torch.zeros(1), 2, 1.0, sampler="nope")


def test_shot_noise_keeps_unit_variance_and_correlates_frames_by_a():
    g = torch.Generator().manual_seed(0)
    independent = torch.randn(64, 2, 3, 16, 16, generator=g)
    shared = torch.randn(64, 1, 3, 16, 16, generator=g)
    for a in (0.3, 0.8):
        eps = flow.shot_noise(independent, shared, a)
        assert eps.shape == independent.shape
        assert abs(float(eps.var()) - 1.0) < 0.03
        corr = float((eps[:, 0] * eps[:, 1]).mean() / (eps[:, 0].std() * eps[:, 1].std()))
        assert abs(corr - a) < 0.03


def test_shot_noise_zero_is_the_independent_noise_and_one_is_refused():
    independent, shared = torch.randn(1, 3, 2, 4, 4), torch.randn(1, 1, 2, 4, 4)
    assert flow.shot_noise(independent, shared, 0.0) is independent
    with pytest.raises(AssertionError, match="noise correlation"):
        flow.shot_noise(independent, shared, 1.0)


def test_camera_warped_noise_slides_with_a_pan_scales_with_a_zoom_and_stays_unit_normal():
    torch.manual_seed(0)
    canvas = torch.randn(3, 1, 2, 64, 64)
    frames = torch.arange(8)
    out = flow.camera_warped_noise(canvas, (32, 32), frames, torch.tensor([0.0, 2.0, 0.0]),
                                   torch.tensor([0.0, 0.0, -0.1]))
    assert out.shape == (3, 8, 2, 32, 32)
    assert torch.equal(out[0, 5], canvas[0, 0, :, 16:48, 16:48])                        # static: the centre crop
    assert torch.equal(out[1, 7, :, :, :18], out[1, 0, :, :, 14:32])                      # pan right 2 px/frame:
    assert not torch.equal(out[1, 7], out[1, 0])                                           # content slides left
    corner = 16 + round(15.5 - 15.5 * math.exp(-0.7))                                     # zoom in: frame 7's
    assert torch.equal(out[2, 7, :, 0, 0], canvas[2, 0, :, corner, corner])                # corner reads nearer
    assert corner > 16 and torch.equal(out[2, 0, :, 0, 0], canvas[2, 0, :, 16, 16])        # the centre than frame 0's
    held = flow.camera_warped_noise(canvas[:1], (32, 32), frames, torch.tensor([0.0]), torch.tensor([-0.1]), 3)
    assert torch.equal(held[0, 7], held[0, 3]) and not torch.equal(held[0, 3], held[0, 2])    # a zoom holds past 3
    far = flow.camera_warped_noise(canvas[:1], (32, 32), torch.tensor([0, 40]), torch.tensor([1.0]), torch.zeros(1))
    assert torch.equal(far[0, 1, :, 0, 0], canvas[0, 0, :, 16, (16 + 40) % 64])                # a long pan wraps
    assert far[0, 1, 0, 0].unique().numel() == 32                                              # no edge smear
    big = flow.camera_warped_noise(torch.randn(64, 1, 1, 64, 64), (32, 32), frames, torch.full((64,), 1.5),
                                   torch.zeros(64))
    assert abs(big.std().item() - 1) < 0.02 and abs(big.mean().item()) < 0.02


def test_camera_carried_frames_carry_the_picture_with_the_camera_and_repeat_the_edge_they_have_not_seen():
    torch.manual_seed(0)
    frame = torch.randn(3, 2, 16, 16)
    frames = torch.arange(4, 7)                                                          # a chunk after frame 3
    out = flow.camera_carried_frames(frame, 3, frames, torch.tensor([0.0, 1.0, 0.0]), torch.tensor([0.0, 0.0, 0.1]))
    assert out.shape == (3, 3, 2, 16, 16)
    assert torch.equal(out[0], frame[0][None].expand(3, -1, -1, -1))                      # static: the frame itself
    assert torch.equal(out[1, 0, :, :, :15], frame[1, :, :, 1:])                          # pan right 1 px/frame: frame
    assert torch.equal(out[1, 2, :, :, :13], frame[1, :, :, 3:])                          # 4 shows 3's x + 1, frame 6
    assert torch.equal(out[1, 2, :, :, 13:], frame[1, :, :, 15:].expand(-1, -1, 3))       # x + 3; past it, the edge
    edge = round(7.5 - 7.5 * math.exp(0.3))                                               # zoom out: frame 6's corner
    assert edge < 0 and torch.equal(out[2, 2, :, 0, 0], frame[2, :, 0, 0])                # reads beyond the frame
    assert torch.equal(out[2, 2, :, 8, 8], frame[2, :, 8, 8])                             # the centre stays
    held = flow.camera_carried_frames(frame[:1], 5, torch.tensor([6, 9]), torch.zeros(1), torch.tensor([0.1]), 4)
    assert torch.equal(held[0, 0], frame[0]) and torch.equal(held[0, 1], frame[0])        # a zoom holds past frame 4


def test_training_shot_noise_mixes_only_the_denoised_segments():
    from types import SimpleNamespace
    from storydit.train_dit import DiTTrainer
    torch.manual_seed(0)
    eps = torch.randn(2, 6, 3, 8, 8)
    slices = [slice(0, 0), slice(0, 3), slice(3, 6)]            # a text segment, a context shot, the target
    weight = torch.tensor([[0.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    trainer = SimpleNamespace(cfg=SimpleNamespace(noise_correlation=0.9, warp_noise=False, actor_flow_noise=False))
    out = DiTTrainer.shot_noise(trainer, eps, SimpleNamespace(weight=weight), slices, None)
    assert torch.equal(out[0, 0:3], eps[0, 0:3])                 # context of row 0: untouched
    assert not torch.equal(out[1, 0:3], eps[1, 0:3])
    for row, sl in ((0, slice(3, 6)), (1, slice(0, 3)), (1, slice(3, 6))):
        frames = out[row, sl].reshape(3, -1)
        corr = torch.corrcoef(frames)
        assert float(corr[0, 1]) > 0.8 and float(corr[1, 2]) > 0.8


def test_training_warped_shot_noise_slides_the_shared_part_with_the_shots_camera():
    from types import SimpleNamespace
    from storydit.layout import Segment
    from storydit.train_dit import DiTTrainer, camera_noise_rates
    torch.manual_seed(0)
    eps = torch.zeros(2, 8, 1, 16, 16)                           # no independent part to see: a -> 1 below
    slices = [slice(0, 4), slice(4, 8)]                          # chunks 0 and 1 of one 8-frame shot
    layout = SimpleNamespace(segments=[Segment(0, True, 0, 4), Segment(0, False, 4, 4)])
    shots = [SimpleNamespace(shots=[SimpleNamespace(camera=c)]) for c in ("pan_right", "static")]
    trainer = SimpleNamespace(cfg=SimpleNamespace(noise_correlation=0.99, warp_noise=True, frames_per_shot=8,
                                                  actor_flow_noise=False))
    sb = SimpleNamespace(weight=torch.ones(2, 2), layout=layout)
    out = DiTTrainer.shot_noise(trainer, eps, sb, slices, SimpleNamespace(specs=shots))
    step = camera_noise_rates(["pan_right"], 8, 16)[0].item()    # latent pixels per frame
    shift = round(step * 7) - round(step * 4)                    # chunk 1: frame 7 against frame 4
    assert shift >= 1
    assert torch.equal(out[0, 7, :, :, :16 - shift], out[0, 4, :, :, shift:])      # pan right: slides left
    assert torch.equal(out[1, 7], out[1, 4]) and torch.equal(out[1, 0], out[1, 3])  # static: the same per frame
    pan, zoom = camera_noise_rates([None, "static", "pan_left", "zoom_in", "zoom_out"], 16, 64)
    assert pan.tolist()[:2] == [0.0, 0.0] and pan[2] < 0 and zoom[3] < 0 < zoom[4]


def test_continuation_start_mixes_the_previous_frame_into_every_frame_and_sampling_goes_on_below_t0():
    previous = torch.full((1, 1, 1, 2, 2), 10.0)
    noise = torch.stack([torch.ones(1, 2, 2), 2 * torch.ones(1, 2, 2)])[None]          # (1, 2, 1, 2, 2)
    x = flow.continuation_start(previous, noise, 0.75)
    assert torch.allclose(x[0, 0], torch.full((1, 2, 2), 3.25)) and torch.allclose(x[0, 1], torch.full((1, 2, 2), 4.0))
    assert flow.continuation_start(previous, noise, 1.0) is noise
    with pytest.raises(AssertionError, match="continuation start"):
        flow.continuation_start(previous, noise, 0.0)
    seen = []
    flow.sample(lambda x, t: seen.append(t) or torch.zeros_like(x), x, 4, 1.0, start_t=0.6)
    assert seen == [0.6, 0.5, 0.25], "one step from t0 to the schedule below it, as the engine's FlowMatchSampler.from"


def test_the_clean_estimate_inverts_the_noising_and_honours_the_x_prediction_clamp():
    x0, eps = torch.randn(2, 3, 3, 8, 8), torch.randn(2, 3, 3, 8, 8)
    t = torch.tensor([0.7, 0.2]).view(2, 1, 1, 1, 1)
    assert torch.allclose(flow.clean_estimate(flow.add_noise(x0, eps, t), flow.velocity_target(x0, eps), t), x0, atol=1e-5)
    assert torch.allclose(flow.clean_estimate(flow.add_noise(x0, eps, 0.4), flow.velocity_target(x0, eps), 0.4), x0, atol=1e-5)
    x_t, v = torch.randn(1, 3, 8, 8), torch.randn(1, 3, 8, 8)
    assert torch.equal(flow.clean_estimate(x_t, v, torch.tensor(0.01), t_min=0.05), x_t - 0.05 * v)
    assert torch.equal(flow.clean_estimate(x_t, v, 0.01, t_min=0.05), x_t - 0.05 * v)


def test_actor_carried_noise_moves_the_noise_with_the_actor_box():
    torch.manual_seed(0)
    B, Fr, C, H, W = 1, 3, 3, 32, 32
    first = torch.randn(B, 1, C, H, W)
    noise = torch.randn(B, Fr, C, H, W)
    cover = torch.zeros(B, Fr, H, W)
    for f in range(Fr):                                   # an 8x8 actor moving 5 px right per frame
        cover[0, f, 10:18, 4 + 5 * f:12 + 5 * f] = 1.0
    cover_first = cover[:, 0]
    out = flow.actor_carried_noise(noise, first, cover, cover_first)
    # inside frame 2's box: frame 0's noise, 10 px further right
    assert torch.equal(out[0, 2, :, 10:18, 14:22], first[0, 0, :, 10:18, 4:12])
    # far from the box: untouched
    assert torch.equal(out[0, 2, :, 25:, :], noise[0, 2, :, 25:, :])
    # frame 0 reads itself
    assert torch.equal(out[0, 0, :, 10:18, 4:12], first[0, 0, :, 10:18, 4:12])


def test_actor_carried_noise_keeps_frames_without_an_actor():
    noise = torch.randn(2, 2, 3, 16, 16)
    first = torch.randn(2, 1, 3, 16, 16)
    cover = torch.zeros(2, 2, 16, 16)
    cover[1, 1, 4:8, 4:8] = 1.0                            # shot 1 shows no actor in frame 0
    assert torch.equal(flow.actor_carried_noise(noise, first, cover, cover[:, 0]), noise)


def test_training_actor_flow_noise_carries_the_shared_part_with_the_renderers_actor():
    from types import SimpleNamespace
    from storydit.layout import Segment
    from storydit.train_dit import DiTTrainer
    torch.manual_seed(0)
    eps = torch.zeros(1, 8, 1, 16, 16)
    slices = [slice(0, 4), slice(4, 8)]                          # chunks 0 and 1 of one 8-frame shot, static camera
    layout = SimpleNamespace(segments=[Segment(0, True, 0, 4), Segment(0, False, 4, 4)])
    cover = torch.zeros(1, 8, 1, 16, 16)
    for f in range(8):                                           # a 4x4 actor moving 1 px right per frame
        cover[0, f, 0, 6:10, 2 + f:6 + f] = 1.0
    trainer = SimpleNamespace(cfg=SimpleNamespace(noise_correlation=0.99, warp_noise=True, frames_per_shot=8,
                                                  actor_flow_noise=True), actor_coverage=lambda b: cover)
    sb = SimpleNamespace(weight=torch.ones(1, 2), layout=layout)
    specs = SimpleNamespace(specs=[SimpleNamespace(shots=[SimpleNamespace(camera="static")])])
    out = DiTTrainer.shot_noise(trainer, eps, sb, slices, specs)
    assert torch.equal(out[0, 1, :, 6:10, 3:7], out[0, 0, :, 6:10, 2:6])     # chunk 0: the actor's noise moves with it
    assert torch.equal(out[0, 2, :, :, 12:], out[0, 0, :, :, 12:])           # the background's stays
    # chunk 1 draws its own canvas (as the engine's target chunk never sees its context's noise), carried the same way
    assert torch.equal(out[0, 7, :, 6:10, 8:12], out[0, 4, :, 6:10, 5:9])
