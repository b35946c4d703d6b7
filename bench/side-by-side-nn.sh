#!/usr/bin/env bash
# VGG-19 conv base, one thread: TensorFlow (Keras VGG19 include_top=False) next to `smile-bench nn`.
#
#   bench/side-by-side-nn.sh [SIZES] [BATCHES] [REPEATS]      (defaults: 64x64,218x178  1,32  10)
#
# $CONVS (default im2col,winograd,auto), $PRECISIONS (default float32,bfloat16 where the CPU has
# AVX-512 BF16, else float32), $PARTS (default base,net) and $WARMUP (default 2) choose what
# smile runs; $CLOCK=cpu times both sides in process CPU time instead of wall time (busy machines); 218x178 at batch 32 takes ~10 s a pass on one core, so give it few repeats.
# Runs by hand, not in CI. $TF_PYTHON is a python with tensorflow(-cpu) (default: python3; e.g. a venv with `pip install tensorflow-cpu`).
# Both sides run on one thread. Set $CORE to pin both to that core with taskset (fair on a quiet
# machine; on a busy one a pinned process shares its core with whatever else runs there).
# Prints our ms / their ms per image for each case and convolution algorithm (below 1 means smile
# is faster); the whole-network rows (conv base + head) are printed for reference.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-64x64,218x178}"; batches="${2:-1,32}"; repeats="${3:-10}"
python="${TF_PYTHON:-python3}"
core="${CORE:-}"; convs="${CONVS:-im2col,winograd,auto}"; precisions="${PRECISIONS:-}"; parts="${PARTS:-base,net}"; warmup="${WARMUP:-2}"; clock="${CLOCK:-wall}"
bin=.build/release/smile-bench
[ -x "$bin" ] || swift build -c release --product smile-bench
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pin=(); [ -n "$core" ] && pin=(taskset -c "$core")
if [ -z "$precisions" ]; then
  # TensorFlow runs in float32: our float32 rows are the like-for-like ones, bfloat16 shows what the tool does.
  if "$bin" nn --help | grep -q -- '--precision'; then
    precisions=float32; grep -q avx512_bf16 /proc/cpuinfo 2>/dev/null && precisions=float32,bfloat16
  fi
fi
precisionArgs=(); [ -n "$precisions" ] && precisionArgs=(--precision "$precisions")
uptime
echo "== TensorFlow"
"${pin[@]}" "$python" bench/side-by-side-nn.py --sizes "$sizes" --batches "$batches" --repeats "$repeats" --warmup "$warmup" --clock "$clock" --csv "$work/tf.csv"
echo "== smile"
"${pin[@]}" "$bin" nn --widths 1 --channels 3 --sizes "$sizes" --batches "$batches" --threads 1 \
  --conv "$convs" "${precisionArgs[@]}" --parts "$parts" --repeats "$repeats" --warmup "$warmup" --clock "$clock" --csv "$work/smile.csv"
echo "== ratio, ms per image (smile / TensorFlow)"
awk -F, '
  NR == FNR { if (FNR > 1) tf[$1 "," $2] = $6; next }
  FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  { key = $col["input"] "," $col["batch"]; if (!(key in tf)) next
    precision = ("precision" in col) ? $col["precision"] : "f32"; perImage = $col["median_ms_per_image"]
    printf "%-10s batch %3s  %-8s %-4s %-4s  smile %8.2f  tf %8.2f  ratio %.2f\n", $col["input"], $col["batch"], $col["conv"],
           precision, $col["part"], perImage, tf[key], perImage / tf[key] }
' "$work/tf.csv" "$work/smile.csv"
uptime
