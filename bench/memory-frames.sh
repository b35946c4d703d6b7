#!/usr/bin/env bash
# Peak memory of `smile frames` over 100 frames against 10,000 frames: a flat footprint
# means no growth per frame.
#
#   bench/memory-frames.sh [frames=10000] [model.safetensors]
#
# The frames are hard links to one frame (bench/frame-160x120.jpg, cut from the sample photo:
# one face), so making 10,000 takes seconds and no disk; every frame is still decoded,
# searched and classified. The model is the argument, else smile's own choice ($SMILE_MODEL,
# then models/smile-default.safetensors). Prints the peak resident set size (GNU time's
# "Maximum resident set size") and wall time of both runs.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
model="${2:-${SMILE_MODEL:-}}"

swift build -c release --product smile >/dev/null
bin=.build/release/smile
work=$(mktemp -d "${TMPDIR:-/tmp}/smile-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT

make_frames() {  # make_frames DIR COUNT
    mkdir -p "$1"
    cp bench/frame-160x120.jpg "$1/frame1.jpg"
    for ((i = 2; i <= $2; i++)); do ln "$1/frame1.jpg" "$1/frame$i.jpg"; done
}

peak_kb() {  # peak_kb DIR: runs smile frames over DIR, prints peak RSS in KiB and the time taken
    local args=(frames "$1" --csv "$1.csv")
    [ -n "$model" ] && args+=(--model "$model")
    /usr/bin/time -v "$bin" "${args[@]}" 2>"$1.time" >/dev/null || { tail -5 "$1.time"; exit 1; }
    local rss wall rows
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$1.time")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1.time")
    rows=$(($(wc -l <"$1.csv") - 1))
    echo "$rss $wall $rows"
}

make_frames "$work/small" 100
make_frames "$work/large" "$n"
read -r rss_small wall_small rows_small < <(peak_kb "$work/small")
read -r rss_large wall_large rows_large < <(peak_kb "$work/large")
printf '%8s frames: peak RSS %7d KiB (%s, %s CSV rows)\n' 100 "$rss_small" "$wall_small" "$rows_small"
printf '%8s frames: peak RSS %7d KiB (%s, %s CSV rows)\n' "$n" "$rss_large" "$wall_large" "$rows_large"
awk -v a="$rss_small" -v b="$rss_large" 'BEGIN { printf "growth: %+d KiB (%.1f%%)\n", b - a, 100 * (b - a) / a }'
