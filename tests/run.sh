#!/usr/bin/env bash
# The test command: set-up, build, then every test (CPython 3.11 is the oracle).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/setup.sh
python3 -m pytest tests -q "$@"
