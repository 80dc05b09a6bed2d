"""PyYAML's Cython extension (yaml._yaml, over libyaml) under both interpreters.

    python3 tests/cython/pyyaml.py [SDIST_OR_DIR] [--cpython-only]

Without an argument the PyYAML 6.0.3 sdist is fetched with pip (CPython
3.11's). The C file is regenerated from yaml/_yaml.pyx with the installed
Cython, built with the README recipe plus libyaml (`-I yaml ... -lyaml`)
against CPython's headers and ours, and tests/cython/pyyaml_test.py runs
under each interpreter with the pure-Python part of the package next to the
extension. Prints how far the cpyext side gets: build, import, same output.
Needs libyaml-dev.
"""
import difflib
import glob
import os
import shutil
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run  # noqa: E402

BUILD = os.path.join(run.BUILD, "pyyaml")
VERSION = "6.0.3"


def source_tree(arg):
    """The unpacked sdist directory (fetched with pip when no argument)."""
    if arg and os.path.isdir(arg):
        return arg
    os.makedirs(BUILD, exist_ok=True)
    sdist = arg
    if not sdist:
        found = glob.glob(os.path.join(BUILD, f"[Pp]y[Yy][Aa][Mm][Ll]-{VERSION}.tar.gz"))
        if not found:
            # --no-build-isolation: pip must not build Cython from source to
            # read metadata; PyYAML's setup.py then needs `wheel` at hand.
            subprocess.run([run.harness.CPYTHON, "-m", "pip", "install", "-q", "wheel"], check=False,
                           capture_output=True)
            subprocess.run([run.harness.CPYTHON, "-m", "pip", "download", "-q", "--no-binary", ":all:", "--no-deps",
                            "--no-build-isolation", f"PyYAML=={VERSION}", "-d", BUILD], check=True)
            found = glob.glob(os.path.join(BUILD, f"[Pp]y[Yy][Aa][Mm][Ll]-{VERSION}.tar.gz"))
        sdist = found[0]
    with tarfile.open(sdist) as tar:
        top = tar.getnames()[0].split("/")[0]
        tar.extractall(BUILD)
    return os.path.join(BUILD, top)


def build(tree, flavor):
    """(ok, messages): the package laid out for `flavor` under BUILD/flavor."""
    c_file = run.cythonize(os.path.join(tree, "yaml", "_yaml.pyx"), os.path.join(BUILD, "c"))
    pkg_root = os.path.join(BUILD, flavor)
    shutil.rmtree(pkg_root, ignore_errors=True)
    shutil.copytree(os.path.join(tree, "lib", "yaml"), os.path.join(pkg_root, "yaml"))
    ok, errors = run.compile_c(c_file, flavor, os.path.join(pkg_root, "yaml"), module="_yaml",
                               extra=["-I", os.path.join(tree, "yaml")], libs=["-lyaml"])
    return ok, errors, pkg_root


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    tree = source_tree(args[0] if args else None)
    script = os.path.join(HERE, "pyyaml_test.py")
    outputs = {}
    for flavor in (["cpython"] if "--cpython-only" in argv else ["cpython", "cpyext"]):
        ok, errors, pkg_root = build(tree, flavor)
        if not ok:
            names = sorted({line.split("error: ")[1] for line in errors.splitlines() if "error: " in line})
            print(f"===== {flavor}: BUILD FAILED ({len(names)} distinct errors)")
            print("\n".join(names[:60]))
            return 1
        proc = run.harness.run_script(script, flavor, pkg_root, timeout=120)
        outputs[flavor] = proc.stdout + (f"----- stderr (exit {proc.returncode})\n{proc.stderr}" if proc.returncode else "")
        print(f"===== {flavor}: exit {proc.returncode}")
    if len(outputs) == 2:
        diff = list(difflib.unified_diff(outputs["cpython"].splitlines(), outputs["cpyext"].splitlines(),
                                         "cpython", "cpyext", lineterm=""))
        print("SAME OUTPUT" if not diff else "\n".join(diff[:100]))
        return 0 if not diff else 1
    print(outputs["cpython"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
