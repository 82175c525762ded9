"""Train StoryDiT on rendered storyworld scenes (latents from the frozen VAE, captions from the TextEncoder).

Stage 0 (text-to-image on single frames, SVD's first stage):
    cd training && python3 -m storydit.train_dit --stage 0 --preset S --vae runs/vae-S/vae --out runs/dit-S-stage0
  one frame of a different one-shot scene per batch row (its shot caption: colour, kind, pattern, setting,
  size, framing, action, camera), many distinct captions per step. `--vae pixel --patch 8 --prediction x`
  trains a pixel-space DiT (codec.py) on the same task.
Stage 1 (scene-level, bidirectional):
    cd training && python3 -m storydit.train_dit --stage 1 --preset S --vae runs/vae-S/vae --out runs/dit-S-stage1
  scene_full attention, an independent logit-normal t per shot; with probability p_cond_scene some shots of
  a multi-shot scene are conditioning shots (clean t = 0, or lightly re-noised t ~ U[0, cond_t_max]) without loss.
Stage 2 (causal fine-tune with error recycling), initialised from the stage-1 EMA weights:
    python3 -m storydit.train_dit --stage 2 --preset S --vae runs/vae-S/vae --init runs/dit-S-stage1 --out runs/dit-S-stage2
  context_causal batches (target = last shot, earlier shots context at t_c) and chunk_causal batches, each
  one step of the editor's streaming: target = chunk j of the last shot (j = 0 included: the chunk that carries
  the caption), its earlier chunks and the earlier shots context at t_c, later chunks absent; single-shot scenes
  stay in the mix; SVI error recycling (error_bank.py).
Both stages: AdamW, warmup + cosine (or constant) LR, grad clipping, EMA, bf16 autocast on CUDA only,
checkpoints every --ckpt-every steps and on SIGTERM/SIGINT, exact resume (just rerun the same command).
"""
from __future__ import annotations

import argparse
import math
import os
import re
import shlex
import time
from dataclasses import asdict, dataclass, fields, replace
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import checkpoint as ckpt
from . import flow
from .actor_box import box_mask, drop_boxes
from .actor_silhouette import SILHOUETTE_SOURCES, painted_masks, shot_facing, true_silhouettes
from .data import SceneBatch, SceneBatcher, load_storyworld
from .error_bank import ErrorBank, InjectionConfig
from .layout import GLOBAL_SHOT, SceneLayout, Segment
from .model import StoryDiT, dit_config, segment_captions
from .pipeline import CONTINUATION_ANCHORS, SamplerDefaults, denoise
from .rope import camera_move
from .text import TEXT_ENCODER_CHOICES, make_text_encoder, null_text
from .train_common import EMA, LR_SCHEDULES, JsonlLogger, StopFlag, autocast, lr_at, pick_device, save_contact_sheet
from .codec import load_codec
from .actor_blur import blurred_inputs
from .actor_mask import ActorKindHead, ActorMaskHead, kind_loss, kind_targets, mask_loss
from .frame_critic import critic_loss, load_critic
from storyworld.scene import content_prompt

VAE_ENCODE_BATCH = 256     # frames per VAE encoder call
PAINT_SOURCES = ("class", "actor")   # --paint-source: where a painted layout's colour comes from
ACTOR_AREA_BOOST_MAX = 8.0  # the most a small actor's weight grows by --actor-weight-area
STAGE0_RENDER_FRAMES = 2   # stage 0 renders 2-frame shots (start and end pose) and keeps one frame per scene
PREVIEW_CURSOR = 20_000_000   # batch cursor of preview scenes (never reached by training)


@dataclass
class DiTTrainConfig:
    preset: str = "S"                 # StoryDiT preset (tiny | S | M)
    stage: int = 1                    # 0 = single frames, 1 = scene_full, 2 = causal + error recycling
    vae_dir: str = "runs/vae-S/vae"   # finalized VAE (train_vae output), or "pixel" (codec.py)
    patch: int = 0                    # spatial patch size (0 = the preset's, 2); a pixel DiT uses 8 (64 px -> 8x8)
    depth: int = 0                    # transformer blocks (0 = the preset's); --init from a model with depth / k
                                      # blocks interleaves fresh identity blocks (interleaved_blocks)
    prediction: str = "v"             # v | x: what the head predicts (model.py; x = JiT's clean-frame prediction)
    t_mean: float = flow.LOGIT_NORMAL_MEAN   # training t = sigmoid(N(t_mean, t_std)); > 0 = noisier
    t_std: float = flow.LOGIT_NORMAL_STD
    out_dir: str = "runs/dit-S-stage1"
    init_from: str = ""               # run dir (its latest checkpoint's EMA weights) or an exported model dir
    steps: int = 20000
    batch_size: int = 4               # scenes per step
    frames_per_shot: int = 8          # latent frames per shot (= video frames; the VAE is per frame)
    min_shots: int = 1
    max_shots: int = 3
    p_continuation: float = 0.25      # fraction of storyworld "continuation" scenes
    lr: float = 3e-4
    warmup: int = 500
    schedule: str = "cosine"          # train_common.LR_SCHEDULES: cosine | constant | linear
    weight_decay: float = 0.01
    grad_clip: float = 1.0
    ema_decay: float = 0.999
    ckpt_every: int = 500
    log_every: int = 20
    preview_every: int = 0            # 0 = off; else PNG contact sheets in <out>/previews
    seed: int = 0
    device: str = "auto"
    cpu_budget_min: float = 0.0       # stop (with a checkpoint) after this many CPU-minutes of this run, summed
                                      # over resumes (0 = no budget): equal compute for compared runs
    wall_budget_min: float = 0.0      # stop (with a checkpoint) after this many wall-clock minutes of this process
                                      # (0 = none): a GPU lease's time box
    data_workers: int = 0             # processes sampling scene specs one batch ahead (data.SceneBatcher; 0 = inline)
    text_encoder: str = "auto"        # auto | onnx | torch | java | test (torch = the ONNX graph run by torch on the
                                      # run's device; test = RandomTestEncoder, NOT the product)
    text_cache: str = "runs/text_cache.safetensors"
    onnx: str = ""                    # MiniLM .onnx (default: extracted from the langchain4j jar)
    tokenizer: str = ""               # MiniLM tokenizer.json
    java_encoder: str = ""            # command line of the Java encoder
                                      # (default: java -jar app/target/storyboard.jar encode-text --stream)
    cfg_dropout: float = flow.CFG_DROPOUT_P   # per caption probability of the null (zero) text
    caption_cond: bool = False        # model: pooled caption embedding in the adaLN condition (model.py); this
                                      # flag, not the preset (tiny has it on for fixtures), decides for a run
    actor_loss_weight: float = 0.0    # lambda: latent pixels weigh 1 + lambda * actor coverage in the loss (0 = off)
    actor_weight_t_max: float = 1.0   # the actor weight applies only to frames with t <= this (1 = every t). A
                                      # weight that depends on the clean frame biases the optimum toward the
                                      # actor wherever it may be (E[w x0 | x_t] / E[w | x_t]): large blobs at
                                      # high t, where its place is uncertain; small at low t
    actor_blur: float = 0.0           # share of frames at t >= actor_blur_t_min whose x_t is made from the frame with
                                      # its actor blurred (actor_blur.py; the target stays sharp): the caption, not
                                      # the input, must then give the shape (0 = off)
    actor_blur_t_min: float = 0.3
    actor_blur_sigma: float = 2.5     # pixels of the Gaussian (at the frame's resolution; pixel codec only)
    actor_mask_loss: float = 0.0      # weight of the auxiliary actor-mask BCE (actor_mask.py; 0 = off); needs
                                      # the renderer's actor coverage; the head is never exported
    actor_kind_loss: float = 0.0      # weight of the auxiliary kind-segmentation cross-entropy on a middle
                                      # block's tokens (actor_mask.ActorKindHead; 0 = off); never exported
    refiner_width: int = 0            # model: model.PixelRefiner channels after the patch head (x-prediction;
                                      # 0 = none); zero-initialised, so a warm start begins unchanged
    conv_decoder_width: int = 0       # model: model.ConvDecoder channels at full resolution (x-prediction; 0 =
                                      # none); zero-initialised, so a warm start begins unchanged
    conv_encoder: bool = False        # model: model.ConvEncoder, the U-Net's contracting half (needs the decoder)
    actor_box_cond: float = 0.0       # model: the actor's box per frame as an input (actor_box.py; needs the conv
                                      # encoder): the share of samples given their box (the rest get none); 0 = a
                                      # model without it
    actor_weight_area: float = 0.0    # with actor_loss_weight: a frame's actor weight grows by area / its actor's
                                      # coverage (latent pixels; at most ACTOR_AREA_BOOST_MAX times), so a small
                                      # actor in a wide shot weighs about as much as a close-up's (0 = off; session 35)
    actor_weight_boxed_all_t: bool = False  # a frame given its actor box weighs the actor at every t, not only at
                                      # t <= actor_weight_t_max: the box tells where the actor is, so the weight no
                                      # longer pulls an unsure model toward large blobs (session 27)
    actor_box_lr_mult: float = 1.0    # the box's input conv learns at this multiple of the learning rate: it starts
                                      # at zero, and Adam's steps of at most lr grow it slowly (session 27)
    actor_layout: str = "box"         # with actor_box_cond: "box" or "silhouette", the true kind's mean silhouette
                                      # drawn into the true box (actor_silhouette.py), or "painted", it painted the
                                      # true colour's mean fill (session 31), the templates and palette read from
    paint_source: str = "class"       # with actor_layout "painted": "class", the actor's colour's mean fill from the
                                      # planner's palette (what the engine paints), or "actor", the actor's own
                                      # colour, so the model learns to draw the painted hue exactly (session 35)
    layout_planner: str = ""          # this layout planner (box_planner --silhouette), which export ships with it
    silhouette_source: str = "template"  # "template": the true kind's template in the true box, facing the true
                                      # way; "coverage" (session 32): the renderer's own actor coverage, the pose
                                      # itself, so the model learns to draw exactly the silhouette it is given (the
                                      # engine then gives it a medoid template, box_planner --templates medoid)
    prev_frame_cond: bool = False     # model: a continuation chunk reads the shot's frame before it (model.py; needs
                                      # the conv encoder): stage-2 chunk_causal batches with j >= 1 give it, from
                                      # the context as the model sees it (injected errors included, before t_c)
    prev_frame_lr_mult: float = 1.0   # the previous frame's zero-started input conv learns at this multiple of lr
    conv_res_blocks: int = 0          # model: model.ConvResBlocks per level below full resolution in the U-Net's
                                      # encoder and decoder (needs the conv encoder); zero-initialised
    self_cond: float = 0.0            # model: self-conditioning (needs the conv encoder); the share of samples whose
                                      # forward first gets the model's own clean-frame estimate of the same x_t
                                      # from a no-grad pass (Chen et al. 2022 use 0.5; 0 = a model without it)
    aux_layer: int = -1               # the block whose output ActorKindHead reads (-1 = n_layers // 2 - 1)
    motion_loss: float = 0.0          # weight of flow.motion_mse, the error of the frame-to-frame change inside each
                                      # segment: pays for camera moves and actions, which the per-frame loss barely
                                      # sees (stages 1-2; 0 = off)
    loss_t_floor: float = 0.0         # Min-SNR cap: the clean-frame error weighs 1 / max(t, floor)^2 instead of
                                      # 1 / t^2 (flow.min_snr_segment_weight; 0 = off, the plain v-loss)
    camera_rope: bool = False         # model: camera RoPE (rope.camera_rope_positions; needs shot_cond): tokens are
                                      # rotated by their content's world position under the shot's camera, at the
                                      # storyworld camera's rates (storyworld.motion) over frames_per_shot
    shot_cond: bool = False           # model: camera move and shot size as class labels (model.py ShotEmbedder);
                                      # the captions are then the shots' content alone (ShotSpec.prompt)
    critic: str = ""                  # a frozen frame critic's folder (frame_critic.py), read when critic_loss > 0
    critic_loss: float = 0.0          # weight of the critic's kind + colour cross-entropy on the model's clean-frame
                                      # estimate x_hat (x-prediction, pixel codec): the loss then pays for the
                                      # asked silhouette, which the pixel loss barely does (0 = off)
    critic_t_max: float = 1.0         # frames with t above this get no critic loss
    kind_label_oracle: bool = False   # diagnostic: the actor kind as a third class label (model.py); never exported
    caption_dropout: float = 0.0      # caption_cond: per segment probability of a null pooled caption with the
                                      # tokens kept (the editor's uncond pass on a chunk whose caption is cached)
    noise_correlation: float = 0.0    # stages 1-2: the shot noise prior a (flow.shot_noise): the frames of each denoised
                                      # segment share this part of their noise, as the engine's frames of a shot do
                                      # when the export's sampler has noise_correlation a (0 = independent frames)
    warp_noise: bool = False          # the shared part moves with the shot's camera (flow.camera_warped_noise, at the
                                      # storyworld camera's rates): the noise is fixed to the world, not the screen
    actor_flow_noise: bool = False    # with warp_noise: inside the actor's box the shared part moves with the actor
                                      # (flow.actor_carried_noise; the renderer's coverage is the flow). Run s2-k
                                      # (session 25) bought nothing: the engine has no such noise to sample with
    # stage 1
    p_cond_scene: float = 0.3         # multi-shot scene gets conditioning shots
    p_cond_clean: float = 0.5         # a conditioning shot is clean (t = 0) else t ~ U[0, cond_t_max]
    cond_t_max: float = 0.2
    # stage 2
    p_chunk: float = 0.5              # chunk_causal batches (else context_causal)
    p_first_chunk: float = 0.0        # chunk batch: extra probability of chunk 0 (else j uniform over the chunks)
    p_continuation_start: float = 0.0  # chunk batch whose chunk continues its shot (j >= 1): the share of samples
                                      # denoised from where the engine starts such a chunk (flow.continuation_start:
                                      # the shot's frame before it, noised to continuation_start_t), not from the
                                      # true chunk noised; the layout, not that frame, must then say what moved
                                      # (session 34; 0 = off, no random draw)
    continuation_start_t: float = 0.9  # t0 of those samples: the export's --continuation-start
    continuation_anchor: str = "still"  # what those samples start from: the frame before the chunk in every frame
                                      # ("still") or carried by the shot's camera ("camera", flow.camera_carried_frames,
                                      # the export's --continuation-anchor; session 36)
    ctx_t_min: float = 0.05           # context noise level t_c ~ U[ctx_t_min, ctx_t_max]
    ctx_t_max: float = 0.35
    error_recycling: bool = True
    stage0_error_recycling: bool = False  # stage 0 too: the model's own one-step errors (from its t bucket) are
                                          # added to the clean frame it denoises, the target stays clean: it
                                          # learns to turn its own blur into the shape (needs a small bank:
                                          # pixel frames at 64²: --bank-per-bucket 6 fits a checkpoint file)
    bank_buckets: int = 50
    bank_per_bucket: int = 16          # error frames per bucket and kind (checkpoint budget!)
    p_inject_none: float = 0.2
    p_inject_context: float = 0.9
    p_inject_latent: float = 0.9
    p_inject_noise: float = 0.01


@dataclass
class StepBatch:
    x0: torch.Tensor           # (B, F, C, h, w) clean latents of the layout
    text: torch.Tensor         # (B, T, L_txt, 384)
    layout: SceneLayout
    mask_mode: str
    t_seg: torch.Tensor        # (B, G)
    weight: torch.Tensor       # (B, G) loss weight per segment
    target_seg: Optional[int]  # stage 2: the one target segment
    from_previous: Optional[torch.Tensor] = None  # (B,) bool: stage 2, the target starts from the frame before it


def camera_rope_rates(frames_per_shot: int, grid_h: int) -> Dict[str, float]:
    """The storyworld camera (storyworld.motion: a pan travels PAN_DISTANCE view heights, a zoom multiplies the view
    height by ZOOM_FACTOR, over one shot) per latent frame of a frames_per_shot shot; the view is grid_h patches high."""
    from storyworld.motion import PAN_DISTANCE, ZOOM_FACTOR
    steps = frames_per_shot - 1
    return {"camera_pan_per_frame": PAN_DISTANCE * grid_h / steps,
            "camera_log_zoom_per_frame": math.log(ZOOM_FACTOR) / steps}


def camera_noise_rates(cameras: Sequence[Optional[str]], frames_per_shot: int,
                       latent_h: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """The storyworld camera of each shot in latent pixels per latent frame, for flow.camera_warped_noise: camera
    names (None, 'static' or unknown: still) -> (pan_px, log_zoom), each (len(cameras),)."""
    rates = camera_rope_rates(frames_per_shot, latent_h)
    moves = [camera_move(c, rates["camera_pan_per_frame"], rates["camera_log_zoom_per_frame"]) for c in cameras]
    pan, log_zoom = torch.tensor(moves, dtype=torch.float64).reshape(len(cameras), 2).unbind(1)
    return pan, log_zoom


def chunk_step_layout(layout: SceneLayout, j: int, cf: int) -> Tuple[SceneLayout, int]:
    """Layout of one streaming step on the last shot: [.. earlier shots][text + chunks < j][chunk j] (j > 0) or
    [.. earlier shots][text + chunk 0] (j = 0); the shot keeps its planned length for RoPE. Returns the layout
    and how many leading latent frames of the full scene it holds."""
    *head, last = layout.segments
    assert last.shot != GLOBAL_SHOT and 0 <= j and (j + 1) * cf <= last.n_frames, f"no chunk {j} in {last}"
    if j == 0:
        tail = [Segment(last.shot, last.text, last.frame_start, cf)]
    else:
        tail = [Segment(last.shot, last.text, last.frame_start, j * cf),
                Segment(last.shot, False, last.frame_start + j * cf, cf)]
    return layout.with_segments(list(head) + tail), layout.n_frames - last.n_frames + (j + 1) * cf


# Input convs of the conv encoder with no bias (model.ConvEncoder): given zeros ("no box", "no estimate") they add
# nothing, so a warm start that has them equals, without them, itself fed zeros; a run without the input drops them.
BOX_INPUT_CONV = "conv_encoder.actor_box."
PREV_FRAME_INPUT_CONV = "conv_encoder.prev_frame."
UNFED_INPUT_CONVS = (BOX_INPUT_CONV, PREV_FRAME_INPUT_CONV, "conv_encoder.self_cond.")


class DiTTrainer:
    def __init__(self, cfg: DiTTrainConfig, world=None, vae=None, text_encoder=None):
        assert cfg.stage in (0, 1, 2), "stage must be 0, 1 or 2"
        self.cfg = cfg
        self.device = pick_device(cfg.device)
        torch.manual_seed(cfg.seed)
        self.world = world if world is not None else load_storyworld()
        self.vae = vae if vae is not None else load_codec(cfg.vae_dir, self.device)
        self.vae = self.vae.to(self.device).eval().requires_grad_(False)
        patch = dict(patch_h=cfg.patch, patch_w=cfg.patch) if cfg.patch else {}
        if cfg.depth:
            patch["n_layers"] = cfg.depth
        if cfg.refiner_width:
            patch["refiner_width"] = cfg.refiner_width
        if cfg.conv_decoder_width:
            patch["conv_decoder_width"] = cfg.conv_decoder_width
        if cfg.conv_encoder:
            patch["conv_encoder"] = True
        if cfg.conv_res_blocks:
            patch["conv_res_blocks"] = cfg.conv_res_blocks
        if cfg.actor_box_cond > 0:
            patch["actor_box_cond"] = True
        if cfg.self_cond > 0:
            patch["self_cond"] = True
        if cfg.prev_frame_cond:
            patch["prev_frame_cond"] = True
        if cfg.actor_layout != "box":
            assert cfg.actor_box_cond > 0, "an actor layout needs --actor-box-cond"
            patch["actor_layout"] = cfg.actor_layout
        self.dit_cfg = dit_config(cfg.preset, latent_channels=self.vae.cfg.latent_channels,
                                  image_size=self.vae.cfg.image_size,
                                  latent_h=self.vae.cfg.latent_size, latent_w=self.vae.cfg.latent_size,
                                  caption_cond=cfg.caption_cond, prediction=cfg.prediction,
                                  shot_cond=cfg.shot_cond, kind_label_oracle=cfg.kind_label_oracle, **patch)
        if cfg.camera_rope:
            self.dit_cfg = replace(self.dit_cfg, camera_rope=True,
                                   camera_hold_frames=cfg.frames_per_shot - 1,
                                   **camera_rope_rates(cfg.frames_per_shot, self.dit_cfg.grid_hw[0]))
            self.dit_cfg.validate()
        self.model = StoryDiT(self.dit_cfg).to(self.device)
        self.silhouette_kinds, self.silhouette_templates = [], None
        self.paint_colours, self.paint_palette = [], None
        assert cfg.silhouette_source in SILHOUETTE_SOURCES, \
            f"--silhouette-source must be one of {SILHOUETTE_SOURCES}, not {cfg.silhouette_source!r}"
        assert cfg.paint_source in PAINT_SOURCES, f"--paint-source must be one of {PAINT_SOURCES}, not {cfg.paint_source!r}"
        if cfg.actor_layout in ("silhouette", "painted"):
            from .box_planner import load_planner
            assert cfg.layout_planner, f"--actor-layout {cfg.actor_layout} reads its templates from --layout-planner"
            planner = load_planner(cfg.layout_planner)
            assert planner.cfg.plans_silhouette, f"{cfg.layout_planner} plans boxes only (box_planner --silhouette)"
            assert planner.cfg.plans_colour == (cfg.actor_layout == "painted"), \
                f"{cfg.layout_planner} {'paints' if planner.cfg.plans_colour else 'does not paint'} its silhouettes " \
                f"and the run reads {cfg.actor_layout} layouts (box_planner --paint)"
            self.silhouette_kinds, self.silhouette_templates = list(planner.cfg.kinds), planner.templates.clone()
            if planner.cfg.plans_colour:
                self.paint_colours, self.paint_palette = list(planner.cfg.colours), planner.palette.clone()
        if cfg.init_from:
            self.load_init(cfg.init_from)
        self.ema = EMA(self.model, cfg.ema_decay)
        self.mask_head, self.final_tokens = None, None
        self.kind_head, self.mid_tokens = None, None
        params = list(self.model.parameters())
        if cfg.actor_mask_loss > 0:
            self.mask_head = ActorMaskHead(self.dit_cfg).to(self.device)
            params += list(self.mask_head.parameters())
            self.model.final.register_forward_pre_hook(lambda _m, args: setattr(self, "final_tokens", args[0]))
        if cfg.actor_kind_loss > 0:
            self.kind_head = ActorKindHead(self.dit_cfg).to(self.device)
            params += list(self.kind_head.parameters())
            layer = cfg.aux_layer if cfg.aux_layer >= 0 else self.dit_cfg.n_layers // 2 - 1
            assert layer < self.dit_cfg.n_layers, f"--aux-layer {layer}: the model has {self.dit_cfg.n_layers} blocks"
            self.model.blocks[layer].register_forward_hook(lambda _m, _a, out: setattr(self, "mid_tokens", out[0]))
        self.critic = None
        if cfg.critic_loss > 0:
            assert cfg.prediction == "x" and self.dit_cfg.latent_h == self.vae.cfg.image_size, \
                "--critic-loss reads the clean-frame estimate in pixels: it needs --prediction x and --vae pixel"
            assert cfg.critic, "--critic-loss needs --critic DIR (python3 -m storydit.frame_critic --out DIR)"
            self.critic = load_critic(cfg.critic, self.device)
        self.opt = torch.optim.AdamW(self.param_groups(params), lr=cfg.lr, weight_decay=cfg.weight_decay)
        self.text_encoder = text_encoder if text_encoder is not None else make_text_encoder(
            cfg.text_encoder, cfg.text_cache or None, cfg.onnx or None, cfg.tokenizer or None,
            shlex.split(cfg.java_encoder) if cfg.java_encoder else None, self.dit_cfg.l_txt, self.device)
        assert not (cfg.stage == 0 and cfg.preview_every), "stage 0 has no preview sheet: judge it with frame_eval"
        single = cfg.stage == 0                     # one-shot scenes of 2 frames; one frame per row is kept
        needs_alpha = max(cfg.actor_loss_weight, cfg.actor_mask_loss, cfg.actor_kind_loss, cfg.actor_blur,
                          cfg.actor_box_cond) > 0 or cfg.actor_flow_noise
        assert not cfg.actor_flow_noise or cfg.warp_noise, "--actor-flow-noise carries the camera noise: it needs --warp-noise"
        assert not cfg.actor_blur or self.dit_cfg.latent_h == self.vae.cfg.image_size, \
            "--actor-blur blurs pixels: it needs the pixel codec (--vae pixel)"
        self.batcher = SceneBatcher(self.world, cfg.batch_size, self.vae.cfg.image_size,
                                    STAGE0_RENDER_FRAMES if single else cfg.frames_per_shot,
                                    1 if single else cfg.max_shots, 1 if single else cfg.min_shots,
                                    0.0 if single else cfg.p_continuation, seed=cfg.seed * 10 + cfg.stage,
                                    device=self.device, with_alpha=needs_alpha, workers=cfg.data_workers)
        self.inj = InjectionConfig(cfg.bank_buckets, cfg.bank_per_bucket, cfg.p_inject_none, cfg.p_inject_context,
                                   cfg.p_inject_latent, cfg.p_inject_noise)
        c = self.dit_cfg
        self.bank = ErrorBank(self.inj, (c.latent_channels, c.latent_h, c.latent_w)) \
            if (cfg.stage == 2 and cfg.error_recycling) or (cfg.stage == 0 and cfg.stage0_error_recycling) else None
        self.step = 0
        self.cpu_seconds = 0.0          # process CPU time spent training, summed over resumes (checkpointed)
        self.wall_seconds = 0.0         # wall-clock time spent training, summed over resumes (checkpointed)
        self.ckpt_dir = os.path.join(cfg.out_dir, "checkpoints")
        self.check_checkpoint_budget()

    # --- init / checkpoint --------------------------------------------------------------------------
    def load_init(self, path: str) -> None:
        """Start from other weights: a run's newest checkpoint (its EMA) or an exported model folder (e.g. the
        shipped one in assets/, fp16), so training can go on from the repository alone on another machine."""
        if os.path.isfile(os.path.join(path, "manifest.json")):
            from .export import DIT_FILE, verify_manifest
            from . import safetensors_io
            verify_manifest(path)
            state = safetensors_io.load_file(os.path.join(path, DIT_FILE))
            self.load_weights({k: v.float() for k, v in state.items()})
            print(f"initialised from the exported model {path} (fp16 weights widened to fp32)")
            return
        found = ckpt.load_run(path)
        assert found is not None, f"no stage-1 checkpoint under {path}"
        tensors, meta, where = found
        self.load_weights({k[len("ema."):]: v for k, v in tensors.items() if k.startswith("ema.")})
        print(f"initialised from the EMA weights of {where} (step {meta['step']})")

    def load_weights(self, state: dict) -> None:
        """Load a StoryDiT state dict. A model trained on a VAE with another latent width differs only in the
        latent-facing layers (patch_embed, final.proj): those keep their fresh init (final.proj starts at zero,
        adaLN-Zero), everything else (text path, attention, MLPs, modulation) is reused. Weights of a model
        without the caption condition start a caption_cond model with a fresh caption_embedder (its output
        layer is zero, so the warm-started model first behaves exactly as the one it came from); the same for the
        shot-label tables of a shot_cond model (zero-initialised)."""
        own = self.model.state_dict()
        state = interleaved_blocks(state, own)
        latent_facing = ("patch_embed.weight", "patch_embed.bias", "final.proj.weight", "final.proj.bias")
        skipped = [k for k in latent_facing if k in state and state[k].shape != own[k].shape]
        if skipped:
            print(f"warm start across latent widths: fresh {', '.join(skipped)}")
        new_parts = ("caption_embedder.", "shot_embedder.", "refiner.", "conv_decoder.", "conv_encoder.")
        fresh = [k for k in own if k.startswith(new_parts) and k not in state]
        if fresh:
            print("warm start without " + " and ".join(sorted({k.split(".")[0] for k in fresh})) + ": fresh (zero) tables")
        box_conv = BOX_INPUT_CONV + "weight"
        if box_conv in state and box_conv in own and state[box_conv].shape[1] < own[box_conv].shape[1]:
            widened = torch.zeros_like(own[box_conv])    # a painted layout from a silhouette model: the silhouette
            widened[:, :state[box_conv].shape[1]] = state[box_conv]       # channel keeps its weights, colour at zero
            state = {**state, box_conv: widened}
            print(f"warm start widens {box_conv} to {own[box_conv].shape[1]} input channels (the new ones at zero)")
        unread = [k for k in state if k not in own and k.startswith(UNFED_INPUT_CONVS)]
        if unread:                       # bias-free convs of an input this run does not feed: zero input, zero effect
            print("warm start reads inputs this run does not feed: dropped " + ", ".join(sorted(unread)))
            state = {k: v for k, v in state.items() if k not in unread}
        missing, unexpected = set(own) - set(state) - set(fresh), set(state) - set(own)
        assert not missing and not unexpected, \
            f"init weights are another architecture: lack {sorted(missing)[:5]}, extra {sorted(unexpected)[:5]}"
        self.model.load_state_dict({k: v for k, v in state.items() if k not in skipped},
                                   strict=not skipped and not fresh)

    def param_groups(self, params: List[nn.Parameter]) -> List[dict]:
        """The optimizer's groups: every parameter at the learning rate, except the zero-started input convs of the
        actor box and of the previous frame at cfg.actor_box_lr_mult and cfg.prev_frame_lr_mult times it (when
        set)."""
        groups, taken = [], set()
        for prefix, mult in ((BOX_INPUT_CONV, self.cfg.actor_box_lr_mult),
                             (PREV_FRAME_INPUT_CONV, self.cfg.prev_frame_lr_mult)):
            boosted = {id(p) for n, p in self.model.named_parameters() if n.startswith(prefix)} if mult != 1.0 \
                else set()
            if boosted:
                groups.append({"params": [p for p in params if id(p) in boosted], "lr_mult": mult})
                taken |= boosted
        return [{"params": [p for p in params if id(p) not in taken], "lr_mult": 1.0}] + groups

    def aux_heads(self) -> Dict[str, nn.Module]:
        """The training-only heads, by checkpoint prefix (aux.<name>.*); never exported."""
        heads = {"mask_head": self.mask_head, "kind_head": self.kind_head}
        return {name: head for name, head in heads.items() if head is not None}

    def state(self):
        tensors = {f"model.{k}": v for k, v in self.model.state_dict().items()}
        tensors.update({f"ema.{k}": v for k, v in self.ema.shadow.items()})
        for name, head in self.aux_heads().items():
            tensors.update({f"aux.{name}.{k}": v for k, v in head.state_dict().items()})
        t_opt, m_opt = ckpt.optimizer_state(self.opt)
        t_rng, m_rng = ckpt.rng_state()
        tensors.update(t_opt)
        tensors.update(t_rng)
        if self.bank is not None:
            tensors.update(self.bank.state_tensors())
        meta = {"kind": "storydit", "train_config": asdict(self.cfg), "dit_config": self.dit_cfg.to_dict(),
                "vae_config": self.vae.cfg.to_dict(), "data_cursor": self.step,
                "cpu_seconds": self.cpu_seconds, "wall_seconds": self.wall_seconds, **m_opt, **m_rng}
        return tensors, meta

    def check_checkpoint_budget(self) -> None:
        """Refuse now, not at the first checkpoint, a state that cannot be saved (a large error bank, say). AdamW's
        two moments per parameter exist only after a step, so they are counted from the parameters."""
        tensors, meta = self.state()
        params = [p for g in self.opt.param_groups for p in g["params"]]
        moments = {f"optim.{i}.{k}": p for i, p in enumerate(params) for k in ("exp_avg", "exp_avg_sq")}
        ckpt.check_budget({**moments, **tensors}, meta)

    def save(self) -> str:
        tensors, meta = self.state()
        path = ckpt.save_checkpoint(self.ckpt_dir, self.step, tensors, meta)
        if hasattr(self.text_encoder, "save"):
            self.text_encoder.save()
        return path

    def try_resume(self) -> bool:
        found = ckpt.load_latest(self.ckpt_dir)
        if found is None:
            return False
        tensors, meta, path = found
        dev = self.device
        self.model.load_state_dict({k[len("model."):]: v.to(dev) for k, v in tensors.items() if k.startswith("model.")})
        for name, head in self.aux_heads().items():
            prefix = f"aux.{name}."
            head.load_state_dict({k[len(prefix):]: v.to(dev) for k, v in tensors.items() if k.startswith(prefix)})
        self.ema.shadow = {k[len("ema."):]: v.to(dev).float() for k, v in tensors.items() if k.startswith("ema.")}
        ckpt.load_optimizer_state(self.opt, {k: v for k, v in tensors.items() if k.startswith("optim.")}, meta)
        if self.bank is not None:
            self.bank.load_state_tensors(tensors)
        ckpt.set_rng_state(tensors, meta)
        self.step = meta["step"]
        self.cpu_seconds = float(meta.get("cpu_seconds", 0.0))
        self.wall_seconds = float(meta.get("wall_seconds", 0.0))
        print(f"resumed StoryDiT stage {self.cfg.stage} from {path} at step {self.step}")
        return True

    # --- batches ------------------------------------------------------------------------------------
    @torch.no_grad()
    def encode_batch(self, b: SceneBatch) -> Tuple[torch.Tensor, torch.Tensor]:
        """-> x0 (B, S*F, C, h, w), text (B, [1 +] S, L_txt, 384) (global caption first when present)."""
        B, S, Fr = b.video.shape[:3]
        frames = b.video.reshape(B * S * Fr, *b.video.shape[-3:]).to(self.device)      # (B*S*F, 3, H, W)
        with autocast(self.device):
            z = torch.cat([self.vae.encode(frames[i:i + VAE_ENCODE_BATCH]).float()
                           for i in range(0, frames.shape[0], VAE_ENCODE_BATCH)])
        x0 = z.reshape(B, S * Fr, *z.shape[1:])                                        # (B, S*F, C, h, w)
        L = self.dit_cfg.l_txt
        captions = [[shot_prompt(spec, i) for i in range(S)] for spec in b.specs] if self.dit_cfg.shot_cond \
            else b.captions
        text = self.text_encoder.encode([c for caps in captions for c in caps]).reshape(B, S, L, -1)
        if b.has_global:
            g = [gc or "" for gc in b.global_captions]
            gt = self.text_encoder.encode([x for x in g if x])
            glob, it = null_text(B, L), iter(gt)
            for i, x in enumerate(g):
                if x:
                    glob[i] = next(it)
            text = torch.cat([glob[:, None], text], dim=1)
        return x0, text.to(self.device)

    def actor_layout(self, b: SceneBatch, frames: int) -> torch.Tensor:
        """The actor_box_cond input of the first `frames` frames (B, F, 1, h, w): the true box (actor_box.box_mask),
        or with cfg.actor_layout "silhouette" the true kind's template drawn into it, facing the actor's way
        (actor_silhouette.py), or with cfg.silhouette_source "coverage" the actor's true coverage; "painted":
        (B, F, 4, h, w), that silhouette painted the true colour's mean fill from the planner's palette, or with
        cfg.paint_source "actor" the actor's own colour (actor_silhouette.painted_masks)."""
        cover = self.actor_coverage(b)[:, :frames]
        if self.cfg.actor_layout == "box":
            return box_mask(cover)
        sil = cover if self.cfg.silhouette_source == "coverage" else self.template_silhouettes(b, cover, frames)
        if self.cfg.actor_layout == "silhouette":
            return sil
        if self.cfg.paint_source == "actor":
            rgb = torch.tensor([spec.actor.rgb for spec in b.specs], dtype=torch.float32)                 # (B, 3)
        else:
            rgb = self.paint_palette[[self.paint_colours.index(spec.actor.colour) for spec in b.specs]]
        return painted_masks(sil[:, :, 0], rgb[:, None].expand(-1, sil.shape[1], -1).to(sil.device))

    def template_silhouettes(self, b: SceneBatch, cover: torch.Tensor, frames: int) -> torch.Tensor:
        """Silhouette source "template": each frame's true kind's template in its true box, facing the true way
        (actor_silhouette.true_silhouettes), from the coverage of the first `frames` frames -> (B, F, 1, h, w)."""
        kinds = [self.silhouette_kinds.index(spec.actor.kind) for spec in b.specs]
        facing = shot_facing(b.specs)                                                   # (B, S*F) of the specs
        if b.kept_frame is not None:                                                    # stage 0: one frame per row
            facing = facing[torch.arange(len(b.specs)), b.kept_frame][:, None]
        assert facing.shape[1] == b.alpha.shape[1] * b.alpha.shape[2], "the poses are not the rendered frames"
        return true_silhouettes(cover, kinds, self.silhouette_templates, facing[:, :frames])

    def actor_coverage(self, b: SceneBatch) -> torch.Tensor:
        """Actor coverage per latent pixel (B, S*F, 1, h, w): the renderer's alpha averaged over the pixels the
        latent pixel covers (pixel space: the alpha itself)."""
        assert b.alpha is not None, "the actor loss weight and the auxiliary heads need the renderer's actor coverage"
        B, S, Fr, H, W = b.alpha.shape
        h = self.dit_cfg.latent_h
        cover = F.avg_pool2d(b.alpha.reshape(B * S * Fr, 1, H, W).to(self.device), kernel_size=H // h)
        return cover.reshape(B, S * Fr, 1, h, cover.shape[-1])

    def pixel_weight(self, b: SceneBatch, t_frames: torch.Tensor,
                     box: Optional[torch.Tensor] = None) -> Optional[torch.Tensor]:
        """Loss weight per latent pixel, (B, S*F, 1, h, w) = 1 + lambda * actor coverage on frames whose t
        (t_frames (B, S*F, 1, 1, 1)) is at most actor_weight_t_max; None when actor weighting is off. The actor
        is a small part of most frames, so without it the loss is mostly the background (the setting, which the
        model learned first). With cfg.actor_weight_boxed_all_t, a frame given its actor box (box (B, S*F, 1, h, w),
        nonzero) is weighed at every t."""
        if self.cfg.actor_loss_weight <= 0:
            return None
        cover = self.actor_coverage(b)[:, :t_frames.shape[1]]
        gate = t_frames <= self.cfg.actor_weight_t_max
        if self.cfg.actor_weight_boxed_all_t and box is not None:
            gate = gate | (box.flatten(2).amax(-1) > 0)[..., None, None, None]
        weight = self.cfg.actor_loss_weight * gate.to(cover.dtype) * cover
        if self.cfg.actor_weight_area > 0:
            area = cover.sum(dim=(-2, -1), keepdim=True)                       # (B, S*F, 1, 1, 1) latent pixels
            weight = weight * (self.cfg.actor_weight_area / area.clamp(min=1e-6)).clamp(1.0, ACTOR_AREA_BOOST_MAX)
        return 1.0 + weight

    @staticmethod
    def single_frames(b: SceneBatch) -> SceneBatch:
        """Stage 0: keep one frame per scene (frame 0 or 1 of its 2-frame shot, drawn on the CPU generator),
        drop the global caption: the row's caption is its shot's."""
        B = b.video.shape[0]
        pick = torch.randint(0, b.video.shape[2], (B,))
        video = b.video[torch.arange(B), :, pick][:, :, None]                   # (B, 1, 1, 3, H, W)
        alpha = None if b.alpha is None else b.alpha[torch.arange(B), :, pick][:, :, None]
        return SceneBatch(video, b.captions, [None] * B, b.mode, b.specs, alpha, kept_frame=pick)

    def stage0_batch(self, b: SceneBatch, x0, text) -> StepBatch:
        B = x0.shape[0]
        layout = self.model.layout_for([1], False)
        t = flow.logit_normal_t((B, 1), self.cfg.t_mean, self.cfg.t_std)
        target = 0 if self.bank is not None else None                  # error recycling: the frame is the target
        return StepBatch(x0, text, layout, "scene_full", t, torch.ones(B, 1), target)

    def stage1_batch(self, b: SceneBatch, x0, text) -> StepBatch:
        cfg = self.cfg
        B, S = x0.shape[0], b.n_shots
        layout = self.model.layout_for([cfg.frames_per_shot] * S, b.has_global)
        G = len(layout.segments)
        t = flow.logit_normal_t((B, G), cfg.t_mean, cfg.t_std)
        weight = torch.ones(B, G)
        shot_seg = [g for g, s in enumerate(layout.segments) if s.shot != GLOBAL_SHOT]
        for g, s in enumerate(layout.segments):
            if s.shot == GLOBAL_SHOT:
                t[:, g], weight[:, g] = 0.0, 0.0
        for i in range(B):
            if S > 1 and float(torch.rand(())) < cfg.p_cond_scene:
                k = int(torch.randint(1, S, ()))
                for j in torch.randperm(S)[:k].tolist():
                    g = shot_seg[j]
                    t[i, g] = 0.0 if float(torch.rand(())) < cfg.p_cond_clean else float(torch.rand(())) * cfg.cond_t_max
                    weight[i, g] = 0.0
        return StepBatch(x0, text, layout, "scene_full", t, weight, None)

    def stage2_batch(self, b: SceneBatch, x0, text) -> StepBatch:
        cfg, cf = self.cfg, self.dit_cfg.chunk_frames
        B, S, Fr = x0.shape[0], b.n_shots, cfg.frames_per_shot
        layout = self.model.layout_for([Fr] * S, b.has_global)
        n_chunks = -(-Fr // cf)
        mode = "context_causal"
        if n_chunks >= 2 and float(torch.rand(())) < cfg.p_chunk:
            # the editor's streaming step: chunk j of the last shot is the one target, its earlier chunks are
            # context at t_c (chunk 0 carries the caption), later chunks do not exist yet. j = 0 is the chunk
            # that decides what the shot shows.
            mode = "chunk_causal"
            first = cfg.p_first_chunk > 0 and float(torch.rand(())) < cfg.p_first_chunk   # no draw at 0: resume
            j = 0 if first else int(torch.randint(0, n_chunks, ()))
            layout, keep = chunk_step_layout(layout, j, cf)
            x0 = x0[:, :keep]
        G = len(layout.segments)
        t_ctx = cfg.ctx_t_min + torch.rand(B) * (cfg.ctx_t_max - cfg.ctx_t_min)        # (B,)
        t = t_ctx[:, None].repeat(1, G)
        t[:, -1] = flow.logit_normal_t((B,), cfg.t_mean, cfg.t_std)
        weight = torch.zeros(B, G)
        weight[:, -1] = 1.0
        for g, s in enumerate(layout.segments):
            if s.shot == GLOBAL_SHOT:
                t[:, g] = 0.0
        from_previous = None
        if mode == "chunk_causal" and layout.segments[-1].frame_start > 0 and cfg.p_continuation_start > 0:
            from_previous = torch.rand(B) < cfg.p_continuation_start
            t[from_previous, -1] = cfg.continuation_start_t
        return StepBatch(x0, text, layout, mode, t, weight, G - 1, from_previous)

    def shot_noise(self, eps: torch.Tensor, sb: StepBatch, slices, b: SceneBatch) -> torch.Tensor:
        """The shot noise prior on the segments being denoised (weight > 0): each gets a shared part of its own,
        drawn fresh (the engine draws a shot's from its seed; a stage-2 target chunk never sees its context
        chunks' initial noise); with warp_noise the shared part moves with the shot's camera over the segment's
        frames. Context and conditioning segments keep independent noise, as the engine's re-noised context does."""
        out = eps.clone()
        B, _, C, H, W = eps.shape
        shared = torch.randn(B, len(slices), C, *((2 * H, 2 * W) if self.cfg.warp_noise else (H, W)))  # (B, G, C, ..)
        carried = self.cfg.warp_noise and self.cfg.actor_flow_noise
        cover = self.actor_coverage(b)[:, :, 0].cpu() if carried else None              # (B, S*F, h, w)
        for g, sl in enumerate(slices):
            denoised = sb.weight[:, g] > 0
            if sl.stop <= sl.start or not denoised.any():
                continue                                                                # keeps its eps
            part = shared[:, g:g + 1]                                                   # (B, 1, C, h, w)
            if self.cfg.warp_noise:
                seg = sb.layout.segments[g]
                pan, zoom = camera_noise_rates([spec.shots[seg.shot].camera for spec in b.specs],
                                               self.cfg.frames_per_shot, H)
                frames = torch.arange(seg.frame_start, seg.frame_start + (sl.stop - sl.start))
                last = self.cfg.frames_per_shot - 1                                     # zooms hold past it
                canvas = part
                part = flow.camera_warped_noise(canvas, (H, W), frames, pan, zoom, last).float()  # (B, F_g, C, H, W)
                if carried:
                    first = flow.camera_warped_noise(canvas, (H, W), torch.zeros(1, dtype=torch.long), pan, zoom,
                                                     last).float()                       # (B, 1, C, H, W)
                    shot0 = seg.shot * self.cfg.frames_per_shot
                    part = flow.actor_carried_noise(part, first, cover[:, shot0 + frames], cover[:, shot0])
            mixed = flow.shot_noise(eps[:, sl], part.to(eps.device), self.cfg.noise_correlation)
            out[:, sl] = torch.where(denoised.to(eps.device)[:, None, None, None, None], mixed, eps[:, sl])
        return out

    def cfg_drop(self, text: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Null some captions for CFG; returns the text and the keep mask (B, T) (the shot labels follow it)."""
        keep = (torch.rand(text.shape[:2]) >= self.cfg.cfg_dropout).to(text.dtype).to(text.device)  # (B, T)
        return text * keep[:, :, None, None], keep

    def shot_labels(self, b: SceneBatch, layout: SceneLayout, keep: torch.Tensor) -> Optional[torch.Tensor]:
        """shot_cond: [camera, shot size] labels per segment (B, G, 2; the oracle adds [kind]); null for the
        global segment and for every segment whose shot caption CFG dropped (caption and labels are dropped
        together)."""
        if not self.dit_cfg.shot_cond:
            return None
        text_row, shot_text = 0, {}
        for s in layout.segments:
            if s.text:
                shot_text[s.shot] = text_row
                text_row += 1
        labels = torch.zeros(len(b.specs), len(layout.segments), self.dit_cfg.n_shot_labels, dtype=torch.long)
        for i, spec in enumerate(b.specs):
            for g, s in enumerate(layout.segments):
                if s.shot == GLOBAL_SHOT or (s.shot in shot_text and keep[i, shot_text[s.shot]] == 0):
                    continue
                shot = spec.shots[s.shot]
                kind = spec.actor.kind if self.dit_cfg.kind_label_oracle else None
                labels[i, g] = torch.tensor(self.dit_cfg.shot_label(shot.camera, shot.shot_size, kind))
        return labels.to(self.device)

    def caption_drop(self, layout: SceneLayout, text: torch.Tensor) -> Optional[torch.Tensor]:
        """Pooled captions (B, G, 384) with some segments' set to null while their tokens stay; None = the model
        derives them from `text` (no caption condition, or caption_dropout 0: no random draw, exact resume)."""
        if not self.dit_cfg.caption_cond or self.cfg.caption_dropout <= 0:
            return None
        caption = segment_captions(layout, text)
        keep = (torch.rand(caption.shape[:2]) >= self.cfg.caption_dropout).to(caption.dtype).to(caption.device)
        return caption * keep[:, :, None]

    def prev_frames(self, sb: StepBatch, x_in: torch.Tensor) -> torch.Tensor:
        """prev_frame_cond's input (B, F, C, H, W): in a chunk_causal batch whose target chunk continues its shot
        (j >= 1), each target frame gets the shot's frame before the chunk as the context holds it (x_in: injected
        errors included, before the context's t_c noise), as the engine gives the frame it drew; zeros elsewhere."""
        prev = torch.zeros_like(x_in)
        if sb.mask_mode == "chunk_causal" and sb.layout.segments[sb.target_seg].frame_start > 0:
            tgt = sb.layout.frame_slices()[sb.target_seg]
            prev[:, tgt] = x_in[:, tgt.start - 1:tgt.start]
        return prev

    def start_from_previous(self, sb: StepBatch, x_t: torch.Tensor, x_in: torch.Tensor, eps: torch.Tensor,
                            x0: torch.Tensor, cameras: Optional[Sequence[str]] = None
                            ) -> Tuple[torch.Tensor, torch.Tensor]:
        """p_continuation_start: the rows sb.from_previous denoise their target chunk from where the engine starts it,
        x_t0 = (1 - t0) * previous + t0 * eps (flow.continuation_start), previous the shot's frame before the chunk as
        the context holds it (x_in: injected errors included, as the engine's drawn frame); with continuation_anchor
        "camera", that frame carried by each row's shot camera (`cameras`, one name per row) to every chunk frame.
        Returns (x_t, v_target) with v_target = (x_t - x0) / t0, the velocity whose clean frame is the true chunk x0."""
        v_target = flow.velocity_target(x0, eps)
        rows = sb.from_previous
        if rows is None or not rows.any():
            return x_t, v_target
        rows = rows.to(x_t.device)
        tgt, t0 = sb.layout.frame_slices()[sb.target_seg], self.cfg.continuation_start_t
        x_t, v_target = x_t.clone(), v_target.clone()
        previous = x_in[:, tgt.start - 1:tgt.start]                                       # (B, 1, C, H, W)
        if self.cfg.continuation_anchor == "camera":
            assert cameras is not None and len(cameras) == x_in.shape[0], "a camera anchor needs each row's camera"
            seg = sb.layout.segments[sb.target_seg]
            pan, zoom = camera_noise_rates(list(cameras), self.cfg.frames_per_shot, x_in.shape[-2])
            frames = torch.arange(seg.frame_start, seg.frame_start + (tgt.stop - tgt.start))
            previous = flow.camera_carried_frames(previous[:, 0].cpu(), seg.frame_start - 1, frames, pan, zoom,
                                                  self.cfg.frames_per_shot - 1).to(previous)   # (B, F_tgt, C, H, W)
        start = flow.continuation_start(previous, eps[:, tgt], t0)                        # (B, F_tgt, C, H, W)
        x_t[rows, tgt] = start[rows]
        v_target[rows, tgt] = (start[rows] - x0[rows, tgt]) / t0
        return x_t, v_target

    def inject_errors(self, sb: StepBatch, x0: torch.Tensor, eps: torch.Tensor):
        """Error recycling (stage 2; stage 0 when asked): returns (x0 with injected errors, eps with injected
        errors). Stage 0 has no context, only the target frame."""
        if self.bank is None or not self.bank.filled():
            return x0, eps
        x0, eps = x0.clone(), eps.clone()
        slices = sb.layout.frame_slices()
        tgt = slices[sb.target_seg]
        ctx = [sl for g, sl in enumerate(slices) if g != sb.target_seg and sl.stop > sl.start]
        gen = None
        for i in range(x0.shape[0]):
            if float(torch.rand(())) < self.inj.p_none:
                continue
            t_i = float(sb.t_seg[i, sb.target_seg])
            if ctx and float(torch.rand(())) < self.inj.p_context:
                for sl in ctx:
                    x0[i, sl] += self.bank.draw_frames("x0", None, sl.stop - sl.start, gen, x0.device)
            if float(torch.rand(())) < self.inj.p_latent:
                x0[i, tgt] += self.bank.draw_frames("x0", t_i, tgt.stop - tgt.start, gen, x0.device)
            if float(torch.rand(())) < self.inj.p_noise:
                eps[i, tgt] += self.bank.draw_frames("eps", t_i, tgt.stop - tgt.start, gen, x0.device)
        return x0, eps

    @torch.no_grad()
    def self_estimate(self, x_t, text_in, sb: StepBatch, caption, labels, t_frames) -> torch.Tensor:
        """Self-conditioning's input (B, F, C, H, W): for a random share cfg.self_cond of the samples, the model's
        own clean-frame estimate of x_t from a no-grad forward without one (what the sampler's previous step
        hands the next); zeros for the rest, so the model also learns the sampler's first step."""
        x_prev = torch.zeros_like(x_t)
        rows = torch.nonzero(torch.rand(x_t.shape[0]) < self.cfg.self_cond, as_tuple=True)[0].to(x_t.device)
        if len(rows) == 0:
            return x_prev
        with autocast(self.device):
            v = self.model(x_t[rows], text_in[rows], sb.t_seg.to(x_t.device)[rows], sb.layout, sb.mask_mode,
                           caption=None if caption is None else caption[rows],
                           shot_labels=None if labels is None else labels[rows])
        x_prev[rows] = flow.clean_estimate(x_t[rows], v.float(), t_frames[rows], self.dit_cfg.x_pred_t_min)
        return x_prev

    # --- one optimizer step -------------------------------------------------------------------------
    def train_step(self) -> dict:
        cfg = self.cfg
        lr = lr_at(self.step, cfg.lr, cfg.warmup, cfg.steps, cfg.schedule)
        for g in self.opt.param_groups:
            g["lr"] = lr * g.get("lr_mult", 1.0)
        b = self.batcher.batch(self.step)
        if cfg.stage == 0:
            b = self.single_frames(b)
        x0, text = self.encode_batch(b)
        make = {0: self.stage0_batch, 1: self.stage1_batch, 2: self.stage2_batch}[cfg.stage]
        sb = make(b, x0, text)
        x0 = sb.x0                                                               # stage 2 may drop later chunks
        dev = self.device
        slices = sb.layout.frame_slices()
        eps = torch.randn(x0.shape).to(dev)                                      # CPU RNG: device independent
        if cfg.noise_correlation > 0:
            eps = self.shot_noise(eps, sb, slices, b)
        x_in, eps_in = (x0, eps) if self.bank is None else self.inject_errors(sb, x0, eps)
        t_frames = flow.frames_t(sb.t_seg, slices, x0.shape[1]).to(dev)          # (B, F, 1, 1, 1)
        if cfg.actor_blur > 0:                                                   # the target stays x0
            x_in = blurred_inputs(x_in, self.actor_coverage(b)[:, :x0.shape[1]], t_frames, cfg.actor_blur,
                                  cfg.actor_blur_t_min, cfg.actor_blur_sigma)
        x_t = flow.add_noise(x_in, eps_in, t_frames)
        cameras = None
        if sb.from_previous is not None and cfg.continuation_anchor == "camera":
            cameras = [spec.shots[sb.layout.segments[sb.target_seg].shot].camera for spec in b.specs]
        x_t, v_target = self.start_from_previous(sb, x_t, x_in, eps_in, x0, cameras)   # clean x0 (SVI)
        text_in, keep = self.cfg_drop(sb.text)
        caption = self.caption_drop(sb.layout, text_in)
        labels = self.shot_labels(b, sb.layout, keep)
        self.model.train()
        x_prev = self.self_estimate(x_t, text_in, sb, caption, labels, t_frames) if cfg.self_cond > 0 else None
        box = drop_boxes(self.actor_layout(b, x0.shape[1]), cfg.actor_box_cond) if cfg.actor_box_cond > 0 else None
        prev = self.prev_frames(sb, x_in) if cfg.prev_frame_cond else None
        pw = self.pixel_weight(b, t_frames, box)                                 # stage 2: the leading frames
        with autocast(dev):
            v_pred = self.model(x_t, text_in, sb.t_seg.to(dev), sb.layout, sb.mask_mode, caption=caption,
                                shot_labels=labels, self_cond=x_prev, actor_box=box, prev_frame=prev)
        seg_w = sb.weight * flow.min_snr_segment_weight(
            sb.t_seg, cfg.loss_t_floor, self.dit_cfg.x_pred_t_min if cfg.prediction == "x" else 0.0)
        mse = flow.per_segment_mse(v_pred.float(), v_target, slices, seg_w.to(dev), pw)
        loss, info = mse, {}
        if cfg.motion_loss > 0:
            motion = flow.motion_mse(v_pred.float(), v_target, slices, seg_w.to(dev))
            info["motion_mse"] = round(float(motion), 5)
            loss = loss + cfg.motion_loss * motion
        if self.mask_head is not None:
            cover = self.actor_coverage(b)[:, :x0.shape[1]]
            logits = self.mask_head(self.final_tokens, x0.shape[1])
            bce = mask_loss(logits, cover, flow.frames_t(sb.weight, slices, x0.shape[1]).to(dev))
            info["mask_bce"] = round(float(bce), 4)
            loss = loss + cfg.actor_mask_loss * bce
        if self.kind_head is not None:
            cover = self.actor_coverage(b)[:, :x0.shape[1]]
            video_idx = torch.nonzero(sb.layout.token_table().is_video, as_tuple=True)[0].to(dev)
            logits = self.kind_head(self.mid_tokens[:, video_idx], x0.shape[1])
            kinds = torch.tensor([self.dit_cfg.kinds.index(spec.actor.kind) + 1 for spec in b.specs], device=dev)
            ce = kind_loss(logits, kind_targets(cover, kinds), flow.frames_t(sb.weight, slices, x0.shape[1]).to(dev))
            info["kind_ce"] = round(float(ce), 4)
            loss = loss + cfg.actor_kind_loss * ce
        if self.critic is not None:
            B, Fr = x0.shape[:2]
            x_hat = flow.clean_estimate(x_t, v_pred.float(), t_frames, self.dit_cfg.x_pred_t_min)  # (B, F, 3, H, W)
            frame_w = flow.frames_t(sb.weight, slices, Fr).reshape(B, Fr).to(dev) \
                * (t_frames.reshape(B, Fr) <= cfg.critic_t_max).to(x_hat.dtype)
            kinds, colours = self.critic.targets(b.specs)
            ce, critic_info = critic_loss(self.critic, x_hat, kinds.to(dev), colours.to(dev), frame_w)
            info.update(critic_info)
            loss = loss + cfg.critic_loss * ce
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        gnorm = torch.nn.utils.clip_grad_norm_([p for g in self.opt.param_groups for p in g["params"]], cfg.grad_clip)
        self.opt.step()
        self.ema.update(self.model)
        if self.bank is not None:
            tgt = slices[sb.target_seg]
            self.bank.collect(v_pred[:, tgt].detach().float().reshape(-1, *v_pred.shape[2:]),
                              v_target[:, tgt].reshape(-1, *v_target.shape[2:]),
                              t_frames[:, tgt].reshape(-1), None)
        self.step += 1
        return {"loss": float(mse), "lr": lr, "grad_norm": float(gnorm), "mode": sb.mask_mode,
                "shots": b.n_shots, **info}                       # loss: the denoising loss alone, as in every run

    # --- loop -----------------------------------------------------------------------------------------
    def run(self) -> None:
        self.try_resume()
        log = JsonlLogger(self.cfg.out_dir, self.cfg.steps, self.step)
        log.log(self.step, event="start", device=str(self.device), torch=torch.__version__)  # read by model_card.py
        stop = StopFlag().install()
        budget, wall_budget, this_run = self.cfg.cpu_budget_min * 60, self.cfg.wall_budget_min * 60, 0.0
        try:
            while self.step < self.cfg.steps and not stop.stop and not (budget and self.cpu_seconds >= budget) \
                    and not (wall_budget and this_run >= wall_budget):
                cpu0, wall0 = time.process_time(), time.time()
                info = self.train_step()
                self.cpu_seconds += time.process_time() - cpu0
                wall = time.time() - wall0
                this_run += wall
                self.wall_seconds += wall
                info["cpu_min"] = round(self.cpu_seconds / 60, 2)
                if self.device.type == "cuda":
                    info["wall_min"] = round(self.wall_seconds / 60, 2)
                if self.step % self.cfg.log_every == 0:
                    log.log(self.step, **info)
                if self.cfg.preview_every and self.step % self.cfg.preview_every == 0:
                    self.preview()
                if self.step % self.cfg.ckpt_every == 0:
                    self.save()
            self.save()
        finally:
            stop.uninstall()
            log.close()
            self.batcher.close()

    @torch.no_grad()
    def preview(self, steps: int = 12) -> str:
        """Sample the first scene of a held-out-cursor batch with the EMA weights; rows = shots, cols = frames."""
        model = StoryDiT(self.dit_cfg).to(self.device).eval()
        self.ema.copy_to(model)
        b = self.batcher.batch(PREVIEW_CURSOR)
        x0, text = self.encode_batch(b)
        x0, text = x0[:1], text[:1]
        layout = model.layout_for([self.cfg.frames_per_shot] * b.n_shots, b.has_global)
        targets = [g for g, s in enumerate(layout.segments) if s.shot != GLOBAL_SHOT]
        noise = torch.randn(x0.shape, generator=torch.Generator().manual_seed(0)).to(self.device)
        z = denoise(model, layout, "scene_full", text, targets, noise, SamplerDefaults(steps=steps))
        size = self.vae.cfg.image_size
        frames = self.vae.decode(z)[0].reshape(b.n_shots, self.cfg.frames_per_shot, 3, size, size)  # (S, F, 3, H, W)
        real = b.video[0].to(frames.device)
        os.makedirs(os.path.join(self.cfg.out_dir, "previews"), exist_ok=True)
        path = os.path.join(self.cfg.out_dir, "previews", f"dit-{self.step:08d}.png")
        save_contact_sheet(torch.cat([real, frames]), path)
        return path


BLOCK_KEY = re.compile(r"^blocks\.(\d+)\.(.+)$")
BLOCK_OUTPUTS = ("attn.proj.weight", "attn.proj.bias", "mlp.fc2.weight", "mlp.fc2.bias")


def interleaved_blocks(state: dict, own: dict) -> dict:
    """Warm start of a deeper model (own: n_new blocks) from a shallower one (state: n_old blocks, n_new = k n_old):
    old block i becomes block i k, and the k - 1 blocks after it start with zero attention and MLP output
    projections, so each adds nothing (x + gate * 0) and the deeper model begins exactly where the shallower one
    was; the gates are not zero (the shared adaLN condition), so those projections get gradients from step 1.
    A state of the model's own depth is returned as it is."""
    def depth(d):
        return 1 + max((int(m.group(1)) for m in map(BLOCK_KEY.match, d) if m), default=-1)
    n_old, n_new = depth(state), depth(own)
    if n_old in (0, n_new):
        return state
    assert n_new % n_old == 0, f"cannot deepen {n_old} blocks to {n_new}: {n_new} is not a multiple of {n_old}"
    k = n_new // n_old
    print(f"warm start across depths: {n_old} -> {n_new} blocks (each old block followed by {k - 1} identity blocks)")
    grown = {key: v for key, v in state.items() if not BLOCK_KEY.match(key)}
    for key, v in own.items():
        m = BLOCK_KEY.match(key)
        if not m:
            continue
        i, name = int(m.group(1)), m.group(2)
        if i % k == 0:
            grown[key] = state[f"blocks.{i // k}.{name}"]
        else:
            grown[key] = torch.zeros_like(v) if name in BLOCK_OUTPUTS else v.clone()
    return grown


def shot_prompt(spec, i: int) -> str:
    """The content caption of shot i (storyworld ShotSpec.prompt), the full caption for specs without one."""
    return content_prompt(spec.shots[i])


FLAG_OF_FIELD = {"vae_dir": "--vae", "out_dir": "--out", "init_from": "--init"}   # parse_config's renamed flags


def config_flags(train_config: dict) -> List[str]:
    """A run's DiTTrainConfig (as a checkpoint stores it) -> the train_dit flags that rebuild it: stage, preset,
    --vae, --out and every field that differs from its default (parse_config(config_flags(c)) == c)."""
    d = asdict(DiTTrainConfig())
    out = []
    for name, value in train_config.items():
        if name not in d or (value == d[name] and name not in ("stage", "preset", "vae_dir", "out_dir")):
            continue
        flag = FLAG_OF_FIELD.get(name, "--" + name.replace("_", "-"))
        out += [flag, ("true" if value else "false") if isinstance(value, bool) else str(value)]
    return out


def parse_config(argv=None) -> DiTTrainConfig:
    """The command line -> DiTTrainConfig (also used by probes that rebuild a run's trainer from its flags)."""
    d = DiTTrainConfig()
    p = argparse.ArgumentParser(description="Train StoryDiT (stage 1: scene_full; stage 2: causal + error recycling).")
    p.add_argument("--preset", default=d.preset, choices=["tiny", "S", "M"])
    p.add_argument("--vae", dest="vae_dir", default=None, help="finalized VAE dir (default runs/vae-<preset>/vae)")
    p.add_argument("--out", dest="out_dir", default=None, help="run dir (default runs/dit-<preset>-stage<k>)")
    p.add_argument("--init", dest="init_from", default=d.init_from,
                   help="start from a run dir's EMA weights (stage 2: the stage-1 run) or an exported model dir")
    p.add_argument("--text-encoder", default=d.text_encoder, choices=TEXT_ENCODER_CHOICES,
                   help="auto = onnx if onnxruntime+tokenizers are installed, else the Java encoder; "
                        "test = RandomTestEncoder (NOT the product encoder, smoke runs only)")
    for f in fields(DiTTrainConfig):
        if f.name in ("preset", "vae_dir", "out_dir", "init_from", "text_encoder"):
            continue
        flag = "--" + f.name.replace("_", "-")
        if f.type in ("bool", bool):
            p.add_argument(flag, type=lambda s: s.lower() in ("1", "true", "yes"), default=f.default)
        else:
            typ = {"int": int, "float": float, "str": str}.get(f.type if isinstance(f.type, str) else f.type.__name__, str)
            p.add_argument(flag, type=typ, default=f.default)
    a = vars(p.parse_args(argv))
    if a["schedule"] not in LR_SCHEDULES:
        p.error(f"--schedule must be one of {', '.join(LR_SCHEDULES)}, not {a['schedule']!r}")
    if a["continuation_anchor"] not in CONTINUATION_ANCHORS:
        p.error(f"--continuation-anchor must be one of {', '.join(CONTINUATION_ANCHORS)}, "
                f"not {a['continuation_anchor']!r}")
    a["vae_dir"] = a["vae_dir"] or f"runs/vae-{a['preset']}/vae"
    a["out_dir"] = a["out_dir"] or f"runs/dit-{a['preset']}-stage{a['stage']}"
    return DiTTrainConfig(**a)


def main(argv=None) -> None:
    cfg = parse_config(argv)
    if cfg.stage == 2 and not cfg.init_from and not ckpt.list_checkpoints(os.path.join(cfg.out_dir, "checkpoints")):
        raise SystemExit("stage 2 needs --init <stage-1 run dir> (or an existing stage-2 checkpoint to resume)")
    DiTTrainer(cfg).run()


if __name__ == "__main__":
    main()
