#!/usr/bin/env bash
# compare-models.sh - smile classifiers side by side on every held-out set and on the wild photos.
#
#   bench/compare-models.sh MODEL... > table.md      (SMILE_DATA: the data folder, default ../shared/data)
#
# For each model: `smile model test` (the held-out test sides of GENKI-4K, SMILEsmileD, muxspace and
# FER2013, and all of CK+, crops framed as in training) and `smile eval` on the wild set's
# selection and test sides (../shared/data/wild/faces.csv, split by photo: `smile eval --side`) with
# each detector, faces found and end to end (a face not found counts as wrong). Prints one
# markdown table, accuracy with its 95% interval in each cell; logs go to $WORK (default
# /tmp/smile-compare-models). Runs by hand, not in CI (a few minutes per model on one core).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/compare-models.sh MODEL..." >&2; exit 2; }
data="$(cd "${SMILE_DATA:-../shared/data}" && pwd)"
work="${WORK:-/tmp/smile-compare-models}"
bin=.build/release/smile
[ -x "$bin" ] || swift build -c release --product smile
mkdir -p "$work"
sets="genki4k smilesmiled muxspace fer2013 ckplus48"
header="| model |"; rule="|---|"
for s in $sets; do header+=" $s |"; rule+="---|"; done
for side in selection test; do for d in haar yunet; do
  header+=" wild $side, $d: found / end to end |"; rule+="---|"
done; done
echo "$header"; echo "$rule"
for model in "$@"; do
  name=$(basename "$model" .safetensors)
  log="$work/$name"
  "$bin" model test "$model" --data "$data" > "$log.test.txt"
  row="| $name ($(stat -c %s "$model") bytes) |"
  for s in $sets; do
    cell=$(grep "^test $s:" "$log.test.txt" | sed -E 's/.*accuracy ([0-9.]+),.*CI \[([0-9.]+), ([0-9.]+)\].*/\1 [\2, \3]/')
    row+=" ${cell:-n/a} |"
  done
  for side in selection test; do for d in haar yunet; do
    "$bin" eval "$data/wild/faces.csv" --side "$side" --detector "$d" --model "$model" > "$log.wild-$side-$d.txt" 2>&1 || true
    acc=$(grep -m1 "^accuracy " "$log.wild-$side-$d.txt" | sed -E 's/ +/ /g')
    found=$(echo "$acc" | awk '{print $5" "$6" "$7}')
    all=$(echo "$acc" | awk '{print $8" "$9" "$10}')
    n=$(grep "^examples" "$log.wild-$side-$d.txt" | awk '{print $5" of "$7}')
    row+=" $found ($n found); $all |"
  done; done
  echo "$row"
done
