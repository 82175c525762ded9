import json
import os

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
