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

# Real packages from their source releases, built against include/ by
# CPython 3.11 driving setuptools (docs/building-packages.md).
sites=extension_samples/build/site
mkdir -p extension_samples/build/sdists
for spec in pysqlite3==0.6.1 markupsafe==3.0.4; do
    name=${spec%%==*}
    if [ ! -d "$sites/$name" ]; then
        python3 -m pip download -q --no-deps --no-binary :all: "$spec" -d extension_samples/build/sdists \
            && python3 tests/compat/build_ext.py extension_samples/build/sdists/"$name"-*.tar.gz --out "$sites/$name" >/dev/null \
            || { echo "demo: could not build $spec (offline?); skipping it"; continue; }
    fi
done
[ -d "$sites/pysqlite3" ] && PYTHONPATH="$sites/pysqlite3" target/release/cpyext extension_samples/sqlite_demo.py
[ -d "$sites/markupsafe" ] && PYTHONPATH="$sites/markupsafe" target/release/cpyext extension_samples/markupsafe_demo.py
exit 0
