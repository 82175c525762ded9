"""Text encoders: the test encoder, the cache, the Java line protocol (with a fake encoder process)."""
import sys
import textwrap

import pytest
import torch

from storydit import text
from storydit import safetensors_io
from storydit.text import CachedTextEncoder, JavaMiniLmEncoder, RandomTestEncoder


def test_random_test_encoder_is_deterministic_and_zero_padded():
    enc = RandomTestEncoder(l_txt=8)
    a = enc.encode(["a red square", "a blue circle moves"])
    b = enc.encode(["a red square"])
    assert a.shape == (2, 8, 384)
    assert torch.equal(a[0], b[0])
    assert a[0, :5].abs().sum() > 0 and a[0, 5:].abs().sum() == 0      # 3 words + 2 special tokens
    assert a[1, 6:].abs().sum() == 0


class CountingEncoder:
    l_txt = 8

    def __init__(self):
        self.seen = []
        self.inner = RandomTestEncoder(8)

    def encode(self, captions):
        self.seen.extend(captions)
        return self.inner.encode(captions)


def test_cached_encoder_encodes_each_caption_once(tmp_path):
    path = str(tmp_path / "cache.safetensors")
    inner = CountingEncoder()
    enc = CachedTextEncoder(inner, path)
    a = enc.encode(["x y", "z", "x y"])
    enc.encode(["z"])
    assert sorted(inner.seen) == ["x y", "z"]
    enc.save()
    inner2 = CountingEncoder()
    enc2 = CachedTextEncoder(inner2, path)
    b = enc2.encode(["x y", "z", "x y"])
    assert inner2.seen == [] and torch.equal(a, b)
    assert a.shape == (3, inner.l_txt, 384) and torch.equal(a, inner.inner.encode(["x y", "z", "x y"]))


def test_cached_encoder_keeps_entries_without_padding_and_reads_a_padded_file(tmp_path):
    path = str(tmp_path / "padded.safetensors")
    inner = CountingEncoder()
    full = inner.inner.encode(["a b c", "d"])                          # (2, l_txt, 384), zero padding rows
    keys = CachedTextEncoder(inner, None)
    safetensors_io.save_file({keys.key("a b c"): full[0], keys.key("d"): full[1]}, path)
    enc = CachedTextEncoder(CountingEncoder(), path)
    assert [tuple(r.shape) for r in (enc.memory[enc.key("a b c")], enc.memory[enc.key("d")])] == [(5, 384), (3, 384)]
    assert torch.equal(enc.encode(["d", "a b c"]), full[[1, 0]])
    enc.encode(["new words"])
    enc.save()                                                          # written trimmed, read back padded
    assert tuple(safetensors_io.load_file(path)[enc.key("d")].shape) == (3, 384)
    again = CachedTextEncoder(CountingEncoder(), path)
    assert torch.equal(again.encode(["a b c", "new words"]), enc.encode(["a b c", "new words"]))


FAKE_JAVA = textwrap.dedent("""
    import struct, sys, zlib
    for line in sys.stdin.buffer:
        cap = line.decode("utf-8").rstrip("\\n")
        assert "\\n" not in cap
        n = min(len(cap.split()) + 2, 32)
        seed = zlib.crc32(cap.encode())
        vals = [((seed + i) % 1000) / 1000.0 for i in range(n * 384)]
        sys.stdout.buffer.write(struct.pack("<i", n) + struct.pack("<%df" % (n * 384), *vals))
        sys.stdout.buffer.flush()
""")


def test_java_encoder_line_protocol(tmp_path):
    script = tmp_path / "fake_java.py"
    script.write_text(FAKE_JAVA)
    enc = JavaMiniLmEncoder([sys.executable, str(script)])
    try:
        out = enc.encode(["one two three", "multi\nline caption"])
    finally:
        enc.close()
    assert out.shape == (2, 32, 384)
    assert out[0, :5].abs().sum() > 0 and out[0, 5:].abs().sum() == 0
    assert out[1, :5].abs().sum() > 0 and out[1, 5:].abs().sum() == 0    # newline became a space: 3 words
    import zlib
    seed = zlib.crc32(b"one two three")
    assert abs(float(out[0, 0, 1]) - ((seed + 1) % 1000) / 1000.0) < 1e-6


def test_java_encoder_reports_a_dead_process(tmp_path):
    enc = JavaMiniLmEncoder([sys.executable, "-c", "import sys; sys.exit(3)"])
    with pytest.raises((RuntimeError, BrokenPipeError)):
        enc.encode(["hello"])


def test_auto_names_what_is_missing(monkeypatch):
    monkeypatch.setattr(text, "find_minilm_jar", lambda: None)
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
        pytest.skip("onnxruntime and tokenizers are installed here")
    except ImportError:
        pass
    with pytest.raises(RuntimeError) as e:
        text.make_text_encoder("auto", java_command=["java", "-jar", "/nonexistent/storyboard.jar", "encode-text", "--stream"])
    assert "onnxruntime" in str(e.value) or "tokenizers" in str(e.value)
    assert "storyboard.jar" in str(e.value)
