import clinic_ext as ext


def attempt(label, f, /, *args, **kwargs):
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

# _PyArg_UnpackKeywords: def unpack(a, /, b, c=None, *, d, e=None)
for args, kwargs in [((1, 2), {"d": 4}), ((1, 2, 3), {"d": 4, "e": 5}), ((1,), {"b": 2, "d": 4}),
                     ((1,), {"d": 4, "b": 2, "c": 3}), ((1, 2, 3), {}), ((1, 2), {}), ((), {"b": 2, "d": 4}),
                     ((1, 2, 3, 4), {"d": 4}), ((1, 2), {"d": 4, "b": 5}), ((1, 2), {"d": 4, "z": 5}),
                     ((1, 2), {"d": 4, "a": 5}), ((1, 2, 3), {"d": 4, "e": 5, "f": 6}), ((1,), {"b": 2})]:
    attempt(f"unpack_fast{args}{kwargs}", ext.unpack_fast, *args, **kwargs)
for args, kwargs in [((1,), {}), ((1, 2), {}), ((), {"x": 1}), ((1,), {"y": 2}), ((), {"y": 2, "x": 1}), ((), {}),
                     ((1, 2, 3), {}), ((1,), {"x": 2}), ((1,), {"z": 2}), ((1, 2), {"y": 3})]:
    attempt(f"unpack_tuple{args}{kwargs}", ext.unpack_tuple, *args, **kwargs)
# _PyArg_UnpackKeywordsWithVararg: def star(a, *args, b=None)
for args, kwargs in [((1,), {}), ((1, 2, 3), {}), ((1, 2), {"b": 9}), ((), {}), ((1,), {"c": 2})]:
    attempt(f"star{args}{kwargs}", ext.star, *args, **kwargs)
# The format-driven parsers.
for args, kwargs in [((1,), {}), ((1, 2, "s"), {}), ((1,), {"s": "t"}), ((), {}), ((1,), {"n": "x"}),
                     ((1, 2, 3, 4), {}), ((1,), {"q": 1})]:
    attempt(f"fast_tuple{args}{kwargs}", ext.fast_tuple, *args, **kwargs)
for args, kwargs in [((1,), {}), ((1, b"ab\0c"), {}), ((), {"a": 3, "data": b"x"}), ((), {}), (("x",), {}),
                     ((1,), {"a": 2}), ((1, b"", 3), {})]:
    attempt(f"fast_stack{args}{kwargs}", ext.fast_stack, *args, **kwargs)
for args in [(1.5,), (2, "x"), (), ("s",), (1, 2, 3)]:
    attempt(f"stack_only{args}", ext.stack_only, *args)
    attempt(f"unpack_stack{args}", ext.unpack_stack, *args)
for value in [None, 5, -3, 2**70, "x", True]:
    attempt(f"optional_ssize({value!r})", ext.optional_ssize, value)
attempt("build_stack small", ext.build_stack, False)
attempt("build_stack heap", ext.build_stack, True)
print("DONE")
