#!/usr/bin/env bash
# `make install` into a temporary prefix, then the installed tool run from another directory, by
# its path and through PATH, with no SMILE_* variables: it must find its model, YuNet and the
# cascades under PREFIX/share/smile. Run by `make test-install` and .ci/run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$(mktemp -d)"; work="$(mktemp -d)"
trap 'rm -rf "$prefix" "$work"' EXIT
unset SMILE_MODEL SMILE_CASCADE_DIR SMILE_DETECTOR_MODEL
make -C "$root" install PREFIX="$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }

fail() { echo "install test: $*" >&2; exit 1; }
for file in bin/smile share/smile/models/smile-default.safetensors share/smile/models/yunet/face_detection_yunet_2022mar.onnx \
            share/smile/models/yunet/LICENSE share/smile/cascades/haarcascade_frontalface_default.xml \
            share/man/man1/smile.1 share/bash-completion/completions/smile share/zsh/site-functions/_smile \
            share/fish/vendor_completions.d/smile.fish; do
  [ -s "$prefix/$file" ] || fail "$file was not installed"
done
bash -n "$prefix/share/bash-completion/completions/smile" || fail "the bash completion does not parse"
grep -q '^\.Dt SMILE 1' "$prefix/share/man/man1/smile.1" || fail "smile.1 is not a man page"

cp "$root/samples/astronaut.jpg" "$work/"
cd "$work"
"$prefix/bin/smile" annotate astronaut.jpg --out by-path 2>"$work/err1" || { cat "$work/err1"; fail "annotate by path failed"; }
PATH="$prefix/bin:$PATH" smile annotate astronaut.jpg --out by-name --detector yunet 2>"$work/err2" || { cat "$work/err2"; fail "annotate through PATH failed"; }
for table in by-path/faces.csv by-name/faces.csv; do
  [ "$(grep -c '^astronaut.jpg,0,' "$table")" = 1 ] || fail "$table has not the one face: $(cat "$table")"
done
PATH="$prefix/bin:$PATH" smile model info | grep -q 'smile-default.safetensors' || fail "model info does not name the installed model"
echo "install test: installed into a temporary prefix; annotate found the model, YuNet and the cascades from $work"
