#!/usr/bin/env bash
# compare-precision.sh - the classifier in float32 and in bfloat16 (or int8) on the same labelled faces.
#
#   bench/compare-precision.sh [WORK_DIR]     (default /tmp/smile-precision)
#   PRECISION=int8 SMILE_MODEL=calibrated.safetensors bench/compare-precision.sh
#
# Builds labelled sets from ../shared/data (GENKI-4K and SMILEsmileD test sides at scale 1, CK+48
# and all of muxspace as class folders of links, and GENKI's test side pasted into the group photos
# at 0.5/0.25/0.12, and the wild set's hand-labelled faces), runs `smile eval` on each with
# --precision float32 and --precision $PRECISION (bfloat16 unless set), and prints per set and
# column (without and with detection) both accuracies, how many verdicts differ and how far the
# probabilities are apart. bfloat16 needs a CPU with AVX-512 BF16, int8 AVX2 and a calibrated model
# (`smile model calibrate`). Runs by hand, not in CI (about 3 minutes on one core).
set -euo pipefail
cd "$(dirname "$0")/.."
other="${PRECISION:-bfloat16}"
[ "$other" != bfloat16 ] || grep -q avx512_bf16 /proc/cpuinfo || { echo "compare-precision: this CPU has no AVX-512 BF16" >&2; exit 2; }
data="$(cd "${SMILE_DATA:-../shared/data}" && pwd)"
work="${1:-/tmp/smile-precision}"
bin=.build/release/smile
[ -x "$bin" ] || swift build -c release --product smile
model="${SMILE_MODEL:-$PWD/models/smile-default.safetensors}"
mkdir -p "$work"
make_set() {  # name, arguments of `smile dataset composite`
  local name=$1; shift
  [ -d "$work/$name" ] || "$bin" dataset composite "$@" --out "$work/$name" > "$work/$name.make.log"
}
make_set genki4k --faces "$data/genki4k" --split-side test --scales 1.0
make_set smilesmiled --faces "$data/smilesmiled" --split-side test --scales 1.0
make_set composite --faces "$data/genki4k" --split-side test --per-class 60 --backgrounds "$data/realworld/groups" \
  --scales 0.5,0.25,0.12 --seed 42
if [ ! -d "$work/ckplus48" ]; then
  mkdir -p "$work/ckplus48/0" "$work/ckplus48/1"
  ln -sf "$data"/ckplus48/other/* "$work/ckplus48/0/"; ln -sf "$data"/ckplus48/happy/* "$work/ckplus48/1/"
fi
if [ ! -d "$work/muxspace" ]; then
  mkdir -p "$work/muxspace/0" "$work/muxspace/1"
  tail -n +2 "$data/muxspace/labels.csv" | tr -d '\r' | while IFS=, read -r file _ smile; do
    [ -f "$data/muxspace/images/$file" ] && ln -sf "$data/muxspace/images/$file" "$work/muxspace/$smile/"
  done
fi
for set in genki4k smilesmiled ckplus48 muxspace composite wild; do
  input="$work/$set"; [ "$set" = wild ] && input="$data/wild/faces.csv"
  for precision in float32 "$other"; do
    "$bin" eval "$input" --model "$model" --precision "$precision" --csv "$work/$set-$precision.csv" > "$work/$set-$precision.log" 2>&1
  done
  echo "== $set"
  python3 - "$work/$set-float32.csv" "$work/$set-$other.csv" "$other" <<'PY'
import csv, sys
def rows(path):
    return {r['image'] + '|' + r['x'] + '|' + r['y']: r for r in csv.DictReader(open(path))}
a, b = rows(sys.argv[1]), rows(sys.argv[2])
assert a.keys() == b.keys(), 'the two runs list different faces'
for column in ['p_without_detection', 'p_with_detection']:
    keys = [k for k in a if a[k][column] != '' and b[k][column] != '']
    if not keys:
        continue
    def accuracy(t):
        return sum((float(t[k][column]) >= 0.5) == (t[k]['label'] == '1') for k in keys) / len(keys)
    flips = sum((float(a[k][column]) >= 0.5) != (float(b[k][column]) >= 0.5) for k in keys)
    gaps = sorted(abs(float(a[k][column]) - float(b[k][column])) for k in keys)
    print(f"{column}: n {len(keys)}; accuracy float32 {accuracy(a):.4f}, {sys.argv[3]} {accuracy(b):.4f}; "
          f"verdicts differing {flips}; |p difference| median {gaps[len(gaps) // 2]:.4f}, "
          f"99th percentile {gaps[int(len(gaps) * 0.99)]:.4f}, max {gaps[-1]:.4f}")
PY
done
