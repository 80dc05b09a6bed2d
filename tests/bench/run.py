"""Boundary benchmark: CPython 3.11 vs PyPy 3.9 vs cpyext (RustPython + our layer).

    python3 tests/bench/run.py [--quick] [--app]

Builds tests/bench/bench_ext.c three times (CPython 3.11 headers, PyPy's
headers, cpyext's headers in include/), then runs this same file as the
timing script ("child" mode) under every interpreter that exists, one after
the other, and prints one side-by-side table:

  * ns per call (median of several repeats, each repeat auto-sized to a fixed
    wall-clock time, 10 calls per loop iteration so loop overhead is small)
    for calls into bench_ext ("C ext" columns) and for comparable work done by
    the interpreter's own builtins with no C extension at all ("builtins"
    columns), so that RustPython's own cost shows up beside the layer's;
  * RSS (from /proc/self/statm) before and after 1,000,000 METH_O crossings
    each of fresh ints, floats, strs, bytes, tuples, lists, dicts and
    instances of a C type, in a fresh process per interpreter (the "builtins"
    column runs the same loop through a pure-Python identity function
    instead, i.e. what the interpreter itself does with no C);
  * with --app, the application-level benchmarks (tests/sqlite/bench.py,
    tests/mysql/bench.py, tests/postgres/bench.py: pysqlite3, MySQLdb and
    psycopg2 against CPython 3.11), each in its own process, with the
    cpyext/CPython ratios collected at the end.

A missing interpreter, a failed build, an import error, a crash or a time-out
shows up as "n/a" (with the reason listed below the table) instead of failing
the whole run.  Environment overrides: CPYTHON_BIN, PYPY_BIN, CPYEXT_BIN.

The child mode imports nothing beyond os/sys/time/json (it must run under
RustPython and PyPy 3.9) and prints one JSON object per line, flushed, so a
child that crashes half-way still reports what it measured.
"""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "bench_ext.c")
MODULE = "bench_ext"
UNROLL = 10

# (key, label, C-ext statement, C-ext object, builtin statement, builtin object)
# In the statements, `f` is the object (bound to a local), `i` the loop
# variable (a fresh int each iteration), b/c small ints, `t` is int, `bs` a
# one-byte bytes object, `lst` a 1000-int list, `d` a 1000-entry int dict,
# `s` a 44-character non-ASCII str, `g` a Python function returning its
# argument, `r` range(1000, 1100) and `o` an instance of a Python class.
# The objects are expressions: evaluated in bench_ext's namespace for the
# C-ext column, in the builtins (plus g) for the builtin column.
BENCHES = [
    ("noargs", "METH_NOARGS",
     "f()", "noargs", "f()", "int"),
    ("meth_o", "METH_O (int in, same int out)",
     "f(i)", "meth_o", "f(i)", "abs"),
    ("varargs", "METH_VARARGS (3 args)",
     "f(i, b, c)", "varargs", "f(i, b, c)", "max"),
    ("varargs_kw", "METH_VARARGS|METH_KEYWORDS (3 args + 2 kw)",
     "f(i, b, c, x=1, y=2)", "varargs_kw",
     "f(bs, byteorder='little', signed=False)", "int.from_bytes"),
    ("fastcall", "METH_FASTCALL (2 args)",
     "f(i, b)", "fastcall", "f(i, t)", "isinstance"),
    ("parse_store", "PyArg_ParseTuple \"is\" into a C struct",
     "f(i, s)", "parse_store", "f(o, s, i)", "setattr"),
    ("member_int", "member get, T_INT",
     "f.x", "Bench()", "f.start", "slice(1000, 2000)"),
    ("member_obj", "member get, T_OBJECT",
     "f.y", "Bench()", "f.stop", "slice(1000, 2000)"),
    ("list_sum", "list walk, 1000 ints (PyList_GET_ITEM)",
     "f(lst)", "list_sum", "f(lst)", "sum"),
    ("dict_sum", "dict walk, 1000 entries (PyDict_Next)",
     "f(d)", "dict_sum", "f(d.values())", "sum"),
    ("make_tuple", "tuple of 100 fresh ints (PyTuple_New)",
     "f()", "make_tuple", "f(r)", "tuple"),
    ("utf8", "PyUnicode_AsUTF8AndSize, same str",
     "f(s)", "utf8_size", "f(s)", "len"),
    ("call_py", "C calls a Python function (CallOneArg)",
     "f(g, i)", "call_one", "f(i)", "g"),
]

# How the builtin column's expression is shown in the table.
BUILTIN_SHOWN = {
    "noargs": "int()", "meth_o": "abs(i)", "varargs": "max(i, b, c)",
    "varargs_kw": "int.from_bytes(bs, byteorder=, signed=)",
    "fastcall": "isinstance(i, int)", "parse_store": "setattr(o, s, i)",
    "member_int": "slice(1000, 2000).start", "member_obj": "slice(1000, 2000).stop",
    "list_sum": "sum(lst)", "dict_sum": "sum(d.values())",
    "make_tuple": "tuple(range(1000, 1100))", "utf8": "len(s)",
    "call_py": "g(i) called from Python",
}

# Memory rows: (key, label, expression making the object that crosses).
MEM_KINDS = [
    ("int", "fresh ints    f(i + 10**6)", "i + 1000000"),
    ("float", "fresh floats  f(i * 0.5)", "i * 0.5"),
    ("str", "fresh strs    f(str(i))", "str(i)"),
    ("bytes", "fresh bytes   f(b'%d' % i)", "b'%d' % i"),
    ("tuple", "fresh tuples  f((i, i))", "(i, i)"),
    ("list", "fresh lists   f([i])", "[i]"),
    ("dict", "fresh dicts   f({i: i})", "{i: i}"),
    ("cobj", "C-type instances f(Bench())", "Bench()"),
]

MEM_KEYS = [k for k, _l, _e in MEM_KINDS]
MEM_N = 1000000
MEM_N_QUICK = 200000


# --------------------------------------------------------------------------
# child mode: runs under CPython, PyPy or the cpyext binary
# --------------------------------------------------------------------------

def _emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _clock():
    pc = getattr(time, "perf_counter_ns", None)
    if pc is not None:
        return pc
    return lambda: int(time.perf_counter() * 1e9)


def _make_bench(stmt):
    body = "\n".join("        " + stmt for _ in range(UNROLL))
    src = ("def _bench(n, pc, f, b, c, t, bs, lst, d, s, g, r, o):\n"
           "    t0 = pc()\n"
           "    for i in range(1000, 1000 + n):\n"
           + body + "\n"
           "    return pc() - t0\n")
    ns = {}
    exec(compile(src, "<bench %s>" % stmt, "exec"), ns)
    return ns["_bench"]


def _median(values):
    s = sorted(values)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2.0


def _g(x):
    return x


class _Plain(object):
    pass


def _resolve(expr, ext):
    if ext is not None:
        return eval(expr, dict(vars(ext)))
    import builtins
    scope = dict(vars(builtins))
    scope["g"] = _g
    return eval(expr, scope)


def _time_one(bench, f, data, target_ns, repeats, pc):
    args = (pc, f) + data
    # calibrate: grow n until one run takes a noticeable time
    n = 8
    while True:
        dt = bench(n, *args)
        if dt >= target_ns // 5 or n >= 1 << 26:
            break
        n *= 4
    n = max(1, int(n * target_ns / max(dt, 1)))
    bench(n, *args)  # warm-up at full size (lets PyPy's JIT settle)
    per_call = [bench(n, *args) / float(n * UNROLL) for _ in range(repeats)]
    return _median(per_call), min(per_call), max(per_call), n * UNROLL


def child_time(quick, want_ext, budget_s):
    pc = _clock()
    deadline = time.time() + budget_s
    target_ns = 20000000 if quick else 100000000   # one repeat: 20 ms / 100 ms
    repeats = 3 if quick else 7
    _emit({"kind": "info", "version": sys.version.split("\n")[0],
           "impl": getattr(sys, "implementation", None) and sys.implementation.name})
    ext = None
    if want_ext:
        try:
            ext = __import__(MODULE)
        except BaseException as e:  # report and go on with the builtins
            _emit({"kind": "ext_error", "error": "%s: %s" % (type(e).__name__, e)})
    lst = list(range(1000))
    d = dict((k, k) for k in range(1000))
    s = u"na\u00efve caf\u00e9 \u2013 " * 3 + u"\u00e0 la carte"
    r = range(1000, 1100)
    o = _Plain()
    data = (2, 3, int, b"\x07", lst, d, s, _g, r, o)
    expected = {"noargs": None, "meth_o": 1000, "varargs": 1000, "varargs_kw": 5,
                "fastcall": 1000, "list_sum": sum(lst), "dict_sum": sum(d.values()),
                "parse_store": None, "member_int": 1000, "member_obj": 1000,
                "make_tuple": tuple(r), "utf8": len(s.encode("utf-8")), "call_py": 1000}
    # builtins first: if the layer crashes the process, RustPython's own
    # numbers are already out
    plan = [("builtin", key, bi_stmt, bi_name) for key, _l, _es, _en, bi_stmt, bi_name in BENCHES]
    if ext is not None:
        plan += [("ext", key, ext_stmt, ext_name) for key, _l, ext_stmt, ext_name, _bs, _bn in BENCHES]
    for column, key, stmt, name in plan:
        if time.time() > deadline:
            _emit({"kind": "error", "bench": key, "column": column, "error": "time budget used up"})
            continue
        try:
            f = _resolve(name, ext if column == "ext" else None)
            if column == "ext":
                # one checked call first: a wrong answer is not a timing
                scope = {"f": f, "i": 1000, "b": 2, "c": 3, "t": int, "bs": b"\x07",
                         "lst": lst, "d": d, "s": s, "g": _g, "r": r, "o": o}
                got = eval(stmt, scope)
                if got != expected[key]:
                    raise AssertionError("wrong result %r, expected %r" % (got, expected[key]))
            med, lo, hi, calls = _time_one(_make_bench(stmt), f, data, target_ns, repeats, pc)
            _emit({"kind": "time", "bench": key, "column": column, "ns": med,
                   "min": lo, "max": hi, "calls": calls})
        except BaseException as e:
            _emit({"kind": "error", "bench": key, "column": column,
                   "error": "%s: %s" % (type(e).__name__, e)})


def _page_size():
    try:
        return os.sysconf("SC_PAGE_SIZE")
    except Exception:
        return 4096


def _rss(page):
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * page


def _collect():
    try:
        import gc
        gc.collect()
    except Exception:
        pass


def child_mem(quick, via):
    n = MEM_N_QUICK if quick else MEM_N
    page = _page_size()
    scope = {"_Plain": _Plain}
    if via == "ext":
        try:
            ext = __import__(MODULE)
        except BaseException as e:
            _emit({"kind": "ext_error", "error": "%s: %s" % (type(e).__name__, e)})
            return
        scope["f"] = ext.meth_o
        scope["Bench"] = ext.Bench
    else:
        scope["f"] = _g
        scope["Bench"] = _Plain   # a Python class instance stands in for the C type
    phases = []
    for key, _label, expr in MEM_KINDS:
        src = ("def _phase(count):\n"
               "    for i in range(count):\n"
               "        f(%s)\n" % expr)
        exec(compile(src, "<mem %s>" % key, "exec"), scope)
        phases.append((key, scope.pop("_phase")))
    for _key, phase in phases:   # warm-up: let caches and arenas settle
        phase(20000)
    _collect()
    before = _rss(page)
    _emit({"kind": "mem", "via": via, "what": "before", "bytes": before, "n": n})
    last = before
    for key, phase in phases:
        phase(n)
        now = _rss(page)
        _emit({"kind": "mem", "via": via, "what": key, "bytes": now - last, "n": n})
        last = now
    _emit({"kind": "mem", "via": via, "what": "after", "bytes": last, "n": n})
    _collect()
    _emit({"kind": "mem", "via": via, "what": "after_gc", "bytes": _rss(page), "n": n})


def child_count(key, column, n):
    """One case run n times (n * UNROLL statements) after a warm-up, with
    the cycle collector off, for instructions.py, which runs this under
    callgrind for two n and takes the difference. `--bench empty` is the
    loop alone."""
    ext = __import__(MODULE) if column == "ext" else None
    lst = list(range(1000))
    d = dict((k, k) for k in range(1000))
    s = u"na\u00efve caf\u00e9 \u2013 " * 3 + u"\u00e0 la carte"
    data = (2, 3, int, b"\x07", lst, d, s, _g, range(1000, 1100), _Plain())
    if key == "empty":
        stmt, name = "pass", "None"
    else:
        (case,) = [b for b in BENCHES if b[0] == key]
        stmt, name = (case[2], case[3]) if column == "ext" else (case[4], case[5])
    bench = _make_bench(stmt)
    f = _resolve(name, ext)
    bench(50, _clock(), f, *data)   # warm-up: the loop's specialisations, first-call set-up
    # A collection falls in one of the two runs and not the other: its
    # cost, over the whole heap, would swamp a call's.
    import gc
    gc.collect()
    gc.disable()
    bench(n, _clock(), f, *data)


def child_main(argv):
    quick = "--quick" in argv
    mode = argv[argv.index("--child") + 1]
    if mode == "count":
        child_count(argv[argv.index("--bench") + 1], argv[argv.index("--column") + 1],
                    int(argv[argv.index("--n") + 1]))
    elif mode == "time":
        budget = float(argv[argv.index("--budget") + 1]) if "--budget" in argv else 60.0
        child_time(quick, "--ext" in argv, budget)
    else:
        child_mem(quick, argv[argv.index("--via") + 1])


# --------------------------------------------------------------------------
# parent mode: runs under CPython 3.11, builds, drives the children, prints
# --------------------------------------------------------------------------

INTERPRETERS = [
    # key, column title prefix, builtins title
    ("cpython", "CPython 3.11", "CPython builtins"),
    ("pypy", "PyPy", "PyPy builtins"),
    ("cpyext", "cpyext", "RustPython builtins"),
]


def _which(prog):
    import shutil
    if os.sep in prog:
        return prog if os.access(prog, os.X_OK) else None
    return shutil.which(prog)


def _build_pypy(pypy, harness):
    import subprocess
    out = subprocess.run([pypy, "-c",
                          "import sysconfig, importlib.machinery as m; "
                          "print(sysconfig.get_paths()['include']); print(m.EXTENSION_SUFFIXES[0])"],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError("cannot ask %s for its include dir: %s" % (pypy, out.stderr.strip()))
    include, suffix = out.stdout.split()
    if not os.path.exists(os.path.join(include, "Python.h")):
        raise RuntimeError("no Python.h in %s (install pypy3-dev)" % include)
    outdir = os.path.join(harness.BUILD, "pypy")
    os.makedirs(outdir, exist_ok=True)
    target = os.path.join(outdir, MODULE + suffix)
    cmd = ["cc", *harness.CFLAGS, "-O2", "-I", include, SOURCE, "-o", target]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("build for pypy failed:\n%s\n%s" % (" ".join(cmd), proc.stderr))
    return outdir


def _run_child(interp, args, path, timeout):
    """Run this file in child mode; return (records, problem or None)."""
    import subprocess
    env = dict(os.environ)
    env.pop("PYTHONHOME", None)
    env["PYTHONHASHSEED"] = "0"
    if path:
        env["PYTHONPATH"] = path
    else:
        env.pop("PYTHONPATH", None)
    cmd = [interp, os.path.abspath(__file__), *args]
    problem = None
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=HERE)
        out, err, rc = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as e:
        out = e.stdout or b""
        out = out.decode("utf-8", "replace") if isinstance(out, bytes) else out
        err, rc = "", None
        problem = "timed out after %ds" % timeout
    except OSError as e:
        return [], "cannot run %s: %s" % (interp, e)
    records = []
    for line in out.splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            pass
    if rc not in (0, None):
        tail = (err or "").strip().splitlines()[-3:]
        problem = "exit status %s%s" % (rc, (": " + " | ".join(tail)) if tail else "")
    return records, problem


def _fmt_ns(v):
    if v is None:
        return "n/a"
    return "%.1f" % v if v < 100 else "%.0f" % v


def _fmt_mib(v):
    return "n/a" if v is None else "%.1f" % (v / 1048576.0)


APPS = [
    # (title, script, what must exist first, how to get it)
    ("pysqlite3", "tests/sqlite/bench.py",
     "/tmp/cpyext-sqlite-suite/build-cpyext", "python3 tests/sqlite/run_suite.py (builds pysqlite3 twice)"),
    ("MySQLdb", "tests/mysql/bench.py", None,
     "bash tests/mysql/setup.sh (MariaDB server, libmariadb-dev, the sdist); bench.py builds"),
    ("psycopg2", "tests/postgres/bench.py", None,
     "bash tests/postgres/setup.sh (PostgreSQL, libpq-dev, the sdist); bench.py builds"),
]


def app_main():
    """Runs the three database benchmarks one after the other; returns summary lines."""
    import re
    import subprocess
    root = os.path.dirname(os.path.dirname(HERE))
    summary = []
    for title, script, needs, how in APPS:
        print("\n=== %s: %s" % (title, script), flush=True)
        if needs and not os.path.exists(needs):
            print("not run: %s is missing; run %s" % (needs, how))
            summary.append("%-10s not run (%s)" % (title, how))
            continue
        try:
            proc = subprocess.run([sys.executable, os.path.join(root, script)], cwd=root,
                                  capture_output=True, text=True, timeout=3600)
        except subprocess.TimeoutExpired:
            summary.append("%-10s timed out after 3600 s" % title)
            continue
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
            print("exit status %d: %s" % (proc.returncode, tail))
            summary.append("%-10s not run or failed (exit %d): %s; setup: %s"
                           % (title, proc.returncode, tail, how))
            continue
        for line in proc.stdout.splitlines():
            m = re.match(r"^(.*?)\s+([0-9.]+)s\s+([0-9.]+)s\s+([0-9.]+)x$", line)
            if m:
                summary.append("%-10s %-36s %8ss %8ss %7sx" % ((title,) + m.groups()))
    return summary


def parent_main(argv):
    quick = "--quick" in argv
    if "--app" in argv:
        summary = app_main()
        print("\napplication level, best of 3, CPython 3.11 vs cpyext (ratio = cpyext / CPython):")
        print("%-10s %-36s %9s %9s %8s" % ("driver", "operation", "CPython", "cpyext", "ratio"))
        for line in summary:
            print(line)
        return 0
    sys.path.insert(0, os.path.dirname(HERE))
    import harness

    started = time.time()
    interp_bin = {
        "cpython": _which(harness.CPYTHON),
        "pypy": _which(os.environ.get("PYPY_BIN", "pypy3")),
        "cpyext": _which(harness.CPYEXT_BIN),
    }
    notes = []
    builds = {}
    for key, title, _ in INTERPRETERS:
        if interp_bin[key] is None:
            notes.append("%s: interpreter not found" % title)
            continue
        try:
            if key == "pypy":
                builds[key] = _build_pypy(interp_bin[key], harness)
            else:
                builds[key] = harness.build(SOURCE, key, extra=("-O2",))
        except Exception as e:
            first = str(e).strip().splitlines()
            notes.append("%s: build of bench_ext failed: %s" % (title, " / ".join(first[:1] + first[2:4])))

    # results[key] = {"time": {(bench, column): ns}, "mem": {(via, what): bytes}, ...}
    results = {}
    versions = {}
    time_budget = 60 if quick else 150
    mem_timeout = 90 if quick else 300
    for key, title, bi_title in INTERPRETERS:
        interp = interp_bin[key]
        if interp is None:
            continue
        res = {"time": {}, "mem": {}}
        results[key] = res
        path = builds.get(key)
        args = ["--child", "time", "--budget", str(time_budget)] + (["--ext"] if path else [])
        if quick:
            args.append("--quick")
        print("running %s (%s) ..." % (title, interp), file=sys.stderr, flush=True)
        records, problem = _run_child(interp, args, path, time_budget + 30)
        if problem:
            notes.append("%s timing run: %s" % (title, problem))
        for r in records:
            if r["kind"] == "info":
                versions[key] = r["version"]
            elif r["kind"] == "ext_error":
                notes.append("%s: import bench_ext failed: %s" % (title, r["error"]))
            elif r["kind"] == "time":
                res["time"][(r["bench"], r["column"])] = r["ns"]
            elif r["kind"] == "error":
                notes.append("%s, %s (%s): %s" % (title, r["bench"], r["column"], r["error"]))
        for via in (("ext", "py") if path else ("py",)):
            margs = ["--child", "mem", "--via", via] + (["--quick"] if quick else [])
            records, problem = _run_child(interp, margs, path, mem_timeout)
            if problem:
                notes.append("%s memory run (%s): %s" % (title, via, problem))
            for r in records:
                if r["kind"] == "mem":
                    res["mem"][(via, r["what"])] = r["bytes"]
                elif r["kind"] == "ext_error":
                    pass  # already reported by the timing run

    # ---- the table
    columns = []   # (interp key, column kind, header line 1, header line 2)
    for key, title, bi_title in INTERPRETERS:
        columns.append((key, "ext", title, "(C ext)"))
        columns.append((key, "builtin", bi_title.rsplit(" ", 1)[0], "builtins"))
    label_w = 44
    col_w = 14
    sep = "-" * (label_w + col_w * len(columns))

    def row(label, cells):
        return label.ljust(label_w) + "".join(c.rjust(col_w) for c in cells)

    def cell_time(key, bench, column):
        res = results.get(key)
        return _fmt_ns(res["time"].get((bench, column)) if res else None)

    def cell_mem(key, column, what):
        res = results.get(key)
        via = "ext" if column == "ext" else "py"
        if not res:
            return "n/a"
        if what == "growth":
            a, b = res["mem"].get((via, "before")), res["mem"].get((via, "after"))
            return "n/a" if a is None or b is None else "%+.1f" % ((b - a) / 1048576.0)
        v = res["mem"].get((via, what))
        if v is None:
            return "n/a"
        return ("%+.1f" % (v / 1048576.0)) if what in MEM_KEYS else _fmt_mib(v)

    mem_n = MEM_N_QUICK if quick else MEM_N
    print()
    print("cpyext boundary benchmark%s: ns per call, median of %d repeats (lower is better)"
          % (" (--quick)" if quick else "", 3 if quick else 7))
    for key, title, _ in INTERPRETERS:
        if key in versions:
            print("  %-13s %s" % (title + ":", versions[key].split(" (")[0] + "  " + interp_bin[key]))
    print(sep)
    print(row("", [c[2] for c in columns]))
    print(row("ns per call", [c[3] for c in columns]))
    print(sep)
    for bench, label, _es, _en, _bs, _bn in BENCHES:
        print(row(label, [cell_time(k, bench, col) for k, col, _, _ in columns]))
    print(sep)
    print(row("RSS, MiB (%s crossings of each kind)" % format(mem_n, ","), [""] * len(columns)))
    print(sep)
    for what, label in ([("before", "RSS before (after warm-up)")]
                        + [(k, "  growth, " + lab) for k, lab, _e in MEM_KINDS]
                        + [("after", "RSS after"),
                        ("growth", "RSS growth (after - before)"),
                        ("after_gc", "RSS after gc.collect()")]):
        print(row(label, [cell_mem(k, col, what) for k, col, _, _ in columns]))
    print(sep)
    print("C ext columns call bench_ext (f = bench_ext.<name>, i = loop variable, %d calls per"
          % UNROLL)
    print("loop iteration); builtins columns do comparable work with no C extension:")
    for bench, label, _es, _en, _bs, _bn in BENCHES:
        print("  %-42s ~ %s" % (label, BUILTIN_SHOWN[bench]))
    print("PyPy's JIT inlines or removes pure builtin calls, so ~0 ns there means optimised away.")
    print("Memory rows: each column is a fresh process; the C ext column passes every object")
    print("through bench_ext.meth_o, the builtins column through a Python `def f(x): return x`")
    print("(and makes instances of a Python class where the C ext column makes bench_ext.Bench).")
    if notes:
        print("n/a, and why:")
        for n in notes:
            print("  - " + n)
    print("total time %.0f s" % (time.time() - started))
    return 0


if __name__ == "__main__":
    if "--child" in sys.argv:
        child_main(sys.argv[1:])
    else:
        sys.exit(parent_main(sys.argv[1:]))
