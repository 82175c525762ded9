import json
import os
import struct

import pytest
import torch

from storydit import safetensors_io as st

DTYPES = [torch.float32, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.uint8]


def sample_tensors():
    g = torch.Generator().manual_seed(0)
    out = {}
    for dt in DTYPES:
        x = torch.randn(3, 5, generator=g) * 50
        out[f"t_{str(dt).split('.')[-1]}"] = x.to(dt) if dt.is_floating_point else x.abs().to(dt)
    out["scalar"] = torch.tensor(3.5)
    out["empty"] = torch.zeros(0, 4)
    out["nested.name.weight"] = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
    return out


def test_round_trip_all_dtypes(tmp_path):
    tensors = sample_tensors()
    path = str(tmp_path / "a.safetensors")
    st.save_file(tensors, path, {"k": "v"})
    back = st.load_file(path)
    assert set(back) == set(tensors)
    for k, v in tensors.items():
        assert back[k].dtype == v.dtype and back[k].shape == v.shape, k
        assert torch.equal(back[k], v), k
    assert st.load_metadata(path) == {"k": "v"}


def test_header_layout_is_the_spec(tmp_path):
    path = str(tmp_path / "b.safetensors")
    st.save_file({"x": torch.tensor([1.0, 2.0], dtype=torch.float32), "y": torch.tensor([7], dtype=torch.int64)}, path)
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    assert (8 + n) % 8 == 0, "data section must start 8-byte aligned"
    assert header["x"] == {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}
    assert header["y"] == {"dtype": "I64", "shape": [1], "data_offsets": [8, 16]}
    assert raw[8 + n:] == struct.pack("<2f", 1.0, 2.0) + struct.pack("<q", 7)


def test_rejects_holes(tmp_path):
    header = json.dumps({"x": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}).encode()
    path = tmp_path / "bad.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * 8)
    with pytest.raises(AssertionError, match="contiguous"):
        st.load_file(str(path))


def test_rejects_a_cut_short_or_overlong_file(tmp_path):
    path = str(tmp_path / "c.safetensors")
    st.save_file(sample_tensors(), path)
    raw = open(path, "rb").read()
    (tmp_path / "short.safetensors").write_bytes(raw[:-3])
    with pytest.raises(AssertionError, match="cut short"):
        st.load_file(str(tmp_path / "short.safetensors"))
    (tmp_path / "long.safetensors").write_bytes(raw + b"\0" * 5)
    with pytest.raises(AssertionError, match="5 trailing bytes"):
        st.load_file(str(tmp_path / "long.safetensors"))


REFERENCE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "safetensors-reference")


def test_reads_the_official_writers_reference_file():
    """A file written by the official `safetensors` package (fixtures/safetensors-reference/README.md) reads back
    as the tensors and metadata it was written from: our codec is checked against the real one in CI."""
    path = os.path.join(REFERENCE, "reference.safetensors")
    back = st.load_file(path)
    tensors = sample_tensors()
    assert set(back) == set(tensors)
    for k, v in tensors.items():
        assert back[k].dtype == v.dtype and back[k].shape == v.shape, k
        assert torch.equal(back[k], v), k
    expected = json.load(open(os.path.join(REFERENCE, "expected.json")))
    assert st.load_metadata(path) == expected["metadata"]
    for k, e in expected["tensors"].items():
        assert back[k].double().flatten().tolist() == e["values"], k


def test_our_file_has_the_reference_header_entries(tmp_path):
    """What we write describes every tensor exactly as the official writer does (dtype, shape, byte length)."""
    ours = str(tmp_path / "ours.safetensors")
    st.save_file(sample_tensors(), ours, {"writer": "storydit"})

    def entries(path):
        raw = open(path, "rb").read()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n])
        header.pop("__metadata__", None)
        return {k: (v["dtype"], v["shape"], v["data_offsets"][1] - v["data_offsets"][0]) for k, v in header.items()}

    assert entries(ours) == entries(os.path.join(REFERENCE, "reference.safetensors"))
