#!/usr/bin/env bash
# Evaluate trained StoryDiT runs with the product's own engine and judge, then export the shipped model
# (fp16 weights + manifest + MODEL_CARD.md + the evaluation it is based on) into the assets module.
#
#   cd training && ./ship_model.sh [STAGE2_RUN] [STAGE1_RUN]
#
# Needs the app jar (../app/target/storyboard.jar: `./mvnw -q -DskipTests package` at the root). Every step
# writes under runs/ship/ first; only the last one replaces assets/.../models/default.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
STAGE2=${1:-runs/dit-S-stage2}
STAGE1=${2:-runs/dit-S-stage1}
VAE=${VAE:-artifacts/vae-S}
BENCH=${BENCH:-runs/benchmark}
WORK=${WORK:-runs/ship}   # a new VAE or stage-1 run wants its own WORK (stage-1 results are reused)
DEST=../assets/src/main/resources/storyboard/models/default
NAME=${NAME:-storydit-s}
JAR=../app/target/storyboard.jar
SEGMENT=32   # frames per drift segment: 4 s at 8 fps
mkdir -p "$WORK"

[ -f "$JAR" ] || { echo "ship_model: $JAR is missing; build it first (./mvnw -q -DskipTests package)" >&2; exit 2; }
[ -d "$BENCH" ] || $PY -m storyworld.benchmark --out "$BENCH"

echo "== export candidates"
$PY -m storydit.export --run "$STAGE2" --vae "$VAE" --out "$WORK/model-stage2" --name "$NAME"
# the stage-1 reference does not change while stage 2 trains: reuse its export and drift report when present
[ -f "$WORK/model-stage1/manifest.json" ] || \
  $PY -m storydit.export --run "$STAGE1" --vae "$VAE" --out "$WORK/model-stage1" --name "$NAME-stage1"

eval_run() {  # eval_run OUT MODEL [eval args...]
  local out=$1 model=$2; shift 2
  java -Dai.djl.offline=true -jar "$JAR" eval --generate --model "$model" --chunk 4 -o "$out" "$@" \
    2> >(grep -v ' INFO ' >&2) || [ $? -eq 1 ]   # exit 1 = some scene failed; the report says which
}

echo "== held-out benchmark: shots in scene context (streamed, as in the editor) vs independent shots vs ground truth"
eval_run "$WORK/eval-bench" "$WORK/model-stage2" --labels "$BENCH/scenes" --baseline independent \
  "$BENCH"/projects/*.storyboard
echo "== VAE ceiling: the benchmark's ground truth encoded and decoded by the VAE, judged alone"
$PY -m storydit.vae_roundtrip --vae "$VAE" --labels "$BENCH/scenes" --out "$WORK/vae-roundtrip" --force
java -Dai.djl.offline=true -jar "$JAR" eval --chunk 4 -o "$WORK/eval-vae-ceiling" vae-round-trip="$WORK/vae-roundtrip" \
  2> >(grep -v ' INFO ' >&2) || [ $? -eq 1 ]
echo "== drift: one shot extended to 60 s, per 4 s segment (shipped, and stage 1 without the causal stage)"
eval_run "$WORK/eval-drift-stage2" "$WORK/model-stage2" --labels "$BENCH/drift" --segment $SEGMENT \
  "$BENCH"/drift-projects/*.storyboard
[ -f "$WORK/eval-drift-stage1/report.json" ] || \
  eval_run "$WORK/eval-drift-stage1" "$WORK/model-stage1" --labels "$BENCH/drift" --segment $SEGMENT \
    "$BENCH"/drift-projects/*.storyboard

echo "== summary"
$PY -m storydit.eval_summary --bench "$WORK/eval-bench/report.json" \
  --drift "shipped=$WORK/eval-drift-stage2/report.json" \
  --drift "stage1-only=$WORK/eval-drift-stage1/report.json" \
  --vae-ceiling "$WORK/eval-vae-ceiling/report.json" \
  --runs "$STAGE1" "$STAGE2" --out "$WORK/summary"

echo "== final export into $DEST"
rm -rf "$WORK/final"
$PY -m storydit.export --run "$STAGE2" --vae "$VAE" --out "$WORK/final" --name "$NAME" \
  --metrics "$WORK/summary/evaluation.json"
cp "$WORK/summary/"*.png "$WORK/summary/evaluation.json" "$WORK/final/"
cp "$WORK/eval-bench/report.json" "$WORK/final/eval-benchmark.json"
cp "$WORK/eval-drift-stage2/report.json" "$WORK/final/eval-drift-shipped.json"
cp "$WORK/eval-drift-stage1/report.json" "$WORK/final/eval-drift-stage1-only.json"
cp "$WORK/eval-vae-ceiling/report.json" "$WORK/final/eval-vae-ceiling.json"
$PY -c "from storydit.export import verify_manifest; verify_manifest('$WORK/final')"
mkdir -p "$(dirname "$DEST")"
rm -rf "$DEST.old"
[ -d "$DEST" ] && mv "$DEST" "$DEST.old"
mv "$WORK/final" "$DEST"
rm -rf "$DEST.old"
du -sh "$DEST"
echo "shipped $NAME to $DEST"
