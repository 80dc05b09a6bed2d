#!/usr/bin/env python3
"""The compatibility runner: real packages under CPython 3.11 and under cpyext.

    python3 tests/compat/run.py [--tier 1] [NAME==VERSION | SDIST | DIR ...]
                                [--offline] [--report docs/compatibility.md]

For each package (a pinned name from PyPI, an sdist, or a source directory):
1. fetch its sdist (`pip download --no-binary NAME --no-deps NAME==VERSION`);
2. build it twice with tests/compat/build_ext.py: for CPython 3.11, and for
   cpyext (CPython drives the build with cpyext's headers, suffix and flags);
3. before anything is imported, run `cpyext --cpyext-check` on every module
   built for cpyext: the C-API symbols it imports that cpyext lacks. When the
   cpyext build could not compile a module, the names our headers lack come
   from the compiler's errors, and the CPython build's imports are checked
   against cpyext instead;
4. try to import each extension module under cpyext;
5. run the package's tests with pytest under both interpreters (pytest runs
   on cpyext; its packages are installed for cpyext by pip running on cpyext);
6. write the table to the report (default docs/compatibility.md).

It needs the network (PyPI) unless --offline: then the builds use python3.11
and the setuptools it has, and the tests the pytest it has (for cpyext, those
pytest packages are put on cpyext's path); nothing else is installed.
Downloads, build environments and test environments are cached in
~/.cache/cpyext-compat (CPYEXT_COMPAT_CACHE).
"""
import argparse
import datetime
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_ext  # noqa: E402

ROOT = build_ext.ROOT
CPYTHON = build_ext.CPYTHON

# The corpus (../shared/corpus/README.md), by tier.
TIERS = {
    "first": ["markupsafe==3.0.4", "crc32c==2.9.post0", "mmh3==5.3.1", "pyrsistent==0.20.0", "ujson==6.1.0"],
    "medium": ["zope.interface==8.7", "mysqlclient==2.3.1", "pysqlite3==0.6.1"],
    "hard": ["cffi==2.1.1", "apsw==3.40.1.0", "multidict==7.2.1"],
    "cython": ["pyyaml==6.0.3"],
}
TIER_ALIASES = {"1": "first", "2": "medium", "3": "hard", "4": "cython"}
# Test requirements a package uses but does not declare where we look.
EXTRA_TEST_REQUIREMENTS = {"pyrsistent": ["hypothesis"]}
# What a reader of the report should know about a package's own test suite.
KNOWN_NOTES = {
    "mmh3": "the sdist lacks tests/helper.py, so test_mmh3.py and test_mmh3_hasher.py cannot be collected "
            "under either interpreter (the 2 errors under CPython)",
}
# Modules that make up pytest; --offline lends the host's copies to cpyext.
PYTEST_MODULES = ["pytest", "_pytest", "pluggy", "iniconfig", "packaging", "pygments", "py"]
CONFIG_FILES = ["pyproject.toml", "setup.cfg", "tox.ini", "pytest.ini", "conftest.py"]


@dataclass
class TestRun:
    status: str = "not run"  # "ran", "timeout", "crashed", "aborted", "not run", "no tests"
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    detail: str = ""

    def cell(self, short=False):
        if self.status == "ran":
            return f"{self.passed} / {self.failed} / {self.errors} / {self.skipped}"
        detail = self.detail
        if short and self.status == "aborted":
            # The table keeps the exception's name; the section below has all of it.
            m = re.search(r"(\w+(Error|Exception))\b", detail)
            detail = f"{detail.split(',')[0]}, {m.group(1)}" if m else detail
        return self.status + (f": {detail}" if detail else "")


@dataclass
class Result:
    spec: str
    name: str = ""
    version: str = ""
    error: str = ""  # a failure that stopped the run for this package
    cpython_modules: list = field(default_factory=list)
    cpyext_modules: list = field(default_factory=list)
    cpyext_build_error: str = ""
    header_gaps: list = field(default_factory=list)  # names the compiler did not find in our headers
    missing: dict = field(default_factory=dict)  # cpyext module -> missing C-API symbols
    missing_from_cpython_build: list = None  # checked when some module was not built for cpyext
    violations: list = field(default_factory=list)
    imports: dict = field(default_factory=dict)  # module -> "ok" or the error
    cpython_tests: TestRun = field(default_factory=TestRun)
    cpyext_tests: TestRun = field(default_factory=TestRun)
    notes: list = field(default_factory=list)

    def all_missing(self):
        return sorted({s for names in self.missing.values() for s in names})


def log(message):
    print(message, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def cache_key(*parts):
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


# ---------------------------------------------------------------- fetching

def fetch_sdist(spec, cache):
    """Downloads the sdist of NAME==VERSION (once); returns its path."""
    dest = os.path.join(cache, "sdists", re.sub(r"[^A-Za-z0-9.=_-]", "_", spec))
    found = [f for f in glob.glob(os.path.join(dest, "*")) if f.endswith(build_ext.ARCHIVES)]
    if not found:
        os.makedirs(dest, exist_ok=True)
        # The package's own sdist; its build requirements may be wheels
        # (with `:all:`, pip would build cmake or ninja from source first).
        name = re.split(r"[=<>!~\[ ;]", spec, maxsplit=1)[0]
        proc = sh([CPYTHON, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-binary", name,
                   "--no-deps", spec, "-d", dest])
        if proc.returncode != 0 and not download_from_index(spec, dest):
            raise RuntimeError(f"pip download {spec} failed:\n{proc.stderr.strip()[-2000:]}")
        found = [f for f in glob.glob(os.path.join(dest, "*")) if f.endswith(build_ext.ARCHIVES)]
    if len(found) != 1:
        raise RuntimeError(f"expected one sdist for {spec} in {dest}, found {found}")
    return found[0]


def download_from_index(spec, dest):
    """The sdist of NAME==VERSION straight from the package index, checked
    against the index's sha256: for an sdist whose metadata step, which pip
    download runs, fetches things from elsewhere (apsw downloads SQLite).
    False if there is none."""
    import hashlib
    import urllib.request
    if "==" not in spec:
        return False
    name, version = spec.split("==", 1)
    project = re.sub(r"[-_.]+", "-", name).lower()
    try:
        html = urllib.request.urlopen(f"https://pypi.org/simple/{project}/", timeout=60).read().decode()
    except OSError:
        return False
    stem = re.escape(f"{name}-{version}").replace("\\-", "[-_]")
    for link in re.findall(r'href="([^"]+)"', html):
        url, _, fragment = link.partition("#")
        filename = url.rsplit("/", 1)[-1]
        if re.fullmatch(stem + r"\.(tar\.gz|zip)", filename, re.I) and fragment.startswith("sha256="):
            data = urllib.request.urlopen(url, timeout=120).read()
            if hashlib.sha256(data).hexdigest() != fragment[len("sha256="):]:
                raise RuntimeError(f"{filename}: sha256 differs from the index's")
            with open(os.path.join(dest, filename), "wb") as f:
                f.write(data)
            return True
    return False


def name_and_version(tree, fallback):
    """From the sdist's PKG-INFO, or pyproject's [project], else `fallback`."""
    pkg_info = os.path.join(tree, "PKG-INFO")
    if os.path.exists(pkg_info):
        with open(pkg_info, encoding="utf-8", errors="replace") as f:
            text = f.read()
        name = re.search(r"^Name: *(.+)$", text, re.M)
        version = re.search(r"^Version: *(.+)$", text, re.M)
        if name and version:
            return name.group(1).strip(), version.group(1).strip()
    project = read_pyproject(tree).get("project", {})
    if "name" in project and "version" in project:
        return project["name"], project["version"]
    return fallback


def read_pyproject(tree):
    import tomllib
    path = os.path.join(tree, "pyproject.toml")
    if not os.path.exists(path):
        return {}
    with open(path, "rb") as f:
        return tomllib.load(f)


# ---------------------------------------------------------------- requirements

def requirement_name(req):
    return re.split(r"[\s\[<>=!~;@]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_requirements(tree, name):
    """What the tests need besides pytest: the package's declared test requirements."""
    data = read_pyproject(tree)
    reqs = []
    groups = data.get("dependency-groups", {})
    extras = data.get("project", {}).get("optional-dependencies", {})
    for key in ("test", "tests", "testing"):
        reqs += [r for r in groups.get(key, []) if isinstance(r, str)]
        reqs += extras.get(key, [])
    setup_py = os.path.join(tree, "setup.py")
    if os.path.exists(setup_py):
        with open(setup_py, encoding="utf-8", errors="replace") as f:
            m = re.search(r"tests_require\s*=\s*(\[[^\]]*\])", f.read())
        if m:
            try:
                reqs += [r for r in json.loads(m.group(1).replace("'", '"')) if isinstance(r, str)]
            except ValueError:
                pass
    reqs += EXTRA_TEST_REQUIREMENTS.get(name.lower(), [])
    # We always run a current pytest; its plugins are left out for the same reason.
    out = []
    for r in reqs:
        n = requirement_name(r)
        if n == "pytest" or n.startswith("pytest-") or n == "pytest-runner":
            continue
        if r not in out:
            out.append(r)
    return out


def runtime_requirements(artifact):
    """Requires-Dist of a built wheel (no extras); a plain build tree has none."""
    import zipfile
    if not artifact.endswith(".whl"):
        return []
    with zipfile.ZipFile(artifact) as z:
        meta = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        text = z.read(meta[0]).decode("utf-8", "replace") if meta else ""
    reqs = re.findall(r"^Requires-Dist: *(.+)$", text, re.M)
    return [r.strip() for r in reqs if "extra ==" not in r and "extra==" not in r]


# ---------------------------------------------------------------- test environments

def cpython_test_python(reqs, cache, offline):
    """A python3.11 with pytest and `reqs`: the host itself when offline, else a cached venv."""
    if offline:
        return shutil.which(CPYTHON) or CPYTHON
    venv = os.path.join(cache, "testenv-cpython-" + cache_key(sorted(reqs)))
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(os.path.join(venv, ".complete")):
        shutil.rmtree(venv, ignore_errors=True)
        for cmd in ([CPYTHON, "-m", "venv", venv],
                    [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "pytest", *reqs]):
            proc = sh(cmd)
            if proc.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr.strip()[-2000:]}")
        open(os.path.join(venv, ".complete"), "w").close()
    return python


def cpyext_test_site(reqs, cache, offline, cpyext_bin):
    """A directory with pytest and `reqs` for cpyext.

    Online: host pip downloads pure-Python wheels, and pip *running on cpyext*
    installs them (`cpyext pip.whl/pip install --no-index --target DIR`).
    When a requirement has no pure-Python wheel, pip on cpyext installs from
    the index itself (over HTTPS), building sdists with C extensions against
    our headers, as a user's `pip install` would.
    Offline: the host's own pytest packages, linked into the directory.
    """
    if offline:
        site = os.path.join(cache, "testsite-cpyext-host-pytest")
        lend_host_pytest(site)
        return site
    site = os.path.join(cache, "testsite-cpyext-" + cache_key(sorted(reqs)))
    if os.path.exists(os.path.join(site, ".complete")):
        return site
    wheels = os.path.join(cache, "wheels")
    os.makedirs(wheels, exist_ok=True)
    download = ["-m", "pip", "download", "-q", "--disable-pip-version-check", "--only-binary", ":all:",
                "--platform", "any", "--implementation", "py", "--python-version", "3.14", "--abi", "none",
                "-d", wheels]
    proc = sh([CPYTHON, *download, "pip", "pytest", *reqs])
    all_pure = proc.returncode == 0
    pip = build_ext.pip_wheel(cache, os.devnull)
    if pip is None:
        raise RuntimeError(f"downloading pip's wheel failed:\n{proc.stderr.strip()[-2000:]}")
    shutil.rmtree(site, ignore_errors=True)
    where = ["--no-index"] if all_pure else []
    install = [cpyext_bin, os.path.join(pip, "pip"), "install", "-q", "--disable-pip-version-check",
               "--find-links", wheels, "--target", site]
    proc = sh([*install, *where, "pytest", *reqs], timeout=3600)
    if proc.returncode != 0:
        # One requirement that cannot be had here (numpy, a package with
        # Rust) must not cost the whole run: pytest, then each on its own.
        shutil.rmtree(site, ignore_errors=True)
        proc = sh([*install, "pytest"], timeout=3600)
        if proc.returncode != 0:
            raise RuntimeError(f"pip on cpyext could not install pytest:\n{proc.stderr.strip()[-2000:]}")
        for req in reqs:
            if sh([*install, req], timeout=3600).returncode != 0:
                log(f"   test requirement not installed for cpyext: {req}")
    open(os.path.join(site, ".complete"), "w").close()
    return site


def lend_cpython_test_package(cache):
    """A directory holding only a link to CPython 3.11's `test` package.

    Test suites import `test.support` (its `os_helper`, `script_helper`...),
    which CPython ships in its standard library and the host's lacks. It is
    lent to cpyext's runs as pytest itself is: part of the test environment,
    not of the layer. It comes last on the path, so a package's own `test`
    directory still wins."""
    lent = os.path.join(cache, "lent-cpython-test")
    link = os.path.join(lent, "test")
    if not os.path.exists(link):
        proc = sh([CPYTHON, "-c", "import os, test; print(os.path.dirname(test.__file__))"])
        if proc.returncode != 0:
            return None
        os.makedirs(lent, exist_ok=True)
        os.symlink(proc.stdout.strip(), link)
    return lent


def lend_host_pytest(site):
    """Links python3.11's pytest (and what it imports) into `site`."""
    os.makedirs(site, exist_ok=True)
    code = ("import importlib.util, json, os\n"
            "out = {}\n"
            "for n in %r:\n"
            "    s = importlib.util.find_spec(n)\n"
            "    if s and s.origin and s.origin.endswith('.py'):\n"
            "        out[n] = os.path.dirname(s.origin) if s.submodule_search_locations else s.origin\n"
            "print(json.dumps(out))" % (PYTEST_MODULES,))
    found = json.loads(sh([CPYTHON, "-c", code], check=True).stdout)
    if "pytest" not in found:
        raise RuntimeError(f"{CPYTHON} has no pytest to lend to cpyext (pip install pytest)")
    for path in found.values():
        link = os.path.join(site, os.path.basename(path))
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(path, link)


# ---------------------------------------------------------------- tests

def prepare_tests(tree, dest):
    """Copies the tests and pytest's configuration, not the sources, into `dest`."""
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    for name in CONFIG_FILES:
        if os.path.isfile(os.path.join(tree, name)) and holds_pytest_config(os.path.join(tree, name)):
            shutil.copy(os.path.join(tree, name), dest)
    paths = testpaths(tree)
    for p in paths:
        src = os.path.join(tree, p)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dest, p), ignore=shutil.ignore_patterns("__pycache__"))
        elif os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(dest, p)), exist_ok=True)
            shutil.copy(src, os.path.join(dest, p))
    return [p for p in paths if os.path.exists(os.path.join(dest, p))]


# The section of each shared configuration file that pytest reads.
PYTEST_SECTIONS = {"pyproject.toml": "[tool.pytest", "setup.cfg": "[tool:pytest]", "tox.ini": "[pytest]"}


def holds_pytest_config(path):
    """Whether pytest reads anything in `path`. A pyproject.toml without it is
    left out: tests that build C (cffi's) would have the test environment's
    setuptools read the package's own metadata, which it may not understand."""
    section = PYTEST_SECTIONS.get(os.path.basename(path))
    if section is None:
        return True
    with open(path, encoding="utf-8", errors="replace") as f:
        return section in f.read()


# Where a package keeps its tests: directories of the sdist, or packages
# (and modules) inside the installed package.
TEST_PACKAGE_NAMES = ("tests", "test", "testing")


def testpaths(tree):
    data = read_pyproject(tree).get("tool", {})
    for table in (data.get("pytest", {}).get("ini_options", {}), data.get("pytest", {})):
        paths = table.get("testpaths")
        if paths:
            return [paths] if isinstance(paths, str) else list(paths)
    entries = sorted(os.listdir(tree))
    # Test directories of any case (python-ldap's Tests/) ...
    dirs = [d for d in entries if d.lower() in TEST_PACKAGE_NAMES and os.path.isdir(os.path.join(tree, d))]
    if dirs:
        return dirs
    # ... or else test modules at the top of the sdist (pycosat's
    # test_pycosat.py, yara-python's tests.py).
    return [f for f in entries if os.path.isfile(os.path.join(tree, f)) and f.endswith(".py")
            and (f.startswith("test_") or f.endswith("_test.py") or f[:-3] in TEST_PACKAGE_NAMES)]


def in_package_tests(site):
    """Dotted names of the test packages (or tests.py modules) a package installs
    inside itself (zope/interface/tests, apsw/tests.py, regex/tests without an
    __init__.py), for when its sdist has no top-level test directory; failing
    those, its test_*.py modules (bitarray/test_bitarray.py)."""
    found, modules = [], []
    for dirpath, dirnames, filenames in os.walk(site):
        rel = os.path.relpath(dirpath, site)
        if rel != "." and (rel.endswith((".dist-info", ".egg-info", ".data")) or "__pycache__" in rel):
            dirnames[:] = []
            continue
        parts = [] if rel == "." else rel.split(os.sep)
        dirnames.sort()
        for d in list(dirnames):
            if parts and d in TEST_PACKAGE_NAMES:
                inner = os.listdir(os.path.join(dirpath, d))
                if any(f.startswith("test") and f.endswith(".py") for f in inner):
                    found.append(".".join(parts + [d]))
                dirnames.remove(d)  # a test package's own sub-packages come with it
        if parts:
            found += [".".join(parts + [f[:-3]]) for f in sorted(filenames) if f[:-3] in TEST_PACKAGE_NAMES
                      and f.endswith(".py")]
            modules += [".".join(parts + [f[:-3]]) for f in sorted(filenames)
                        if f.startswith("test_") and f.endswith(".py")]
    return found or modules


def run_pytest(interpreter, test_dir, paths, pythonpath, timeout):
    """Runs pytest on `paths` (copied into `test_dir`), or else on the test
    packages installed with the package in pythonpath[0]."""
    pyargs = []
    if not paths:
        paths = in_package_tests(pythonpath[0])
        pyargs = ["--pyargs"]
    if not paths:
        return TestRun("no tests", detail="no tests/, test/ or testing/ directory or test module, in the sdist or the package")
    junit = os.path.join(test_dir, "junit.xml")
    if os.path.exists(junit):
        os.remove(junit)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(pythonpath), PYTHONDONTWRITEBYTECODE="1")
    for name in ("_PYTHON_SYSCONFIGDATA_NAME", "PYTHONHOME"):
        env.pop(name, None)
    # --assert=plain under both interpreters: pytest's assertion rewriting
    # compiles test files from an AST, and RustPython 0.6's compile() turns a
    # lone surrogate in a string constant into U+FFFD (docs/building-packages.md),
    # which changed the expected values of 11 ujson tests.
    cmd = [interpreter, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfE", "--continue-on-collection-errors",
           "--assert=plain", f"--junitxml={junit}", *pyargs, *paths]
    try:
        proc = subprocess.run(cmd, cwd=test_dir, env=env, capture_output=True, text=True, errors="replace", timeout=timeout)
        if proc.returncode == 4 and re.search(r"Error importing plugin|unrecognized arguments", proc.stderr + proc.stdout):
            # The configuration's addopts name plugins we do not install
            # (pytest-cov's --cov, xdist's -n): run without them.
            cmd.insert(cmd.index("-q"), "-oaddopts=")
            proc = subprocess.run(cmd, cwd=test_dir, env=env, capture_output=True, text=True, errors="replace",
                                  timeout=timeout)
    except subprocess.TimeoutExpired:
        return TestRun("timeout", detail=f"after {timeout} s")
    with open(os.path.join(test_dir, "pytest.log"), "w", encoding="utf-8") as f:
        f.write(proc.stdout + proc.stderr)
    if not os.path.exists(junit):
        # Killed by a signal, or pytest stopped before any test (a conftest.py that fails to import).
        status, how = ("crashed", f"signal {-proc.returncode}") if proc.returncode < 0 else \
            ("aborted", f"pytest exit {proc.returncode}")
        tail = [line.strip() for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
        cause = next((line for line in reversed(tail) if re.match(r"^(E\s+)?\w+(Error|Exception)\b", line)), "")
        cause = re.sub(r"^E\s+", "", cause)
        return TestRun(status, detail=f"{how}" + (f", {cause[:300]}" if cause else ""))
    root = ET.parse(junit).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    counts = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
    return TestRun("ran", passed=counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"],
                   failed=counts["failures"], errors=counts["errors"], skipped=counts["skipped"])


def import_check(cpyext_bin, site, module):
    env = dict(os.environ, PYTHONPATH=site)
    proc = sh([cpyext_bin, "-c", f"import {module}"], env=env, timeout=120)
    if proc.returncode == 0:
        return "ok"
    lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else f"exit {proc.returncode}"


# ---------------------------------------------------------------- one package

HEADER_GAP_PATTERNS = [
    r"implicit declaration of function [‘'`](\w+)[’']",
    r"[‘'`](\w+)[’'] undeclared",
    r"unknown type name [‘'`](\w+)[’']",
    r"expected expression before [‘'`](\w+)[’']",
    r"invalid use of undefined type [‘'`]struct (\w+)[’']",
    r"[‘'`](\w+)[’'] was not declared in this scope",
    r"[‘'`](\w+)[’'] does not name a type",
    r"[‘'`]\w+[’'] has no member named [‘'`](\w+)[’']",
]


def header_gaps(build_log):
    """API names the compiler could not find in our headers, from its messages."""
    names = set()
    for pattern in HEADER_GAP_PATTERNS:
        names.update(re.findall(pattern, build_log))
    return sorted(n for n in names if re.match(r"_?Py|PY_|METH_|T_[A-Z]|READONLY$|(tp|ob|nb|sq|mp|bf|am)_", n))


def run_package(spec, args):
    result = Result(spec)
    cache = args.cache
    if os.path.exists(spec):
        source = os.path.abspath(spec)
        fallback = (os.path.basename(source.rstrip("/")), "local")
    else:
        if args.offline:
            result.error = "offline: only local sdists and directories can be used"
            return result
        source = fetch_sdist(spec, cache)
        fallback = tuple(spec.split("==", 1)) if "==" in spec else (spec, "?")
    work = os.path.join(args.work, re.sub(r"[^A-Za-z0-9.=_-]", "_", os.path.basename(spec.rstrip("/"))))
    env_kind = "host" if args.offline else "isolated"

    log(f"== {spec}: building for CPython 3.11")
    try:
        cpython = build_ext.build(source, "cpython", os.path.join(work, "build-cpython"), env_kind,
                                  args.cpyext, cache)
    except (build_ext.BuildError, RuntimeError, subprocess.SubprocessError) as e:
        result.error = f"the CPython build failed: {str(e).splitlines()[0]}"
        return result
    tree = cpython.tree
    result.name, result.version = name_and_version(tree, fallback)
    result.cpython_modules = cpython.module_names(".cpython-311-x86_64-linux-gnu.so", ".abi3.so")
    site_cpython = os.path.join(work, "site-cpython")
    shutil.rmtree(site_cpython, ignore_errors=True)
    build_ext.install(cpython.artifact, site_cpython)

    log(f"== {spec}: building for cpyext")
    site_cpyext = os.path.join(work, "site-cpyext")
    shutil.rmtree(site_cpyext, ignore_errors=True)
    suffix = build_ext.cpyext_build_vars(args.cpyext)["EXT_SUFFIX"]
    cpyext_build = None
    try:
        cpyext_build = build_ext.build(source, "cpyext", os.path.join(work, "build-cpyext"), env_kind,
                                       args.cpyext, cache)
        build_ext.install(cpyext_build.artifact, site_cpyext)
        result.cpyext_modules = cpyext_build.module_names(suffix)
        result.violations = cpyext_build.violations
        build_log = cpyext_build.log
    except (build_ext.BuildError, RuntimeError) as e:
        with open(os.path.join(work, "build-cpyext", "build.log"), encoding="utf-8", errors="replace") as f:
            build_log = f.read()
        result.cpyext_build_error = "compile errors" if "error:" in build_log else str(e).splitlines()[0]
        log(f"   the cpyext build failed: {str(e).splitlines()[0]}")
    result.header_gaps = header_gaps(build_log)
    result.notes += [KNOWN_NOTES[n] for n in (result.name.lower(),) if n in KNOWN_NOTES]
    not_built = sorted(set(result.cpython_modules) - set(result.cpyext_modules))
    if not_built and not result.cpyext_build_error:
        result.notes.append(f"not built for cpyext (compile errors; the package built without them): "
                            f"{', '.join(not_built)}")

    # The symbols, before anything is imported.
    if cpyext_build is not None:
        files = [os.path.join(site_cpyext, p) for p in cpyext_build.extensions]
        for path, (tagged, missing) in build_ext.abi_check(args.cpyext, files).items():
            module = os.path.relpath(path, site_cpyext)[: -len(suffix)].replace("/", ".")
            result.missing[module] = missing
            if not tagged:
                result.violations.append(f"{module} has no cpyext ABI tag")
    if not_built or result.cpyext_build_error:
        files = [os.path.join(site_cpython, p) for p in cpython.extensions]
        checks = build_ext.abi_check(args.cpyext, files)
        result.missing_from_cpython_build = sorted({s for _, missing in checks.values() for s in missing})
    for module in result.cpyext_modules:
        result.imports[module] = import_check(args.cpyext, site_cpyext, module)

    if args.no_tests:
        return result
    reqs = test_requirements(tree, result.name) + runtime_requirements(cpython.artifact)
    tests_cpython = os.path.join(work, "tests-cpython")
    paths = prepare_tests(tree, tests_cpython)
    log(f"== {spec}: tests under CPython 3.11")
    try:
        python = cpython_test_python(reqs, cache, args.offline)
        result.cpython_tests = run_pytest(python, tests_cpython, paths, [site_cpython], args.timeout)
    except (RuntimeError, subprocess.SubprocessError) as e:
        result.cpython_tests = TestRun("not run", detail=str(e).splitlines()[0])
    if result.cpyext_build_error:
        result.cpyext_tests = TestRun("not run", detail="the cpyext build failed")
        return result
    log(f"== {spec}: tests under cpyext")
    tests_cpyext = os.path.join(work, "tests-cpyext")
    paths = prepare_tests(tree, tests_cpyext)
    try:
        test_site = cpyext_test_site(reqs, cache, args.offline, args.cpyext)
        lent = lend_cpython_test_package(cache)
        result.cpyext_tests = run_pytest(args.cpyext, tests_cpyext, paths,
                                         [site_cpyext, test_site] + ([lent] if lent else []), args.timeout)
    except (RuntimeError, subprocess.SubprocessError) as e:
        result.cpyext_tests = TestRun("not run", detail=str(e).splitlines()[0])
    if not_built and result.cpyext_tests.status == "ran":
        result.notes.append("under cpyext the tests ran without " + ", ".join(not_built)
                            + " (the package's pure-Python fallback)")
    return result


# ---------------------------------------------------------------- report

def cpyext_build_cell(r):
    if r.cpyext_build_error == "compile errors":
        return "failed to compile"
    if r.cpyext_build_error:
        return "failed"
    if not r.cpython_modules:
        return "no extensions"
    built = len(r.cpyext_modules)
    cell = f"{built} of {len(r.cpython_modules)} modules"
    if r.violations:
        cell += ", CPython headers used!"
    return cell


def import_cell(r):
    if not r.imports:
        return "-"
    ok = sum(1 for v in r.imports.values() if v == "ok")
    return f"{ok} of {len(r.imports)} import"


def missing_cell(r):
    if r.cpyext_modules:
        names = r.all_missing()
        return f"{len(names)}: " + ", ".join(f"`{n}`" for n in names) if names else "none"
    if r.missing_from_cpython_build is not None:
        return f"({len(r.missing_from_cpython_build) or 'none'} in the CPython build, see below)"
    return "-"


def report(results, args):
    commit = sh(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.strip() or "?"
    lines = [
        "# Compatibility of real packages",
        "",
        f"Written by `python3 tests/compat/run.py {' '.join(args.argv)}`".rstrip() + f" on {datetime.date.today()}, "
        f"cpyext at commit {commit}.",
        "",
        "Each package is built from its sdist twice, for CPython 3.11 and for cpyext (CPython drives",
        "both builds; see docs/building-packages.md), and its tests run under both with pytest.",
        "Tests are *passed / failed / errors / skipped* as pytest counts them (a module that",
        "cannot be imported is one error). *Missing C-API symbols* are those the modules built",
        "for cpyext import and cpyext does not implement (`cpyext --cpyext-check`), found before",
        "anything is imported. *cpyext build* counts the extension modules built for cpyext against",
        "those built for CPython: a package that tolerates a failed compile builds without them, and",
        "*failed to compile* means the build stopped. Either way the names our headers lack are",
        "listed below, with the C-API symbols the CPython build imports that cpyext lacks.",
        "Under cpyext the tests see pytest and their requirements installed by pip on cpyext, and",
        "CPython 3.11's `test` package (`test.support`), which the host's standard library lacks.",
        "",
        "| package | version | CPython 3.11 tests | cpyext build | missing C-API symbols | import | cpyext tests |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.error:
            lines.append(f"| {r.name or r.spec} | {r.version or '-'} | {r.error} | | | | |")
            continue
        lines.append(f"| {r.name} | {r.version} | {r.cpython_tests.cell(True)} | {cpyext_build_cell(r)} | "
                     f"{missing_cell(r)} | {import_cell(r)} | {r.cpyext_tests.cell(True)} |")
    lines.append("")
    for r in results:
        if r.error:
            continue
        lines += [f"## {r.name} {r.version}", ""]
        lines.append(f"- Extension modules (CPython build): {', '.join(r.cpython_modules) or 'none'}")
        lines.append(f"- Built for cpyext: {', '.join(r.cpyext_modules) or 'none'}"
                     + (f" (the build failed: {r.cpyext_build_error})" if r.cpyext_build_error else ""))
        for module, names in sorted(r.missing.items()):
            lines.append(f"- `{module}` imports {len(names) or 'no'} C-API symbol{'' if len(names) == 1 else 's'}"
                         " that cpyext lacks" + (": " + ", ".join(f"`{n}`" for n in names) if names else ""))
        if r.header_gaps:
            lines.append(f"- Names the compiler did not find in our headers ({len(r.header_gaps)}): "
                         + ", ".join(f"`{n}`" for n in r.header_gaps))
        if r.missing_from_cpython_build is not None:
            names = r.missing_from_cpython_build
            lines.append(f"- C-API symbols the CPython build imports that cpyext lacks (what the cpyext build "
                         f"would import, headers aside): {len(names) or 'none'}"
                         + (": " + ", ".join(f"`{n}`" for n in names) if names else ""))
        for module, outcome in sorted(r.imports.items()):
            lines.append(f"- `import {module}` under cpyext: {outcome if outcome == 'ok' else '`' + outcome + '`'}")
        for v in r.violations:
            lines.append(f"- Build problem: {v}")
        for note in r.notes:
            lines.append(f"- Note: {note}")
        lines.append(f"- Tests under CPython 3.11: {r.cpython_tests.cell()}")
        lines.append(f"- Tests under cpyext: {r.cpyext_tests.cell()}")
        lines.append("")
    return "\n".join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("packages", nargs="*", help="NAME==VERSION, an sdist, or a source directory")
    parser.add_argument("--tier", action="append", default=[],
                        help="a tier of the corpus: first (1), medium (2), hard (3), cython (4)")
    parser.add_argument("--offline", action="store_true", help="use only python3.11's setuptools and pytest")
    parser.add_argument("--no-tests", action="store_true", help="build and check symbols only")
    parser.add_argument("--report", default=os.path.join(ROOT, "docs", "compatibility.md"))
    parser.add_argument("--cpyext", default=build_ext.CPYEXT_BIN)
    parser.add_argument("--cache", default=build_ext.CACHE)
    parser.add_argument("--work", help="build and test trees (default: CACHE/work)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per test suite")
    parser.add_argument("--require-same", action="store_true",
                        help="exit 1 unless every package builds all its modules for cpyext, misses no "
                             "symbol and has the same test counts under both interpreters (CI)")
    args = parser.parse_args(argv)
    args.argv = argv
    args.work = os.path.abspath(args.work or os.path.join(args.cache, "work"))
    args.cache = os.path.abspath(args.cache)
    specs = [s for t in args.tier for s in TIERS[TIER_ALIASES.get(t, t)]] + args.packages
    if not specs:
        parser.error("name some packages or a --tier")
    if not os.path.exists(args.cpyext):
        parser.error(f"{args.cpyext} does not exist: cargo build --release first")
    results = []
    for spec in specs:
        try:
            results.append(run_package(spec, args))
        except (RuntimeError, build_ext.BuildError, subprocess.SubprocessError, OSError) as e:
            results.append(Result(spec, error=str(e).splitlines()[0]))
        r = results[-1]
        log(f"   {r.name or spec}: " + (r.error or f"CPython {r.cpython_tests.cell()}; cpyext build "
            f"{cpyext_build_cell(r)}; missing {len(r.all_missing())}; cpyext {r.cpyext_tests.cell()}"))
    text = report(results, args)
    os.makedirs(os.path.dirname(os.path.abspath(args.report)), exist_ok=True)
    with open(args.report, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    log(f"wrote {args.report}")
    if args.require_same:
        differing = [r.name or r.spec for r in results if not same_as_cpython(r)]
        if differing:
            log(f"not as under CPython 3.11: {', '.join(differing)}")
            return 1
    return 0


def same_as_cpython(r):
    """Green: every module built and importable, the same test counts."""
    if r.error or r.cpyext_build_error or r.all_missing():
        return False
    if set(r.cpython_modules) - set(r.cpyext_modules) or any(v != "ok" for v in r.imports.values()):
        return False
    a, b = r.cpython_tests, r.cpyext_tests
    return a.status == b.status == "ran" and (a.passed, a.failed, a.errors, a.skipped) == \
        (b.passed, b.failed, b.errors, b.skipped)


if __name__ == "__main__":
    sys.exit(main())
