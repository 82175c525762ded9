"""Captions: consistency with labels, held-out wording, length, vocabulary."""

import json
import re

import pytest

from storyworld import caption_vocabulary, heldout_phrases, sample_scene, vocab
from storyworld.captions import HELDOUT_TEMPLATE_MARKERS

N_SCENES = 400


def _contains(text, phrase):
    return re.search(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", text) is not None


def _all_captions(split, mode="multishot", n=N_SCENES):
    for seed in range(n):
        spec = sample_scene(seed, 3, 4, mode=mode, split=split)
        yield spec, None, spec.global_caption
        for shot in spec.shots:
            yield spec, shot, shot.caption


def _estimated_word_pieces(text):
    """Upper estimate of WordPiece tokens: punctuation 1, words 1-3 by length."""
    return sum(1 if len(t) <= 7 else 2 if len(t) <= 12 else 3 for t in re.findall(r"[a-z]+|[^\sa-z]", text))


@pytest.mark.parametrize("mode", ["multishot", "continuation"])
def test_heldout_phrasings_never_appear_in_train_captions(mode):
    reserved = heldout_phrases()
    assert "scarlet" in reserved and "orb" in reserved and "we see" in reserved
    for _, _, caption in _all_captions("train", mode):
        found = [p for p in reserved if _contains(caption, p)]
        assert not found, (caption, found)


def test_every_heldout_caption_uses_heldout_wording_and_all_of_it_is_used():
    reserved = heldout_phrases()
    used = set()
    for _, _, caption in _all_captions("heldout", n=600):
        found = {p for p in reserved if _contains(caption, p)}
        assert found, caption
        used |= found
    assert used == set(reserved), sorted(set(reserved) - used)


def test_train_captions_use_every_train_phrase():
    vocabulary = caption_vocabulary()
    text = " | ".join(c for _, _, c in _all_captions("train", n=600))
    for category, phrases in vocabulary.items():
        for phrase in phrases:
            assert _contains(text, phrase), (category, phrase)


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_shot_captions_describe_the_labelled_shot(split):
    for spec, shot, caption in _all_captions(split, n=150):
        assert caption == caption.lower()
        actor = spec.actor

        def mentions(phrases):
            return any(_contains(caption, p) for p in phrases.train + phrases.heldout)

        assert mentions(vocab.COLOUR_BY_NAME[actor.colour].adjectives), caption
        assert mentions(vocab.KIND_BY_NAME[actor.kind].nouns), caption
        assert mentions(vocab.SETTING_BY_NAME[spec.setting.name].places), caption
        # no other colour is named
        others = [c for c in vocab.COLOURS if c.name != actor.colour]
        assert not any(mentions(c.adjectives) for c in others), caption
        if shot is None:
            continue
        verbs = vocab.ACTION_BY_NAME[shot.action].verbs
        assert any(_contains(caption, v.present) or _contains(caption, v.gerund)
                   for v in verbs.train + verbs.heldout), caption
        assert mentions(vocab.CAMERA_BY_NAME[shot.camera].clauses), caption
        assert mentions(vocab.SHOT_SIZE_BY_NAME[shot.shot_size].nouns), caption


def test_captions_fit_the_text_encoder():
    # all-MiniLM-L6-v2 sees 32 tokens including [CLS] and [SEP]
    for split in ("train", "heldout"):
        for _, _, caption in _all_captions(split, n=300):
            assert _estimated_word_pieces(caption) <= 30, caption


def test_captions_vary():
    shot_captions = {c for _, shot, c in _all_captions("train", n=200) if shot is not None}
    assert len(shot_captions) > 550  # 600 shots, nearly all worded differently
    openings = {c.split()[0] for c in shot_captions}
    assert len(openings) >= 5  # several templates


def test_caption_vocabulary_is_json_and_excludes_heldout_by_default():
    default = caption_vocabulary()
    assert set(default) == {"colour", "kind", "pattern", "size", "setting", "action", "camera", "shot_size"}
    json.dumps(default)
    flat = {p for phrases in default.values() for p in phrases}
    assert "crimson" in flat and "sphere" in flat and "bounces" in flat and "close-up" in flat
    assert not flat & set(heldout_phrases())
    full = {p for phrases in caption_vocabulary(include_heldout=True).values() for p in phrases}
    assert {"scarlet", "orb"} <= full and flat < full
    assert set(HELDOUT_TEMPLATE_MARKERS) <= set(heldout_phrases())
