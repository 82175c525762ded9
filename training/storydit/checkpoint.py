"""Checkpoints: exact resume within a hard size budget.

A checkpoint is a directory `step-XXXXXXXX/` holding at most MAX_FILES safetensors shards
(`shard-II-of-NN.safetensors`), each at most MAX_FILE_BYTES. Tensors are bin-packed (first fit decreasing)
across shards; the JSON state (step, data cursor, optimizer hyper-parameters, RNG states of python/numpy,
config, ...) lives in shard 0's `__metadata__` under META_KEY. Writing is atomic: a temporary directory is
filled, fsynced and renamed; older checkpoints are deleted only after that, keeping the last `keep`.
Loading picks the newest directory that reads back completely and falls back to older ones.

Tensor name prefixes: model.*, ema.*, optim.<param index>.<state name>, error_bank.*, rng.*.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch

from . import safetensors_io

MAX_FILES = 8                         # files per checkpoint directory
MAX_FILE_BYTES = 16 * 1024 * 1024     # bytes per file
HEADER_BYTES_PER_TENSOR = 256         # safetensors header allowance per tensor (name, dtype, shape, offsets)
HEADER_SLACK_BYTES = 4096             # fixed header allowance per shard
META_KEY = "storydit_checkpoint"
STEP_DIR = re.compile(r"^step-(\d{8})$")


class CheckpointBudgetError(RuntimeError):
    pass


def tensor_nbytes(t: torch.Tensor) -> int:
    return t.numel() * t.element_size()


def plan_shards(sizes: Dict[str, int], meta_bytes: int = 0) -> List[List[str]]:
    """First-fit-decreasing packing of tensors (name -> bytes) into <= MAX_FILES bins of MAX_FILE_BYTES.
    Shard 0 also carries `meta_bytes` of metadata. Raises CheckpointBudgetError when it cannot fit."""
    bins: List[List[str]] = []
    used: List[int] = []

    def capacity(i: int, n_tensors: int) -> int:
        return MAX_FILE_BYTES - HEADER_SLACK_BYTES - (meta_bytes if i == 0 else 0) - HEADER_BYTES_PER_TENSOR * n_tensors

    for name in sorted(sizes, key=lambda n: (-sizes[n], n)):
        size = sizes[name]
        for i in range(len(bins)):
            if used[i] + size <= capacity(i, len(bins[i]) + 1):
                bins[i].append(name)
                used[i] += size
                break
        else:
            if size > capacity(len(bins), 1):
                raise CheckpointBudgetError(f"tensor {name!r} ({size} bytes) is larger than one checkpoint file "
                                            f"may be ({MAX_FILE_BYTES} bytes)")
            bins.append([name])
            used.append(size)
    if not bins:
        bins = [[]]
    if len(bins) > MAX_FILES:
        total = sum(sizes.values()) + meta_bytes
        raise CheckpointBudgetError(
            f"checkpoint needs {len(bins)} files ({total / 2**20:.1f} MiB) but the budget is {MAX_FILES} files of "
            f"{MAX_FILE_BYTES / 2**20:.0f} MiB: use a smaller preset or a smaller error bank (--bank-per-bucket)")
    return bins


def check_budget(tensors: Dict[str, torch.Tensor], meta: dict) -> int:
    """Number of shards the state needs; raises CheckpointBudgetError when over budget."""
    return len(plan_shards({k: tensor_nbytes(v) for k, v in tensors.items()}, len(json.dumps(meta)) + 64))


def _fsync_dir(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def save_checkpoint(root: str, step: int, tensors: Dict[str, torch.Tensor], meta: dict, keep: int = 2) -> str:
    os.makedirs(root, exist_ok=True)
    meta = dict(meta, step=step)
    meta_json = json.dumps(meta)
    shards = plan_shards({k: tensor_nbytes(v) for k, v in tensors.items()}, len(meta_json) + 64)
    final = os.path.join(root, f"step-{step:08d}")
    tmp = os.path.join(root, f".tmp-step-{step:08d}-{os.getpid()}")
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    os.makedirs(tmp)
    n = len(shards)
    for i, names in enumerate(shards):
        path = os.path.join(tmp, f"shard-{i:02d}-of-{n:02d}.safetensors")
        md = {META_KEY: meta_json} if i == 0 else {}
        size = safetensors_io.save_file({k: tensors[k] for k in names}, path, md)
        if size > MAX_FILE_BYTES:
            shutil.rmtree(tmp)
            raise CheckpointBudgetError(f"{path} is {size} bytes > {MAX_FILE_BYTES}")
    _fsync_dir(tmp)
    if os.path.exists(final):                     # re-saving the same step: replace
        shutil.rmtree(final)
    os.rename(tmp, final)
    _fsync_dir(root)
    for old in list_checkpoints(root)[:-keep] if keep > 0 else []:
        shutil.rmtree(old, ignore_errors=True)
    return final


def list_checkpoints(root: str) -> List[str]:
    """Complete checkpoint directories, oldest first."""
    if not os.path.isdir(root):
        return []
    steps = sorted((int(m.group(1)), name) for name in os.listdir(root) if (m := STEP_DIR.match(name)))
    return [os.path.join(root, name) for _, name in steps]


def _shards(path: str) -> List[str]:
    files = sorted(f for f in os.listdir(path) if f.endswith(".safetensors"))
    assert files, f"{path}: no shards"
    n = int(files[0].split("-of-")[1].split(".")[0])
    assert len(files) == n, f"{path}: {len(files)} shards, expected {n}"
    return [os.path.join(path, f) for f in files]


def load_checkpoint_meta(path: str) -> dict:
    """A checkpoint folder's metadata (step, train_config, ...) without reading its tensors."""
    return json.loads(safetensors_io.load_metadata(_shards(path)[0])[META_KEY])


def load_checkpoint_dir(path: str) -> Tuple[Dict[str, torch.Tensor], dict]:
    shards = _shards(path)
    tensors: Dict[str, torch.Tensor] = {}
    for f in shards:
        tensors.update(safetensors_io.load_file(f))
    return tensors, json.loads(safetensors_io.load_metadata(shards[0])[META_KEY])


def load_latest(root: str) -> Optional[Tuple[Dict[str, torch.Tensor], dict, str]]:
    for path in reversed(list_checkpoints(root)):
        try:
            tensors, meta = load_checkpoint_dir(path)
            return tensors, meta, path
        except Exception as e:  # a damaged newest checkpoint: fall back to the previous good one
            print(f"WARNING: cannot read checkpoint {path}: {e}; trying an older one")
    return None


def load_run(path: str) -> Optional[Tuple[Dict[str, torch.Tensor], dict, str]]:
    """The checkpoint a path names: a step folder (step-XXXXXXXX) itself, else the newest under a run folder's
    checkpoints/ (or under `path` when it has none). -> (tensors, meta, folder) or None when there is none."""
    if STEP_DIR.match(os.path.basename(path.rstrip("/"))):
        return (*load_checkpoint_dir(path), path)
    root = os.path.join(path, "checkpoints") if os.path.isdir(os.path.join(path, "checkpoints")) else path
    return load_latest(root)


def writing_run(step_dir: str) -> Optional[Tuple[str, dict, int]]:
    """The run that wrote a step folder (step-XXXXXXXX), also when the folder is a copy kept outside it:
    (run dir, the checkpoint's train_config, its step), with the folder itself as the run when the out_dir it
    records is gone. None when the path is not a step folder."""
    match = STEP_DIR.match(os.path.basename(step_dir.rstrip("/")))
    if match is None:
        return None
    cfg = load_checkpoint_meta(step_dir).get("train_config", {})
    cfg = cfg if isinstance(cfg, dict) else {}
    writer = cfg.get("out_dir")
    return (writer if writer and os.path.isdir(writer) else step_dir), cfg, int(match.group(1))


# ---------------------------------------------------------------------------------------------
# state packing helpers
# ---------------------------------------------------------------------------------------------
def rng_state() -> Tuple[Dict[str, torch.Tensor], dict]:
    tensors = {"rng.torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        for i, s in enumerate(torch.cuda.get_rng_state_all()):
            tensors[f"rng.cuda.{i}"] = s
    np_state = np.random.get_state()
    tensors["rng.numpy.keys"] = torch.from_numpy(np_state[1].astype(np.int64))
    py = random.getstate()
    meta = {"rng_numpy": [np_state[0], int(np_state[2]), int(np_state[3]), float(np_state[4])],
            "rng_python": [py[0], list(py[1]), py[2]]}
    return tensors, meta


def set_rng_state(tensors: Dict[str, torch.Tensor], meta: dict) -> None:
    torch.set_rng_state(tensors["rng.torch"].to(torch.uint8))
    if torch.cuda.is_available():
        states = [tensors[k].to(torch.uint8) for k in sorted(k for k in tensors if k.startswith("rng.cuda."))]
        if states:
            torch.cuda.set_rng_state_all(states)
    name, pos, has_gauss, cached = meta["rng_numpy"]
    np.random.set_state((name, tensors["rng.numpy.keys"].numpy().astype(np.uint32), pos, has_gauss, cached))
    v, internal, gauss_next = meta["rng_python"]
    random.setstate((v, tuple(internal), gauss_next))


def optimizer_state(opt: torch.optim.Optimizer) -> Tuple[Dict[str, torch.Tensor], dict]:
    sd = opt.state_dict()
    tensors, scalars = {}, {}
    for idx, st in sd["state"].items():
        for k, v in st.items():
            if torch.is_tensor(v):
                tensors[f"optim.{idx}.{k}"] = v
            else:
                scalars[f"{idx}.{k}"] = v
    return tensors, {"optim_param_groups": sd["param_groups"], "optim_scalars": scalars}


def load_optimizer_state(opt: torch.optim.Optimizer, tensors: Dict[str, torch.Tensor], meta: dict) -> None:
    state: Dict[int, dict] = {}
    for name, v in tensors.items():
        if name.startswith("optim."):
            _, idx, k = name.split(".", 2)
            state.setdefault(int(idx), {})[k] = v
    for key, v in meta.get("optim_scalars", {}).items():
        idx, k = key.split(".", 1)
        state.setdefault(int(idx), {})[k] = v
    groups = meta["optim_param_groups"]
    for g in groups:
        if "betas" in g:
            g["betas"] = tuple(g["betas"])
    opt.load_state_dict({"state": state, "param_groups": groups})
