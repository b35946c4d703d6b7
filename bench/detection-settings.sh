#!/usr/bin/env bash
# Photo detection settings against labelled boxes: recall, precision and time per photo for each
# scale factor / minimum face / working resolution, so defaults are chosen by measurement.
#
#   bench/detection-settings.sh [data=../shared/data] [composite faces.csv]
#
# voc_boxes (9 photos, 43 boxes) always; the composite set (GENKI faces pasted into group photos,
# 360 photos, see bench/measure-eval.sh) when its faces.csv is given. One OpenCV thread, pinned
# to one core. Prints each setting's `smile eval-detection` summary line and time.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-${SMILE_DATA:-../shared/data}}"
composite="${2:-}"
swift build -c release --product smile >/dev/null
bin=.build/release/smile
sets=("$data/realworld/voc_boxes/training.xml $data/realworld/voc_boxes/testing.xml")
[ -n "$composite" ] && sets+=("$composite")
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for set in "${sets[@]}"; do
    echo "== $set"
    printf '%-40s %s\n' "setting" "all-faces row (faces found missed false recall precision); time"
    while read -r label args; do
        # shellcheck disable=SC2086
        out=$(taskset -c 0 "$bin" eval-detection $set $args 2>/dev/null || true)
        printf '%-40s %s; %s\n' "$label" "$(grep '^all' <<<"$out" | tr -s ' ')" "$(grep 'detection time' <<<"$out")"
    done <<'SETTINGS'
default(1.1,min24,side1600) 
scale1.2 --scale-factor 1.2
scale1.3 --scale-factor 1.3
min-face32 --min-face 32
min-face48 --min-face 48
side800 --working-side 800
side640 --working-side 640
scale1.2+side800 --scale-factor 1.2 --working-side 800
no-equalize --no-equalize
no-equalize+scale1.2 --no-equalize --scale-factor 1.2
SETTINGS
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
