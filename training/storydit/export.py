"""Export a trained StoryDiT + VAE as a model directory for the Java engine.

    cd training && python3 -m storydit.export --run runs/dit-S-stage2 --vae runs/vae-S/vae --out models/storydit-S

Directory layout (format "storyboard-model/1"):
    config.json               {"format", "name", "preset", "codec": "vae" | "pixel", "dit": StoryDiTConfig,
                               "vae": VAEConfig, "latent_scaling_factor", "latent_shift_factor" (codec "vae"
                               only), "fps", "image_size", "l_txt", "text_dim", "text_encoder",
                               "sampler": SamplerDefaults, "storage_dtype"}
    vae_encoder.safetensors   FrameVAE state_dict keys "encoder.*"   (codec "vae" only)
    vae_decoder.safetensors   FrameVAE state_dict keys "decoder.*"   (codec "vae" only)
A pixel-space model (codec "pixel", codec.py) has no VAE: its "latents" are the RGB frames scaled to [-1, 1].
    storydit.safetensors      StoryDiT state_dict keys (EMA weights)
    box_planner.safetensors   (actor_box_cond models only) the layout planner (box_planner.py) the engine plans the
                              actor's box with, copied byte for byte from --planner; its config is config.json's
                              "box_planner" (box_planner.BoxPlannerConfig; also in the file's own metadata)
    vocabulary.json           the storyworld names and "train" wording the model was taught
                              (storyworld.vocab.vocabulary_document; prompt completion and the judge read it)
    MODEL_CARD.md             architecture, data, training runs and compute, measured metrics (model_card.py)
    train_config.json         (--warm-start only) the run's train_dit flags and config, to go on with its recipe
    manifest.json             {"format", "name", "preset", "files": [{"path", "sha256", "bytes"}]}
                              (every file above except manifest.json itself; the Java side verifies them)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
from dataclasses import asdict, replace
from typing import Dict, Optional, Sequence, Tuple

import torch

from . import checkpoint as ckpt
from . import safetensors_io
from .box_planner import WEIGHTS as BOX_PLANNER_FILE
from .box_planner import BoxPlannerConfig, load_report
from .model import StoryDiT, StoryDiTConfig
from .model_card import CARD_FILE, write_model_card
from .pipeline import CONTINUATION_ANCHORS, LAYOUT_ALONE, LAYOUT_GUIDANCE, SamplerDefaults
from .text import TEXT_DIM, TEXT_ENCODER_ID
from .codec import PixelCodec
from .vae import FrameVAE, VAEConfig
from storyworld.vocab import vocabulary_document

MODEL_FORMAT = "storyboard-model/1"
CONFIG_FILE = "config.json"
MANIFEST_FILE = "manifest.json"
TRAIN_CONFIG_FILE = "train_config.json"      # warm starts only: the flags of the run it came from
VAE_ENCODER_FILE = "vae_encoder.safetensors"
VAE_DECODER_FILE = "vae_decoder.safetensors"
DIT_FILE = "storydit.safetensors"
VOCABULARY_FILE = "vocabulary.json"
STORAGE_DTYPES = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _cast(state: Dict[str, torch.Tensor], dtype: torch.dtype) -> Dict[str, torch.Tensor]:
    return {k: (v.detach().cpu().to(dtype) if v.dtype.is_floating_point else v.detach().cpu()).contiguous()
            for k, v in state.items()}


# Training-only parts the Java engine does not run (it refuses each by name: config.StoryDiTConfig); such a model
# exports only as a warm start. Config field -> what it is and why the engine cannot run it.
ENGINE_LACKS = {
    "refiner_width": "a pixel refiner: the Java engine does not implement model.PixelRefiner",
    "self_cond": "self-conditioning: the Java engine does not feed the previous step's estimate to dit.ConvEncoder",
    "conv_res_blocks": "residual conv blocks: the Java engine does not implement model.ConvResBlock",
}


def planner_file(planner: str) -> str:
    """A box_planner folder (box_planner.py --out) or its safetensors file -> the file; refuses a missing one."""
    path = os.path.join(planner, BOX_PLANNER_FILE) if os.path.isdir(planner) else planner
    assert os.path.isfile(path), f"no layout planner at {planner!r}: an actor_box_cond model reads the actor's box " \
        "from the planner (box_planner.py --out DIR), so its engine export needs one (--planner DIR)"
    return path


def planner_summary(planner: str) -> dict:
    """What the model card says of a planner file: {"config": its BoxPlannerConfig as a dict, "eval": the eval.json
    beside it (box_planner.py writes one), or None}."""
    path = planner_file(planner)
    config = json.loads(safetensors_io.load_metadata(path).get("box_planner_config", "{}"))
    return {"config": config, "eval": load_report(path)}


def copy_planner(planner: str, out_dir: str, dit_cfg: StoryDiTConfig) -> dict:
    """Copies the planner's safetensors byte for byte into out_dir (BOX_PLANNER_FILE) and returns its config, which
    must read the DiT's labels (the engine gives the planner the shot's camera / shot-size labels as the DiT reads
    them) and MiniLM's text width."""
    path = planner_file(planner)
    meta = safetensors_io.load_metadata(path)
    assert "box_planner_config" in meta, f"{path}: no box_planner_config in its metadata (not a box_planner.py file)"
    cfg = BoxPlannerConfig.from_dict(json.loads(meta["box_planner_config"]))
    assert (list(cfg.cameras), list(cfg.shot_sizes)) == (list(dit_cfg.cameras), list(dit_cfg.shot_sizes)), \
        f"{path}: the planner's labels {cfg.cameras} / {cfg.shot_sizes} are not the model's " \
        f"{list(dit_cfg.cameras)} / {list(dit_cfg.shot_sizes)}"
    plans = "painted silhouettes" if cfg.plans_colour else "silhouettes" if cfg.plans_silhouette else "boxes"
    assert plans == {"box": "boxes", "silhouette": "silhouettes", "painted": "painted silhouettes"}[dit_cfg.actor_layout], \
        f"{path}: the planner plans {plans} and the model reads {dit_cfg.actor_layout} layouts " \
        f"(train_dit --actor-layout; box_planner --silhouette, --paint)"
    assert cfg.text_dim == TEXT_DIM, f"{path}: the planner reads {cfg.text_dim}-wide prompts, MiniLM gives {TEXT_DIM}"
    shutil.copyfile(path, os.path.join(out_dir, BOX_PLANNER_FILE))
    return asdict(cfg)


def export_model(out_dir: str, name: str, dit_cfg: StoryDiTConfig, dit_state: Dict[str, torch.Tensor],
                 vae: FrameVAE, sampler: Optional[SamplerDefaults] = None, storage: str = "f16",
                 extra_files: Sequence[str] = (), warm_start: bool = False, planner: Optional[str] = None) -> str:
    """Writes the model directory; `extra_files` (already in out_dir, e.g. MODEL_CARD.md) join the manifest.
    `warm_start`: a folder for `train_dit --init` only, which may keep the training-only parts the Java engine
    does not run (ENGINE_LACKS; the engine refuses such a config by name). ConvDecoder and
    ConvEncoder export for the engine (dev.storyboard.inference.dit.ConvDecoder / ConvEncoder), camera RoPE too
    (dit.CameraRope), the previous frame (prev_frame_cond: dit.ConvEncoder's prev_frame input, fed by the engine's
    session.PreviousFrame), and the actor's box (dit.ConvEncoder's box input): an actor_box_cond model's engine export
    needs `planner`, the layout planner (box_planner.py folder or file) that gives the engine the box, which is
    copied in (BOX_PLANNER_FILE, config.json "box_planner"; layout.BoxPlanner in the engine). A warm start and a
    model without the box take no planner."""
    assert storage in STORAGE_DTYPES, f"storage must be one of {list(STORAGE_DTYPES)}"
    if not warm_start:
        for field, what in ENGINE_LACKS.items():
            assert not getattr(dit_cfg, field), f"{field}: a model with {what}, so it cannot be exported for the " \
                "engine (judge it with frame_eval on the run, or export it with --warm-start for train_dit --init)"
        assert not dit_cfg.actor_box_cond or planner, "actor_box_cond: the model reads the actor's box, which the " \
            "engine plans with the layout planner; give it (--planner DIR, box_planner.py --out) or export with " \
            "--warm-start for train_dit --init"
    assert not dit_cfg.kind_label_oracle, "a kind_label_oracle model is a diagnostic (it is told the actor kind); " \
        "the engine reads no kind label, so it is never exported"
    dtype = STORAGE_DTYPES[storage]
    sampler = sampler or SamplerDefaults()
    os.makedirs(out_dir, exist_ok=True)
    pixel = isinstance(vae, PixelCodec)
    meta = {"format": MODEL_FORMAT, "name": name}
    codec_files: Tuple[str, ...] = ()
    if not pixel:
        vstate = vae.state_dict()
        safetensors_io.save_file(_cast({k: v for k, v in vstate.items() if k.startswith("encoder.")}, dtype),
                                 os.path.join(out_dir, VAE_ENCODER_FILE), meta)
        safetensors_io.save_file(_cast({k: v for k, v in vstate.items() if k.startswith("decoder.")}, dtype),
                                 os.path.join(out_dir, VAE_DECODER_FILE), meta)
        codec_files = (VAE_ENCODER_FILE, VAE_DECODER_FILE)
    safetensors_io.save_file(_cast(dit_state, dtype), os.path.join(out_dir, DIT_FILE), meta)
    config = {
        "format": MODEL_FORMAT, "name": name, "preset": dit_cfg.preset, "codec": "pixel" if pixel else "vae",
        "dit": dit_cfg.to_dict(),
        "fps": dit_cfg.fps, "image_size": vae.cfg.image_size, "l_txt": dit_cfg.l_txt, "text_dim": TEXT_DIM,
        "text_encoder": TEXT_ENCODER_ID, "sampler": sampler.to_dict(), "storage_dtype": storage,
    }
    if warm_start:
        config["warm_start_only"] = True
    planner_files: Tuple[str, ...] = ()
    if dit_cfg.actor_box_cond and not warm_start:
        config["box_planner"] = copy_planner(planner, out_dir, dit_cfg)
        planner_files = (BOX_PLANNER_FILE,)
    if not pixel:
        config.update({"vae": vae.cfg.to_dict(), "latent_scaling_factor": vae.cfg.scaling_factor,
                       "latent_shift_factor": vae.cfg.shift_factor})
    with open(os.path.join(out_dir, CONFIG_FILE), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
    write_vocabulary(out_dir)
    files = []
    for fname in (CONFIG_FILE, *codec_files, DIT_FILE, *planner_files, VOCABULARY_FILE, *extra_files):
        path = os.path.join(out_dir, fname)
        files.append({"path": fname, "sha256": sha256_file(path), "bytes": os.path.getsize(path)})
    with open(os.path.join(out_dir, MANIFEST_FILE), "w") as f:
        json.dump({"format": MODEL_FORMAT, "name": name, "preset": dit_cfg.preset, "files": files}, f, indent=2)
    return out_dir


def write_vocabulary(out_dir: str) -> str:
    """vocabulary.json of the storyworld the model was trained on (the same bytes for the same vocab.py)."""
    path = os.path.join(out_dir, VOCABULARY_FILE)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(vocabulary_document(), f, indent=2, ensure_ascii=False)
        f.write("\n")
    return path


def verify_manifest(model_dir: str) -> dict:
    with open(os.path.join(model_dir, MANIFEST_FILE)) as f:
        manifest = json.load(f)
    assert manifest["format"] == MODEL_FORMAT, f"unknown model format {manifest['format']!r}"
    for entry in manifest["files"]:
        path = os.path.join(model_dir, entry["path"])
        assert os.path.getsize(path) == entry["bytes"], f"{path}: size differs from manifest"
        assert sha256_file(path) == entry["sha256"], f"{path}: sha256 differs from manifest"
    return manifest


def load_exported(model_dir: str, device="cpu"):
    """Load an exported directory back into float32 modules (verifies the manifest first): (StoryDiT, codec,
    config), the codec a FrameVAE or, for codec "pixel", a PixelCodec."""
    verify_manifest(model_dir)
    with open(os.path.join(model_dir, CONFIG_FILE)) as f:
        config = json.load(f)
    model = StoryDiT(StoryDiTConfig.from_dict(config["dit"]))
    model.load_state_dict({k: v.float() for k, v in safetensors_io.load_file(os.path.join(model_dir, DIT_FILE)).items()})
    if config.get("codec", "vae") == "pixel":
        return model.to(device).eval(), PixelCodec(config["image_size"]).to(device).eval(), config
    vae = FrameVAE(VAEConfig.from_dict(config["vae"]))
    vstate = {}
    for fname in (VAE_ENCODER_FILE, VAE_DECODER_FILE):
        vstate.update({k: v.float() for k, v in safetensors_io.load_file(os.path.join(model_dir, fname)).items()})
    vae.load_state_dict(vstate)
    return model.to(device).eval(), vae.to(device).eval(), config


MACHINE_PATHS = ("java_encoder", "onnx", "tokenizer")   # train_dit options naming one machine's files ("" = default)


def write_train_config(out_dir: str, meta: dict) -> str:
    """A warm start's TRAIN_CONFIG_FILE: the run's flags and config, so a new machine, which keeps no runs/, can
    go on with the same recipe (`train_dit $(flags) --init warmstart --out NEW`). Returns the file name."""
    from .train_dit import config_flags
    portable = {**meta["train_config"], **{k: "" for k in MACHINE_PATHS}}     # this machine's files stay behind
    doc = {"step": meta.get("step"), "cpu_seconds": meta.get("cpu_seconds"),
           "train_dit_flags": config_flags(portable), "train_config": meta["train_config"]}
    with open(os.path.join(out_dir, TRAIN_CONFIG_FILE), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    return TRAIN_CONFIG_FILE


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description="Export StoryDiT (EMA) + VAE for the Java engine.")
    p.add_argument("--run", required=True, help="StoryDiT run dir (uses its newest checkpoint) or a step-XXXXXXXX dir")
    p.add_argument("--vae", required=True, help="finalized VAE dir (train_vae output <out>/vae), or \"pixel\"")
    p.add_argument("--out", required=True, help="output model directory")
    p.add_argument("--name", default=None, help="model name (default: the output directory's name)")
    p.add_argument("--storage", default="f16", choices=list(STORAGE_DTYPES), help="tensor storage dtype")
    d = SamplerDefaults()
    p.add_argument("--sampler", default=d.sampler, choices=["euler", "heun"])
    p.add_argument("--steps", type=int, default=d.steps)
    p.add_argument("--shift", type=float, default=d.shift)
    p.add_argument("--guidance", type=float, default=d.guidance)
    p.add_argument("--t-context", type=float, default=d.t_context)
    p.add_argument("--noise-correlation", type=float, default=d.noise_correlation,
                   help="the shot noise prior a in [0, 1): frames of a shot share this part of their initial noise")
    p.add_argument("--continuation-start", type=float, default=d.continuation_start,
                   help="t0 in (0, 1]: a chunk after a shot's first starts at t0 from the frame before it (1 = off)")
    p.add_argument("--camera-noise", action="store_true",
                   help="the shared noise moves with the shot's camera at the storyworld camera's rates (the run's "
                        "frames_per_shot and latent height; train_dit --warp-noise trains for it)")
    p.add_argument("--camera-noise-gain", type=float, default=1.0,
                   help="with --camera-noise: the noise (and a camera anchor) moves at this multiple of the trained "
                        "rates, the pan's and the log zoom's alike (storydit-v10 and v11: 1.5)")
    p.add_argument("--layout-guidance", default=d.layout_guidance, choices=LAYOUT_GUIDANCE,
                   help="an actor_box_cond model: guidance acts on the target's layout too (its unconditional row reads "
                        "none) where CFG runs (guided_chunks), on every chunk (every_chunk), or on every chunk of a "
                        "shot whose camera is static (still_shot_chunks)")
    p.add_argument("--layout-guidance-scale", type=float, default=d.layout_guidance_scale,
                   help="with --layout-guidance every_chunk or still_shot_chunks: the guidance scale of the later "
                        "chunks guided on their layout alone (default: the shot's own scale)")
    p.add_argument("--layout-guidance-t-min", type=float, default=d.layout_guidance_t_min,
                   help="with --layout-guidance every_chunk or still_shot_chunks: guide the chunks guided on their "
                        "layout alone only at the steps whose t is at least this (default 0: every step)")
    p.add_argument("--continuation-anchor", default=d.continuation_anchor, choices=CONTINUATION_ANCHORS,
                   help="the picture a continuing chunk starts from: the frame before it (still), or that frame "
                        "carried by the shot's camera (camera; needs --camera-noise)")
    p.add_argument("--metrics", default=None, help="judge report JSON (flat metric → value) for the model card")
    p.add_argument("--warm-start", action="store_true",
                   help="a folder for train_dit --init only: keeps training-only parts the engine does not run")
    p.add_argument("--planner", default="runs/box-planner",
                   help="an actor_box_cond model's layout planner (box_planner.py --out folder, or its safetensors "
                        "file), copied into the model folder; other models and --warm-start read none")
    a = p.parse_args(argv)
    if not 0 < a.continuation_start <= 1:
        p.error(f"--continuation-start must be in (0, 1], not {a.continuation_start}")
    if a.layout_guidance_scale is not None:
        if a.layout_guidance not in LAYOUT_ALONE:
            p.error("--layout-guidance-scale is the scale of the chunks guided on their layout alone: it needs "
                    "--layout-guidance every_chunk or still_shot_chunks")
        if not a.layout_guidance_scale > 0:
            p.error(f"--layout-guidance-scale must be positive, not {a.layout_guidance_scale}")
    if not 0 <= a.layout_guidance_t_min < 1:
        p.error(f"--layout-guidance-t-min must be in [0, 1), not {a.layout_guidance_t_min}")
    if a.layout_guidance_t_min > 0 and a.layout_guidance not in LAYOUT_ALONE:
        p.error("--layout-guidance-t-min bounds the steps of the chunks guided on their layout alone: it needs "
                "--layout-guidance every_chunk or still_shot_chunks")
    if not a.camera_noise_gain > 0:
        p.error(f"--camera-noise-gain must be positive, not {a.camera_noise_gain}")
    if a.camera_noise_gain != 1.0 and not a.camera_noise:
        p.error("--camera-noise-gain scales the camera noise's rates: add --camera-noise")
    if a.continuation_anchor == "camera" and not a.camera_noise:
        p.error("--continuation-anchor camera carries the anchor at the camera's rates: add --camera-noise")
    found = ckpt.load_run(a.run)
    assert found is not None, f"no checkpoint under {a.run}"
    tensors, meta, _ = found
    dit_cfg = StoryDiTConfig.from_dict(meta["dit_config"])
    planner = None
    if a.layout_guidance != "none" and not dit_cfg.actor_box_cond:
        p.error(f"--layout-guidance {a.layout_guidance} needs a model that reads the actor's layout (actor_box_cond)")
    if dit_cfg.actor_box_cond and not a.warm_start:
        planner = planner_file(a.planner)                    # refused before anything is written
    if dit_cfg.camera_rope and not dit_cfg.camera_hold_frames:      # runs before session 24: the trained shot's end
        dit_cfg = replace(dit_cfg, camera_hold_frames=meta["train_config"]["frames_per_shot"] - 1)
    ema = {k[len("ema."):]: v for k, v in tensors.items() if k.startswith("ema.")}
    from .codec import load_codec
    vae = load_codec(a.vae)
    name = a.name or os.path.basename(os.path.abspath(a.out))
    camera_noise = None
    if a.camera_noise:
        from .train_dit import camera_rope_rates
        frames = meta["train_config"]["frames_per_shot"]
        rates = camera_rope_rates(frames, dit_cfg.latent_h)
        camera_noise = (rates["camera_pan_per_frame"] * a.camera_noise_gain,
                        rates["camera_log_zoom_per_frame"] * a.camera_noise_gain, frames - 1)
    metrics = None
    if a.metrics:
        with open(a.metrics) as f:
            metrics = json.load(f)
    os.makedirs(a.out, exist_ok=True)
    write_model_card(a.out, name, dit_cfg, vae.cfg, meta, metrics, planner_summary(planner) if planner else None)
    extra = (CARD_FILE,) + ((write_train_config(a.out, meta),) if a.warm_start else ())
    export_model(a.out, name, dit_cfg, ema, vae,
                 SamplerDefaults(a.sampler, a.steps, a.shift, a.guidance, a.t_context, a.noise_correlation,
                                 a.continuation_start, camera_noise, a.layout_guidance, a.continuation_anchor,
                                 a.layout_guidance_scale, a.layout_guidance_t_min),
                 a.storage,
                 extra_files=extra, warm_start=a.warm_start, planner=planner)
    print(f"exported {name} (step {meta['step']}) to {a.out}")


if __name__ == "__main__":
    main()
