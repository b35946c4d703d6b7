#!/usr/bin/env bash
# Every speed figure of smile in one run: detection, classifier, frames, annotate, training.
#
#   bench/run-benchmarks.sh [detect] [nn] [frames] [annotate] [photos] [train]    (default: all of them)
#
# Builds the release binary, then runs each case as its own process under GNU time (peak RSS)
# pinned to one core with taskset (core 0, or SMILE_BENCH_CORE), so the figures are one-core figures. Prints one markdown table
# (case, figure, peak RSS MiB) and the machine: CPU model, cores, and the load average at the
# start and at the end, so a reader can tell whether the machine was busy (every figure is wall
# time: with a load average near or above the core count, other work may have shared the core).
#
# Environment: SMILE_DATA (default ../shared/data), SMILE_BENCH_CORE (the core, default 0), SMILE_BENCH_SKIP_BUILD=1 (use the binary as
# it is), SMILE_BENCH_NN_ARGS (arguments of `smile-bench nn`, default: the shipped model at
# batch 1, 4 and 32, in float32 and bfloat16 where the CPU has AVX-512 BF16), SMILE_BENCH_DETECT_EVERY (the faster frames setting checked against
# --detect-every 1; default: the tool's default, or 5 while that is 1), SMILE_BENCH_TRAIN_LIMIT
# (images per data set for the training cases, 600), SMILE_BENCH_KEEP=1 (keep the work folder with
# every case's output). Takes about 10 minutes on an idle 2-vCPU machine, two to three times that
# when other jobs share the core.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${SMILE_DATA:-../shared/data}"
[ -d "$data" ] || { echo "run-benchmarks: no data folder at $data (set SMILE_DATA)" >&2; exit 2; }
data="$(cd "$data" && pwd)"
core="${SMILE_BENCH_CORE:-0}"
bin="$PWD/.build/release/smile"
# The benchmarks of a build: its smile-bench, or `smile bench` in builds from before it was split off.
bench_command() { if [ -x "$(dirname "$1")/smile-bench" ]; then echo "$(dirname "$1")/smile-bench"; else echo "$1 bench"; fi; }
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(detect nn frames annotate photos train)
for c in "${cases[@]}"; do
  case "$c" in detect|nn|frames|annotate|photos|train) ;; *) echo "run-benchmarks: unknown case '$c' (detect nn frames annotate photos train)" >&2; exit 2 ;; esac
done

if [ "${SMILE_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "building release binary..." >&2
  swift build -c release --product smile >&2
  swift build -c release --product smile-bench >&2
fi
[ -x "$bin" ] || { echo "run-benchmarks: no $bin" >&2; exit 1; }
read -r -a bench <<<"$(bench_command "$bin")"

work="$(mktemp -d "${TMPDIR:-/tmp}/smile-bench.XXXXXX")"
if [ "${SMILE_BENCH_KEEP:-0}" = 1 ]; then echo "work folder: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
table="$work/table.md"
notes="$work/notes.txt"
: >"$table"; : >"$notes"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
started=$(date +%s)

# timed NAME CMD...: runs CMD pinned to $core under GNU time; stdout in $work/NAME.out,
# stderr in $work/NAME.err; sets WALL (seconds) and RSS_MIB. Fails the script if CMD fails.
timed() {
  local name="$1"; shift
  if ! /usr/bin/time -f '%e %M' -o "$work/$name.time" taskset -c "$core" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    echo "run-benchmarks: case $name failed: $*" >&2; tail -5 "$work/$name.err" >&2; exit 1
  fi
  read -r WALL rss_kib <"$work/$name.time"
  RSS_MIB=$(awk -v k="$rss_kib" 'BEGIN { printf "%.0f", k / 1024 }')
  echo "  $name: ${WALL} s" >&2
}

row() { printf '| %s | %s | %s |\n' "$1" "$2" "$3" >>"$table"; }

# The `time:` line of annotate / frames, without its prefix.
time_line() { sed -n "s/^time: //p" "$1" | tail -1 | sed "s/; the rest is decoding and writing//"; }

bench_detect() {
  echo "detect" >&2
  local search
  for search in coarse-to-fine full; do
    timed "detect-$search" "${bench[@]}" detect --repeats 15 --pyramid-search "$search"
    awk -F'|' '/^\| [0-9]+x[0-9]+ / { gsub(/ /, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $4); gsub(/ /, "", $5); gsub(/ /, "", $6);
      printf "%s %s %s %s %s\n", $2, $3, $4, $5, $6 }' "$work/detect-$search.out" |
      while read -r size threads faces median min; do
        row "detect $size (astronaut, $threads thread, $search search)" "median $median ms, min $min ms ($faces faces)" "$RSS_MIB"
      done
  done
}

bench_nn() {
  echo "nn" >&2
  if ! "${bench[@]}" nn --help 2>&1 | grep -q 'USAGE: smile.bench nn'; then
    row "bench nn" "skipped: this build has no \`smile-bench nn\`" "-"
    return
  fi
  # Both precisions where the CPU has AVX-512 BF16 (and the build knows --precision); batch 4 is what the tool passes.
  local defaults="--model models/smile-default.safetensors --batches 1,4,32" label="shipped model, batch 1, 4 and 32"
  if grep -q avx512_bf16 /proc/cpuinfo 2>/dev/null && "${bench[@]}" nn --help 2>&1 | grep -q -- '--precision'; then
    defaults="$defaults --precision float32,bfloat16"; label="$label, float32 and bfloat16"
  fi
  # shellcheck disable=SC2086
  timed nn "${bench[@]}" nn ${SMILE_BENCH_NN_ARGS:-$defaults}
  row "bench nn (${SMILE_BENCH_NN_ARGS:-$label})" "table below" "$RSS_MIB"
  { echo "smile-bench nn:"; cat "$work/nn.out"; echo; } >>"$notes"
}

bench_frames() {
  echo "frames" >&2
  # The faster setting checked against --detect-every 1: the tool's default, or 5 while that is 1.
  local default_every fast_every fast_label clip name every frames
  default_every=$("$bin" frames --help | tr -s ' \n' ' ' | sed 's/.*--detect-every <n>//' |
    grep -oE '\(default: [0-9]+\)' | head -1 | grep -oE '[0-9]+' || echo 1)
  if [ -n "${SMILE_BENCH_DETECT_EVERY:-}" ]; then fast_every="$SMILE_BENCH_DETECT_EVERY"; fast_label="--detect-every $fast_every"
  elif [ "$default_every" -gt 1 ]; then fast_every="$default_every"; fast_label="default, --detect-every $fast_every"
  else fast_every=5; fast_label="--detect-every 5; the default is 1, the row above"
  fi
  for clip in hamilton_clip facenet_group; do
    for every in 1 "$fast_every"; do
      name="frames-$clip-$every"
      timed "$name" "$bin" frames "$data/video/$clip.mp4" --csv "$work/$name.csv" --detect-every "$every"
      frames=$(sed -n 's/^\([0-9]*\) frames, .*/\1/p' "$work/$name.err" | tail -1)
      row "frames $clip.mp4 ($([ "$every" = 1 ] && echo "--detect-every 1$([ "$default_every" = 1 ] && echo ", the default")" || echo "$fast_label"))" \
        "$(awk -v n="$frames" -v w="$WALL" 'BEGIN { printf "%.1f frames/s (%d frames in %.1f s)", n / w, n, w }'); tool: $(time_line "$work/$name.err")" "$RSS_MIB"
    done
    "$bin" compare-frames "$work/frames-$clip-1.csv" "$work/frames-$clip-$fast_every.csv" >"$work/compare-$clip.out"
    row "recall of --detect-every $fast_every against --detect-every 1, $clip.mp4" \
      "$(sed -n 's/^recall against the reference: //p' "$work/compare-$clip.out")" "-"
  done
}

bench_annotate() {
  echo "annotate" >&2
  local set photos
  for set in groups portraits voc_boxes; do
    timed "annotate-$set" "$bin" annotate "$data/realworld/$set" --out "$work/annotate-$set"
    photos=$(sed -n 's/^\([0-9]*\) photos, .*/\1/p' "$work/annotate-$set.err" | tail -1)
    row "annotate realworld/$set ($photos photos)" \
      "$(awk -v n="$photos" -v w="$WALL" 'BEGIN { printf "%.0f ms per photo (wall / photos)", 1000 * w / n }'); tool: $(time_line "$work/annotate-$set.err")" "$RSS_MIB"
  done
}

bench_photos() {
  echo "photos" >&2
  local set
  for set in groups portraits voc_boxes; do
    timed "photos-$set" "${bench[@]}" photos "$data/realworld/$set" --repeats 3 --compare-full
    row "bench photos realworld/$set: photos of up to 1 MP" \
      "$(sed -n 's/^photos of up to 1 MP: //p' "$work/photos-$set.out"); $(sed -n 's/^detection time against the full search: //p' "$work/photos-$set.out")" "$RSS_MIB"
    { echo "smile-bench photos $set:"; cat "$work/photos-$set.out"; echo; } >>"$notes"
  done
}

bench_train() {
  echo "train" >&2
  local limit="${SMILE_BENCH_TRAIN_LIMIT:-600}" recipe extra speed
  for recipe in benchmark vgg19 vgg19-transfer; do
    extra=()
    [ "$recipe" = vgg19-transfer ] && extra=(--base models/smile-default.safetensors)
    timed "train-$recipe" "$bin" train --recipe "$recipe" "${extra[@]}" --data "$data" --sets genki4k --limit "$limit" \
      --epochs 1 --threads 1 --out "$work/train-$recipe"
    speed=$(grep -E '^epoch ' "$work/train-$recipe.out" | tail -1 | awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "img/s") printf "%s img/s, epoch %s s", $i, $(i + 2) }')
    crops=$(sed -n 's/^train: \([0-9]*\) crops.*/\1/p' "$work/train-$recipe.out" | head -1)
    row "train $recipe (1 epoch, genki4k --limit $limit, 1 thread$([ "$recipe" = vgg19-transfer ] && echo ", block 5 fine-tuned"))" \
      "${speed:-no epoch line} over $crops crops (whole run ${WALL} s, with crop making and tests)" "$RSS_MIB"
  done
}

for c in "${cases[@]}"; do "bench_$c"; done

echo "## smile benchmarks ($(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo 'no git'))"
echo
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; every case pinned to core $core (taskset -c $core)"
echo "load average (1, 5, 15 min) at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg); $(( $(date +%s) - started )) s in all"
echo
echo "| case | figure | peak RSS MiB |"
echo "|---|---|---|"
cat "$table"
if [ -s "$notes" ]; then echo; cat "$notes"; fi
if [ -s "$work/detect.out" ]; then echo; echo "smile-bench detect:"; cat "$work/detect.out"; fi
