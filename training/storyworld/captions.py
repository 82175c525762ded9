"""Caption grammar: one free-text caption per shot and an optional scene caption.

A caption mentions the actor (optional size, optional pattern, colour, kind), the
setting, the action, the camera move and the shot size, through interchangeable
phrases (vocab.py) poured into sentence templates (below). Everything is lower case.

Held-out wording: the ``heldout`` phrases of vocab.py and the ``HELDOUT_*_TEMPLATES``
below never occur in ``split="train"``; every ``split="heldout"`` caption uses at least
one of them. Each held-out template contains a fixed marker phrase (``we see``,
``framed as``, ``scenes with``) that no train caption contains, so tests can check it.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import numpy as np

from . import vocab

# Slots: {np} actor noun phrase, {pres}/{ger} action (present / gerund), {place}
# setting phrase, {cam} camera clause, {shot} shot-size noun, {a_shot} with article.
TRAIN_SHOT_TEMPLATES = (
    "{np} {pres} {place}, {cam}, {shot}",
    "{shot} of {np} {ger} {place} as {cam}",
    "{place}, {np} {pres} while {cam}; {shot}",
    "{shot}: {np} {pres} {place} and {cam}",
)
HELDOUT_SHOT_TEMPLATES = (
    "we see {np} {ger} {place}, {shot}, {cam}",
    "{cam} and {np} {pres} {place}, framed as {a_shot}",
)
TRAIN_SCENE_TEMPLATES = (
    "{np} {place}",
    "a story of {np} {place}",
)
HELDOUT_SCENE_TEMPLATES = (
    "scenes with {np} {place}",
)
# A shot's content alone (actor, action, place), for models that take camera and framing as class labels:
# what a creator types in the prompt field, the camera and shot size being separate fields of the shot.
TRAIN_CONTENT_TEMPLATES = (
    "{np} {pres} {place}",
    "{np} {ger} {place}",
    "{place}, {np} {pres}",
    "{place}: {np} {ger}",
)
HELDOUT_CONTENT_TEMPLATES = (
    "we see {np} {ger} {place}",
)
HELDOUT_TEMPLATE_MARKERS = ("we see", "framed as", "scenes with")

SIZE_MENTION_PROBABILITY = 0.5
PATTERN_MENTION_PROBABILITY = 0.85  # striped/spotted actors; "plain" is said rarely
PLAIN_MENTION_PROBABILITY = 0.15
HELDOUT_SLOT_PROBABILITY = 0.35  # heldout split: chance each slot uses a held-out phrase


def _article(phrase: str) -> str:
    return ("an " if phrase[0] in "aeio" else "a ") + phrase


class _Chooser:
    """Picks train or held-out phrases; in the held-out split forces at least one held-out pick."""

    def __init__(self, rng: np.random.RandomState, split: str):
        assert split in ("train", "heldout"), f"split must be 'train' or 'heldout', got {split!r}"
        self.rng, self.split = rng, split

    def wants_heldout(self) -> bool:
        return self.split == "heldout" and self.rng.random_sample() < HELDOUT_SLOT_PROBABILITY

    def pick(self, phrases: vocab.Phrases, heldout: bool):
        pool = phrases.heldout if heldout and phrases.heldout else phrases.train
        return pool[self.rng.randint(len(pool))]


def _slots(chooser: _Chooser, actor, setting: str, forced: Optional[str],
           action: Optional[str] = None, camera: Optional[str] = None,
           shot_size: Optional[str] = None) -> Dict[str, str]:
    """Fill every slot; ``forced`` names the slot that must use a held-out phrase."""
    def use_heldout(slot: str) -> bool:
        return forced == slot or chooser.wants_heldout()

    rng = chooser.rng
    words: List[str] = []
    size = vocab.SIZE_BY_NAME[actor.size]
    if (rng.random_sample() < SIZE_MENTION_PROBABILITY or forced == "size") and size.adjectives.train:
        words.append(chooser.pick(size.adjectives, use_heldout("size")))
    pattern = vocab.PATTERN_BY_NAME[actor.pattern]
    mention = PLAIN_MENTION_PROBABILITY if actor.pattern == "plain" else PATTERN_MENTION_PROBABILITY
    if rng.random_sample() < mention or forced == "pattern":
        words.append(chooser.pick(pattern.adjectives, use_heldout("pattern")))
    words.append(chooser.pick(vocab.COLOUR_BY_NAME[actor.colour].adjectives, use_heldout("colour")))
    words.append(chooser.pick(vocab.KIND_BY_NAME[actor.kind].nouns, use_heldout("kind")))
    slots = {"np": _article(" ".join(words)),
             "place": chooser.pick(vocab.SETTING_BY_NAME[setting].places, use_heldout("place"))}
    if action is not None:
        verb = chooser.pick(vocab.ACTION_BY_NAME[action].verbs, use_heldout("action"))
        slots.update(pres=verb.present, ger=verb.gerund,
                     cam=chooser.pick(vocab.CAMERA_BY_NAME[camera].clauses, use_heldout("cam")))
        shot = chooser.pick(vocab.SHOT_SIZE_BY_NAME[shot_size].nouns, use_heldout("shot"))
        slots.update(shot=shot, a_shot=_article(shot))
    return slots


def _forced_slot(chooser: _Chooser, actor, candidates: Sequence[str]) -> Optional[str]:
    """Held-out split: the one slot (or 'template') guaranteed to use held-out wording."""
    if chooser.split != "heldout":
        return None
    available = [c for c in candidates
                 if not (c == "size" and not vocab.SIZE_BY_NAME[actor.size].adjectives.heldout)
                 and not (c == "pattern" and not vocab.PATTERN_BY_NAME[actor.pattern].adjectives.heldout)]
    return available[chooser.rng.randint(len(available))]


def _render(chooser: _Chooser, train_templates, heldout_templates, forced, slots) -> str:
    heldout = forced == "template" or chooser.wants_heldout()
    pool = heldout_templates if heldout else train_templates
    return pool[chooser.rng.randint(len(pool))].format(**slots).lower()


_SHOT_SLOTS = ("template", "size", "pattern", "colour", "kind", "place", "action", "cam", "shot")
_SCENE_SLOTS = ("template", "size", "pattern", "colour", "kind", "place")


def shot_caption(rng: np.random.RandomState, actor, setting: str, action: str, camera: str,
                 shot_size: str, split: str = "train") -> str:
    """One caption for one shot, e.g. "close-up of a red ball bouncing by the sea as the camera pans left"."""
    chooser = _Chooser(rng, split)
    forced = _forced_slot(chooser, actor, _SHOT_SLOTS)
    slots = _slots(chooser, actor, setting, forced, action, camera, shot_size)
    return _render(chooser, TRAIN_SHOT_TEMPLATES, HELDOUT_SHOT_TEMPLATES, forced, slots)


_PROMPT_SLOTS = ("size", "pattern", "colour", "kind", "place", "action")


def shot_prompt(rng: np.random.RandomState, actor, setting: str, action: str, split: str = "train") -> str:
    """What a creator types for a shot in the app: "{np} {pres} {place}", e.g. "a red ball bounces by the sea".

    The app appends its camera and shot-size phrases (", the camera pans left, wide shot"), which makes the
    model prompt the first train template; in the held-out split one content slot is forced to held-out wording.
    """
    chooser = _Chooser(rng, split)
    forced = _forced_slot(chooser, actor, _PROMPT_SLOTS)
    slots = _slots(chooser, actor, setting, forced, action, "static", "wide")
    return "{np} {pres} {place}".format(**slots).lower()


def shot_content_caption(rng: np.random.RandomState, actor, setting: str, action: str,
                         split: str = "train") -> str:
    """A shot's content without camera or framing words, in varied templates, e.g. "a red ball bouncing by the
    sea"; the held-out split forces one content slot (or the template) to held-out wording."""
    chooser = _Chooser(rng, split)
    forced = _forced_slot(chooser, actor, ("template",) + _PROMPT_SLOTS)
    slots = _slots(chooser, actor, setting, forced, action, "static", "wide")
    return _render(chooser, TRAIN_CONTENT_TEMPLATES, HELDOUT_CONTENT_TEMPLATES, forced, slots)


def scene_caption(rng: np.random.RandomState, actor, setting: str, split: str = "train") -> str:
    """A global caption for the scene: the actor and the setting, e.g. "a striped crimson ball on the beach"."""
    chooser = _Chooser(rng, split)
    forced = _forced_slot(chooser, actor, _SCENE_SLOTS)
    slots = _slots(chooser, actor, setting, forced)
    return _render(chooser, TRAIN_SCENE_TEMPLATES, HELDOUT_SCENE_TEMPLATES, forced, slots)


_CATEGORIES = {
    "colour": (vocab.COLOURS, "adjectives"),
    "kind": (vocab.ACTOR_KINDS, "nouns"),
    "pattern": (vocab.PATTERNS, "adjectives"),
    "size": (vocab.SIZES, "adjectives"),
    "setting": (vocab.SETTINGS, "places"),
    "action": (vocab.ACTIONS, "verbs"),
    "camera": (vocab.CAMERAS, "clauses"),
    "shot_size": (vocab.SHOT_SIZES, "nouns"),
}


def _phrases_of(category: str, include_train: bool, include_heldout: bool) -> List[str]:
    table, field = _CATEGORIES[category]
    out = []
    for item in table:
        phrases = getattr(item, field)
        chosen = (phrases.train if include_train else ()) + (phrases.heldout if include_heldout else ())
        out.extend(p.present if isinstance(p, vocab.Verb) else p for p in chosen)
    return sorted(set(out))


def caption_vocabulary(include_heldout: bool = False) -> Dict[str, List[str]]:
    """Phrases an editor can offer as completions, by category (action verbs in present form).

    Held-out phrasings are excluded by default: they are reserved for evaluation.
    """
    return {category: _phrases_of(category, True, include_heldout) for category in _CATEGORIES}


def heldout_phrases() -> List[str]:
    """Every held-out phrase (synonyms of all categories, gerunds, template markers)."""
    out = set(HELDOUT_TEMPLATE_MARKERS)
    for category in _CATEGORIES:
        out.update(_phrases_of(category, False, True))
    for action in vocab.ACTIONS:
        out.update(v.gerund for v in action.verbs.heldout)
    return sorted(out)
