#!/usr/bin/env python3
"""Build a package's C extensions for cpyext with CPython 3.11, and install it.

    python3 tests/compat/build_ext.py SDIST_OR_DIR --out DIR
            [--flavor cpyext|cpython] [--build-env isolated|host]
            [--cpyext BIN] [--cache DIR] [--work DIR]

This is the build path that needs nothing on RustPython: CPython 3.11 runs the
package's own PEP 517 build (setuptools, usually), as `pip wheel` would, but
with cpyext's build variables in place of CPython's:

- CPython's sysconfig reads its build variables from the module named by
  `_PYTHON_SYSCONFIGDATA_NAME` (the hook meant for cross-compiling). We name
  `tests/compat/sysconfigdata/_sysconfigdata_cpyext.py`, which lays the
  variables that `cpyext`'s own sysconfig reports (asked of the binary:
  `INCLUDEPY`, `EXT_SUFFIX`, `CC`, `CFLAGS`, `LDSHARED`, ...) over CPython's.
  setuptools then compiles with `-I <cpyext>/include` and names modules
  `NAME.cpyext-311-x86_64-linux-gnu.so`, exactly as it does under cpyext.
- The compilers are wrappers that log every command line. After the build,
  every include directory on those lines that holds a `Python.h` must be
  cpyext's include/, and gcc's default search path must hold none: CPython's
  headers cannot be picked up. Every built module must carry cpyext's ABI tag.
- The wheel is unpacked into DIR (pure-Python files, extensions and
  dist-info), so `PYTHONPATH=DIR target/release/cpyext` imports the package.

`--flavor cpython` builds the same package for CPython (its own variables),
for comparison. `--build-env isolated` (the default) installs the package's
build requirements into a cached venv, which needs the network the first
time; `--build-env host` uses python3.11 and whatever it has installed.
The environment's CC/CXX/LDSHARED/LDCXXSHARED/CPP are ignored for the cpyext
flavor (the logging wrappers take their place); CFLAGS, CPPFLAGS and LDFLAGS
still apply.
"""
import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CPYEXT_BIN = os.environ.get("CPYEXT_BIN", os.path.join(ROOT, "target", "release", "cpyext"))
CPYTHON = os.environ.get("CPYTHON_BIN", "python3.11")
CACHE = os.environ.get("CPYEXT_COMPAT_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "cpyext-compat"))
SHIM_DIR = os.path.join(HERE, "sysconfigdata")
SHIM_NAME = "_sysconfigdata_cpyext"

# The variables cpyext's sysconfig sets for building extensions. SOABI is not
# among them: a wheel's tags are checked against the interpreter that builds
# it, so it stays CPython's (the wheel is only unpacked, never installed by pip).
BUILD_VAR_NAMES = [
    "EXT_SUFFIX", "SHLIB_SUFFIX", "INCLUDEPY", "CONFINCLUDEPY", "CC", "CXX",
    "LDSHARED", "BLDSHARED", "LDCXXSHARED", "CCSHARED", "CFLAGS", "OPT", "BASECFLAGS",
    "CPPFLAGS", "LDFLAGS", "Py_ENABLE_SHARED",
]
# Environment variables that would bypass the logging compiler wrappers.
COMPILER_ENV = ["CC", "CXX", "LDSHARED", "LDCXXSHARED", "CPP"]
ARCHIVES = (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip")


class BuildError(Exception):
    pass


@dataclass
class Build:
    flavor: str
    tree: str = ""  # the unpacked source tree
    artifact: str = ""  # the wheel, or the directory `setup.py build` filled
    log: str = ""
    commands: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    extensions: list = field(default_factory=list)  # relative to the install directory

    def module_names(self, *suffixes):
        """Dotted module names of the extensions built with one of `suffixes`."""
        return sorted(p[: -len(s)].replace("/", ".") for p in self.extensions for s in suffixes if p.endswith(s))


def run(cmd, log, **kw):
    """Runs `cmd`, appending its output to the file `log`; returns the exit code."""
    with open(log, "a", encoding="utf-8") as out:
        out.write("$ " + " ".join(cmd) + "\n")
        out.flush()
        return subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, **kw).returncode


def unpack(source, work):
    """Copies or extracts the source tree into `work`; returns the tree's path."""
    dest = os.path.join(work, "src")
    if os.path.isdir(source):
        ignore = shutil.ignore_patterns("build", "dist", "__pycache__", "*.so", ".pytest_cache")
        shutil.copytree(source, dest, ignore=ignore)
        return dest
    if not source.endswith(ARCHIVES):
        raise BuildError(f"{source}: neither a directory nor a source archive")
    os.makedirs(dest)
    if source.endswith(".zip"):
        with zipfile.ZipFile(source) as z:
            z.extractall(dest)
    else:
        with tarfile.open(source) as t:
            t.extractall(dest, filter="data")
    entries = os.listdir(dest)
    return os.path.join(dest, entries[0]) if len(entries) == 1 else dest


def drop_fetch(tree):
    """apsw: build against the system's SQLite (Debian's libsqlite3-dev)
    instead of downloading one: `fetch = True` goes from setup.cfg."""
    path = os.path.join(tree, "setup.cfg")
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(line for line in lines if not re.match(r"\s*fetch\s*=", line))


# Per-package changes to an unpacked sdist, keyed by the name its tree
# starts with; each one is documented in docs/building-packages.md.
RECIPES = {"apsw-": drop_fetch}


def apply_recipe(tree, log):
    for prefix, recipe in RECIPES.items():
        if os.path.basename(tree).lower().startswith(prefix):
            recipe(tree)
            with open(log, "a") as f:
                f.write(f"recipe: {recipe.__name__} ({recipe.__doc__.splitlines()[0]})\n")


def build_system(tree):
    """(requires, backend, backend_path) from pyproject.toml, with PEP 517's defaults."""
    import tomllib
    table = {}
    path = os.path.join(tree, "pyproject.toml")
    if os.path.exists(path):
        with open(path, "rb") as f:
            table = tomllib.load(f).get("build-system", {})
    requires = table.get("requires", ["setuptools>=40.8.0"])
    backend = table.get("build-backend", "setuptools.build_meta:__legacy__")
    return list(requires), backend, list(table.get("backend-path", []))


def build_python(requires, env_kind, cache, log):
    """The python that runs the backend: python3.11 itself, or a cached venv with `requires`."""
    if env_kind == "host":
        return shutil.which(CPYTHON) or CPYTHON
    version = subprocess.run([CPYTHON, "-c", "import sys; print(sys.version)"], capture_output=True, text=True,
                             check=True).stdout
    key = hashlib.sha256(json.dumps([sorted(requires), version, "upgraded"]).encode()).hexdigest()[:16]
    venv = os.path.join(cache, "buildenv-" + key)
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(os.path.join(venv, ".complete")):
        shutil.rmtree(venv, ignore_errors=True)
        if run([CPYTHON, "-m", "venv", venv], log) != 0:
            raise BuildError(f"could not create a venv in {venv}")
        # --upgrade: a venv comes with python3.11's setuptools 65.5, which an
        # unpinned requirement would accept; an isolated build gets the latest.
        if requires and pip_install(python, ["--upgrade", *requires], log) != 0:
            raise BuildError(f"could not install the build requirements {requires}")
        open(os.path.join(venv, ".complete"), "w").close()
    return python


def pip_install(python, requirements, log):
    return run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *requirements], log)


def cpyext_build_vars(cpyext_bin):
    """The build variables that the cpyext binary's sysconfig reports."""
    code = ("import json, sysconfig; print(json.dumps({n: sysconfig.get_config_var(n) for n in %r}))"
            % (BUILD_VAR_NAMES,))
    proc = subprocess.run([cpyext_bin, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(f"{cpyext_bin} could not report its build variables:\n{proc.stderr}")
    values = json.loads(proc.stdout)
    if not values.get("INCLUDEPY") or not os.path.exists(os.path.join(values["INCLUDEPY"], "Python.h")):
        raise BuildError(f"cpyext's include directory {values.get('INCLUDEPY')!r} has no Python.h "
                         "(set CPYEXT_INCLUDE)")
    return values


def compiler_wrappers(bindir, log_file):
    """Writes `cc` and `c++` into `bindir`: they log their command line, then run the real one."""
    os.makedirs(bindir, exist_ok=True)
    for name in ("cc", "c++"):
        real = shutil.which(name)
        if real is None:
            raise BuildError(f"no `{name}` on PATH")
        path = os.path.join(bindir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"#!{sys.executable} -I\n"
                    "import json, os, sys\n"
                    f"argv = [{real!r}] + sys.argv[1:]\n"
                    f"with open({log_file!r}, 'a', encoding='utf-8') as log:\n"
                    "    log.write(json.dumps(argv) + '\\n')\n"
                    "os.execv(argv[0], argv)\n")
        os.chmod(path, 0o755)


def abi_tag_object(include, bindir):
    """An object file that carries cpyext's ABI tag (it includes our
    Python.h and nothing else), for builds that never include a header:
    Rust extensions (PyO3) link it in through RUSTFLAGS."""
    os.makedirs(bindir, exist_ok=True)
    source = os.path.join(bindir, "cpyext_abi_tag.c")
    obj = os.path.join(bindir, "cpyext_abi_tag.o")
    with open(source, "w", encoding="utf-8") as f:
        f.write('#include "Python.h"\n')
    subprocess.run(["cc", "-c", "-fPIC", "-I", include, source, "-o", obj], check=True)
    return obj


# What Rust build tools (maturin, setuptools-rust) name a module, having
# asked CPython 3.11 itself rather than its sysconfig variables.
FOREIGN_SUFFIXES = (".cpython-311-x86_64-linux-gnu.so", ".abi3.so")


def rename_tagged_modules(wheel, suffix):
    """Gives cpyext's suffix to the modules of `wheel` that carry cpyext's
    ABI tag but CPython's suffix (a Rust extension linked with
    `abi_tag_object`). Rewrites the wheel in place; returns it."""
    renamed = {}
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            foreign = next((s for s in FOREIGN_SUFFIXES if name.endswith(s)), None)
            if foreign and b".cpyext_abi" in z.read(name):
                renamed[name] = name[: -len(foreign)] + suffix
        if not renamed:
            return wheel
        rewritten = wheel + ".renamed"
        with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as out:
            for info in z.infolist():
                data = z.read(info)
                if info.filename.endswith(".dist-info/RECORD"):
                    text = data.decode()
                    for old, new in renamed.items():
                        text = text.replace(old + ",", new + ",")
                    data = text.encode()
                info.filename = renamed.get(info.filename, info.filename)
                out.writestr(info, data)
    os.replace(rewritten, wheel)
    return wheel


def with_wrappers(values, bindir):
    """The build variables, with the compilers replaced by the wrappers in `bindir`."""
    values = dict(values)
    for name in ("CC", "LDSHARED", "BLDSHARED", "CXX", "LDCXXSHARED"):
        words = values[name].split()
        if words and words[0] in ("cc", "gcc", "c++", "g++"):
            words[0] = os.path.join(bindir, "c++" if words[0] in ("c++", "g++") else "cc")
        values[name] = " ".join(words)
    return values


def include_dirs(argv):
    """The directories a compiler command line adds to the include search."""
    dirs = []
    flags = ("-I", "-isystem", "-iquote", "-idirafter")
    i = 0
    while i < len(argv):
        arg = argv[i]
        for flag in flags:
            if arg == flag and i + 1 < len(argv):
                dirs.append(argv[i + 1])
                i += 1
                break
            if arg.startswith(flag) and len(arg) > len(flag):
                dirs.append(arg[len(flag):])
                break
        i += 1
    return dirs


def default_include_dirs(compiler="cc"):
    """gcc's built-in include search path."""
    proc = subprocess.run([compiler, "-E", "-v", "-x", "c", "-"], input="", capture_output=True, text=True)
    lines = proc.stderr.splitlines()
    try:
        start = lines.index("#include <...> search starts here:") + 1
        end = lines.index("End of search list.")
    except ValueError:
        return []
    return [line.strip() for line in lines[start:end]]


def check_includes(commands, our_include, cwd):
    """Lines naming an include directory with a Python.h that is not ours."""
    ours = os.path.realpath(our_include)
    foreign = {os.path.realpath(p) for p in (sysconfig.get_paths()["include"], sysconfig.get_paths()["platinclude"])}
    violations = []
    for d in default_include_dirs():
        if os.path.exists(os.path.join(d, "Python.h")):
            violations.append(f"the compiler's default include path has {d}/Python.h")
    for argv in commands:
        for d in include_dirs(argv):
            real = os.path.realpath(os.path.join(cwd, d))
            if real == ours:
                continue
            if real in foreign or os.path.exists(os.path.join(real, "Python.h")):
                violations.append(f"{d} (it holds another Python.h) in: {' '.join(argv)}")
    return violations


def build(source, flavor, work, env_kind="isolated", cpyext_bin=CPYEXT_BIN, cache=CACHE):
    """Builds `source` for `flavor` ('cpyext' or 'cpython') in the directory `work`."""
    for stale in ("src", "wheel", "bin", "lib", "build", "compile.jsonl"):
        path = os.path.join(work, stale)
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)
    os.makedirs(work, exist_ok=True)
    os.makedirs(cache, exist_ok=True)
    result = Build(flavor)
    log = os.path.join(work, "build.log")
    open(log, "w").close()
    tree = result.tree = unpack(source, work)
    apply_recipe(tree, log)
    requires, backend, backend_path = build_system(tree)
    python = build_python(requires, env_kind, cache, log)

    env = dict(os.environ)
    # The build environment's scripts (meson, ninja, cmake, cython) come
    # first on PATH, as in pip's isolated builds: meson-python runs `meson`.
    env["PATH"] = os.pathsep.join(filter(None, [os.path.dirname(python), env.get("PATH")]))
    cc_log = os.path.join(work, "compile.jsonl")
    if flavor == "cpyext":
        values = cpyext_build_vars(cpyext_bin)
        bindir = os.path.join(work, "bin")
        compiler_wrappers(bindir, cc_log)
        vars_file = os.path.join(work, "build_vars.json")
        with open(vars_file, "w", encoding="utf-8") as f:
            json.dump(with_wrappers(values, bindir), f, indent=1)
        for name in COMPILER_ENV:
            env.pop(name, None)
        # Rust extensions include no header: the tag comes from an object
        # file the linker is given (also for build scripts, harmlessly).
        tag = abi_tag_object(values["INCLUDEPY"], bindir)
        env["RUSTFLAGS"] = " ".join(filter(None, [env.get("RUSTFLAGS"), f"-C link-arg={tag}"]))
        env["_PYTHON_SYSCONFIGDATA_NAME"] = SHIM_NAME
        env["CPYEXT_BUILD_VARS"] = vars_file
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [SHIM_DIR, env.get("PYTHONPATH")]))
    else:
        env.pop("_PYTHON_SYSCONFIGDATA_NAME", None)

    if env_kind == "host":
        build_with_setuptools(python, tree, work, log, env, result)
    elif flavor == "cpyext" and backend in ("mesonpy", "scikit_build_core.build"):
        build_wheel_on_cpyext(cpyext_bin, tree, work, log, cache, result)
    else:
        build_wheel(python, tree, work, log, env, backend, backend_path, result)
    with open(log, encoding="utf-8", errors="replace") as f:
        result.log = f.read()
    if flavor == "cpyext" and result.artifact and result.artifact.endswith(".whl"):
        rename_tagged_modules(result.artifact, values["EXT_SUFFIX"])
        with zipfile.ZipFile(result.artifact) as z:
            result.extensions = sorted(installed_path(n) for n in z.namelist()
                                   if n.endswith(".so") and is_extension(z.read(n)))
    if flavor == "cpyext":
        if os.path.exists(cc_log):
            with open(cc_log, encoding="utf-8") as f:
                result.commands = [json.loads(line) for line in f if line.strip()]
        result.violations = check_includes(result.commands, values["INCLUDEPY"], tree)
        wrong = [p for p in result.extensions if not p.endswith(values["EXT_SUFFIX"])]
        result.violations += [f"{p} does not have cpyext's suffix {values['EXT_SUFFIX']}" for p in wrong]
    return result


def build_wheel(python, tree, work, log, env, backend, backend_path, result):
    """PEP 517: asks the backend for its extra requirements, installs them, builds a wheel."""
    hook = [python, os.path.join(HERE, "_pep517.py")]
    answer = os.path.join(work, "hook.json")
    paths = json.dumps(backend_path)
    if run([*hook, "requires", backend, paths, answer], log, cwd=tree, env=env) != 0:
        raise BuildError(f"the backend's get_requires_for_build_wheel failed; see {log}\n{tail(log)}")
    with open(answer, encoding="utf-8") as f:
        extra = json.load(f)
    if extra and pip_install(python, extra, log) != 0:
        raise BuildError(f"could not install {extra}; see {log}")
    wheel_dir = os.path.join(work, "wheel")
    os.makedirs(wheel_dir, exist_ok=True)
    if run([*hook, "wheel", backend, paths, answer, wheel_dir], log, cwd=tree, env=env) != 0:
        raise BuildError(f"the build failed; see {log}\n{tail(log)}")
    with open(answer, encoding="utf-8") as f:
        result.artifact = os.path.join(wheel_dir, json.load(f))
    with zipfile.ZipFile(result.artifact) as z:
        result.extensions = sorted(installed_path(n) for n in z.namelist()
                                   if n.endswith(".so") and is_extension(z.read(n)))


def pip_wheel(cache, log):
    """The newest pip wheel in the cache's wheel directory, downloaded by
    CPython's pip if there is none: cpyext runs pip from it
    (`cpyext PIP.whl/pip ...`). None if it cannot be had."""
    wheels = os.path.join(cache, "wheels")
    pips = sorted(glob.glob(os.path.join(wheels, "pip-*.whl")))
    if not pips:
        run([CPYTHON, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--only-binary", ":all:",
             "--no-deps", "-d", wheels, "pip"], log)
        pips = sorted(glob.glob(os.path.join(wheels, "pip-*.whl")))
    return pips[-1] if pips else None


def build_wheel_on_cpyext(cpyext_bin, tree, work, log, cache, result):
    """meson-python and scikit-build-core: meson's python module and
    CMake's FindPython ask the interpreter that runs them where the headers
    are, by scripts of their own, so a build CPython drives finds CPython's
    headers whatever its build variables say (FindPython then refuses our
    headers' version). pip running on cpyext builds the wheel instead, as
    a user's `pip install` does (its isolated build environment comes from
    the index)."""
    pip = pip_wheel(cache, log)
    if pip is None:
        raise BuildError(f"no pip wheel to run on cpyext; see {log}")
    wheel_dir = os.path.join(work, "wheel")
    os.makedirs(wheel_dir, exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("_PYTHON_SYSCONFIGDATA_NAME", "CPYEXT_BUILD_VARS", "PYTHONPATH", "PYTHONHOME")}
    cmd = [cpyext_bin, os.path.join(pip, "pip"), "wheel", "--no-deps", "--disable-pip-version-check",
           "-w", wheel_dir, tree]
    if run(cmd, log, cwd=tree, env=env) != 0:
        raise BuildError(f"pip on cpyext could not build the wheel; see {log}\n{tail(log)}")
    built = sorted(glob.glob(os.path.join(wheel_dir, "*.whl")))
    if not built:
        raise BuildError(f"pip on cpyext built no wheel; see {log}")
    result.artifact = built[-1]
    with zipfile.ZipFile(result.artifact) as z:
        result.extensions = sorted(installed_path(n) for n in z.namelist()
                                   if n.endswith(".so") and is_extension(z.read(n)))


# Runs setup.py, or setuptools.setup() for a project configured in pyproject.toml
# alone, as `python setup.py ARGS` would.
SETUP_PY = """\
import os, sys, setuptools
sys.argv[0] = 'setup.py'
if os.path.exists('setup.py'):
    with open('setup.py', 'rb') as f:
        code = compile(f.read(), 'setup.py', 'exec')
    exec(code, {'__name__': '__main__', '__file__': 'setup.py'})
else:
    setuptools.setup()
"""


def build_with_setuptools(python, tree, work, log, env, result):
    """Without PEP 517 (the host's setuptools may predate wheels): `setup.py build`."""
    lib = os.path.join(work, "lib")
    shutil.rmtree(lib, ignore_errors=True)
    cmd = [python, "-c", SETUP_PY, "build", "--build-base", os.path.join(work, "build"), "--build-lib", lib]
    if run(cmd, log, cwd=tree, env=env) != 0:
        raise BuildError(f"the build failed; see {log}\n{tail(log)}")
    result.artifact = lib
    result.extensions = sorted(os.path.relpath(os.path.join(d, f), lib).replace(os.sep, "/")
                               for d, _, files in os.walk(lib) for f in files
                               if f.endswith(".so") and is_extension(os.path.join(d, f)))


def is_extension(data_or_path):
    """A built .so is an extension module if it defines a PyInit_ function; a
    wheel may also carry plain libraries a module links to (rawpy's
    libraw_r.so), which are neither named nor tagged as modules."""
    if isinstance(data_or_path, str):
        with open(data_or_path, "rb") as f:
            data_or_path = f.read()
    return b"PyInit_" in data_or_path


def tail(log, lines=30):
    with open(log, encoding="utf-8", errors="replace") as f:
        return "\n".join(f.read().splitlines()[-lines:])


def installed_path(name):
    """Where a wheel member lands when installed (`x.data/purelib/a` -> `a`)."""
    parts = name.split("/")
    if len(parts) > 2 and parts[0].endswith(".data") and parts[1] in ("purelib", "platlib"):
        return "/".join(parts[2:])
    return name


def install(artifact, target):
    """Unpacks a wheel into `target` (its packages, modules and dist-info), or copies a build tree."""
    os.makedirs(target, exist_ok=True)
    if os.path.isdir(artifact):
        shutil.copytree(artifact, target, dirs_exist_ok=True)
        return
    with zipfile.ZipFile(artifact) as z:
        for info in z.infolist():
            path = installed_path(info.filename)
            if path.split("/")[0].endswith(".data") or info.is_dir():
                continue  # scripts, headers and data are not needed to import the package
            dest = os.path.join(target, path)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with z.open(info) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(dest, mode)


def abi_check(cpyext_bin, files):
    """{file: (has_abi_tag, [missing C-API names])} from `cpyext --cpyext-check`."""
    if not files:
        return {}
    proc = subprocess.run([cpyext_bin, "--cpyext-check", *files], capture_output=True, text=True)
    report, current = {}, None
    for line in proc.stdout.splitlines():
        m = re.match(r"^(\S.*): (cpyext ABI tag present|no cpyext ABI tag); (\d+) C-API symbols missing$", line)
        if m:
            current = m.group(1)
            report[current] = (m.group(2) == "cpyext ABI tag present", [])
        elif line.startswith("  ") and current:
            report[current][1].append(line.strip())
        elif line.strip():
            current = None
            report[line.split(": ", 1)[0]] = (False, [])
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", help="an sdist (.tar.gz, .zip) or a source directory")
    parser.add_argument("--out", required=True, help="install the built package into this directory")
    parser.add_argument("--flavor", choices=["cpyext", "cpython"], default="cpyext")
    parser.add_argument("--build-env", choices=["isolated", "host"], default="isolated")
    parser.add_argument("--cpyext", default=CPYEXT_BIN, help="the cpyext binary (default: %(default)s)")
    parser.add_argument("--cache", default=CACHE, help="build environments are kept here (default: %(default)s)")
    parser.add_argument("--work", help="keep the build tree and logs here (default: a temporary directory)")
    args = parser.parse_args(argv)

    # The build runs in other directories: relative paths would not reach.
    work = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="cpyext-build-")
    args.out = os.path.abspath(args.out)
    try:
        result = build(os.path.abspath(args.source), args.flavor, work, args.build_env, args.cpyext, args.cache)
        install(result.artifact, args.out)
    except BuildError as e:
        print(f"build failed: {e}", file=sys.stderr)
        return 1
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"built {os.path.basename(result.artifact)} for {args.flavor}; installed into {args.out}")
    for path in result.extensions:
        print(f"  extension {path}")
    if args.flavor == "cpyext":
        print(f"  {len(result.commands)} compiler commands, all with cpyext's include/ only"
              if not result.violations else "  CPython's headers were reachable:")
        for v in result.violations:
            print(f"    {v}")
        checks = abi_check(args.cpyext, [os.path.join(args.out, p) for p in result.extensions])
        for path, (tagged, missing) in checks.items():
            state = "cpyext ABI tag" if tagged else "NO cpyext ABI tag"
            print(f"  {os.path.relpath(path, args.out)}: {state}; missing C-API symbols: {', '.join(missing) or 'none'}")
        if result.violations or not all(tagged for tagged, _ in checks.values()):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
