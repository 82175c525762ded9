"""Caption probe: does the model tell a caption's attributes apart on real video (a diffusion classifier)?

    python3 -m storydit.caption_probe --model DIR [--scenes 32] [--frames 16] [--t 0.3 0.5 0.7] --out probe.json

Generation adherence mixes two causes: the model never bound a word to what it shows, or it did and the
sampler does not realise it. This probe separates them without sampling. For each probe scene (one
rendered shot, seeds from PROBE_SEED, never a training cursor) and each attribute (colour, kind, setting,
action, camera) the shot's caption is written in one fixed training template once per value of that
attribute, every other word kept true. The model's denoising loss on the shot's real latents (same noise
and t for every candidate, the whole shot one scene_full segment) ranks the candidates; the lowest loss is
its guess (Li et al., "Your diffusion model is secretly a zero-shot classifier", 2023).

    accuracy near 1      the model binds the word to the video: low adherence is a sampling problem
    accuracy near chance the model did not learn the word: more training / stronger text conditioning

Also reported: how much the true caption lowers the loss against the null caption (text use at all).
"""
from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence

import torch

from storyworld import vocab
from storyworld.captions import TRAIN_SHOT_TEMPLATES, _article
from . import flow
from .export import load_exported
from .text import make_text_encoder, null_text

PROBE_SEED = 30_000_000                         # scene seeds of the probe (training cursors stay far below)
ATTRIBUTES = ("colour", "kind", "setting", "action", "camera")
TEMPLATE = TRAIN_SHOT_TEMPLATES[0]             # "{np} {pres} {place}, {cam}, {shot}", as the app writes prompts


@dataclass(frozen=True)
class Candidates:
    attribute: str
    values: List[str]          # every value of the attribute, in vocab order
    captions: List[str]        # one caption per value, all other words the true ones
    true_index: int


def _first(phrases: vocab.Phrases):
    return phrases.train[0]


def canonical_caption(kind: str, colour: str, pattern: str, setting: str, action: str, camera: str,
                      shot_size: str) -> str:
    """The fixed-template caption of a shot, first training phrase for every slot (no size adjective)."""
    words = []
    pattern_words = vocab.PATTERN_BY_NAME[pattern].adjectives.train
    if pattern != "plain" and pattern_words:
        words.append(pattern_words[0])
    words += [_first(vocab.COLOUR_BY_NAME[colour].adjectives), _first(vocab.KIND_BY_NAME[kind].nouns)]
    np_ = _article(" ".join(words))
    verb = _first(vocab.ACTION_BY_NAME[action].verbs)
    return TEMPLATE.format(np=np_, pres=verb.present, place=_first(vocab.SETTING_BY_NAME[setting].places),
                           cam=_first(vocab.CAMERA_BY_NAME[camera].clauses),
                           shot=_first(vocab.SHOT_SIZE_BY_NAME[shot_size].nouns)).lower()


def attribute_values(attribute: str) -> List[str]:
    table = {"colour": vocab.COLOURS, "kind": vocab.ACTOR_KINDS, "setting": vocab.SETTINGS,
             "action": vocab.ACTIONS, "camera": vocab.CAMERAS}[attribute]
    return [x.name for x in table]


def shot_truth(spec, shot: int = 0) -> Dict[str, str]:
    """The labels of one shot of a storyworld SceneSpec, by caption slot."""
    s = spec.shots[shot]
    return {"kind": spec.actor.kind, "colour": spec.actor.colour, "pattern": spec.actor.pattern,
            "setting": spec.setting.name, "action": s.action, "camera": s.camera, "shot_size": s.shot_size}


def candidates(truth: Dict[str, str], attribute: str) -> Candidates:
    """One caption per value of `attribute`; the other slots keep `truth`."""
    assert attribute in ATTRIBUTES, f"unknown attribute {attribute!r}; expected one of {ATTRIBUTES}"
    values = attribute_values(attribute)
    captions = [canonical_caption(**{**truth, attribute: v}) for v in values]
    return Candidates(attribute, values, captions, values.index(truth[attribute]))


@torch.no_grad()
def caption_losses(model, x0: torch.Tensor, text: torch.Tensor, ts: Sequence[float],
                   generator: torch.Generator) -> torch.Tensor:
    """Denoising loss of one shot under K captions.

    x0    (F, C, H, W)       the shot's clean latents
    text  (K, L_txt, 384)    candidate caption embeddings
    ts    noise levels; the same noise draw per t for every candidate
    returns (K,) mean velocity MSE over ts
    """
    K = text.shape[0]
    layout = model.layout_for([x0.shape[0]], False)
    total = torch.zeros(K)
    for t in ts:
        eps = torch.randn(x0.shape, generator=generator)
        x_t = flow.add_noise(x0, eps, t).expand(K, *x0.shape)
        target = flow.velocity_target(x0, eps)
        v = model(x_t, text[:, None], torch.full((K, 1), float(t)), layout, "scene_full")
        total += ((v - target) ** 2).mean(dim=(1, 2, 3, 4))
    return total / len(ts)


def probe(model, vae, encode: Callable[[List[str]], torch.Tensor], specs, video: torch.Tensor,
          ts: Sequence[float], seed: int = 0) -> dict:
    """video (N, F, 3, H, W) in [0, 1], one shot per spec. Returns the report dict (see module doc)."""
    per_attr = {a: {"correct": 0, "total": 0, "rank_sum": 0.0, "chance": 1.0 / len(attribute_values(a))}
                for a in ATTRIBUTES}
    gain_true = 0.0
    for i, spec in enumerate(specs):
        x0 = vae.encode(video[i])                                           # (F, C, H, W)
        truth = shot_truth(spec)
        true_caption = canonical_caption(**truth)
        sets = [candidates(truth, a) for a in ATTRIBUTES]
        captions = sorted({c for s in sets for c in s.captions})
        emb = encode(captions)
        index = {c: k for k, c in enumerate(captions)}
        rows = torch.cat([emb, null_text(1, emb.shape[1])])                 # last row: the null caption
        losses = caption_losses(model, x0, rows, ts, torch.Generator().manual_seed(seed + i))
        gain_true += float(1 - losses[index[true_caption]] / losses[-1])
        for s in sets:
            cand = torch.stack([losses[index[c]] for c in s.captions])
            rank = int((cand <= cand[s.true_index]).sum()) - 1             # 0 = strictly best; a tie counts against
            r = per_attr[s.attribute]
            r["correct"] += int(rank == 0)
            r["total"] += 1
            r["rank_sum"] += rank
    out = {}
    for a, r in per_attr.items():
        out[a] = {"accuracy": r["correct"] / max(r["total"], 1), "chance": r["chance"],
                  "mean_rank": r["rank_sum"] / max(r["total"], 1), "n": r["total"]}
    return {"attributes": out, "true_vs_null_loss_reduction": gain_true / max(len(specs), 1),
            "t": list(ts), "template": TEMPLATE}


def probe_scenes(world, n: int, frames: int, size: int, split: str):
    specs = [world.sample_scene(seed=PROBE_SEED + i, n_shots=1, frames_per_shot=frames, mode="multishot",
                                split=split) for i in range(n)]
    video, _ = world.render_scene_batch(specs, size=size)
    return specs, video[:, 0].float()                                       # (N, F, 3, H, W)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description="Diffusion-classifier probe of a StoryDiT's caption attributes.")
    p.add_argument("--model", required=True, help="exported model folder (storydit.export)")
    p.add_argument("--scenes", type=int, default=32)
    p.add_argument("--frames", type=int, default=16)
    p.add_argument("--t", type=float, nargs="+", default=[0.3, 0.5, 0.7])
    p.add_argument("--split", default="train", choices=["train", "heldout"],
                   help="scene sampling split (the captions are always the fixed template)")
    p.add_argument("--text-encoder", default="auto")
    p.add_argument("--out", required=True, help="report JSON (written atomically)")
    a = p.parse_args(argv)
    from .data import load_storyworld
    model, vae, _ = load_exported(a.model)
    encoder = make_text_encoder(a.text_encoder, None, l_txt=model.cfg.l_txt)
    specs, video = probe_scenes(load_storyworld(), a.scenes, a.frames, vae.cfg.image_size, a.split)
    report = probe(model, vae, encoder.encode, specs, video, a.t)
    report.update(model=os.path.abspath(a.model), scenes=a.scenes, frames=a.frames, split=a.split)
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(report, f, indent=2)
    os.replace(tmp, a.out)
    for name, r in report["attributes"].items():
        print(f"{name:8s} accuracy {100 * r['accuracy']:5.1f} %  (chance {100 * r['chance']:4.1f} %, "
              f"mean rank {r['mean_rank']:.2f})")
    print(f"true caption lowers the loss by {100 * report['true_vs_null_loss_reduction']:.1f} % vs the null caption")


if __name__ == "__main__":
    main()
