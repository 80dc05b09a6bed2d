#!/usr/bin/env python3
"""Builds psycopg2 2.9.13 twice with tests/compat/build_ext.py: for cpyext and for CPython 3.11.

    python3 tests/postgres/build.py [--force] [--quiet]

Output (under tests/postgres/_work/, or $POSTGRES_TEST_WORK):
    build-cpyext/   psycopg2 built for cpyext      (PYTHONPATH for target/release/cpyext)
    build-cpython/  psycopg2 built for CPython 3.11 (PYTHONPATH for python3)
    build-*.log     build_ext.py's output (missing C-API symbols are listed there)
    build-info.json what happened, for run_suite.py and the tests

If the cpyext build meets names our headers lack, build-info.json lists
them under "header_gaps", and C-API functions the layer lacks under
"missing_symbols".
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.abspath(os.environ.get("POSTGRES_TEST_WORK", os.path.join(HERE, "_work")))
CPYEXT_BIN = os.environ.get("CPYEXT_BIN", os.path.join(ROOT, "target", "release", "cpyext"))
BUILD_EXT = os.path.join(ROOT, "tests", "compat", "build_ext.py")
VERSION = "2.9.13"
OUT = {"cpyext": os.path.join(WORK, "build-cpyext"), "cpython": os.path.join(WORK, "build-cpython")}
INFO = os.path.join(WORK, "build-info.json")
GAP_PATTERNS = [r"unknown type name ‘(\w+)’", r"unknown type name '(\w+)'", r"‘(\w+)’ undeclared",
                r"'(\w+)' undeclared", r"implicit declaration of function ‘(\w+)’",
                r"implicit declaration of function '(\w+)'"]


def sdist_path():
    found = sorted(glob.glob(os.path.join(WORK, f"psycopg2-{VERSION}.tar.gz")))
    return found[0] if found else None


def built(flavor):
    suffix = "cpython-311" if flavor == "cpython" else "cpyext-311"
    return bool(glob.glob(os.path.join(OUT[flavor], "psycopg2", f"_psycopg.{suffix}*.so")))


def run_build(flavor, sdist):
    out, work = OUT[flavor], os.path.join(WORK, f"bw-{flavor}")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    env = dict(os.environ, CPYEXT_BIN=CPYEXT_BIN)
    cmd = [sys.executable, BUILD_EXT, sdist, "--out", out, "--work", work, "--flavor", flavor,
           "--cpyext", CPYEXT_BIN]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    text = proc.stdout + proc.stderr
    build_log = os.path.join(work, "build.log")
    if os.path.exists(build_log):
        with open(build_log, errors="replace") as f:
            text += "\n--- build.log ---\n" + f.read()
    return proc.returncode, text


def header_gaps(text):
    names = []
    for pat in GAP_PATTERNS:
        for m in re.finditer(pat, text):
            if m.group(1) not in names:
                names.append(m.group(1))
    return names


def missing_symbols(text):
    m = re.search(r"missing C-API symbols: (.*)", text)
    return [] if not m or m.group(1).strip() == "none" else [s.strip() for s in m.group(1).split(",")]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    force = "--force" in argv
    quiet = "--quiet" in argv
    sdist = sdist_path()
    if not sdist:
        print(f"no psycopg2-{VERSION}.tar.gz in {WORK}: run bash tests/postgres/setup.sh", file=sys.stderr)
        return 2
    if not force and os.path.exists(INFO) and built("cpyext") and built("cpython"):
        with open(INFO) as f:
            info = json.load(f)
        if not quiet:
            print(json.dumps(info, indent=2))
        return 0
    info = {"sdist": sdist}
    rc, text = run_build("cpython", sdist)
    with open(os.path.join(WORK, "build-cpython.log"), "w") as f:
        f.write(text)
    info["cpython"] = {"ok": rc == 0 and built("cpython")}

    rc, text = run_build("cpyext", sdist)
    entry = {"ok": rc == 0 and built("cpyext"), "header_gaps": header_gaps(text),
             "missing_symbols": missing_symbols(text)}
    info["cpyext"] = entry
    with open(os.path.join(WORK, "build-cpyext.log"), "w") as f:
        f.write(text)
    with open(INFO, "w") as f:
        json.dump(info, f, indent=2)
    print(json.dumps(info, indent=2))
    for line in text.splitlines():
        if "missing C-API symbols" in line or line.startswith("built "):
            print(line)
    return 0 if info["cpython"]["ok"] and entry["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
