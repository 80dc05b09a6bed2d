import sys

import unicode_ext as ext


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


class StrSub(str):
    pass


class StrLike:
    def __str__(self):
        return "strlike"


# ---- constructors ----
lits = ext.literals()
print("literals", ascii(lits))
print("literals lengths", [len(s) for s in lits])
print("literals all exact str", all(type(s) is str for s in lits))
print("literal héllo == 'héllo'", lits[2] == "h\u00e9llo")
print("literal emoji == U+1F600 + '!'", lits[4] == "\U0001F600!")
for label, b in [("b''", b""), ("b'abc'", b"abc"), ("utf8 héllo", "héllo".encode()),
                 ("utf8 4-byte", "\U0001F600".encode()), ("utf8 CJK", "\u4e2d\u6587".encode()),
                 ("embedded NUL stops", b"ab\x00cd"), ("invalid \\xff", b"ab\xff"),
                 ("truncated 2-byte", b"\xc3"), ("overlong", b"\xc0\xaf"),
                 ("encoded surrogate", b"\xed\xa0\x80"), ("latin-1 é", b"caf\xe9"),
                 ("above U+10FFFF", b"\xf4\x90\x80\x80")]:
    show("FromString " + label, ext.from_string, b)
for label, b, n in [("full", b"hello", 5), ("prefix", b"hello", 2), ("zero", b"hello", 0),
                    ("embedded NUL", b"a\x00b\x00", 4), ("only NUL", b"\x00", 1),
                    ("non-ASCII", "€uro".encode(), 6), ("cut inside €", "€uro".encode(), 2),
                    ("cut before €", "a€".encode(), 1), ("invalid", b"\x80abc", 4),
                    ("invalid excluded by size", b"abc\x80", 3),
                    ("encoded surrogate", b"x\xed\xb0\x80", 4)]:
    show("FromStringAndSize " + label + " " + str(n), ext.from_string_and_size, b, n)
show("FromStringAndSize(NULL, 0)", ext.from_string_and_size_null_zero)
print("FromStringAndSize(NULL, 0) type", type(ext.from_string_and_size_null_zero()).__name__)
showmsg("FromStringAndSize negative size", ext.from_string_and_size_negative)

# ---- AsUTF8 / AsUTF8AndSize ----
for label, s in [("''", ""), ("'abc'", "abc"), ("'héllo'", "héllo"), ("'€'", "€"),
                 ("emoji", "\U0001F600x"), ("embedded NUL", "a\x00b"), ("trailing NUL", "ab\x00"),
                 ("StrSub", StrSub("sub-é")), ("long", "xy" * 1000)]:
    r = ext.as_utf8(s)
    print("AsUTF8", label, ascii(r[:20]), len(r))
    r = ext.as_utf8_and_size(s)
    print("AsUTF8AndSize", label, ascii(r[0][:20]), r[1:], r[0] == s.encode())
    print("AsUTF8AndSize(NULL size)", label, ascii(ext.as_utf8_and_size_null(s)[:20]))
    print("UTF-8 buffer stable", label, ext.utf8_stable(s))
    print("roundtrip", label, ext.roundtrip(s) == s, type(ext.roundtrip(s)).__name__)
print("count high bytes", ext.count_high_bytes("aé€\U0001F600"))
for label, v in [("bytes", b"abc"), ("int", 5), ("None", None), ("StrLike", StrLike())]:
    showmsg("AsUTF8 on " + label, ext.as_utf8, v)
    showmsg("AsUTF8AndSize on " + label, ext.as_utf8_and_size, v)
    showmsg("AsUTF8AndSize(NULL size) on " + label, ext.as_utf8_and_size_null, v)
show("AsUTF8 lone surrogate", ext.as_utf8, "a\ud800b")
show("AsUTF8AndSize lone surrogate", ext.as_utf8_and_size, "\udfff")
show("roundtrip lone surrogate", ext.roundtrip, "\ud800")

# ---- GetLength ----
for label, s in [("''", ""), ("'abc'", "abc"), ("'héllo'", "héllo"), ("emoji", "\U0001F600"),
                 ("embedded NUL", "a\x00b"), ("StrSub", StrSub("four")), ("1000 €", "€" * 1000)]:
    show("GetLength " + label, ext.get_length, s)
for label, v in [("bytes", b"abc"), ("int", 5), ("list", [1, 2]), ("None", None)]:
    showmsg("GetLength on " + label, ext.get_length, v)

# ---- Concat ----
show("Concat 'ab'+'cd'", ext.concat, "ab", "cd")
show("Concat ''+''", ext.concat, "", "")
show("Concat 'é'+emoji", ext.concat, "é", "\U0001F600")
show("Concat NUL", ext.concat, "a\x00", "\x00b")
show("Concat StrSub", ext.concat, StrSub("x"), StrSub("y"))
print("Concat StrSub result type", type(ext.concat(StrSub("x"), StrSub("y"))).__name__)
print("Concat '' + StrSub result type", type(ext.concat("", StrSub("y"))).__name__)
print("Concat StrSub + '' result type", type(ext.concat(StrSub("y"), "")).__name__)
show("Concat str+int", ext.concat, "a", 1)
show("Concat int+str", ext.concat, 1, "a")
show("Concat str+bytes", ext.concat, "a", b"b")
show("Concat None+None", ext.concat, None, None)
show("Concat StrLike", ext.concat, "a", StrLike())
show("join_kv", ext.join_kv, "key", "välue")
show("join_kv error", ext.join_kv, "key", 3)

# ---- Compare ----
for a, b in [("a", "b"), ("b", "a"), ("abc", "abc"), ("ab", "abc"), ("abc", "ab"), ("", ""),
             ("", "a"), ("Z", "a"), ("é", "z"), ("\uffff", "\U0001F600"), ("\U0001F600", "\uffff"),
             ("a\x00", "a"), ("a\x00b", "a\x00c"), (StrSub("x"), "x"), ("x", StrSub("y"))]:
    show("Compare %s %s" % (ascii(a), ascii(b)), ext.compare, a, b)
for a, b in [("a", 1), (1, "a"), ("a", b"a"), (b"a", b"a"), (None, None)]:
    show("Compare %s %s" % (ascii(a), ascii(b)), ext.compare, a, b)

# ---- CompareWithASCIIString ----
for a, b in [("abc", b"abc"), ("abc", b"abd"), ("abd", b"abc"), ("ab", b"abc"), ("abc", b"ab"),
             ("", b""), ("", b"a"), ("a", b""), ("Z", b"a"), ("a\x00", b"a"), ("a\x00b", b"a"),
             ("\x00", b""), ("é", b"e"), ("é", b"f"), ("\u0100", b"z"), ("caf\u00e9", b"cafe"),
             ("\U0001F600", b"a"), (StrSub("sub"), b"sub"), ("hello world", b"hello world")]:
    show("CompareWithASCIIString %s %s" % (ascii(a), ascii(b)), ext.compare_ascii, a, b)

# ---- InternFromString ----
i1 = ext.intern(b"cpyext_spam")
i2 = ext.intern(b"cpyext_spam")
print("InternFromString value", ascii(i1), type(i1).__name__)
print("InternFromString twice same object", i1 is i2)
print("InternFromString is sys.intern", i1 is sys.intern("".join(["cpyext_", "spam"])))
print("sys.intern first, then InternFromString", sys.intern("".join(["cpyext_", "eggs"])) is ext.intern(b"cpyext_eggs"))
show("InternFromString non-ASCII", ext.intern, "ünïcode".encode())
print("InternFromString non-ASCII same", ext.intern("ünï".encode()) is ext.intern("ünï".encode()))
show("InternFromString empty", ext.intern, b"")
show("InternFromString invalid UTF-8", ext.intern, b"\xff")
print("InternFromString twice (C literal) same/exact", ext.intern_twice_same())

# ---- Check / CheckExact ----
for label, v in [("'abc'", "abc"), ("''", ""), ("StrSub", StrSub("x")), ("bytes", b"x"), ("int", 1),
                 ("None", None), ("StrLike", StrLike()), ("str type", str),
                 ("literal from C", lits[1]), ("FromStringAndSize result", ext.from_string_and_size(b"ab", 2))]:
    print("Check/CheckExact/ob_type==Unicode/refcnt>=1", label, ext.check(v))

# ---- FromOrdinal / FromWideChar ----
for v in [0, 65, 0xE9, 0xD800, 0x1F600, 0x10FFFF, 0x110000, -1]:
    showmsg(f"FromOrdinal({v:#x})", ext.from_ordinal, v)
for units, size in [([104, 0xE9], -1), ([104, 0xE9], 1), ([104, 0, 105], 3), ([104, 0, 105], -1),
                    ([0x1F600, 0xDC00], -1), ([0x110000], -1), ([-1], -1), ([], 0), (None, 0)]:
    showmsg(f"FromWideChar({units}, {size})", ext.from_wide_char, units, size)
show("FromWideChar(NULL, 2)", ext.from_wide_char, None, 2)

# ---- Substring / Join / DecodeUTF8 ----
for s, a, b in [("abcdef", 1, 3), ("abcdef", 0, 100), ("abcdef", 4, 2), ("abcdef", 6, 6), ("abcdef", -1, 2),
                ("abcdef", 1, -2), ("h\xe9\U0001f600\ud800z", 1, 4), (StrSub("sub"), 0, 3), ("", 0, 0)]:
    showmsg(f"Substring({ascii(s)}, {a}, {b})", ext.substring, s, a, b)
print("Substring whole is same", ext.substring_same("whole"))
for sep, seq in [(", ", ["a", "b", "c"]), ("", ("x", "y")), (..., ["p", "q"]), ("-", []), ("-", iter(["i", "j"])),
                 ("\ud800", ["a", "b"]), ("-", ["a", 1]), ("-", 5), (b"-", ["a"]), ("-", [StrSub("s")])]:
    showmsg(f"Join({ascii(sep)}, {ascii(seq) if not hasattr(seq, '__next__') else 'iter'})", ext.join, sep, seq)
for b, n, err in [(b"h\xc3\xa9", 3, None), (b"h\xc3\xa9", 2, None), (b"h\xc3\xa9", 2, "replace"),
                  (b"\xff", 1, "strict"), (b"\xff", 1, "ignore"), (b"\xff", 1, "surrogateescape"),
                  (b"\xed\xa0\x80", 3, "surrogatepass"), (b"abc", 0, None), (b"a\x00b", 3, None),
                  (b"x", 1, "nonesuch"), (b"\xff", 1, "nonesuch")]:
    showmsg(f"DecodeUTF8({b!r}, {n}, {err})", ext.decode_utf8, b, n, err)

# ---- ReadChar ----
for s, i in [("abc", 0), ("abc", 2), ("abc", 3), ("abc", -1), ("", 0), ("\xe9", 0),
             ("\U0001f600x", 0), ("\U0001f600x", 1), ("\ud800", 0), (StrSub("q"), 0)]:
    showmsg(f"ReadChar({ascii(s)}, {i})", ext.read_char, s, i)
show("ReadChar(bytes)", ext.read_char, b"a", 0)

# ---- AsEncodedString ----
for s, enc, err in [("abc", None, None), ("h\xe9", "utf-8", None), ("h\xe9", "latin-1", None),
                    ("h\xe9", "ascii", None), ("h\xe9", "ascii", "replace"), ("h\xe9", "ascii", "ignore"),
                    ("h\xe9", "ascii", "xmlcharrefreplace"), ("a\ud800", None, None),
                    ("a\ud800", "utf-8", "surrogatepass"), ("a\ud800", "utf-8", "surrogateescape"),
                    ("x", "utf-16-le", None), ("x", "UTF8", None), ("x", "nope", None),
                    ("x", "rot13", None), ("x", "hex", None), (StrSub("sub"), None, None)]:
    showmsg(f"AsEncodedString({ascii(s)}, {enc}, {err})", ext.as_encoded_string, s, enc, err)
show("AsEncodedString(bytes)", ext.as_encoded_string, b"x", None, None)
show("AsEncodedString(bad errors)", ext.as_encoded_string, "\xe9", "ascii", "nonesuch")

# C that decodes text, called from code run with no builtins (namedtuple's
# eval does so): CPython imports nothing for it.
no_builtins = {"__builtins__": {}, "decode": ext.decode_utf8, "join": ext.join}
show("DecodeUTF8 under empty __builtins__", eval, "decode(b'abc\\xff', 4, 'replace')", no_builtins)
show("DecodeUTF8 strict under empty __builtins__", eval, "decode(b'abc', 3, None)", no_builtins)

print("DONE")
