#!/usr/bin/env bash
# Renders an evaluation report in a real browser (headless Chromium) and checks what came out.
#
#   bench/render-report.sh [REPORT.html [OUT.png]]
#
# With no report given, makes one with `smile eval-detection` (voc_boxes when
# SMILE_DATA is set, else the sample photo with its known face box). Checks:
# the HTML has every section id, the PNG exists, and it is not blank (a pure
# python3 PNG decode: enough pixels differ from the background).
# Exit 0: rendered and checked; 1: a check failed; 77: no Chromium here.
set -euo pipefail
cd "$(dirname "$0")/.."
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then echo "render-report: chromium not installed: skipped"; exit 77; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
html="${1:-}"
png="${2:-$work/report.png}"
if [ -z "$html" ]; then
  bin=.build/debug/smile
  [ -x "$bin" ] || swift build --product smile >/dev/null
  if [ -n "${SMILE_DATA:-}" ]; then
    "$bin" eval-detection "$SMILE_DATA/realworld/voc_boxes/training.xml" "$SMILE_DATA/realworld/voc_boxes/testing.xml" --report "$work/r" >/dev/null
  else
    printf 'path,x,y,w,h,label\n%s,177,67,93,93,1\n' "$PWD/samples/astronaut.jpg" > "$work/boxes.csv"
    "$bin" eval-detection "$work/boxes.csv" --report "$work/r" >/dev/null
  fi
  html="$work/r/report.html"
fi
[ -f "$html" ] || { echo "render-report: no report at $html"; exit 1; }

for id in summary confusion roc zoom detection gallery; do
  grep -q "<section id=\"$id\">" "$html" || { echo "render-report: section '$id' missing from $html"; exit 1; }
done

abs="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --screenshot="$png" --window-size=1200,3000 "file://$abs" >/dev/null 2>&1 || true
[ -s "$png" ] || { echo "render-report: chromium wrote no PNG"; exit 1; }

python3 - "$png" <<'PY'
import struct, sys, zlib
path = sys.argv[1]
data = open(path, 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, width = 8, b'', 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        width, height, depth, colour = struct.unpack('>IIBB', body[:10])
        assert depth == 8 and colour in (2, 6), f'unexpected PNG format depth {depth} colour {colour}'
        bpp = 3 if colour == 2 else 4
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
inked = total = 0
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 4: continue
    for x in range(0, width, 4):
        r, g, bl = line[x * bpp:x * bpp + 3]
        total += 1
        if r + g + bl < 600: inked += 1
share = inked / total
print(f'render-report: {path}: {width}x{height}, {share:.1%} of sampled pixels inked')
sys.exit(0 if share > 0.002 else 1)  # a text-only page inks about 1%; blank is 0
PY
echo "render-report: ok ($html -> $png)"
