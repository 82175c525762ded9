#!/usr/bin/env bash
# Smoke test of the Linux app-image and .deb, run by `-Pinstaller` in the phase verify:
#
#   bash installer/src/test/smoke.sh installer/target [JAVA_HOME]
#
# 1. image layout, the jlink'd runtime's modules against jdeps, one platform's natives, size breakdown;
# 2. `bin/storyboard doctor` with no network (network namespace) and a throwaway HOME (first-start unpacking);
# 3. `bin/storyboard render` of a project with a take (JavaCV FFmpeg/openh264), `eval` of the result (OpenCV);
# 4. the editor under Xvfb: screenshot to target/smoke/editor.png, not one flat colour, exit code 0; then
#    `bin/storyboard FILE.storyboard` (desktop "open with") opens the editor on that file;
# 5. the .deb: unpacked layout, desktop entry, icon, MIME type, maintainer scripts, Depends.
# Prints PASS/FAIL per check and exits 1 if any check failed. Needs: xvfb-run, xauth, xwininfo (x11-utils),
# ffmpeg/ffprobe, python3 with PIL, dpkg-deb, unzip, unshare (optional).
set -uo pipefail

TARGET=$(cd "${1:?usage: smoke.sh TARGET_DIR [JAVA_HOME]}" && pwd)
JAVA_HOME=${2:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}
PYTHON=${PYTHON:-/usr/bin/python3}
SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
IMAGE=$TARGET/jpackage/storyboard
OUT=$TARGET/smoke
LAUNCHER=$IMAGE/bin/storyboard
SIZE_BUDGET_MB=${SMOKE_SIZE_BUDGET_MB:-800}   # natives unpacked in the image (decision 0007)
# bytes the first starts may write to HOME: the extracted model (~9 MB) and JavaCPP's copy of OpenBLAS (36 MB,
# made by its openblas_nolapack preset when eval loads OpenCV; decision 0007)
HOME_BUDGET_MB=${SMOKE_HOME_BUDGET_MB:-64}
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/storyboard-smoke.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

checks=0
failures=0
pass() { checks=$((checks + 1)); echo "PASS  $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL  $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
note() { echo "NOTE  $*"; }
section() { echo; echo "== $*"; }
contains() { grep -Eq -- "$2" "$1"; }   # contains FILE REGEX

# ---------------------------------------------------------------------------------------------------------
section "app-image layout ($IMAGE)"
check "bin/storyboard is an executable launcher" test -x "$LAUNCHER"
app_jar=$(ls "$IMAGE"/lib/app/storyboard-app-*.jar 2>/dev/null | head -1)
assets_jar=$(ls "$IMAGE"/lib/app/storyboard-assets-*.jar 2>/dev/null | head -1)
check "lib/app holds the app jar ($(basename "${app_jar:-none}"))" test -f "$app_jar"
check "lib/app holds the assets jar ($(basename "${assets_jar:-none}"))" test -f "$assets_jar"
check "lib/runtime/release exists (jlink'd runtime)" test -f "$IMAGE/lib/runtime/release"
check "runtime has no JDK tools (--strip-native-commands)" test ! -e "$IMAGE/lib/runtime/bin/java"
check "launcher config bakes in -Dai.djl.offline=true and -Xmx8g" \
    bash -c "grep -q 'java-options=-Dai.djl.offline=true' '$IMAGE/lib/app/storyboard.cfg' && grep -q 'java-options=-Xmx8g' '$IMAGE/lib/app/storyboard.cfg'"
# (JNA's jar keeps its 2 MB of natives for every platform; not worth repackaging.)
foreign=$(for j in "$IMAGE"/lib/app/*.jar; do [[ $j == */jna-* ]] || unzip -Z1 "$j"; done 2>/dev/null \
    | grep -E '(osx|macosx|win|windows|linux-aarch64|linux-arm|linux-ppc)[^/]*/.*\.(so|dylib|dll)' | head -5 | tr '\n' ' ')
check "only linux-x86_64 natives are bundled (JNA aside)${foreign:+ (found: $foreign)}" test -z "$foreign"
NATIVE=$IMAGE/lib/app/native
check "natives are in the image: libtorch + DJL JNI, tokenizers, ONNX Runtime, JavaCPP (lib/app/native/)" bash -c \
    "ls '$NATIVE'/pytorch/libtorch_cpu.so '$NATIVE'/pytorch/libdjl_torch.so '$NATIVE'/tokenizers/libtokenizers.so \
        '$NATIVE'/onnxruntime/libonnxruntime.so '$NATIVE'/onnxruntime/libonnxruntime4j_jni.so '$NATIVE'/javacpp/libjnijavacpp.so \
        '$NATIVE'/javacpp/libjniavcodec.so '$NATIVE'/javacpp/libjniopencv_core.so '$NATIVE'/javacpp/libopenblas_nolapack.so.0 >/dev/null"
in_jars=$(for j in "$IMAGE"/lib/app/*.jar; do case $j in */jna-*|*/javafx-*) continue;; esac
    unzip -Z1 "$j" 2>/dev/null | grep -E '(^|/)lib[^/]*\.so(\.[0-9]+)*$' | sed "s#^#$(basename "$j"):#"; done | head -3 | tr '\n' ' ')
check "no jar still carries shared libraries (JNA and JavaFX aside)${in_jars:+ (found: $in_jars)}" test -z "$in_jars"
check "launcher points the libraries at lib/app/native" bash -c "grep -q 'PYTORCH_LIBRARY_PATH=\$APPDIR/native/pytorch' '$IMAGE/lib/app/storyboard.cfg' \
    && grep -q 'onnxruntime.native.path=\$APPDIR/native/onnxruntime' '$IMAGE/lib/app/storyboard.cfg' \
    && grep -q 'java.library.path=\$APPDIR/native/javacpp' '$IMAGE/lib/app/storyboard.cfg'"
check "slimmed jars kept their version files (tokenizers.properties, pytorch.properties)" bash -c \
    "unzip -Z1 '$IMAGE'/lib/app/tokenizers-*.jar | grep -qx native/lib/tokenizers.properties && unzip -Z1 '$IMAGE'/lib/app/pytorch-jni-*.jar | grep -qx jnilib/pytorch.properties"

# Every JDK module that any class in the image references must be in the runtime.
section "jlink'd runtime vs jdeps"
mkdir -p "$WORK/classes"
for j in "$IMAGE"/lib/app/*.jar; do
    (cd "$WORK/classes" && unzip -qqo "$j" '*.class' -x 'META-INF/*' '*module-info.class' 2>/dev/null)
done
needed=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release 17 --list-deps "$WORK/classes" 2>"$WORK/jdeps.err" \
    | sed 's/^ *//; s#/.*##' | grep -E '^(java|jdk)\.' | sort -u | tr '\n' ' ')
present=$(sed -n 's/^MODULES="\(.*\)"/\1/p' "$IMAGE/lib/runtime/release")
echo "jdeps: $needed"
echo "image: $present"
missing=""
for m in $needed; do [[ " $present " == *" $m "* ]] || missing="$missing $m"; done
check "jdeps found modules to check" test -n "$needed"
check "runtime has every module jdeps lists${missing:+ (missing:$missing)}" test -z "$missing"

# ---------------------------------------------------------------------------------------------------------
section "size"
bytes() { du -sb "$@" 2>/dev/null | awk '{s += $1} END {print s + 0}'; }
group() {   # group GLOB...: bytes of the lib/app jars matching any GLOB
    local f n=0
    for f in $(for g in "$@"; do ls "$IMAGE"/lib/app/$g 2>/dev/null; done | sort -u); do n=$((n + $(stat -c %s "$f"))); done
    echo "$n"
}
row() { awk -v name="$1" -v b="$2" 'BEGIN {printf "%-56s %8.1f\n", name, b / 1048576}'; }
total=$(bytes "$IMAGE")
appdir=$(bytes "$IMAGE/lib/app")
runtime=$(bytes "$IMAGE/lib/runtime")
javafx=$(group 'javafx-*.jar')
torch=$(( $(group 'pytorch-native-*.jar' 'pytorch-jni-*.jar') + $(bytes "$IMAGE/lib/app/native/pytorch") ))
djl=$(group 'api-*.jar' 'pytorch-engine-*.jar' 'onnxruntime-engine-*.jar')
ort=$(( $(group 'onnxruntime-[0-9]*.jar' 'tokenizers-*.jar' 'langchain4j-*.jar') + $(bytes "$IMAGE/lib/app/native/onnxruntime" "$IMAGE/lib/app/native/tokenizers") ))
javacv=$(( $(bytes "$IMAGE/lib/app/native/javacpp") + $(group 'javacv-*.jar' 'javacpp-*.jar' 'ffmpeg-*.jar' 'opencv-*.jar' 'openblas-*.jar' 'artoolkitplus-*.jar' \
    'flycapture-*.jar' 'libdc1394-*.jar' 'libfreenect*.jar' 'librealsense*.jar' 'videoinput-*.jar' 'leptonica-*.jar' 'tesseract-*.jar') ))
assets=$(group 'storyboard-assets-*.jar')
model=$(unzip -l "$assets_jar" 'storyboard/models/*' 2>/dev/null | tail -1 | awk '{print $1 + 0}')
app=$(group 'storyboard-*.jar')
{
    printf '%-56s %8s\n' "part" "MiB"
    row "app-image total" "$total"
    row "  Java runtime (jlink, lib/runtime)" "$runtime"
    row "  JavaFX 21 (linux jars with natives)" "$javafx"
    row "  PyTorch natives (libtorch CPU + DJL JNI, native/pytorch)" "$torch"
    row "  DJL api + PyTorch/ONNX Runtime engines" "$djl"
    row "  ONNX Runtime + HF tokenizers (native/) + MiniLM encoder jar" "$ort"
    row "  JavaCV/JavaCPP/FFmpeg/OpenCV/OpenBLAS (jars + native/javacpp)" "$javacv"
    row "  Storyboard jars (7 modules, assets jar included)" "$app"
    row "    assets jar (samples + bundled model, compressed)" "$assets"
    row "    bundled model, uncompressed" "$model"
    row "  other libraries (Jackson, ControlsFX, JNA, picocli, ...)" "$((appdir - javafx - torch - djl - ort - javacv - app))"
    row "  launcher, icon, libapplauncher.so" "$((total - appdir - runtime))"
    for deb in "$TARGET"/installer/*.deb; do
        [ -f "$deb" ] && row "$(basename "$deb")" "$(stat -c %s "$deb")"
    done
} | tee "$OUT/sizes.txt"
total_mb=$((total / 1048576))
check "app-image is within the ${SIZE_BUDGET_MB} MiB budget (${total_mb} MiB)" test "$total_mb" -le "$SIZE_BUDGET_MB"

# ---------------------------------------------------------------------------------------------------------
section "doctor from the image, no network, throwaway HOME"
SBHOME=$WORK/home
mkdir -p "$SBHOME"
# Java takes user.home from the password database, not $HOME, hence -Duser.home (JAVA_TOOL_OPTIONS reaches
# the jpackage launcher's JVM too).
isolated() {
    env -i PATH=/usr/bin:/bin HOME="$SBHOME" LANG=C.UTF-8 XDG_CACHE_HOME="$SBHOME/.cache" \
        XDG_DATA_HOME="$SBHOME/.local/share" XDG_CONFIG_HOME="$SBHOME/.config" \
        JAVA_TOOL_OPTIONS="-Duser.home=$SBHOME" ${DISPLAY:+DISPLAY=$DISPLAY} ${XAUTHORITY:+XAUTHORITY=$XAUTHORITY} "$@"
}
NONET=()
if unshare -n true 2>/dev/null; then
    NONET=(unshare -n)
elif unshare -n -r true 2>/dev/null; then
    NONET=(unshare -n -r)
fi
if [ ${#NONET[@]} -gt 0 ]; then
    echo "network: none (${NONET[*]}: a fresh network namespace without interfaces)"
else
    note "unshare -n is not permitted here: doctor and render run WITH network; offline only by -Dai.djl.offline=true"
fi
start=$(date +%s)
timeout 600 "${NONET[@]}" bash -c "$(declare -f isolated); SBHOME='$SBHOME' isolated '$LAUNCHER' doctor" \
    >"$OUT/doctor-first.txt" 2>"$OUT/doctor-first.err"
doctor_exit=$?
first_s=$(( $(date +%s) - start ))
sed 's/^/    | /' "$OUT/doctor-first.txt"   # indented: its own "FAIL model" line is output, not a failed check
echo "(first start: ${first_s} s, exit $doctor_exit)"
D=$OUT/doctor-first.txt
check "doctor: Java runs from the bundled runtime" contains "$D" '^OK +java '
check "doctor: JavaFX present" contains "$D" '^OK +javafx '
check "doctor: MiniLM text encoder on ONNX Runtime" contains "$D" '^OK +text encoder .*MiniLM.*ONNX Runtime'
check "doctor: PyTorch engine on device cpu, offline" contains "$D" '^OK +pytorch engine .*PyTorch 2\.[0-9.]+, device cpu.*offline=true'
check "doctor: FFmpeg via JavaCV with an H.264 encoder" contains "$D" '^OK +ffmpeg .*FFmpeg.*H\.264'
# grep reads the whole listing (no -q): under pipefail an early-exiting grep -q can SIGPIPE unzip and make a
# present entry look absent, a race that a loaded machine loses
if unzip -Z1 "$assets_jar" 2>/dev/null | grep -x 'storyboard/models/default/manifest.json' >/dev/null; then
    echo "(the assets jar bundles a model: expecting it to verify)"
    check "doctor: bundled model verified" contains "$D" '^OK +model '
    check "doctor: exit code 0" test "$doctor_exit" -eq 0
else
    echo "(the assets jar bundles no model yet: expecting doctor to say so and exit 3, README's exit codes)"
    check "doctor: reports the missing model" contains "$D" '^FAIL model +no model bundled'
    check "doctor: only the model check failed, exit code 3" bash -c "[ $doctor_exit -eq 3 ] && grep -q '^1 check(s) failed' '$D'"
fi
unpacked=$(find "$SBHOME" \( -name 'libtorch_cpu.so' -o -name 'libavcodec.so*' -o -name 'libonnxruntime.so' -o -name 'libtokenizers.so' \) 2>/dev/null | head -3 | tr '\n' ' ')
check "first start unpacked no natives into HOME (they load from the image)${unpacked:+ (found: $unpacked)}" test -z "$unpacked"
check "nothing was downloaded (no 'Downloading' in the log)" bash -c "! grep -qi 'downloading' '$OUT/doctor-first.err'"
start=$(date +%s)
timeout 300 "${NONET[@]}" bash -c "$(declare -f isolated); SBHOME='$SBHOME' isolated '$LAUNCHER' doctor" \
    >"$OUT/doctor-warm.txt" 2>&1
echo "(second start: $(( $(date +%s) - start )) s)"


section "--version"
POM=$SCRIPT_DIR/../../../pom.xml
POM_VERSION=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$POM")
POM_ORG=$(sed -n '/<organization>/,/<\/organization>/s:.*<name>\(.*\)</name>.*:\1:p' "$POM" | head -1)
POM_EMAIL=$(sed -n '/<developers>/,/<\/developers>/s:.*<email>\(.*\)</email>.*:\1:p' "$POM" | head -1)
isolated "$LAUNCHER" --version >"$OUT/version.txt" 2>&1
version_exit=$?
sed 's/^/    | /' "$OUT/version.txt"
check "--version: exit 0, first line is \"storyboard $POM_VERSION\" (the pom's version)" \
    bash -c "[ $version_exit -eq 0 ] && [ \"\$(grep -v JAVA_TOOL_OPTIONS '$OUT/version.txt' | head -1)\" = 'storyboard $POM_VERSION' ]"
if unzip -Z1 "$assets_jar" 2>/dev/null | grep -x 'storyboard/models/default/manifest.json' >/dev/null; then
    model_name=$(unzip -p "$assets_jar" storyboard/models/default/manifest.json | sed -n 's/^ *"name": *"\(.*\)",*$/\1/p' | head -1)
    model_sha=$(unzip -p "$assets_jar" storyboard/models/default/manifest.json | sha256sum | cut -d' ' -f1)
    check "--version: names the bundled model and its manifest's sha256 ($model_name, ${model_sha:0:16}...)" \
        grep -qx "model $model_name (manifest sha256 $model_sha)" "$OUT/version.txt"
else
    check "--version: says no model is bundled" grep -qx "model: none bundled" "$OUT/version.txt"
fi

# ---------------------------------------------------------------------------------------------------------
section "render from the image (a project whose shot has a take)"
PROJ=$WORK/project/smoke.storyboard
mkdir -p "$WORK/project/smoke.media/s1/t1"
"$PYTHON" - "$WORK/project/smoke.media/s1/t1" <<'EOF'
import sys
from PIL import Image, ImageDraw
for i in range(8):
    img = Image.new("RGB", (64, 64), (90, 160, 90))
    ImageDraw.Draw(img).ellipse((6 * i, 20, 6 * i + 16, 36), fill=(220, 40, 40))
    img.save(f"{sys.argv[1]}/frame-{i:06d}.png")
EOF
cat >"$PROJ" <<'EOF'
{"format": "storyboard-project/1", "storyboard": {"title": "Smoke", "scenePrompt": "a red ball in a meadow",
 "fps": 8, "width": 64, "height": 64, "shots": [{"id": "s1", "prompt": "a red ball rolls right",
 "durationFrames": 8, "camera": "STATIC", "shotSize": "WIDE", "seed": 1, "guidance": 4.0,
 "takes": [{"id": "t1", "seed": 1, "generatedFrames": 8, "mediaFile": "s1/t1"}], "activeTakeId": "t1"}]}}
EOF
timeout 300 "${NONET[@]}" bash -c "$(declare -f isolated); SBHOME='$SBHOME' isolated '$LAUNCHER' render '$PROJ' -o '$OUT/render.mp4' --size 128x128" \
    >"$OUT/render.txt" 2>&1
render_exit=$?
grep -v 'JAVA_TOOL_OPTIONS' "$OUT/render.txt" | tail -1 | sed 's/^/    | /' 
check "render: exit code 0" test "$render_exit" -eq 0
probe=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=codec_name,width,height,nb_read_frames \
    -of csv=p=0 "$OUT/render.mp4" 2>&1)
check "render: render.mp4 is H.264 128x128 with 8 frames ($probe)" test "$probe" = "h264,128,128,8"

timeout 300 "${NONET[@]}" bash -c "$(declare -f isolated); SBHOME='$SBHOME' isolated '$LAUNCHER' eval '$OUT/render.mp4' -o '$OUT/eval'" \
    >"$OUT/eval.txt" 2>&1
eval_exit=$?
grep -E '^render.mp4:' "$OUT/eval.txt" | sed 's/^/    | /' 
check "eval (quality judge, OpenCV) on render.mp4: exit 0 and a report" \
    bash -c "[ $eval_exit -eq 0 ] && [ -s '$OUT/eval/report.json' ]"

# ---------------------------------------------------------------------------------------------------------
section "editor under Xvfb"
# Nothing here sleeps a fixed time and hopes: every step polls for what it checks, up to GUI_WAIT_S from its start
# (generous: a loaded 2-core machine can take tens of seconds to start the JVM and paint), and the editor is closed
# by the harness (--exit-when FILE) once the checks are done, not by a timer that a slow start could outrun.
GUI_WAIT_S=${SMOKE_GUI_WAIT_S:-120}
cat >"$WORK/flat.py" <<'EOF'
import sys
from PIL import Image, ImageStat
img = Image.open(sys.argv[1]).convert("RGB")
colours = len(img.getcolors(1 << 24) or [])
stddev = max(ImageStat.Stat(img).stddev)
print(f"{colours} colours, max channel stddev {stddev:.1f}")
sys.exit(0 if colours >= 16 and stddev >= 8 else 1)
EOF
with_xvfb() {   # with_xvfb CMD...: runs CMD with DISPLAY on a fresh Xvfb, which picks a free display itself
    # (-displayfd: no race with other X servers starting at the same time, unlike `xvfb-run -a`) and says so
    # only once it accepts connections.
    local dispfile=$WORK/xvfb-display xpid rc i
    : >"$dispfile"
    Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$dispfile" 2>>"$OUT/xvfb.log" &
    xpid=$!
    for i in $(seq 1 $((GUI_WAIT_S * 5))); do
        [ -s "$dispfile" ] && break
        kill -0 "$xpid" 2>/dev/null || { echo "Xvfb did not start (see xvfb.log)"; return 91; }
        sleep 0.2
    done
    [ -s "$dispfile" ] || { kill "$xpid"; wait "$xpid" 2>/dev/null; echo "Xvfb gave no display"; return 91; }
    DISPLAY=:$(head -1 "$dispfile") "$@"
    rc=$?
    kill "$xpid" 2>/dev/null
    wait "$xpid" 2>/dev/null
    return $rc
}
find_window() {   # find_window TITLE: xwininfo's line of a window titled exactly TITLE, at least 400x300, if any
    xwininfo -root -tree 2>/dev/null | grep -F "\"$1\":" \
        | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+x[0-9]+[+-]/) { split($i, g, /[x+-]/); if (g[1] >= 400 && g[2] >= 300) { print; exit } } }'
}
wait_for_window() {   # wait_for_window TITLE PID DEADLINE: 0 once that window exists; 1 if PID exits or DEADLINE passes
    while [ "$(date +%s)" -lt "$3" ]; do
        [ -n "$(find_window "$1")" ] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.5
    done
    return 1
}
wait_for_frame() {   # wait_for_frame PNG PID DEADLINE: screenshots until one is not flat; 0 then, 1 at the deadline
    local shot=$1.tmp.png
    while [ "$(date +%s)" -lt "$3" ]; do
        kill -0 "$2" 2>/dev/null || return 1
        if ffmpeg -loglevel error -y -f x11grab -video_size 1280x800 -i "$DISPLAY" -frames:v 1 "$shot" 2>>"$OUT/ffmpeg.log" \
                && "$PYTHON" "$WORK/flat.py" "$shot" >"$OUT/editor-flat.txt" 2>&1; then
            mv "$shot" "$1"
            return 0
        fi
        sleep 1
    done
    [ -f "$shot" ] && mv "$shot" "$1"   # the last, flat, screenshot: evidence for the failed check
    return 1
}
gui_inner() {   # start the editor, wait for its titled window and a painted frame, close it, wait for the exit
    local checked=$WORK/editor-checked deadline=$(( $(date +%s) + GUI_WAIT_S )) pid status=0
    rm -f "$checked"
    # --exit-after: only a backstop, should the harness itself die
    isolated "$LAUNCHER" edit --new --exit-when "$checked" --exit-after $((3 * GUI_WAIT_S)) >"$OUT/editor.log" 2>&1 &
    pid=$!
    if ! wait_for_window "$EDITOR_TITLE" "$pid" "$deadline"; then
        echo "no window titled \"$EDITOR_TITLE\" within ${GUI_WAIT_S} s" >>"$OUT/editor.log"
        xwininfo -root -tree >>"$OUT/editor.log" 2>&1
        status=90
    else
        find_window "$EDITOR_TITLE" >"$OUT/editor-window.txt"
        wait_for_frame "$OUT/editor.png" "$pid" "$deadline" || status=91
    fi
    touch "$checked"
    wait "$pid" || return $?
    return $status
}
gui_open_inner() {   # desktop "open with": `storyboard FILE.storyboard` alone must open the editor on FILE
    isolated "$LAUNCHER" "$PROJ" >"$OUT/open-file.log" 2>&1 &
    local pid=$! shown=""
    wait_for_window "$OPEN_TITLE" "$pid" $(( $(date +%s) + GUI_WAIT_S )) && shown=1
    find_window "$OPEN_TITLE" >"$OUT/open-file-window.txt"
    kill "$pid" 2>/dev/null
    wait "$pid"
    [ -n "$shown" ]
}
EDITOR_TITLE="Untitled — untitled — Storyboard"
OPEN_TITLE="Smoke — smoke.storyboard — Storyboard"
GUI_ENV="SBHOME='$SBHOME' OUT='$OUT' WORK='$WORK' PYTHON='$PYTHON' LAUNCHER='$LAUNCHER' PROJ='$PROJ' GUI_WAIT_S=$GUI_WAIT_S"
GUI_ENV="$GUI_ENV EDITOR_TITLE='$EDITOR_TITLE' OPEN_TITLE='$OPEN_TITLE'"
if ! command -v Xvfb >/dev/null || ! command -v xwininfo >/dev/null; then
    fail "editor: Xvfb (xvfb) and xwininfo (x11-utils) are needed for the GUI check"
else
    rm -f "$OUT/editor.png" "$OUT/editor-window.txt" "$OUT/editor-flat.txt"
    start=$(date +%s)
    with_xvfb timeout $((3 * GUI_WAIT_S)) bash -c \
        "$(declare -f isolated find_window wait_for_window wait_for_frame gui_inner); $GUI_ENV gui_inner"
    gui_exit=$?
    window=$(sed 's/^ *//' "$OUT/editor-window.txt" 2>/dev/null)
    echo "(editor run: $(( $(date +%s) - start )) s, exit $gui_exit; window: ${window:-none})"
    check "editor: a window titled \"$EDITOR_TITLE\" (≥ 400x300) opened within ${GUI_WAIT_S} s" test -n "$window"
    check "editor: its WM_CLASS is \"storyboard\" (docks match it to the desktop entry), not \"java\"" \
        grep -qF -- '("storyboard" "storyboard")' "$OUT/editor-window.txt"
    check "editor: screenshot written (target/smoke/editor.png)" test -s "$OUT/editor.png"
    flat=$("$PYTHON" "$WORK/flat.py" "$OUT/editor.png" 2>&1)
    flat_exit=$?
    check "editor: a screenshot within ${GUI_WAIT_S} s is not one flat colour ($flat)" test "$flat_exit" -eq 0
    check "editor: the process exited 0 once the harness closed it (exit $gui_exit)" test "$gui_exit" -eq 0
    with_xvfb timeout $((3 * GUI_WAIT_S)) bash -c \
        "$(declare -f isolated find_window wait_for_window gui_open_inner); $GUI_ENV gui_open_inner"
    open_exit=$?
    echo "(window: $(sed 's/^ *//' "$OUT/open-file-window.txt" 2>/dev/null | head -1))"
    check "editor: \`storyboard smoke.storyboard\` (file association) opens the editor on that project" test "$open_exit" -eq 0
fi
home_kb=$(du -sk "$SBHOME" | cut -f1)
echo "written to HOME by the first doctor, render, eval and editor starts: $((home_kb / 1024)) MiB; by folder:" | tee -a "$OUT/sizes.txt"
(cd "$SBHOME" && du -sk .[!.]* * 2>/dev/null; du -sk .cache/storyboard/* 2>/dev/null) | sed 's/^/    /' | tee -a "$OUT/sizes.txt"
check "first start wrote at most ${HOME_BUDGET_MB} MiB to HOME ($((home_kb / 1024)) MiB)" test "$home_kb" -le $((HOME_BUDGET_MB * 1024))
dots=$(cd "$SBHOME" && ls -d .[!.]* 2>/dev/null | grep -vxE '\.cache|\.config|\.local' | tr '\n' ' ')
check "no dot-folders in the home root but the XDG ones (.cache, .config, .local)${dots:+ (found: $dots)}" test -z "$dots"

# ---------------------------------------------------------------------------------------------------------
section "launch to \"model ready\", first and second start (fresh HOME)"
RHOME=$WORK/home-ready
mkdir -p "$RHOME" "$WORK/ready"
sed 's/"takes": \[[^]]*\], "activeTakeId": "t1"/"takes": []/' "$PROJ" >"$WORK/ready/ready.storyboard"
ready_times=""
for n in first second; do
    t=$(timeout 600 bash -c "$(declare -f isolated); SBHOME='$RHOME' isolated '$PYTHON' '$SCRIPT_DIR/time_to_ready.py' '$OUT/ready-$n.log' 540 -- \
        '$LAUNCHER' render '$WORK/ready/ready.storyboard' -o '$WORK/ready/out.mp4'")
    check "$n start: the engine reported the model ready (${t:-never} s from launch)" test -n "$t"
    ready_times="$ready_times $n ${t:-never} s,"
done
echo "launch to model ready:${ready_times%,} (render of a shot without take, stopped at ready)" | tee -a "$OUT/sizes.txt"

# ---------------------------------------------------------------------------------------------------------
section ".deb"
deb=$(ls "$TARGET"/installer/*.deb 2>/dev/null | head -1)
check "a .deb was built ($(basename "${deb:-none}"))" test -f "$deb"
if [ -f "$deb" ]; then
    X=$WORK/deb
    mkdir -p "$X" "$WORK/deb-control"
    dpkg-deb -x "$deb" "$X"
    dpkg-deb -e "$deb" "$WORK/deb-control"
    dpkg-deb -I "$deb" | tee "$OUT/deb-info.txt" | sed -n '/Package:/,$p'
    R=$X/opt/storyboard
    check "deb: /opt/storyboard/bin/storyboard is executable" test -x "$R/bin/storyboard"
    check "deb: lib/app has the app jar" bash -c "ls '$R'/lib/app/storyboard-app-*.jar >/dev/null 2>&1"
    check "deb: lib/app has the assets jar" bash -c "ls '$R'/lib/app/storyboard-assets-*.jar >/dev/null 2>&1"
    check "deb: lib/runtime/release exists" test -f "$R/lib/runtime/release"
    desktop=$R/lib/storyboard-storyboard.desktop
    check "deb: desktop entry exists" test -f "$desktop"
    check "deb: desktop entry launches /opt/storyboard/bin/storyboard with the file (%f)" contains "$desktop" '^Exec=/opt/storyboard/bin/storyboard %f$'
    check "deb: desktop entry is named Storyboard, category AudioVideo;Video;" \
        bash -c "grep -qx 'Name=Storyboard' '$desktop' && grep -qx 'Categories=AudioVideo;Video;' '$desktop'"
    check "deb: desktop entry declares MimeType=application/x-storyboard" contains "$desktop" '^MimeType=application/x-storyboard'
    check "deb: desktop entry icon is the bundled PNG" contains "$desktop" '^Icon=/opt/storyboard/lib/storyboard.png$'
    check "deb: icon is the Storyboard PNG" cmp -s "$R/lib/storyboard.png" "$SCRIPT_DIR/../jpackage/linux/storyboard.png"
    check "deb: desktop entry names the window's class (StartupWMClass=storyboard)" contains "$desktop" '^StartupWMClass=storyboard$'
    maint=$(sed -n 's/^ *Maintainer: //p' "$OUT/deb-info.txt")
    check "deb: Maintainer is the project's, from the root pom ($maint)" test "$maint" = "$POM_ORG <$POM_EMAIL>"
    mime=$R/lib/storyboard-storyboard-MimeInfo.xml
    check "deb: MIME type application/x-storyboard for *.storyboard" \
        bash -c "grep -q 'mime-type type=\"application/x-storyboard\"' '$mime' && grep -q 'glob pattern=\"\\*.storyboard\"' '$mime'"
    check "deb: postinst registers the menu entry (falling back to /usr/share/applications) and the MIME type" bash -c \
        "grep -q '^DESKTOP_FILE=/opt/storyboard/lib/storyboard-storyboard.desktop' '$WORK/deb-control/postinst' && grep -q 'xdg-desktop-menu install \"\$DESKTOP_FILE\"' '$WORK/deb-control/postinst' && grep -q '^ENTRY=/usr/share/applications/storyboard-storyboard.desktop' '$WORK/deb-control/postinst' && grep -q '^MIME_FILE=/opt/storyboard/lib/storyboard-storyboard-MimeInfo.xml' '$WORK/deb-control/postinst' && grep -q 'xdg-mime install \"\$MIME_FILE\"' '$WORK/deb-control/postinst'"
    check "deb: prerm cannot fail on a system without /etc/xdg/menus (no bare xdg-desktop-menu under set -e) and has jpackage's helpers" bash -c \
        "grep -q 'xdg-desktop-menu uninstall \"\$DESKTOP_FILE\" 2>/dev/null || true' '$WORK/deb-control/prerm' && grep -q '^uninstall_default_mime_handler ()' '$WORK/deb-control/prerm' && ! grep -q 'UTILITY_SCRIPTS\|APPLICATION_PACKAGE' '$WORK/deb-control/prerm' '$WORK/deb-control/postinst'"
    depends=$(sed -n 's/^ *Depends: //p' "$OUT/deb-info.txt")
    for dep in 'libgtk-3-0 | libgtk-3-0t64' 'libgtk2.0-0 | libgtk2.0-0t64' libgl1 libxxf86vm1 libpulse0 libxcb-shm0 libasound2 libstdc++6 libxtst6 xdg-utils; do
        check "deb: Depends declares $dep" bash -c "grep -qF -- '$dep' <<<'$depends'"
    done
    check "deb: version $(sed -n 's/^ *Version: //p' "$OUT/deb-info.txt") has no SNAPSHOT" bash -c "! grep -q SNAPSHOT '$OUT/deb-info.txt'"
fi

echo
if [ "$failures" -eq 0 ]; then
    echo "installer smoke test: all $checks checks passed (outputs in $OUT)"
else
    echo "installer smoke test: $failures of $checks checks FAILED (outputs in $OUT)"
    exit 1
fi
