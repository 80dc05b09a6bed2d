"""A PyO3 build configuration for cpyext: Rust extensions (maturin,
setuptools-rust) built by pip on cpyext.

    export PYO3_CONFIG_FILE=$(cpyext -m cpyext.pyo3config [DIR])
    pip install --no-binary rpds-py rpds-py

Asked about the interpreter itself, maturin refuses it (it knows CPython,
PyPy and GraalPy by `platform.python_implementation()`) and PyO3 would
build for the host's version (3.14), not our headers' (3.11). With
PYO3_CONFIG_FILE both take what the file says instead: CPython's API at our
headers' version, our extension suffix. Nothing includes a C header in a
PyO3 build, so the file also has PyO3's build script link a static library
holding our ABI tag (the object our Python.h makes), which the loader
requires of every module.

Writes DIR/pyo3-config.txt and DIR/libcpyext_abi_tag.a (DIR defaults to a
directory under ~/.cache named after our include/), prints the first's path.
pip needs none of this by hand: importing maturin or setuptools_rust under
cpyext writes the default file and sets PYO3_CONFIG_FILE when it is unset
(`ensure_environment`).
"""
import hashlib
import os
import re
import shlex
import struct
import subprocess
import sys
import sysconfig
import tempfile

TAG_LIBRARY = "cpyext_abi_tag"


def header_version(include):
    """(major, minor) of our headers, from patchlevel.h's defines."""
    with open(os.path.join(include, "patchlevel.h"), encoding="utf-8") as f:
        text = f.read()
    found = {name: int(value) for name, value in
             re.findall(r"^#define (PY_MAJOR_VERSION|PY_MINOR_VERSION) (\d+)", text, re.M)}
    return found["PY_MAJOR_VERSION"], found["PY_MINOR_VERSION"]


def default_dir(include):
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha256(os.path.realpath(include).encode()).hexdigest()[:12]
    return os.path.join(cache, "cpyext", "pyo3-" + key)


def build_tag_library(include, out_dir):
    """libcpyext_abi_tag.a: one object that includes our Python.h and nothing else."""
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "cpyext_abi_tag.c")
        obj = os.path.join(tmp, "cpyext_abi_tag.o")
        with open(source, "w", encoding="utf-8") as f:
            f.write('#include "Python.h"\n')
        subprocess.run([*cc, "-c", "-fPIC", "-I", include, source, "-o", obj], check=True)
        library = os.path.join(out_dir, f"lib{TAG_LIBRARY}.a")
        # Written beside, then renamed: a build running now keeps a whole file.
        partial = library + f".{os.getpid()}"
        subprocess.run(["ar", "rcs", partial, obj], check=True)
        os.replace(partial, library)


def config_text(include, out_dir):
    major, minor = header_version(include)
    lines = [
        "implementation=CPython",
        f"version={major}.{minor}",
        # An extension module resolves the API against the running binary.
        "shared=false",
        "abi3=false",
        f"pointer_width={8 * struct.calcsize('P')}",
        "build_flags=",
        "suppress_build_script_link_lines=false",
        # maturin names the module with it; PyO3 ignores it.
        f"ext_suffix={sysconfig.get_config_var('EXT_SUFFIX')}",
        f"extra_build_script_line=cargo:rustc-link-search=native={out_dir}",
        # whole-archive: nothing refers to the tag, and the linker would drop it.
        f"extra_build_script_line=cargo:rustc-link-lib=static:+whole-archive={TAG_LIBRARY}",
    ]
    return "\n".join(lines) + "\n"


def write(out_dir=None):
    include = sysconfig.get_paths()["include"]
    out_dir = os.path.abspath(out_dir or default_dir(include))
    os.makedirs(out_dir, exist_ok=True)
    build_tag_library(include, out_dir)
    path = os.path.join(out_dir, "pyo3-config.txt")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(config_text(include, out_dir))
    os.replace(path + ".tmp", path)
    return path


def ensure_environment():
    """Sets PYO3_CONFIG_FILE, writing the file, unless the user set it.

    cpyext calls this when a Rust build tool is first imported (a meta path
    hook installed at start-up), so `pip install` of a PyO3 package builds
    for cpyext with no setup: the cargo that maturin or setuptools-rust
    starts inherits the variable. A failure is reported and leaves the
    variable unset (maturin then names the interpreter it refuses)."""
    if os.environ.get("PYO3_CONFIG_FILE"):
        return
    try:
        os.environ["PYO3_CONFIG_FILE"] = write()
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"cpyext: could not write a PyO3 configuration for cpyext ({e}); "
              f"see `{os.path.basename(sys.executable)} -m cpyext.pyo3config`", file=sys.stderr)


def main(argv):
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print(f"Usage: {os.path.basename(sys.executable)} -m cpyext.pyo3config [DIR]",
              file=sys.stdout if argv[:1] in (["-h"], ["--help"]) else sys.stderr)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    print(write(argv[0] if argv else None))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
