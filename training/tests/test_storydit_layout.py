"""RoPE position table, RoPE rotation convention and the three mask modes, against hand-written cases."""
import math

import torch

from storydit.layout import GLOBAL_SHOT, SceneLayout, Segment, position_table
from storydit.masks import build_allow
from storydit.rope import apply_rope, rope_cos_sin, rope_split


def small_layout():
    # global caption + shot 0 (2 frames) + shot 1 (3 frames); l_txt 2; token grid 2 x 1; chunks of 2 frames
    return SceneLayout.full((2, 3), True, (2, 1), l_txt=2, chunk_frames=2)


def test_position_table_hand_example():
    expected = [
        (0, 0, 0), (1, 1, 1),                                   # global text, o = 0
        (2, 2, 2), (3, 3, 3),                                   # shot 0 text, o_0 = L_txt = 2
        (4, 4, 4), (4, 5, 4), (5, 4, 4), (5, 5, 4),             # shot 0 video (f, h, w) + o_0 + L_txt
        (6, 6, 6), (7, 7, 7),                                   # shot 1 text, o_1 = 2 + 2 + max(2, 2, 1) = 6
        (8, 8, 8), (8, 9, 8), (9, 8, 8), (9, 9, 8), (10, 8, 8), (10, 9, 8),
    ]
    assert position_table(small_layout()).tolist() == [list(p) for p in expected]


def test_token_ids_hand_example():
    tab = small_layout().token_table()
    assert tab.shot.tolist() == [-1, -1] + [0] * 6 + [1] * 8
    assert tab.chunk.tolist() == [0, 0] + [0] * 6 + [0, 0] + [0, 0, 0, 0, 1, 1]
    assert tab.segment.tolist() == [0, 0] + [1] * 6 + [2] * 8
    assert tab.is_video.tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1]


def test_extension_positions_continue_the_shot():
    lay = small_layout()
    ext = lay.with_segments([Segment(1, False, 2, 1)])          # only frame 2 of shot 1
    assert position_table(ext).tolist() == [[10, 8, 8], [10, 9, 8]]
    assert ext.token_table().chunk.tolist() == [1, 1]
    # growing shot 0 from 2 to 5 frames shifts shot 1: o_1 = 2 + 2 + max(5, 2, 1) = 9
    grown = SceneLayout.full((5, 3), True, (2, 1), 2, 2)
    assert grown.shot_offsets() == [2, 9]


def test_offsets_without_global_and_large_grid():
    lay = SceneLayout.full((1, 1, 1), False, (4, 3), l_txt=32, chunk_frames=4)
    assert lay.shot_offsets() == [0, 36, 72]


def test_rope_split():
    assert rope_split(16) == (8, 4, 4)
    assert rope_split(32) == (12, 10, 10)
    assert rope_split(64) == (24, 20, 20)


def test_rope_rotate_half_convention():
    Dh = 12                                      # parts t, h, w of size 4 each; inv_freq = [1, 10000^-0.5]
    pos = torch.tensor([[1, 2, 3]])
    cos, sin = rope_cos_sin(pos, Dh)
    x = torch.zeros(1, 1, 1, Dh)
    x[..., 0] = 1.0                              # first element of the t part
    x[..., 5] = 1.0                              # second element of the h part
    y = apply_rope(x, cos, sin, Dh)[0, 0, 0]
    f2 = 10000 ** -0.5
    expected = torch.zeros(Dh)
    expected[0], expected[2] = math.cos(1), math.sin(1)                       # pair (0, 2) rotates by p_t * 1
    expected[5], expected[7] = math.cos(2 * f2), math.sin(2 * f2)             # pair (5, 7) rotates by p_h * f2
    assert torch.allclose(y, expected, atol=1e-6), y


def test_rope_scores_depend_on_relative_position_only():
    Dh = 32
    g = torch.Generator().manual_seed(0)
    q, k = torch.randn(1, 1, 1, Dh, generator=g), torch.randn(1, 1, 1, Dh, generator=g)

    def score(pq, pk):
        cq, sq = rope_cos_sin(torch.tensor([pq]), Dh)
        ck, sk = rope_cos_sin(torch.tensor([pk]), Dh)
        return float((apply_rope(q, cq, sq, Dh) * apply_rope(k, ck, sk, Dh)).sum())

    assert abs(score([5, 1, 2], [3, 0, 0]) - score([15, 11, 12], [13, 10, 10])) < 1e-4
    assert abs(score([5, 1, 2], [3, 0, 0]) - score([5, 1, 2], [4, 0, 0])) > 1e-3


# tokens: global text, shot 0 text, shot 0 video (chunk 1), shot 1 text, shot 1 video (chunk 1)
SHOT = torch.tensor([GLOBAL_SHOT, 0, 0, 1, 1])
CHUNK = torch.tensor([0, 0, 1, 0, 1])


def rows(*bits):
    return torch.tensor([[c == "1" for c in r] for r in bits])


def test_mask_scene_full():
    assert torch.equal(build_allow("scene_full", SHOT, CHUNK, SHOT, CHUNK), torch.ones(5, 5, dtype=torch.bool))


def test_mask_context_causal():
    expected = rows("10000", "11100", "11100", "11111", "11111")
    assert torch.equal(build_allow("context_causal", SHOT, CHUNK, SHOT, CHUNK), expected)


def test_mask_chunk_causal():
    expected = rows("10000", "11000", "11100", "11110", "11111")
    assert torch.equal(build_allow("chunk_causal", SHOT, CHUNK, SHOT, CHUNK), expected)


def test_mask_against_cached_keys():
    # queries: shot 1 chunk 1 only; keys: everything (cache + new)
    got = build_allow("chunk_causal", SHOT[4:], CHUNK[4:], SHOT, CHUNK)
    assert got.tolist() == [[True] * 5]
    got = build_allow("chunk_causal", SHOT[3:4], CHUNK[3:4], SHOT, CHUNK)
    assert got.tolist() == [[True, True, True, True, False]]
