"""Build a C test extension twice (CPython 3.11 headers, our headers) and run
its script under both interpreters. Used by the pytest suite and from the
command line:

    python3 tests/harness.py NAME [--cpython-only]

A test is tests/capi/NAME_ext.c (module NAME_ext) plus tests/capi/NAME_test.py.
"""
import os
import subprocess
import sys
import sysconfig

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
CAPI = os.path.join(TESTS, "capi")
BUILD = os.path.join(TESTS, "_build")
OUR_INCLUDE = os.path.join(ROOT, "include")
CPYEXT_BIN = os.environ.get("CPYEXT_BIN", os.path.join(ROOT, "target", "release", "cpyext"))
CPYTHON = os.environ.get("CPYTHON_BIN", "python3.11")

CPYTHON_SUFFIX = ".cpython-311-x86_64-linux-gnu.so"
OUR_SUFFIX = ".cpyext.so"
CFLAGS = ["-shared", "-fPIC", "-O1", "-g", "-Wall", "-Werror=implicit-function-declaration"]


def cpython_include():
    out = subprocess.run([CPYTHON, "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def build(source, flavor, module=None, extra=(), compiler="cc", build_dir=BUILD):
    """Compile `source` into <build_dir>/<flavor>/; return the output directory."""
    module = module or os.path.splitext(os.path.basename(source))[0]
    outdir = os.path.join(build_dir, flavor)
    os.makedirs(outdir, exist_ok=True)
    if flavor == "cpython":
        include, suffix = cpython_include(), CPYTHON_SUFFIX
    else:
        include, suffix = OUR_INCLUDE, OUR_SUFFIX
    target = os.path.join(outdir, module + suffix)
    cmd = [compiler, *CFLAGS, "-I", include, source, "-o", target, "-lpthread", *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"build of {source} for {flavor} failed:\n{' '.join(cmd)}\n{proc.stderr}")
    return outdir


def interpreter(flavor):
    return CPYTHON if flavor == "cpython" else CPYEXT_BIN


def run_script(script, flavor, path, timeout=300, args=()):
    env = dict(os.environ)
    env["PYTHONPATH"] = path
    env["PYTHONHASHSEED"] = "0"
    env.pop("PYTHONHOME", None)
    return subprocess.run([interpreter(flavor), script, *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=os.path.dirname(script))


def run_both(cwd, args, timeout=300):
    """Runs `args` under CPython 3.11 and under cpyext in `cwd`, each required
    to succeed; returns their two outputs."""
    outputs = []
    for python in (CPYTHON, CPYEXT_BIN):
        proc = subprocess.run([python, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout)
        assert proc.returncode == 0, (python, proc.stderr[-2000:])
        outputs.append(proc.stdout)
    return outputs


def run_pair(name, flavor):
    source = os.path.join(CAPI, name + "_ext.c")
    script = os.path.join(CAPI, name + "_test.py")
    path = build(source, flavor)
    return run_script(script, flavor, path)


def names():
    return sorted(f[:-len("_ext.c")] for f in os.listdir(CAPI) if f.endswith("_ext.c"))


if __name__ == "__main__":
    name = sys.argv[1]
    flavors = ["cpython"] if "--cpython-only" in sys.argv else ["cpython", "cpyext"]
    results = {}
    for flavor in flavors:
        proc = run_pair(name, flavor)
        results[flavor] = proc
        print(f"===== {flavor}: exit {proc.returncode}")
        print(proc.stdout, end="")
        if proc.stderr:
            print(f"----- {flavor} stderr\n{proc.stderr}", end="")
    if len(results) == 2:
        a, b = results["cpython"].stdout.splitlines(), results["cpyext"].stdout.splitlines()
        import difflib
        diff = list(difflib.unified_diff(a, b, "cpython", "cpyext", lineterm=""))
        print("SAME OUTPUT" if not diff else "\n".join(diff))
        failed = diff or any(p.returncode != 0 for p in results.values())
        sys.exit(1 if failed else 0)
