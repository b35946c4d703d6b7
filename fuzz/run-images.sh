#!/usr/bin/env bash
# Fuzzes the image decoding of the OpenCV shim (cvs_decode_buffer) with libFuzzer + AddressSanitizer.
#
#   fuzz/run-images.sh [seconds=60] [extra libFuzzer flags...]
#
# Builds fuzz/.build/image-decode-fuzz from Sources/CCVShim/*.cpp (instrumented) and
# fuzz/ImageDecodeFuzz.c with clang, then runs it on a scratch copy of fuzz/image-corpus (small
# JPEGs and PNGs of each kind: gray, colour, CMYK, progressive, EXIF-rotated, palette, alpha).
# Crash inputs land in fuzz/.build/artifacts/.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true

build=fuzz/.build/image-decode
mkdir -p "$build" fuzz/.build/artifacts
binary=fuzz/.build/image-decode-fuzz
flags=(-O1 -g -fsanitize=address,fuzzer-no-link -ffp-contract=off -I Sources/CCVShim/include -I /usr/include/opencv4)

objects=()
for source in Sources/CCVShim/*.cpp; do
    object="$build/$(basename "${source%.cpp}").o"
    clang++ -std=c++17 "${flags[@]}" -c "$source" -o "$object"
    objects+=("$object")
done
clang "${flags[@]}" -c fuzz/ImageDecodeFuzz.c -o "$build/ImageDecodeFuzz.o"
clang++ -fsanitize=address,fuzzer "$build/ImageDecodeFuzz.o" "${objects[@]}" \
    -lopencv_core -lopencv_imgproc -lopencv_objdetect -ljpeg -lpng16 -ldl -o "$binary"

work=$(mktemp -d "${TMPDIR:-/tmp}/image-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp fuzz/image-corpus/* "$work"/

ASAN_OPTIONS=detect_leaks=0 "$binary" "$work" \
    -max_total_time="$seconds" \
    -max_len=8192 \
    -rss_limit_mb=2048 \
    -timeout=10 \
    -artifact_prefix=fuzz/.build/artifacts/ \
    -print_final_stats=1 \
    "$@"
