"""Writes docs/coverage.md: what cpyext implements against the limited API
(../shared/api/stable_abi_names.txt) and against each corpus package's
imports (../shared/corpus/symbols/*.txt).

    python3 tests/coverage_report.py
"""
import glob
import os
import subprocess

import harness

SHARED = os.path.join(harness.ROOT, "..", "shared")


def implemented():
    out = subprocess.run([harness.CPYEXT_BIN, "--cpyext-implemented"], capture_output=True, text=True, check=True)
    return {line.split("\t")[0] for line in out.stdout.splitlines()}


def names(path):
    with open(path) as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


def declared_unimplemented_reasons():
    """{name: reason} from tests/declared_unimplemented.txt (`name  # reason` lines)."""
    reasons = {}
    with open(os.path.join(harness.TESTS, "declared_unimplemented.txt")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, _, reason = line.partition("#")
                reasons[name.strip()] = reason.strip()
    return reasons


def main():
    have = implemented()
    lines = ["# C-API coverage", "",
             "Made by `python3 tests/coverage_report.py` from `cpyext --cpyext-implemented`.", ""]
    import header_names
    theirs, _, missing = header_names.gap()
    lines += [f"Public names in CPython 3.11's headers (`tests/header_names.py`): {len(theirs)}; "
              f"declared in include/: {len(theirs) - len(missing)}; not declared: {len(missing)} "
              "(each listed with its reason in `tests/header_gaps.txt`).", ""]
    stable = os.path.join(SHARED, "api", "stable_abi_names.txt")
    if os.path.exists(stable):
        wanted = names(stable)
        lines += [f"Limited API: {len(wanted & have)} of {len(wanted)} names implemented.", ""]
    lines += ["| package | C-API symbols it imports | implemented | missing |", "|---|---|---|---|"]
    details = []
    for path in sorted(glob.glob(os.path.join(SHARED, "corpus", "symbols", "*.txt"))):
        package = os.path.basename(path)[:-4]
        wanted = names(path)
        missing = sorted(wanted - have)
        lines.append(f"| {package} | {len(wanted)} | {len(wanted) - len(missing)} | {len(missing)} |")
        if missing:
            details += ["", f"## Missing for {package}", "", ", ".join(f"`{m}`" for m in missing)]
    lines += details
    # Names our headers declare that the layer does not export: an extension
    # calling one fails at import with an ImportError that names it.
    # Each with its reason, from tests/declared_unimplemented.txt.
    from test_coverage import declared_names
    unimplemented = sorted(n for n in declared_names() if n not in have)
    reasons = declared_unimplemented_reasons()
    lines += ["", "## Declared in include/ but not implemented", "",
              f"{len(unimplemented)} names. An extension that uses one fails at import with an "
              "`ImportError` naming it. The reasons are kept in `tests/declared_unimplemented.txt`.", ""]
    if unimplemented:
        lines += ["| name | why not |", "|---|---|"]
        lines += [f"| `{n}` | {reasons.get(n, 'no reason recorded')} |" for n in unimplemented]
    else:
        lines.append("(none)")
    stale = sorted(set(reasons) - set(unimplemented))
    if stale:
        print("implemented or undeclared now, so remove from tests/declared_unimplemented.txt: " + ", ".join(stale))
    target = os.path.join(harness.ROOT, "docs", "coverage.md")
    with open(target, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[:20]))


if __name__ == "__main__":
    main()
