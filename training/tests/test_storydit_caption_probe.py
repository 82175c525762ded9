"""Caption probe: candidate captions differ only in the probed attribute; a text-blind model scores as wrong."""
import pytest
import torch

import storyworld
from storydit.caption_probe import ATTRIBUTES, attribute_values, candidates, canonical_caption, probe, probe_scenes, shot_truth
from storydit.model import StoryDiT, dit_config
from storydit.text import RandomTestEncoder
from storydit.vae import FrameVAE, vae_config
from storyworld import vocab

TRUTH = dict(kind="ball", colour="red", pattern="stripes", setting="beach", action="bounces", camera="pan_left",
             shot_size="wide")


def test_canonical_caption_uses_training_phrases():
    caption = canonical_caption(**TRUTH)
    assert vocab.COLOUR_BY_NAME["red"].adjectives.train[0] in caption
    assert vocab.KIND_BY_NAME["ball"].nouns.train[0] in caption
    assert vocab.CAMERA_BY_NAME["pan_left"].clauses.train[0] in caption
    assert not any(h in caption for h in ("we see", "framed as"))


@pytest.mark.parametrize("attribute", ATTRIBUTES)
def test_candidates_change_only_the_probed_attribute(attribute):
    c = candidates(TRUTH, attribute)
    assert c.values == attribute_values(attribute) and len(c.captions) == len(c.values)
    assert c.captions[c.true_index] == canonical_caption(**TRUTH)
    assert len(set(c.captions)) == len(c.captions), "two values wrote the same caption"
    other = (c.true_index + 1) % len(c.values)
    assert c.captions[other] == canonical_caption(**{**TRUTH, attribute: c.values[other]})


def test_unknown_attribute_is_named():
    with pytest.raises(AssertionError, match="pattern"):
        candidates(TRUTH, "pattern")


def test_text_blind_model_scores_no_correct_guess():
    """A fresh StoryDiT outputs zero (adaLN-Zero): every caption ties, and a tie must not count as a hit."""
    torch.manual_seed(0)
    model = StoryDiT(dit_config("tiny")).eval()
    vae = FrameVAE(vae_config("tiny")).eval()
    specs, video = probe_scenes(storyworld, 2, 4, vae.cfg.image_size, "train")
    assert video.shape == (2, 4, 3, 32, 32)
    assert shot_truth(specs[0])["colour"] == specs[0].actor.colour
    encoder = RandomTestEncoder(model.cfg.l_txt)
    report = probe(model, vae, encoder.encode, specs, video, [0.5])
    for name in ATTRIBUTES:
        r = report["attributes"][name]
        assert r["n"] == 2 and r["accuracy"] == 0.0
        assert r["mean_rank"] == len(attribute_values(name)) - 1
    assert report["true_vs_null_loss_reduction"] == pytest.approx(0.0, abs=1e-6)


class IdEncoder:
    """Caption -> an embedding whose first value is the caption's id (1, 2, ...); the null caption is id 0."""

    def __init__(self, l_txt):
        self.l_txt, self.ids = l_txt, {}

    def encode(self, captions):
        out = torch.zeros(len(captions), self.l_txt, 384)
        for row, c in enumerate(captions):
            out[row, 0, 0] = self.ids.setdefault(c, len(self.ids) + 1)
        return out


class ZeroVae:
    """x0 = 0, so the exact velocity is eps = x_t / t."""

    def __init__(self, cfg):
        self.cfg = cfg

    def encode(self, frames):
        return torch.zeros(frames.shape[0], 4, 4, 4)


class OracleModel:
    """Exact velocity for the captions it prefers, off by 1 for every other one."""

    def __init__(self, preferred_ids):
        self.cfg, self.preferred = dit_config("tiny"), preferred_ids

    def layout_for(self, shot_frames, has_global):
        return StoryDiT.layout_for(self, shot_frames, has_global)

    def __call__(self, x_t, text, t, layout, mask_mode):
        exact = x_t / t[:, :, None, None, None]
        ids = text[:, 0, 0, 0].tolist()
        miss = torch.tensor([0.0 if int(i) in self.preferred else 1.0 for i in ids])
        return exact + miss[:, None, None, None, None]


def test_a_model_that_prefers_the_true_caption_scores_every_attribute():
    vae_cfg = vae_config("tiny")
    specs, video = probe_scenes(storyworld, 3, 4, vae_cfg.image_size, "train")
    encoder = IdEncoder(8)
    true_ids = {int(encoder.encode([canonical_caption(**shot_truth(s))])[0, 0, 0]) for s in specs}
    report = probe(OracleModel(true_ids), ZeroVae(vae_cfg), encoder.encode, specs, video, [0.5, 0.8])
    for name in ATTRIBUTES:
        assert report["attributes"][name]["accuracy"] == 1.0 and report["attributes"][name]["mean_rank"] == 0
    assert report["true_vs_null_loss_reduction"] == pytest.approx(1.0)
