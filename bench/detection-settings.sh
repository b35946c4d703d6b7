#!/usr/bin/env bash
# Photo detection settings measured, so defaults are chosen by measurement: for each scale factor /
# minimum neighbours / minimum face / working resolution / equalising (the default equalises only dim
# or flat photos, none of these),
#   - recall and precision against labelled boxes: voc_boxes (9 photos, 43 real faces) and, when its
#     faces.csv is given, the composite set (GENKI-4K test faces pasted into the group photos, see
#     bench/measure-eval.sh; the backgrounds' own faces are unlabelled, so only its recall counts);
#   - the share of the default's faces it finds on realworld/ (groups, portraits, voc_boxes: 544
#     faces, most of them unlabelled small faces in crowds), IoU >= 0.5, and the faces it adds;
#   - time on the group photos (`smile-bench photos`, process CPU time): how many of the 22 photos
#     of up to 1 MP took 100 ms or less, and the median detection ms.
#
#   bench/detection-settings.sh [data=../shared/data] [composite faces.csv]
#
# One OpenCV thread, pinned to one core (CORE, default 0); about 25 minutes with the composite set.
# The machine's speed drifts, so compare times of one run only. Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-${SMILE_DATA:-../shared/data}}"
composite="${2:-}"
core=${CORE:-0}
swift build -c release --product smile >/dev/null
bin=.build/release/smile
# The benchmarks of a build: its smile-bench, or `smile bench` in builds from before it was split off.
bench_command() { if [ -x "$(dirname "$1")/smile-bench" ]; then echo "$(dirname "$1")/smile-bench"; else echo "$1 bench"; fi; }
read -r -a bench <<<"$(bench_command "$bin")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
voc="$data/realworld/voc_boxes/training.xml $data/realworld/voc_boxes/testing.xml"
realworld="$data/realworld/groups $data/realworld/portraits $data/realworld/voc_boxes"

# Faces of realworld/ in CSV $2 that the faces in CSV $1 match (IoU >= 0.5, one to one), and the extras.
share() {
    python3 - "$1" "$2" <<'PY'
import csv, collections, sys
def faces(path):
    out = collections.defaultdict(list)
    for row in csv.DictReader(open(path)):
        if row['x']: out[row['image']].append(tuple(int(row[k]) for k in 'xywh'))
    return out
def iou(a, b):
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]); h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    i = max(w, 0) * max(h, 0)
    return i / (a[2] * a[3] + b[2] * b[3] - i)
reference, candidate = faces(sys.argv[1]), faces(sys.argv[2])
total = sum(map(len, reference.values())); found = extra = 0
for image in set(reference) | set(candidate):
    left = list(candidate.get(image, []))
    for box in reference.get(image, []):
        best = max(left, key=lambda c: iou(box, c), default=None)
        if best is not None and iou(box, best) >= 0.5:
            found += 1; left.remove(best)
    extra += len(left)
print(f"{found} of {total} ({found / total:.3f}), {extra} more")
PY
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %s | %s | %s | %s | %s |\n' "setting" "voc_boxes: found of 43, false" \
    "composite: found of its faces" "realworld: the default's faces found, more" \
    "groups: photos <= 1 MP in 100 ms; median detect ms"
printf '|---|---|---|---|---|\n'
while read -r label args; do
    # shellcheck disable=SC2086
    row=$(taskset -c "$core" "$bin" eval-detection $voc $args 2>/dev/null | grep '^all' | tr -s ' ' || true)
    vocCell=$(awk '{print $5 " of " $4 ", " $7 " false"}' <<<"$row")
    compCell="-"
    if [ -n "$composite" ]; then
        # shellcheck disable=SC2086
        row=$(taskset -c "$core" "$bin" eval-detection "$composite" $args 2>/dev/null | grep '^all' | tr -s ' ' || true)
        compCell=$(awk '{print $5 " of " $4 " (" $8 ")"}' <<<"$row")
    fi
    # shellcheck disable=SC2086
    taskset -c "$core" "$bin" annotate $realworld --out "$work/$label" --csv "$work/$label.csv" $args >/dev/null 2>&1 || true
    [ -f "$work/default.csv" ] || { echo "detection-settings: the default run wrote no table" >&2; exit 1; }
    # shellcheck disable=SC2086
    photos=$(taskset -c "$core" "${bench[@]}" photos "$data/realworld/groups" --repeats 3 --clock cpu $args 2>/dev/null \
        | sed -n 's/^photos of up to 1 MP: \([0-9]*\); \([0-9]*\) in 100 ms or less; median [0-9.]* ms (detect \([0-9.]*\).*/\2 of \1; \3/p')
    printf '| %s | %s | %s | %s | %s |\n' "$label $args" "$vocCell" "$compCell" \
        "$(share "$work/default.csv" "$work/$label.csv")" "$photos"
done <<'SETTINGS'
default
equalize-always --equalize
nb4 --min-neighbours 4
nb3 --min-neighbours 3
scale1.15+nb4 --scale-factor 1.15 --min-neighbours 4
scale1.2 --scale-factor 1.2
scale1.2+nb3 --scale-factor 1.2 --min-neighbours 3
scale1.3+nb3 --scale-factor 1.3 --min-neighbours 3
min-face32 --min-face 32
side800 --working-side 800
SETTINGS
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
