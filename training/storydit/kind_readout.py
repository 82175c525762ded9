"""Kind read-out: does a model's block know the actor's kind, at each noise level?

    python3 -m storydit.kind_readout --run RUN --stills runs/frame-eval/ground-truth \
        [--text-cache runs/text_cache_eval.safetensors] [--t 0.3 0.5 0.7 0.9]
    python3 -m storydit.kind_readout --linear-probe --block 2 --run RUN_OR_EXPORT --stills ... [--train-batches 24]

Head mode, for a run trained with `--actor-kind-loss` (actor_mask.ActorKindHead on block `aux_layer`): the stills
are noised to t at fixed noise, the run's training weights (not the EMA: the head was trained with them) run
one forward, and the head's kind probabilities summed over the frame name one kind per still.

Linear-probe mode, for any model (its EMA or an exported folder, frozen): a linear classifier is fitted on the
block's video tokens, averaged over the frame, of `--train-batches` x 64 training stills (the training data's
own seeds, noised the same way), then read on the validation stills.

At t = 0.9 the frame shows almost nothing, so a right kind there came from the caption. Accuracy is against the
still's true kind (chance 1/7). Where it is high and the generated stills still show no kind, the kind is known
inside the model and lost in the drawing (session 13: the warm start's blocks 2 and 5 read 73 and 63 % at t=0.9).
"""
from __future__ import annotations

import argparse
import json
import os
from typing import Dict, Sequence

import torch

from . import checkpoint as ckpt
from . import flow
from .actor_mask import ActorKindHead
from .codec import load_codec
from .frame_eval import clips, load_run, read_frames, shot_conditions
from .model import StoryDiT, StoryDiTConfig
from .text import make_text_encoder


def load_with_kind_head(run_dir: str):
    """A run's newest checkpoint -> (training-weight model, its kind head, the block index it reads, meta)."""
    found = ckpt.load_latest(os.path.join(run_dir, "checkpoints"))
    assert found is not None, f"no checkpoint under {run_dir}/checkpoints"
    tensors, meta, _ = found
    prefix = "aux.kind_head."
    assert any(k.startswith(prefix) for k in tensors), f"{run_dir} was not trained with --actor-kind-loss"
    cfg = StoryDiTConfig.from_dict(meta["dit_config"])
    model = StoryDiT(cfg)
    model.load_state_dict({k[len("model."):]: v.float() for k, v in tensors.items() if k.startswith("model.")})
    head = ActorKindHead(cfg)
    head.load_state_dict({k[len(prefix):]: v.float() for k, v in tensors.items() if k.startswith(prefix)})
    layer = int(meta["train_config"].get("aux_layer", -1))
    return model.eval(), head.eval(), layer if layer >= 0 else cfg.n_layers // 2 - 1, meta


@torch.no_grad()
def block_tokens(model: StoryDiT, layer: int, x0: torch.Tensor, text: torch.Tensor, labels, t: float,
                 seed: int = 0, batch: int = 64) -> torch.Tensor:
    """x0 (N, 1, C, H, W) noised to t at fixed noise -> block `layer`'s output video tokens (N, Nv, d)."""
    seen: Dict[str, torch.Tensor] = {}
    hook = model.blocks[layer].register_forward_hook(lambda _m, _a, out: seen.__setitem__("x", out[0]))
    layout = model.layout_for([1], False)
    video = torch.nonzero(layout.token_table().is_video, as_tuple=True)[0]
    eps = torch.randn(x0.shape, generator=torch.Generator().manual_seed(seed))
    out = []
    try:
        for s in range(0, x0.shape[0], batch):
            sl = slice(s, s + batch)
            model(flow.add_noise(x0[sl], eps[sl], t), text[sl], torch.full((x0[sl].shape[0], 1), t), layout,
                  "scene_full", shot_labels=None if labels is None else labels[sl])
            out.append(seen["x"][:, video])
    finally:
        hook.remove()
    return torch.cat(out)


@torch.no_grad()
def read_kinds(model: StoryDiT, head: ActorKindHead, layer: int, x0: torch.Tensor, text: torch.Tensor, labels,
               t: float, seed: int = 0) -> torch.Tensor:
    """x0 (N, 1, C, H, W) -> the kind (1..K) the head reads per still at t."""
    probs = head(block_tokens(model, layer, x0, text, labels, t, seed), 1).softmax(2)[:, 0]   # (N, K + 1, H, W)
    return probs[:, 1:].sum((2, 3)).argmax(1) + 1


def block_features(model: StoryDiT, layer: int, x0: torch.Tensor, text: torch.Tensor, labels, t: float,
                   seed: int = 0, batch: int = 64) -> torch.Tensor:
    """x0 (N, 1, C, H, W) -> block `layer`'s video tokens averaged over the frame (N, d) at t."""
    return block_tokens(model, layer, x0, text, labels, t, seed, batch).mean(1)


def fit_linear_probe(features: torch.Tensor, kinds: torch.Tensor, n_kinds: int, steps: int = 500):
    """Standardised features (N, d) and kinds (N,) in 0..K-1 -> a classifier: features -> kind index."""
    mu, sd = features.mean(0), features.std(0) + 1e-6
    torch.manual_seed(0)
    lin = torch.nn.Linear(features.shape[1], n_kinds)
    opt = torch.optim.Adam(lin.parameters(), lr=1e-2, weight_decay=1e-4)
    for _ in range(steps):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(lin((features - mu) / sd), kinds).backward()
        opt.step()
    return lambda f: lin((f - mu) / sd).argmax(1)


def training_stills(model: StoryDiT, codec, encoder, batches: int):
    """`batches` x 64 stills of the training data (data.SceneBatcher, seed 0, frame 0) -> x0, text, labels, kinds."""
    from .data import SceneBatcher, load_storyworld
    from .train_dit import shot_prompt
    cfg = model.cfg
    batcher = SceneBatcher(load_storyworld(), 64, cfg.image_size, 2, 1, 1, 0.0, seed=0)
    x0, text, labels, kinds = [], [], [], []
    for cursor in range(batches):
        b = batcher.batch(cursor)
        x0.append(codec.encode(b.video[:, 0, 0])[:, None])
        text.append(encoder.encode([shot_prompt(s, 0) for s in b.specs])[:, None])
        labels.append(torch.tensor([[cfg.shot_label(s.shots[0].camera, s.shots[0].shot_size)] for s in b.specs]))
        kinds.append(torch.tensor([cfg.kinds.index(s.actor.kind) for s in b.specs]))
    return torch.cat(x0), torch.cat(text), torch.cat(labels) if cfg.shot_cond else None, torch.cat(kinds)


def main(argv: Sequence[str] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", required=True)
    p.add_argument("--stills", required=True, help="a frame_eval ground-truth folder")
    p.add_argument("--text-cache", default="runs/text_cache_eval.safetensors")
    p.add_argument("--t", type=float, nargs="+", default=[0.3, 0.5, 0.7, 0.9])
    p.add_argument("--linear-probe", action="store_true", help="fit a linear probe on a frozen block instead")
    p.add_argument("--block", type=int, default=2, help="linear probe: the block whose output is read")
    p.add_argument("--train-batches", type=int, default=24, help="linear probe: training stills / 64")
    p.add_argument("--train-text-cache", default="runs/text_cache.safetensors",
                   help="linear probe: text cache for the training captions")
    a = p.parse_args(argv)
    if a.linear_probe:
        model, codec, meta = load_run(a.run)
        layer = a.block
    else:
        model, head, layer, meta = load_with_kind_head(a.run)
        codec = load_codec(meta["train_config"]["vae_dir"])
    ids = [i for i, _ in clips(a.stills)]
    frames = torch.tensor(read_frames(a.stills, ids)).permute(0, 3, 1, 2).float() / 255.0
    x0 = codec.encode(frames)[:, None]
    prompts, labels = shot_conditions(a.stills, model.cfg)
    text = make_text_encoder("auto", a.text_cache, None, None, None, model.cfg.l_txt).encode(prompts)[:, None]
    true = torch.tensor([model.cfg.kinds.index(json.load(open(os.path.join(a.stills, i, "labels.json")))
                                               ["actor"]["kind"]) + 1 for i in ids])
    report = {"run": a.run, "step": meta["step"], "block": layer, "mode": "linear probe" if a.linear_probe else "head",
              "stills": len(ids), "chance": round(1 / len(model.cfg.kinds), 3)}
    if a.linear_probe:
        encoder = make_text_encoder("auto", a.train_text_cache, None, None, None, model.cfg.l_txt)
        tx0, ttext, tlabels, tkinds = training_stills(model, codec, encoder, a.train_batches)
        if hasattr(encoder, "save"):
            encoder.save()
        report["train_stills"] = len(tkinds)
    for t in a.t:
        if a.linear_probe:
            probe = fit_linear_probe(block_features(model, layer, tx0, ttext, tlabels, t), tkinds, len(model.cfg.kinds))
            guess = probe(block_features(model, layer, x0, text, labels, t)) + 1
        else:
            guess = read_kinds(model, head, layer, x0, text, labels, t)
        report[f"t={t}"] = round(float((guess == true).float().mean()), 3)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
