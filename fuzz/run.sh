#!/usr/bin/env bash
# Fuzzes the safetensors reader with libFuzzer + AddressSanitizer.
#
#   fuzz/run.sh [seconds=60] [extra libFuzzer flags...]
#
# Builds fuzz/.build/safetensors-fuzz from Tensor.swift, SafeTensors*.swift and
# fuzz/SafeTensorsFuzz.swift with swiftc directly (checked arithmetic, -O), then runs it on a
# scratch copy of fuzz/corpus so the checked-in seeds stay small. Crash inputs land in
# fuzz/.build/artifacts/. New interesting inputs are not copied back; do that by hand if wanted.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true

build=fuzz/.build
mkdir -p "$build/artifacts"
binary="$build/safetensors-fuzz"

swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name SafeTensorsFuzz \
    Sources/SmileNN/Tensor.swift Sources/SmileNN/SafeTensors*.swift fuzz/SafeTensorsFuzz.swift \
    -o "$binary"

work=$(mktemp -d "${TMPDIR:-/tmp}/safetensors-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp fuzz/corpus/* "$work"/

"$binary" "$work" \
    -max_total_time="$seconds" \
    -max_len=4096 \
    -dict=fuzz/safetensors.dict \
    -rss_limit_mb=2048 \
    -timeout=10 \
    -artifact_prefix="$build/artifacts/" \
    -print_final_stats=1 \
    "$@"
