"""Stage-0 judge: single frames generated from shot captions, scored by the product's storyworld judge.

    python3 -m storydit.frame_eval --out runs/frame-eval [--count 64] [--seed 8000000] \
        --run NAME=RUN_DIR [--run ...] [--still NAME=EXPORT_DIR ...] [--steps 24] [--shift 2] [--guidance 3] [--sampler euler]

1. Ground truth: ``count`` one-shot validation scenes (seeds from 8,000,000, held-out wording, as the
   validation set), each reduced to a still: its first frame, shown twice (the judge needs two frames).
2. Every run's newest EMA weights generate one frame per scene from the shot's caption (one batched pass per
   step, CFG batched), written as a copy of the ground truth with the frames replaced (`<out>/<NAME>/`).
3. ``storyboard eval`` judges all of them in one report (`<out>/judge/report.json`); colour, kind, pattern and
   setting are the still-frame attributes. Action and camera need motion and are not scored here.
   `--still` adds existing copies of the ground truth (e.g. `storydit.vae_roundtrip` of it: a VAE's ceiling) to
   the same report and grid. `--critic NAME=DIR` adds the kind accuracy a frame critic reads on every row.
4. `<out>/summary.json` (per run: steps, CPU-minutes, adherence per attribute, the kind contrast, tokens per
   frame, denoiser GFLOP and seconds per frame) and `<out>/grid.png` (rows: ground truth, then each run;
   columns: scenes).

The kind contrast (session 13) is the judge's shape fit (IoU) of the asked kind minus the mean fit of the other
kinds, averaged over the stills, with its standard error. It is 0 for a drawing that holds no information about
the kind (a blob fits every kind alike), whatever its size or place; the ground truth scores about +0.24. Kind
accuracy at chance level (14 %) moves by several points from noise alone over 128 stills; the contrast does not.
The summary also gives `actor_area_ratio`: the median over the stills of the actor-hue area generated over the
ground truth's (1 = drawn at its size; a judge-free proxy).
`--report-only` prints both for an existing `<out>/judge/report.json` without generating anything.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import time
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from PIL import Image

from . import checkpoint as ckpt
from . import flow
from .actor_box import boxes_to_masks
from .codec import load_codec
from .frame_critic import load_critic
from .model import StoryDiT, StoryDiTConfig, pool_caption
from .pipeline import SamplerDefaults, denoise
from .text import make_text_encoder
from .train_dit import shot_prompt

VALIDATION_SEED = 8_000_000
STILL_FRAMES = 2                     # the judge's minimum clip length
GRID_COLUMNS = 16
STILL_ATTRIBUTES = ("colour", "kind", "pattern", "setting")   # what one frame shows; the judge has no size check
ACTOR_HUE_TOLERANCE = 20.0           # degrees: actor_hue_mask
JAR = os.path.join(os.path.dirname(__file__), "..", "..", "app", "target", "storyboard.jar")


def write_ground_truth(out_dir: str, count: int, seed: int) -> None:
    """One-shot held-out-wording scenes as stills (frame 0 repeated)."""
    from storyworld.export import export_clips, frame_name
    if os.path.isfile(os.path.join(out_dir, "clips.json")):
        return
    export_clips(out_dir, count, seed, 64, shots=1, frames=STILL_FRAMES, split="heldout")
    for clip in sorted(os.listdir(out_dir)):
        d = os.path.join(out_dir, clip)
        if os.path.isdir(d):
            for f in range(1, STILL_FRAMES):
                shutil.copyfile(os.path.join(d, frame_name(0, 0)), os.path.join(d, frame_name(0, f)))


def clips(gt_dir: str) -> List[Tuple[str, str]]:
    """[(clip id, shot caption)] in export order."""
    with open(os.path.join(gt_dir, "clips.json"), encoding="utf-8") as f:
        index = json.load(f)
    return [(c["id"], c["shot_captions"][0]) for c in index["clips"]]


def shot_conditions(gt_dir: str, cfg: StoryDiTConfig) -> Tuple[List[str], Optional[torch.Tensor]]:
    """What the model reads for each still, as training fed it: a shot_cond model gets the shot's content
    prompt plus its [camera, shot size] labels (N, 1, 2; a kind_label_oracle model also its [kind]); any other
    model the full caption and no labels. The scenes are re-sampled from the export's seeds (sample_scene is
    deterministic), so older exports work too."""
    from storyworld.scene import sample_scene
    with open(os.path.join(gt_dir, "clips.json"), encoding="utf-8") as f:
        index = json.load(f)
    if not cfg.shot_cond:
        return [c["shot_captions"][0] for c in index["clips"]], None
    specs = [sample_scene(c["seed"], index["shots"], index["frames"], mode=index["mode"], split=index["split"])
             for c in index["clips"]]
    for spec, c in zip(specs, index["clips"]):
        assert spec.shots[0].caption == c["shot_captions"][0], f"{c['id']}: re-sampled scene differs from the export"
    prompts = [shot_prompt(spec, 0) for spec in specs]
    kinds = [s.actor.kind if cfg.kind_label_oracle else None for s in specs]
    labels = torch.tensor([[cfg.shot_label(s.shots[0].camera, s.shots[0].shot_size, k)] for s, k in zip(specs, kinds)],
                          dtype=torch.long)
    return prompts, labels


BOX_MODES = ("oracle", "planned", "none")


def layout_boxes(gt_dir: str, ids: Sequence[str], frames: int, cfg: StoryDiTConfig, mode: str = "oracle",
                 planner_dir: str = "", pooled: Optional[torch.Tensor] = None,
                 labels: Optional[torch.Tensor] = None) -> Optional[torch.Tensor]:
    """An actor_box_cond model's box input for the first `frames` frames of each ground-truth shot, (N, F, 1, h, w)
    masks; None for any other model. mode "oracle": the ground truth's actor boxes; "planned": the layout planner's
    (box_planner.py) from the pooled prompt (N, 384) and the [camera, shot size] labels (N, 1, 2), frame k of the
    shot at phase k / frames; "none": no box (zeros). A still is frames = 1 (phase 0)."""
    if not cfg.actor_box_cond:
        return None
    assert mode in BOX_MODES, f"unknown box mode {mode!r}; one of {BOX_MODES}"
    h, w = cfg.latent_h, cfg.latent_w
    if mode == "none":
        return torch.zeros(len(ids), frames, 1, h, w)
    if mode == "oracle" and cfg.actor_layout in ("silhouette", "painted"):
        return true_layout_silhouettes(gt_dir, ids, frames, h, w, planner_dir, cfg.actor_layout == "painted")
    if mode == "oracle":
        return actor_boxes(gt_dir, ids, frames, h, w)[:, :, None]
    from .box_planner import load_planner, planned_masks
    assert labels is not None and pooled is not None, "the planner reads the prompt and the shot's labels"
    planner = load_planner(planner_dir)
    plans = "painted" if planner.cfg.plans_colour else "silhouette" if planner.cfg.plans_silhouette else "box"
    assert plans == cfg.actor_layout, f"{planner_dir} plans {plans} layouts, the model reads {cfg.actor_layout} layouts"
    return planned_masks(planner, pooled, labels[:, 0], frames, h, w)


def true_layout_silhouettes(gt_dir: str, ids: Sequence[str], frames: int, h: int, w: int,
                            planner_dir: str, painted: bool = False) -> torch.Tensor:
    """The oracle of a silhouette model: the ground truth's kind (labels.json actor.kind) drawn by the planner's
    templates into the ground truth's box of each frame, (b, F, 1, h, w) (actor_silhouette.silhouette_masks);
    painted: (b, F, 4, h, w), painted the ground truth's colour (actor.colour) from the planner's palette."""
    from .actor_silhouette import painted_masks, silhouette_masks
    from .box_planner import load_planner
    planner = load_planner(planner_dir)
    assert planner.cfg.plans_silhouette, f"{planner_dir} has no silhouettes (box_planner --silhouette)"
    boxes = torch.full((len(ids), frames, 4), float("nan"))
    probs = torch.zeros(len(ids), frames, len(planner.cfg.kinds))
    rgb = torch.zeros(len(ids), frames, 3)
    assert not painted or planner.cfg.plans_colour, f"{planner_dir} has no colours (box_planner --paint)"
    for i, clip_id in enumerate(ids):
        with open(os.path.join(gt_dir, clip_id, "labels.json"), encoding="utf-8") as f:
            labels = json.load(f)
        probs[i, :, planner.cfg.kinds.index(labels["actor"]["kind"])] = 1.0
        if painted:
            rgb[i] = planner.palette[planner.cfg.colours.index(labels["actor"]["colour"])]
        for k, box in enumerate(labels["shots"][0]["bbox"][:frames]):
            if box is not None:
                boxes[i, k] = torch.tensor(box, dtype=torch.float32)
    sil = silhouette_masks(boxes, probs, planner.templates, h, w)
    return painted_masks(sil, rgb) if painted else sil[:, :, None]


def still_boxes(gt_dir: str, ids: Sequence[str], cfg: StoryDiTConfig, mode: str = "oracle",
                planner_dir: str = "", pooled: Optional[torch.Tensor] = None,
                labels: Optional[torch.Tensor] = None) -> Optional[torch.Tensor]:
    """layout_boxes of one frame per still, (N, 1, 1, h, w)."""
    return layout_boxes(gt_dir, ids, 1, cfg, mode, planner_dir, pooled, labels)


def actor_boxes(gt_dir: str, ids: Sequence[str], frames: int, h: int, w: int) -> torch.Tensor:
    """The ground truth's actor box per frame (labels.json shots[0].bbox, x0 y0 x1 y1 pixels) as coverage masks
    (b, F, h, w) in latent pixels (the pixel codec: the same grid); a frame without a visible actor (bbox null) has
    no box."""
    boxes = torch.full((len(ids), frames, 4), float("nan"))
    for i, clip_id in enumerate(ids):
        with open(os.path.join(gt_dir, clip_id, "labels.json"), encoding="utf-8") as f:
            for k, box in enumerate(json.load(f)["shots"][0]["bbox"][:frames]):
                if box is not None:
                    boxes[i, k] = torch.tensor(box)
    return boxes_to_masks(boxes, h, w)


def load_run(run_dir: str, device="cpu") -> Tuple[StoryDiT, object, dict]:
    """Newest checkpoint of a training run (or one step-XXXXXXXX checkpoint dir, or an exported model folder
    such as training/warmstart) -> (EMA model, codec, meta)."""
    if os.path.isfile(os.path.join(run_dir, "manifest.json")):
        from .export import load_exported
        model, codec, config = load_exported(run_dir, device)
        return model, codec, {"step": config.get("name", "export"), "cpu_seconds": 0.0,
                              "train_config": {"vae_dir": config.get("codec", "vae")}}
    found = ckpt.load_run(run_dir)
    assert found is not None, f"no checkpoint under {run_dir}"
    tensors, meta, _ = found
    cfg = StoryDiTConfig.from_dict(meta["dit_config"])
    model = StoryDiT(cfg)
    model.load_state_dict({k[len("ema."):]: v.float() for k, v in tensors.items() if k.startswith("ema.")})
    codec = load_codec(meta["train_config"]["vae_dir"], device)
    return model.to(device).eval(), codec, meta


def denoiser_gflop_per_frame(cfg: StoryDiTConfig, steps: int, guidance_rows: int = 2) -> float:
    """Matmul FLOPs of sampling one still: per forward 2 * (tokens * linear params) + attention (4 N^2 d)
    per layer, times steps and the CFG rows."""
    hp, wp = cfg.grid_hw
    n = hp * wp + cfg.l_txt
    d, L = cfg.d_model, cfg.n_layers
    per_layer = 2 * n * (4 * d * d + 2 * d * cfg.mlp_hidden) + 4 * n * n * d
    io = 2 * n * d * cfg.patch_dim * 2
    return (L * per_layer + io) * steps * guidance_rows / 1e9


@torch.no_grad()
def generate(model: StoryDiT, codec, text: torch.Tensor, seed: int, defaults: SamplerDefaults,
             batch: int = 32, labels: Optional[torch.Tensor] = None,
             boxes: Optional[torch.Tensor] = None) -> Tuple[np.ndarray, float]:
    """text (N, 1, L, 384) [+ shot labels (N, 1, 2)] [+ actor boxes (N, 1, 1, H, W)] -> frames (N, H, W, 3) uint8
    and wall seconds; noise row i from seed + i."""
    c = model.cfg
    layout = model.layout_for([1], False)
    out, seconds = [], 0.0
    for s in range(0, text.shape[0], batch):
        tb = text[s:s + batch]
        noise = torch.stack([torch.randn(1, c.latent_channels, c.latent_h, c.latent_w,
                                         generator=torch.Generator().manual_seed(seed + s + i))
                             for i in range(tb.shape[0])])                               # (b, 1, C, h, w)
        t0 = time.perf_counter()
        z = denoise(model, layout, "scene_full", tb, [0], noise, defaults,
                    shot_labels=None if labels is None else labels[s:s + batch],
                    actor_box=None if boxes is None else boxes[s:s + batch])
        frames = codec.decode(z)                                                        # (b, 1, 3, H, W)
        frames = frames.reshape(-1, *frames.shape[-3:])                                 # (b, 3, H, W)
        seconds += time.perf_counter() - t0
        out.append((frames.permute(0, 2, 3, 1).numpy() * 255).round().astype(np.uint8))
    return np.concatenate(out), seconds


def write_run(gt_dir: str, out_dir: str, ids: Sequence[str], frames: np.ndarray) -> None:
    from storyworld.export import frame_name
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    shutil.copytree(gt_dir, out_dir)
    for clip_id, image in zip(ids, frames):
        for f in range(STILL_FRAMES):
            Image.fromarray(image).save(os.path.join(out_dir, clip_id, frame_name(0, f)))


def judge(out: str, dirs: Dict[str, str], jar: str) -> dict:
    report_dir = os.path.join(out, "judge")
    if os.path.exists(report_dir):
        shutil.rmtree(report_dir)
    cmd = ["java", "-Dai.djl.offline=true", "-jar", jar, "eval", "-o", report_dir] + \
          [f"{name}={d}" for name, d in dirs.items()]
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert os.path.isfile(os.path.join(report_dir, "report.json")), \
        f"storyboard eval failed ({r.returncode}): {r.stderr[-2000:]}"
    with open(os.path.join(report_dir, "report.json"), encoding="utf-8") as f:
        return json.load(f)


def still_adherence(report: dict, name: str) -> Dict[str, float]:
    """Per-attribute share of shots (%) the judge found right for run `name`; mean over colour, kind, setting."""
    run = next(r for r in report["runs"] if r["label"] == name)
    out = {k: round(100.0 * run["accuracy"][k]["rate"], 1)
           for k in STILL_ATTRIBUTES if k in run["accuracy"]}
    main = [out[k] for k in ("colour", "kind", "setting") if k in out]
    out["mean"] = round(sum(main) / len(main), 1) if main else 0.0
    out["failed"] = run["failed"]
    return out


def kind_contrast(report: dict, name: str) -> Dict[str, float]:
    """Mean over the stills of IoU(asked kind) - mean IoU(other kinds), and its standard error (module doc).
    A still whose actor the judge did not find counts 0."""
    run = next(r for r in report["runs"] if r["label"] == name)
    values = []
    for scene in run["sceneReports"]:
        for shot in scene.get("shots", []):
            fit = (shot.get("storyworld") or {}).get("kindFit") or {}
            asked = shot.get("expected", {}).get("kind")
            others = [v for k, v in fit.items() if k != asked]
            values.append(fit[asked] - sum(others) / len(others) if asked in fit and others else 0.0)
    v = np.asarray(values, dtype=np.float64)
    se = float(v.std(ddof=1) / np.sqrt(len(v))) if len(v) > 1 else 0.0
    return {"kind_contrast": round(float(v.mean()), 4) if len(v) else 0.0, "kind_contrast_se": round(se, 4)}


def actor_hue_mask(frame: np.ndarray, hue: float) -> np.ndarray:
    """frame (H, W, 3) uint8 -> the pixels of the actor's hue (within ACTOR_HUE_TOLERANCE degrees, saturation and
    value above the shadows and greys of the settings): a judge-free proxy of the actor's extent."""
    hsv = np.asarray(Image.fromarray(frame).convert("HSV"), dtype=np.float32) / 255.0
    dh = np.abs((hsv[..., 0] * 360.0 - hue + 180.0) % 360.0 - 180.0)
    return (dh < ACTOR_HUE_TOLERANCE) & (hsv[..., 1] > 0.35) & (hsv[..., 2] > 0.25)


def actor_area_ratio(gt_dir: str, ids: Sequence[str], truth: np.ndarray, frames: np.ndarray) -> float:
    """Median over the stills of (actor-hue area generated) / (actor-hue area in the ground truth), each + 0.2 %
    of the frame. 1 = the actor drawn at its size; the same mask on both sides, so a setting that shares the
    actor's hue inflates both. Above 1: the actor is drawn too large (a loss weight that depends on the clean
    frame does that: train_dit's actor_weight_t_max)."""
    ratios = []
    for i, clip in enumerate(ids):
        with open(os.path.join(gt_dir, clip, "labels.json"), encoding="utf-8") as f:
            hue = json.load(f)["actor"]["hue"]
        ratios.append((actor_hue_mask(frames[i], hue).mean() + 2e-3) / (actor_hue_mask(truth[i], hue).mean() + 2e-3))
    return round(float(np.median(ratios)), 3)


def critic_kind_accuracy(critic, gt_dir: str, ids: Sequence[str], frames: np.ndarray) -> float:
    """% of stills (N, H, W, 3) uint8 whose actor kind a frame critic (frame_critic.py) names as asked. A second
    instrument beside the judge: a model trained against that critic that gains here and not with the judge
    draws what the critic reads and the judge and the eye do not (its non-robust features)."""
    asked = []
    for clip in ids:
        with open(os.path.join(gt_dir, clip, "labels.json"), encoding="utf-8") as f:
            asked.append(critic.cfg.kinds.index(json.load(f)["actor"]["kind"]))
    z = torch.from_numpy(frames).permute(0, 3, 1, 2).float() / 255 * 2 - 1             # (N, 3, H, W) in [-1, 1]
    with torch.no_grad():
        named = critic(z)[0].argmax(1)
    return round(100 * float((named == torch.tensor(asked)).float().mean()), 1)


def grid(rows: Sequence[np.ndarray], path: str, columns: int = GRID_COLUMNS, pad: int = 2,
         names: Optional[Sequence[str]] = None, label_width: int = 150) -> None:
    """rows of (N, H, W, 3) uint8 -> one PNG, first `columns` scenes per row, each row named on its left."""
    from PIL import ImageDraw
    h, w = rows[0].shape[1:3]
    n = min(columns, rows[0].shape[0])
    left = label_width if names else 0
    sheet = np.full((len(rows) * (h + pad) + pad, left + n * (w + pad) + pad, 3), 255, np.uint8)
    for r, row in enumerate(rows):
        for c in range(n):
            y, x = pad + r * (h + pad), left + pad + c * (w + pad)
            sheet[y:y + h, x:x + w] = row[c]
    image = Image.fromarray(sheet)
    if names:
        draw = ImageDraw.Draw(image)
        for r, name in enumerate(names):
            draw.text((4, pad + r * (h + pad) + h // 2 - 6), name, fill=(0, 0, 0))
    image.save(path)


def actor_centre_error(gt_dir: str, ids: Sequence[str], frames: np.ndarray) -> float:
    """Median over the stills of the distance (pixels) from the centre of the actor-hue pixels drawn to the centre
    of the ground truth's actor box: whether the actor stands where the layout puts it (a box model given the
    true box should bring it down). A still with fewer than 3 actor-hue pixels counts half the frame's width."""
    errors = []
    for i, clip in enumerate(ids):
        with open(os.path.join(gt_dir, clip, "labels.json"), encoding="utf-8") as f:
            labels = json.load(f)
        box = labels["shots"][0]["bbox"][0]
        if box is None:
            continue
        ys, xs = np.nonzero(actor_hue_mask(frames[i], labels["actor"]["hue"]))
        centre = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
        errors.append(float(np.hypot(*(np.array([xs.mean(), ys.mean()]) + 0.5 - centre))) if len(xs) >= 3
                      else frames.shape[2] / 2)
    return round(float(np.median(errors)), 2)


def read_frames(d: str, ids: Sequence[str]) -> np.ndarray:
    from storyworld.export import frame_name
    return np.stack([np.asarray(Image.open(os.path.join(d, i, frame_name(0, 0))).convert("RGB")) for i in ids])


def main(argv: Optional[Sequence[str]] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--run", action="append", default=[],
                   help="NAME=DIR: a train_dit run (its newest EMA), one of its step dirs, or an exported model")
    p.add_argument("--still", action="append", default=[],
                   help="NAME=DIR: a copy of the ground truth with other frames (e.g. a VAE round trip of it)")
    p.add_argument("--count", type=int, default=64)
    p.add_argument("--seed", type=int, default=VALIDATION_SEED)
    p.add_argument("--steps", type=int, default=24)
    p.add_argument("--shift", type=float, action="append", default=None,
                   help="timestep shift; repeat to sweep (the best on this set is reported per run)")
    p.add_argument("--guidance", type=float, default=3.0)
    p.add_argument("--sampler", default="euler", choices=[*flow.SAMPLERS, *flow.EXPERIMENTAL_SAMPLERS],
                   help="euler / heun (what the engine runs) or an experimental one (ancestral: fresh noise per step)")
    p.add_argument("--text-cache", default="runs/text_cache.safetensors")
    p.add_argument("--jar", default=JAR)
    p.add_argument("--critic", action="append", default=[],
                   help="NAME=DIR: also report the kind accuracy a frame critic (frame_critic.py) reads on every row")
    p.add_argument("--box", action="append", choices=BOX_MODES, default=None,
                   help="an actor-box model's box (repeatable, one row each): the ground truth's (oracle, the "
                        "default), the layout planner's (planned) or none")
    p.add_argument("--planner", default="runs/box-planner", help="a box_planner folder (--box planned)")
    p.add_argument("--report-only", action="store_true",
                   help="print adherence and kind contrast of <out>/judge/report.json; generate nothing")
    a = p.parse_args(argv)
    if a.report_only:
        with open(os.path.join(a.out, "judge", "report.json"), encoding="utf-8") as f:
            report = json.load(f)
        for run in report["runs"]:
            key = run["label"]
            print(f"{key:28s} {json.dumps({**still_adherence(report, key), **kind_contrast(report, key)})}")
        return
    shifts = a.shift or [2.0]
    a.box = a.box or ["oracle"]
    os.makedirs(a.out, exist_ok=True)
    gt = os.path.join(a.out, "ground-truth")
    write_ground_truth(gt, a.count, a.seed)
    items = clips(gt)
    ids = [i for i, _ in items]
    dirs, meta_by, images = {"ground-truth": gt}, {}, {}
    encoder = None
    for spec in a.run:
        name, run_dir = spec.split("=", 1)
        model, codec, meta = load_run(run_dir)
        if encoder is None:
            encoder = make_text_encoder("auto", a.text_cache, None, None, None, model.cfg.l_txt)
        prompts, labels = shot_conditions(gt, model.cfg)
        text = encoder.encode(prompts)[:, None]                                         # (N, 1, L, 384)
        modes = a.box if model.cfg.actor_box_cond else [None]
        for shift, mode in [(shift, mode) for shift in shifts for mode in modes]:
            key = name if len(shifts) == 1 else f"{name}@shift{shift:g}"
            key = key if len(modes) == 1 else f"{key}@box-{mode}"
            defaults = SamplerDefaults(sampler=a.sampler, steps=a.steps, shift=shift, guidance=a.guidance)
            boxes = None if mode is None else still_boxes(
                gt, ids, model.cfg, mode, a.planner, pool_caption(text[:, 0]) if mode == "planned" else None, labels)
            frames, seconds = generate(model, codec, text, a.seed, defaults, labels=labels, boxes=boxes)
            d = os.path.join(a.out, key)
            write_run(gt, d, ids, frames)
            dirs[key] = d
            images[key] = frames
            hp, wp = model.cfg.grid_hw
            meta_by[key] = {"run": run_dir, "step": meta["step"],
                            "cpu_minutes": round(meta.get("cpu_seconds", 0.0) / 60, 1),
                            "representation": meta["train_config"]["vae_dir"],
                            "prediction": model.cfg.prediction, "tokens_per_frame": hp * wp,
                            "denoiser_gflop_per_frame": round(denoiser_gflop_per_frame(model.cfg, a.steps), 2),
                            "seconds_per_frame_batched": round(seconds / len(ids), 4),
                            "threads": torch.get_num_threads(), "sampler": defaults.to_dict()}
    if hasattr(encoder, "save"):
        encoder.save()
    for spec in a.still:
        name, d = spec.split("=", 1)
        assert [i for i, _ in clips(d)] == ids, f"{d} does not hold the same scenes as {gt}"
        dirs[name] = d
        images[name] = read_frames(d, ids)
        meta_by[name] = {"still": d}
    report = judge(a.out, dirs, a.jar)
    summary = {"count": a.count, "seed": a.seed, "runs": {}}
    truth = read_frames(gt, ids)
    for key in dirs:
        summary["runs"][key] = {**meta_by.get(key, {}), "adherence": still_adherence(report, key),
                                **kind_contrast(report, key),
                                "actor_area_ratio": actor_area_ratio(gt, ids, truth, images.get(key, truth)),
                                "actor_centre_error_px": actor_centre_error(gt, ids, images.get(key, truth))}
    for spec in a.critic:
        name, d = spec.split("=", 1)
        critic = load_critic(d)
        for key in dirs:
            summary["runs"][key][f"critic_kind[{name}]"] = critic_kind_accuracy(critic, gt, ids, images.get(key, truth))
    with open(os.path.join(a.out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
    grid([truth] + [images[k] for k in dirs if k != "ground-truth"], os.path.join(a.out, "grid.png"),
         names=list(dirs))
    for key, r in summary["runs"].items():
        print(f"{key:28s} {json.dumps(r['adherence'])} kind_contrast={r['kind_contrast']:+.4f}"
              f"±{r['kind_contrast_se']:.4f} actor_area={r['actor_area_ratio']:.2f} "
              f"centre_error={r['actor_centre_error_px']:.1f}px step={r.get('step', '-')} "
              f"cpu_min={r.get('cpu_minutes', '-')}"
              + "".join(f" {k}={v}" for k, v in r.items() if k.startswith("critic_kind")))


if __name__ == "__main__":
    main()
