"""The held-out storyboard benchmark: projects in the app's format that ask for what the ground truth shows."""
import json
import os
import re

import numpy as np

from storyworld import heldout_phrases, sample_scene, vocab
from storyworld.benchmark import write_benchmark
from storyworld.captions import shot_prompt


def _contains(text, phrase):
    return re.search(r"(?<![a-z])" + re.escape(phrase) + r"(?![a-z])", text) is not None


def test_shot_prompts_are_what_a_creator_types_and_heldout_ones_use_heldout_wording():
    reserved = heldout_phrases()
    for seed in range(200):
        spec = sample_scene(seed, 1, 4, split="heldout")
        heldout = shot_prompt(np.random.RandomState(seed), spec.actor, spec.setting.name, spec.shots[0].action,
                              split="heldout")
        train = shot_prompt(np.random.RandomState(seed), spec.actor, spec.setting.name, spec.shots[0].action)
        assert any(_contains(heldout, p) for p in reserved), heldout
        assert not any(_contains(train, p) for p in reserved), train
        # the app appends the camera and framing phrases; the prompt itself names neither
        framing = [p for c in vocab.CAMERAS for p in c.clauses.train + c.clauses.heldout] + \
                  [p for z in vocab.SHOT_SIZES for p in z.nouns.train + z.nouns.heldout]
        assert not any(_contains(heldout, p) for p in framing), heldout


def test_benchmark_projects_match_their_ground_truth_labels(tmp_path):
    out = tmp_path / "bench"
    index = write_benchmark(str(out), count=2, seed=7_000_000, frames=4, drift_count=1, drift_frames=12)
    assert index["drift_projects"] == ["clip0000"]
    clips = json.load(open(out / "scenes" / "clips.json"))
    assert [c["id"] for c in clips["clips"]] == ["clip0000", "clip0001"]
    for clip in ("clip0000", "clip0001"):
        project = json.load(open(out / "projects" / f"{clip}.storyboard"))
        labels = json.load(open(out / "scenes" / clip / "labels.json"))
        assert project["format"] == "storyboard-project/1"
        sb = project["storyboard"]
        assert (sb["fps"], sb["width"], sb["height"]) == (8, 64, 64)
        assert len(sb["shots"]) == len(labels["shots"]) == 3
        for shot, truth in zip(sb["shots"], labels["shots"]):
            assert shot["camera"] == truth["camera"].upper()
            assert shot["shotSize"] == truth["shot_size"].upper()
            assert shot["durationFrames"] == 4 and shot["takes"] == []
        assert len({s["seed"] for s in sb["shots"]}) == 3
    drift = json.load(open(out / "drift-projects" / "clip0000.storyboard"))["storyboard"]
    assert [s["durationFrames"] for s in drift["shots"]] == [12]
    assert len(os.listdir(out / "drift" / "clip0000")) == 12 + 1  # frames + labels.json


def test_the_training_wording_control_shows_the_same_scenes_without_heldout_phrases(tmp_path):
    reserved = heldout_phrases()
    heldout = write_benchmark(str(tmp_path / "h"), count=3, seed=7_000_000, frames=4, drift_count=0, drift_frames=0)
    train = write_benchmark(str(tmp_path / "t"), count=3, seed=7_000_000, frames=4, drift_count=0, drift_frames=0,
                            split="train")
    assert (heldout["split"], train["split"]) == ("heldout", "train")
    for clip in ("clip0000", "clip0001", "clip0002"):
        h_labels = json.load(open(tmp_path / "h" / "scenes" / clip / "labels.json"))
        t_labels = json.load(open(tmp_path / "t" / "scenes" / clip / "labels.json"))
        for h, t in zip(h_labels["shots"], t_labels["shots"]):       # same scene: actor, setting, action, camera
            assert {k: h[k] for k in ("action", "camera", "shot_size")} == {k: t[k] for k in ("action", "camera", "shot_size")}
        assert h_labels["actor"] == t_labels["actor"] and h_labels["setting"] == t_labels["setting"]
        sb = json.load(open(tmp_path / "t" / "projects" / f"{clip}.storyboard"))["storyboard"]
        for text in [sb["scenePrompt"]] + [s["prompt"] for s in sb["shots"]]:
            assert not any(_contains(text, p) for p in reserved), text
