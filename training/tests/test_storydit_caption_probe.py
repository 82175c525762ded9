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


def test_text_sensitive_model_is_ranked_by_its_loss():
    """After a few steps the model's output depends on the caption: ranks are in range, not all tied."""
    torch.manual_seed(0)
    model = StoryDiT(dit_config("tiny"))
    for p in model.parameters():                      # break adaLN-Zero so text reaches the output
        if p.dim() > 0 and float(p.abs().sum()) == 0:
            torch.nn.init.normal_(p, std=0.05)
    vae = FrameVAE(vae_config("tiny")).eval()
    specs, video = probe_scenes(storyworld, 2, 4, vae.cfg.image_size, "train")
    report = probe(model.eval(), vae, RandomTestEncoder(model.cfg.l_txt).encode, specs, video, [0.5])
    ranks = [report["attributes"][a]["mean_rank"] for a in ATTRIBUTES]
    assert all(0 <= r <= len(attribute_values(a)) - 1 for r, a in zip(ranks, ATTRIBUTES))
    assert report["true_vs_null_loss_reduction"] != 0.0
