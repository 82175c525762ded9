"""Scene batches: a pure function of (seed, cursor), whether the specs are sampled inline or by a pool."""
import torch

from storydit.data import SceneBatcher, load_storyworld


def test_pooled_spec_sampling_gives_the_inline_batches_including_after_a_jump():
    world = load_storyworld()
    kw = dict(batch_size=6, image_size=32, frames_per_shot=2, max_shots=2, seed=3, with_alpha=True)
    inline = SceneBatcher(world, **kw)
    pooled = SceneBatcher(world, workers=2, **kw)
    try:
        for cursor in (0, 1, 2, 7, 8):                 # 1 and 2 come from the prefetch, 7 is a miss, 8 a hit again
            a, b = inline.batch(cursor), pooled.batch(cursor)
            assert a.captions == b.captions and a.mode == b.mode and a.global_captions == b.global_captions
            assert torch.equal(a.video, b.video) and torch.equal(a.alpha, b.alpha)
        assert pooled.pending[0] == 9, "the next batch is already being sampled"
    finally:
        pooled.close()
    assert pooled.pool is None
