"""Our headers declare every public name CPython 3.11's headers declare
(functions, macros, typedefs, structs, enum constants, data), except the
ones listed with a reason in tests/header_gaps.txt; and every top-level
header file CPython installs exists in include/."""
import os

import pytest

import header_names

GAPS = os.path.join(header_names.HERE, "header_gaps.txt")


def listed_gaps():
    """{name: reason} from tests/header_gaps.txt (`name  # reason` lines)."""
    gaps = {}
    with open(GAPS) as f:
        for line in f:
            name, _, reason = line.partition("#")
            if name.strip():
                gaps[name.strip()] = reason.strip()
    return gaps


def test_every_header_file_exists():
    assert header_names.missing_headers() == []


def test_headers_included_by_path_compile(tmp_path):
    """An extension may include cpython/X.h itself, before or after Python.h."""
    import subprocess
    sub = os.path.join(header_names.OUR_INCLUDE, "cpython")
    paths = [f"cpython/{h}" for h in sorted(os.listdir(sub))]
    source = tmp_path / "by_path.c"
    for first in ([], ["Python.h"]):
        lines = [f'#include "{h}"' for h in first + paths + ["Python.h"]]
        source.write_text("\n".join(lines) + "\nint main(void) { return Py_IsNone(Py_None) ? 0 : 1; }\n")
        subprocess.run(["cc", "-fsyntax-only", "-Wall", "-Werror", "-I", header_names.OUR_INCLUDE, str(source)],
                       check=True)


def test_every_public_name_is_declared_or_listed():
    theirs, _, missing = header_names.gap()
    assert len(theirs) > 2000, "the extraction found too few names: is libclang working?"
    unlisted = sorted(f"{name} ({where})" for name, (_, where) in missing.items() if name not in listed_gaps())
    assert not unlisted, f"{len(unlisted)} public names of CPython 3.11 are neither declared in include/ " \
        "nor listed in tests/header_gaps.txt: " + ", ".join(unlisted)


def test_listed_gaps_have_reasons_and_are_still_gaps():
    _, ours, _ = header_names.gap()
    gaps = listed_gaps()
    assert all(gaps.values()), "every listed gap needs a reason: " + ", ".join(n for n, r in gaps.items() if not r)
    stale = sorted(n for n in gaps if n in ours)
    assert not stale, "declared now, so remove from tests/header_gaps.txt: " + ", ".join(stale)


# Typedefs whose shape differs on purpose: the object is the host's, and C
# reaches its fields only through functions (differences.md).
SHAPES_DIFFER = {
    "_PyCrossInterpreterData": "opaque: no subinterpreters",
}


def test_typedefs_have_cpythons_shape():
    """Each typedef both trees declare is the same kind of type with the same
    size: an integer stays an integer (printfunc, since 3.8 the type of the
    tp_vectorcall_offset slot, which SWIG's C++ initializes as `(printfunc) 0`)."""
    theirs = header_names.typedef_shapes(header_names.cpython_include())
    ours = header_names.typedef_shapes(header_names.OUR_INCLUDE)
    differ = {n: (theirs[n], ours[n]) for n in theirs if n in ours and theirs[n] != ours[n]}
    assert set(differ) == set(SHAPES_DIFFER), differ


def test_headers_compile_as_cpp_without_warnings(tmp_path):
    """C++ extensions (pybind11, SWIG) see no warning from the headers
    themselves, as with CPython's."""
    import subprocess
    source = tmp_path / "plain.cpp"
    source.write_text(header_names.standalone_includes(header_names.OUR_INCLUDE)
                      + "int main() { printfunc slot = (printfunc) 0; return (int) slot; }\n")
    subprocess.run(["g++", "-fsyntax-only", "-Wall", "-Werror", "-I", header_names.OUR_INCLUDE, str(source)], check=True)


CPP_LINKAGE_SOURCE = r"""
static inline Py_hash_t hash_of(const void *p, Py_ssize_t n) {
    /* Declared inside a function, as pythoncapi_compat.h does in C++. */
    PyAPI_FUNC(Py_hash_t) _Py_HashBytes(const void *src, Py_ssize_t len);
    return _Py_HashBytes(p, n);
}
extern "C" PyObject *use_them(PyObject *o) {
    PyObject *copy = _PyLong_Copy((PyLongObject *)o);
    PyObject *back = PyMarshal_ReadObjectFromString("N", 1);
    PyMemberDef member = {"m", T_INT, 0, 0, NULL};
    PyObject *got = PyMember_GetOne((const char *)o, &member);
    Py_XDECREF(copy); Py_XDECREF(back); Py_XDECREF(got);
    return PyLong_FromSsize_t(hash_of("ab", 2) + PyToken_OneChar('+'));
}
"""


@pytest.mark.parametrize("tree", ["cpython", "ours"])
def test_cpp_gets_c_linkage_even_for_block_scope_declarations(tmp_path, tree):
    """In C++ every API name keeps C linkage, also when declared with
    PyAPI_FUNC inside a function body (not allowed with a linkage string in
    the macro): checked on CPython's headers, then ours."""
    import subprocess
    include = header_names.cpython_include() if tree == "cpython" else header_names.OUR_INCLUDE
    source = tmp_path / "linkage.cpp"
    source.write_text(header_names.standalone_includes(include) + '#include "token.h"\n' + CPP_LINKAGE_SOURCE)
    obj = tmp_path / "linkage.o"
    subprocess.run(["g++", "-c", "-fPIC", "-Wall", "-I", include, str(source), "-o", str(obj)], check=True)
    undefined = subprocess.run(["nm", "-u", str(obj)], capture_output=True, text=True, check=True).stdout.split()
    wanted = {"_Py_HashBytes", "_PyLong_Copy", "PyMarshal_ReadObjectFromString", "PyMember_GetOne", "PyToken_OneChar"}
    assert wanted <= set(undefined), undefined
    assert not [n for n in undefined if n.startswith("_Z")], undefined


def test_integer_macros_have_cpythons_values():
    """Constants are facts: every integer macro both trees define has
    CPython 3.11's value (Py_TPFLAGS_DEFAULT had HAVE_VERSION_TAG in it)."""
    theirs = header_names.integer_macros(header_names.cpython_include())
    ours = header_names.integer_macros(header_names.OUR_INCLUDE, [n for n in theirs])
    differ = {n: (theirs[n], ours[n]) for n in theirs if n in ours and theirs[n] != ours[n]}
    assert len(ours) > 1000
    # CPython's installed patch release is not the one the headers name.
    assert set(differ) <= {"PY_MICRO_VERSION", "PY_VERSION_HEX"}, differ


def test_build_core_module_implies_build_core(tmp_path):
    """As in CPython, Py_BUILD_CORE_MODULE (stdlib modules built on their
    own, such as backports.zstd) implies Py_BUILD_CORE."""
    import subprocess
    source = tmp_path / "core.c"
    source.write_text("#define Py_BUILD_CORE_MODULE 1\n#include <Python.h>\n"
                      "#ifndef Py_BUILD_CORE\n#error no Py_BUILD_CORE\n#endif\nint main(void) { return 0; }\n")
    subprocess.run(["cc", "-fsyntax-only", "-I", header_names.OUR_INCLUDE, str(source)], check=True)


def test_internal_headers_packages_include(tmp_path):
    """The few internal headers real packages include (unicodedata2's
    pycore_ucnhash.h; typed_ast's copies of pycore_pyarena.h and
    pycore_fileutils.h) compile and lay their structs out as CPython's do."""
    import subprocess
    source = tmp_path / "internal.c"
    source.write_text("#define Py_BUILD_CORE\n#include <Python.h>\n#include <stddef.h>\n#include <stdio.h>\n"
                      "#include \"internal/pycore_ucnhash.h\"\n"
                      "#include \"internal/pycore_pyarena.h\"\n"
                      "#include \"internal/pycore_fileutils.h\"\n"
                      "int main(void) { printf(\"%s %zu %zu %zu\\n\", PyUnicodeData_CAPSULE_NAME,"
                      " sizeof(_PyUnicode_Name_CAPI), offsetof(_PyUnicode_Name_CAPI, getcode),"
                      " sizeof(struct _Py_stat_struct)); return 0; }\n")
    outputs = []
    for include in (header_names.cpython_include(), header_names.OUR_INCLUDE):
        program = tmp_path / "internal"
        subprocess.run(["cc", "-I", include, str(source), "-o", str(program)], check=True)
        outputs.append(subprocess.run([str(program)], capture_output=True, text=True, check=True).stdout)
    assert outputs[0] == outputs[1]


def test_limited_api_of_a_newer_python_is_dropped(tmp_path):
    """Headers presenting 3.11 cannot honour Py_LIMITED_API 3.12+ (nanobind's
    STABLE_ABI asks for it and stops when PY_VERSION_HEX is older): the
    request is dropped, the newer names stay declared. 3.11's own value is
    kept."""
    import subprocess
    source = tmp_path / "limited.c"
    source.write_text("#include <Python.h>\n"
                      "#if defined(Py_LIMITED_API) && PY_VERSION_HEX < 0x030C0000\n#error kept\n#endif\n"
                      "static void *f = (void *)PyType_FromMetaclass;\nint main(void) { return f == 0; }\n")
    subprocess.run(["cc", "-fsyntax-only", "-DPy_LIMITED_API=0x030C0000", "-I", header_names.OUR_INCLUDE, str(source)],
                   check=True)
    kept = tmp_path / "kept.c"
    kept.write_text("#include <Python.h>\n#ifndef Py_LIMITED_API\n#error dropped\n#endif\nint main(void) { return 0; }\n")
    subprocess.run(["cc", "-fsyntax-only", "-DPy_LIMITED_API=0x030B0000", "-I", header_names.OUR_INCLUDE, str(kept)],
                   check=True)
