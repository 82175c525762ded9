"""The LR schedules of train_common.lr_at."""
import math

import pytest

from storydit.train_common import LR_SCHEDULES, lr_at
from storydit.train_dit import parse_config


def test_warmup_is_shared_and_constant_stays_flat():
    for schedule in LR_SCHEDULES:
        assert lr_at(0, 1.0, 10, 100, schedule) == pytest.approx(0.1)
        assert lr_at(9, 1.0, 10, 100, schedule) == pytest.approx(1.0)
    assert [lr_at(s, 2e-4, 10, 100, "constant") for s in (10, 50, 100, 500)] == [2e-4] * 4


def test_linear_decays_in_a_straight_line_to_the_floor_and_stays_there():
    lrs = [lr_at(s, 1.0, 20, 820, "linear") for s in (20, 220, 420, 620, 820, 5000)]
    assert lrs == pytest.approx([1.0, 0.775, 0.55, 0.325, 0.1, 0.1])


def test_cosine_is_half_way_down_at_mid_run():
    assert lr_at(60, 1.0, 20, 100, "cosine") == pytest.approx(0.1 + 0.9 * 0.5)
    assert lr_at(40, 1.0, 20, 100, "cosine") == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi / 4)))


def test_an_unknown_schedule_is_refused_by_name():
    with pytest.raises(AssertionError, match="unknown LR schedule 'step'"):
        lr_at(50, 1.0, 10, 100, "step")
    with pytest.raises(SystemExit):
        parse_config(["--schedule", "step"])
    assert parse_config(["--schedule", "linear"]).schedule == "linear"
