#!/usr/bin/env bash
# AddressSanitizer run: builds cpyext with nightly's -Zsanitizer=address
# into target/asan (its own target dir: every dependency is rebuilt once),
# the C shims and the test extensions with -fsanitize=address, then runs a
# slice of the tests against that binary. Extra arguments go to pytest.
#
#   bash tests/asan/run.sh                      # build + test_capi + fuzz
#   bash tests/asan/run.sh -k dict              # a subset
#   ASAN_BUILD_ONLY=1 bash tests/asan/run.sh    # just the build
#
# Std is not rebuilt (no -Zbuild-std, which needs the rust-src component):
# Rust code in std is not instrumented, ours and our dependencies' is.
# `--target` keeps the sanitizer off build scripts and proc macros.
# Leak detection is off: the layer leaks type objects and method tables on
# purpose (they live as long as the process).
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=x86_64-unknown-linux-gnu
export CARGO_TARGET_DIR=target/asan
export RUSTFLAGS="-Zsanitizer=address -Cforce-frame-pointers=yes -Clink-arg=-Wl,--export-dynamic-symbol=__asan_*"
export CFLAGS_x86_64_unknown_linux_gnu="-fsanitize=address -fno-omit-frame-pointer"
nice cargo build --release --target "$TARGET"
[[ -n ${ASAN_BUILD_ONLY:-} ]] && exit 0
export CPYEXT_BIN="$PWD/target/asan/$TARGET/release/cpyext"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:allocator_may_return_null=1:detect_stack_use_after_return=0"
export PATH="$PWD/tests/asan:$PATH"
if (( $# == 0 )); then
    set -- tests/test_capi.py tests/test_fuzz.py
fi
python3 -m pytest -q "$@"
