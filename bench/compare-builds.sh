#!/usr/bin/env bash
# compare-builds.sh - two smile binaries on the same inputs, alternated, pinned to one core.
#
# A machine's speed can drift by up to a third within minutes, so two builds timed one
# after the other can differ by more than the change between them. This alternates them finely and
# summarises what each did:
#
#   bench/compare-builds.sh OLD NEW photos PHOTO_OR_DIR...
#       each photo through `OLD bench photos` then `NEW bench photos` (--repeats 3), ROUNDS times
#       (default 2); per photo the median total ms of each and their ratio, then for the photos of
#       up to 1 MP how many took 100 ms or less, the medians and the median ratio.
#   bench/compare-builds.sh OLD NEW frames CLIP
#       whole `frames CLIP` runs (default settings), OLD and NEW alternately, ROUNDS times (default
#       6); user + system CPU seconds of each, minimum and median (the minimum is the least disturbed).
#
# Environment: CORE (default 0), ROUNDS, SMILE_MODEL (default: the project's shipped model, for
# both binaries, so that only the code differs).
set -euo pipefail
# The benchmarks of a build: its smile-bench, or `smile bench` in builds from before it was split off.
bench_command() { if [ -x "$(dirname "$1")/smile-bench" ]; then echo "$(dirname "$1")/smile-bench"; else echo "$1 bench"; fi; }

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 4 ] || usage
old=$1 new=$2 mode=$3
shift 3
for bin in "$old" "$new"; do [ -x "$bin" ] || { echo "compare-builds: $bin is not an executable" >&2; exit 2; }; done
core=${CORE:-0}
export SMILE_MODEL=${SMILE_MODEL:-$(cd "$(dirname "$0")/.." && pwd)/models/smile-default.safetensors}
command -v taskset > /dev/null || { echo "compare-builds: needs taskset (util-linux)" >&2; exit 2; }

case $mode in
photos)
    rounds=${ROUNDS:-2}
    photos=()
    for path in "$@"; do
        if [ -d "$path" ]; then
            while IFS= read -r f; do photos+=("$f"); done < <(find "$path" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sort)
        else
            photos+=("$path")
        fi
    done
    echo "old: $old; new: $new; core $core; $rounds rounds per photo; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    for photo in "${photos[@]}"; do
        for round in $(seq "$rounds"); do
            for which in old new; do
                bin=$old; [ $which = new ] && bin=$new
                read -r -a bench <<<"$(bench_command "$bin")"
                # The table row: | photo | MP | faces | decode | detect | classify | draw + encode | total |
                row=$(taskset -c "$core" "${bench[@]}" photos "$photo" --repeats 3 2>/dev/null | grep -E '^\| [^-p]' | head -1) || true
                [ -n "$row" ] && echo "$which $row"
            done
        done
    done | awk -F'|' '
        { split($1, w, " "); which = w[1]; name = $2; gsub(/ /, "", name)
          if (!(name in seen)) order[++count] = name
          mp[name] = $3 + 0; n[which, name]++; t[which, name, n[which, name]] = $9 + 0; seen[name] = 1 }
        function median(which, name,   k, i, j, v, m) {
            k = n[which, name]; for (i = 1; i <= k; i++) v[i] = t[which, name, i]
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { m = v[i]; v[i] = v[j]; v[j] = m }
            return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
        function mid(a, k,   i, j, m) {
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { m = a[i]; a[i] = a[j]; a[j] = m }
            return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
        END {
            printf "| photo | MP | old ms | new ms | new / old |\n|---|---|---|---|---|\n"
            for (i = 1; i <= count; i++) {
                name = order[i]
                if (!n["old", name] || !n["new", name]) { printf "| %s | - | - | - | not timed by both |\n", name; continue }
                a = median("old", name); b = median("new", name)
                printf "| %s | %.2f | %.1f | %.1f | %.2f |\n", name, mp[name], a, b, b / a
                if (mp[name] <= 1) { k++; oa[k] = a; ob[k] = b; r[k] = b / a; fa += a <= 100; fb += b <= 100 }
            }
            if (k) printf "\nphotos of up to 1 MP: %d; in 100 ms or less: old %d, new %d; median old %.1f ms, new %.1f ms; median new / old %.2f\n",
                k, fa, fb, mid(oa, k), mid(ob, k), mid(r, k)
        }'
    ;;
frames)
    [ $# -eq 1 ] || usage
    clip=$1 rounds=${ROUNDS:-6}
    [ -f "$clip" ] || { echo "compare-builds: no clip at $clip" >&2; exit 2; }
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    echo "old: $old; new: $new; $clip; core $core; $rounds rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    for round in $(seq "$rounds"); do
        for which in old new; do
            bin=$old; [ $which = new ] && bin=$new
            /usr/bin/time -f "%U %S" -a -o "$out/$which" taskset -c "$core" "$bin" frames "$clip" --csv "$out/frames.csv" > /dev/null 2>&1 \
                || { echo "compare-builds: $bin frames $clip failed" >&2; exit 1; }
        done
    done
    for which in old new; do
        awk '{ print $1 + $2 }' "$out/$which" | sort -n | awk -v w=$which '{ a[NR] = $1 }
            END { printf "%s: CPU seconds min %.2f, median %.2f, max %.2f (%d runs)\n", w, a[1], (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[NR], NR }'
    done
    ;;
*) usage ;;
esac
