import json
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


def test_interop_with_safetensors_package(tmp_path):
    safetensors_torch = pytest.importorskip("safetensors.torch")
    tensors = {k: v for k, v in sample_tensors().items() if v.numel() > 0}
    ours = str(tmp_path / "ours.safetensors")
    st.save_file(tensors, ours, {"m": "1"})
    theirs = safetensors_torch.load_file(ours)
    for k, v in tensors.items():
        assert torch.equal(theirs[k], v)
    path2 = str(tmp_path / "theirs.safetensors")
    safetensors_torch.save_file(tensors, path2, metadata={"m": "2"})
    back = st.load_file(path2)
    for k, v in tensors.items():
        assert torch.equal(back[k], v)
    assert st.load_metadata(path2) == {"m": "2"}
