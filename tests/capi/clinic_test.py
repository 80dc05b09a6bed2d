import clinic_ext as ext


def attempt(label, f, *args, **kwargs):
    try:
        print(f"{label}: {f(*args, **kwargs)!r}")
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}: {e}")


for nargs, lo, hi in [(1, 1, 1), (0, 1, 1), (2, 1, 1), (0, 2, 3), (4, 2, 3), (3, 1, -1), (0, 1, -1), (0, 0, 0), (5, 0, 0), (1, 2, 2)]:
    attempt(f"check {nargs} in [{lo}, {hi}]", ext.check_positional, "f", nargs, lo, hi)
    attempt(f"unpack {nargs} in [{lo}, {hi}]", ext.check_positional, None, nargs, lo, hi)
attempt("no keywords", ext.no_keywords)
attempt("no keywords, given one", ext.no_keywords, a=1)
attempt("no keywords, empty dict", ext.no_keywords, **{})
attempt("no positional, given one", ext.no_keywords, 1)
attempt("no kwnames", ext.no_kwnames, 1, 2)
attempt("no kwnames, given one", ext.no_kwnames, 1, b=2)
attempt("bad argument", ext.bad_argument, "f", "argument 1", "str", 5)
attempt("bad argument, None", ext.bad_argument, "g", "argument 'x'", "int", None)
print("DONE")
