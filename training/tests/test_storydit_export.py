"""Export round trip, manifest verification, and the committed Java parity fixtures."""
import json
import os

import pytest
import torch

from storydit import safetensors_io
from storydit.export import DIT_FILE, MANIFEST_FILE, VOCABULARY_FILE, export_model, load_exported, verify_manifest
from storydit.fixtures import (write_box_fixtures, write_fixtures, write_paint_fixtures, write_prev_fixtures,
                               write_sil_fixtures, write_unet_fixtures)
from storydit.model import StoryDiT, dit_config
from storydit.vae import FrameVAE, vae_config
from storyworld.vocab import vocabulary_document

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tiny")


def trained_like_models():
    torch.manual_seed(0)
    model, vae = StoryDiT(dit_config("tiny")).eval(), FrameVAE(vae_config("tiny", scaling_factor=0.7)).eval()
    with torch.no_grad():
        for p in list(model.parameters()) + list(vae.parameters()):
            p.add_(torch.randn_like(p) * 0.05)
    return model, vae


@pytest.mark.parametrize("storage,tol", [("f32", 0.0), ("f16", 2e-2)])
def test_export_round_trip(tmp_path, storage, tol):
    model, vae = trained_like_models()
    out = str(tmp_path / "m")
    export_model(out, "t", model.cfg, model.state_dict(), vae, storage=storage)
    model2, vae2, config = load_exported(out)
    assert config["latent_scaling_factor"] == 0.7 and config["l_txt"] == model.cfg.l_txt
    assert set(safetensors_io.load_file(os.path.join(out, DIT_FILE))) == set(model.state_dict())
    lay = model.layout_for([2, 2], has_global=True)
    g = torch.Generator().manual_seed(1)
    lat = torch.randn(1, 4, 4, 4, 4, generator=g)
    txt = torch.randn(1, 3, 8, 384, generator=g)
    t = torch.tensor([[0.0, 0.4, 0.9]])
    with torch.no_grad():
        a, b = model(lat, txt, t, lay, "context_causal"), model2(lat, txt, t, lay, "context_causal")
        img_a, img_b = vae.decode(lat[0]), vae2.decode(lat[0])
    assert (a - b).abs().max() <= tol * max(1.0, float(a.abs().max()))
    assert (img_a - img_b).abs().max() <= tol
    manifest = json.load(open(os.path.join(out, MANIFEST_FILE)))
    assert manifest["format"] == "storyboard-model/1" and manifest["preset"] == "tiny"
    assert {f["path"] for f in manifest["files"]} == {"config.json", "vae_encoder.safetensors",
                                                      "vae_decoder.safetensors", "storydit.safetensors",
                                                      VOCABULARY_FILE}
    assert json.load(open(os.path.join(out, VOCABULARY_FILE))) == vocabulary_document()


def test_the_bundled_models_vocabulary_is_todays_storyworld():
    """assets' default model ships vocabulary.json (prompt completion and the judge's checks read it): it must
    be what vocab.py says now. After changing vocab.py, re-export the model, or rewrite the file and its manifest
    entry with storydit.export.write_vocabulary."""
    bundled = os.path.join(os.path.dirname(__file__), "..", "..", "assets", "src", "main", "resources", "storyboard",
                           "models", "default")
    assert json.load(open(os.path.join(bundled, VOCABULARY_FILE), encoding="utf-8")) == vocabulary_document()
    verify_manifest(bundled)
    assert VOCABULARY_FILE in {f["path"] for f in json.load(open(os.path.join(bundled, MANIFEST_FILE)))["files"]}


def test_manifest_detects_tampering(tmp_path):
    model, vae = trained_like_models()
    out = str(tmp_path / "m")
    export_model(out, "t", model.cfg, model.state_dict(), vae)
    verify_manifest(out)
    path = os.path.join(out, DIT_FILE)
    data = bytearray(open(path, "rb").read())
    data[-1] ^= 0xFF
    open(path, "wb").write(bytes(data))
    with pytest.raises(AssertionError, match="sha256"):
        verify_manifest(out)


def test_committed_fixtures_match_the_code(tmp_path):
    """The committed fixtures are what fixtures.py writes today (regenerate them when the model changes)."""
    fresh = str(tmp_path / "tiny")
    index = write_fixtures(fresh)
    committed = json.load(open(os.path.join(FIXTURES, "fixtures.json")))
    assert [c["name"] for c in committed["cases"]] == [c["name"] for c in index["cases"]]
    for case in index["cases"]:
        a = safetensors_io.load_file(os.path.join(fresh, case["file"]))
        b = safetensors_io.load_file(os.path.join(FIXTURES, case["file"]))
        assert set(a) == set(b), case["name"]
        for k in a:
            assert a[k].dtype == b[k].dtype and a[k].shape == b[k].shape, (case["name"], k)
            assert same_up_to_float32(a[k], b[k]), (case["name"], k)
    verify_manifest(os.path.join(FIXTURES, "model"))
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(FIXTURES) for f in fs)
    assert total < 2 * 2**20, f"fixtures are {total} bytes (budget 2 MiB)"


def same_up_to_float32(fresh: torch.Tensor, committed: torch.Tensor) -> bool:
    """Equal up to float32 rounding on any CPU: another vector width (AVX-512 here, AVX2 where the fixtures were
    written) sums in another order, which moves an x-prediction velocity of magnitude 90 by ~1e-5. The tolerance
    scales with the tensor's largest value; a change in the code moves values by far more."""
    scale = float(committed.double().abs().max()) if committed.numel() else 0.0
    return torch.allclose(fresh.double(), committed.double(), atol=1e-5 + 1e-6 * scale, rtol=1e-5)


def assert_committed_set_matches(tmp_path, name: str, write, exact=lambda key: False, has_model: bool = True) -> str:
    """fixtures/NAME is what `write` (a fixtures.py writer) writes today: the same index, the same tensors up to float32
    rounding (bit for bit where `exact(key)`), a verified model folder (`has_model`). Returns the committed folder."""
    committed_dir = os.path.join(FIXTURES, "..", name)
    index = write(str(tmp_path / name))
    committed = json.load(open(os.path.join(committed_dir, "fixtures.json")))
    assert committed == json.loads(json.dumps(index))
    for case in index["cases"]:
        a = safetensors_io.load_file(os.path.join(tmp_path, name, case["file"]))
        b = safetensors_io.load_file(os.path.join(committed_dir, case["file"]))
        assert set(a) == set(b), case["name"]
        for k in a:
            if exact(k):
                assert torch.allclose(a[k], b[k], rtol=0, atol=0, equal_nan=True), (case["name"], k)
            else:
                assert same_up_to_float32(a[k], b[k]), (case["name"], k)
    if has_model:
        verify_manifest(os.path.join(committed_dir, "model"))
    return committed_dir


def test_committed_unet_fixtures_match_the_code(tmp_path):
    """fixtures/tiny-unet (the Java engine's ConvDecoder / ConvEncoder parity) is what fixtures.py writes today."""
    committed_dir = assert_committed_set_matches(tmp_path, "tiny-unet", write_unet_fixtures)
    ext = safetensors_io.load_file(os.path.join(committed_dir, "cases", "dit_chunk_extension.safetensors"))
    assert torch.allclose(ext["v_full"][:, 6:], ext["v_new"], atol=1e-4), "the conv parts are per frame"
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(committed_dir) for f in fs)
    assert total < 3 * 2**20, f"fixtures are {total} bytes (budget 3 MiB)"


def test_fixture_cache_cases_are_consistent():
    full = safetensors_io.load_file(os.path.join(FIXTURES, "cases", "dit_full_chunk_causal.safetensors"))
    kv = safetensors_io.load_file(os.path.join(FIXTURES, "cases", "dit_kv_chunk_causal.safetensors"))
    assert torch.allclose(full["v"][:, 4:], kv["v_new"], atol=1e-5)
    ext = safetensors_io.load_file(os.path.join(FIXTURES, "cases", "dit_chunk_extension.safetensors"))
    assert torch.allclose(ext["v_full"][:, 6:], ext["v_new"], atol=1e-5)


def test_a_model_with_a_refiner_exports_only_as_a_warm_start_and_warm_starts_exactly(tmp_path):
    from storydit.codec import PixelCodec
    from tests.test_storydit_stage0 import stage0_trainer
    src = stage0_trainer(tmp_path / "run", PixelCodec(32), prediction="x", refiner_width=4)
    src.train_step()
    ema = StoryDiT(src.dit_cfg).eval()
    src.ema.copy_to(ema)
    with pytest.raises(AssertionError, match="--warm-start"):
        export_model(str(tmp_path / "engine"), "t", src.dit_cfg, ema.state_dict(), src.vae, storage="f32")
    out = str(tmp_path / "warm")
    export_model(out, "t", src.dit_cfg, ema.state_dict(), src.vae, storage="f32", warm_start=True)
    assert json.load(open(os.path.join(out, "config.json")))["warm_start_only"] is True
    tr = stage0_trainer(tmp_path / "next", PixelCodec(32), prediction="x", refiner_width=4, init_from=out)
    for k, v in ema.state_dict().items():
        assert torch.equal(tr.model.state_dict()[k], v), k
    with pytest.raises(AssertionError, match="another architecture"):
        stage0_trainer(tmp_path / "plain", PixelCodec(32), prediction="x", init_from=out)


def test_a_model_with_the_conv_unet_exports_for_the_engine(tmp_path):
    """ConvDecoder and ConvEncoder run in the Java engine (fixtures/tiny-unet), so they export like any part."""
    from storydit.codec import PixelCodec
    from storydit.fixtures import tiny_pixel_model
    model, _ = tiny_pixel_model(conv_decoder_width=4, conv_encoder=True)
    out = str(tmp_path / "unet")
    export_model(out, "t", model.cfg, model.state_dict(), PixelCodec(32), storage="f32")
    config = json.load(open(os.path.join(out, "config.json")))
    assert "warm_start_only" not in config
    assert (config["dit"]["conv_decoder_width"], config["dit"]["conv_encoder"]) == (4, True)
    names = set(safetensors_io.load_file(os.path.join(out, DIT_FILE)))
    assert {"conv_decoder.stem.weight", "conv_decoder.ups.2.weight", "conv_decoder.film.2.weight",
            "conv_encoder.convs.2.weight", "conv_encoder.to_tokens.weight"} <= names
    loaded, _, _ = load_exported(out)
    for k, v in model.state_dict().items():
        assert torch.equal(loaded.state_dict()[k], v), k


def box_model_and_planner(tmp_path, **planner_cfg):
    """The tiny U-Net pixel model with the actor's box, and a random planner saved under tmp_path/planner."""
    from storydit.box_planner import BoxPlanner, BoxPlannerConfig, save_planner
    from storydit.fixtures import tiny_pixel_model
    model, _ = tiny_pixel_model(conv_decoder_width=4, conv_encoder=True, actor_box_cond=True)
    torch.manual_seed(3)
    planner = BoxPlanner(BoxPlannerConfig(hidden=8, **planner_cfg)).eval()
    save_planner(planner, str(tmp_path / "planner"))
    return model, planner


def test_an_actor_box_model_exports_for_the_engine_with_its_planner_copied_in(tmp_path):
    """The engine plans the box (layout.BoxPlanner): the planner's file is copied byte for byte, listed in the
    manifest, and its config is config.json's box_planner."""
    from dataclasses import asdict
    from storydit.box_planner import load_planner
    from storydit.codec import PixelCodec
    from storydit.export import BOX_PLANNER_FILE
    model, planner = box_model_and_planner(tmp_path)
    out = str(tmp_path / "box")
    export_model(out, "t", model.cfg, model.state_dict(), PixelCodec(32), storage="f32",
                 planner=str(tmp_path / "planner"))
    config = json.load(open(os.path.join(out, "config.json")))
    assert config["dit"]["actor_box_cond"] is True and "warm_start_only" not in config
    assert config["box_planner"] == json.loads(json.dumps(asdict(planner.cfg)))
    source = open(os.path.join(tmp_path, "planner", BOX_PLANNER_FILE), "rb").read()
    assert open(os.path.join(out, BOX_PLANNER_FILE), "rb").read() == source
    assert BOX_PLANNER_FILE in [f["path"] for f in verify_manifest(out)["files"]]
    assert "conv_encoder.actor_box.weight" in set(safetensors_io.load_file(os.path.join(out, DIT_FILE)))
    args = (torch.randn(3, 384), torch.tensor([0, 2, 5]), torch.tensor([1, 0, 3]), torch.tensor([0.0, 0.25, 0.9]))
    assert torch.equal(load_planner(out)(*args), planner(*args))


def test_an_actor_box_model_without_a_fitting_planner_is_refused_and_a_plain_model_takes_none(tmp_path):
    from storydit.codec import PixelCodec
    from storydit.export import BOX_PLANNER_FILE
    from storydit.fixtures import tiny_pixel_model
    model, _ = box_model_and_planner(tmp_path)
    with pytest.raises(AssertionError, match="layout planner.*--planner"):
        export_model(str(tmp_path / "none"), "t", model.cfg, model.state_dict(), PixelCodec(32), storage="f32")
    with pytest.raises(AssertionError, match="no layout planner at"):
        export_model(str(tmp_path / "missing"), "t", model.cfg, model.state_dict(), PixelCodec(32), storage="f32",
                     planner=str(tmp_path / "nowhere"))
    box_model_and_planner(tmp_path, shot_sizes=["wide", "close_up"])       # overwrites tmp_path/planner
    with pytest.raises(AssertionError, match="not the model's"):
        export_model(str(tmp_path / "other"), "t", model.cfg, model.state_dict(), PixelCodec(32), storage="f32",
                     planner=str(tmp_path / "planner"))
    plain, _ = tiny_pixel_model(conv_decoder_width=4, conv_encoder=True)
    out = str(tmp_path / "plain")
    export_model(out, "t", plain.cfg, plain.state_dict(), PixelCodec(32), storage="f32",
                 planner=str(tmp_path / "planner"))
    assert "box_planner" not in json.load(open(os.path.join(out, "config.json")))
    assert not os.path.exists(os.path.join(out, BOX_PLANNER_FILE))


def test_the_export_command_refuses_an_actor_box_run_without_its_planner_before_writing(tmp_path):
    from storydit.codec import PixelCodec
    from storydit.export import BOX_PLANNER_FILE, main
    from tests.test_storydit_stage0 import stage0_trainer
    src = stage0_trainer(tmp_path / "run", PixelCodec(32), prediction="x", conv_decoder_width=4, conv_encoder=True,
                         actor_box_cond=1.0)
    src.save()
    out = str(tmp_path / "engine")
    with pytest.raises(AssertionError, match="no layout planner at"):
        main(["--run", str(tmp_path / "run"), "--vae", "pixel", "--out", out, "--planner", str(tmp_path / "nowhere")])
    assert not os.path.exists(out)
    box_model_and_planner(tmp_path)
    main(["--run", str(tmp_path / "run"), "--vae", "pixel", "--out", out, "--planner", str(tmp_path / "planner")])
    assert BOX_PLANNER_FILE in [f["path"] for f in verify_manifest(out)["files"]]


def test_committed_box_fixtures_match_the_code(tmp_path):
    """fixtures/tiny-box (the engine's actor box and layout planner parity) is what fixtures.py writes today."""
    committed_dir = assert_committed_set_matches(                              # masks are 0/1, rule boxes chosen: exact
        tmp_path, "tiny-box", write_box_fixtures,
        exact=lambda k: k.endswith("masks") or k.endswith("actor_box") or k == "rule_boxes")
    ext = safetensors_io.load_file(os.path.join(committed_dir, "cases", "dit_chunk_extension.safetensors"))
    assert torch.allclose(ext["v_full"][:, 6:], ext["v_new"], atol=1e-4), "the box is per frame"
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(committed_dir) for f in fs)
    assert total < 3 * 2**20, f"fixtures are {total} bytes (budget 3 MiB)"


def test_a_previous_frame_model_exports_for_the_engine(tmp_path):
    """The engine feeds the previous frame to its conv encoder (session.PreviousFrame): config.json carries the flag
    (StoryDiTConfig reads it) and the conv's weight is exported."""
    from storydit.codec import PixelCodec
    from storydit.fixtures import tiny_pixel_model
    model, _ = tiny_pixel_model(conv_decoder_width=4, conv_encoder=True, prev_frame_cond=True)
    out = str(tmp_path / "prev")
    export_model(out, "t", model.cfg, model.state_dict(), PixelCodec(32), storage="f32")
    config = json.load(open(os.path.join(out, "config.json")))
    assert config["dit"]["prev_frame_cond"] is True and "warm_start_only" not in config
    assert "conv_encoder.prev_frame.weight" in set(safetensors_io.load_file(os.path.join(out, DIT_FILE)))
    loaded, _, _ = load_exported(out)
    for k, v in model.state_dict().items():
        assert torch.equal(loaded.state_dict()[k], v), k
    plain, _ = tiny_pixel_model(conv_decoder_width=4, conv_encoder=True)
    export_model(str(tmp_path / "plain"), "t", plain.cfg, plain.state_dict(), PixelCodec(32), storage="f32")
    assert json.load(open(os.path.join(tmp_path, "plain", "config.json")))["dit"]["prev_frame_cond"] is False


def test_committed_prev_fixtures_match_the_code(tmp_path):
    """fixtures/tiny-prev (the engine's previous-frame parity) is what fixtures.py writes today: the forwards that
    continue shot 1 read its frame before their chunk, the others none, and the prev conv is not zero."""
    committed_dir = assert_committed_set_matches(                              # masks are 0/1: exact
        tmp_path, "tiny-prev", write_prev_fixtures, exact=lambda k: k.endswith("actor_box"))
    case = lambda name: safetensors_io.load_file(os.path.join(committed_dir, "cases", f"{name}.safetensors"))
    ext = case("dit_chunk_extension")
    assert torch.allclose(ext["v_full"][:, 6:], ext["v_new"], atol=1e-4), "cache and recompute read the same frame"
    prev = ext["prev_frame"]
    assert prev[:, :6].abs().sum() == 0, "context frames and shot 1's first chunk read none"
    assert torch.equal(prev[:, 6:], ext["latents"][:, 5:6].expand(-1, 2, -1, -1, -1))
    step = case("sampler_euler_cfg")
    assert torch.equal(step["prev_frame"], step["ctx_latents"][:, -1:].expand(-1, 2, -1, -1, -1)), "the clean frame"
    assert "prev_frame" not in case("dit_full_chunk_causal"), "whole shots continue nothing"
    model, _, config = load_exported(os.path.join(committed_dir, "model"))
    assert config["dit"]["prev_frame_cond"] and model.conv_encoder.prev_frame.weight.abs().sum() > 0
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(committed_dir) for f in fs)
    assert total < 3 * 2**20, f"fixtures are {total} bytes (budget 3 MiB)"


def test_committed_sil_fixtures_match_the_code(tmp_path):
    """fixtures/tiny-sil (the engine's planned silhouette: layout.SilhouetteMasks and the planner's kind head) is what
    fixtures.py writes today: a silhouette model with a planner that names kinds, rows facing both ways, templates
    that a mirror changes, and every forward reading soft silhouettes."""
    from storydit.fixtures import VARIANT_DIRS, VARIANTS
    assert VARIANT_DIRS["pixel-sil"] == "tiny-sil" and VARIANTS["pixel-sil"] is write_sil_fixtures
    committed_dir = assert_committed_set_matches(                              # chosen rule inputs, kinds, ways: exact
        tmp_path, "tiny-sil", write_sil_fixtures,
        exact=lambda k: k in ("rule_boxes", "rule_kind", "rule_facing", "kind", "facing", "templates", "scene_rows",
                              "scene_kind"))
    case = lambda name: safetensors_io.load_file(os.path.join(committed_dir, "cases", f"{name}.safetensors"))
    planner = case("planner")
    assert set(planner["facing"].tolist()) == {1.0, -1.0} and set(planner["rule_facing"].tolist()) == {1.0, -1.0}
    templates = planner["templates"]
    assert (templates - templates.flip(-1)).abs().amax(dim=(1, 2)).min() > 0.1, "a wrong mirror must show"
    from storydit.fixtures import summed_rule
    assert planner["scene_rows"][:, 0].any() and \
        (planner["scene_kind"] != summed_rule(planner["kind_logits"][:, :-1], planner["scene_rows"])).any(), \
        "a null prompt among the scenes, and a scene whose surest prompt names another kind than the summed evidence"
    ext = case("dit_chunk_extension")
    assert torch.allclose(ext["v_full"][:, 6:], ext["v_new"], atol=1e-4), "the silhouette is per frame"
    box = ext["actor_box"]
    assert box.min() >= 0 and box.max() <= 1 and ((box > 0) & (box < 1)).any(), "soft masks, not 0/1 boxes"
    model, _, config = load_exported(os.path.join(committed_dir, "model"))
    assert config["dit"]["actor_layout"] == "silhouette" and config["box_planner"]["kinds"] == ["ball", "bird", "fish"]
    assert config["box_planner"]["template_size"] == 5
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(committed_dir) for f in fs)
    assert total < 3 * 2**20, f"fixtures are {total} bytes (budget 3 MiB)"


def test_committed_paint_fixtures_match_the_code(tmp_path):
    """fixtures/tiny-paint (the engine's painted silhouette: layout.PaintedMasks and the planner's colour head) is what
    fixtures.py writes today: a painted model (a 4-channel box conv) with a planner that names kinds and colours, one
    of them near black, and every forward reading 4 channels: the silhouette, then it times the named colour."""
    from storydit.fixtures import VARIANT_DIRS, VARIANTS
    assert VARIANT_DIRS["pixel-paint"] == "tiny-paint" and VARIANTS["pixel-paint"] is write_paint_fixtures
    committed_dir = assert_committed_set_matches(                              # chosen rule inputs, names: exact
        tmp_path, "tiny-paint", write_paint_fixtures,
        exact=lambda k: k in ("rule_rgb", "kind", "facing", "colour", "templates", "palette", "rgb", "scene_rows",
                              "scene_kind", "scene_colour"))
    case = lambda name: safetensors_io.load_file(os.path.join(committed_dir, "cases", f"{name}.safetensors"))
    planner = case("planner")
    assert set(planner["colour"].tolist()) == {0, 1, 2, 3} and planner["palette"][3].max() < 0.05
    rule = planner["rule_masks"]
    assert torch.equal(rule[:, 0], planner["rule_silhouettes"]) and rule[0, 1:].abs().sum() == 0, "black: channel 0 alone"
    ext = case("dit_chunk_extension")
    assert torch.allclose(ext["v_full"][:, 6:], ext["v_new"], atol=1e-4), "the painted silhouette is per frame"
    box = ext["actor_box"]
    assert box.shape[2] == 4 and box.min() >= 0 and box.max() <= 1 and ((box[:, :, 0] > 0) & (box[:, :, 0] < 1)).any()
    assert (box[:, :, 1:] <= box[:, :, :1]).all(), "every colour channel is the silhouette times a share"
    model, _, config = load_exported(os.path.join(committed_dir, "model"))
    assert config["dit"]["actor_layout"] == "painted" and config["box_planner"]["colours"] == ["red", "green", "blue", "black"]
    assert model.conv_encoder.actor_box.weight.shape[1] == 4
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(committed_dir) for f in fs)
    assert total < 2.5 * 2**20, f"fixtures are {total} bytes (budget 2.5 MiB)"


def test_residual_conv_blocks_export_only_as_a_warm_start(tmp_path):
    """The Java engine does not run model.ConvResBlock yet: an engine export names it, a warm start keeps it."""
    from storydit.codec import PixelCodec
    from storydit.fixtures import tiny_pixel_model
    model, _ = tiny_pixel_model(conv_decoder_width=4, conv_encoder=True, conv_res_blocks=1)
    with pytest.raises(AssertionError, match="ConvResBlock"):
        export_model(str(tmp_path / "engine"), "t", model.cfg, model.state_dict(), PixelCodec(32), storage="f32")
    out = str(tmp_path / "warm")
    export_model(out, "t", model.cfg, model.state_dict(), PixelCodec(32), storage="f32", warm_start=True)
    assert json.load(open(os.path.join(out, "config.json")))["dit"]["conv_res_blocks"] == 1
    assert "conv_decoder.res.1.0.conv2.weight" in set(safetensors_io.load_file(os.path.join(out, DIT_FILE)))


def test_the_sampler_writes_the_camera_noise_only_when_it_is_on_and_matches_the_committed_reads(tmp_path):
    """sampler.camera_noise (the engine's SharedNoise.Moving) is absent for a screen-fixed noise, so earlier
    exports keep their bytes; fixtures/camera-noise (the engine's parity reads) is what flow.camera_warped_noise
    reads today."""
    from storydit.fixtures import write_camera_noise_fixtures
    from storydit.pipeline import SamplerDefaults
    assert "camera_noise" not in SamplerDefaults().to_dict()
    on = SamplerDefaults(camera_noise=(1.024, -0.034, 15)).to_dict()
    assert on["camera_noise"] == {"pan_per_frame": 1.024, "log_zoom_per_frame": -0.034, "zoom_frames": 15}
    out = str(tmp_path / "reads")
    written = write_camera_noise_fixtures(out)
    committed = json.load(open(os.path.join(os.path.dirname(FIXTURES), "camera-noise", "fixtures.json")))
    assert json.load(open(os.path.join(out, "fixtures.json"))) == committed == json.loads(json.dumps(written))


def test_layout_guidance_is_written_only_when_on_and_drops_only_the_targets_layout(tmp_path):
    """sampler.layout_guidance (session 35) is absent when off, so earlier exports keep their bytes; with it, the
    unconditional row reads no layout for the target segments' frames and keeps the context's; export refuses it for
    a model without the layout."""
    from storydit.codec import PixelCodec
    from storydit.export import main
    from storydit.layout import SceneLayout
    from storydit.pipeline import LAYOUT_GUIDANCE, SamplerDefaults, cfg_actor_box
    assert "layout_guidance" not in SamplerDefaults().to_dict()
    for mode in LAYOUT_GUIDANCE[1:]:
        assert SamplerDefaults(layout_guidance=mode).to_dict()["layout_guidance"] == mode
    layout = SceneLayout.full([4, 6], True, (2, 2), 4, 2, 1)                 # global caption, shot 0, shot 1
    box = torch.rand(2, 10, 4, 8, 8) + 0.1
    same = cfg_actor_box(box, layout, [2], False)
    assert torch.equal(same, torch.cat([box, box]))
    guided = cfg_actor_box(box, layout, [2], True)
    assert torch.equal(guided[:2], box), "the conditional row keeps its layout"
    assert torch.equal(guided[2:, :4], box[:, :4]), "the context keeps its layout"
    assert float(guided[2:, 4:].abs().max()) == 0, "the target reads none"
    from tests.test_storydit_stage0 import stage0_trainer
    stage0_trainer(tmp_path / "plain", PixelCodec(32), prediction="x").save()
    with pytest.raises(SystemExit):
        main(["--run", str(tmp_path / "plain"), "--vae", "pixel", "--out", str(tmp_path / "refused"),
              "--layout-guidance", "every_chunk"])
    assert not (tmp_path / "refused").exists(), "refused before anything is written"
    stage0_trainer(tmp_path / "box", PixelCodec(32), prediction="x", conv_decoder_width=4, conv_encoder=True,
                   actor_box_cond=1.0).save()
    box_model_and_planner(tmp_path)
    out = str(tmp_path / "guided")
    main(["--run", str(tmp_path / "box"), "--vae", "pixel", "--out", out, "--planner", str(tmp_path / "planner"),
          "--layout-guidance", "guided_chunks"])
    assert json.load(open(os.path.join(out, "config.json")))["sampler"]["layout_guidance"] == "guided_chunks"


def test_the_layout_guidance_scale_is_written_only_when_given_and_only_where_later_chunks_are_guided(tmp_path):
    """sampler.layout_guidance_scale (session 37) is absent by default (the shot's own scale, as before); export
    refuses it without --layout-guidance every_chunk or still_shot_chunks (session 38), or not positive, before
    anything is written."""
    from storydit.codec import PixelCodec
    from storydit.export import main
    from storydit.pipeline import SamplerDefaults
    assert "layout_guidance_scale" not in SamplerDefaults(layout_guidance="every_chunk").to_dict()
    assert SamplerDefaults(layout_guidance="every_chunk", layout_guidance_scale=1.5).to_dict()[
        "layout_guidance_scale"] == 1.5
    from tests.test_storydit_stage0 import stage0_trainer
    stage0_trainer(tmp_path / "box", PixelCodec(32), prediction="x", conv_decoder_width=4, conv_encoder=True,
                   actor_box_cond=1.0).save()
    box_model_and_planner(tmp_path)
    common = ["--run", str(tmp_path / "box"), "--vae", "pixel", "--planner", str(tmp_path / "planner")]
    for refused in (["--layout-guidance", "guided_chunks", "--layout-guidance-scale", "1.5"],
                    ["--layout-guidance", "every_chunk", "--layout-guidance-scale", "0"]):
        with pytest.raises(SystemExit):
            main(common + ["--out", str(tmp_path / "refused")] + refused)
        assert not (tmp_path / "refused").exists(), "refused before anything is written"
    out = str(tmp_path / "scaled")
    main(common + ["--out", out, "--layout-guidance", "every_chunk", "--layout-guidance-scale", "1.5"])
    sampler = json.load(open(os.path.join(out, "config.json")))["sampler"]
    assert sampler["layout_guidance"] == "every_chunk" and sampler["layout_guidance_scale"] == 1.5
    out = str(tmp_path / "still")
    main(common + ["--out", out, "--layout-guidance", "still_shot_chunks", "--layout-guidance-scale", "1.5",
                   "--layout-guidance-t-min", "0.5"])
    sampler = json.load(open(os.path.join(out, "config.json")))["sampler"]
    assert sampler["layout_guidance"] == "still_shot_chunks" and sampler["layout_guidance_scale"] == 1.5
    assert sampler["layout_guidance_t_min"] == 0.5
    assert "layout_guidance_t_min" not in SamplerDefaults(layout_guidance="every_chunk").to_dict(), "0: every step"
    for refused in (["--layout-guidance", "guided_chunks", "--layout-guidance-t-min", "0.5"],
                    ["--layout-guidance", "every_chunk", "--layout-guidance-t-min", "1"]):
        with pytest.raises(SystemExit):
            main(common + ["--out", str(tmp_path / "refused")] + refused)
        assert not (tmp_path / "refused").exists(), "refused before anything is written"


def test_continuation_anchor_is_written_only_when_it_follows_the_camera_and_needs_the_camera_rates(tmp_path):
    """sampler.continuation_anchor (session 36) is absent when still, so earlier exports keep their bytes; export
    refuses "camera" without the camera rates (--camera-noise) before anything is written."""
    from storydit.codec import PixelCodec
    from storydit.export import main
    from storydit.pipeline import SamplerDefaults
    assert "continuation_anchor" not in SamplerDefaults().to_dict()
    assert SamplerDefaults(continuation_anchor="camera").to_dict()["continuation_anchor"] == "camera"
    from tests.test_storydit_stage0 import stage0_trainer
    stage0_trainer(tmp_path / "plain", PixelCodec(32), prediction="x").save()
    with pytest.raises(SystemExit):
        main(["--run", str(tmp_path / "plain"), "--vae", "pixel", "--out", str(tmp_path / "refused"),
              "--continuation-anchor", "camera"])
    assert not (tmp_path / "refused").exists(), "refused before anything is written"


def test_the_camera_noise_gain_scales_both_trained_rates_and_needs_the_camera_noise(tmp_path):
    """--camera-noise-gain (session 40) writes the trained pan and log-zoom rates times the gain, so a shipped 1.5x
    noise (storydit-v10, v11) comes from export alone; refused without --camera-noise, or not positive, before
    anything is written."""
    from storydit.codec import PixelCodec
    from storydit.export import main
    from tests.test_storydit_stage0 import stage0_trainer
    stage0_trainer(tmp_path / "plain", PixelCodec(32), prediction="x").save()
    common = ["--run", str(tmp_path / "plain"), "--vae", "pixel"]
    for refused in (["--camera-noise-gain", "1.5"], ["--camera-noise", "--camera-noise-gain", "0"],
                    ["--camera-noise", "--camera-noise-gain", "-1"]):
        with pytest.raises(SystemExit):
            main(common + ["--out", str(tmp_path / "refused")] + refused)
        assert not (tmp_path / "refused").exists(), "refused before anything is written"
    noise = {}
    for gain in ("1", "1.5"):
        out = str(tmp_path / f"gain{gain}")
        main(common + ["--out", out, "--camera-noise", "--camera-noise-gain", gain])
        noise[gain] = json.load(open(os.path.join(out, "config.json")))["sampler"]["camera_noise"]
    assert noise["1.5"]["pan_per_frame"] == pytest.approx(1.5 * noise["1"]["pan_per_frame"], rel=1e-12)
    assert noise["1.5"]["log_zoom_per_frame"] == pytest.approx(1.5 * noise["1"]["log_zoom_per_frame"], rel=1e-12)
    assert noise["1.5"]["zoom_frames"] == noise["1"]["zoom_frames"]
    assert noise["1"]["pan_per_frame"] > 0 > noise["1"]["log_zoom_per_frame"], "the trained rates, unscaled"


def test_config_flags_rebuild_the_runs_config():
    from dataclasses import asdict
    from storydit.train_dit import DiTTrainConfig, config_flags, parse_config
    cfg = DiTTrainConfig(stage=0, preset="S", vae_dir="pixel", out_dir="runs/x", init_from="warmstart", batch_size=64,
                         shot_cond=True, camera_rope=True, actor_box_cond=0.8, actor_box_lr_mult=10.0, t_mean=1.1,
                         text_cache="runs/tc.safetensors", actor_weight_boxed_all_t=True)
    flags = config_flags(asdict(cfg))
    assert "--stage" in flags and "--preset" in flags
    assert "--init" in flags and "--vae" in flags and "--shot-cond" in flags and "--lr" not in flags  # lr: default
    assert parse_config(flags) == cfg


def test_a_warm_start_export_carries_its_runs_flags(tmp_path):
    from storydit.codec import PixelCodec
    from storydit.export import TRAIN_CONFIG_FILE, main
    from storydit.train_dit import parse_config
    from tests.test_storydit_stage0 import stage0_trainer
    from dataclasses import replace
    encoder = "java -jar /this/machine/only/storyboard.jar encode-text --stream"
    src = stage0_trainer(tmp_path / "run", PixelCodec(32), prediction="x", conv_decoder_width=4, conv_encoder=True,
                         actor_box_cond=1.0, java_encoder=encoder)
    src.train_step()
    src.save()
    out = str(tmp_path / "warm")
    main(["--run", str(tmp_path / "run"), "--vae", "pixel", "--out", out, "--storage", "f32", "--warm-start"])
    assert TRAIN_CONFIG_FILE in [f["path"] for f in verify_manifest(out)["files"]]
    doc = json.load(open(os.path.join(out, TRAIN_CONFIG_FILE)))
    # the flags rebuild the run's config, except the paths of this machine's files (a new machine has its own)
    assert doc["step"] == 1 and parse_config(doc["train_dit_flags"]) == replace(src.cfg, java_encoder="")
    assert "--java-encoder" not in doc["train_dit_flags"] and doc["train_config"]["java_encoder"] == encoder


def test_committed_action_fixtures_match_the_code(tmp_path):
    """fixtures/tiny-action (the engine's action-naming planner: layout.BoxPlanner with actions) is what fixtures.py
    writes today: a planner file that names 4 actions, all of them among the case's rows, whose box MLP reads the named
    one (told another, every row's box moves)."""
    from storydit.box_planner import load_planner
    from storydit.fixtures import VARIANT_DIRS, VARIANTS, write_action_fixtures
    assert VARIANT_DIRS["planner-action"] == "tiny-action" and VARIANTS["planner-action"] is write_action_fixtures
    committed_dir = assert_committed_set_matches(tmp_path, "tiny-action", write_action_fixtures, has_model=False,
                                                 exact=lambda k: k in ("camera", "shot_size", "frame", "frames",
                                                                       "action", "told_action"))
    for planner_dir in (committed_dir, str(tmp_path / "tiny-action")):
        a = safetensors_io.load_file(os.path.join(planner_dir, "planner", "box_planner.safetensors"))
        b = safetensors_io.load_file(os.path.join(committed_dir, "planner", "box_planner.safetensors"))
        assert all(same_up_to_float32(a[k], b[k]) for k in b) and set(a) == set(b)
    case = safetensors_io.load_file(os.path.join(committed_dir, "cases", "planner.safetensors"))
    planner = load_planner(os.path.join(committed_dir, "planner"))
    assert planner.cfg.actions == ["moves_left", "spins", "falls", "grows"]
    assert set(case["action"].tolist()) == {0, 1, 2, 3}
    assert torch.equal(case["action"], case["action_logits"].argmax(1))
    assert (case["told_boxes"] - case["boxes"]).abs().amax(dim=1).min() > 1e-3


def test_planner_summary_reads_the_planner_config_and_the_eval_beside_it(tmp_path):
    """The model card's words on the planner (export.planner_summary): its config from the file's metadata, and its
    eval.json when box_planner.py wrote one beside it."""
    from storydit.box_planner import BoxPlanner, BoxPlannerConfig, save_planner
    from storydit.export import planner_summary
    save_planner(BoxPlanner(BoxPlannerConfig(kinds=["ball"], actions=["spins", "falls"])), str(tmp_path))
    summary = planner_summary(str(tmp_path))
    assert set(summary) == {"config", "eval"} and summary["eval"] is None
    assert summary["config"]["actions"] == ["spins", "falls"] and summary["config"]["kinds"] == ["ball"]
    json.dump({"templates": "medoid"}, open(tmp_path / "eval.json", "w"))
    assert planner_summary(str(tmp_path / "box_planner.safetensors"))["eval"] == {"templates": "medoid"}
