"""MODEL_CARD.md for an exported model: what it is, what it was trained on, with how much compute, and
what was measured. Everything comes from files the pipeline wrote (checkpoint metadata, train logs, the
VAE config); numbers that were not measured are said to be missing, never invented.

    write_model_card(out_dir, name, dit_cfg, vae_cfg, dit_meta, metrics=None) -> path of MODEL_CARD.md
"""
from __future__ import annotations

import json
import os
import time
from typing import Dict, List, Optional, Tuple

from .model import StoryDiT, StoryDiTConfig
from .vae import FrameVAE, VAEConfig

CARD_FILE = "MODEL_CARD.md"
LOG_FILE = "train_log.jsonl"
MAX_LOG_GAP_S = 600.0  # gaps longer than this between log lines are pauses between resumed pieces, not compute


def _as_dict(value) -> dict:
    """Checkpoint metadata stores nested configs either as dicts or as their repr strings."""
    if isinstance(value, dict):
        return value
    try:
        import ast
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return {}


def summarize_run(run_dir: str, up_to_step: Optional[int] = None) -> Dict[str, object]:
    """Steps, wall-clock compute, device and last loss of one training run, from its train_log.jsonl; with
    up_to_step only its records up to that step (the checkpoint that was exported or initialised from)."""
    path = os.path.join(run_dir, LOG_FILE)
    summary: Dict[str, object] = {"run": os.path.basename(os.path.abspath(run_dir)), "logged": False}
    if not os.path.exists(path):
        return summary
    records = []
    with open(path) as f:
        for line in f:
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut by a kill; the rest of the log is still good
    if up_to_step is not None:
        records = [r for r in records if r.get("step", 0) <= up_to_step]
    if not records:
        return summary
    times = [r["time"] for r in records if "time" in r]
    compute_s = sum(b - a for a, b in zip(times, times[1:]) if 0 <= b - a <= MAX_LOG_GAP_S)
    losses = [r for r in records if "loss" in r]
    devices = sorted({r["device"] for r in records if r.get("event") == "start" and "device" in r})
    summary.update({
        "logged": True,
        "last_step": max(r.get("step", 0) for r in records),
        "compute_hours": round(compute_s / 3600.0, 3),
        "devices": devices or ["not logged"],
        "first_loss": losses[0]["loss"] if losses else None,
        "last_loss": losses[-1]["loss"] if losses else None,
        "started": time.strftime("%Y-%m-%d", time.gmtime(times[0])) if times else None,
    })
    return summary


def _param_count(module) -> int:
    return sum(p.numel() for p in module.parameters())


def metrics_section(metrics: Optional[dict]) -> List[str]:
    if not metrics:
        return ["Not measured yet. The judge's evaluation (prompt adherence per attribute, cross-shot identity "
                "with and without context, SCuts, drift over a 60 s extension, MAWE vs ground truth) is written "
                "here by `python3 -m storydit.export ... --metrics REPORT.json`."]
    if isinstance(metrics.get("markdown"), list):  # storydit.eval_summary output: tables, goals, plots
        return [str(line) for line in metrics["markdown"]]
    lines = ["| metric | value |", "|---|---|"]
    for key in sorted(metrics):
        lines.append(f"| {key} | {metrics[key]} |")
    return lines


TEMPLATE_WORDS = {"mean": "the mean of its rendered poses",
                  "medoid": "the one rendered pose nearest the mean of its poses, `box_planner --templates medoid`"}


def planner_words(planner: Optional[dict]) -> Tuple[str, str]:
    """What the card says of the layout planner the folder holds (planner: {"config": BoxPlannerConfig as a dict,
    "eval": its eval.json or None}): (its templates, in words; what more it plans, or "")."""
    config, report = (planner or {}).get("config") or {}, (planner or {}).get("eval") or {}
    templates = TEMPLATE_WORDS.get(report.get("templates"),
                                   "the mean of its rendered poses, or with `box_planner --templates medoid` the one "
                                   "pose nearest that mean")
    more = ""
    if config.get("actions"):
        named = report.get("validation", {}).get("action", {}).get("accuracy")
        measured = f"; named right on {100 * named:.1f} % of held-out-wording shots" if named is not None else ""
        more = ("; it also names the shot's action from the shot's words and plans that action's path, never a blend "
                f"of several (decision 0018{measured})")
    return templates, more


def conv_parts(dit_cfg: StoryDiTConfig, planner: Optional[dict] = None) -> List[str]:
    """Card line for the U-Net around the DiT (model.ConvDecoder / ConvEncoder), which the Java engine runs, and the
    layout planner the folder holds (planner_words)."""
    templates, more = planner_words(planner)
    parts = []
    if dit_cfg.conv_decoder_width:
        parts.append(f"a conv decoder beside the patch head ({dit_cfg.conv_decoder_width} channels at full "
                     "resolution, `model.ConvDecoder`)")
    if dit_cfg.conv_encoder:
        parts.append("a conv encoder whose levels are the decoder's skips and join the patch tokens (`model.ConvEncoder`)")
    if dit_cfg.actor_box_cond and dit_cfg.actor_layout == "painted":
        parts.append("the actor's planned silhouette in every frame, painted its planned colour (4 channels: the "
                     "soft mask and the mask times the colour's RGB) and added at the conv encoder's first level: the "
                     "layout planner in `box_planner.safetensors` plans the box from the shot's prompt, camera, shot "
                     "size and the frame's phase in the shot, names one kind and one colour for the scene from all "
                     "its words (each by the prompt surest of it, decision 0019) and the way the actor faces from the "
                     "shot's, and draws that kind's silhouette template "
                     f"({templates}) into the box in that colour's mean fill (`actor_silhouette.py`, `box_planner.py`; "
                     f"decisions 0016, 0017){more}")
    elif dit_cfg.actor_box_cond and dit_cfg.actor_layout == "silhouette":
        parts.append("the actor's planned silhouette in every frame, a soft mask added at the conv encoder's first "
                     "level: the layout planner in `box_planner.safetensors` plans the box from the shot's prompt, "
                     "camera, shot size and the frame's phase in the shot, names one kind for the scene from all its "
                     "words (by the prompt surest of it, decision 0019) and the way the actor faces from the shot's, "
                     "and draws that kind's mean silhouette into the box (`actor_silhouette.py`, `box_planner.py`; "
                     f"decision 0015){more}")
    elif dit_cfg.actor_box_cond:
        parts.append("the actor's box in every frame, a 0/1 mask, added at the conv encoder's first level; the engine "
                     "plans it with the layout planner in `box_planner.safetensors` from the shot's prompt, camera, "
                     f"shot size and the frame's phase in the shot (`actor_box.py`, `box_planner.py`){more}")
    return ["- Convolutional parts: " + "; ".join(parts) + "."] if parts else []


def training_only_parts(dit_cfg: StoryDiTConfig) -> List[str]:
    """Card lines for the parts the Java engine does not run yet (such a folder is a warm start, not a product)."""
    if not dit_cfg.refiner_width:
        return []
    return ["- Training-only parts, which the Java engine does not run yet (it refuses this config by name): "
            f"a pixel refiner after the head ({dit_cfg.refiner_width} channels, `model.PixelRefiner`)."]


def write_model_card(out_dir: str, name: str, dit_cfg: StoryDiTConfig, vae_cfg: VAEConfig, dit_meta: dict,
                     metrics: Optional[dict] = None, planner: Optional[dict] = None) -> str:
    from storyworld import STORYWORLD_VERSION

    train_cfg = _as_dict(dit_meta.get("train_config", {}))
    # Follow the chain of runs: stage 2 was initialised from stage 1 (init_from), and so on.
    runs, seen, exported_init = [], set(), None
    run_dir, cfg, step = train_cfg.get("out_dir"), train_cfg, dit_meta.get("step")
    while run_dir and run_dir not in seen and os.path.isdir(run_dir):
        if os.path.isfile(os.path.join(run_dir, "manifest.json")):
            exported_init = run_dir             # an exported model (e.g. training/warmstart): its own card has its runs
            break
        seen.add(run_dir)
        runs.append((summarize_run(run_dir, step), cfg))
        run_dir, cfg, step = _init_run(cfg.get("init_from"))
    pixel = getattr(vae_cfg, "kind", "vae") == "pixel"             # codec.PixelCodecConfig: no VAE at all
    vae_dir = None if pixel else train_cfg.get("vae_dir")
    vae_summary = {"logged": False}
    for vae_run in _vae_run_candidates(vae_dir):
        vae_summary = summarize_run(vae_run)
        if vae_summary.get("logged"):
            break
    vae_eval = {}
    if vae_dir and os.path.exists(os.path.join(vae_dir, "vae_config.json")):
        with open(os.path.join(vae_dir, "vae_config.json")) as f:
            vae_eval = json.load(f).get("eval") or {}
    psnr = vae_eval.get("heldout_psnr_db")

    dit_params = _param_count(StoryDiT(dit_cfg))
    vae_params = 0 if pixel else _param_count(FrameVAE(vae_cfg))
    lines = [
        f"# Model card: {name}",
        "",
        "StoryDiT video diffusion transformer (Long Context Tuning recipe) "
        + ("in pixel space (no VAE: it predicts the clean frame from RGB patches)" if pixel else "with a per-frame VAE")
        + ", trained by this project on the procedural storyworld domain. Architecture: docs/STORYDIT.md; "
        "pipeline: training/README.md.",
        "",
        "## Architecture",
        "",
        f"- Preset **{dit_cfg.preset}**: {dit_cfg.image_size}×{dit_cfg.image_size} px at {dit_cfg.fps} fps, latent "
        f"{dit_cfg.latent_h}×{dit_cfg.latent_w}×{dit_cfg.latent_channels}, patch ({dit_cfg.patch_t}, {dit_cfg.patch_h}, "
        f"{dit_cfg.patch_w}), d={dit_cfg.d_model}, {dit_cfg.n_layers} layers, {dit_cfg.n_heads} heads, "
        f"{dit_cfg.l_txt} text tokens per caption, chunks of {dit_cfg.chunk_frames} latent frames.",
        f"- Parameters: StoryDiT {dit_params:,}; " + ("no VAE (pixel space)." if pixel else f"VAE {vae_params:,}."),
        f"- Prediction: {'the clean frame (x-prediction), turned into a velocity' if dit_cfg.prediction == 'x' else 'velocity'}"
        + ("; camera move and shot size enter the adaLN condition as class labels (`shot_cond`)." if dit_cfg.shot_cond
           else "."),
        *conv_parts(dit_cfg, planner),
        *training_only_parts(dit_cfg),
        "- Text encoder: all-MiniLM-L6-v2 (int8 ONNX from the langchain4j Maven jar), token-level, frozen"
        + ("; each caption's sentence embedding (mean-pooled, L2-normalised) also enters the adaLN condition "
           "(`caption_cond`)." if dit_cfg.caption_cond else "."),
        "",
        "## Data",
        "",
        f"- storyworld version {STORYWORLD_VERSION}, rendered on the fly (training/storyworld/README.md): multi-shot "
        "scenes sharing actor identity and setting layout, plus continuation segments of single long shots.",
        f"- Scene mix of the last stage: {train_cfg.get('min_shots', '?')}–{train_cfg.get('max_shots', '?')} shots, "
        f"{train_cfg.get('frames_per_shot', '?')} frames per shot, continuation probability "
        f"{train_cfg.get('p_continuation', '?')}. Held-out caption phrasings are never used in training.",
        "",
        "## Training",
        "",
        "| run | steps | batch | device | compute (h) | first → last loss | started |",
        "|---|---|---|---|---|---|---|",
    ]
    if vae_summary.get("logged"):
        lines.append(_run_row("VAE", vae_summary, "-"))
    if exported_init:
        lines.append(f"| initialised from the exported model `{exported_init}` (its MODEL_CARD.md had the runs "
                     "before) | | | | | | |")
    for summary, cfg in reversed(runs):
        lines.append(_run_row(f"stage {cfg.get('stage', '?')}", summary, cfg.get("batch_size", "?")))
    lines += [
        "",
        "- No VAE: frames are exact (pixel space)." if pixel else
        f"- VAE held-out PSNR: {psnr:.2f} dB" if isinstance(psnr, (int, float)) else "- VAE held-out PSNR: not recorded",
        f"- Exported step: {dit_meta.get('step', '?')} (EMA weights).",
        "",
        "## Evaluation",
        "",
        *metrics_section(metrics),
        "",
        *limitations_section(dit_cfg, [r for r, _ in runs] + [vae_summary], metrics),
    ]
    path = os.path.join(out_dir, CARD_FILE)
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


TARGET_IMAGE_SIZE = 128   # the product's default-preset target (issue: native 128×128 or larger at ≥ 8 fps)
TARGET_FPS = 8

# the next lever per missed goal; the measured history behind each is in training/README.md ("Findings")
_ADHERENCE_LEVER = ("Compute. The frame representation was chosen by measurement (pixel space, "
                    "docs/decisions/0004-frame-representation.md) and the stages follow SVD (single frames, scene video, "
                    "causal streaming); on the single-frame stage the actor's kind still rises only about +0.006 of "
                    "contrast per doubling of CPU, and every lever stacked on it within 1000 steps bought nothing "
                    "(training/README.md, Findings session 21). The next test is scale: a GPU run of the first stage "
                    "(training/gpu/stage0-h200.sh).")
_IDENTITY_LEVER = ("More scenes whose later shots can only be right by copying the actor from context, and LCT's image "
                   "conditioning (a shot replaced by one of its own frames).")
NEXT_LEVER = {
    "prompt adherence": _ADHERENCE_LEVER,
    "mean adherence": _ADHERENCE_LEVER,
    "colour": _ADHERENCE_LEVER,
    "kind": _ADHERENCE_LEVER,
    "settingPerShot": _ADHERENCE_LEVER,
    "action": "The actor's box per frame, planned from the prompt, camera and shot size (decision 0014), is what made the "
              "actor move; 290 more stage-2 steps with it left the validation level, and the true boxes buy no more "
              "action than the planned ones (training/README.md, session 28), so what is left is how the model draws "
              "motion inside its box (a spin, a bounce, growing): scale.",
    "cameraMoving": "Camera moves enter as class labels (shot_cond), as camera RoPE (decision 0012), as initial noise "
                    "that moves with the camera (decision 0013; trained with it since storydit-v4) and through the "
                    "actor's planned box, which travels as the camera would (decision 0014); next, scale.",
    "identity": _IDENTITY_LEVER,
    "same actor": _IDENTITY_LEVER,
    "seam ratio": "Stage 2 on exactly the editor's streaming steps with error recycling, and the continuation start "
                  "(decision 0010); StreamingT2V's randomized blending over an overlap if that is not enough.",
    "SCuts": "More stage-2 steps (seam cuts fell from 17 to 2 per 144 seams between the first and second stage-2 run).",
    "adherence drop": "Error recycling (stage 2) is the lever; compare the drift rows.",
    "luma drift": "Error recycling (stage 2) is the lever; compare the drift rows.",
}
# a latent model's identity is first limited by its VAE; said when the card has the VAE round trip's number
_VAE_IDENTITY_LIMIT = ("The VAE round trip itself keeps the same actor in only {vae_identity} of shot pairs at this "
                       "latent size, so the latent is the first limit.")


def limitations_section(dit_cfg: StoryDiTConfig, summaries: List[Dict[str, object]], metrics: Optional[dict]) -> List[str]:
    """What this model is not, said plainly: preset below the product target, missed goals and their next lever."""
    devices = sorted({d for s in summaries for d in s.get("devices", []) if s.get("logged") and d != "not logged"})
    lines = ["## Limitations and next levers", ""]
    if dit_cfg.image_size < TARGET_IMAGE_SIZE or dit_cfg.fps < TARGET_FPS:
        gpu = any(d.startswith("cuda") for d in devices)
        why = ("training also ran on a GPU, but not long enough for the larger preset" if gpu else
               "every run was trained on CPU only (devices: " + (", ".join(devices) or "not logged") +
               "); no GPU was available for training")
        lines.append(f"- **Smaller than the product target.** The default preset's target is {TARGET_IMAGE_SIZE}×"
                     f"{TARGET_IMAGE_SIZE} px or more at ≥ {TARGET_FPS} fps; this is preset {dit_cfg.preset} at "
                     f"{dit_cfg.image_size}×{dit_cfg.image_size} px, {dit_cfg.fps} fps, because {why}. The M preset "
                     "(128×128) is defined and tested (training/README.md) and is the first run for a GPU.")
    summary = (metrics or {}).get("summary") or {}
    vae = (summary.get("benchmark") or {}).get("vae-round-trip") or {}
    vae_identity = (vae.get("identity") or {}).get("consistent")
    by_lever: Dict[str, List[dict]] = {}          # missed goals that share a lever are listed once, together
    for g in (g for g in summary.get("goals", []) if not g.get("met")):
        lever = next((text for key, text in NEXT_LEVER.items() if g["goal"].startswith(key)), "")
        if isinstance(vae_identity, (int, float)) and g["goal"].startswith(("identity", "same actor")):
            lever = _VAE_IDENTITY_LIMIT.format(vae_identity=f"{100 * vae_identity:.0f} %") + " Then: " + lever
        by_lever.setdefault(lever, []).append(g)
    for lever, goals in by_lever.items():
        if len(goals) == 1:
            head = f"**Goal not met: {goals[0]['goal']}** (measured {goals[0]['value']})"
        else:
            head = "**Goals not met: " + "; ".join(f"{g['goal']} (measured {g['value']})" for g in goals) + "**"
        lines.append(f"- {head}. {lever}".rstrip())
    if not summary.get("goals"):
        lines.append("- Goals not evaluated for this export (no judge report was given).")
    lines.append("")
    return lines


def _vae_run_candidates(vae_dir: Optional[str]) -> List[str]:
    """Run dirs that may hold the VAE's train log: the artifact's parent (runs/vae-S/vae), or for a copied
    artifact (artifacts/vae-S) the run of the same name under runs/."""
    if not vae_dir:
        return []
    vae_dir = os.path.abspath(vae_dir)
    training_root = os.path.dirname(os.path.dirname(vae_dir))
    out = [os.path.dirname(vae_dir), os.path.join(training_root, "runs", os.path.basename(vae_dir))]
    return [d for d in out if os.path.isdir(d)]


def _init_run(init: Optional[str]) -> Tuple[Optional[str], dict, Optional[int]]:
    """(run dir, train_config, step) of what a run was initialised from: a step folder is one checkpoint of the run
    that wrote it (`checkpoint.writing_run`), counted up to its step; anything else is a run (or an exported model)."""
    from . import checkpoint as ckpt
    if not init or not os.path.isdir(init):
        return None, {}, None
    written = ckpt.writing_run(init)
    if written is None:
        return init, _last_train_config(init), None
    run_dir, cfg, step = written
    return run_dir, _as_dict(cfg), step


def _last_train_config(run_dir: str) -> dict:
    """train_config of the newest checkpoint of a run (empty when it has none)."""
    from . import checkpoint as ckpt
    root = os.path.join(run_dir, "checkpoints")
    found = ckpt.load_latest(root if os.path.isdir(root) else run_dir)
    if found is None:
        return {}
    return _as_dict(found[1].get("train_config", {}))


def _run_row(label: str, s: Dict[str, object], batch) -> str:
    def fmt(v):
        return f"{v:.4g}" if isinstance(v, float) else ("?" if v is None else str(v))
    return (f"| {label} ({s['run']}) | {s.get('last_step', '?')} | {batch} | {', '.join(s.get('devices', []))} | "
            f"{s.get('compute_hours', '?')} | {fmt(s.get('first_loss'))} → {fmt(s.get('last_loss'))} | {s.get('started')} |")
