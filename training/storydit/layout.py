"""Token layout of a scene: which tokens a forward pass contains, in which order, and their metadata.

A scene = an optional global caption + S shots. The full sequence is

    [global text (L_txt)]?  [shot 0 text (L_txt)][shot 0 video]  [shot 1 text][shot 1 video] ...

and shot i's video tokens are its latent tubelets in (f, h, w) raster order (f slowest).

One forward pass may contain only part of that sequence (KV-cache forwards, chunk extension), so a
layout is a list of *segments*. A segment is a contiguous run of tokens that share one timestep t:

    Segment(shot=-1, text=True,  frame_start=0, n_frames=0)   # global caption (text only)
    Segment(shot=i,  text=True,  frame_start=0, n_frames=F)   # a whole shot
    Segment(shot=i,  text=False, frame_start=8, n_frames=4)   # frames 8..11 of shot i (an extension chunk)

`shot_frames` is the planned/generated latent frame count of every shot of the scene; it fixes the
RoPE offsets (see rope.shot_offsets) even when a forward contains only a later segment.

Per-token metadata (TokenTable), all int64 arrays of length N (tokens of this forward):
    segment  index into this layout's segments (selects the adaLN modulation / timestep)
    shot     shot id, GLOBAL_SHOT (-1) for the global caption
    chunk    chunk id within the shot: text -> 0, video frame f -> f // chunk_frames (shot-local f)
    is_video 1 for video tokens, 0 for text
    pos      [N, 3] RoPE positions (t, h, w)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence, Tuple

import torch

GLOBAL_SHOT = -1   # shot id of the global caption segment; "shot -1" is visible to every shot


@dataclass(frozen=True)
class Segment:
    shot: int              # GLOBAL_SHOT or a shot index 0..S-1
    text: bool             # carries the shot's L_txt text tokens (global: always; a shot: its first segment)
    frame_start: int = 0   # first latent frame (shot-local) of this segment's video tokens
    n_frames: int = 0      # latent frames of video in this segment (0 for the global segment)


@dataclass(frozen=True)
class TokenTable:
    segment: torch.Tensor   # (N,) int64
    shot: torch.Tensor      # (N,) int64
    chunk: torch.Tensor     # (N,) int64
    is_video: torch.Tensor  # (N,) int64
    pos: torch.Tensor       # (N, 3) int64
    frame: torch.Tensor     # (N,) int64 latent frame index inside its shot (its tubelet's first frame); -1 = text

    def __len__(self) -> int:
        return int(self.segment.shape[0])


@dataclass(frozen=True)
class SceneLayout:
    shot_frames: Tuple[int, ...]        # planned latent frames of every shot (RoPE offsets use these)
    has_global: bool                    # scene has a global caption segment (before shot 0)
    segments: Tuple[Segment, ...]       # the tokens present in this forward, in sequence order
    grid_h: int                         # video token grid height  (latent H / ph)
    grid_w: int                         # video token grid width   (latent W / pw)
    l_txt: int                          # text tokens per text segment
    chunk_frames: int                   # latent frames per chunk (chunk_causal mask)
    patch_t: int = 1                    # latent frames per tubelet (pt)

    def __post_init__(self):
        assert self.chunk_frames % self.patch_t == 0, "chunk_frames must be a multiple of patch_t"
        last_shot = GLOBAL_SHOT - 1
        for s in self.segments:
            if s.shot == GLOBAL_SHOT:
                assert self.has_global, "a global segment needs has_global=True"
                assert s.text and s.n_frames == 0, "the global segment is text only"
            else:
                assert 0 <= s.shot < len(self.shot_frames), f"segment shot {s.shot} outside shot_frames"
                assert s.frame_start % self.patch_t == 0 and s.n_frames % self.patch_t == 0, \
                    f"segment frames must be multiples of patch_t={self.patch_t}: {s}"
                assert s.frame_start + s.n_frames <= self.shot_frames[s.shot], \
                    f"segment {s} runs past the shot's planned {self.shot_frames[s.shot]} frames"
                assert s.text or s.n_frames > 0, f"empty segment {s}"
            assert s.shot >= last_shot, "segments must be in shot order"
            last_shot = s.shot

    # ---- constructors -------------------------------------------------------------------------
    @staticmethod
    def full(shot_frames: Sequence[int], has_global: bool, grid_hw: Tuple[int, int], l_txt: int,
             chunk_frames: int, patch_t: int = 1) -> "SceneLayout":
        """Every shot complete, one segment (one timestep) per shot."""
        segs: List[Segment] = [Segment(GLOBAL_SHOT, True)] if has_global else []
        segs += [Segment(i, True, 0, f) for i, f in enumerate(shot_frames)]
        return SceneLayout(tuple(shot_frames), has_global, tuple(segs), grid_hw[0], grid_hw[1],
                           l_txt, chunk_frames, patch_t)

    def with_segments(self, segments: Sequence[Segment]) -> "SceneLayout":
        """Same scene (offsets), different tokens present."""
        return SceneLayout(self.shot_frames, self.has_global, tuple(segments), self.grid_h, self.grid_w,
                           self.l_txt, self.chunk_frames, self.patch_t)

    def split_last_shot(self, n_target_frames: int) -> "SceneLayout":
        """Split the last shot's segment into [text + context frames][last n_target_frames frames]."""
        *head, last = self.segments
        assert last.shot != GLOBAL_SHOT and 0 < n_target_frames < last.n_frames, \
            f"cannot split {n_target_frames} target frames off {last}"
        ctx = Segment(last.shot, last.text, last.frame_start, last.n_frames - n_target_frames)
        tgt = Segment(last.shot, False, last.frame_start + ctx.n_frames, n_target_frames)
        return self.with_segments(list(head) + [ctx, tgt])

    # ---- sizes --------------------------------------------------------------------------------
    @property
    def tokens_per_frame(self) -> int:
        return self.grid_h * self.grid_w

    def segment_tokens(self, s: Segment) -> int:
        return (self.l_txt if s.text else 0) + (s.n_frames // self.patch_t) * self.tokens_per_frame

    @property
    def n_tokens(self) -> int:
        return sum(self.segment_tokens(s) for s in self.segments)

    @property
    def n_text_segments(self) -> int:
        return sum(1 for s in self.segments if s.text)

    @property
    def n_frames(self) -> int:
        """Latent frames in this forward (concatenated over segments in order)."""
        return sum(s.n_frames for s in self.segments)

    def frame_slices(self) -> List[slice]:
        """Per segment: its frames' slice in the concatenated latent frame axis."""
        out, f0 = [], 0
        for s in self.segments:
            out.append(slice(f0, f0 + s.n_frames))
            f0 += s.n_frames
        return out

    # ---- RoPE offsets -------------------------------------------------------------------------
    def shot_offsets(self) -> List[int]:
        """o_i of every shot: o_0 = L_txt if global else 0; o_{i+1} = o_i + L_txt + max(F_i/pt, H_p, W_p)."""
        o = self.l_txt if self.has_global else 0
        offsets = []
        for f in self.shot_frames:
            offsets.append(o)
            o += self.l_txt + max(f // self.patch_t, self.grid_h, self.grid_w)
        return offsets

    # ---- per-token table ----------------------------------------------------------------------
    def token_table(self) -> TokenTable:
        offsets = self.shot_offsets()
        seg_ids, shots, chunks, is_video, pos, frame = [], [], [], [], [], []
        hh = torch.arange(self.grid_h).repeat_interleave(self.grid_w)      # (Hp*Wp,) row of each token
        ww = torch.arange(self.grid_w).repeat(self.grid_h)                 # (Hp*Wp,) column of each token
        for si, s in enumerate(self.segments):
            o = 0 if s.shot == GLOBAL_SHOT else offsets[s.shot]
            if s.text:
                j = torch.arange(self.l_txt) + o
                pos.append(torch.stack([j, j, j], dim=1))                  # (L_txt, 3) on the diagonal
                n = self.l_txt
                seg_ids.append(torch.full((n,), si))
                shots.append(torch.full((n,), s.shot))
                chunks.append(torch.zeros(n, dtype=torch.long))
                is_video.append(torch.zeros(n, dtype=torch.long))
                frame.append(torch.full((n,), -1))
            n_t = s.n_frames // self.patch_t
            if n_t:
                f = torch.arange(s.frame_start // self.patch_t, s.frame_start // self.patch_t + n_t)  # tubelet index in shot
                ff = f.repeat_interleave(self.tokens_per_frame)                # (n_t*Hp*Wp,)
                base = o + self.l_txt
                p = torch.stack([base + ff, base + hh.repeat(n_t), base + ww.repeat(n_t)], dim=1)
                pos.append(p)
                n = p.shape[0]
                seg_ids.append(torch.full((n,), si))
                shots.append(torch.full((n,), s.shot))
                chunks.append((ff * self.patch_t) // self.chunk_frames)
                is_video.append(torch.ones(n, dtype=torch.long))
                frame.append(ff * self.patch_t)
        cat = lambda xs: torch.cat(xs).long()
        return TokenTable(cat(seg_ids), cat(shots), cat(chunks), cat(is_video), cat(pos), cat(frame))


def position_table(layout: SceneLayout) -> torch.Tensor:
    """RoPE positions (t, h, w) of every token of `layout`, shape (N, 3), int64."""
    return layout.token_table().pos
