"""The layout planner (session 27): the actor's box in every frame of a shot, planned from the shot's words and
labels, for a model that draws into a box (model.StoryDiTConfig.actor_box_cond, actor_box.py).

LVD ("LLM-grounded Video Diffusion Models", Lian et al. 2023) plans every object's box trajectory from the prompt
before a layout-guided video model draws it; Boximator conditions on boxes a user draws. Here the planner is a
small MLP that learns storyworld's staging from rendered labels (storyworld.render.scene_labels, no pixels): how
big an actor of this size is in this shot size, where it stands, and how its box travels under this action and
camera move. It reads what the product has for a shot: the creator's prompt (pooled MiniLM embedding, as the
caption condition pools it), the camera move and the shot size (the DiT's class labels; 0 = not given), and the
frame's phase in the shot.

    pooled prompt  (B, 384) ─────────────┐
    camera label   (B,) ── embedding (16) ┤
    shot-size label (B,) ── embedding (16) ┼─ cat ─ Linear ─ SiLU ─ Linear ─ SiLU ─ Linear ─> (cx, cy, w, h)
    phase          (B,) ── Fourier (16) ──┘                      sigmoid, then box = clamp(c -+ wh / 2, 0, 1)

    box (B, 4): x0, y0, x1, y1 as shares of the frame's width and height

A planner with actions (session 33, `--actions`; decision 0018) also names the shot's action from the pooled prompt
(an action head, as the kind and colour heads) and the MLP's input gains that action's label embedding after the
shot-size one: training gives it the true action, the engine the named one, so the boxes follow one action's path.

Train and judge (from training/):
    python3 -m storydit.box_planner --out runs/box-planner --scenes 20000 --steps 4000
    python3 -m storydit.box_planner --replan planners/posed --actions --out planners/acting

`eval.json` gives the mean IoU with the true box on held-out-wording validation scenes (seed 8,000,000, the
frame_eval scenes), per shot size, against a planner that knows only the shot size (its mean box): what the words
and the camera add.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .actor_silhouette import TEMPLATE_RULES
from .safetensors_io import load_file, save_file

WEIGHTS = "box_planner.safetensors"
VALIDATION_SEED = 8_000_000
TRAIN_SEED = 50_000_000          # far from the trainers' and the validation sets' seeds
PROMPT_PARTS = ("kind", "templates", "colour", "palette")   # what --replan keeps: read from the prompt alone


@dataclass
class BoxPlannerConfig:
    cameras: List[str] = field(default_factory=lambda: ["static", "pan_left", "pan_right", "zoom_in", "zoom_out"])
    shot_sizes: List[str] = field(default_factory=lambda: ["wide", "medium", "close_up"])
    text_dim: int = 384
    label_dim: int = 16
    phase_freqs: int = 8             # Fourier features sin/cos(2^k pi phase), k < phase_freqs
    hidden: int = 256
    kinds: List[str] = field(default_factory=list)  # session 30: the actor kinds it names (empty: a box planner
    template_size: int = 16          # only); with kinds, each kind's mean silhouette in its box (actor_silhouette.py)
    colours: List[str] = field(default_factory=list)  # session 31: the actor colours it names (needs kinds); the
                                     # silhouette is painted the named colour's mean fill (actor_silhouette.painted_masks)
    actions: List[str] = field(default_factory=list)  # session 33: the actions it names; the box MLP then reads the
                                     # named action, so it plans that action's path, never a blend of several

    @property
    def plans_silhouette(self) -> bool:
        return bool(self.kinds)

    @property
    def plans_colour(self) -> bool:
        return bool(self.colours)

    @property
    def plans_action(self) -> bool:
        return bool(self.actions)

    @property
    def layout_channels(self) -> int:
        """Channels of the planned layout: 4 (silhouette, silhouette x RGB) when painted, else 1."""
        return 4 if self.plans_colour else 1

    @staticmethod
    def from_dict(d: dict) -> "BoxPlannerConfig":
        return BoxPlannerConfig(**d)


class BoxPlanner(nn.Module):
    def __init__(self, cfg: BoxPlannerConfig):
        super().__init__()
        self.cfg = cfg
        self.camera = nn.Embedding(len(cfg.cameras) + 1, cfg.label_dim)        # 0 = not given
        self.shot_size = nn.Embedding(len(cfg.shot_sizes) + 1, cfg.label_dim)
        width = cfg.text_dim + (3 if cfg.plans_action else 2) * cfg.label_dim + 2 * cfg.phase_freqs
        self.mlp = nn.Sequential(nn.Linear(width, cfg.hidden), nn.SiLU(), nn.Linear(cfg.hidden, cfg.hidden), nn.SiLU(),
                                 nn.Linear(cfg.hidden, 4))
        if cfg.plans_silhouette:   # from the prompt alone: the kind (K logits) and the way it faces (1 logit, right)
            self.kind = nn.Sequential(nn.Linear(cfg.text_dim, cfg.hidden), nn.SiLU(),
                                      nn.Linear(cfg.hidden, len(cfg.kinds) + 1))
            self.register_buffer("templates", torch.zeros(len(cfg.kinds), cfg.template_size, cfg.template_size))
        if cfg.plans_colour:       # from the prompt alone: the colour (C logits), painted as its mean fill (C, 3)
            assert cfg.plans_silhouette, "a planner paints the silhouette it plans: colours need kinds"
            self.colour = nn.Sequential(nn.Linear(cfg.text_dim, cfg.hidden), nn.SiLU(),
                                        nn.Linear(cfg.hidden, len(cfg.colours)))
            self.register_buffer("palette", torch.zeros(len(cfg.colours), 3))
        if cfg.plans_action:       # from the prompt alone: the action (A logits), read by the box MLP as a label
            self.action = nn.Sequential(nn.Linear(cfg.text_dim, cfg.hidden), nn.SiLU(),
                                        nn.Linear(cfg.hidden, len(cfg.actions)))
            self.action_label = nn.Embedding(len(cfg.actions), cfg.label_dim)

    def kind_probs(self, pooled: torch.Tensor) -> torch.Tensor:
        """pooled (B, 384) -> (B, K) the probability of each of cfg.kinds."""
        return torch.softmax(self.kind(pooled)[:, :-1], dim=-1)

    def named_kind(self, pooled: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """pooled (B, 384) -> (the most probable kind (B, K) one-hot, facing (B,) +1 right / -1 left): the planner
        names one kind and one way, so the silhouette is one template, never a blend of two shapes. A tie faces
        right (a logit of exactly 0)."""
        logits = self.kind(pooled)
        kind = F.one_hot(logits[:, :-1].argmax(dim=-1), len(self.cfg.kinds)).to(pooled.dtype)
        return kind, torch.where(logits[:, -1] >= 0, 1.0, -1.0).to(pooled.dtype)

    def scene_kind(self, pooled: torch.Tensor) -> int:
        """The kind a scene's actor is, from every prompt the scene has (pooled (M, 384): the scene prompt and each
        shot's; null prompts, all zeros, are left out): the kind its surest prompt names (surest_log_probs). One
        actor per scene, named by all its words: a shot that calls it an "orb" is read with the shots that call it
        a ball (session 30: on the validation sets 94 % of shots against 60-83 % from each shot's own words)."""
        return int(self.scene_log_probs(pooled).argmax())       # the first maximum on a tie, as torch.argmax

    def scene_log_probs(self, pooled: torch.Tensor) -> torch.Tensor:
        """scene_kind's evidence, (K,): the log-probabilities (log_softmax of the first K logits) of the scene's
        surest non-null prompt (pooled (M, 384); all-zero rows are left out; surest_log_probs; the engine's
        layout.BoxPlanner.sceneLogProbs)."""
        return surest_log_probs(pooled, lambda real: self.kind(real)[:, :-1], "kind")

    def colour_probs(self, pooled: torch.Tensor) -> torch.Tensor:
        """pooled (B, 384) -> (B, C) the probability of each of cfg.colours."""
        return torch.softmax(self.colour(pooled), dim=-1)

    def named_colour(self, pooled: torch.Tensor) -> torch.Tensor:
        """pooled (B, 384) -> (B, 3) the mean fill of the most probable colour: one colour, never a blend."""
        return self.palette[self.colour(pooled).argmax(dim=-1)]

    def scene_colour(self, pooled: torch.Tensor) -> int:
        """The colour a scene's actor is, from every prompt the scene has, by scene_kind's rule (one actor per
        scene: a shot that does not name its colour is painted the colour the others name)."""
        return int(self.scene_colour_log_probs(pooled).argmax())

    def scene_colour_log_probs(self, pooled: torch.Tensor) -> torch.Tensor:
        """scene_colour's evidence, (C,): log_softmax of the colour logits of the surest non-null prompt."""
        return surest_log_probs(pooled, self.colour, "colour")

    def named_action(self, pooled: torch.Tensor) -> torch.Tensor:
        """pooled (B, 384) -> (B,) long, the index in cfg.actions of the most probable action (the first on a tie)."""
        return self.action(pooled).argmax(dim=-1)

    def phase_features(self, phase: torch.Tensor) -> torch.Tensor:
        """phase (B,) -> (B, 2 * phase_freqs)."""
        angles = phase[:, None] * math.pi * (2.0 ** torch.arange(self.cfg.phase_freqs, dtype=phase.dtype))
        return torch.cat([angles.sin(), angles.cos()], dim=1)

    def forward(self, pooled: torch.Tensor, camera: torch.Tensor, shot_size: torch.Tensor,
                phase: torch.Tensor, action: torch.Tensor = None) -> torch.Tensor:
        """pooled (B, 384), camera (B,) long, shot_size (B,) long, phase (B,) -> boxes (B, 4) x0 y0 x1 y1 in [0, 1].
        A planner with actions reads action (B,) long, an index in cfg.actions (training gives the true one); None:
        the action the prompt names (named_action)."""
        parts = [pooled, self.camera(camera), self.shot_size(shot_size)]
        if self.cfg.plans_action:
            parts.append(self.action_label(self.named_action(pooled) if action is None else action))
        else:
            assert action is None, "this planner plans no action: it reads the action from the prompt's words"
        h = torch.cat(parts + [self.phase_features(phase)], dim=1)
        centre, size = torch.sigmoid(self.mlp(h)).split(2, dim=1)
        return torch.cat([centre - size / 2, centre + size / 2], dim=1).clamp(0.0, 1.0)

    def label(self, camera: str, shot_size: str) -> Tuple[int, int]:
        return self.cfg.cameras.index(camera) + 1, self.cfg.shot_sizes.index(shot_size) + 1


def surest_log_probs(pooled: torch.Tensor, logits_of, what: str) -> torch.Tensor:
    """A scene's evidence for one attribute: pooled (M, 384) prompts, all-zero rows (null prompts) left out -> the
    log_softmax(logits_of(row)) (K,) of the surest row, the one whose most probable value is the most probable (the
    first such row on a tie, as torch.argmax). A prompt that names the attribute in words the head knows ("crimson")
    is sure; one in words it does not know ("scarlet") is less sure and, summed, outvoted it whenever it was said
    more often. On 600 fresh held-out-wording scenes (seeds 8,600,000+) the surest prompt names the colour of 95.3 %
    of them and the kind of 94.2 %, the summed log-probabilities 86.3 and 92.0 % (session 34)."""
    real = pooled.abs().sum(-1) > 0
    assert bool(real.any()), f"a scene with no prompt names no {what}"
    log_probs = torch.log_softmax(logits_of(pooled[real]), dim=-1)                  # (M', K)
    return log_probs[log_probs.max(dim=-1).values.argmax()]


def shot_phases(frames: int) -> torch.Tensor:
    """The phase of frames 0 .. frames - 1 of a shot of `frames` frames, (frames,): frame k at k / frames (the
    engine's layout.BoxPlanner.phase)."""
    return torch.arange(frames, dtype=torch.float32) / frames


@torch.no_grad()
def planned_masks(planner: BoxPlanner, pooled: torch.Tensor, labels: torch.Tensor, frames: int, h: int,
                  w: int) -> torch.Tensor:
    """The planner's layout of every frame of N shots of `frames` frames as the model's box input: pooled prompts
    (N, 384), labels (N, 2) [camera, shot size] -> (N, F, 1, h, w), the box scaled to the (h, w) latent grid and
    covered as actor_box.boxes_to_masks covers it (the engine's layout.BoxMasks); a planner with kinds draws the
    named kind's silhouette into the box instead, facing the named way (BoxPlanner.named_kind,
    actor_silhouette.silhouette_masks; the engine's layout.SilhouetteMasks); one with colours paints it the named
    colour, (N, F, 4, h, w) (actor_silhouette.painted_masks; the engine's layout.PaintedMasks)."""
    from .actor_box import boxes_to_masks
    n = pooled.shape[0]
    phase = shot_phases(frames).repeat(n)
    boxes = planner(pooled.repeat_interleave(frames, 0), labels[:, 0].repeat_interleave(frames),
                    labels[:, 1].repeat_interleave(frames), phase)                       # (N*F, 4) shares
    boxes = boxes * torch.tensor([w, h, w, h], dtype=boxes.dtype)
    if not planner.cfg.plans_silhouette:
        return boxes_to_masks(boxes, h, w).reshape(n, frames, 1, h, w)
    from .actor_silhouette import silhouette_masks
    kind, facing = planner.named_kind(pooled)                                            # (N, K), (N,)
    sil = silhouette_masks(boxes, kind.repeat_interleave(frames, 0), planner.templates, h, w,
                           facing.repeat_interleave(frames, 0)).reshape(n, frames, h, w)
    if not planner.cfg.plans_colour:
        return sil[:, :, None]
    from .actor_silhouette import painted_masks
    return painted_masks(sil, planner.named_colour(pooled)[:, None].expand(n, frames, 3))


def save_planner(planner: BoxPlanner, out_dir: str) -> str:
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, WEIGHTS)
    tmp = path + ".tmp"
    save_file({k: v.detach().float().contiguous() for k, v in planner.state_dict().items()}, tmp,
              metadata={"box_planner_config": json.dumps(asdict(planner.cfg))})
    os.replace(tmp, path)
    return path


def load_planner(path: str) -> BoxPlanner:
    """A planner folder (or its safetensors file) -> BoxPlanner in eval mode."""
    if os.path.isdir(path):
        path = os.path.join(path, WEIGHTS)
    from .safetensors_io import load_metadata
    cfg = BoxPlannerConfig.from_dict(json.loads(load_metadata(path)["box_planner_config"]))
    planner = BoxPlanner(cfg)
    planner.load_state_dict(load_file(path))
    return planner.eval()


REPORT = "eval.json"             # what box_planner.py measured of a planner, written beside its WEIGHTS


def load_report(path: str) -> Optional[dict]:
    """The eval.json written beside a planner (its folder or its safetensors file), or None when there is none."""
    report = os.path.join(path if os.path.isdir(path) else os.path.dirname(path), REPORT)
    if not os.path.isfile(report):
        return None
    with open(report, encoding="utf-8") as f:
        return json.load(f)


# --- data: rendered labels, no pixels ----------------------------------------------------------------------------
@dataclass
class BoxExamples:
    prompts: List[str]              # one per shot
    camera: torch.Tensor            # (S,) labels, 1-based
    shot_size: torch.Tensor         # (S,)
    boxes: torch.Tensor             # (S, F, 4) shares of the frame; NaN where the actor is out of view
    size_words: List[str]           # the actor's size attribute per shot (for the per-size report)
    kinds: List[str] = field(default_factory=list)   # the actor's kind per shot
    facing: torch.Tensor = None     # (S, F) +1 right / -1 left per frame
    actions: List[str] = field(default_factory=list)  # the shot's action
    colours: List[str] = field(default_factory=list)  # the actor's colour name per shot
    settings: List[str] = field(default_factory=list)  # the setting's name per shot

    @property
    def frames(self) -> int:
        return self.boxes.shape[1]


def shot_examples(seeds: Sequence[int], frames: int, split: str, cfg: BoxPlannerConfig, size: int = 64) -> BoxExamples:
    """One-shot scenes drawn from `seeds` -> the shot's content prompt, labels and true box per frame."""
    from storyworld.render import scene_labels
    from storyworld.scene import content_prompt, sample_scene
    from .actor_silhouette import shot_facing
    prompts, camera, shot_size, boxes, words, kinds, facing, actions, colours, settings = [], [], [], [], [], [], [], [], [], []
    for start in range(0, len(seeds), 256):
        specs = [sample_scene(int(s), 1, frames, mode="multishot", split=split) for s in seeds[start:start + 256]]
        for spec, lab in zip(specs, scene_labels(specs, size)):
            shot = lab["shots"][0]
            prompts.append(content_prompt(spec.shots[0]))
            camera.append(cfg.cameras.index(shot["camera"]) + 1)
            shot_size.append(cfg.shot_sizes.index(shot["shot_size"]) + 1)
            boxes.append([[float("nan")] * 4 if b is None else [v / size for v in b] for b in shot["bbox"]])
            words.append(lab["actor"]["size"])
            kinds.append(spec.actor.kind)
            actions.append(spec.shots[0].action)
            colours.append(spec.actor.colour)
            settings.append(spec.setting.name)
        facing.append(shot_facing(specs))
    return BoxExamples(prompts, torch.tensor(camera), torch.tensor(shot_size), torch.tensor(boxes), words, kinds,
                       torch.cat(facing), actions, colours, settings)


def pooled_prompts(prompts: List[str], text_cache: str) -> torch.Tensor:
    """prompts -> (N, 384) pooled MiniLM embeddings (the product's encoder; memoised in `text_cache`)."""
    from .model import pool_caption
    from .text import make_text_encoder
    encoder = make_text_encoder("auto", text_cache or None, None, None, None)
    unique = sorted(set(prompts))
    pooled = {}
    for s in range(0, len(unique), 512):
        chunk = unique[s:s + 512]
        for p, v in zip(chunk, pool_caption(encoder.encode(chunk))):
            pooled[p] = v
    if hasattr(encoder, "save"):
        encoder.save()
    return torch.stack([pooled[p] for p in prompts])


def flatten(ex: BoxExamples, pooled: torch.Tensor, actions: Sequence[str] = ()) -> Dict[str, torch.Tensor]:
    """Shots x frames -> rows (visible frames only); with `actions` (a planner's cfg.actions), each row's true action
    as an index in them."""
    S, Fr = ex.boxes.shape[:2]
    rows = {"pooled": pooled[:, None].expand(S, Fr, -1), "camera": ex.camera[:, None].expand(S, Fr),
            "shot_size": ex.shot_size[:, None].expand(S, Fr),
            "phase": (torch.arange(Fr, dtype=torch.float32) / Fr)[None].expand(S, Fr), "box": ex.boxes.float()}
    if actions:
        rows["action"] = action_indices(ex, actions)[:, None].expand(S, Fr)
    visible = ~torch.isnan(ex.boxes[..., 0])
    return {k: v[visible] for k, v in rows.items()}


def action_indices(ex: BoxExamples, actions: Sequence[str]) -> torch.Tensor:
    """(S,) each shot's action as an index in `actions`."""
    return torch.tensor([list(actions).index(a) for a in ex.actions])


def kind_templates(seeds: Sequence[int], frames: int, kinds: Sequence[str], size: int = 64,
                   template_size: int = 16, rule: str = "mean") -> torch.Tensor:
    """Each kind's silhouette in its box, facing right, over the rendered one-shot scenes of `seeds` (train
    wording): (K, template_size, template_size), actor_silhouette.fit_templates of every visible frame by `rule`
    ("mean" or "medoid")."""
    from storyworld.render import render_actor_alpha
    from storyworld.scene import sample_scene
    from .actor_silhouette import fit_templates, shot_facing
    covers, labels, facing = [], [], []
    for start in range(0, len(seeds), 64):
        specs = [sample_scene(int(s), 1, frames, mode="multishot", split="train") for s in seeds[start:start + 64]]
        alpha = render_actor_alpha(specs, size)[:, 0]                                   # (b, F, H, W)
        covers.append(alpha.reshape(-1, size, size))
        labels += [kinds.index(spec.actor.kind) for spec in specs for _ in range(frames)]
        facing.append(shot_facing(specs).reshape(-1))
    return fit_templates(torch.cat(covers), torch.tensor(labels), len(kinds), template_size,
                         facing=torch.cat(facing), rule=rule)


def colour_palette(seeds: Sequence[int], colours: Sequence[str]) -> torch.Tensor:
    """Each colour's mean fill RGB over the actors of the one-shot scenes of `seeds` (train wording), (C, 3) in
    [0, 1]: a statistic of the scene sampler's hue, saturation and value ranges (storyworld.vocab.COLOURS)."""
    from storyworld.scene import sample_scene
    sums, counts = torch.zeros(len(colours), 3, dtype=torch.float64), torch.zeros(len(colours))
    for s in seeds:
        actor = sample_scene(int(s), 1, 16, mode="multishot", split="train").actor
        sums[colours.index(actor.colour)] += torch.tensor(actor.rgb, dtype=torch.float64)
        counts[colours.index(actor.colour)] += 1
    assert bool((counts > 0).all()), f"no actors of colours {[c for c, n in zip(colours, counts) if n == 0]}"
    return (sums / counts[:, None]).float()


def train_prompt_head(planner: BoxPlanner, head: nn.Module, rows: int, loss_of, steps: int, batch: int, lr: float,
                      seed: int = 0) -> None:
    """Trains one head that reads the pooled prompt (nothing else moves): each step draws `batch` of the `rows` shots
    and minimises loss_of(idx), AdamW, cosine decay. The one loop behind train_kind and train_colour."""
    opt = torch.optim.AdamW(head.parameters(), lr=lr, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(seed)
    planner.train()
    for step in range(steps):
        for g in opt.param_groups:
            g["lr"] = lr * 0.5 * (1 + math.cos(math.pi * step / steps))
        loss = loss_of(torch.randint(0, rows, (batch,), generator=gen))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    planner.eval()


def train_colour(planner: BoxPlanner, pooled: torch.Tensor, colours: torch.Tensor, steps: int, batch: int,
                 lr: float, seed: int = 0) -> None:
    """The colour head on one row per shot: cross-entropy of the colour. A prompt that does not name the colour
    learns the prior."""
    train_prompt_head(planner, planner.colour, len(colours),
                      lambda idx: F.cross_entropy(planner.colour(pooled[idx]), colours[idx]), steps, batch, lr, seed)


def train_kind(planner: BoxPlanner, pooled: torch.Tensor, kinds: torch.Tensor, steps: int, batch: int, lr: float,
               seed: int = 0, facing: torch.Tensor = None) -> None:
    """The kind head on one row per shot (the box MLP is untouched): cross-entropy of the kind, plus the binary
    cross-entropy of facing right (facing (N,) +1 / -1 at the shot's middle frame; None: not trained). Facing is
    random unless the words move the actor left or right, where it must be learned."""
    def loss_of(idx: torch.Tensor) -> torch.Tensor:
        logits = planner.kind(pooled[idx])
        loss = F.cross_entropy(logits[:, :-1], kinds[idx])
        if facing is not None:
            loss = loss + F.binary_cross_entropy_with_logits(logits[:, -1], (facing[idx] > 0).to(logits.dtype))
        return loss
    train_prompt_head(planner, planner.kind, len(kinds), loss_of, steps, batch, lr, seed)


def train_action(planner: BoxPlanner, pooled: torch.Tensor, actions: torch.Tensor, steps: int, batch: int,
                 lr: float, seed: int = 0) -> None:
    """The action head on one row per shot: cross-entropy of the action (an index in cfg.actions)."""
    train_prompt_head(planner, planner.action, len(actions),
                      lambda idx: F.cross_entropy(planner.action(pooled[idx]), actions[idx]), steps, batch, lr, seed)


@torch.no_grad()
def judge_action(planner: BoxPlanner, pooled: torch.Tensor, actions: torch.Tensor) -> dict:
    """Share of held-out-wording shots whose named action is the true one, overall and per action."""
    named = planner.named_action(pooled)
    out = {"shots": int(len(actions)), "accuracy": round(float((named == actions).float().mean()), 4), "per_action": {}}
    for i, name in enumerate(planner.cfg.actions):
        sel = actions == i
        if sel.any():
            out["per_action"][name] = round(float((named[sel] == i).float().mean()), 4)
    return out


@torch.no_grad()
def judge_kind(planner: BoxPlanner, pooled: torch.Tensor, kinds: torch.Tensor, facing: torch.Tensor = None,
               moving: torch.Tensor = None) -> dict:
    """Share of held-out-wording shots whose most probable kind is the true one, and the mean probability of it;
    with facing (N,) and moving (N,) bool (the shots whose words move the actor left or right), the share of the
    moving shots whose named way is the true one (the others face at random)."""
    probs = planner.kind_probs(pooled)
    out = {"shots": int(len(kinds)), "accuracy": round(float((probs.argmax(1) == kinds).float().mean()), 4),
           "mean_true_probability": round(float(probs.gather(1, kinds[:, None]).mean()), 4)}
    if facing is not None and moving is not None and bool(moving.any()):
        named = planner.named_kind(pooled)[1]
        out["facing_on_moving_shots"] = round(float((named[moving] == facing[moving]).float().mean()), 4)
        out["moving_shots"] = int(moving.sum())
    return out


@torch.no_grad()
def judge_colour(planner: BoxPlanner, pooled: torch.Tensor, colours: torch.Tensor) -> dict:
    """Share of held-out-wording shots whose most probable colour is the true one, and the mean probability of it."""
    probs = planner.colour_probs(pooled)
    return {"shots": int(len(colours)), "accuracy": round(float((probs.argmax(1) == colours).float().mean()), 4),
            "mean_true_probability": round(float(probs.gather(1, colours[:, None]).mean()), 4)}


# --- judging -----------------------------------------------------------------------------------------------------
def iou(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """(N, 4) x (N, 4) boxes x0 y0 x1 y1 -> (N,) intersection over union."""
    w = (torch.minimum(a[:, 2], b[:, 2]) - torch.maximum(a[:, 0], b[:, 0])).clamp(min=0)
    h = (torch.minimum(a[:, 3], b[:, 3]) - torch.maximum(a[:, 1], b[:, 1])).clamp(min=0)
    inter = w * h
    area = lambda x: (x[:, 2] - x[:, 0]).clamp(min=0) * (x[:, 3] - x[:, 1]).clamp(min=0)  # noqa: E731
    return inter / (area(a) + area(b) - inter).clamp(min=1e-9)


def size_only_boxes(train: Dict[str, torch.Tensor], shot_size: torch.Tensor) -> torch.Tensor:
    """The baseline planner: the training mean box of each shot size."""
    means = {int(s): train["box"][train["shot_size"] == s].mean(0) for s in train["shot_size"].unique()}
    return torch.stack([means[int(s)] for s in shot_size])


@torch.no_grad()
def judge(planner: BoxPlanner, train: Dict[str, torch.Tensor], val: Dict[str, torch.Tensor]) -> dict:
    """Mean IoU of the planned box (a planner with actions plans the action it names) with the true one on held-out
    wording, per shot size, against the size-only baseline; a planner with actions also given the true action
    ("iou_true_action": what naming the action costs)."""
    planned = planner(val["pooled"], val["camera"], val["shot_size"], val["phase"])
    ours, base = iou(planned, val["box"]), iou(size_only_boxes(train, val["shot_size"]), val["box"])
    out = {"frames": int(len(ours)), "iou": round(float(ours.mean()), 4), "iou_size_only": round(float(base.mean()), 4),
           "per_shot_size": {}}
    if planner.cfg.plans_action:
        told = planner(val["pooled"], val["camera"], val["shot_size"], val["phase"], val["action"])
        out["iou_true_action"] = round(float(iou(told, val["box"]).mean()), 4)
    for i, name in enumerate(planner.cfg.shot_sizes, start=1):
        sel = val["shot_size"] == i
        if sel.any():
            out["per_shot_size"][name] = {"frames": int(sel.sum()), "iou": round(float(ours[sel].mean()), 4),
                                          "iou_size_only": round(float(base[sel].mean()), 4)}
    return out


def train(planner: BoxPlanner, rows: Dict[str, torch.Tensor], steps: int, batch: int, lr: float,
          seed: int = 0, log_every: int = 500) -> None:
    """L1 on the box corners (the median box under the staging's randomness), AdamW, cosine decay. A planner with
    actions is given each row's true action, so no prompt head is in the loss's graph: AdamW skips them (no gradient)
    and train_kind, train_colour, train_action train them."""
    opt = torch.optim.AdamW(planner.parameters(), lr=lr, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(seed)
    n = rows["box"].shape[0]
    planner.train()
    for step in range(steps):
        for g in opt.param_groups:
            g["lr"] = lr * 0.5 * (1 + math.cos(math.pi * step / steps))
        idx = torch.randint(0, n, (batch,), generator=gen)
        action = rows["action"][idx] if planner.cfg.plans_action else None       # the true action (teacher forcing)
        pred = planner(rows["pooled"][idx], rows["camera"][idx], rows["shot_size"][idx], rows["phase"][idx], action)
        loss = F.l1_loss(pred, rows["box"][idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if log_every and (step + 1) % log_every == 0:
            print(f"step {step + 1}/{steps} l1={float(loss):.4f}", flush=True)
    planner.eval()


def retemplate(source: str, out_dir: str, rule: str, template_scenes: int, frames: int) -> None:
    """A copy of the silhouette planner `source` in `out_dir` whose templates are refitted by `rule` over the same
    rendered scenes (`template_scenes` from TRAIN_SEED); its heads and palette are kept bit for bit."""
    planner = load_planner(source)
    assert planner.cfg.plans_silhouette, f"{source} plans boxes only: it has no templates to refit"
    planner.templates.copy_(kind_templates(range(TRAIN_SEED, TRAIN_SEED + template_scenes), frames,
                                           planner.cfg.kinds, template_size=planner.cfg.template_size, rule=rule))
    save_planner(planner, out_dir)
    report = load_report(source)
    assert report is not None, f"{source}: no {REPORT} beside it to keep"
    report.update(templates=rule, template_scenes=template_scenes, retemplated_from=os.path.normpath(source))
    with open(os.path.join(out_dir, REPORT), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    print(f"{out_dir}: {rule} templates of {len(planner.cfg.kinds)} kinds over {template_scenes} scenes")


REWORD_PARTS = ("colour", "kind", "setting")


def reworded_examples(ex: BoxExamples, seed: int = 0, parts: Sequence[str] = ("colour", "kind")) -> List[str]:
    """One prompt per shot of `ex` (training wording) with the storyworld's words for each of `parts` (REWORD_PARTS:
    its actor's colour, kind, its setting's place) swapped for the lexicon's (storydit.lexicon): the same shot, named
    as a creator might."""
    from storyworld.vocab import ACTOR_KINDS, COLOURS, SETTINGS
    from .lexicon import COLOUR_WORDS, KIND_WORDS, SETTING_PHRASES, reworded
    unknown = set(parts) - set(REWORD_PARTS)
    if unknown:
        raise ValueError(f"cannot reword {sorted(unknown)}: the parts are {', '.join(REWORD_PARTS)}")
    tables = {"colour": ({c.name: c.adjectives.train for c in COLOURS}, COLOUR_WORDS, ex.colours),
              "kind": ({k.name: k.nouns.train for k in ACTOR_KINDS}, KIND_WORDS, ex.kinds),
              "setting": ({s.name: s.places.train for s in SETTINGS}, SETTING_PHRASES, ex.settings)}
    rng = np.random.RandomState(seed)
    out = []
    for i, prompt in enumerate(ex.prompts):
        for part in REWORD_PARTS:                      # one order, so a seed draws the same words
            if part in parts:
                own, lexicon, names = tables[part]
                prompt = reworded(prompt, own[names[i]], lexicon[names[i]], rng)
        out.append(prompt)
    return out


def reword(source: str, out_dir: str, scenes: int, val_scenes: int, frames: int, steps: int, batch: int, lr: float,
           text_cache: str, parts: Sequence[str] = ("colour", "kind")) -> None:
    """A copy of the painting planner `source` in `out_dir` whose kind and colour heads are trained anew on the
    training shots and, beside each, the same shot with `parts` reworded by the lexicon (reworded_examples); its box
    MLP, templates, palette and any action head are kept bit for bit. Judged on the held-out wording as before."""
    src = load_planner(source)
    assert src.cfg.plans_colour, f"{source} names no colour: reword a painting planner"
    planner = BoxPlanner(src.cfg)
    planner.load_state_dict({k: v for k, v in src.state_dict().items()
                             if k.split(".")[0] not in ("kind", "colour")}, strict=False)
    tr = shot_examples(range(TRAIN_SEED, TRAIN_SEED + scenes), frames, "train", src.cfg)
    va = shot_examples(range(VALIDATION_SEED, VALIDATION_SEED + val_scenes), frames, "heldout", src.cfg)
    prompts = tr.prompts + reworded_examples(tr, parts=parts)
    pooled = pooled_prompts(prompts, text_cache)
    kinds = torch.tensor([src.cfg.kinds.index(k) for k in tr.kinds] * 2)
    colours = torch.tensor([src.cfg.colours.index(c) for c in tr.colours] * 2)
    middle = frames // 2
    train_kind(planner, pooled, kinds, steps, batch, lr, facing=torch.cat([tr.facing[:, middle]] * 2))
    train_colour(planner, pooled, colours, steps, batch, lr)
    val_pooled = pooled_prompts(va.prompts, text_cache)
    report = load_report(source)
    assert report is not None, f"{source}: no {REPORT} beside it to keep"
    moving = torch.tensor([action in ("moves_left", "moves_right") for action in va.actions])
    report["validation"]["kind"] = judge_kind(planner, val_pooled, torch.tensor([src.cfg.kinds.index(k)
                                                                                 for k in va.kinds]),
                                              va.facing[:, middle], moving)
    report["validation"]["colour"] = judge_colour(planner, val_pooled,
                                                  torch.tensor([src.cfg.colours.index(c) for c in va.colours]))
    report.update(reworded_from=os.path.normpath(source), lexicon_rows=len(tr.prompts), reworded_parts=list(parts))
    save_planner(planner, out_dir)
    with open(os.path.join(out_dir, REPORT), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    print(json.dumps({k: report["validation"][k] for k in ("kind", "colour")}))


def main(argv: Sequence[str] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--scenes", type=int, default=20000, help="training shots (one-shot scenes, train wording)")
    p.add_argument("--val-scenes", type=int, default=1024, help="held-out-wording shots from seed 8,000,000")
    p.add_argument("--frames", type=int, default=16)
    p.add_argument("--steps", type=int, default=4000)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--text-cache", default="runs/text_cache_planner.safetensors")
    p.add_argument("--silhouette", action="store_true",
                   help="also name the kind from the prompt and plan its mean silhouette (actor_silhouette.py)")
    p.add_argument("--template-scenes", type=int, default=2000, help="rendered scenes behind the silhouettes")
    p.add_argument("--paint", action="store_true",
                   help="with --silhouette, also name the colour and paint the silhouette its mean fill")
    p.add_argument("--templates", choices=TEMPLATE_RULES, default="mean",
                   help="each kind's silhouette: the mean over its rendered poses, or the one pose nearest it")
    p.add_argument("--actions", action="store_true",
                   help="also name the action from the prompt; the box MLP plans the named action's path")
    p.add_argument("--replan", metavar="PLANNER",
                   help="keep this planner's prompt heads, templates and palette bit for bit and train the box MLP "
                        "anew (with --actions, and the action head)")
    p.add_argument("--retemplate", metavar="PLANNER",
                   help="copy this silhouette planner and refit only its templates by --templates (its heads, "
                        "palette and eval.json kept)")
    p.add_argument("--reword", metavar="PLANNER",
                   help="copy this painting planner and train only its kind and colour heads anew, on the training "
                        "shots and each reworded by the lexicon (storydit/lexicon.py); the rest kept bit for bit")
    p.add_argument("--reword-parts", default="colour,kind",
                   help="with --reword: what the lexicon rewords, a comma list of " + ", ".join(REWORD_PARTS))
    a = p.parse_args(argv)
    if a.reword:
        reword(a.reword, a.out, a.scenes, a.val_scenes, a.frames, a.steps, a.batch, a.lr, a.text_cache,
               [part for part in a.reword_parts.split(",") if part])
        return
    if a.retemplate:
        retemplate(a.retemplate, a.out, a.templates, a.template_scenes, a.frames)
        return
    torch.manual_seed(0)
    from storyworld.vocab import ACTION_NAMES, COLOURS, KIND_NAMES
    actions = list(ACTION_NAMES) if a.actions else []
    if a.replan:
        assert not (a.silhouette or a.paint), "--replan keeps the source's kinds and colours: drop --silhouette, --paint"
        source = load_planner(a.replan)
        cfg = replace(source.cfg, actions=actions)
    else:
        assert a.silhouette or not a.paint, "--paint paints the planned silhouette: add --silhouette"
        cfg = BoxPlannerConfig(kinds=list(KIND_NAMES) if a.silhouette else [],
                               colours=[c.name for c in COLOURS] if a.paint else [], actions=actions)
    t0 = time.time()
    tr = shot_examples(range(TRAIN_SEED, TRAIN_SEED + a.scenes), a.frames, "train", cfg)
    va = shot_examples(range(VALIDATION_SEED, VALIDATION_SEED + a.val_scenes), a.frames, "heldout", cfg)
    train_rows = flatten(tr, pooled_prompts(tr.prompts, a.text_cache), cfg.actions)
    val_rows = flatten(va, pooled_prompts(va.prompts, a.text_cache), cfg.actions)
    print(f"data: {train_rows['box'].shape[0]} training frames, {val_rows['box'].shape[0]} validation frames "
          f"({time.time() - t0:.0f} s)", flush=True)
    planner = BoxPlanner(cfg)
    if cfg.plans_action:           # the box MLP reads the named action: name it first
        train_action(planner, pooled_prompts(tr.prompts, a.text_cache), action_indices(tr, cfg.actions), a.steps,
                     a.batch, a.lr)
    if a.replan:
        kept = {k: v for k, v in source.state_dict().items() if k.split(".")[0] in PROMPT_PARTS}
        planner.load_state_dict(kept, strict=False)
    train(planner, train_rows, a.steps, a.batch, a.lr)
    report = {"scenes": a.scenes, "steps": a.steps, "validation": judge(planner, train_rows, val_rows)}
    if cfg.plans_action:
        report["validation"]["action"] = judge_action(planner, pooled_prompts(va.prompts, a.text_cache),
                                                      action_indices(va, cfg.actions))
    if a.replan:
        kept_report = load_report(a.replan)
        assert kept_report is not None, f"{a.replan}: no {REPORT} beside it to keep"
        for key in ("kind", "colour"):
            if key in kept_report["validation"]:
                report["validation"][key] = kept_report["validation"][key]
        report.update({k: kept_report[k] for k in ("template_scenes", "templates") if k in kept_report},
                      replanned_from=os.path.normpath(a.replan))
    elif cfg.plans_silhouette:
        planner.templates.copy_(kind_templates(range(TRAIN_SEED, TRAIN_SEED + a.template_scenes), a.frames,
                                               cfg.kinds, template_size=cfg.template_size, rule=a.templates))
        kind_of = lambda ex: torch.tensor([cfg.kinds.index(k) for k in ex.kinds])  # noqa: E731
        middle = a.frames // 2
        train_kind(planner, pooled_prompts(tr.prompts, a.text_cache), kind_of(tr), a.steps, a.batch, a.lr,
                   facing=tr.facing[:, middle])
        moving = torch.tensor([action in ("moves_left", "moves_right") for action in va.actions])
        report["validation"]["kind"] = judge_kind(planner, pooled_prompts(va.prompts, a.text_cache), kind_of(va),
                                                  va.facing[:, middle], moving)
        report["template_scenes"] = a.template_scenes
        report["templates"] = a.templates
    if cfg.plans_colour and not a.replan:
        planner.palette.copy_(colour_palette(range(TRAIN_SEED, TRAIN_SEED + a.template_scenes), cfg.colours))
        colour_of = lambda ex: torch.tensor([cfg.colours.index(c) for c in ex.colours])  # noqa: E731
        train_colour(planner, pooled_prompts(tr.prompts, a.text_cache), colour_of(tr), a.steps, a.batch, a.lr)
        report["validation"]["colour"] = judge_colour(planner, pooled_prompts(va.prompts, a.text_cache), colour_of(va))
    save_planner(planner, a.out)
    with open(os.path.join(a.out, REPORT), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    print(json.dumps(report["validation"]))


if __name__ == "__main__":
    main()
