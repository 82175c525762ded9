"""A shipped model's weights under new sampler settings: the same files, a new name, a new evaluation.

A sampler setting (layout guidance, the camera noise's rates) is part of a model folder's config.json, so changing it
makes a new model, judged and shipped as one; the weights, planner and vocabulary stay byte for byte. This writes
such a folder without the checkpoint the weights came from (a new machine keeps no runs/):

    python3 -m storydit.reship --from DIR --out DIR --name NAME [--set KEY=VALUE ...] [--planner DIR]
                               [--metrics evaluation.json]

KEY is a key of config.json's sampler, dotted for a nested one (camera_noise.pan_per_frame); VALUE is JSON (a bare
word is a string). MODEL_CARD.md keeps the source card's architecture, data and training, says which settings
changed from which model, and gets a new evaluation from --metrics (storydit.eval_summary's evaluation.json), with
the source's training curves; manifest.json lists the same files, re-hashed. ship_model.sh runs it with CANDIDATE=DIR.
--planner replaces the layout planner (a box_planner.py folder or file, checked against the model as export checks it;
config.json's "box_planner" and the card's architecture line follow it): the same weights under another planner.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
from dataclasses import fields
from typing import Dict, List, Optional, Sequence, Tuple

from .export import CONFIG_FILE, MANIFEST_FILE, copy_planner, planner_summary, sha256_file, verify_manifest
from .model import StoryDiTConfig
from .model_card import CARD_FILE, conv_parts, limitations_section, metrics_section
from .pipeline import SamplerDefaults

SAMPLER_KEYS = {f.name for f in fields(SamplerDefaults)}
CHANGED = "- Sampler settings changed from "        # the card line that says what this model changed
CONV_PARTS = "- Convolutional parts: "                 # the card's architecture line that names the layout planner
CURVES = "training_curves.png"                     # the weights' training record (eval_summary --runs), kept


def parse_setting(text: str) -> Tuple[List[str], object]:
    """"a.b=1.5" -> (["a", "b"], 1.5); a value that is not JSON is a string; the first key must be a sampler key."""
    if "=" not in text:
        raise ValueError(f"--set {text!r}: expected KEY=VALUE")
    key, raw = text.split("=", 1)
    path = key.split(".")
    if path[0] not in SAMPLER_KEYS:
        raise ValueError(f"--set {text!r}: {path[0]!r} is not a sampler setting (one of {', '.join(sorted(SAMPLER_KEYS))})")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return path, value


def apply_settings(sampler: dict, settings: Sequence[Tuple[List[str], object]]) -> List[str]:
    """Sets each (path, value) in the sampler dict; returns "key = value" for the card, in the order given."""
    said = []
    for path, value in settings:
        node = sampler
        for part in path[:-1]:
            if not isinstance(node.get(part), dict):
                raise ValueError(f"sampler.{'.'.join(path)}: sampler.{part} is not a group of settings")
            node = node[part]
        node[path[-1]] = value
        said.append(f"`{'.'.join(path)}` = {json.dumps(value)}")
    return said


def card_devices(card: str) -> List[str]:
    """The devices of the source card's training table (its fourth column), e.g. ["cpu"]."""
    devices = set()
    for line in card.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0].startswith("stage") and cells[3]:
            devices.update(d.strip() for d in cells[3].split(","))
    return sorted(devices)


def rewrite_card(card: str, name: str, source_name: str, said: Sequence[str], dit_cfg: StoryDiTConfig,
                 metrics: Optional[dict], curves: bool = False, planner: Optional[str] = None) -> str:
    """The source card under a new title, its evaluation and limitations replaced; a line naming the changed settings
    closes its training section (when there are any); `curves`: the folder keeps the source's CURVES, shown after the
    evaluation unless the metrics show their own; `planner`: the layout planner that replaced the source's (its
    architecture line is written anew, model_card.conv_parts)."""
    head, sep, _ = card.partition("\n## Evaluation")
    if not sep:
        raise ValueError("the source MODEL_CARD.md has no '## Evaluation' section")
    lines = head.rstrip("\n").splitlines()
    lines[0] = f"# Model card: {name}"
    if planner is not None:
        lines = [(conv_parts(dit_cfg, planner_summary(planner)) or [line])[0] if line.startswith(CONV_PARTS) else line
                 for line in lines]
        said = [*said, f"the layout planner `{os.path.normpath(planner)}`"]
    if said:
        kept = "the same weights and vocabulary" if planner is not None else "the same weights, planner and vocabulary"
        lines = [line for line in lines if not line.startswith(CHANGED)]   # a reship of a reship says the latest
        lines.append(f"{CHANGED}{source_name} ({kept}): {', '.join(said)}.")
    summaries = [{"logged": True, "devices": card_devices(card)}]
    evaluation = metrics_section(metrics)
    if curves and not any(CURVES in line for line in evaluation):
        evaluation += ["", "### Training curves", "", f"![training curves]({CURVES})"]
    return "\n".join(lines + ["", "## Evaluation", "", *evaluation, "", *limitations_section(dit_cfg, summaries, metrics)])


def reship(source: str, out: str, name: str, settings: Sequence[str] = (), metrics: Optional[dict] = None,
           planner: Optional[str] = None) -> str:
    """Writes the new folder at out (which must not exist) and returns it; the source is only read. `planner`
    replaces the source's layout planner (export.copy_planner's checks; refused for a model that reads none)."""
    manifest = verify_manifest(source)
    if os.path.abspath(source) == os.path.abspath(out):
        raise ValueError("--out must be a new folder, not the source")
    if os.path.exists(out):
        raise ValueError(f"{out} exists: reship writes a new folder")
    parsed = [parse_setting(s) for s in settings]           # every setting read before anything is written
    with open(os.path.join(source, CONFIG_FILE)) as f:
        config = json.load(f)
    with open(os.path.join(source, CARD_FILE), encoding="utf-8") as f:
        card = f.read()
    source_name = config["name"]
    if planner is not None and "box_planner" not in config:
        raise ValueError(f"{source} reads no layout planner (config.json has no box_planner): --planner has no place")
    said = apply_settings(config["sampler"], parsed)
    config["name"] = name
    tmp = out + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    try:
        for entry in manifest["files"]:
            if entry["path"] not in (CONFIG_FILE, CARD_FILE):
                shutil.copyfile(os.path.join(source, entry["path"]), os.path.join(tmp, entry["path"]))
        if planner is not None:
            try:                                             # checked, then copied over the source's planner
                config["box_planner"] = copy_planner(planner, tmp, StoryDiTConfig.from_dict(config["dit"]))
            except AssertionError as e:
                raise ValueError(str(e)) from None
        curves = os.path.isfile(os.path.join(source, CURVES))
        if curves:
            shutil.copyfile(os.path.join(source, CURVES), os.path.join(tmp, CURVES))
        with open(os.path.join(tmp, CONFIG_FILE), "w") as f:
            json.dump(config, f, indent=2, sort_keys=True)
        with open(os.path.join(tmp, CARD_FILE), "w", encoding="utf-8") as f:
            f.write(rewrite_card(card, name, source_name, said, StoryDiTConfig.from_dict(config["dit"]), metrics,
                                 curves, planner))
        files = [{"path": e["path"], "sha256": sha256_file(os.path.join(tmp, e["path"])),
                  "bytes": os.path.getsize(os.path.join(tmp, e["path"]))} for e in manifest["files"]]
        with open(os.path.join(tmp, MANIFEST_FILE), "w") as f:
            json.dump({**manifest, "name": name, "files": files}, f, indent=2)
        verify_manifest(tmp)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def main(argv: Sequence[str] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--from", dest="source", required=True, help="an exported model folder (storydit.export)")
    p.add_argument("--out", required=True, help="the new folder (must not exist)")
    p.add_argument("--name", required=True, help="the new model's name (config.json, manifest.json, the card)")
    p.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                   help="a sampler setting, e.g. layout_guidance=every_chunk or camera_noise.pan_per_frame=1.536")
    p.add_argument("--planner", default=None,
                   help="a layout planner (box_planner.py folder or file) to replace the source's, e.g. planners/acting")
    p.add_argument("--metrics", default=None, help="storydit.eval_summary's evaluation.json for the card")
    a = p.parse_args(argv)
    metrics: Optional[Dict] = None
    if a.metrics:
        with open(a.metrics) as f:
            metrics = json.load(f)
    try:
        print(f"reshipped {reship(a.source, a.out, a.name, a.settings, metrics, a.planner)} as {a.name}")
    except ValueError as e:
        p.error(str(e))


if __name__ == "__main__":
    main()
