"""The Rust unit tests of the object model (`#[cfg(test)]` modules in
cpyext/src: the proxy arena and its quarantine, the address hasher, the
GIL, the deferred-release list), run by `cargo test --release` so that
they reuse the release build's dependencies."""
import os
import subprocess

import harness


def test_cargo_unit_tests_pass():
    proc = subprocess.run(["cargo", "test", "--release", "--quiet"], cwd=harness.ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, "cargo test failed:\n%s\n%s" % (proc.stdout[-5000:], proc.stderr[-5000:])
    assert "test result: ok" in proc.stdout, proc.stdout
