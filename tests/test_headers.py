"""Our headers declare every public name CPython 3.11's headers declare
(functions, macros, typedefs, structs, enum constants, data), except the
ones listed with a reason in tests/header_gaps.txt; and every top-level
header file CPython installs exists in include/."""
import os

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
