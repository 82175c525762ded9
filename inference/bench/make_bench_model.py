"""Writes a random-init StoryDiT + VAE (default preset S) in export format, for the engine benchmark only.

    cd training && PYTHONPATH=. /usr/bin/python3 ../inference/bench/make_bench_model.py ../inference/target/bench-model-S S
    cd training && PYTHONPATH=. /usr/bin/python3 ../inference/bench/make_bench_model.py \
        ../inference/target/bench-model-S-pixel S pixel

"pixel": the model v2 layout of decision 0004 (pixel codec, patch 8, x-prediction, shot labels), no VAE; a fourth
argument sets the patch (16: the addendum's layout).

The output is ~7 MB of random weights (f16 storage, like a product export): keep it out of git (target/)."""
import sys

import torch
from storydit.model import StoryDiT, dit_config
from storydit.vae import FrameVAE, vae_config
from storydit.export import export_model
from storydit.pipeline import SamplerDefaults
out = sys.argv[1]
preset = sys.argv[2] if len(sys.argv) > 2 else "S"
pixel = len(sys.argv) > 3 and sys.argv[3] == "pixel"
patch = int(sys.argv[4]) if len(sys.argv) > 4 else 8          # pixel patch size: 8 (decision 0004) or 16 (addendum)
g = torch.Generator().manual_seed(1234)
torch.manual_seed(1234)
if pixel:
    from storydit.codec import PixelCodec
    size = dit_config(preset).image_size
    model = StoryDiT(dit_config(preset, latent_channels=3, latent_h=size, latent_w=size, patch_h=patch, patch_w=patch,
                                prediction="x", shot_cond=True)).eval()
    vae = PixelCodec(size)
else:
    model = StoryDiT(dit_config(preset)).eval()
    vae = FrameVAE(vae_config(preset, scaling_factor=1.0, shift_factor=0.0)).eval()
with torch.no_grad():
    for m in (model, vae):
        for p in m.parameters():
            p.add_(torch.randn(p.shape, generator=g) * 0.02)
name = f"storydit-{preset}{f'-pixel{patch}' if pixel else ''}-random-bench"
export_model(out, name, model.cfg, model.state_dict(), vae, SamplerDefaults(), "f16")
print("wrote", out)
