"""The public names a set of C headers declares, read with libclang.

    python3 tests/header_names.py [--ours] [--gap]

Both CPython 3.11's installed headers and ours are parsed from one
translation unit that includes Python.h and the stand-alone headers an
extension may include on its own. A name counts when its declaration or
#define sits in a file of that include tree (Include/internal excluded), and
it is public: no leading underscore; or an underscore function or data
name (CPython's private API, which its public headers declare and real
extensions call); or an underscore name listed in
tests/public_underscore_names.txt (names CPython's public macros expand to).
Underscore macros, types and constants are CPython's own helpers and do not
count.
"""
import os
import re
import subprocess
import sys
import tempfile

import clang.cindex as ci

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUR_INCLUDE = os.path.join(ROOT, "include")
STANDALONE = ["Python.h", "datetime.h", "structmember.h", "frameobject.h", "marshal.h", "pythread.h"]

KINDS = {
    ci.CursorKind.FUNCTION_DECL: "function",
    ci.CursorKind.VAR_DECL: "data",
    ci.CursorKind.TYPEDEF_DECL: "typedef",
    ci.CursorKind.STRUCT_DECL: "struct",
    ci.CursorKind.UNION_DECL: "struct",
    ci.CursorKind.ENUM_DECL: "enum",
    ci.CursorKind.ENUM_CONSTANT_DECL: "constant",
    ci.CursorKind.MACRO_DEFINITION: "macro",
}


def cpython_include():
    out = subprocess.run(["python3.11", "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def public_underscore_names():
    path = os.path.join(HERE, "public_underscore_names.txt")
    with open(path) as f:
        return {l.split("#")[0].strip() for l in f if l.split("#")[0].strip()}


def standalone_includes(include_dir):
    """`#include` lines for the stand-alone headers the tree has (a missing
    one is a gap of its own, see missing_headers())."""
    return "".join(f"#include <{h}>\n" for h in STANDALONE if os.path.exists(os.path.join(include_dir, h)))


def parse(include_dir, options=0):
    """libclang's translation unit of the tree's stand-alone headers."""
    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
        f.write(standalone_includes(include_dir))
        source = f.name
    try:
        # The wheel's libclang has no resource headers (stddef.h): borrow gcc's.
        gcc_include = subprocess.run(["gcc", "-print-file-name=include"], capture_output=True, text=True).stdout.strip()
        return ci.Index.create().parse(source, args=["-I", include_dir, "-isystem", gcc_include, "-std=c11"],
                                       options=options)
    finally:
        os.unlink(source)


def declared(include_dir):
    """{name: (kind, header file relative to include_dir)} for every name the tree declares."""
    include_dir = os.path.realpath(include_dir)
    tu = parse(include_dir, ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD)
    errors = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    if errors:
        raise RuntimeError(f"{include_dir}: " + "; ".join(str(d) for d in errors[:5]))
    names = {}

    def visit(cursor):
        for child in cursor.get_children():
            kind = KINDS.get(child.kind)
            loc = child.location.file
            if kind and loc is not None and child.spelling:
                path = os.path.realpath(loc.name)
                if path.startswith(include_dir + os.sep):
                    rel = os.path.relpath(path, include_dir)
                    if not rel.startswith("internal" + os.sep):
                        names.setdefault(child.spelling, (kind, rel))
            if child.kind in (ci.CursorKind.ENUM_DECL,):
                visit(child)

    visit(tu.cursor)
    return names


def missing_headers():
    """Header files CPython 3.11 installs, at the top level and under
    cpython/ (which extensions include by path too), that include/ lacks."""
    missing = []
    for sub in ("", "cpython"):
        theirs = {h for h in os.listdir(os.path.join(cpython_include(), sub)) if h.endswith(".h")}
        ours = set(os.listdir(os.path.join(OUR_INCLUDE, sub)))
        missing += [os.path.join(sub, h) for h in sorted(theirs - ours)]
    return missing


def public(names, extra):
    return {n: v for n, v in names.items()
            if not n.startswith("_") or n in extra or v[0] in ("function", "data")}


def gap():
    extra = public_underscore_names()
    theirs = public(declared(cpython_include()), extra)
    ours = declared(OUR_INCLUDE)
    return theirs, ours, {n: v for n, v in theirs.items() if n not in ours}


if __name__ == "__main__":
    theirs, ours, missing = gap()
    print(f"CPython 3.11 public names: {len(theirs)}; declared by ours: {len(theirs) - len(missing)}; missing: {len(missing)}")
    if "--gap" in sys.argv:
        for n, (k, h) in sorted(missing.items(), key=lambda x: (x[1][1], x[0])):
            print(f"{h}\t{k}\t{n}")


def typedef_shapes(include_dir):
    """{typedef name: (kind of its canonical type, size)} for the typedefs the
    tree declares: `printfunc` must be an integer, as CPython 3.11 has it."""
    include_dir = os.path.realpath(include_dir)
    shapes = {}
    for c in parse(include_dir).cursor.get_children():
        if c.kind == ci.CursorKind.TYPEDEF_DECL and c.location.file is not None \
                and os.path.realpath(c.location.file.name).startswith(include_dir + os.sep):
            t = c.underlying_typedef_type.get_canonical()
            shapes[c.spelling] = (t.kind.name, t.get_size())
    return shapes


def integer_macros(include_dir, names=None):
    """{macro: value} for the object-like macros of the tree that are integer
    constants (Py_TPFLAGS_DEFAULT, METH_*, PyBUF_*...), as a program built
    against it prints them."""
    headers = standalone_includes(include_dir)
    if names is None:
        out = subprocess.run(["gcc", "-dM", "-E", "-I", include_dir, "-x", "c", "-"], input=headers,
                             capture_output=True, text=True, check=True).stdout
        names = sorted({m.group(1) for m in re.finditer(r"^#define (\w+) ", out, re.M)
                        if not m.group(1).startswith("__")})
    # Only macros gcc folds to a constant are printed; the rest (calls,
    # addresses) are not values. Symbols stay unresolved: never called.
    with tempfile.TemporaryDirectory() as tmp:
        source, program = os.path.join(tmp, "values.c"), os.path.join(tmp, "values")
        usable = list(names)
        for _ in range(20):  # drop the names that do not compile as expressions
            with open(source, "w") as f:
                f.write(headers + "#include <stdio.h>\nint main(void) {\n"
                        + "".join(f'if (__builtin_constant_p((long long)({n}))) printf("{n} %lld\\n", (long long)({n}));\n'
                                  for n in usable) + "return 0; }\n")
            proc = subprocess.run(["gcc", "-w", "-O1", "-no-pie", "-I", include_dir, source, "-o", program, "-lm",
                                   "-Wl,--unresolved-symbols=ignore-all"], capture_output=True, text=True)
            if proc.returncode == 0:
                break
            first = headers.count("\n") + 3
            bad = {int(l) - first for l in re.findall(r"values\.c:(\d+):", proc.stderr)}
            usable = [n for i, n in enumerate(usable) if i not in bad]
        else:
            raise RuntimeError(proc.stderr[-2000:])
        out = subprocess.run([program], capture_output=True, text=True, check=True).stdout
    return dict(line.split(" ", 1) for line in out.splitlines())
