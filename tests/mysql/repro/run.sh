#!/bin/bash
# Builds each reproduction for cpyext and for CPython 3.11 and runs it under both.
#   bash tests/mysql/repro/run.sh
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../../.." && pwd)"
CPYEXT="${CPYEXT_BIN:-$ROOT/target/release/cpyext}"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
PYINC="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
SUFFIX="$(python3 -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"

echo "=== finding 1: header gaps (compile only)"
cc -c -I"$PYINC" "$HERE/header_gaps.c" -o "$OUT/hg.o" && echo "CPython 3.11 headers: compiles"
cc -c -I"$ROOT/include" "$HERE/header_gaps.c" -o "$OUT/hg.o" 2>&1 | grep -E "error|warning: implicit" || echo "cpyext headers: compiles"

for name in tp_new_dict setattr_race; do
    cc -shared -fPIC -O2 -I"$ROOT/include" "$HERE/$name.c" -o "$OUT/$name.cpyext.so" || continue
    cc -shared -fPIC -O2 -I"$PYINC" "$HERE/$name.c" -o "$OUT/$name$SUFFIX" || continue
    echo "=== ${name}_run.py under CPython 3.11"
    for m in set get; do PYTHONPATH="$OUT" python3 "$HERE/${name}_run.py" $m; echo "(exit $?)"; done
    echo "=== ${name}_run.py under cpyext"
    for m in set get; do PYTHONPATH="$OUT" timeout 300 "$CPYEXT" "$HERE/${name}_run.py" $m 2>&1; echo "(exit $?)"; done
done
