import json
import os

import pytest

from storydit.model import dit_config
from storydit.model_card import summarize_run, write_model_card
from storydit.vae import vae_config


def _write_log(run_dir, records):
    os.makedirs(run_dir, exist_ok=True)
    with open(os.path.join(run_dir, "train_log.jsonl"), "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
        f.write('{"step": 99, "loss": 0.1')  # a line cut by a kill must not break the summary


def test_compute_time_skips_pauses_between_resumed_pieces(tmp_path):
    run = str(tmp_path / "run")
    _write_log(run, [
        {"step": 0, "time": 1000.0, "event": "start", "device": "cuda"},
        {"step": 20, "time": 1100.0, "loss": 2.0},
        {"step": 40, "time": 1200.0, "loss": 1.5},
        {"step": 40, "time": 50000.0, "event": "start", "device": "cpu"},   # resumed much later
        {"step": 60, "time": 50300.0, "loss": 1.0},
    ])
    s = summarize_run(run)
    assert s["last_step"] == 60
    assert abs(s["compute_hours"] - 500 / 3600) < 1e-3
    assert s["devices"] == ["cpu", "cuda"]
    assert (s["first_loss"], s["last_loss"]) == (2.0, 1.0)


def test_card_reports_measured_metrics_or_says_they_are_missing(tmp_path):
    dit, vae = dit_config("tiny"), vae_config("tiny")
    out = tmp_path / "model"
    out.mkdir()
    meta = {"step": 123, "train_config": {"out_dir": str(tmp_path / "nowhere"), "stage": 2, "min_shots": 1,
                                          "max_shots": 3, "frames_per_shot": 8, "p_continuation": 0.25}}
    text = open(write_model_card(str(out), "m", dit, vae, meta)).read()
    assert "Preset **tiny**" in text and "Exported step: 123" in text and "Not measured yet" in text
    text = open(write_model_card(str(out), "m", dit, vae, meta, {"adherence.colour": 0.91})).read()
    assert "| adherence.colour | 0.91 |" in text and "Not measured yet" not in text


def test_card_names_missed_goals_with_their_lever_and_a_preset_below_the_target(tmp_path):
    run = str(tmp_path / "s2")
    _write_log(run, [{"step": 0, "time": 1.0, "event": "start", "device": "cpu"}, {"step": 10, "time": 2.0, "loss": 1.0}])
    out = tmp_path / "model"
    out.mkdir()
    meta = {"step": 10, "train_config": {"out_dir": run, "stage": 2}}
    metrics = {"markdown": ["(tables)"], "summary": {
        "benchmark": {"vae-round-trip": {"identity": {"consistent": 0.40625}}},
        "goals": [{"goal": "prompt adherence ≥ 90 %", "value": "31.7 %", "met": False},
                  {"goal": "identity ≥ 95 % and above independent shots", "value": "0.0 % vs 0.0 %", "met": False},
                  {"goal": "luma drift ≤ 3 %", "value": "+1.4 %", "met": True}]}}
    text = open(write_model_card(str(out), "m", dit_config("S"), vae_config("S"), meta, metrics)).read()
    limits = text[text.index("## Limitations and next levers"):]
    assert "this is preset S at 64×64 px" in limits and "CPU only (devices: cpu)" in limits
    assert "Goal not met: prompt adherence ≥ 90 %** (measured 31.7 %)" in limits
    assert "same actor in only 41 % of shot pairs" in limits, "the identity lever quotes the VAE ceiling"
    pixel_metrics = {**metrics, "summary": {**metrics["summary"], "benchmark": {}}}
    pixel_text = open(write_model_card(str(out), "m", dit_config("S"), vae_config("S"), meta, pixel_metrics)).read()
    assert "VAE round trip" not in pixel_text and "copying the actor from context" in pixel_text, \
        "without a VAE ceiling (a pixel model) the identity lever does not blame a latent"
    assert "luma drift" not in limits, "met goals are not listed"
    shared = {**metrics, "summary": {**metrics["summary"], "goals": [
        {"goal": "colour ≥ 85 %", "value": "62.5 %", "met": False},
        {"goal": "kind ≥ 85 %", "value": "29.2 %", "met": False}]}}
    limits = open(write_model_card(str(out), "m", dit_config("S"), vae_config("S"), meta, shared)).read()
    assert "**Goals not met: colour ≥ 85 % (measured 62.5 %); kind ≥ 85 % (measured 29.2 %)**" in limits
    assert limits.count("a GPU run of the first stage") == 1, "a lever shared by several goals is said once"
    text = open(write_model_card(str(out), "m", dit_config("M"), vae_config("M"), meta, metrics)).read()
    assert "Smaller than the product target" not in text, "M meets the 128×128 target"


def _shot(correct, scuts=0, cuts_anywhere=(), seams=(), luma=100.0):
    return {"correct": correct, "metrics": {
        "scuts": scuts, "cutFramesAnywhere": list(cuts_anywhere), "meanLuma": luma, "meanSaturation": 0.5,
        "seams": [{"frame": f, "suspicious": s} for f, s in seams]}}


def _run(label, scenes, accuracy):
    stats = {k: {"median": 1.0, "mean": 1.0} for k in ("mawe", "warpError", "meanFlow", "flicker")}
    stats["seamRatio"] = {"median": 1.2, "mean": 1.2}
    return {"label": label, "scenes": len(scenes), "shots": sum(len(s["shots"]) for s in scenes), "failed": 0,
            "metrics": stats, "accuracy": accuracy, "sceneReports": scenes}


def test_eval_summary_scores_identity_only_when_the_asked_actor_is_shown_and_measures_drift(tmp_path):
    from storydit.eval_summary import summarize

    right = {"colour": True, "kind": True, "setting": True, "action": True, "camera": False}
    wrong = {**right, "colour": False}
    consistent = [{"a": 0, "b": 1, "consistent": True}, {"a": 0, "b": 2, "consistent": True}]
    scene = {"status": "ok", "storyworld": {"identity": consistent},
             "shots": [_shot(right, seams=[(4, False)], cuts_anywhere=[4]), _shot(right), _shot(wrong, scuts=1)]}
    acc = {"colour": {"rate": 2 / 3}, "kind": {"rate": 1.0}, "setting": {"rate": 1.0}, "action": {"rate": 1.0},
           "camera": {"rate": 0.0}, "intendedCuts": {"rate": 0.5}}
    bench = {"runs": [_run("model", [scene], acc)]}
    drift_scene = {"status": "ok", "storyworld": None,
                   "shots": [_shot(right, luma=100.0), _shot(right, luma=99.0), _shot(wrong, luma=90.0)]}
    drift = {"runs": [_run("model", [drift_scene], {})]}
    summary, lines = summarize(bench, {"shipped": drift}, 4.0)
    ident = summary["benchmark"]["model"]["identity"]
    assert ident["consistent"] == 1.0 and ident["consistent_and_correct"] == 0.5 and ident["pairs"] == 2
    cuts = summary["benchmark"]["model"]["cuts"]
    assert cuts["scuts_per_shot"] == 1 / 3 and cuts["cuts_at_seams"] == 1 and cuts["intended_cuts_found"] == 0.5
    d = summary["drift"]["shipped"]
    assert [c["t_end_s"] for c in d["curve"]] == [4.0, 8.0, 12.0]
    assert abs(d["adherence_drop_points"] - 100 / 3) < 1e-9   # colour, kind, setting: 3/3 -> 2/3
    assert abs(d["luma_change_percent"] + 10.0) < 1e-9
    goals = {g["goal"]: g["met"] for g in summary["goals"]}
    assert goals["mean adherence ≥ 80 %"] is False and goals["luma drift ≤ 3 %"] is False
    assert goals["colour ≥ 85 %"] is False and goals["kind ≥ 85 %"] is True and goals["action ≥ 60 %"] is True
    assert goals["cameraMoving ≥ 80 %"] is False, "without moving-camera labels the camera rate stands in"
    assert goals["seam ratio ≤ 1.3"] is True            # 1.2 in _run's metrics
    assert abs(summary["benchmark"]["model"]["adherence"]["mean"] - (2 / 3 + 1 + 1 + 1 + 0) / 5) < 1e-9
    assert any("| colour | 66.7 % |" in line for line in lines)

    dit, vae = dit_config("tiny"), vae_config("tiny")
    out = tmp_path / "model"
    out.mkdir()
    text = open(write_model_card(str(out), "m", dit, vae, {"step": 1, "train_config": {}},
                                 {"summary": summary, "markdown": lines})).read()
    assert "### Goals" in text and "| colour | 66.7 % |" in text


def test_eval_summary_puts_the_vae_ceiling_between_the_model_and_the_ground_truth():
    from storydit.eval_summary import VAE_CEILING, summarize

    right = {"colour": True, "kind": True, "setting": True, "action": True, "camera": True}
    scene = {"status": "ok", "storyworld": {"identity": []}, "shots": [_shot(right)]}
    acc = {a: {"rate": r} for a, r in
           {"colour": 0.1, "kind": 0.2, "setting": 1.0, "action": 0.3, "camera": 0.4}.items()}
    ceiling_acc = {**acc, "kind": {"rate": 0.35}}
    bench = {"runs": [_run("ground-truth", [scene], {a: {"rate": 1.0} for a in acc}), _run("model", [scene], acc)]}
    ceiling = {"runs": [_run("recon", [scene], ceiling_acc)]}
    summary, lines = summarize(bench, {}, 4.0, ceiling)
    assert list(summary["benchmark"]) == ["model", VAE_CEILING, "ground-truth"]
    assert summary["benchmark"][VAE_CEILING]["adherence"]["kind"] == 0.35
    assert any(line.startswith("| kind | 20.0 % | 35.0 % | 100.0 % |") for line in lines)


def test_eval_summary_shows_the_model_it_replaces_beside_the_new_one():
    from storydit.eval_summary import summarize

    right = {"colour": True, "kind": True, "setting": True, "action": True, "camera": True}
    scene = {"status": "ok", "storyworld": {"identity": []}, "shots": [_shot(right)]}
    new_acc = {a: {"rate": r} for a, r in {"colour": 0.7, "kind": 0.2, "setting": 0.9, "action": 0.1,
                                           "camera": 0.2}.items()}
    old_acc = {**new_acc, "colour": {"rate": 0.3}}
    bench = {"runs": [_run("ground-truth", [scene], {a: {"rate": 1.0} for a in new_acc}), _run("model", [scene], new_acc)]}
    old = {"runs": [_run("ground-truth", [scene], {}), _run("model", [scene], old_acc)]}
    summary, lines = summarize(bench, {}, 4.0, previous=("storydit-s", old))
    assert list(summary["benchmark"]) == ["model", "storydit-s", "ground-truth"]
    assert summary["benchmark"]["storydit-s"]["adherence"]["colour"] == 0.3
    assert any(line.startswith("| colour | 70.0 % | 30.0 % | 100.0 % |") for line in lines)
    assert any("`storydit-s` is the model this one replaces" in line for line in lines)
    goals = {g["goal"]: g["value"] for g in summary["goals"]}
    assert goals["colour ≥ 85 %"] == "70.0 %", "the goals judge the new model, not the one it replaces"
    with pytest.raises(ValueError, match="ground-truth"):
        summarize(bench, {}, 4.0, previous=("ground-truth", old))
    with pytest.raises(ValueError, match="no run 'model'"):
        summarize(bench, {}, 4.0, previous=("old", {"runs": [_run("ground-truth", [scene], {})]}))


def test_card_finds_the_vae_run_of_a_copied_artifact(tmp_path):
    """artifacts/vae-X is a copy of runs/vae-X/vae: the card's VAE row comes from runs/vae-X/train_log.jsonl."""
    _write_log(str(tmp_path / "runs" / "vae-X"), [{"step": 0, "time": 0.0, "event": "start", "device": "cpu"},
                                                  {"step": 4000, "time": 60.0, "loss": 0.04}])
    (tmp_path / "artifacts" / "vae-X").mkdir(parents=True)
    out = tmp_path / "model"
    out.mkdir()
    meta = {"step": 1, "train_config": {"vae_dir": str(tmp_path / "artifacts" / "vae-X")}}
    text = open(write_model_card(str(out), "m", dit_config("tiny"), vae_config("tiny"), meta)).read()
    assert "| VAE (vae-X) | 4000 | - | cpu |" in text


def test_card_stops_the_run_chain_at_an_exported_model_and_names_it(tmp_path):
    warm = tmp_path / "warmstart"
    warm.mkdir()
    (warm / "manifest.json").write_text("{}")
    run = str(tmp_path / "s0")
    _write_log(run, [{"step": 0, "time": 1.0, "event": "start", "device": "cpu"}, {"step": 10, "time": 2.0, "loss": 1.0}])
    out = tmp_path / "model"
    out.mkdir()
    meta = {"step": 10, "train_config": {"out_dir": run, "stage": 0, "init_from": str(warm), "batch_size": 64}}
    text = open(write_model_card(str(out), "m", dit_config("S"), vae_config("S"), meta)).read()
    table = text[text.index("| run |"):text.index("- Exported step")]
    assert "stage ?" not in table and "| ? |" not in table, table
    assert f"initialised from the exported model `{warm}`" in table and "| stage 0 (s0) | 10 | 64 |" in table
    assert table.index("initialised from") < table.index("stage 0 (s0)"), "the start comes first"


def test_card_names_the_parts_the_engine_does_not_run(tmp_path):
    vae = vae_config("tiny")
    meta = {"step": 1, "train_config": {"out_dir": str(tmp_path / "nowhere"), "stage": 0}}
    for name, dit in (("plain", dit_config("tiny")),
                      ("unet", dit_config("tiny", prediction="x", conv_decoder_width=4, conv_encoder=True)),
                      ("box", dit_config("tiny", prediction="x", conv_decoder_width=4, conv_encoder=True,
                                         actor_box_cond=True)),
                      ("silhouette", dit_config("tiny", prediction="x", conv_decoder_width=4, conv_encoder=True,
                                                actor_box_cond=True, actor_layout="silhouette")),
                      ("refiner", dit_config("tiny", prediction="x", refiner_width=4))):
        out = tmp_path / name
        out.mkdir()
        text = open(write_model_card(str(out), "m", dit, vae, meta)).read()
        assert ("Training-only parts" in text) == (name == "refiner")
        assert ("`model.PixelRefiner`" in text) == (name == "refiner")
        assert ("`model.ConvDecoder`" in text and "`model.ConvEncoder`" in text) == (name in ("unet", "box", "silhouette"))
        assert ("`box_planner.safetensors`" in text) == (name in ("box", "silhouette"))
        assert ("planned silhouette" in text) == (name == "silhouette")


def test_card_follows_a_copied_checkpoint_back_to_the_run_that_wrote_it_up_to_its_step(tmp_path):
    """A stage initialised from a step folder kept outside its run (a snapshot) still shows that run, counted only up
    to the step it was initialised from."""
    import shutil

    import torch

    from storydit import checkpoint as ckpt
    from storydit.model_card import _init_run, summarize_run

    run = str(tmp_path / "runs" / "s0")
    _write_log(run, [{"step": 0, "time": 0.0, "event": "start", "device": "cpu"},
                     {"step": 100, "time": 60.0, "loss": 0.5}, {"step": 200, "time": 120.0, "loss": 0.25}])
    written = ckpt.save_checkpoint(os.path.join(run, "checkpoints"), 100, {"w": torch.zeros(2)},
                                   {"train_config": {"out_dir": run, "stage": 0, "batch_size": 64}})
    snapshot = str(tmp_path / "snap" / "step-00000100")
    shutil.copytree(written, snapshot)
    run_dir, cfg, step = _init_run(snapshot)
    assert (run_dir, cfg["stage"], step) == (run, 0, 100)
    s = summarize_run(run_dir, step)
    assert s["last_step"] == 100 and s["compute_hours"] == round(60 / 3600, 3) and s["last_loss"] == 0.5
    assert summarize_run(run_dir)["last_step"] == 200, "without a step the whole log counts"
    assert _init_run(str(tmp_path / "missing")) == (None, {}, None)
    from storydit.eval_summary import training_series
    assert training_series(snapshot) == [(100, 0.5)], "the loss curve of a checkpoint ends at its step"
    assert training_series(run) == [(100, 0.5), (200, 0.25)]


def test_card_says_which_templates_the_planner_holds_and_whether_it_names_the_action(tmp_path):
    from storydit.model_card import planner_words
    vae = vae_config("tiny")
    meta = {"step": 1, "train_config": {"out_dir": str(tmp_path / "nowhere"), "stage": 0}}
    dit = dit_config("tiny", prediction="x", conv_decoder_width=4, conv_encoder=True, actor_box_cond=True,
                     actor_layout="painted")
    acting = {"config": {"kinds": ["ball"], "colours": ["red"], "actions": ["spins", "falls"]},
              "eval": {"templates": "medoid", "validation": {"action": {"accuracy": 0.8115}}}}
    text = open(write_model_card(str(tmp_path), "m", dit, vae, meta, planner=acting)).read()
    assert "the one rendered pose nearest the mean of its poses" in text and " or with `box_planner" not in text
    assert "names the shot's action" in text and "named right on 81.2 % of held-out-wording shots" in text
    plain = {"config": {"kinds": ["ball"], "colours": ["red"]}, "eval": {"templates": "mean"}}
    assert planner_words(plain) == ("the mean of its rendered poses", "")
    unknown_templates, more = planner_words(None)
    assert "or with `box_planner --templates medoid`" in unknown_templates and more == ""
    assert "named right" not in planner_words({"config": {"actions": ["spins"]}, "eval": None})[1]
