#!/usr/bin/env bash
# smile against the classic OpenCV Python smile recipe, on the same inputs, one core each.
#
#   bench/side-by-side-opencv.sh [groups] [portraits] [hamilton] [genki]    (default: all)
#
# Run by hand (not in CI): it needs Debian's python3-opencv and opencv-data, and takes about
# 10 minutes. Inputs: realworld/groups/, realworld/portraits/, the frames of
# video/hamilton_clip.mp4, and (genki) the test side of GENKI-4K for smile accuracy.
#
# (a) bench/side-by-side-opencv.py: grayscale, haarcascade_frontalface_default detectMultiScale(1.1, 5),
#     haarcascade_smile on the lower half of each face (1.7, 20), cv2.setNumThreads(1);
# (b) smile annotate / smile frames --threads 1 (frames with --detect-every 1, so both search every
#     whole frame).
# Both run as their own process pinned to core 0 (taskset -c 0); each stage is the wall time of the
# whole stage over the whole set. Stages: detect (grayscale + face cascade) and smile classification
# (smile cascade / VGG-19) as each tool measures them; "the rest" is the process's wall time minus
# those two (decoding, start-up, model loading, writing), the same definition on both sides; the
# classic recipe's decode alone is shown too. smile shrinks images whose longer side is above 1600 px
# before detection; the classic recipe does not (it matters for the 1080p portraits only).
#
# Environment: SMILE_DATA (default ../shared/data), SMILE_BENCH_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
data="$(cd "${SMILE_DATA:-../shared/data}" && pwd)"
bin="$PWD/.build/release/smile"
py=/usr/bin/python3
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(groups portraits hamilton genki)
[ "${SMILE_BENCH_SKIP_BUILD:-0}" = 1 ] || swift build -c release --product smile >&2
"$py" -c 'import cv2' || { echo "side-by-side: needs python3-opencv for $py" >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/smile-side.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "## smile vs the classic OpenCV recipe ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; both tools pinned to core 0, one thread each"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# timed NAME CMD...: CMD pinned to core 0; stdout/stderr in $work/NAME.out/.err; sets WALL (s).
timed() {
  local name="$1"; shift
  /usr/bin/time -f '%e' -o "$work/$name.time" taskset -c 0 "$@" >"$work/$name.out" 2>"$work/$name.err" ||
    { echo "side-by-side: $name failed: $*" >&2; tail -5 "$work/$name.err" >&2; exit 1; }
  WALL=$(cat "$work/$name.time")
}

# kv FILE KEY: the value of KEY=... in FILE's last "set=" line.
kv() { grep '^set=' "$1" | tail -1 | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# ours_ms FILE STAGE: smile's "STAGE X ms" from its time: line (per image).
ours_ms() { sed -n 's/^time: //p' "$1" | grep -oE "$2 [0-9.]+ ms" | grep -oE '[0-9.]+' | head -1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

compare_set() {  # compare_set NAME LABEL SMILE-ARGS...
  local name="$1" label="$2"; shift 2
  timed "classic-$name" "$py" bench/side-by-side-opencv.py --data "$data" --sets "$name"
  local c_wall="$WALL" c_out="$work/classic-$name.out"
  local n c_dec c_det c_smile c_faces c_smiling
  n=$(kv "$c_out" images); c_dec=$(kv "$c_out" decode_s); c_det=$(kv "$c_out" detect_s); c_smile=$(kv "$c_out" smile_s)
  c_faces=$(kv "$c_out" faces); c_smiling=$(kv "$c_out" smiling)
  timed "smile-$name" "$bin" "$@" --threads 1
  local o_wall="$WALL" o_err="$work/smile-$name.err" o_det o_cls o_faces o_smiling
  o_det=$(awk -v m="$(ours_ms "$o_err" detect)" -v n="$n" 'BEGIN { printf "%.4f", m * n / 1000 }')
  o_cls=$(awk -v m="$(ours_ms "$o_err" classify)" -v n="$n" 'BEGIN { printf "%.4f", m * n / 1000 }')
  o_faces=$(grep -oE '[0-9]+ faces' "$o_err" | tail -1 | grep -oE '[0-9]+')
  if grep -q ' smiling;' "$o_err"; then
    o_smiling=$(grep -oE '[0-9]+ smiling;' "$o_err" | tail -1 | grep -oE '[0-9]+')
  else  # frames: count the smiling column of the CSV
    o_smiling=$(awk -F, 'NR > 1 && $10 == 1 { n++ } END { print n + 0 }' "$work/smile-$name.csv")
  fi
  local c_rest o_rest
  c_rest=$(awk -v w="$c_wall" -v d="$c_det" -v s="$c_smile" 'BEGIN { printf "%.2f", w - d - s }')
  o_rest=$(awk -v w="$o_wall" -v d="$o_det" -v s="$o_cls" 'BEGIN { printf "%.2f", w - d - s }')
  echo "### $label ($n images)"
  echo
  echo "| stage | classic OpenCV s | smile s | smile / classic |"
  echo "|---|---|---|---|"
  printf '| decode only | %.2f | (in the rest) | - |\n' "$c_dec"
  printf '| detect (gray + face cascade) | %.2f | %.2f | %s |\n' "$c_det" "$o_det" "$(ratio "$o_det" "$c_det")"
  printf '| smile classification | %.2f | %.2f | %s |\n' "$c_smile" "$o_cls" "$(ratio "$o_cls" "$c_smile")"
  if awk -v r="$o_rest" 'BEGIN { exit !(r < 0) }'; then  # frames: stage times overlap, so no remainder
    printf '| the rest (wall - detect - smile) | %.2f | overlapped (%.2f) | - |\n' "$c_rest" "$o_rest"
  else
    printf '| the rest (wall - detect - smile) | %.2f | %.2f | %s |\n' "$c_rest" "$o_rest" "$(ratio "$o_rest" "$c_rest")"
  fi
  printf '| whole process, wall | %.2f | %.2f | %s |\n' "$c_wall" "$o_wall" "$(ratio "$o_wall" "$c_wall")"
  printf '| faces found (smiling) | %s (%s) | %s (%s) | |\n' "$c_faces" "$c_smiling" "$o_faces" "$o_smiling"
  echo
  echo "smile's own line: $(sed -n 's/^time: //p' "$o_err")"
  echo
}

compare_genki() {
  echo "### Smile accuracy on GENKI-4K's test side (the images no smile model was trained or selected on)"
  echo
  timed classic-genki "$py" bench/side-by-side-opencv.py --data "$data" --sets "" --genki
  local out="$work/classic-genki.out"
  echo "classic recipe (largest face; smile cascade finds anything = smiling): $(kv "$out" images) images, face found in $(kv "$out" faces_found);"
  echo "accuracy on faces found $(kv "$out" accuracy_found), on all (no face = wrong) $(kv "$out" accuracy_all);" \
       "TP $(kv "$out" tp) FN $(kv "$out" fn) FP $(kv "$out" fp) TN $(kv "$out" tn); ${WALL} s"
  echo
  "$bin" dataset composite --faces "$data/genki4k" --split-side test --out "$work/genki-test" --scales 1.0 >/dev/null 2>&1
  timed smile-genki "$bin" eval "$work/genki-test" --threads 1
  echo "smile eval (same images; 'with detection' is the comparable column), ${WALL} s:"
  echo
  echo '```'
  sed '/^Face not found/,$d' "$work/smile-genki.out"
  echo '```'
  echo
}

for s in "${sets[@]}"; do
  case "$s" in
    groups) compare_set groups "realworld/groups" annotate "$data/realworld/groups" --out "$work/out-groups" ;;
    portraits) compare_set portraits "realworld/portraits" annotate "$data/realworld/portraits" --out "$work/out-portraits" ;;
    hamilton)
      compare_set hamilton "video/hamilton_clip.mp4 frames, smile with --detect-every 1" \
        frames "$data/video/hamilton_clip.mp4" --csv "$work/smile-hamilton.csv" --detect-every 1
      echo "smile's frames stages (decode, detect, classify) run on threads of their own; pinned to one core,"
      echo "each stage's wall time includes the time slices the other stages took meanwhile (so decoding falls"
      echo "mostly inside 'detect'), which makes those two rows upper bounds; the whole-process wall time is exact."
      echo ;;
    genki) compare_genki ;;
    *) echo "side-by-side: unknown set '$s' (groups portraits hamilton genki)" >&2; exit 2 ;;
  esac
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
