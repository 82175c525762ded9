"""storydit.reship: a model's weights under new sampler settings, without the checkpoint they came from."""
import json
import os

import pytest

from storydit.export import verify_manifest


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A tiny pixel-space model exported as ship_model.sh exports one: config, weights, vocabulary and a card."""
    from storydit.codec import PixelCodec
    from storydit.export import main
    from tests.test_storydit_stage0 import stage0_trainer
    root = tmp_path_factory.mktemp("reship")
    stage0_trainer(root / "run", PixelCodec(32), prediction="x").save()
    main(["--run", str(root / "run"), "--vae", "pixel", "--out", str(root / "model"), "--name", "tiny-v1",
          "--noise-correlation", "0.7"])
    return root / "model"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def test_the_new_folder_has_the_same_weights_the_new_settings_and_a_card_that_says_what_changed(exported, tmp_path):
    from storydit.reship import reship
    metrics = {"markdown": ["| attribute | model |", "|---|---|", "| colour | 50.0 % |"]}
    out = reship(str(exported), str(tmp_path / "v2"), "tiny-v2",
                 ["noise_correlation=0.5", "continuation_anchor=still", "guidance=2"], metrics)
    manifest = verify_manifest(out)
    assert manifest["name"] == "tiny-v2"
    assert [e["path"] for e in manifest["files"]] == [e["path"] for e in verify_manifest(str(exported))["files"]]
    assert read(os.path.join(out, "storydit.safetensors")) == read(exported / "storydit.safetensors")
    config, source = (json.load(open(os.path.join(d, "config.json"))) for d in (out, exported))
    assert config["name"] == "tiny-v2"
    assert config["sampler"] == {**source["sampler"], "noise_correlation": 0.5, "continuation_anchor": "still",
                                 "guidance": 2}
    assert config["dit"] == source["dit"]
    card = open(os.path.join(out, "MODEL_CARD.md"), encoding="utf-8").read()
    old = open(exported / "MODEL_CARD.md", encoding="utf-8").read()
    assert card.splitlines()[0] == "# Model card: tiny-v2"
    assert ("- Sampler settings changed from tiny-v1 (the same weights, planner and vocabulary): `noise_correlation` "
            "= 0.5, `continuation_anchor` = \"still\", `guidance` = 2.") in card
    assert "| colour | 50.0 % |" in card and "Not measured yet" in old and "Not measured yet" not in card
    assert old.partition("## Training")[2].partition("## Evaluation")[0].strip() in card, "the training record is kept"


def test_a_reship_of_a_reship_names_its_own_source_and_a_nested_setting_is_set_in_place(exported, tmp_path):
    from storydit.reship import reship
    first = reship(str(exported), str(tmp_path / "a"), "tiny-a", ["guidance=2"])
    second = reship(first, str(tmp_path / "b"), "tiny-b", ["shift=4"])
    card = open(os.path.join(second, "MODEL_CARD.md"), encoding="utf-8").read()
    assert card.count("Sampler settings changed from") == 1 and "changed from tiny-a" in card
    same = reship(second, str(tmp_path / "c"), "tiny-b", [])
    assert "changed from tiny-a" in open(os.path.join(same, "MODEL_CARD.md"), encoding="utf-8").read(), \
        "no settings: the card keeps its line"
    from storydit.reship import apply_settings
    sampler = {"camera_noise": {"pan_per_frame": 1.0, "zoom_frames": 15}}
    assert apply_settings(sampler, [(["camera_noise", "pan_per_frame"], 1.5)]) == ["`camera_noise.pan_per_frame` = 1.5"]
    assert sampler == {"camera_noise": {"pan_per_frame": 1.5, "zoom_frames": 15}}
    with pytest.raises(ValueError, match="sampler.guidance is not a group"):
        apply_settings({"guidance": 3.0}, [(["guidance", "x"], 1)])


def test_bad_settings_and_an_existing_folder_are_refused_before_anything_is_written(exported, tmp_path):
    from storydit.reship import main, reship
    before = {p: read(exported / p) for p in os.listdir(exported)}
    with pytest.raises(ValueError, match="'bogus' is not a sampler setting"):
        reship(str(exported), str(tmp_path / "x"), "x", ["bogus=1"])
    with pytest.raises(ValueError, match="expected KEY=VALUE"):
        reship(str(exported), str(tmp_path / "x"), "x", ["guidance"])
    with pytest.raises(ValueError, match="must be a new folder"):
        reship(str(exported), str(exported), "x")
    (tmp_path / "taken").mkdir()
    with pytest.raises(ValueError, match="exists"):
        reship(str(exported), str(tmp_path / "taken"), "x")
    with pytest.raises(SystemExit):
        main(["--from", str(exported), "--out", str(tmp_path / "y"), "--name", "y", "--set", "bogus=1"])
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists() and not (tmp_path / "x.partial").exists()
    assert {p: read(exported / p) for p in os.listdir(exported)} == before, "the source is only read"


def test_the_weights_training_curves_go_with_them(exported, tmp_path):
    import shutil
    from storydit.reship import reship
    source = tmp_path / "source"
    shutil.copytree(exported, source)
    (source / "training_curves.png").write_bytes(b"\x89PNG curves")
    out = reship(str(source), str(tmp_path / "v2"), "tiny-v2", ["guidance=2"], {"markdown": ["| a | b |"]})
    assert read(os.path.join(out, "training_curves.png")) == b"\x89PNG curves"
    card = open(os.path.join(out, "MODEL_CARD.md"), encoding="utf-8").read()
    assert card.index("| a | b |") < card.index("![training curves](training_curves.png)")
    plain = reship(str(exported), str(tmp_path / "v3"), "tiny-v3", [], {"markdown": ["| a | b |"]})
    assert "training curves" not in open(os.path.join(plain, "MODEL_CARD.md"), encoding="utf-8").read()


def test_another_planner_replaces_the_layout_planner_its_config_and_the_cards_line_and_a_bad_one_is_refused(tmp_path):
    """--planner (session 40): the same weights under another layout planner (say planners/acting for
    planners/posed). Its file and config replace the source's and the card's architecture line is written for it; a
    planner the model cannot read, or a model that reads none, is refused before anything is written."""
    from storydit.box_planner import BoxPlanner, BoxPlannerConfig, save_planner
    from storydit.codec import PixelCodec
    from storydit.export import BOX_PLANNER_FILE, main
    from storydit.reship import reship
    from tests.test_storydit_export import box_model_and_planner
    from tests.test_storydit_stage0 import stage0_trainer
    stage0_trainer(tmp_path / "run", PixelCodec(32), prediction="x", conv_decoder_width=4, conv_encoder=True,
                   actor_box_cond=1.0).save()
    box_model_and_planner(tmp_path)
    main(["--run", str(tmp_path / "run"), "--vae", "pixel", "--out", str(tmp_path / "model"), "--name", "box-v1",
          "--planner", str(tmp_path / "planner")])
    acting = BoxPlanner(BoxPlannerConfig(hidden=8, actions=["moves_left", "moves_right"])).eval()
    save_planner(acting, str(tmp_path / "acting"))
    out = reship(str(tmp_path / "model"), str(tmp_path / "v2"), "box-v2", ["guidance=2"],
                 planner=str(tmp_path / "acting"))
    assert read(os.path.join(out, BOX_PLANNER_FILE)) == read(tmp_path / "acting" / BOX_PLANNER_FILE)
    assert read(os.path.join(out, "storydit.safetensors")) == read(tmp_path / "model" / "storydit.safetensors")
    config, source = (json.load(open(os.path.join(d, "config.json"))) for d in (out, tmp_path / "model"))
    assert config["box_planner"]["actions"] == ["moves_left", "moves_right"] and source["box_planner"]["actions"] == []
    assert config["sampler"]["guidance"] == 2 and config["dit"] == source["dit"]
    assert verify_manifest(out)["name"] == "box-v2"
    card = open(os.path.join(out, "MODEL_CARD.md"), encoding="utf-8").read()
    old = open(tmp_path / "model" / "MODEL_CARD.md", encoding="utf-8").read()
    assert "names the shot's action" in card and "names the shot's action" not in old
    assert (f"- Sampler settings changed from box-v1 (the same weights and vocabulary): `guidance` = 2, the layout "
            f"planner `{os.path.normpath(str(tmp_path / 'acting'))}`.") in card
    painted = BoxPlanner(BoxPlannerConfig(hidden=8, kinds=["ball"], colours=["red"])).eval()
    save_planner(painted, str(tmp_path / "painted"))
    with pytest.raises(ValueError, match="plans painted silhouettes"):
        reship(str(tmp_path / "model"), str(tmp_path / "refused"), "x", planner=str(tmp_path / "painted"))
    with pytest.raises(ValueError, match="no layout planner at"):
        reship(str(tmp_path / "model"), str(tmp_path / "refused"), "x", planner=str(tmp_path / "nowhere"))
    stage0_trainer(tmp_path / "plain-run", PixelCodec(32), prediction="x").save()
    main(["--run", str(tmp_path / "plain-run"), "--vae", "pixel", "--out", str(tmp_path / "plain"), "--name", "p"])
    with pytest.raises(ValueError, match="reads no layout planner"):
        reship(str(tmp_path / "plain"), str(tmp_path / "refused"), "x", planner=str(tmp_path / "acting"))
    assert not (tmp_path / "refused").exists() and not (tmp_path / "refused.partial").exists()
