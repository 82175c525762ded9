"""Minimal reader/writer of the safetensors format (no dependency on the `safetensors` package).

Format (https://github.com/huggingface/safetensors, the format is the spec):

    [8 bytes]  N = header length, unsigned little-endian int64
    [N bytes]  UTF-8 JSON header:
                 {"<name>": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...,
                  "__metadata__": {"<str>": "<str>", ...}}          # optional, string values only
               padded with spaces so that the data section starts 8-byte aligned
    [...]      the data section; offsets are relative to its start, tensors are row-major
               (C order), little-endian, contiguous and without holes.

Supported dtypes: F32, F16, BF16, I64, I32, U8 (the ones the Java side reads).
"""
from __future__ import annotations

import json
import os
import struct
import sys
from typing import Dict, Mapping, Optional, Tuple

import numpy as np
import torch

assert sys.byteorder == "little", "safetensors_io assumes a little-endian host"

HEADER_LEN_BYTES = 8          # size of the little-endian u64 header length prefix
HEADER_ALIGN = 8              # data section starts at a multiple of this many bytes
METADATA_KEY = "__metadata__"

# torch dtype -> (safetensors name, numpy dtype used for the raw bytes, bytes per element)
_TORCH_TO_ST = {
    torch.float32: ("F32", np.float32, 4),
    torch.float16: ("F16", np.float16, 2),
    torch.bfloat16: ("BF16", np.int16, 2),   # numpy has no bfloat16: move the raw 16-bit patterns
    torch.int64: ("I64", np.int64, 8),
    torch.int32: ("I32", np.int32, 4),
    torch.uint8: ("U8", np.uint8, 1),
}
_ST_TO_TORCH = {name: (tdt, npdt, size) for tdt, (name, npdt, size) in _TORCH_TO_ST.items()}


def _tensor_bytes(t: torch.Tensor) -> bytes:
    assert t.dtype in _TORCH_TO_ST, f"unsupported dtype {t.dtype}; supported: {list(_TORCH_TO_ST)}"
    t = t.detach().to("cpu").contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)                       # same element size: a pure reinterpretation
    return t.numpy().tobytes(order="C")


def save_file(tensors: Mapping[str, torch.Tensor], path: str,
              metadata: Optional[Mapping[str, str]] = None) -> int:
    """Write `tensors` to `path` in safetensors format; returns the file size in bytes.

    Tensors are written in sorted-name order, so the same dict always gives the same bytes. One tensor's bytes
    are in memory at a time (a 4 GB text cache is written without a 4 GB buffer)."""
    header: Dict[str, object] = {}
    if metadata:
        for k, v in metadata.items():
            assert isinstance(k, str) and isinstance(v, str), "safetensors metadata must be str -> str"
        header[METADATA_KEY] = dict(metadata)
    names = sorted(tensors)
    offset = 0
    for name in names:
        assert name != METADATA_KEY, f"tensor name {METADATA_KEY!r} is reserved"
        t = tensors[name]
        assert t.dtype in _TORCH_TO_ST, f"unsupported dtype {t.dtype}; supported: {list(_TORCH_TO_ST)}"
        size = t.numel() * _TORCH_TO_ST[t.dtype][2]
        header[name] = {"dtype": _TORCH_TO_ST[t.dtype][0], "shape": list(t.shape),
                        "data_offsets": [offset, offset + size]}
        offset += size
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    pad = (-(HEADER_LEN_BYTES + len(header_bytes))) % HEADER_ALIGN
    header_bytes += b" " * pad
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for name in names:
            f.write(_tensor_bytes(tensors[name]))
        f.flush()
        os.fsync(f.fileno())
    return HEADER_LEN_BYTES + len(header_bytes) + offset


def read_header(path: str) -> Tuple[dict, int]:
    """Returns (header dict including __metadata__ if present, absolute byte offset of the data section)."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(HEADER_LEN_BYTES))
        assert n < 100 * 1024 * 1024, f"{path}: implausible safetensors header length {n}"
        header = json.loads(f.read(n).decode("utf-8"))
    return header, HEADER_LEN_BYTES + n


def load_metadata(path: str) -> Dict[str, str]:
    header, _ = read_header(path)
    return dict(header.get(METADATA_KEY, {}))


def load_file(path: str, device: str = "cpu") -> Dict[str, torch.Tensor]:
    """Read every tensor of a safetensors file (copies; the file is not kept open). Tensors are read one at a
    time, so loading needs the tensors' memory and no second copy of the file."""
    header, data_start = read_header(path)
    data_len = os.path.getsize(path) - data_start
    out: Dict[str, torch.Tensor] = {}
    expected = 0
    with open(path, "rb") as f:
        f.seek(data_start)
        for name, info in sorted(((k, v) for k, v in header.items() if k != METADATA_KEY),
                                 key=lambda kv: kv[1]["data_offsets"][0]):
            dtype_name = info["dtype"]
            assert dtype_name in _ST_TO_TORCH, f"{path}: tensor {name!r} has unsupported dtype {dtype_name}"
            tdt, npdt, size = _ST_TO_TORCH[dtype_name]
            begin, end = info["data_offsets"]
            assert begin == expected, f"{path}: tensor {name!r} data is not contiguous (hole or overlap)"
            shape = tuple(info["shape"])
            numel = int(np.prod(shape)) if shape else 1
            assert end - begin == numel * size, f"{path}: tensor {name!r} byte length does not match shape {shape}"
            raw = f.read(end - begin)
            assert len(raw) == end - begin, f"{path}: tensor {name!r} is cut short (the file ends early)"
            t = torch.from_numpy(np.frombuffer(raw, dtype=npdt, count=numel).copy().reshape(shape))
            if tdt == torch.bfloat16:
                t = t.view(torch.bfloat16)
            out[name] = t.to(device)
            expected = end
    assert expected == data_len, f"{path}: {data_len - expected} trailing bytes after the last tensor"
    return out
