from storydit.shot_eval import PRINTED, summary


def test_summary_reads_each_runs_rates_in_percent_and_skips_missing_attributes():
    report = {"runs": [
        {"label": "ground-truth", "accuracy": {k: {"rate": 1.0} for k in PRINTED}},
        {"label": "model", "accuracy": {"cameraMoving": {"rate": 0.25}, "action": {"rate": 0.5}}},
    ]}
    s = summary(report)
    assert s["ground-truth"] == {k: 100.0 for k in PRINTED}
    assert s["model"] == {"cameraMoving": 25.0, "action": 50.0}
