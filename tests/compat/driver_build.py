"""Builds one package's sdist twice with tests/compat/build_ext.py, for cpyext
and for CPython 3.11, into a work directory; shared by the database-driver
test directories (tests/mysql, tests/postgres), whose build.py names the
package.

Output (under the work directory):
    build-cpyext/   the package built for cpyext      (PYTHONPATH for target/release/cpyext)
    build-cpython/  the package built for CPython 3.11 (PYTHONPATH for python3)
    build-*.log     build_ext.py's output (missing C-API symbols are listed there)
    build-info.json what happened: "header_gaps" lists names our headers lack,
                    "missing_symbols" C-API functions the layer lacks
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD_EXT = os.path.join(ROOT, "tests", "compat", "build_ext.py")
CPYEXT_BIN = os.environ.get("CPYEXT_BIN", os.path.join(ROOT, "target", "release", "cpyext"))
GAP_PATTERNS = [r"unknown type name ‘(\w+)’", r"unknown type name '(\w+)'", r"‘(\w+)’ undeclared",
                r"'(\w+)' undeclared", r"implicit declaration of function ‘(\w+)’",
                r"implicit declaration of function '(\w+)'"]


def header_gaps(text):
    """The names the compiler found undeclared, in order."""
    names = []
    for pat in GAP_PATTERNS:
        for m in re.finditer(pat, text):
            if m.group(1) not in names:
                names.append(m.group(1))
    return names


def missing_symbols(text):
    """The C-API functions build_ext.py found the extension needs and cpyext lacks."""
    m = re.search(r"missing C-API symbols: (.*)", text)
    return [] if not m or m.group(1).strip() == "none" else [s.strip() for s in m.group(1).split(",")]


class DriverBuild:
    """`sdist` is the file name pattern's stem (`mysqlclient-2.3.1`),
    `extension` the (package directory, module) of the C extension that
    proves a build, `setup` the command that downloads the sdist."""

    def __init__(self, work, sdist, extension, setup):
        self.work, self.sdist, self.extension, self.setup = work, sdist, extension, setup
        self.out = {"cpyext": os.path.join(work, "build-cpyext"), "cpython": os.path.join(work, "build-cpython")}
        self.info = os.path.join(work, "build-info.json")

    def sdist_path(self):
        found = sorted(glob.glob(os.path.join(self.work, f"{self.sdist}.tar.gz")))
        return found[0] if found else None

    def built(self, flavor):
        package, module = self.extension
        suffix = "cpython-311" if flavor == "cpython" else "cpyext-311"
        return bool(glob.glob(os.path.join(self.out[flavor], package, f"{module}.{suffix}*.so")))

    def run_build(self, flavor, sdist):
        out, work = self.out[flavor], os.path.join(self.work, f"bw-{flavor}")
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

    def main(self, argv=None):
        """Both builds (`--force` to redo them; `--quiet` prints less); 0 if both work."""
        argv = sys.argv[1:] if argv is None else argv
        sdist = self.sdist_path()
        if not sdist:
            print(f"no {self.sdist}.tar.gz in {self.work}: run {self.setup}", file=sys.stderr)
            return 2
        if "--force" not in argv and os.path.exists(self.info) and self.built("cpyext") and self.built("cpython"):
            if "--quiet" not in argv:
                with open(self.info) as f:
                    print(f.read())
            return 0
        info = {"sdist": sdist}
        rc, text = self.run_build("cpython", sdist)
        with open(os.path.join(self.work, "build-cpython.log"), "w") as f:
            f.write(text)
        info["cpython"] = {"ok": rc == 0 and self.built("cpython")}
        rc, text = self.run_build("cpyext", sdist)
        info["cpyext"] = {"ok": rc == 0 and self.built("cpyext"), "header_gaps": header_gaps(text),
                          "missing_symbols": missing_symbols(text)}
        with open(os.path.join(self.work, "build-cpyext.log"), "w") as f:
            f.write(text)
        with open(self.info, "w") as f:
            json.dump(info, f, indent=2)
        print(json.dumps(info, indent=2))
        for line in text.splitlines():
            if "missing C-API symbols" in line or line.startswith("built "):
                print(line)
        return 0 if info["cpython"]["ok"] and info["cpyext"]["ok"] else 1
