"""The product's Java text encoder through the training pipeline's subprocess protocol.

Runs against the jar that `./mvnw verify` builds before this module's tests; skipped when it is absent
(e.g. pytest run alone before any Java build)."""
import os

import pytest
import torch

from storydit.text import JAVA_ENCODER_COMMAND, JavaMiniLmEncoder

JAR = next(a for a in JAVA_ENCODER_COMMAND if a.endswith(".jar"))
pytestmark = pytest.mark.skipif(not os.path.exists(JAR), reason=f"{JAR} not built yet (run ./mvnw package)")


@pytest.fixture(scope="module")
def encoder():
    enc = JavaMiniLmEncoder(l_txt=32)
    yield enc
    enc.close()


def test_token_level_embeddings_are_zero_padded_to_l_txt(encoder):
    emb = encoder.encode(["a red ball", "a crimson sphere bounces on the beach"])
    assert emb.shape == (2, 32, 384)
    # "[CLS] a red ball [SEP]" = 5 real tokens, the rest are zero rows
    assert emb[0, :5].abs().sum(dim=-1).min() > 0
    assert torch.count_nonzero(emb[0, 5:]) == 0


def test_same_caption_same_embedding_and_meaning_is_reflected(encoder):
    a, b, c, a2 = encoder.encode(["a red ball bounces on the beach", "a crimson sphere bouncing by the sea",
                                  "tall office buildings at night", "a red ball bounces on the beach"])
    assert torch.equal(a, a2)

    def sentence(x):
        real = x[x.abs().sum(-1) > 0]
        v = real.mean(0)
        return v / v.norm()

    assert torch.dot(sentence(a), sentence(b)) > torch.dot(sentence(a), sentence(c)) + 0.2


def test_token_budget_matches_l_txt():
    enc = JavaMiniLmEncoder(l_txt=8)
    try:
        emb = enc.encode(["a red ball bounces on the sunny beach while the camera pans left"])
        assert emb.shape == (1, 8, 384)
        assert torch.count_nonzero(emb[0].abs().sum(-1)) == 8
    finally:
        enc.close()
