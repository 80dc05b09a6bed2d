"""PyArg_Parse* against CPython 3.11: every format unit over a grid of
arguments, then formats that exercise nesting, optional and keyword-only
arguments, keywords, error messages, cleanup, and the hand-written callers.
Each case prints the outputs or the exception type and message."""
import array
import re

import getargs_ext as ext

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# PyErr_BadInternalCall names the C file and line that raised it.
INTERNAL = re.compile(r"\S+:\d+: bad argument to internal function")


def clean(text):
    return INTERNAL.sub("bad argument to internal function", ADDRESS.sub("", text))


def run(mode, fmt, args=(), kw=None, names=None, extras=()):
    try:
        return repr(ext.parse(mode, fmt, args, kw, names, extras))
    except Exception as e:  # every outcome is printed, failures included
        return f"{type(e).__name__}: {e}"


def case(fmt, args=(), kw=None, names=None, extras=(), mode=None, label=None):
    if mode is None:
        mode = "kw" if names is not None else "tuple"
    result = run(mode, fmt, args, kw, names, extras)
    print(clean(f"{label or ''}{mode} {fmt!r} {args!r} {kw!r}: {result}"))


class Idx:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v

    def __repr__(self):
        return f"Idx({self.v})"


class Flt:
    def __float__(self):
        return 2.5

    def __repr__(self):
        return "Flt()"


class Cpx:
    def __complex__(self):
        return 1 + 2j

    def __repr__(self):
        return "Cpx()"


class BadBool:
    def __bool__(self):
        raise ValueError("no truth")

    def __repr__(self):
        return "BadBool()"


class Sub(str):
    pass


class BSub(bytes):
    pass


# --- every unit over a grid of values ------------------------------------------
VALUES = [0, 1, -1, 127, 255, 256, -129, 32767, 32768, -32769, 2 ** 31, -2 ** 31 - 1,
          2 ** 63, -2 ** 63 - 1, 2 ** 64 + 5, True, Idx(7), Idx(2 ** 70), 1.5, -0.0,
          float("inf"), Flt(), 1j, Cpx(), "", "a", "ab", "\xe9", "a\0b", "\ud800", Sub("s"),
          b"", b"a", b"ab", b"a\0b", BSub(b"q"), bytearray(b"x"), bytearray(b"xy"),
          memoryview(b"mv"), memoryview(b"abcd")[::2], array.array("b", [1, 2]), None, [],
          (1,), {}, BadBool()]
UNITS = ["b", "B", "h", "H", "i", "I", "l", "k", "L", "K", "n", "c", "C", "f", "d", "D", "p",
         "s", "s#", "s*", "z", "z#", "z*", "y", "y#", "y*", "S", "Y", "U", "O", "w*"]
for unit in UNITS:
    for v in VALUES:
        case(unit, (v,))
for unit, extras in [("es", ("utf-8",)), ("et", ("latin-1",)), ("es#", ("utf-8",)),
                     ("et#", (None,)), ("O!", (str,)), ("O!", (int,)), ("O&", ("int",))]:
    for v in VALUES:
        case(unit, (v,), extras=extras)

# --- formats ---------------------------------------------------------------------
for fmt, args in [
    ("i:f", (1,)), ("ii:f", (1,)), ("ii:f", (1, 2, 3)), ("i|i:f", (1, 2, 3)), ("i|i:f", ()),
    ("ii", (1,)), (":f", (1,)), ("", (1,)), ("", ()), ("i:f", (1, 2)), ("i|", (1,)), ("|", ()),
    ("s|", ()), ("|ii", ()), ("|ii", (1,)), ("i;custom message", ()),
    ("i;custom message", ("x",)), ("k;custom", (1.0,)), ("k:f;custom", (1.0,)),
    ("k;custom:f", (1.0,)), ("ii;custom", (1,)), ("q", (1,)), ("q:f", (1,)), ("q;custom", (1,)),
    ("i#", (1,)), ("i#:f", (1,)), ("ii#", (1, 2)), ("i!", (1,)), ("i&", (1,)), ("i*", (1,)),
    ("ex", (1,)), ("ex:f", (1,)), ("e", (1,)), ("e", ()), (" i", (1,)), ("||i", (1,)),
    ("i$i", (1, 2)), ("w", (bytearray(b"a"),)), ("w#", (bytearray(b"a"),)),
    ("(ii)", ((1, 2),)), ("(ii):f", ((1, "x"),)), ("(ii):f", ((1, 2, 3),)), ("(ii):f", (5,)),
    ("(ii)", (None,)), ("(ii)", ("ab",)), ("(ss)", ("ab",)), ("(cc)", (b"ab",)),
    ("(ii)", (bytearray(b"ab"),)), ("(ii)", ([1, 2],)), ("(ii)", (range(2),)),
    ("(ii)", ({1: 2, 3: 4},)), ("(i)", ({1},)), ("(kk):f", ((1, 1.0),)), ("(kk)", ((1, 1.0),)),
    ("((kk)k):f", (((1, 1.0), 1),)), ("i((kk)k):f", (1, ((1, 1.0), 1))),
    ("(i(i(ik))):f", ((1, (2, (3, 1.0))),)), ("((((((kk))))))", (((((((1, 1.0),),),),),),)),
    ("(kk);custom", ((1, 1.0),)), ("(q)", ((1,),)), ("(q);custom", ((1,),)),
    ("(i|i)", ((1,),)), ("(i|i)", ((1, 2),)), ("(ii)|i", ()), ("|(ii)i", ((1, 2),)),
    ("(i#)", ((1,),)), ("(i#)i", ((1,), 2)), ("(i!)i", ((1,), 2)), ("(e)", ((),)),
    ("(es)", (("x",),)), ("((i))", (("a",),)), ("(s)", (["a"],)), ("(O)(O)", ([1], (2,))),
    ("i:" + "n" * 300, ()), ("k:" + "n" * 300, (1.0,)), ("O!:" + "n" * 300, (1,)),
]:
    extras = ("utf-8",) if "e" in fmt.split(":")[0].split(";")[0] else ()
    case(fmt, args, extras=extras)


class NoLen:
    def __len__(self):
        raise ValueError("no len")

    def __getitem__(self, i):
        return 1


class NoItem:
    def __len__(self):
        return 2

    def __getitem__(self, i):
        raise KeyError(i)


case("(ii)", (NoLen(),))
case("(ii)", (NoItem(),))
case("(ii):f", (NoItem(),))

# es/et details
for fmt, args, extras in [
    ("es", ("\xe9",), ("ascii",)), ("es", ("\xe9",), (None,)), ("et", ("\xe9",), ("latin-1",)),
    ("es", ("x",), ("nope",)), ("es", ("x",), ("rot13",)), ("es", ("a\0b",), ("utf-8",)),
    ("et", (b"a\0b",), ("utf-8",)), ("es#", ("a\0b",), ("utf-8",)), ("et#", (b"a\0b",), ("utf-8",)),
    ("es#", ("abcdef",), (("utf-8", 7),)), ("es#", ("abcdef",), (("utf-8", 6),)),
    ("es#", ("abcdef",), (("utf-8", 1),)), ("es#", ("\xe9\xe9",), (("utf-8", 5),)),
    ("es#", ("\xe9\xe9",), (("latin-1", 3),)), ("et", (bytearray(b"ba"),), ("ascii",)),
    ("et#", (memoryview(b"x"),), ("ascii",)), ("es", ("\ud800",), ("utf-8",)),
    ("es", ("\ud800",), ("utf-16",)), ("es#", ("x",), ("utf-16-le",)),
]:
    case(fmt, args, extras=extras)

# O& converters and cleanup
for fmt, args, extras in [
    ("O&", (5,), ("int",)), ("O&", ("x",), ("int",)), ("O&", (1,), ("fail",)),
    ("O&", (1,), ("zero",)), ("O&:f", (1,), ("zero",)), ("O&;custom", (1,), ("zero",)),
    ("O&", (None,), ("nonone",)), ("O&", (1,), ("nonone",)), ("O&", ("x",), ("cleanup",)),
    ("O&O&i:f", ("x", "y", "z"), ("cleanup", "cleanup")),
    ("O&(O&i):f", ("x", ("y", "z")), ("cleanup", "cleanup")),
    ("O&O&:f", ("x", ""), ("cleanup", "cleanup")),
    ("O&s*O&i", ("x", b"buf", "y", "z"), ("cleanup", "cleanup")),
    ("O&es#O&i", ("x", "enc", "y", "z"), ("cleanup", "utf-8", "cleanup")),
]:
    case(fmt, args, extras=extras)
    print("  cleanup log:", ext.cleanup_log())

# --- keywords ------------------------------------------------------------------------
K = ["a", "b", "c"]
for fmt, args, kw, names in [
    ("iii:f", (1, 2, 3), None, K), ("i|ii:f", (1,), {"c": 3}, K), ("i|ii:f", (1,), {"a": 3}, K),
    ("i|ii:f", (), {"b": 3}, K), ("i|ii", (), {"b": 3}, K), ("i|ii:f", (), {"a": 1, "d": 3}, K),
    ("i|ii", (), {"a": 1, "d": 3}, K), ("i|ii:f", (1, 2, 3, 4), None, K),
    ("i|ii:f", (1, 2, 3), {"d": 4}, K), ("i|ii:f", (), {"a": 1, "b": 2, "c": 3, "d": 4}, K),
    ("i|ii:f", (1, 2), {"c": 3, "d": 4}, K), ("i|ii", (1, 2, 3, 4), None, K),
    ("i|ii;custom", (1, 2, 3, 4), None, K), ("i|ii;custom", (), None, K),
    ("i|ii;custom", (1,), {"z": 1}, K), ("i|ii:f", (1,), {"b": "x"}, K),
    ("i|ik:f", (1,), {"c": 1.0}, K), ("i|ik;custom", (1,), {"c": 1.0}, K),
    ("i|ik;custom:f", (1,), {"c": 1.0}, K), ("i|ik:f;custom", (1,), {"c": 1.0}, K),
    ("i|iq;custom", (1,), {"c": 1}, K), ("i|i$i:f", (1, 2, 3), None, K),
    ("i|i$i:f", (1, 2), {"c": 3}, K), ("|i$ii:f", (1,), {"b": 3}, K),
    ("i$ii:f", (1,), {"b": 3}, K), ("i$ii:f", (1,), {"b": 3, "c": 4}, K),
    ("$iii:f", (), {"a": 1, "b": 3, "c": 4}, K), ("$iii:f", (1,), {"b": 3, "c": 4}, K),
    ("|$iii:f", (1,), {"b": 3, "c": 4}, K), ("i|i$i:f", (1, 2, 3, 4), None, K),
    ("i$|ii:f", (1,), None, K), ("i||ii:f", (1,), None, K), ("i||ii:f", (1, 2), None, K),
    ("i|i$$i:f", (1,), None, K), ("i|i$$i:f", (1, 2), {"c": 1}, K), ("i|ii|:f", (1, 2, 3), None, K),
    ("i|ii$:f", (1, 2, 3), None, K), ("i|i|i:f", (1, 2, 3), None, K),
    ("i$i|i:f", (1,), {"b": 1}, K), ("ii:f", (1, 2), None, K), ("iiii:f", (1, 2), None, K),
    ("iiii:f", (1, 2, 3), None, K), ("ii|i:f", (1, 2), None, K),
    ("iii:f", (1, 2, 3), None, ["", "b", "c"]), ("iii:f", (1,), {"b": 2, "c": 3}, ["", "b", "c"]),
    ("iii:f", (), {"b": 2, "c": 3}, ["", "b", "c"]), ("ii|i:f", (), {"c": 3}, ["", "", "c"]),
    ("ii|i:f", (1,), {"c": 3}, ["", "", "c"]), ("|iii:f", (1,), None, ["", "b", "c"]),
    ("iii:f", (1, 2, 3), None, ["a", "", "c"]), ("|ii$i:f", (1, 2, 3), None, ["", "", "c"]),
    ("i$i:f", (1, 2), None, ["", "b"]), ("i$i:f", (1, 2), None, ["", ""]),
    ("i|i$i:f", (), {"c": 1}, ["", "", "c"]), ("i|$ii:f", (), None, ["", "", "c"]),
    ("ii|i:f", (1,), {"b": 1}, ["", "a", "b"]), ("ii|i:f", (1,), {"a": 1}, ["", "a", "b"]),
    ("|ii:f", (1,), {"c": 3}, ["", "b", "c"]),
    ("i|i:f", (1, 2), {1: 2}, ["a", "b"]), ("i|i:f", (1,), {"a": 2}, ["a", "b"]),
    ("i|i", (1,), {"a": 2}, ["a", "b"]), ("|i:f", (), {1: 2}, ["a"]),
    ("|ii:f", (), {"b": 1, 5: 2}, ["a", "b"]), ("|ii:f", (1,), {5: 2}, ["a", "b"]),
    ("(ii)|i:f", ((1, 2),), {"c": 2}, ["a", "c"]), ("(ii)|i:f", ((1, "x"),), {"c": 2}, ["a", "c"]),
    ("i|i:f", (1,), {}, ["a", "b"]), ("|i:f", (), {"b": 1}, ["a", "b"]),
    ("|i:f", (), {"a": 1}, ["a"]), ("|i:f", (), {"x": 1}, ["a"]), ("i:f", (), {"x": 1}, ["a"]),
    (":f", (), {"x": 1}, []), (":f", (1,), None, []), ("", (), {"x": 1}, []), ("", (), None, []),
    ("|i:f", (1,), {"x": 1, "a": 2}, ["a"]), ("i|s:f", (1,), {"b": b"x"}, ["a", "b"]),
    ("i|q:f", (1,), {"b": 2}, ["a", "b"]), ("i|q:f", (1,), None, ["a", "b"]),
    ("i|i#:f", (1,), None, ["a", "b"]), ("i|iq:f", (1,), {"c": 1}, K),
    ("i|qi:f", (1,), {"c": 1}, K), ("i|(q)i:f", (1,), {"c": 1}, K), ("i|i#i:f", (1,), {"c": 1}, K),
    ("i|w#i:f", (1,), {"c": 1}, K), ("i|(ii:f", (1,), {"c": 1}, K), ("i|(ii;m", (1,), {"c": 1}, K),
    ("i|(ii)i:f", (1,), {"c": 1}, K), ("i|((i)i)i:f", (1,), {"c": 1}, K),
    ("i|)i:f", (1,), {"c": 1}, K), ("i|(i))i:f", (1,), {"c": 1}, K), ("i|ii:f", (1,), {"c": 1}, K[:2]),
    ("i|i:f", (1,), {"c": 1}, K), ("i|ii(i):f", (1,), {"c": 1}, K), ("i|iii:f", (1, 2, 3), None, K),
    ("i|ii:f", (1,), {"c": "x", "b": 2}, K), ("i|ii:f", (1,), {"c": 2, "b": "x"}, K),
    ("i|ii:f", (1,), {"c": 1, "b": 2, "a": 3}, K), ("(i#)i", ((1,), 2), None, ["a", "b"]),
    ("(i#)", ((1,),), None, ["a"]), ("(i", ((1,),), None, ["a"]), ("|(i", (), {"a": (1,)}, ["a"]),
    ("|k:" + "n" * 300, (1.0,), {"z": 1}, ["a"]), ("i", (1,), {"a": 1}, ["a"]),
    ("|i", (), {"a": 1, "b": 2}, ["a"]),
]:
    case(fmt, args, kw, names)

# skipped optional units must take their pointers off the list
for fmt, args, kw, names, extras in [
    ("i|s*O!es#O&i:f", (1,), {"f": 5}, list("abcdef"), (int, "utf-8", "int")),
    ("i|z#y*et#O&(ii)i:f", (1,), {"g": 5}, list("abcdefg"), ("utf-8", "int")),
    ("i|w*sO!Si:f", (1,), {"e": 5}, list("abcde"), (int,)),
    ("i|ww*i:f", (1,), {"d": 1}, list("abcd"), ()),
    ("i|s#s*z#z*y#y*i:f", (1,), {"h": 1}, list("abcdefgh"), ()),
    ("i|es:f", (1,), {"b": "x"}, list("ab"), (None,)),
    ("i|e#i:f", (1,), {"c": 1}, list("abc"), ("x",)),
    ("i|et*i:f", (1,), {"c": 1}, list("abc"), ("x",)),
    ("i|O!i:f", (1,), {"c": 1}, list("abc"), (int,)),
    ("i|ex:f", (1,), None, list("ab"), ("x",)),
    ("i|e:f", (1,), None, list("ab"), ("x",)),
    ("i|e:f", (1, 2), None, list("ab"), ("x",)),
    ("i|es#i", (1,), {"c": 1}, list("abc"), ("x",)),
    ("i|O&O&:f", (1, "x"), {"c": ""}, list("abc"), ("cleanup", "cleanup")),
    ("i|O&O&:f", (1, "x"), {"c": "y"}, list("abc"), ("cleanup", "cleanup")),
    ("O&|O&i:f", ("x",), {"b": "y", "c": "z"}, list("abc"), ("cleanup", "cleanup")),
]:
    case(fmt, args, kw, names, extras)
    if "cleanup" in extras:
        print("  cleanup log:", ext.cleanup_log())

# --- the other entry points ---------------------------------------------------------------
for fmt, arg in [("i", 1), ("i", "x"), ("k", "x"), ("k:f", "x"), ("k;custom", "x"), ("(ii)", (1, 2)),
                 ("(ii)", (1, "x")), ("(ik):f", (1, 1.0)), ("((ik)i):f", ((1, 1.0), 2)),
                 ("(i(ik)):f", (1, (2, 1.0))), ("(i(i(ik)))", (1, (2, (3, 1.0)))), ("(k)", (1.0,)),
                 ("ii", (1, 2)), ("ii:f", (1, 2)), ("", (1, 2)), (":f", (1, 2)), (";msg", (1,)),
                 ("", ()), ("", None), ("|i", 1), ("q", 1), ("(q)", (1,)), ("i#", 1), ("O", (1, 2)),
                 ("i", (1,)), ("s#", "ab"), ("(i)", 1), ("(ii)", (1,)), ("s", "a"), ("s*", "a"),
                 ("e", 1), ("z", None)]:
    case(fmt, arg, mode="parse")
case("O!", 1, mode="parse", extras=(str,))
case("es", "a", mode="parse", extras=(None,))
case("et", 1, mode="parse", extras=(None,))
for mode in ("va", "vakw"):
    case("i|i:f", (1,), names=["a", "b"], mode=mode)
    case("i|i:f", (1, "x"), names=["a", "b"], mode=mode)
    case("i|i:f", (1,), {"b": 2}, ["a", "b"], mode=mode)
    case("s#|y*:f", ("ab", b"cd"), names=["a", "b"], mode=mode)
case("i", [1])
case("i", 1)
case("i", (1,), [("a", 1)], ["a"])

# without PY_SSIZE_T_CLEAN, '#' units are refused (3.10+)
for fmt, args, extras in [("s#", ("ab",), ()), ("is#", (1, "ab"), ()), ("z#", (None,), ()),
                          ("y#", (b"x",), ()), ("es#", ("x",), ("ascii",)), ("s*", ("ab",), ()),
                          ("i|s#", (1,), ()), ("i", (1,), ()), ("w#", (bytearray(),), ())]:
    case(fmt, args, extras=extras, mode="compat_tuple")
case("s#", "ab", mode="compat_parse")
K2 = ["a", "b", "c"]
for fmt, args, kw, extras in [
    ("i|s#", (1,), {}, ()), ("i|s#", (1, "x"), {}, ()), ("i|s#", (1,), {"b": "x"}, ()),
    ("i|s#i", (1,), {"c": 1}, ()), ("i|(s#)i", (1,), {"c": 1}, ()), ("i|es#i", (1,), {"c": 1}, ("x",)),
    ("i|s*i", (1,), {"c": 1}, ()), ("i|y#", (1, b"x"), None, ()), ("i|z#", (1, None), None, ()),
    ("i|w#", (1, None), None, ()), ("i|es#", (1, None), None, ("x",)), ("i|es#", (1, "x"), None, ("x",)),
    ("i|et#", (1, b"x"), None, ("x",)), ("i|i#", (1, 1), None, ()), ("i|s#", (1, 1), None, ()),
]:
    case(fmt, args, kw, K2, extras, mode="compat_kw")

# --- hand-written callers ---------------------------------------------------------------------
def call(label, f, /, *args, **kwargs):
    try:
        print(label, repr(f(*args, **kwargs)))
    except Exception as e:
        print(label, clean(f"{type(e).__name__}: {e}"))


call("point(1)", ext.point, 1)
call("point(1, 2, 'q', scale=2.5)", ext.point, 1, 2, "q", scale=2.5)
call("point(x=3, label='z')", ext.point, x=3, label="z")
call("point()", ext.point)
call("point(1, 2, 'q', 4.0)", ext.point, 1, 2, "q", 4.0)
call("point(1, y=2, x=3)", ext.point, 1, y=2, x=3)
call("point(1, bogus=2)", ext.point, 1, bogus=2)
try:
    ext.point(1, **{"\ud800\xe9": 2})
except TypeError as e:
    print("point(1, **{surrogate: 2})", ascii(str(e)))
call("point(1, scale='x')", ext.point, 1, scale="x")
call("point(**{'x': 1, 'y': 2})", ext.point, **{"x": 1, "y": 2})
call("posonly(1)", ext.posonly, 1)
call("posonly(1, 2, c=3)", ext.posonly, 1, 2, c=3)
call("posonly(a=1)", ext.posonly, a=1)
call("posonly(1, b=2)", ext.posonly, 1, b=2)
call("posonly()", ext.posonly)
call("pair((1, 2))", ext.pair, (1, 2))
call("pair([3, 4])", ext.pair, [3, 4])
call("pair((1,))", ext.pair, (1,))
call("pair(1)", ext.pair, 1)
call("pair()", ext.pair)
for name, lo, hi, t in [("f", 1, 2, (1,)), ("f", 1, 2, (1, 2)), ("f", 1, 2, ()), ("f", 1, 2, (1, 2, 3)),
                        ("f", 2, 2, (1,)), ("f", 1, 1, (1, 2)), ("f", 0, 0, ()), ("f", 0, 0, (1,)),
                        (None, 1, 2, ()), (None, 2, 2, (1, 2, 3)), (None, 1, 1, ()), ("f", 0, 4, (1, 2, 3, 4))]:
    call(f"unpack{(name, lo, hi, t)}", ext.unpack, name, lo, hi, t)
call("unpack_obj([1])", ext.unpack_obj, [1])
call("validate({})", ext.validate, {})
call("validate({'a': 1})", ext.validate, {"a": 1})
call("validate({1: 1})", ext.validate, {1: 1})
call("validate([])", ext.validate, [])
o, b, u, y = object(), b"bytes", "str", bytearray(b"ba")
call("identity_check", ext.identity_check, o, b, u, y)
bb = b"abc"
call("bytes_pointer", ext.bytes_pointer, bb, bb, bb)
call("str_pointer", ext.str_pointer, "h\xe9llo", "h\xe9llo", "h\xe9llo")
ba = bytearray(b"abc")
call("write_buffer(bytearray)", ext.write_buffer, ba)
print("  after:", ba)
mv = memoryview(ba)
call("write_buffer(memoryview)", ext.write_buffer, mv)
print("  after:", ba)
mv.release()
call("write_buffer(bytes)", ext.write_buffer, b"abc")
ba2 = bytearray(b"abc")


def resize():
    try:
        ba2.append(1)
        return "resized"
    except BufferError as e:
        return f"BufferError: {e}"


call("hold_buffer", ext.hold_buffer, ba2, resize)
ba2.append(100)
print("  after release:", ba2)
print("DONE")
