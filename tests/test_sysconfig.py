"""sysconfig under cpyext describes cpyext: our include/, our suffix, and a
compiler command that builds a loadable module. setuptools and pip, running
on cpyext, build extensions with it (when their wheels are at hand: see
tests/setup.sh)."""
import glob
import json
import os
import shlex
import shutil
import subprocess
import sys
import textwrap
import zipfile

import pytest

import harness

sys.path.insert(0, os.path.join(harness.TESTS, "compat"))
import build_ext  # noqa: E402

INCLUDE = os.path.realpath(harness.OUR_INCLUDE)
SUFFIX = ".cpyext-311-x86_64-linux-gnu.so"
REPORT = textwrap.dedent("""
    import importlib.machinery, json, sysconfig
    names = ["EXT_SUFFIX", "SOABI", "SHLIB_SUFFIX", "INCLUDEPY", "CONFINCLUDEPY", "CC", "CXX", "LDSHARED",
             "BLDSHARED", "LDCXXSHARED", "CCSHARED", "CFLAGS", "Py_ENABLE_SHARED"]
    paths = sysconfig.get_paths()
    print(json.dumps({
        "vars": {n: sysconfig.get_config_var(n) for n in names},
        "include": paths["include"], "platinclude": paths["platinclude"],
        "scheme": sysconfig.get_default_scheme(),
        "user_include": sysconfig.get_paths("posix_user")["include"],
        "suffixes": importlib.machinery.EXTENSION_SUFFIXES,
    }))
""")
MODULE_C = r"""
#include <Python.h>
static PyObject *hello(PyObject *self, PyObject *unused) { return PyUnicode_FromString("hello from C"); }
static PyMethodDef methods[] = {{"hello", hello, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "tinypkg._native", NULL, -1, methods};
PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&def); }
"""
SETUP_PY = """
from setuptools import Extension, setup
setup(name="tinypkg", version="1.0", packages=["tinypkg"],
      ext_modules=[Extension("tinypkg._native", ["tinypkg/_native.c"])])
"""


def report(python=harness.CPYEXT_BIN, env=None, cwd=None):
    proc = subprocess.run([python, "-c", REPORT], capture_output=True, text=True, env=env, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("CPYEXT_INCLUDE", "PYTHONPATH", "PYTHONHOME")}
    env.update(extra)
    return env


def tiny_package(root):
    pkg = root / "tinypkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("from tinypkg._native import hello\n")
    (pkg / "_native.c").write_text(MODULE_C)
    (root / "setup.py").write_text(SETUP_PY)
    return root


def import_hello(path, cwd):
    proc = subprocess.run([harness.CPYEXT_BIN, "-c", "import tinypkg; print(tinypkg.hello(), tinypkg._native.__file__)"],
                          capture_output=True, text=True, env=clean_env(PYTHONPATH=str(path)), cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_sysconfig_describes_cpyext():
    r = report(env=clean_env())
    assert r["include"] == INCLUDE
    assert r["platinclude"] == INCLUDE
    assert r["vars"] == {
        "EXT_SUFFIX": SUFFIX,
        "SOABI": "cpyext",
        "SHLIB_SUFFIX": ".so",
        "INCLUDEPY": INCLUDE,
        "CONFINCLUDEPY": INCLUDE,
        "CC": "gcc -pthread",
        "CXX": "g++ -pthread",
        "LDSHARED": "gcc -pthread -shared",
        "BLDSHARED": "gcc -pthread -shared",
        "LDCXXSHARED": "g++ -pthread -shared",
        "CCSHARED": "-fPIC",
        "CFLAGS": "-DNDEBUG -g -fwrapv -O2 -Wall",
        "Py_ENABLE_SHARED": 0,
    }
    # The suffix sysconfig names is one the import system loads.
    assert r["suffixes"][0] == r["vars"]["EXT_SUFFIX"]
    # A user scheme's include is where packages put their own headers: untouched.
    assert r["user_include"] != INCLUDE


# Variables build tools read (CMake's FindPython, scikit-build-core, meson,
# setuptools, the ninja wheel) that are not about our headers or compiler.
BUILD_TOOL_VARS = ["EXE", "VERSION", "LDVERSION", "LIBPL", "LIBDIR", "LIBRARY", "LDLIBRARY", "BLDLIBRARY",
                   "INSTSONAME", "MACHDEP", "HOST_GNU_TYPE", "MULTIARCH", "LIBS", "SYSLIBS", "LIBM", "LIBC",
                   "LINKFORSHARED", "CFLAGSFORSHARED", "PY_CFLAGS", "PY_CFLAGS_NODIST", "PY_LDFLAGS",
                   "PY_LDFLAGS_NODIST", "PY_CPPFLAGS", "CONFIG_ARGS", "TZPATH", "LIBPC", "INCLUDEDIR",
                   "SIZEOF_VOID_P", "SIZEOF_SIZE_T", "SIZEOF_LONG", "WITH_DOC_STRINGS", "PY_ENABLE_SHARED",
                   "LIBPYTHON", "LIBDEST", "BINLIBDEST", "DESTLIB"]
CONFIG_VARS = "import json, sysconfig; print(json.dumps(sysconfig.get_config_vars(), default=str))"


def config_vars(python):
    proc = subprocess.run([python, "-c", CONFIG_VARS], capture_output=True, text=True, env=clean_env())
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_config_vars_build_tools_read_are_there_with_cpythons_types():
    ours, cpython = config_vars(harness.CPYEXT_BIN), config_vars(sys.executable)
    for name in BUILD_TOOL_VARS:
        assert name in cpython, name
        assert type(ours.get(name)) is type(cpython[name]), (name, ours.get(name), cpython[name])
    assert ours["EXE"] == "" and ours["MACHDEP"] == "linux"
    # No libpython to link, as with CPython on Linux (meson asks).
    assert ours["LIBPYTHON"] == cpython["LIBPYTHON"] == ""
    # The standard library's directory: its modules are there, as in CPython.
    for config in (ours, cpython):
        assert os.path.isfile(os.path.join(config["LIBDEST"], "os.py")), config["LIBDEST"]
    assert ours["VERSION"] == "{}.{}".format(*json.loads(subprocess.check_output(
        [harness.CPYEXT_BIN, "-c", "import sys, json; print(json.dumps(sys.version_info[:2]))"], env=clean_env())))


def test_config_vars_state_our_pyconfig_h():
    """Every `#define NAME VALUE` of our pyconfig.h is a variable, as
    CPython's are of its own; the sizes and alignments agree with CPython
    3.11's on this platform."""
    ours, cpython = config_vars(harness.CPYEXT_BIN), config_vars(sys.executable)
    defines = {}
    for line in open(os.path.join(INCLUDE, "pyconfig.h")):
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[0] == "#define" and parts[1][0].isupper() and "(" not in parts[1]:
            value = parts[2].strip()
            defines[parts[1]] = int(value) if value.lstrip("-").isdigit() else value
    assert len(defines) > 300
    # Build variables, not pyconfig.h, say how extensions link here.
    del defines["Py_ENABLE_SHARED"]
    assert {n: ours.get(n) for n in defines} == defines
    # The platform's facts agree with CPython's; the HAVE_* set depends on
    # the libraries CPython was built with, so it is not compared.
    shared = [n for n in defines if n.startswith(("SIZEOF_", "ALIGNOF_")) and n in cpython]
    assert len(shared) > 15
    assert {n: ours[n] for n in shared} == {n: cpython[n] for n in shared}


def test_extensions_are_not_built_free_threaded():
    """Our headers are 3.11's (with a GIL): sysconfig must not tell build
    scripts the interpreter is free-threaded (regex's setup.py then passes
    -DPy_GIL_DISABLED=1 and its PyMutex code fails to compile), nor
    sys.abiflags (CMake's FindPython refuses a `t` interpreter for headers
    without Py_GIL_DISABLED). Installs go where `site` looks."""
    code = textwrap.dedent("""
        import json, site, sys, sysconfig
        print(json.dumps([sysconfig.get_config_var("Py_GIL_DISABLED"), sys.abiflags,
                          sysconfig.get_paths()["purelib"], sysconfig.get_paths("posix_user")["purelib"],
                          site.getsitepackages(), site.getusersitepackages()]))
    """)
    gil, abiflags, purelib, user_purelib, site_dirs, user_site = json.loads(subprocess.check_output(
        [harness.CPYEXT_BIN, "-c", code], env=clean_env(), text=True))
    assert not gil
    assert abiflags == ""
    assert purelib in site_dirs
    assert user_purelib == user_site
    assert not purelib.endswith("t/site-packages")


def test_include_dir_from_the_environment(tmp_path):
    r = report(env=clean_env(CPYEXT_INCLUDE=str(tmp_path)))
    assert r["include"] == r["vars"]["INCLUDEPY"] == str(tmp_path)
    # A relative directory is taken from the working directory.
    r = report(env=clean_env(CPYEXT_INCLUDE="inc"), cwd=str(tmp_path))
    assert r["include"] == str(tmp_path / "inc")


def test_include_dir_from_a_venv(tmp_path):
    # The venv's python is a symbolic link to the binary: the include dir is
    # still found next to the real binary, and the venv scheme points at it.
    venv = tmp_path / "venv"
    proc = subprocess.run([harness.CPYEXT_BIN, "-m", "venv", "--without-pip", str(venv)],
                          capture_output=True, text=True, env=clean_env())
    assert proc.returncode == 0, proc.stderr
    r = report(python=str(venv / "bin" / "python"), env=clean_env())
    assert r["scheme"] == "venv"
    assert r["include"] == r["vars"]["INCLUDEPY"] == INCLUDE


def test_sysconfig_commands_build_a_module_cpyext_imports(tmp_path):
    # What any build tool does with these variables: compile, link, name.
    v = report(env=clean_env())["vars"]
    src = tiny_package(tmp_path) / "tinypkg" / "_native.c"
    obj = tmp_path / "_native.o"
    out = tmp_path / "tinypkg" / ("_native" + v["EXT_SUFFIX"])
    compile_cmd = [*shlex.split(v["CC"]), *shlex.split(v["CFLAGS"]), *shlex.split(v["CCSHARED"]),
                   "-I", v["INCLUDEPY"], "-c", str(src), "-o", str(obj)]
    link_cmd = [*shlex.split(v["LDSHARED"]), str(obj), "-o", str(out)]
    for cmd in (compile_cmd, link_cmd):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    assert "hello from C" in import_hello(tmp_path, cwd=str(tmp_path / "tinypkg"))


def cpyext_config(*options):
    proc = subprocess.run([harness.CPYEXT_BIN, "-m", "cpyext.config", *options], capture_output=True,
                          text=True, env=clean_env())
    return proc.returncode, proc.stdout.splitlines(), proc.stderr


def test_cpyext_config_answers_as_python3_config():
    code, lines, _ = cpyext_config("--includes", "--extension-suffix", "--libs", "--ldflags")
    assert code == 0
    assert lines == [f"-I{INCLUDE}", SUFFIX, "", ""]  # an extension links nothing
    code, lines, _ = cpyext_config("--libs", "--ldflags", "--embed")
    libdir = os.path.dirname(os.path.realpath(harness.CPYEXT_BIN))
    assert code == 0 and lines[0] == "-lcpyext -lpthread"
    assert lines[1].split() == [f"-L{libdir}", f"-Wl,-rpath,{libdir}", "-lcpyext", "-lpthread"]
    code, lines, _ = cpyext_config("--cflags")
    assert f"-I{INCLUDE}" in lines[0].split() and "-fPIC" in lines[0].split()
    assert cpyext_config("--help")[0] == 0
    code, _, err = cpyext_config("--no-such-option")
    assert code == 2 and "Usage:" in err


def test_cpyext_config_flags_build_a_module_cpyext_imports(tmp_path):
    # The way build systems use python3-config.
    src = tiny_package(tmp_path) / "tinypkg" / "_native.c"
    cflags = cpyext_config("--cflags")[1][0].split()
    suffix = cpyext_config("--extension-suffix")[1][0]
    out = tmp_path / "tinypkg" / ("_native" + suffix)
    proc = subprocess.run(["cc", "-shared", *cflags, str(src), "-o", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "hello from C" in import_hello(tmp_path, cwd=str(tmp_path / "tinypkg"))


def cached_wheel(name):
    found = sorted(glob.glob(os.path.join(build_ext.CACHE, "wheels", f"{name}-*-py3-none-any.whl")))
    if not found:
        pytest.skip(f"no {name} wheel in {build_ext.CACHE}/wheels (tests/setup.sh downloads them)")
    return found[-1]


def test_setuptools_on_cpyext_builds_with_our_headers(tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(cached_wheel("setuptools")) as z:
        z.extractall(site)
    root = tiny_package(tmp_path / "src")
    proc = subprocess.run([harness.CPYEXT_BIN, "setup.py", "build_ext", "--inplace"], capture_output=True,
                          text=True, env=clean_env(PYTHONPATH=str(site)), cwd=str(root))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    compile_lines = [line for line in proc.stdout.splitlines() if " -c tinypkg/_native.c" in line]
    assert len(compile_lines) == 1, proc.stdout
    includes = build_ext.include_dirs(shlex.split(compile_lines[0]))
    assert INCLUDE in includes
    assert not [d for d in includes if d != INCLUDE and os.path.exists(os.path.join(d, "Python.h"))]
    assert (root / "tinypkg" / ("_native" + SUFFIX)).exists()
    assert "hello from C" in import_hello(root, cwd=str(tmp_path))


def test_pip_on_cpyext_installs_a_c_extension(tmp_path):
    # pip builds in an isolated environment (setuptools from the local wheels)
    # and installs the wheel, tagged for cpyext, into the target directory.
    pip = cached_wheel("pip")
    cached_wheel("setuptools")
    root = tiny_package(tmp_path / "src")
    target = tmp_path / "target"
    cmd = [harness.CPYEXT_BIN, os.path.join(pip, "pip"), "install", "--no-index", "--find-links",
           os.path.dirname(pip), "--target", str(target), str(root)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=clean_env(), timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "tinypkg-1.0-rustpython314-cpyext-linux_x86_64.whl" in proc.stdout
    out = import_hello(target, cwd=str(tmp_path))
    assert "hello from C" in out and out.strip().endswith(SUFFIX)


def test_pip_target_install_keeps_a_packages_headers_out_of_our_include(tmp_path):
    # A package that installs headers (persistent, zope.proxy do): with
    # --target they go under the target, as CPython's pip puts them; our
    # include/ is the interpreter's, not an install destination here.
    pip = cached_wheel("pip")
    cached_wheel("setuptools")
    root = tiny_package(tmp_path / "src")
    (root / "tinypkg" / "tiny.h").write_text("#define TINY 1\n")
    (root / "setup.py").write_text(SETUP_PY.replace('packages=["tinypkg"],', 'packages=["tinypkg"], headers=["tinypkg/tiny.h"],'))
    before = sorted(os.listdir(INCLUDE))
    target = tmp_path / "target"
    cmd = [harness.CPYEXT_BIN, os.path.join(pip, "pip"), "install", "--no-index", "--find-links",
           os.path.dirname(pip), "--target", str(target), str(root)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=clean_env(), timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(os.listdir(INCLUDE)) == before
    assert glob.glob(str(target / "include" / "**" / "tiny.h"), recursive=True), sorted(map(str, target.rglob("*")))


def test_venv_gets_pip_from_the_wheel_dir(tmp_path):
    # The frozen stdlib has no bundled pip wheel; CPYEXT_WHEEL_PKG_DIR names
    # a directory with one, which ensurepip (and so venv) installs from.
    pip = cached_wheel("pip")
    version = os.path.basename(pip).split("-")[1]
    venv = tmp_path / "venv"
    proc = subprocess.run([harness.CPYEXT_BIN, "-m", "venv", str(venv)], capture_output=True, text=True,
                          env=clean_env(CPYEXT_WHEEL_PKG_DIR=os.path.dirname(pip)), timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--version"], capture_output=True, text=True,
                          env=clean_env())
    assert proc.stdout.startswith(f"pip {version} from {venv}/lib/"), proc.stdout + proc.stderr
    # A directory without a pip wheel: ensurepip finds none in the frozen stdlib.
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = subprocess.run([harness.CPYEXT_BIN, "-m", "venv", str(tmp_path / "bare")], capture_output=True, text=True,
                          env=clean_env(CPYEXT_WHEEL_PKG_DIR=str(empty)), timeout=300)
    assert proc.returncode != 0
    assert "ensurepip" in proc.stderr


BESIDE_BINARY = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(harness.CPYEXT_BIN))), "wheels")


def test_venv_gets_pip_from_beside_the_binary(tmp_path):
    # tests/setup.sh puts pip's wheel in target/wheels, the default
    # WHEEL_PKG_DIR, so `cpyext -m venv` needs no setting.
    if not glob.glob(os.path.join(BESIDE_BINARY, "pip-*.whl")):
        pytest.skip(f"no pip wheel in {BESIDE_BINARY} (tests/setup.sh copies it there)")
    env = {k: v for k, v in clean_env().items() if k != "CPYEXT_WHEEL_PKG_DIR"}
    proc = subprocess.run([harness.CPYEXT_BIN, "-c", "import sysconfig; print(sysconfig.get_config_var('WHEEL_PKG_DIR'))"],
                          capture_output=True, text=True, env=env)
    assert proc.stdout.strip() == BESIDE_BINARY, proc.stdout + proc.stderr
    venv = tmp_path / "venv"
    proc = subprocess.run([harness.CPYEXT_BIN, "-m", "venv", str(venv)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run([str(venv / "bin" / "pip"), "--version"], capture_output=True, text=True, env=env)
    assert proc.stdout.startswith("pip ") and f"from {venv}/lib/" in proc.stdout, proc.stdout + proc.stderr


def test_pip_on_cpyext_refuses_a_cpython_only_wheel(tmp_path):
    # The tags pip computes for cpyext exclude CPython's: a cp311 wheel is
    # "not a supported wheel", and an index holding only one has no match.
    pip = cached_wheel("pip")
    found = tmp_path / "index"
    found.mkdir()
    wheel = found / "onlycp-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("onlycp/__init__.py", "")
        z.writestr("onlycp-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: onlycp\nVersion: 1.0\n")
        z.writestr("onlycp-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp311-cp311-manylinux_2_17_x86_64\n")
        z.writestr("onlycp-1.0.dist-info/RECORD", "")
    base = [harness.CPYEXT_BIN, os.path.join(pip, "pip"), "install", "--no-index", "--target", str(tmp_path / "t")]
    proc = subprocess.run(base + [str(wheel)], capture_output=True, text=True, env=clean_env(), timeout=300)
    assert proc.returncode != 0 and "is not a supported wheel on this platform" in proc.stdout + proc.stderr, \
        proc.stdout + proc.stderr
    proc = subprocess.run(base + ["--find-links", str(found), "onlycp"], capture_output=True, text=True,
                          env=clean_env(), timeout=300)
    assert proc.returncode != 0 and "No matching distribution found for onlycp" in proc.stdout + proc.stderr, \
        proc.stdout + proc.stderr


def test_ssl_is_built_in():
    proc = subprocess.run([harness.CPYEXT_BIN, "-c", "import ssl; c = ssl.create_default_context(); "
                           "print(ssl.OPENSSL_VERSION.split()[0], c.verify_mode == ssl.CERT_REQUIRED, c.check_hostname)"],
                          capture_output=True, text=True, env=clean_env())
    assert proc.stdout.split() == ["OpenSSL", "True", "True"], proc.stdout + proc.stderr


def pypi_reachable():
    try:
        import urllib.request
        urllib.request.urlopen("https://pypi.org/simple/markupsafe/", timeout=15).close()
        return True
    except Exception:
        return False


def test_pip_installs_from_pypi_into_a_venv(tmp_path):
    # The everyday workflow: a venv, then pip (on cpyext, over HTTPS) builds
    # markupsafe's sdist against our headers; its C module is the one used.
    if not glob.glob(os.path.join(BESIDE_BINARY, "pip-*.whl")):
        pytest.skip(f"no pip wheel in {BESIDE_BINARY} (tests/setup.sh copies it there)")
    if not pypi_reachable():
        pytest.skip("https://pypi.org cannot be reached from here")
    env = {k: v for k, v in clean_env().items() if k != "CPYEXT_WHEEL_PKG_DIR"}
    venv = tmp_path / "env"
    proc = subprocess.run([harness.CPYEXT_BIN, "-m", "venv", str(venv)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-cache-dir", "--no-binary", "markupsafe",
                           "markupsafe"], capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import markupsafe, markupsafe._speedups as s; print(markupsafe.escape('<b>'), s.__file__)"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("&lt;b&gt; ") and proc.stdout.strip().endswith(SUFFIX), proc.stdout


CMAKE_LISTS = """
cmake_minimum_required(VERSION 3.18)
project(tinypkg LANGUAGES C)
find_package(Python REQUIRED COMPONENTS Interpreter Development.Module)
message(STATUS "cpyext-found ${Python_VERSION} ${Python_INCLUDE_DIRS}")
Python_add_library(_native MODULE WITH_SOABI tinypkg/_native.c)
"""


@pytest.mark.skipif(not shutil.which("cmake"), reason="cmake is not installed (tests/setup.sh installs it)")
def test_cmake_find_python_takes_cpyext_and_its_headers(tmp_path):
    # scikit-build-core and every CMake build find the interpreter and its
    # headers through FindPython, which requires the headers' PY_VERSION
    # line to match sys.version_info and refuses a free-threaded (`t`)
    # interpreter for headers built with a GIL.
    tiny_package(tmp_path)
    (tmp_path / "CMakeLists.txt").write_text(CMAKE_LISTS)
    build = tmp_path / "build"
    proc = subprocess.run(["cmake", "-S", str(tmp_path), "-B", str(build), f"-DPython_EXECUTABLE={harness.CPYEXT_BIN}"],
                          capture_output=True, text=True, env=clean_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = next(line for line in proc.stdout.splitlines() if "cpyext-found" in line).split()
    version_info = json.loads(subprocess.check_output(
        [harness.CPYEXT_BIN, "-c", "import sys, json; print(json.dumps(sys.version_info[:2]))"], env=clean_env()))
    assert found[2].split(".")[:2] == [str(n) for n in version_info]
    assert found[3] == INCLUDE
    proc = subprocess.run(["cmake", "--build", str(build)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = build.glob("_native*.so")
    # WITH_SOABI names the module from SOABI ("cpyext": `.cpyext.so`) in
    # Debian 12's CMake 3.25, from EXT_SUFFIX in others; the loader takes
    # both.
    assert built.name in ("_native" + SUFFIX, "_native.cpyext.so"), built.name
    shutil.copy(built, tmp_path / "tinypkg" / built.name)
    assert "hello from C" in import_hello(tmp_path, cwd=str(tmp_path / "tinypkg"))
