"""Scene sampling: determinism, shared identity, shot variety, continuation structure."""

import dataclasses

import pytest

from storyworld import sample_scene, vocab
from storyworld.motion import MAX_SCREEN_OFFSET, scene_track
from storyworld.scene import allowed_actions, camera_allowed


def test_same_seed_same_scene_and_different_seeds_differ():
    assert sample_scene(42, 4, 12) == sample_scene(42, 4, 12)
    assert sample_scene(42, 4, 12, mode="continuation") == sample_scene(42, 4, 12, mode="continuation")
    scenes = [sample_scene(s, 3, 8) for s in range(20)]
    identities = {(s.actor, s.setting.name) for s in scenes}
    assert len(identities) == 20
    assert len({s.setting.layout["pattern_seed"] for s in scenes}) == 20


def test_more_shots_extend_the_same_scene_and_split_changes_only_wording():
    three, four = sample_scene(5, 3, 8), sample_scene(5, 4, 8)
    assert four.shots[:3] == three.shots and four.actor == three.actor and four.setting == three.setting
    heldout = sample_scene(5, 3, 8, split="heldout")
    assert heldout.actor == three.actor and heldout.setting == three.setting
    strip = lambda spec: [dataclasses.replace(s, caption="", prompt="") for s in spec.shots]
    assert strip(heldout) == strip(three)
    assert [s.caption for s in heldout.shots] != [s.caption for s in three.shots]


def test_identity_is_shared_and_action_camera_size_vary_between_shots():
    changed = {"action": 0, "camera": 0, "shot_size": 0}
    pairs = 0
    for seed in range(200):
        spec = sample_scene(seed, 4, 8)
        labels_actor = {(spec.actor.kind, spec.actor.hue, spec.actor.pattern, spec.actor.size)}
        assert len(labels_actor) == 1
        for a, b in zip(spec.shots, spec.shots[1:]):
            pairs += 1
            assert a.action != b.action  # the action always changes at a cut
            for field in changed:
                changed[field] += getattr(a, field) != getattr(b, field)
    assert changed["action"] == pairs
    assert changed["camera"] > 0.5 * pairs and changed["shot_size"] > 0.5 * pairs
    # the whole vocabulary shows up
    used = {field: {getattr(s, field) for seed in range(200) for s in sample_scene(seed, 4, 8).shots}
            for field in changed}
    assert used["action"] == set(vocab.ACTION_NAMES)
    assert used["camera"] == set(vocab.CAMERA_NAMES)
    assert used["shot_size"] == set(vocab.SHOT_SIZE_NAMES)


def test_identity_values_come_from_the_named_ranges():
    for seed in range(300):
        actor = sample_scene(seed, 1, 4).actor
        colour = vocab.COLOUR_BY_NAME[actor.colour]
        if colour.hue_range is not None:
            low, high = colour.hue_range
            assert low <= actor.hue <= high or low <= actor.hue - 360 <= high, actor
        assert colour.saturation_range[0] <= actor.saturation <= colour.saturation_range[1]
        assert colour.value_range[0] <= actor.value <= colour.value_range[1]
        assert actor.kind in vocab.KIND_NAMES and actor.size in vocab.SIZE_BY_NAME
        assert actor.pattern in vocab.PATTERN_NAMES


def test_sampled_shots_respect_visibility_rules():
    for seed in range(300):
        for mode in ("multishot", "continuation"):
            spec = sample_scene(seed, 4, 8, mode=mode)
            for shot in spec.shots:
                assert shot.action in allowed_actions(spec.actor)
                if not shot.continues_previous:
                    assert camera_allowed(shot.action, shot.camera, shot.shot_size), shot
    plain_ball = dataclasses.replace(sample_scene(0, 1, 4).actor, kind="ball", pattern="plain")
    assert "spins" not in allowed_actions(plain_ball)
    assert "spins" in allowed_actions(dataclasses.replace(plain_ball, pattern="stripes"))


def test_continuation_is_one_take_split_into_segments():
    for seed in range(40):
        spec = sample_scene(seed, 5, 8, mode="continuation")
        assert [s.continues_previous for s in spec.shots] == [False] + [True] * 4
        assert all(s.action != "falls" for s in spec.shots[1:])  # a fall needs height to start from
        track = scene_track(spec)
        # the actor stays framed: its centre never nears the frame edge (0.5), and the
        # segments chosen to continue the take keep it within MAX_SCREEN_OFFSET
        offset = ((track["x"] - track["cx"]) / track["h"]).abs()  # [S, F]
        assert float(offset.max()) <= 0.4, seed
        assert float(offset[1:].max()) <= MAX_SCREEN_OFFSET + 1e-9, seed
    multishot = sample_scene(3, 5, 8)
    assert not any(s.continues_previous for s in multishot.shots)


@pytest.mark.parametrize("bad", [dict(n_shots=0), dict(n_shots=7), dict(frames_per_shot=1),
                                 dict(mode="montage"), dict(split="test"), dict(seed=-1)])
def test_invalid_arguments_are_rejected_with_a_message(bad):
    args = dict(seed=1, n_shots=3, frames_per_shot=8)
    args.update(bad)
    with pytest.raises(AssertionError, match="must"):
        sample_scene(**args)
