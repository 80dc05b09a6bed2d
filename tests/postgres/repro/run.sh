#!/bin/bash
# Runs each reproduction of FINDINGS.md under CPython 3.11 and cpyext.
#   bash tests/postgres/repro/run.sh
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../../.." && pwd)"
CPYEXT="${CPYEXT_BIN:-$ROOT/target/release/cpyext}"

echo "=== dict_update_atomic.py under CPython 3.11"
python3 "$HERE/dict_update_atomic.py"; echo "(exit $?)"
echo "=== dict_update_atomic.py under cpyext"
timeout 300 "$CPYEXT" "$HERE/dict_update_atomic.py" 2>&1; echo "(exit $?)"

echo "=== PYTHONUNBUFFERED=1, then abort(): CPython 3.11"
PYTHONUNBUFFERED=1 python3 -c "print('before'); import os; os.abort()" 2>/dev/null | cat
echo "=== PYTHONUNBUFFERED=1, then abort(): cpyext"
PYTHONUNBUFFERED=1 "$CPYEXT" -c "print('before'); import os; os.abort()" 2>/dev/null | cat
echo "(end)"
