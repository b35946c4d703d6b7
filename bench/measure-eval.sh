#!/usr/bin/env bash
# Issue 4's measurement, rerunnable: composite real-world set, GENKI test side, voc_boxes, zoom.
#
#   bench/measure-eval.sh MODEL.safetensors [WORK_DIR]
#
# Uses only GENKI images on the test side of the training split (--split-side test).
set -euo pipefail
cd "$(dirname "$0")/.."
model="$1"; work="${2:-/tmp/smile-measure}"
data="$(cd ../shared/data && pwd)"
bin=.build/release/smile
[ -x "$bin" ] || swift build -c release --product smile
mkdir -p "$work"
"$bin" dataset composite --faces "$data/genki4k" --split-side test --per-class 60 \
  --backgrounds "$data/realworld/groups" --out "$work/composite" --scales 0.5,0.25,0.12 --seed 42
"$bin" dataset composite --faces "$data/genki4k" --split-side test --out "$work/genki-test" --scales 1.0
echo "== composite, photo-level labels (largest face decides)"
"$bin" eval "$work/composite" --model "$model" --report "$work/report-composite" --csv "$work/composite.csv"
echo "== composite, per-face boxes"
"$bin" eval "$work/composite/faces.csv" --model "$model" --report "$work/report-composite-faces"
echo "== GENKI test side, unpasted"
"$bin" eval "$work/genki-test" --model "$model" --report "$work/report-genki"
echo "== detection on voc_boxes"
"$bin" eval-detection "$data/realworld/voc_boxes/training.xml" "$data/realworld/voc_boxes/testing.xml" --report "$work/report-det"
echo "== zoom"
"$bin" zoom samples/astronaut.jpg --model "$model" --csv "$work/zoom.csv" --report "$work/report-zoom"
