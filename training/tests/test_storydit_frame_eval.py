"""frame_eval conditions each still the way training conditioned the model it judges."""
import json
import os

from storydit.frame_eval import actor_area_ratio, shot_conditions, write_ground_truth
from storydit.model import dit_config
from storyworld.scene import sample_scene


def test_a_shot_label_model_reads_the_content_prompt_and_the_labels(tmp_path):
    gt = str(tmp_path / "gt")
    write_ground_truth(gt, 4, 8_000_000)
    index = json.load(open(os.path.join(gt, "clips.json")))
    captions, none = shot_conditions(gt, dit_config("tiny"))
    assert none is None and captions == [c["shot_captions"][0] for c in index["clips"]]

    cfg = dit_config("tiny", shot_cond=True)
    prompts, labels = shot_conditions(gt, cfg)
    assert labels.shape == (4, 1, 2)
    for i, c in enumerate(index["clips"]):
        shot = sample_scene(c["seed"], 1, 2, mode=index["mode"], split=index["split"]).shots[0]
        assert prompts[i] == shot.prompt and "camera" not in prompts[i]
        assert tuple(labels[i, 0].tolist()) == cfg.shot_label(shot.camera, shot.shot_size)
        assert labels[i, 0, 0] >= 1 and labels[i, 0, 1] >= 1      # 0 is the null label of CFG


def test_an_exported_model_folder_is_judged_like_a_run():
    from storydit.export import load_exported
    from storydit.frame_eval import load_run
    here = os.path.join(os.path.dirname(__file__), "..", "warmstart")
    model, codec, meta = load_run(here)
    reference, _, config = load_exported(here)
    assert meta["train_config"]["vae_dir"] == config["codec"] == "pixel"
    assert model.cfg == reference.cfg
    for (k, v), (k2, v2) in zip(model.state_dict().items(), reference.state_dict().items()):
        assert k == k2 and v.equal(v2)


def test_the_kind_contrast_is_zero_for_a_blob_and_positive_for_the_asked_shape():
    from storydit.frame_eval import kind_contrast

    def shot(asked, fit):
        return {"expected": {"kind": asked}, "storyworld": {"kindFit": fit}}

    blob = {"ball": 0.3, "cube": 0.3, "star": 0.3}
    star = {"ball": 0.2, "cube": 0.1, "star": 0.9}
    report = {"runs": [
        {"label": "blob", "sceneReports": [{"shots": [shot("star", blob)]}, {"shots": [shot("cube", blob)]}]},
        {"label": "shape", "sceneReports": [{"shots": [shot("star", star)]}, {"shots": [shot("star", star)]}]},
        {"label": "wrong", "sceneReports": [{"shots": [shot("ball", star)]}, {"shots": [{"expected": {"kind": "ball"}}]}]},
    ]}
    assert kind_contrast(report, "blob") == {"kind_contrast": 0.0, "kind_contrast_se": 0.0}
    assert kind_contrast(report, "shape")["kind_contrast"] == 0.75           # 0.9 - (0.2 + 0.1) / 2
    wrong = kind_contrast(report, "wrong")                                   # a star where a ball was asked; no actor
    assert wrong["kind_contrast"] == round((0.2 - 0.5) / 2, 4) and wrong["kind_contrast_se"] > 0


def test_the_actor_area_ratio_reads_an_actor_drawn_twice_as_large(tmp_path):
    import numpy as np
    grey = np.full((2, 64, 64, 3), 128, np.uint8)
    truth, frames = grey.copy(), grey.copy()
    truth[:, 20:36, 20:36] = (200, 40, 40)                    # red actor, 16 x 16
    frames[0, 16:38, 18:41] = (190, 50, 45)                   # drawn about twice as large, a slightly other red
    frames[1, 20:36, 20:36] = (200, 40, 40)                   # drawn at its size
    for clip in ("c0", "c1"):
        os.makedirs(tmp_path / clip)
        (tmp_path / clip / "labels.json").write_text(json.dumps({"actor": {"hue": 0.0}}))
    big = actor_area_ratio(str(tmp_path), ["c0"], truth[:1], frames[:1])
    assert 1.8 < big < 2.2, big
    assert actor_area_ratio(str(tmp_path), ["c1"], truth[1:], frames[1:]) == 1.0
    assert abs(actor_area_ratio(str(tmp_path), ["c0", "c1"], truth, frames) - (big + 1.0) / 2) < 2e-3   # median of 2


def test_the_actor_centre_error_measures_how_far_the_actor_stands_from_its_box(tmp_path):
    import numpy as np
    from storydit.frame_eval import actor_centre_error
    frames = np.full((3, 64, 64, 3), 128, np.uint8)
    frames[0, 20:30, 10:20] = (200, 40, 40)                   # centred on the box (centre 15, 25)
    frames[1, 20:30, 40:50] = (200, 40, 40)                   # 30 px to the right of it
    for clip in ("c0", "c1", "c2"):                           # c2: no actor drawn
        os.makedirs(tmp_path / clip)
        (tmp_path / clip / "labels.json").write_text(json.dumps(
            {"actor": {"hue": 0.0}, "shots": [{"bbox": [[10.0, 20.0, 20.0, 30.0]]}]}))
    assert actor_centre_error(str(tmp_path), ["c0"], frames[:1]) == 0.0
    assert actor_centre_error(str(tmp_path), ["c1"], frames[1:2]) == 30.0
    assert actor_centre_error(str(tmp_path), ["c2"], frames[2:]) == 32.0        # half the frame's width
    assert actor_centre_error(str(tmp_path), ["c0", "c1", "c2"], frames) == 30.0   # the median


def test_a_critic_reads_the_kind_of_each_still_against_the_asked_one(tmp_path):
    import numpy as np
    import torch
    from storydit.frame_critic import FrameCritic, FrameCriticConfig
    from storydit.frame_eval import critic_kind_accuracy

    class Fixed(FrameCritic):                       # names "star" on a bright still, "ball" on a dark one
        def forward(self, z):
            bright = (z.mean(dim=(1, 2, 3)) > 0).float()
            kind = torch.zeros(z.shape[0], len(self.cfg.kinds))
            kind[:, self.cfg.kinds.index("star")], kind[:, self.cfg.kinds.index("ball")] = bright, 1 - bright
            return kind, torch.zeros(z.shape[0], len(self.cfg.colours))

    critic = Fixed(FrameCriticConfig(("ball", "star"), ("red",), width=8, image_size=8))
    frames = np.stack([np.full((8, 8, 3), v, np.uint8) for v in (250, 10, 250, 10)])
    for clip, kind in zip(("c0", "c1", "c2", "c3"), ("star", "ball", "ball", "ball")):
        os.makedirs(tmp_path / clip)
        (tmp_path / clip / "labels.json").write_text(json.dumps({"actor": {"kind": kind}}))
    assert critic_kind_accuracy(critic, str(tmp_path), ["c0", "c1", "c2", "c3"], frames) == 75.0
