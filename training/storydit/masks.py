"""Attention masks from per-token (shot, chunk) ids. allow[q, k] = True means query q may attend key k.

Modes:
    scene_full      every pair                                   (stage 1: bidirectional scene)
    context_causal  shot(k) <= shot(q)                           (whole shots attend earlier shots)
    chunk_causal    shot(k) <  shot(q)  or  (shot(k) == shot(q) and chunk(k) <= chunk(q))
The global caption has shot id -1, so it is visible to every token under every mode. A shot's text
tokens belong to chunk 0 of that shot. Every token always sees itself, so no row is empty.
"""
from __future__ import annotations

import torch

MASK_MODES = ("scene_full", "context_causal", "chunk_causal")


def build_allow(mode: str, q_shot: torch.Tensor, q_chunk: torch.Tensor,
                k_shot: torch.Tensor, k_chunk: torch.Tensor) -> torch.Tensor:
    """(Nq,) ids for queries, (Nk,) ids for keys -> bool (Nq, Nk)."""
    assert mode in MASK_MODES, f"unknown mask mode {mode!r}; expected one of {MASK_MODES}"
    qs, ks = q_shot[:, None], k_shot[None, :]                      # (Nq, 1), (1, Nk)
    if mode == "scene_full":
        return torch.ones(q_shot.shape[0], k_shot.shape[0], dtype=torch.bool, device=q_shot.device)
    if mode == "context_causal":
        return ks <= qs
    qc, kc = q_chunk[:, None], k_chunk[None, :]
    return (ks < qs) | ((ks == qs) & (kc <= qc))


def allow_for_table(mode: str, table) -> torch.Tensor:
    """Self-attention mask of one TokenTable: bool (N, N)."""
    return build_allow(mode, table.shot, table.chunk, table.shot, table.chunk)
