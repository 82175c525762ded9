import json

import pytest

from storydit import validation_report as vr

ATTRS = ("colour", "kind", "setting", "settingPerShot", "action", "camera")


def _shot(index, camera, right, read_action="spins", asked_action="falls"):
    expected = {"colour": "red", "kind": "ball", "setting": "snow", "settingPerShot": "snow",
                "action": asked_action, "camera": camera}
    correct = {a: right.get(a, True) for a in ATTRS}
    return {"index": index, "expected": expected, "correct": correct,
            "storyworld": {"colour": "red" if correct["colour"] else "blue", "kind": "ball", "camera": camera,
                           "action": asked_action if correct["action"] else read_action}}


def _report(tmp_path, name, shots, rates):
    run = {"label": "model",
           "accuracy": {k: {"rate": v} for k, v in rates.items()},
           "sceneReports": [{"id": "clip0000", "status": "ok", "shots": shots,
                             "storyworld": {"identity": [{"a": 0, "b": 1, "consistent": True}]}},
                            {"id": "clip0001", "status": "failed", "shots": []}]}
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"runs": [{"label": "ground-truth", "sceneReports": []}, run]}))
    return str(path)


RATES = {"colour": 0.5, "kind": 1.0, "settingPerShot": 1.0, "action": 0.5, "cameraMoving": 1.0}


def test_row_gives_each_target_per_set_the_mean_over_sets_and_identity(tmp_path):
    shots = [_shot(0, "pan_left", {}), _shot(1, "static", {"colour": False, "action": False})]
    a = vr.model_run(_report(tmp_path, "a", shots, RATES))
    b = vr.model_run(_report(tmp_path, "b", shots, dict(RATES, kind=0.5)))
    line = vr.row("v9", [a, b])
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[0] == "v9"
    assert cells[1] == "50.0 / 50.0"            # colour
    assert cells[2] == "100.0 / 50.0"           # kind
    assert cells[6] == "80.0 / 70.0"            # mean of five per set
    assert cells[7] == "75.0"                   # over sets
    assert cells[8] == "0.0 / 0.0"              # the one pair holds, but shot 1's colour is wrong


def test_breakdown_names_what_was_read_instead(tmp_path):
    shots = [_shot(0, "pan_left", {"action": False}, read_action="spins"),
             _shot(1, "pan_left", {"action": False}, read_action="bounces"),
             _shot(2, "static", {})]
    lines = vr.breakdown([vr.model_run(_report(tmp_path, "a", shots, RATES))])
    falls = next(line for line in lines if line.strip().startswith("falls"))
    assert "1 /   3" in falls and "spins: 1" in falls and "bounces: 1" in falls
    by_camera = lines[lines.index("action right, by the asked camera") + 1:]
    assert any("pan_left" in line and "0 /   2" in line for line in by_camera)


def test_compare_counts_flips_and_the_camera_only_where_it_moves(tmp_path):
    a = [_shot(0, "pan_left", {"action": True, "camera": True}), _shot(1, "static", {"action": True, "camera": False})]
    b = [_shot(0, "pan_left", {"action": False, "camera": False}), _shot(1, "static", {"action": False, "camera": True})]
    flips = vr.paired([vr.model_run(_report(tmp_path, "a", a, RATES))], [vr.model_run(_report(tmp_path, "b", b, RATES))])
    assert flips["action"] == (2, 0, 2)
    assert flips["camera"] == (1, 0, 1)          # the static shot's camera is not counted
    assert flips["colour"] == (0, 0, 2)


def test_sign_test_matches_the_binomial():
    assert vr.sign_test_p(0, 0) == 1.0
    assert vr.sign_test_p(5, 5) == 1.0
    assert vr.sign_test_p(8, 0) == pytest.approx(2 / 256)
    assert vr.sign_test_p(2, 10) == pytest.approx(vr.sign_test_p(10, 2))
    assert vr.sign_test_p(2, 10) == pytest.approx(2 * (1 + 12 + 66) / 4096)


def test_a_report_without_a_model_run_is_refused_by_name(tmp_path):
    path = tmp_path / "gt.json"
    path.write_text(json.dumps({"runs": [{"label": "ground-truth", "sceneReports": []}]}))
    with pytest.raises(ValueError, match="gt.json has no run 'model'"):
        vr.model_run(str(path))
