#!/usr/bin/env bash
# Evaluate trained StoryDiT runs with the product's own engine and judge, then export the shipped model
# (fp16 weights + manifest + MODEL_CARD.md + the evaluation it is based on) into the assets module.
#
#   cd training && ./ship_model.sh [STAGE2_RUN] [STAGE1_RUN]
#
# STAGE2_RUN is a run dir (its newest checkpoint) or one step-XXXXXXXX dir; STAGE1_RUN "-" skips the stage-1 drift
# reference. Environment: VAE ("pixel" for a pixel-space model: no VAE and no VAE ceiling), NAME, EXPORT_ARGS (the
# sampler settings `storydit.export` writes into config.json, e.g. "--shift 3 --continuation-start 0.9"), WORK,
# BENCH, and PREVIOUS: the model this one replaces (default: the bundled one), judged on the same benchmark and
# drift storyboards and shown beside the new model in the card ("-" skips it). EVAL_ONLY=1 stops after the summary
# (runs/ship*/summary/evaluation.json) and leaves the bundled model alone. CANDIDATE=DIR ships an exported folder
# as it is, a sampler change on weights already shipped (made by `python3 -m storydit.reship`, whose checkpoint a new
# machine does not have): nothing is exported, STAGE2_RUN and STAGE1_RUN are not read, and the card keeps DIR's
# training record with the new evaluation.
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
EXPORT_ARGS=${EXPORT_ARGS:-}
PREVIOUS=${PREVIOUS:-$DEST}
JAR=../app/target/storyboard.jar
SEGMENT=32   # frames per drift segment: 4 s at 8 fps
mkdir -p "$WORK"

[ -f "$JAR" ] || { echo "ship_model: $JAR is missing; build it first (./mvnw -q -DskipTests package)" >&2; exit 2; }
[ -d "$BENCH" ] || $PY -m storyworld.benchmark --out "$BENCH"

CANDIDATE=${CANDIDATE:-}
if [ -n "$CANDIDATE" ]; then
  echo "== the candidate folder $CANDIDATE (no export)"
  [ -f "$CANDIDATE/manifest.json" ] || { echo "ship_model: CANDIDATE $CANDIDATE is not a model folder" >&2; exit 2; }
  [ "$VAE" = pixel ] || { echo "ship_model: CANDIDATE needs VAE=pixel (a reshipped folder has no VAE run)" >&2; exit 2; }
  STAGE1=-
  rm -rf "$WORK/model-stage2"
  cp -r "$CANDIDATE" "$WORK/model-stage2"
else
  echo "== export candidates"
  # shellcheck disable=SC2086  # EXPORT_ARGS is a list of options
  $PY -m storydit.export --run "$STAGE2" --vae "$VAE" --out "$WORK/model-stage2" --name "$NAME" $EXPORT_ARGS
fi
# the stage-1 reference does not change while stage 2 trains: reuse its export and drift report when present
if [ "$STAGE1" != - ] && [ ! -f "$WORK/model-stage1/manifest.json" ]; then
  # shellcheck disable=SC2086
  $PY -m storydit.export --run "$STAGE1" --vae "$VAE" --out "$WORK/model-stage1" --name "$NAME-stage1" $EXPORT_ARGS
fi
if [ "$PREVIOUS" != - ]; then    # a copy: the final step replaces $DEST, and the judge must not read a moving folder
  [ -f "$WORK/model-previous/manifest.json" ] || { rm -rf "$WORK/model-previous"; cp -r "$PREVIOUS" "$WORK/model-previous"; }
  PREVIOUS_NAME=$($PY -c "import json, sys; print(json.load(open(sys.argv[1]))['name'])" "$WORK/model-previous/config.json")
fi

eval_run() {  # eval_run OUT MODEL [eval args...]
  local out=$1 model=$2; shift 2
  java -Dai.djl.offline=true -jar "$JAR" eval --generate --model "$model" --chunk 4 -o "$out" "$@" \
    2> >(grep -v ' INFO ' >&2) || [ $? -eq 1 ]   # exit 1 = some scene failed; the report says which
}

echo "== held-out benchmark: shots in scene context (streamed, as in the editor) vs independent shots vs ground truth"
eval_run "$WORK/eval-bench" "$WORK/model-stage2" --labels "$BENCH/scenes" --baseline independent \
  "$BENCH"/projects/*.storyboard
if [ "$PREVIOUS" != - ] && [ ! -f "$WORK/eval-previous-bench/report.json" ]; then
  echo "== the model this one replaces ($PREVIOUS_NAME) on the same benchmark"
  eval_run "$WORK/eval-previous-bench" "$WORK/model-previous" --labels "$BENCH/scenes" "$BENCH"/projects/*.storyboard
fi
if [ "$VAE" != pixel ]; then
  echo "== VAE ceiling: the benchmark's ground truth encoded and decoded by the VAE, judged alone"
  $PY -m storydit.vae_roundtrip --vae "$VAE" --labels "$BENCH/scenes" --out "$WORK/vae-roundtrip" --force
  java -Dai.djl.offline=true -jar "$JAR" eval --chunk 4 -o "$WORK/eval-vae-ceiling" vae-round-trip="$WORK/vae-roundtrip" \
    2> >(grep -v ' INFO ' >&2) || [ $? -eq 1 ]
fi
echo "== drift: one shot extended to 60 s, per 4 s segment (shipped, the model it replaces, stage 1 alone)"
eval_run "$WORK/eval-drift-stage2" "$WORK/model-stage2" --labels "$BENCH/drift" --segment $SEGMENT \
  "$BENCH"/drift-projects/*.storyboard
if [ "$PREVIOUS" != - ] && [ ! -f "$WORK/eval-drift-previous/report.json" ]; then
  eval_run "$WORK/eval-drift-previous" "$WORK/model-previous" --labels "$BENCH/drift" --segment $SEGMENT \
    "$BENCH"/drift-projects/*.storyboard
fi
if [ "$STAGE1" != - ] && [ ! -f "$WORK/eval-drift-stage1/report.json" ]; then
  eval_run "$WORK/eval-drift-stage1" "$WORK/model-stage1" --labels "$BENCH/drift" --segment $SEGMENT \
    "$BENCH"/drift-projects/*.storyboard
fi

echo "== summary"
summary_args=(--bench "$WORK/eval-bench/report.json" --drift "shipped=$WORK/eval-drift-stage2/report.json")
runs=()
[ -z "$CANDIDATE" ] && runs=("$STAGE2")
if [ "$PREVIOUS" != - ]; then
  summary_args+=(--previous "$PREVIOUS_NAME=$WORK/eval-previous-bench/report.json"
                 --drift "$PREVIOUS_NAME=$WORK/eval-drift-previous/report.json")
fi
if [ "$STAGE1" != - ]; then
  summary_args+=(--drift "stage1-only=$WORK/eval-drift-stage1/report.json"); runs=("$STAGE1" "$STAGE2")
fi
[ "$VAE" != pixel ] && summary_args+=(--vae-ceiling "$WORK/eval-vae-ceiling/report.json")
$PY -m storydit.eval_summary "${summary_args[@]}" --runs "${runs[@]}" --out "$WORK/summary"

if [ "${EVAL_ONLY:-0}" = 1 ]; then echo "EVAL_ONLY: the bundled model is unchanged"; exit 0; fi

echo "== final export into $DEST"
rm -rf "$WORK/final"
if [ -n "$CANDIDATE" ]; then
  $PY -m storydit.reship --from "$CANDIDATE" --out "$WORK/final" --name "$NAME" --metrics "$WORK/summary/evaluation.json"
else
  # shellcheck disable=SC2086
  $PY -m storydit.export --run "$STAGE2" --vae "$VAE" --out "$WORK/final" --name "$NAME" \
    --metrics "$WORK/summary/evaluation.json" $EXPORT_ARGS
fi
cp "$WORK/summary/"*.png "$WORK/summary/evaluation.json" "$WORK/final/"
cp "$WORK/eval-bench/report.json" "$WORK/final/eval-benchmark.json"
cp "$WORK/eval-drift-stage2/report.json" "$WORK/final/eval-drift-shipped.json"
if [ "$PREVIOUS" != - ]; then
  cp "$WORK/eval-previous-bench/report.json" "$WORK/final/eval-benchmark-previous.json"
  cp "$WORK/eval-drift-previous/report.json" "$WORK/final/eval-drift-previous.json"
fi
[ "$STAGE1" != - ] && cp "$WORK/eval-drift-stage1/report.json" "$WORK/final/eval-drift-stage1-only.json"
[ "$VAE" != pixel ] && cp "$WORK/eval-vae-ceiling/report.json" "$WORK/final/eval-vae-ceiling.json"
$PY -c "from storydit.export import verify_manifest; verify_manifest('$WORK/final')"
mkdir -p "$(dirname "$DEST")"
rm -rf "$DEST.old"
[ -d "$DEST" ] && mv "$DEST" "$DEST.old"
mv "$WORK/final" "$DEST"
rm -rf "$DEST.old"
du -sh "$DEST"
echo "shipped $NAME to $DEST"
