"""The storyworld domain as data: what can appear in a scene and the words for it.

Every name used in labels (``"ball"``, ``"pan_left"``, ...) is a key of one of the
tables below; every word a caption may use is a phrase listed here.  Phrases are
split into ``train`` (used by ``split="train"``) and ``heldout`` (only ever used by
``split="heldout"``), so evaluation can measure generalisation to unseen wording.

Geometry conventions used by the numbers here: world units are fractions of the
height of a *wide* frame; y grows downwards like image rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Optional, Tuple, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Phrases(Generic[T]):
    """Interchangeable wordings of one thing; ``heldout`` ones never appear in train captions."""

    train: Tuple[T, ...]
    heldout: Tuple[T, ...] = ()


@dataclass(frozen=True)
class Verb:
    """An action phrase in the two forms the caption templates need."""

    present: str  # "bounces"  (a red ball bounces ...)
    gerund: str  # "bouncing" (close-up of a red ball bouncing ...)


@dataclass(frozen=True)
class ActorKind:
    name: str
    nouns: Phrases[str]
    grounded: bool  # rests on the floor; False = hovers in the sky (birds)
    rotationally_symmetric: bool  # a plain one spinning looks static, so "spins" is not sampled


@dataclass(frozen=True)
class Colour:
    name: str
    adjectives: Phrases[str]
    # HSV ranges the exact per-scene colour is drawn from. Hue in degrees; the low end
    # may be negative (red wraps around 0). None = achromatic (white/black are defined
    # by saturation and value instead).
    hue_range: Optional[Tuple[float, float]]
    saturation_range: Tuple[float, float]
    value_range: Tuple[float, float]


@dataclass(frozen=True)
class Pattern:
    name: str
    adjectives: Phrases[str]  # empty train tuple = never mentioned


@dataclass(frozen=True)
class Size:
    name: str
    adjectives: Phrases[str]
    radius: float  # actor radius in world units (fraction of a wide frame's height)


@dataclass(frozen=True)
class Setting:
    name: str
    places: Phrases[str]  # prepositional phrases: "on the beach"
    prop_spacing: float  # world-x distance between prop slots (trees, buildings)


@dataclass(frozen=True)
class Action:
    name: str
    verbs: Phrases[Verb]


@dataclass(frozen=True)
class Camera:
    name: str
    clauses: Phrases[str]  # full clauses: "the camera pans left"


@dataclass(frozen=True)
class ShotSize:
    name: str
    nouns: Phrases[str]
    # Fraction of the frame height the actor's diameter fills; None = wide, which
    # instead shows a fixed view height of 1 world unit (the whole setting).
    actor_fill: Optional[float]


def _v(*pairs: Tuple[str, str]) -> Tuple[Verb, ...]:
    return tuple(Verb(present, gerund) for present, gerund in pairs)


ACTOR_KINDS: Tuple[ActorKind, ...] = (
    ActorKind("ball", Phrases(("ball", "sphere"), ("orb",)), grounded=True, rotationally_symmetric=True),
    ActorKind("cube", Phrases(("cube", "box"), ("block",)), grounded=True, rotationally_symmetric=False),
    ActorKind("pyramid", Phrases(("pyramid", "triangle"), ("wedge",)), grounded=True, rotationally_symmetric=False),
    ActorKind("star", Phrases(("star", "star shape"), ("pentagram",)), grounded=True, rotationally_symmetric=False),
    ActorKind("ring", Phrases(("ring", "donut"), ("hoop",)), grounded=True, rotationally_symmetric=True),
    ActorKind("bird", Phrases(("bird", "flying bird"), ("songbird",)), grounded=False, rotationally_symmetric=False),
    ActorKind("fish", Phrases(("fish",), ("minnow",)), grounded=True, rotationally_symmetric=False),
)

_CHROMA_S = (0.65, 0.95)
_CHROMA_V = (0.75, 0.95)

COLOURS: Tuple[Colour, ...] = (
    Colour("red", Phrases(("red", "crimson"), ("scarlet",)), (-10.0, 8.0), _CHROMA_S, _CHROMA_V),
    Colour("orange", Phrases(("orange", "tangerine"), ("amber",)), (20.0, 34.0), _CHROMA_S, _CHROMA_V),
    Colour("yellow", Phrases(("yellow", "golden"), ("lemon",)), (48.0, 60.0), (0.70, 0.95), (0.85, 0.98)),
    Colour("green", Phrases(("green", "emerald"), ("lime",)), (95.0, 140.0), _CHROMA_S, _CHROMA_V),
    Colour("teal", Phrases(("teal", "cyan"), ("turquoise",)), (172.0, 190.0), _CHROMA_S, _CHROMA_V),
    Colour("blue", Phrases(("blue", "cobalt"), ("sapphire",)), (212.0, 235.0), _CHROMA_S, _CHROMA_V),
    Colour("purple", Phrases(("purple", "violet"), ("amethyst",)), (265.0, 285.0), _CHROMA_S, _CHROMA_V),
    Colour("pink", Phrases(("pink", "rose"), ("fuchsia",)), (318.0, 338.0), (0.45, 0.70), (0.88, 0.98)),
    Colour("white", Phrases(("white", "ivory"), ("pearl",)), None, (0.0, 0.06), (0.92, 0.99)),
    Colour("black", Phrases(("black", "ebony"), ("onyx",)), None, (0.0, 0.12), (0.08, 0.16)),
)

PATTERNS: Tuple[Pattern, ...] = (
    Pattern("plain", Phrases(("plain",))),
    Pattern("stripes", Phrases(("striped", "stripy"), ("banded",))),
    Pattern("dots", Phrases(("spotted", "polka-dot"), ("dotted",))),
)

SIZES: Tuple[Size, ...] = (
    Size("small", Phrases(("small", "little"), ("tiny",)), radius=0.075),
    Size("medium", Phrases(("medium-sized",)), radius=0.10),
    Size("large", Phrases(("large", "big"), ("huge",)), radius=0.135),
)

SETTINGS: Tuple[Setting, ...] = (
    Setting("meadow", Phrases(("in a meadow", "on the grass", "in a grassy field"), ("on the prairie",)), 0.42),
    Setting("beach", Phrases(("on the beach", "by the sea"), ("on the seashore",)), 0.5),
    Setting("night", Phrases(("under the night sky", "at night"), ("beneath the stars",)), 0.5),
    Setting("desert", Phrases(("in the desert", "among the sand dunes"), ("in the wasteland",)), 0.6),
    Setting("snow", Phrases(("in the snow", "on a snowy field"), ("on the tundra",)), 0.3),
    Setting("city", Phrases(("in the city", "downtown"), ("among the skyscrapers",)), 0.17),
)

ACTIONS: Tuple[Action, ...] = (
    Action("moves_left", Phrases(
        _v(("moves left", "moving left"), ("goes left", "going left"), ("slides to the left", "sliding to the left")),
        _v(("drifts left", "drifting left")))),
    Action("moves_right", Phrases(
        _v(("moves right", "moving right"), ("goes right", "going right"), ("slides to the right", "sliding to the right")),
        _v(("drifts right", "drifting right")))),
    Action("bounces", Phrases(
        _v(("bounces", "bouncing"), ("hops", "hopping")),
        _v(("jumps up and down", "jumping up and down")))),
    Action("spins", Phrases(
        _v(("spins", "spinning"), ("rotates", "rotating")),
        _v(("twirls", "twirling")))),
    Action("grows", Phrases(
        _v(("grows", "growing"), ("gets bigger", "getting bigger")),
        _v(("expands", "expanding")))),
    Action("shrinks", Phrases(
        _v(("shrinks", "shrinking"), ("gets smaller", "getting smaller")),
        _v(("dwindles", "dwindling")))),
    Action("falls", Phrases(
        _v(("falls", "falling"), ("drops down", "dropping down")),
        _v(("tumbles down", "tumbling down")))),
    Action("approaches", Phrases(
        _v(("approaches", "approaching"), ("comes closer", "coming closer")),
        _v(("moves toward the camera", "moving toward the camera")))),
)

CAMERAS: Tuple[Camera, ...] = (
    Camera("static", Phrases(("the camera is still", "the camera stays static"), ("the view holds steady",))),
    Camera("pan_left", Phrases(("the camera pans left", "the camera pans to the left"), ("the view sweeps left",))),
    Camera("pan_right", Phrases(("the camera pans right", "the camera pans to the right"), ("the view sweeps right",))),
    Camera("zoom_in", Phrases(("the camera zooms in", "the camera pushes in"), ("the view tightens",))),
    Camera("zoom_out", Phrases(("the camera zooms out", "the camera pulls back"), ("the view widens",))),
)

SHOT_SIZES: Tuple[ShotSize, ...] = (
    ShotSize("wide", Phrases(("wide shot", "long shot"), ("establishing shot",)), actor_fill=None),
    ShotSize("medium", Phrases(("medium shot", "mid shot"), ("mid-range shot",)), actor_fill=0.42),
    ShotSize("close_up", Phrases(("close-up", "close shot"), ("tight shot",)), actor_fill=0.64),
)


def _by_name(table):
    return {item.name: item for item in table}


KIND_BY_NAME = _by_name(ACTOR_KINDS)
COLOUR_BY_NAME = _by_name(COLOURS)
PATTERN_BY_NAME = _by_name(PATTERNS)
SIZE_BY_NAME = _by_name(SIZES)
SETTING_BY_NAME = _by_name(SETTINGS)
ACTION_BY_NAME = _by_name(ACTIONS)
CAMERA_BY_NAME = _by_name(CAMERAS)
SHOT_SIZE_BY_NAME = _by_name(SHOT_SIZES)

# Integer ids (position in the tables) used by the renderer to group work.
KIND_NAMES = tuple(k.name for k in ACTOR_KINDS)
SETTING_NAMES = tuple(s.name for s in SETTINGS)
PATTERN_NAMES = tuple(p.name for p in PATTERNS)
ACTION_NAMES = tuple(a.name for a in ACTIONS)
CAMERA_NAMES = tuple(c.name for c in CAMERAS)
SHOT_SIZE_NAMES = tuple(s.name for s in SHOT_SIZES)


# --- the vocabulary as a document (shipped in every model folder as vocabulary.json) ----------------------------
VOCABULARY_FORMAT = "storyworld-vocabulary/1"


def _class(name: str, phrases, **extra) -> dict:
    return {"label": name, "phrases": list(phrases), **extra}


def vocabulary_document() -> dict:
    """The names a label may use and the "train" wording of each, as the model was taught them (held-out
    wording is kept out: it exists to measure generalisation). Groups in the order prompts read; colours carry
    the renderer's HSV ranges (hue in degrees, None = achromatic). The Java side (domain ModelVocabulary) reads
    this for prompt completion and checks the judge's tables against it."""
    def colour(c: Colour) -> dict:
        hue = list(c.hue_range) if c.hue_range is not None else None
        return _class(c.name, c.adjectives.train, hue=hue, saturation=list(c.saturation_range),
                      value=list(c.value_range))

    def action(a: Action) -> dict:
        return _class(a.name, [v.present for v in a.verbs.train] + [v.gerund for v in a.verbs.train])

    groups = [
        ("kind", [_class(k.name, k.nouns.train) for k in ACTOR_KINDS]),
        ("colour", [colour(c) for c in COLOURS]),
        ("pattern", [_class(p.name, p.adjectives.train) for p in PATTERNS]),
        ("size", [_class(s.name, s.adjectives.train) for s in SIZES]),
        ("setting", [_class(s.name, s.places.train) for s in SETTINGS]),
        ("action", [action(a) for a in ACTIONS]),
        ("camera", [_class(c.name, c.clauses.train) for c in CAMERAS]),
        ("shot size", [_class(s.name, s.nouns.train) for s in SHOT_SIZES]),
    ]
    return {"format": VOCABULARY_FORMAT, "source": "training/storyworld/vocab.py",
            "groups": [{"name": name, "classes": classes} for name, classes in groups]}
