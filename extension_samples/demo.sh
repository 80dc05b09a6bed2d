#!/usr/bin/env bash
# The demo: builds cpyext and the sample extensions against include/, then
# imports and runs them under cpyext.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/setup.sh
out=extension_samples/build
mkdir -p "$out"
for src in extension_samples/*.c; do
    name=$(basename "$src" .c)
    # The whole recipe for building an extension for cpyext:
    cc -shared -fPIC -I include "$src" -o "$out/$name.cpyext.so"
done
PYTHONPATH="$out" target/release/cpyext extension_samples/demo.py
