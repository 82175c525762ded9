"""Kind read-out: does a run's middle block know the actor's kind, at each noise level?

    python3 -m storydit.kind_readout --run RUN --stills runs/frame-eval/ground-truth \
        [--text-cache runs/text_cache_eval.safetensors] [--t 0.3 0.5 0.7 0.9]

For a run trained with `--actor-kind-loss` (actor_mask.ActorKindHead on block `aux_layer`): the stills are noised
to t at fixed noise, the run's training weights (not the EMA: the head was trained with them) run one forward,
and the head's kind probabilities summed over the frame name one kind per still. At t = 0.9 the frame shows
almost nothing, so a right kind there came from the caption. Accuracy is against the still's true kind
(chance 1/7). Where this is high and the generated stills still show no kind, the kind is known inside the
model and lost in the drawing.
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
from .frame_eval import clips, read_frames, shot_conditions
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
def read_kinds(model: StoryDiT, head: ActorKindHead, layer: int, x0: torch.Tensor, text: torch.Tensor, labels,
               t: float, seed: int = 0) -> torch.Tensor:
    """x0 (N, 1, C, H, W) -> the kind (1..K) the head reads per still at t."""
    seen: Dict[str, torch.Tensor] = {}
    hook = model.blocks[layer].register_forward_hook(lambda _m, _a, out: seen.__setitem__("x", out[0]))
    try:
        layout = model.layout_for([1], False)
        eps = torch.randn(x0.shape, generator=torch.Generator().manual_seed(seed))
        model(flow.add_noise(x0, eps, t), text, torch.full((x0.shape[0], 1), t), layout, "scene_full",
              shot_labels=labels)
    finally:
        hook.remove()
    video = torch.nonzero(layout.token_table().is_video, as_tuple=True)[0]
    probs = head(seen["x"][:, video], 1).softmax(2)[:, 0]                     # (N, K + 1, H, W)
    return probs[:, 1:].sum((2, 3)).argmax(1) + 1


def main(argv: Sequence[str] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", required=True)
    p.add_argument("--stills", required=True, help="a frame_eval ground-truth folder")
    p.add_argument("--text-cache", default="runs/text_cache_eval.safetensors")
    p.add_argument("--t", type=float, nargs="+", default=[0.3, 0.5, 0.7, 0.9])
    a = p.parse_args(argv)
    model, head, layer, meta = load_with_kind_head(a.run)
    ids = [i for i, _ in clips(a.stills)]
    frames = torch.tensor(read_frames(a.stills, ids)).permute(0, 3, 1, 2).float() / 255.0
    x0 = load_codec(meta["train_config"]["vae_dir"]).encode(frames)[:, None]
    prompts, labels = shot_conditions(a.stills, model.cfg)
    text = make_text_encoder("auto", a.text_cache, None, None, None, model.cfg.l_txt).encode(prompts)[:, None]
    true = torch.tensor([model.cfg.kinds.index(json.load(open(os.path.join(a.stills, i, "labels.json")))
                                               ["actor"]["kind"]) + 1 for i in ids])
    report = {"run": a.run, "step": meta["step"], "block": layer, "stills": len(ids), "chance": 1 / len(model.cfg.kinds)}
    for t in a.t:
        report[f"t={t}"] = round(float((read_kinds(model, head, layer, x0, text, labels, t) == true).float().mean()), 3)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
