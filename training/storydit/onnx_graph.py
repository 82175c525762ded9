"""An ONNX graph run by torch, on any device: the product's quantized MiniLM without onnxruntime.

Why: the GPU box's onnxruntime has no CUDA, and almost every training caption is new (19,910 distinct content
prompts in 20,000 scenes), so a GPU run needs the text encoder on the GPU. Debian has no `onnx` Python package
either, so this module reads the file itself: an ONNX model is a protobuf, and the handful of message fields
below is all it takes.

    graph = OnnxGraph.load("all-minilm-l6-v2-q.onnx", device)
    (hidden,) = graph.run({"input_ids": ids, "attention_mask": mask, "token_type_ids": types}, rows=mask)

Exactness. The int8 graph quantizes each activation with DynamicQuantizeLinear, whose scale comes from the
tensor's min and max. The product encodes one caption per run, so that range is one caption's. A padded batch
must not change it: `rows` (B, n) marks each sample's real tokens, and the range is taken per sample over them.
MatMulInteger is exact (integer sums; `_matmul_integer`); the rest runs in float32 like onnxruntime. Only the ops
of that graph are implemented; any other op is a clear error.
"""
from __future__ import annotations

import struct
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch

# --- 1. protobuf wire format (the few ONNX messages we need) --------------------------------------------------
# ModelProto.graph = 7; GraphProto: node = 1, initializer = 5; NodeProto: input = 1, output = 2, op_type = 4,
# attribute = 5; AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8;
# TensorProto: dims = 1, data_type = 2, float_data = 4, int32_data = 5, int64_data = 7, name = 8, raw_data = 9.


def _varint(buf: bytes, i: int) -> Tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def _fields(buf: bytes) -> Dict[int, List]:
    """One message: field number -> values in order (ints for varints, bytes otherwise)."""
    out: Dict[int, List] = {}
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        elif wire == 2:
            n, i = _varint(buf, i)
            value, i = buf[i:i + n], i + n
        else:
            raise ValueError(f"protobuf wire type {wire} is not supported (field {number})")
        out.setdefault(number, []).append(value)
    return out


def _signed64(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


def _ints(values: List) -> List[int]:
    """A repeated int field, packed (one bytes chunk of varints) or not."""
    out: List[int] = []
    for v in values:
        if isinstance(v, (bytes, bytearray, memoryview)):
            i, buf = 0, bytes(v)
            while i < len(buf):
                x, i = _varint(buf, i)
                out.append(_signed64(x))
        else:
            out.append(_signed64(v))
    return out


_DTYPES = {1: (np.float32, torch.float32), 2: (np.uint8, torch.uint8), 3: (np.int8, torch.int8),
           6: (np.int32, torch.int32), 7: (np.int64, torch.int64), 9: (np.bool_, torch.bool),
           11: (np.float64, torch.float64)}


def _tensor(buf: bytes) -> Tuple[str, torch.Tensor]:
    f = _fields(buf)
    dims = _ints(f.get(1, []))
    dtype = f[2][0]
    if dtype not in _DTYPES:
        raise ValueError(f"ONNX tensor data type {dtype} is not supported")
    np_type = _DTYPES[dtype][0]
    if 9 in f:
        array = np.frombuffer(bytes(f[9][0]), dtype=np_type).copy()
    elif dtype == 1:
        array = np.frombuffer(b"".join(bytes(v) for v in f.get(4, [])), dtype="<f4").copy()
    elif dtype == 7:
        array = np.asarray(_ints(f.get(7, [])), dtype=np.int64)
    else:
        array = np.asarray(_ints(f.get(5, [])), dtype=np.int64).astype(np_type)
    name = bytes(f[8][0]).decode() if 8 in f else ""
    return name, torch.from_numpy(array.reshape(dims))


def _attribute(buf: bytes):
    f = _fields(buf)
    name = bytes(f[1][0]).decode()
    if 5 in f:
        return name, _tensor(bytes(f[5][0]))[1]
    if 8 in f:
        return name, _ints(f[8])
    if 7 in f:
        return name, list(struct.unpack(f"<{len(f[7][0]) // 4}f", bytes(f[7][0])))
    if 3 in f:
        return name, _signed64(f[3][0])
    if 2 in f:
        return name, struct.unpack("<f", bytes(f[2][0]))[0]
    if 4 in f:
        return name, bytes(f[4][0]).decode()
    raise ValueError(f"ONNX attribute {name!r} has a type that is not supported")


class Node:
    def __init__(self, buf: bytes):
        f = _fields(buf)
        self.op = bytes(f[4][0]).decode()
        self.inputs = [bytes(v).decode() for v in f.get(1, [])]
        self.outputs = [bytes(v).decode() for v in f.get(2, [])]
        self.attrs = dict(_attribute(bytes(a)) for a in f.get(5, []))


# --- 2. the graph ------------------------------------------------------------------------------------------------
class OnnxGraph:
    def __init__(self, nodes: Sequence[Node], initializers: Dict[str, torch.Tensor], outputs: Sequence[str],
                 device: torch.device):
        self.nodes, self.outputs, self.device = list(nodes), list(outputs), device
        # integer index tensors (shapes, position ids) stay on the CPU with the shape arithmetic; the rest moves
        self.initializers = {k: v if v.dtype == torch.int64 else v.to(device) for k, v in initializers.items()}
        unknown = sorted({n.op for n in self.nodes} - set(_OPS))
        if unknown:
            raise ValueError(f"ONNX ops not supported by OnnxGraph: {unknown}")

    @staticmethod
    def load(path: str, device="cpu") -> "OnnxGraph":
        with open(path, "rb") as fh:
            model = _fields(fh.read())
        graph = _fields(bytes(model[7][0]))
        inits = dict(_tensor(bytes(t)) for t in graph.get(5, []))
        outputs = [bytes(_fields(bytes(o))[1][0]).decode() for o in graph.get(12, [])]
        return OnnxGraph([Node(bytes(n)) for n in graph.get(1, [])], inits, outputs, torch.device(device))

    @torch.no_grad()
    def run(self, feeds: Dict[str, torch.Tensor], rows: Optional[torch.Tensor] = None) -> List[torch.Tensor]:
        """feeds: graph inputs; rows (B, n) of 0/1: each sample's real tokens (the quantization range is taken
        per sample over them; None = the whole tensor, as onnxruntime does)."""
        env = dict(self.initializers)
        env.update({k: v.to(self.device) for k, v in feeds.items()})   # input ids index on the device
        ctx = _Context(None if rows is None else rows.to(self.device).bool(), self.device)
        with torch.autocast(self.device.type, enabled=False):                 # float32 as onnxruntime, never bf16
            for node in self.nodes:
                args = [env[name] if name else None for name in node.inputs]
                results = _OPS[node.op](ctx, node.attrs, *args)
                for name, value in zip(node.outputs, results):
                    env[name] = value
        return [env[name] for name in self.outputs]


class _Context:
    def __init__(self, rows: Optional[torch.Tensor], device: torch.device):
        self.rows, self.device = rows, device


# --- 3. the ops (ONNX opset 11 semantics, the subset MiniLM uses) ------------------------------------------------
def _dynamic_quantize(ctx: _Context, _attrs, x):
    """uint8 quantization of x with scale = (max(0, max x) - min(0, min x)) / 255 and the zero point that maps 0
    exactly. Per sample over its real tokens when ctx.rows is given (module doc)."""
    x = x.float()
    if ctx.rows is not None and x.dim() >= 2 and tuple(x.shape[:2]) == tuple(ctx.rows.shape):
        keep = ctx.rows.reshape(*ctx.rows.shape, *([1] * (x.dim() - 2))).expand_as(x)
        lo = torch.where(keep, x, torch.full_like(x, float("inf"))).flatten(1).min(1).values
        hi = torch.where(keep, x, torch.full_like(x, float("-inf"))).flatten(1).max(1).values
        shape = (-1,) + (1,) * (x.dim() - 1)
        lo, hi = lo.reshape(shape), hi.reshape(shape)
    else:
        lo, hi = x.min(), x.max()
    lo, hi = torch.clamp(lo, max=0.0), torch.clamp(hi, min=0.0)
    scale = (hi - lo) / 255.0
    scale = torch.where(scale == 0, torch.ones_like(scale), scale)
    zero = torch.clamp(torch.round(-lo / scale), 0, 255)
    q = torch.clamp(torch.round(x * (1.0 / scale)) + zero, 0, 255)       # onnxruntime multiplies by 1 / scale
    return q.to(torch.uint8), scale, zero.to(torch.uint8)


def _matmul_integer(_ctx, _attrs, a, b, a_zero=None, b_zero=None):
    """(a - a_zero) @ (b - b_zero) exactly. On a GPU in float64 (53-bit mantissa: every int8 x uint8 sum fits,
    whatever the TF32 setting). On the CPU, where float64 runs at a fraction of float32, a - a_zero (in
    -255..255) is split as 16 h + l with l in 0..15: both float32 products' partial sums stay integers below
    2^24 for K <= 8192, so each is exact in any summation order."""
    a = a.to(torch.int32) - (0 if a_zero is None else a_zero.to(torch.int32))
    b = b.to(torch.int32) - (0 if b_zero is None else b_zero.to(torch.int32))
    if a.is_cuda:
        return (torch.matmul(a.double(), b.double()).to(torch.int32),)
    assert a.shape[-1] <= 8192 and int(b.abs().max()) <= 128, "the float32 split needs K <= 8192 and |b| <= 128"
    low = torch.remainder(a, 16)
    high = torch.div(a - low, 16, rounding_mode="floor")
    bf = b.float()
    out = torch.matmul(high.float(), bf).to(torch.int32) * 16 + torch.matmul(low.float(), bf).to(torch.int32)
    return (out,)


def _matmul(_ctx, _attrs, a, b):
    """Float MatMul (attention scores and mixing). On a GPU in float64: a run with TF32 enabled (the DiT's) must
    not round the encoder's products to 10 bits."""
    if a.is_cuda:
        return (torch.matmul(a.double(), b.double()).to(a.dtype),)
    return (torch.matmul(a, b),)


def _dequantize(_ctx, _attrs, x, scale, zero=None):
    return ((x.float() - (0.0 if zero is None else zero.float())) * scale.float(),)


def _gather(_ctx, attrs, data, indices):
    axis = attrs.get("axis", 0) % data.dim()
    idx = indices.long()
    idx = torch.where(idx < 0, idx + data.shape[axis], idx)
    out = data.index_select(axis, idx.reshape(-1).to(data.device))
    return (out.reshape(data.shape[:axis] + idx.shape + data.shape[axis + 1:]),)


def _reshape(_ctx, _attrs, data, shape):
    dims = [int(s) for s in shape.tolist()]
    dims = [data.shape[i] if s == 0 else s for i, s in enumerate(dims)]
    return (data.reshape(dims),)


def _unsqueeze(_ctx, attrs, data):
    out = data
    for axis in sorted(a % (data.dim() + len(attrs["axes"])) for a in attrs["axes"]):
        out = out.unsqueeze(axis)
    return (out,)


def _slice(_ctx, _attrs, data, starts, ends, axes=None, steps=None):
    index = [slice(None)] * data.dim()
    axes_list = axes.tolist() if axes is not None else list(range(len(starts)))
    steps_list = steps.tolist() if steps is not None else [1] * len(starts)
    for s, e, a, st in zip(starts.tolist(), ends.tolist(), axes_list, steps_list):
        if st != 1:
            raise ValueError("Slice with a step other than 1 is not supported")
        n = data.shape[a]
        index[a] = slice(max(-n, min(s, n)), max(-n, min(e, n)))
    return (data[tuple(index)],)


def _softmax(_ctx, attrs, x):
    axis = attrs.get("axis", 1) % x.dim()
    if axis != x.dim() - 1:
        raise ValueError("Softmax over an axis other than the last is not supported")
    return (torch.softmax(x, dim=-1),)


def _reduce_mean(_ctx, attrs, x):
    return (x.mean(dim=tuple(attrs["axes"]), keepdim=bool(attrs.get("keepdims", 1))),)


def _cast(_ctx, attrs, x):
    return (x.to(_DTYPES[attrs["to"]][1]),)


def _constant(ctx, attrs):
    """Integer constants are shape arithmetic and stay on the CPU; the others go where the data is."""
    value = attrs["value"]
    return (value if value.dtype == torch.int64 else value.to(ctx.device),)


def _binary(fn):
    return lambda _ctx, _attrs, a, b: (fn(a, b),)


_OPS = {
    "Constant": _constant,
    "Shape": lambda _ctx, _attrs, x: (torch.tensor(list(x.shape), dtype=torch.int64),),
    "Gather": _gather,
    "Unsqueeze": _unsqueeze,
    "Concat": lambda _ctx, attrs, *xs: (torch.cat([x.reshape(-1) if x.dim() == 0 else x for x in xs],
                                                  dim=attrs["axis"]),),
    "Reshape": _reshape,
    "Transpose": lambda _ctx, attrs, x: (x.permute(*attrs["perm"]),),
    "Slice": _slice,
    "Cast": _cast,
    "Add": _binary(torch.add),
    "Sub": _binary(torch.sub),
    "Mul": _binary(torch.mul),
    "Div": _binary(torch.div),
    "Pow": _binary(torch.pow),
    "MatMul": _matmul,
    "Sqrt": lambda _ctx, _attrs, x: (torch.sqrt(x),),
    "Erf": lambda _ctx, _attrs, x: (torch.erf(x),),
    "Softmax": _softmax,
    "ReduceMean": _reduce_mean,
    "DynamicQuantizeLinear": _dynamic_quantize,
    "DequantizeLinear": _dequantize,
    "MatMulInteger": _matmul_integer,
}
