#!/usr/bin/env python3
"""Builds mysqlclient 2.3.1 twice with tests/compat/build_ext.py: for cpyext and for CPython 3.11.

    python3 tests/mysql/build.py [--force] [--quiet]

Output (under tests/mysql/_work/, or $MYSQL_TEST_WORK):
    build-cpyext/   MySQLdb built for cpyext      (PYTHONPATH for target/release/cpyext)
    build-cpython/  MySQLdb built for CPython 3.11 (PYTHONPATH for python3)
    build-*.log     build_ext.py's output (missing C-API symbols are listed there)
    build-info.json what happened, for run_suite.py and the tests

If the cpyext build fails on names our headers lack, build-info.json lists
them under "header_gaps".
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
WORK = os.path.abspath(os.environ.get("MYSQL_TEST_WORK", os.path.join(HERE, "_work")))
CPYEXT_BIN = os.environ.get("CPYEXT_BIN", os.path.join(ROOT, "target", "release", "cpyext"))
BUILD_EXT = os.path.join(ROOT, "tests", "compat", "build_ext.py")
VERSION = "2.3.1"
OUT = {"cpyext": os.path.join(WORK, "build-cpyext"), "cpython": os.path.join(WORK, "build-cpython")}
INFO = os.path.join(WORK, "build-info.json")
GAP_PATTERNS = [r"unknown type name ‘(\w+)’", r"unknown type name '(\w+)'", r"‘(\w+)’ undeclared",
                r"'(\w+)' undeclared", r"implicit declaration of function ‘(\w+)’",
                r"implicit declaration of function '(\w+)'"]


def sdist_path():
    found = sorted(glob.glob(os.path.join(WORK, f"mysqlclient-{VERSION}.tar.gz")))
    return found[0] if found else None


def built(flavor):
    suffix = "cpyext-311" if flavor == "cpyext" else "cpython-311"
    return bool(glob.glob(os.path.join(OUT[flavor], "MySQLdb", f"_mysql.{suffix}*.so")))


def run_build(flavor, sdist, cflags=None):
    out, work = OUT[flavor], os.path.join(WORK, f"bw-{flavor}")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    env = dict(os.environ, CPYEXT_BIN=CPYEXT_BIN)
    if cflags:
        env["CFLAGS"] = (env.get("CFLAGS", "") + " " + cflags).strip()
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
        print(f"no mysqlclient-{VERSION}.tar.gz in {WORK}: run bash tests/mysql/setup.sh", file=sys.stderr)
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
    log = text
    entry = {"ok": rc == 0 and built("cpyext"), "header_gaps": header_gaps(text)}
    entry["missing_symbols"] = missing_symbols(text)
    info["cpyext"] = entry
    with open(os.path.join(WORK, "build-cpyext.log"), "w") as f:
        f.write(log)
    with open(INFO, "w") as f:
        json.dump(info, f, indent=2)
    print(json.dumps(info, indent=2))
    for line in text.splitlines():
        if "missing C-API symbols" in line or line.startswith("built "):
            print(line)
    return 0 if info["cpython"]["ok"] and entry["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
