#!/usr/bin/env bash
# Installs what building and testing need, then builds target/release/cpyext.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# bindgen needs libclang to read include/.
if ! ls /usr/lib/llvm-*/lib/libclang.so* /usr/lib/x86_64-linux-gnu/libclang-*.so* >/dev/null 2>&1; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq libclang-dev >/dev/null
fi
# pysqlite3 builds against Debian's SQLite (tests/sqlite).
# PyYAML's Cython extension (tests/test_cython.py) links libyaml.
[ -e /usr/include/yaml.h ] || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq libyaml-dev >/dev/null; }
[ -e /usr/include/sqlite3.h ] || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq libsqlite3-dev >/dev/null; }
# tests/bench/run.py puts PyPy 3.9 (its cpyext and its builtins) beside CPython and cpyext.
command -v pypy3 >/dev/null && [ -e /usr/include/pypy3.9/Python.h ] || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq pypy3 pypy3-dev >/dev/null; }
command -v cc >/dev/null || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq gcc >/dev/null; }
# SWIG: test_swig.py builds its samples in both styles.
command -v swig >/dev/null || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq swig >/dev/null; }
# CMake: test_sysconfig.py builds a module through FindPython, as scikit-build-core does.
command -v cmake >/dev/null || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq cmake >/dev/null; }
# RustPython's ssl module (the `ssl-openssl` feature) builds against Debian's OpenSSL.
[ -e /usr/include/openssl/ssl.h ] && command -v pkg-config >/dev/null || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq libssl-dev pkg-config >/dev/null; }
python3 -m pytest --version >/dev/null 2>&1 || python3 -m pip install -q pytest
# The header test reads CPython's headers and ours with libclang's Python binding.
python3 -c "import clang.cindex" 2>/dev/null || python3 -m pip install -q libclang

# Pure-Python wheels of pip, setuptools and pytest, for the tests that run them
# on cpyext (tests/test_sysconfig.py skips those without them), and pybind11
# and nanobind, which tests/pybind11 builds against. Offline, skip.
WHEELS="${CPYEXT_COMPAT_CACHE:-$HOME/.cache/cpyext-compat}/wheels"
python3 -m pip download -q --disable-pip-version-check --only-binary :all: --platform any \
    --implementation py --python-version 3.14 --abi none -d "$WHEELS" pip setuptools pytest pybind11 nanobind \
    || echo "setup.sh: could not download wheels into $WHEELS; the tests that need them will be skipped" >&2

cargo build --release

# ensurepip (and so `cpyext -m venv`) installs pip from target/wheels, the
# binary's default WHEEL_PKG_DIR: the frozen stdlib has no bundled wheel.
mkdir -p target/wheels
for name in pip setuptools; do
    newest=$(ls "$WHEELS"/$name-[0-9]*-py3-none-any.whl 2>/dev/null | sort -V | tail -1 || true)
    [ -n "$newest" ] && cp -u "$newest" target/wheels/
done

# mysqlclient and a MariaDB server to run it against (tests/mysql); the
# tests skip if this could not be done.
bash tests/mysql/setup.sh || echo "setup.sh: mysqlclient set-up failed; tests/mysql will skip" >&2
python3 tests/mysql/build.py --quiet --force >/dev/null || echo "setup.sh: mysqlclient did not build; see tests/mysql/_work/" >&2
bash tests/postgres/setup.sh || echo "setup.sh: psycopg2 set-up failed; tests/postgres will skip" >&2
python3 tests/postgres/build.py --quiet --force >/dev/null || echo "setup.sh: psycopg2 did not build; see tests/postgres/_work/" >&2
