#!/usr/bin/env bash
# detector-tradeoffs.sh - the Haar cascade and YuNet at several score thresholds: recall, precision
# and time per photo on the labelled boxes, and the faces found in the group photos.
#
#   bench/detector-tradeoffs.sh [SCORES]      (default 0.5,0.6,0.7,0.8,0.9; SMILE_DATA: the data folder)
#
# Ground truth: realworld/voc_boxes (dlib XML, 43 faces) and the wild set's labelled faces (which
# list only some of a crowd's faces, so its precision counts unlabelled real faces as false). Faces
# in realworld/groups have no boxes: their count per detector is printed, with groups/25.jpg's (a
# school photo of about 250 people) on its own. One core (taskset -c 0 when available). Runs by
# hand, not in CI (a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
data="$(cd "${SMILE_DATA:-../shared/data}" && pwd)"
scores="${1:-0.5,0.6,0.7,0.8,0.9}"
bin=.build/release/smile
[ -x "$bin" ] || swift build -c release --product smile
pin=""; command -v taskset >/dev/null && pin="taskset -c 0"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), one core"
echo
echo "| detector | score | voc_boxes recall | voc_boxes precision | ms per photo | wild recall | wild faces < 64 px recall | groups: faces | groups/25.jpg: faces |"
echo "|---|---|---|---|---|---|---|---|---|"
run() {  # label, detector options...
  local label=$1; shift
  local voc wild groups one
  voc=$($pin "$bin" eval-detection "$data/realworld/voc_boxes/training.xml" "$data/realworld/voc_boxes/testing.xml" "$@" 2>&1)
  wild=$($pin "$bin" eval-detection "$data/wild/faces.csv" "$@" 2>&1)
  rm -rf "$work/g"; $pin "$bin" annotate "$data/realworld/groups" --out "$work/g" "$@" --model models/smile-default.safetensors >/dev/null 2>&1 || true
  groups=$(awk -F, 'NR > 1 && $2 != ""' "$work/g/faces.csv" | wc -l)
  one=$(grep -c '/25.jpg,[0-9]' "$work/g/faces.csv" || true)
  local all small
  all=$(echo "$wild" | grep "^all" | awk '{print $(NF-1)}')
  small=$(echo "$wild" | awk '/^< 32 px|^32/ {t += $(NF-5); f += $(NF-4)} END {if (t) printf "%.3f", f / t}')
  echo "| $label | $(echo "$voc" | grep "^all" | awk '{print $(NF-1)" | "$NF}') | $(echo "$voc" | sed -n 's/.*[^0-9.]\([0-9.]*\) s per photo.*/\1/p' | awk '{printf "%.1f", $1 * 1000}') | $all | $small | $groups | $one |"
}
run "haar | -" --detector haar
for s in ${scores//,/ }; do run "yunet | $s" --detector yunet --detector-score "$s"; done
