#!/usr/bin/env bash
# Judge an exported model on the validation sets with the product's engine, streamed as in the editor, and print its
# table row (training/README.md, "Evaluation and shipping"). Choose on these sets, never on the benchmark.
#
#   cd training && ./validate_model.sh NAME MODEL_DIR
#
# MODEL_DIR is an exported model folder (`storydit.export`, or the bundled one). Writes runs/val-NAME-SET/report.json
# per set and skips a set whose report is there. Environment:
#   SETS   the sets, default "validation validation2 validation3 validation4" (16 storyboards, 48 shots each, held-out
#          wording; made here on first use from seeds 8,000,000, 8,200,000, 8,300,000 and 8,400,000)
#   JAR    the app jar, default ../app/target/storyboard.jar (copy it elsewhere while you rebuild)
#   JOPTS  extra JVM options, e.g. a prototype's -D property
#   UH     the JVM's user.home, default /tmp/storyboard-val-NAME: the engine caches generated takes there keyed by the
#          model folder, not by JOPTS, so give each setting its own NAME (or UH)
# Then: python3 -m storydit.validation_report breakdown|compare ... (its docstring).
set -euo pipefail
cd "$(dirname "$0")"
[ $# -eq 2 ] || { echo "usage: validate_model.sh NAME MODEL_DIR" >&2; exit 2; }
NAME=$1
MODEL=$2
PY=/usr/bin/python3
SETS=${SETS:-validation validation2 validation3 validation4}
JAR=${JAR:-../app/target/storyboard.jar}
UH=${UH:-/tmp/storyboard-val-$NAME}
[ -f "$MODEL/config.json" ] || { echo "validate_model: $MODEL is not a model folder (no config.json)" >&2; exit 2; }
[ -f "$JAR" ] || { echo "validate_model: $JAR is missing; build it first (./mvnw -q -DskipTests package)" >&2; exit 2; }

seed_of() {
  case $1 in
    validation) echo 8000000 ;; validation2) echo 8200000 ;; validation3) echo 8300000 ;; validation4) echo 8400000 ;;
    *) echo "validate_model: unknown set $1" >&2; exit 2 ;;
  esac
}

reports=()
for set in $SETS; do
  if [ ! -d "runs/$set/projects" ]; then
    seed=$(seed_of "$set")
    PYTHONPATH=. $PY -m storyworld.benchmark --out "runs/$set" --seed "$seed" --drift-count 0 > /dev/null
  fi
  out=runs/val-$NAME-$set
  if [ ! -f "$out/report.json" ]; then
    # shellcheck disable=SC2086  # JOPTS is a list of options
    nice -n 5 java -Xmx3g -Dai.djl.offline=true -Duser.home="$UH" ${JOPTS:-} -jar "$JAR" eval --generate --model "$MODEL" \
      --chunk 4 -o "$out" --labels "runs/$set/scenes" "runs/$set"/projects/*.storyboard \
      2> >(grep -v ' INFO ' >&2) || [ $? -eq 1 ]   # exit 1 = some scene failed; the report says which
  fi
  reports+=("$out/report.json")
done
PYTHONPATH=. $PY -m storydit.validation_report row "$NAME" "${reports[@]}"
