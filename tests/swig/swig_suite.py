"""SWIG's own Python test-suite (Examples/test-suite) under both interpreters.

    python3 tests/swig/swig_suite.py [SWIG_SRC] [-n N] [--start K] [-k SUBSTR,...] [--cases NAME,...]
                                     [--builtin] [--c-only | --cpp-only] [--examples]
                                     [--cpyext BIN] [--include DIR] [--errors]
    python3 tests/swig/swig_suite.py --samples [--cpyext BIN] [--include DIR]

SWIG_SRC is a SWIG source tree (or the environment's SWIG_SRC) of the same
version as the `swig` on PATH; Debian ships no test-suite, so the tree is
not fetched here. Each selected test case that has a python/NAME_runme.py
is wrapped once by `swig -python [-c++] [-builtin]`, the wrapper is built
with the README recipe (cc/c++ -shared -fPIC -I INCLUDE) against CPython
3.11's headers and against ours, and the runme script runs under each
interpreter. A test counts for cpyext only if it passes under CPython.
Outcomes: pass, build (our headers fail to compile it), import, crash
(the interpreter died on a signal), fail (the runme raised), timeout.
--builtin wraps with `-builtin` (static types with slots instead of
Python shadow classes over flat functions), as SWIG's
`make check-python-test-suite SWIG_FEATURES=-builtin` does.
--examples runs Examples/python instead (example.i + runme.py, whose
printed output must match). --samples needs no SWIG tree: our own
tests/swig/samples/NAME.i (C++), in both styles, with NAME_test.py.
"""
import collections
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, TESTS)
import harness  # noqa: E402

BUILD = os.path.join(TESTS, "_build", "swig")
# Cases whose runme needs more than one module or a generated script.
SKIP = {"hugemod", "python_runtime_data"}


def swig_version():
    """The version of the `swig` on PATH, or None."""
    if shutil.which("swig") is None:
        return None
    out = subprocess.run(["swig", "-version"], capture_output=True, text=True).stdout
    m = re.search(r"SWIG Version (\S+)", out)
    return m.group(1) if m else None


def case_lists(suite):
    """{name: (language, extra swig options)} for the single-module cases of
    common.mk and python/Makefile.in."""
    cases, options = {}, collections.defaultdict(list)
    for path in (os.path.join(suite, "common.mk"), os.path.join(suite, "python", "Makefile.in")):
        with open(path) as f:
            text = f.read().replace("\\\n", " ")
        for m in re.finditer(r"^(\w+)_TEST_CASES\s*\+?=(.*)$", text, re.M):
            kind = m.group(1)
            if kind not in ("C", "CPP", "CPP11", "CPP14", "CPP17", "CPP_STD"):
                continue
            for word in m.group(2).split("#")[0].split():
                if not word.startswith("$"):
                    cases.setdefault(word, "c" if kind == "C" else "c++")
        for m in re.finditer(r"^(\w+)\.c(?:pp)?test:\s*SWIGOPT\s*\+=\s*(.*)$", text, re.M):
            options[m.group(1)] += m.group(2).split()
    return {name: (lang, options[name]) for name, lang in cases.items()}


def wrap(suite, name, lang, options, builtin):
    """Run swig once for the case; return (ok, wrapper path or errors)."""
    out = os.path.join(BUILD, "builtin" if builtin else "default", name)
    os.makedirs(out, exist_ok=True)
    wrapper = os.path.join(out, name + ("_wrap.cxx" if lang == "c++" else "_wrap.c"))
    iface = os.path.join(suite, name + ".i")
    if os.path.exists(wrapper) and os.path.getmtime(wrapper) >= os.path.getmtime(iface):
        return True, wrapper
    cmd = ["swig", "-python", *(["-c++"] if lang == "c++" else []), *(["-builtin"] if builtin else []),
           *options, "-I" + suite, "-outdir", out, "-o", wrapper, iface]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return False, proc.stderr
    return True, wrapper


def module_name(wrapper):
    """The extension's name, `_` + the %module SWIG wrote into the wrapper."""
    with open(wrapper, errors="replace") as f:
        for line in f:
            m = re.match(r"#\s*define SWIG_init\s+PyInit__(\w+)", line)
            if m:
                return "_" + m.group(1)
    return None


def compile_wrapper(wrapper, flavor, lang, suite, include):
    """The README recipe for one flavor; return (ok, compiler output)."""
    out = os.path.join(os.path.dirname(wrapper), flavor)
    os.makedirs(out, exist_ok=True)
    suffix = harness.CPYTHON_SUFFIX if flavor == "cpython" else harness.OUR_SUFFIX
    target = os.path.join(out, module_name(wrapper) + suffix)
    if os.path.exists(target) and os.path.getmtime(target) >= os.path.getmtime(wrapper):
        return True, ""
    # A .py shadow module written next to the wrapper is shared by both builds.
    for f in os.listdir(os.path.dirname(wrapper)):
        if f.endswith(".py"):
            shutil.copy(os.path.join(os.path.dirname(wrapper), f), out)
    cmd = ["c++" if lang == "c++" else "cc", "-shared", "-fPIC", "-I", include, "-I", suite,
           wrapper, "-o", target]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode == 0, proc.stderr


def run_case(suite, name, lang, options, flavor, builtin, include=None, timeout=120):
    """(outcome, detail) for one case under one interpreter."""
    ok, wrapper = wrap(suite, name, lang, options, builtin)
    if not ok:
        return "swig", wrapper
    if include is None:
        include = harness.cpython_include() if flavor == "cpython" else harness.OUR_INCLUDE
    ok, errors = compile_wrapper(wrapper, flavor, lang, suite, include)
    if not ok:
        return "build", errors
    out = os.path.join(os.path.dirname(wrapper), flavor)
    runme = os.path.join(suite, "python", name + "_runme.py")
    env = dict(os.environ, PYTHONPATH=out + os.pathsep + os.path.join(suite, "python"), PYTHONHASHSEED="0")
    env.pop("PYTHONHOME", None)
    try:
        proc = subprocess.run([harness.interpreter(flavor), runme], capture_output=True, text=True,
                              env=env, timeout=timeout, cwd=out)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    detail = (proc.stdout + proc.stderr)[-3000:]
    if proc.returncode == 0:
        return "pass", detail
    if proc.returncode < 0:
        return "crash", f"signal {-proc.returncode}\n{detail}"
    if re.search(r"(ImportError|ModuleNotFoundError|undefined symbol)", proc.stderr) and \
            name in proc.stderr:
        return "import", detail
    return "fail", detail


def example_cases(examples):
    """[(dir name, language, swig options, extra sources)] for Examples/python's
    single-module examples (example.i + runme.py)."""
    found = []
    for name in sorted(os.listdir(examples)):
        d = os.path.join(examples, name)
        if not (os.path.exists(os.path.join(d, "example.i")) and os.path.exists(os.path.join(d, "runme.py"))):
            continue
        with open(os.path.join(d, "Makefile")) as f:
            make = f.read()
        lang = "c++" if "python_cpp" in make else "c"
        m = re.search(r"^SWIGOPT\s*=(.*)$", make, re.M)
        sources = [os.path.join(d, f) for f in os.listdir(d) if f.endswith((".c", ".cxx"))]
        found.append((name, lang, m.group(1).split() if m else [], sources))
    return found


def run_example(examples, name, lang, options, sources, flavor, builtin, include=None, timeout=120):
    """(outcome, output) for one of Examples/python under one interpreter."""
    d = os.path.join(examples, name)
    out = os.path.join(BUILD, "examples-builtin" if builtin else "examples", name, flavor)
    os.makedirs(out, exist_ok=True)
    wrapper = os.path.join(out, "example_wrap" + (".cxx" if lang == "c++" else ".c"))
    cmd = ["swig", "-python", *(["-c++"] if lang == "c++" else []), *(["-builtin"] if builtin else []),
           *options, "-outdir", out, "-o", wrapper, os.path.join(d, "example.i")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return "swig", proc.stderr
    if include is None:
        include = harness.cpython_include() if flavor == "cpython" else harness.OUR_INCLUDE
    suffix = harness.CPYTHON_SUFFIX if flavor == "cpython" else harness.OUR_SUFFIX
    cmd = ["c++" if lang == "c++" else "cc", "-shared", "-fPIC", "-I", include, "-I", d,
           wrapper, *sources, "-o", os.path.join(out, "_example" + suffix)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return "build", proc.stderr
    shutil.copy(os.path.join(d, "runme.py"), out)
    # Unbuffered, as C printf and Python print share the output in order.
    env = dict(os.environ, PYTHONPATH=out, PYTHONHASHSEED="0", PYTHONUNBUFFERED="1")
    env.pop("PYTHONHOME", None)
    try:
        proc = subprocess.run([harness.interpreter(flavor), "runme.py"], capture_output=True, text=True,
                              env=env, timeout=timeout, cwd=out)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    if proc.returncode < 0:
        return "crash", f"signal {-proc.returncode}\n{proc.stdout}{proc.stderr}"
    # Addresses of SWIG pointer objects differ from run to run.
    text = re.sub(r"0x[0-9a-f]+", "0x?", proc.stdout)
    return ("pass" if proc.returncode == 0 else "fail"), text + (proc.stderr if proc.returncode else "")


def examples_main(src, builtin, include):
    import difflib
    examples = os.path.join(src, "Examples", "python")
    counts, failures = collections.Counter(), []
    for name, lang, options, sources in example_cases(examples):
        ref, ref_out = run_example(examples, name, lang, options, sources, "cpython", builtin)
        if ref != "pass":
            counts["cpython-" + ref] += 1
            print(f"{name:40} CPython {ref}", flush=True)
            continue
        ours, out = run_example(examples, name, lang, options, sources, "cpyext", builtin, include)
        if ours == "pass" and out != ref_out:
            ours = "differs"
            out = "\n".join(difflib.unified_diff(ref_out.splitlines(), out.splitlines(), "cpython", "cpyext",
                                                 lineterm=""))
        counts[ours] += 1
        print(f"{name:40} {ours}", flush=True)
        if ours != "pass":
            failures.append((name, ours, out))
    for name, outcome, detail in failures:
        print(f"===== {name}: {outcome}\n{detail[-3000:]}")
    print("SUMMARY", dict(counts))
    return 0 if not failures else 1


SAMPLES = os.path.join(HERE, "samples")


def sample_names():
    return sorted(f[:-2] for f in os.listdir(SAMPLES) if f.endswith(".i"))


def run_sample(name, flavor, builtin, include=None):
    """tests/swig/samples/NAME.i (C++) wrapped, built for one flavor, and
    NAME_test.py run there: (ok, output)."""
    out = os.path.join(BUILD, "samples-builtin" if builtin else "samples", name)
    os.makedirs(out, exist_ok=True)
    wrapper = os.path.join(out, name + "_wrap.cxx")
    iface = os.path.join(SAMPLES, name + ".i")
    if not (os.path.exists(wrapper) and os.path.getmtime(wrapper) >= os.path.getmtime(iface)):
        cmd = ["swig", "-python", "-c++", *(["-builtin"] if builtin else []), "-outdir", out, "-o", wrapper, iface]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"swig failed on {iface}:\n{proc.stderr}")
    if include is None:
        include = harness.cpython_include() if flavor == "cpython" else harness.OUR_INCLUDE
    ok, errors = compile_wrapper(wrapper, flavor, "c++", SAMPLES, include)
    if not ok:
        return False, f"BUILD FAILED\n{errors}"
    proc = harness.run_script(os.path.join(SAMPLES, name + "_test.py"), flavor, os.path.join(out, flavor))
    return proc.returncode == 0, proc.stdout + (f"----- stderr (exit {proc.returncode})\n{proc.stderr}"
                                                 if proc.returncode else "")


def selected_cases(suite, args):
    cases = case_lists(suite)
    names = sorted(n for n in cases if n not in SKIP
                   and os.path.exists(os.path.join(suite, "python", n + "_runme.py")))
    if args.k:
        names = [n for n in names if any(k in n for k in args.k.split(","))]
    if args.cases:
        names = [n for n in args.cases.split(",") if n in names]
    if args.c_only:
        names = [n for n in names if cases[n][0] == "c"]
    if args.cpp_only:
        names = [n for n in names if cases[n][0] == "c++"]
    names = names[args.start:]
    if args.n:
        names = names[:args.n]
    return [(n, *cases[n]) for n in names]


def main(argv):
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("src", nargs="?", default=os.environ.get("SWIG_SRC"))
    p.add_argument("-n", type=int, default=0)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("-k", default="", help="substrings, comma-separated")
    p.add_argument("--cases", default="", help="exact case names, comma-separated")
    p.add_argument("--builtin", action="store_true")
    p.add_argument("--c-only", action="store_true")
    p.add_argument("--cpp-only", action="store_true")
    p.add_argument("--cpyext")
    p.add_argument("--include")
    p.add_argument("--errors", action="store_true")
    p.add_argument("--examples", action="store_true")
    p.add_argument("--samples", action="store_true")
    args = p.parse_args(argv)
    if swig_version() is None:
        print("SKIP: swig is not installed (apt-get install swig)")
        return 0
    if args.cpyext:
        harness.CPYEXT_BIN = args.cpyext
    if args.samples:
        import difflib
        failed = 0
        for name in sample_names():
            for builtin in (False, True):
                ref_ok, ref = run_sample(name, "cpython", builtin)
                ok, ours = run_sample(name, "cpyext", builtin, args.include)
                diff = list(difflib.unified_diff(ref.splitlines(), ours.splitlines(), "cpython", "cpyext",
                                                 lineterm=""))
                same = ref_ok and not diff
                failed += not same
                print(f"===== {name}{' -builtin' if builtin else ''}: " + ("SAME OUTPUT" if same else "DIFFERENT"))
                if not same:
                    print(ref if not ref_ok else "\n".join(diff[:200]))
        return 1 if failed else 0
    suite = os.path.join(args.src or "", "Examples", "test-suite")
    if not args.src or not os.path.isdir(suite):
        print(f"SKIP: no SWIG {swig_version()} source tree given (argument or SWIG_SRC); "
              "its Examples/test-suite is needed")
        return 0
    if args.examples:
        return examples_main(args.src, args.builtin, args.include)
    counts, failures = collections.Counter(), []
    for name, lang, options in selected_cases(suite, args):
        ref, ref_detail = run_case(suite, name, lang, options, "cpython", args.builtin)
        if ref != "pass":
            counts["cpython-" + ref] += 1
            print(f"{name:40} CPython {ref}", flush=True)
            continue
        ours, detail = run_case(suite, name, lang, options, "cpyext", args.builtin, include=args.include)
        counts[ours] += 1
        print(f"{name:40} {ours}", flush=True)
        if ours != "pass":
            failures.append((name, ours, detail))
    for name, outcome, detail in failures:
        print(f"===== {name}: {outcome}")
        print(detail if args.errors or outcome != "build" else detail[:1500])
    print("SUMMARY", dict(counts))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
