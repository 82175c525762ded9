"""StoryDiT: the reference PyTorch implementation of Storyboard's video model (frame VAE + scene DiT).

Modules: safetensors_io (format), layout/rope/masks (token layout), model (StoryDiT), flow (rectified flow
and samplers), pipeline (generation flows), vae (frame autoencoder), text (caption encoders),
checkpoint, error_bank, data, train_vae, train_dit, export, fixtures. See docs/STORYDIT.md.
"""
