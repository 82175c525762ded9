"""Read the engine's validation runs: one table row per model, where its readings fail, and two models paired shot by shot.

    python3 -m storydit.validation_report row NAME REPORT [REPORT...]
    python3 -m storydit.validation_report breakdown REPORT [REPORT...]
    python3 -m storydit.validation_report compare A_REPORT[,A_REPORT...] B_REPORT[,B_REPORT...]

Each REPORT is a ``storyboard eval --generate`` report.json of one validation set (`validate_model.sh` makes them);
only its run ``model`` is read.

* ``row``: the five attributes the issue's targets name (colour, kind, setting per shot, action, camera on shots whose
  camera moves), their mean, per set and over all sets, and "same actor and the asked one" per set: a markdown row.
* ``breakdown``: what the judge read instead, for action, colour and camera, and the action per asked camera.
* ``compare``: the same shots judged for two models (say, a sampler setting and its control): for every attribute the
  readings right for A only and for B only, and the two-sided sign-test p of the difference. Neighbouring checkpoints
  differ by a few shots per attribute, so a mean over sets cannot tell them apart; the flips can, when they all lean
  one way.
"""
from __future__ import annotations

import argparse
import collections
import json
import math
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .eval_summary import TARGET_ATTRS, adherence, identity, run_of

CAMERA_MOVES = ("pan_left", "pan_right", "zoom_in", "zoom_out")
PAIRED_ATTRS = ("colour", "kind", "settingPerShot", "action", "camera")


def model_run(path: str) -> dict:
    with open(path) as f:
        run = run_of(json.load(f), "model")
    if run is None:
        raise ValueError(f"{path} has no run 'model' (make it with storyboard eval --generate)")
    return run


def shots(run: dict) -> Iterable[Tuple[str, dict]]:
    """(scene id, shot report) of every shot of the run's judged scenes."""
    for scene in run["sceneReports"]:
        if scene["status"] == "ok":
            for shot in scene["shots"]:
                yield scene["id"], shot


def row(name: str, runs: Sequence[dict]) -> str:
    """A markdown row: each target attribute and the mean as 'set 1 / set 2 / ...', the mean over sets, identity."""
    rates = [adherence(run) for run in runs]
    cells = []
    for key in (*TARGET_ATTRS, "mean"):
        cells.append(" / ".join(_pct(r.get(key)) for r in rates))
    means = [r["mean"] for r in rates if "mean" in r]
    overall = sum(means) / len(means) if means else float("nan")
    ident = " / ".join(_pct(identity(run)["consistent_and_correct"]) for run in runs)
    return f"| {name} | " + " | ".join(cells) + f" | {_pct(overall)} | {ident} |"


def confusion(runs: Sequence[dict], attr: str) -> Dict[str, collections.Counter]:
    """asked value -> Counter of what the judge read (None where it read nothing)."""
    out: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for run in runs:
        for _, shot in shots(run):
            out[shot["expected"][attr]][shot["storyworld"].get(attr)] += 1
    return out


def action_by_camera(runs: Sequence[dict]) -> Dict[str, Tuple[int, int]]:
    """asked camera -> (shots whose action reads right, shots)."""
    out: Dict[str, List[int]] = collections.defaultdict(lambda: [0, 0])
    for run in runs:
        for _, shot in shots(run):
            cell = out[shot["expected"]["camera"]]
            cell[0] += bool(shot["correct"].get("action"))
            cell[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def breakdown(runs: Sequence[dict]) -> List[str]:
    lines = []
    for attr in ("action", "colour", "kind", "camera"):
        lines.append(f"{attr}: asked -> read (right / asked; the misreadings, commonest first)")
        for asked, read in sorted(confusion(runs, attr).items()):
            wrong = ", ".join(f"{k}: {n}" for k, n in read.most_common() if k != asked)
            lines.append(f"  {asked:12s} {read[asked]:3d} / {sum(read.values()):3d}   {wrong}")
    lines.append("action right, by the asked camera")
    for camera, (right, n) in sorted(action_by_camera(runs).items()):
        lines.append(f"  {camera:12s} {right:3d} / {n:3d}")
    return lines


def paired(a_runs: Sequence[dict], b_runs: Sequence[dict]) -> Dict[str, Tuple[int, int, int]]:
    """attribute -> (right for A only, right for B only, shots judged for both): the same shots of the same sets.
    The camera counts on shots whose camera moves (as the target does)."""
    def readings(runs):
        out = {}
        for i, run in enumerate(runs):
            for scene, shot in shots(run):
                out[(i, scene, shot["index"])] = shot
        return out

    a, b = readings(a_runs), readings(b_runs)
    common = sorted(set(a) & set(b))
    out = {}
    for attr in PAIRED_ATTRS:
        only_a = only_b = n = 0
        for key in common:
            if attr == "camera" and a[key]["expected"]["camera"] not in CAMERA_MOVES:
                continue
            ra, rb = a[key]["correct"].get(attr), b[key]["correct"].get(attr)
            if ra is None or rb is None:
                continue
            n += 1
            only_a += bool(ra) and not rb
            only_b += bool(rb) and not ra
        out[attr] = (only_a, only_b, n)
    return out


def sign_test_p(wins: int, losses: int) -> float:
    """Two-sided exact sign test of wins against losses (ties left out)."""
    n = wins + losses
    if n == 0:
        return 1.0
    k = min(wins, losses)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def compare(a_runs: Sequence[dict], b_runs: Sequence[dict]) -> List[str]:
    lines = ["| attribute | right for A only | right for B only | shots | sign test p |", "|---|---|---|---|---|"]
    total_a = total_b = 0
    for attr, (only_a, only_b, n) in paired(a_runs, b_runs).items():
        total_a += only_a
        total_b += only_b
        lines.append(f"| {attr} | {only_a} | {only_b} | {n} | {sign_test_p(only_a, only_b):.3f} |")
    lines.append(f"| all five | {total_a} | {total_b} | | {sign_test_p(total_a, total_b):.3f} |")
    return lines


def _pct(v: Optional[float]) -> str:
    return "–" if v is None or v != v else f"{100 * v:.1f}"


def main(argv: Optional[Sequence[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("row", help="one markdown table row")
    r.add_argument("name")
    r.add_argument("reports", nargs="+")
    b = sub.add_parser("breakdown", help="what the judge read instead")
    b.add_argument("reports", nargs="+")
    c = sub.add_parser("compare", help="two models on the same shots (comma-separated reports, the sets in one order)")
    c.add_argument("a")
    c.add_argument("b")
    args = ap.parse_args(argv)
    if args.command == "row":
        print(row(args.name, [model_run(p) for p in args.reports]))
    elif args.command == "breakdown":
        print("\n".join(breakdown([model_run(p) for p in args.reports])))
    else:
        a_paths, b_paths = args.a.split(","), args.b.split(",")
        if len(a_paths) != len(b_paths):
            raise SystemExit(f"compare: A has {len(a_paths)} reports and B {len(b_paths)}; give the same sets in one order")
        print("\n".join(compare([model_run(p) for p in a_paths], [model_run(p) for p in b_paths])))


if __name__ == "__main__":
    main()
