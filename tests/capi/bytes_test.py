import bytes_ext as ext


def show(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(label, "->", type(e).__name__)
    else:
        print(label, "=", ascii(r))


def showmsg(label, fn, *args):
    """Also print the message: only for messages from our C code or the
    C-API's own fixed error strings."""
    try:
        r = fn(*args)
    except Exception as e:
        print(label, "->", type(e).__name__, "|", str(e))
    else:
        print(label, "=", ascii(r))


class BytesSub(bytes):
    pass


class HasBytes:
    def __bytes__(self):
        return b"from __bytes__"


# ---- constructors ----
lits = ext.literals()
print("literals", lits)
print("literals lengths", [len(b) for b in lits])
print("literals all exact bytes", all(type(b) is bytes for b in lits))
for label, s in [("''", ""), ("'abc'", "abc"), ("'é' (UTF-8)", "é"), ("embedded NUL stops", "ab\x00cd"),
                 ("emoji", "\U0001F600")]:
    show("FromString " + label, ext.from_string, s)
for label, b, n in [("full", b"hello", 5), ("prefix", b"hello", 3), ("zero", b"hello", 0),
                    ("embedded NUL", b"a\x00b", 3), ("NULs", b"\x00\x00", 2), ("high bytes", b"\xff\x80\x7f", 3),
                    ("from BytesSub", BytesSub(b"sub"), 3)]:
    show("FromStringAndSize " + label + " " + str(n), ext.from_string_and_size, b, n)
show("FromStringAndSize BytesSub result type", lambda: type(ext.from_string_and_size(BytesSub(b"x"), 1)).__name__)
show("FromStringAndSize(NULL, 0)", ext.null_zero)
print("FromStringAndSize(NULL, 0) type", type(ext.null_zero()).__name__)
showmsg("FromStringAndSize negative size", ext.negative_size)
showmsg("FromStringAndSize(NULL, negative)", ext.negative_size_null)

# ---- NULL data + fill via AS_STRING ----
show("filled 0", ext.filled, 0)
show("filled 1", ext.filled, 1)
show("filled 5", ext.filled, 5)
print("filled 256 == bytes(range(256))", ext.filled(256) == bytes(range(256)))
big = ext.filled(1 << 20)
print("filled 1 MiB length", len(big), "last", big[-1], "type", type(big).__name__)
print("filled 1 MiB equals expected", big == bytes(range(256)) * 4096)
for n in [0, 1, 7, 100]:
    r = ext.filled_facts(n)
    print("filled_facts", n, ascii(r[0][:10]), r[1:])
show("filled via AsString reverse", ext.filled_via_asstring, "hello")
show("filled via AsString reverse non-ASCII", ext.filled_via_asstring, "é")
show("reverse b'abc'", ext.reverse, b"abc")
show("reverse with NULs", ext.reverse, b"\x00a\x00")
show("reverse b''", ext.reverse, b"")
show("reverse str", ext.reverse, "abc")
f1 = ext.filled(3)
f2 = ext.filled(3)
print("two filled objects equal, distinct contents ok", f1 == f2, f1 + f2)
print("filled hash consistent", hash(ext.filled(10)) == hash(bytes(range(10))))

# ---- AsString ----
for label, b in [("b''", b""), ("b'abc'", b"abc"), ("embedded NUL", b"ab\x00cd"), ("high bytes", b"\xff\xfe"),
                 ("BytesSub", BytesSub(b"sub")), ("filled", ext.filled(4))]:
    show("AsString " + label, ext.as_string, b)
for label, v in [("str", "abc"), ("bytearray", bytearray(b"abc")), ("int", 5), ("None", None),
                 ("memoryview", memoryview(b"ab")), ("HasBytes", HasBytes())]:
    show("AsString on " + label, ext.as_string, v)

# ---- AsStringAndSize ----
for label, b in [("b''", b""), ("b'abc'", b"abc"), ("embedded NUL", b"ab\x00cd"), ("trailing NUL", b"ab\x00"),
                 ("only NUL", b"\x00"), ("high bytes", b"\xff\x00\xfe"), ("BytesSub", BytesSub(b"s\x00b")),
                 ("long", b"xyz" * 1000)]:
    r = ext.as_string_and_size(b)
    print("AsStringAndSize(len)", label, r[0], ascii(r[1][:12]), r[2:], r[1] == b)
for label, b in [("b''", b""), ("b'abc'", b"abc"), ("high bytes", b"\xff\xfe"), ("BytesSub", BytesSub(b"sub"))]:
    show("AsStringAndSize(NULL len) " + label, ext.as_string_and_size_nolen, b)
for label, b in [("embedded NUL", b"ab\x00cd"), ("trailing NUL", b"ab\x00"), ("leading NUL", b"\x00ab"),
                 ("only NUL", b"\x00"), ("BytesSub with NUL", BytesSub(b"\x00"))]:
    showmsg("AsStringAndSize(NULL len) " + label, ext.as_string_and_size_nolen, b)
for label, v in [("str", "abc"), ("bytearray", bytearray(b"abc")), ("int", 1), ("None", None),
                 ("memoryview", memoryview(b"ab")), ("HasBytes", HasBytes())]:
    show("AsStringAndSize(len) on " + label, ext.as_string_and_size, v)
    show("AsStringAndSize(NULL len) on " + label, ext.as_string_and_size_nolen, v)
for label, v, use_len in [("b'ok'", b"ok", True), ("b'ok'", b"ok", False), ("NUL", b"a\x00", True),
                          ("NUL", b"a\x00", False), ("str", "s", True), ("str", "s", False)]:
    show("AsStringAndSize rc %s use_len=%s" % (label, use_len), ext.as_string_and_size_rc, v, use_len)

# ---- Size / GET_SIZE / AS_STRING ----
for label, b in [("b''", b""), ("b'abc'", b"abc"), ("embedded NUL", b"a\x00b"), ("BytesSub", BytesSub(b"four")),
                 ("filled 300", ext.filled(300))]:
    show("Size " + label, ext.size, b)
    show("GET_SIZE/sum/terminated " + label, ext.macros, b)
for label, v in [("str", "abc"), ("bytearray", bytearray(b"abc")), ("int", 5), ("None", None),
                 ("list", [1, 2])]:
    show("Size on " + label, ext.size, v)
showmsg("macros on str (C check)", ext.macros, "abc")

# ---- Check / CheckExact ----
for label, v in [("b'abc'", b"abc"), ("b''", b""), ("BytesSub", BytesSub(b"x")), ("bytearray", bytearray(b"x")),
                 ("memoryview", memoryview(b"x")), ("str", "x"), ("int", 1), ("None", None),
                 ("bytes type", bytes), ("literal from C", lits[1]), ("filled", ext.filled(2))]:
    print("Check/CheckExact/ob_type==Bytes/refcnt>=1", label, ext.check(v))


# ---- the rest of bytesobject.h ----
import array
import warnings


def attempt(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(label, "->", type(e).__name__, "|", e)
    else:
        print(label, "=", repr(r))


class Iterable:
    def __iter__(self):
        return iter([104, 105])


b = b"abc"
print("from_object same", ext.n_from_object(b) is b)
for label, v in [("bytearray", bytearray(b"xy")), ("memoryview", memoryview(b"mv")), ("list", [1, 2, 255]),
                 ("tuple", (0, 65)), ("iterable", Iterable()), ("generator", (i for i in range(3))),
                 ("array", array.array("B", [7, 8])), ("bytes subclass", type("B", (bytes,), {})(b"sub"))]:
    attempt("from_object " + label, ext.n_from_object, v)
for label, v in [("str", "text"), ("int", 5), ("None", None), ("bad item", [1, 256]), ("str item", ["a"]), ("float", 1.5)]:
    attempt("from_object " + label, ext.n_from_object, v)

for a, w in [(b"ab", b"cd"), (b"", b""), (b"x", bytearray(b"y")), (b"x", memoryview(b"z")), (b"ab", "str"),
             (b"ab", 5), (None, b"x"), (b"ab", None)]:
    label = "%r %s" % (a, type(w).__name__)
    attempt("concat " + label, ext.n_concat, a, w, 0)
    attempt("concat_and_del " + label, ext.n_concat, a, w, 1)

for data in [b"", b"plain", b"it's", b'say "hi"', b"both ' and \"", b"\t\n\r\\\x00\x7f\x80\xff"]:
    print("repr", ext.n_repr(data, 1), ext.n_repr(data, 0), ext.n_repr(data, 1) == repr(data))

for text in [rb"plain", rb"a\nb\tc\\d\'e\"f", rb"\x41\x4a\x7f\xff", rb"\0\01\012\101\400\777", rb"\a\b\f\v\r",
             b"line\\\ncontinued", rb"\x4", rb"\xzz", rb"\x", rb"trailing\\", rb"\q\w", rb"end\\"]:
    attempt("decode_escape %r" % text, ext.n_decode_escape, text)
    attempt("decode_escape private %r" % text, ext.n_decode_escape_private, text)
for errors in ["strict", "replace", "ignore", "bogus"]:
    attempt("decode_escape errors=%s" % errors, ext.n_decode_escape, rb"a\x4gb\xq", errors)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print("escape warning", ext.n_decode_escape(rb"\d\e"), [(w.category.__name__, str(w.message)) for w in caught])
with warnings.catch_warnings():
    warnings.simplefilter("error")
    attempt("escape warning as error", ext.n_decode_escape, rb"\d")

attempt("join", ext.n_join, b", ", [b"a", bytearray(b"b"), memoryview(b"c")])
attempt("join empty", ext.n_join, b"-", [])
attempt("join bad item", ext.n_join, b"-", [b"a", "b"])
attempt("from_hex", ext.n_from_hex, "de ad be ef", 0)
attempt("from_hex bytearray", ext.n_from_hex, "0a0B", 1)
attempt("from_hex bad", ext.n_from_hex, "0g", 0)
attempt("format_ex", ext.n_format_ex, b"%d-%s-%x", (5, b"x", 255), 0)
attempt("format_ex bytearray", ext.n_format_ex, b"%05.1f|%r", (2.25, "s"), 1)
attempt("format_ex dict", ext.n_format_ex, b"%(a)s", {b"a": b"v"}, 0)
attempt("format_ex too few", ext.n_format_ex, b"%d %d", (1,), 0)
attempt("format_ex str arg", ext.n_format_ex, b"%s", ("str",), 0)
for which in range(13):
    if which == 10:
        print("from_format 10", ext.n_from_format(which).lower())
        continue
    attempt("from_format %d" % which, ext.n_from_format, which)

for n in [0, 1, 50, 51, 52, 200, 5000]:
    for use_bytearray in (0, 1):
        for overallocate in (0, 1):
            r = ext.n_writer(n, use_bytearray, overallocate, 0)
            print("writer", n, use_bytearray, overallocate, type(r).__name__, len(r), r == b"head" + b"0123456789" * n + b"tail")
print("writer abandoned", ext.n_writer(300, 0, 1, 1))
print("writer empty", ext.n_writer_empty(False), ext.n_writer_empty(True))
print("bytes iterator type", ext.n_iter_type(iter(b"ab")), ext.n_iter_type(iter([1])))
print("filled after store", ext.n_fill_after_store())

for how, label in enumerate(["memoryview's buffer", "PyObject_GetBuffer", "AS_STRING after a memoryview"]):
    show(f"new bytes written through {label}", ext.n_fill_through_view, how)

print("DONE")
