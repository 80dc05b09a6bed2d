import codecs
import io
import warnings

import codecs_ext as ext


class StrSub(str):
    pass


# ---- decoding ----
for name, data, errors in [
        ("utf-8", "h\xe9\u20ac\U0001F600".encode(), None), ("utf-8", b"ab\xffcd", None), ("utf-8", b"ab\xffcd", "replace"),
        ("utf-8", b"ab\xffcd", "ignore"), ("utf-8", b"ab\xffcd", "surrogateescape"), ("utf-8", b"\xed\xa0\x80", "surrogatepass"),
        ("utf-8", b"\xe2\x82", None), ("utf-8", b"x", "bogus-handler"), ("utf-8", b"\xff", "bogus-handler"),
        ("latin-1", b"caf\xe9\xff", None), ("ascii", b"plain", None), ("ascii", b"caf\xe9", None), ("ascii", b"caf\xe9", "replace"),
        ("ascii", b"caf\xe9", "backslashreplace"), ("utf-7", b"+AOk-t+AOk-", None), ("utf-7", b"+AOk", None),
        ("unicode-escape", b"a\\n\\u20ac\\U0001F600\\x41", None), ("unicode-escape", b"\\u12", None),
        ("unicode-escape", b"\\u12", "replace"), ("raw-unicode-escape", b"a\\n\\u20ac", None),
        ("fs", b"caf\xc3\xa9", None), ("fs", b"bad\xff", None), ("locale", b"caf\xc3\xa9", None),
        ("locale", b"bad\xff", None), ("locale", b"bad\xff", "surrogateescape"), ("locale", b"x", "replace"),
        ("utf-16", b"\xff\xfea\x00", None), ("utf-16-be", b"\x00a\x20\xac", None), ("utf-32-le", b"a\x00\x00\x00", None),
        ("cp1252", b"\x80\x99", None), ("latin-1", b"", None), ("no-such-codec", b"x", None), ("rot13", b"x", None),
        ("hex", b"x", None), ("base64", b"eA==", None)]:
    print("decode", name, data, errors, ascii(ext.decode(name, data, errors)))
for name, data, errors in [("utf-8", b"ab\xe2\x82", None), ("utf-8", b"ab\xe2\x82", "replace"), ("utf-8", b"a\xffb\xe2", "ignore"),
                           ("utf-7", b"a+AOk", None), ("utf-16", b"\xff\xfea\x00b", None), ("utf-16", b"\xfe\xff\x00a", None),
                           ("utf-32", b"\xff\xfe\x00\x00a\x00\x00\x00b\x00", None), ("utf-16", b"a\x00\x00\xd8", None),
                           ("utf-8", b"\xff", None)]:
    print("decode stateful", name, data, errors, ascii(ext.decode_stateful(name, data, errors)))

# _PyUnicode_DecodeUnicodeEscapeInternal warns of nothing (warnings are
# errors here), and points at the first unknown escape.
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("error")
    for data in [b"plain", b"a\\qb\\zc", b"\\n\\t\\x41\\u20ac\\101\\777", b"\\N{DIGIT ONE}\\d", b"\\\\\\p",
                 b"\\\n\\'\\\"\\a\\b\\f\\v\\r\\8", b"tail\\", b"tail\\x4", b"\\x4g\\q", b"\\N{NO SUCH NAME}\\q", b""]:
        for errors in (None, "replace", "backslashreplace"):
            for stateful in (False, True):
                r = ext.decode_escape_internal(data, errors, stateful)
                if isinstance(r, tuple) and b"\\x4g" in data or b"NO SUCH" in data:
                    r = r[:2] + (r[2] is not None,)  # after an error handler: only whether one was found
                print("escape internal", data, errors, stateful, ascii(r))
    # PyUnicode_DecodeUnicodeEscape warns in CPython's words.
    for data in (b"\\q", b"ab\\777", b"\\8\\q"):
        print("escape warns", data, ascii(ext.decode("unicode-escape", data, None)))
for bits, data, order, errors in [(16, b"a\x00b\x00", None, None), (16, b"\xff\xfea\x00", 0, None), (16, b"\xfe\xff\x00a", 0, None),
                                  (16, b"\x00a", 1, None), (16, b"a\x00", -1, None), (16, b"a\x00", 0, None),
                                  (16, b"a\x00b", 0, None), (16, b"a\x00b", 0, "replace"), (16, b"\x00\xd8a\x00", -1, None),
                                  (32, b"\xff\xfe\x00\x00a\x00\x00\x00", 0, None), (32, b"\x00\x00\x00a", 1, None),
                                  (32, b"\x00\x00\x11\x00", -1, None), (32, b"\x00\x00\x11\x00", -1, "replace")]:
    print("decode UTF-%d" % bits, data, order, errors, ascii(ext.decode_wide(bits, data, order, errors)))

# ---- encoding ----
for name, u in [("utf-8", "h\xe9\U0001F600"), ("utf-8", "a\ud800"), ("utf-16", "h\xe9"), ("utf-32", "\U0001F600"),
                ("latin-1", "caf\xe9"), ("latin-1", "\u20ac"), ("ascii", "plain"), ("ascii", "caf\xe9"),
                ("unicode-escape", "a\n\xe9\u20ac\U0001F600"), ("raw-unicode-escape", "a\n\xe9\u20ac"),
                ("fs", "caf\xe9"), ("fs", "bad\udcff"), ("locale", "caf\xe9"), ("locale", "a\x00b"),
                ("locale", "bad\udcff"), ("locale-surrogateescape", "bad\udcff"), ("cp1252", "\u20ac"), ("rot13", "x"),
                ("no-such-codec", "x"), ("utf-8", StrSub("sub\xe9"))]:
    print("encode", name, ascii(u), ascii(ext.encode(name, u)))
for name in ["utf-8", "utf-16", "latin-1", "ascii", "unicode-escape", "fs"]:
    print("encode non-str", name, ext.encode(name, b"bytes"), ext.encode(name, 5))
for name, u, errors, order in [("utf-8", "a\ud800", "surrogatepass", 0), ("utf-8", "a\ud800", "replace", 0),
                               ("latin-1", "\u20acx", "replace", 0), ("latin-1", "\u20acx", "xmlcharrefreplace", 0),
                               ("ascii", "\xe9", "backslashreplace", 0), ("ascii", "\xe9", None, 0),
                               ("utf-16", "ab", None, 0), ("utf-16", "ab", None, -1), ("utf-16", "ab", None, 1),
                               ("utf-32", "a", None, 0), ("utf-32", "a", None, 1), ("utf-16", "\ud800", "replace", -1)]:
    print("encode errors", name, ascii(u), errors, order, ascii(ext.encode_errors(name, u, errors, order)))

# ---- charmap ----
decoding_table = "ab\u20ac" + "\ufffe" * 253
encoding_map = codecs.charmap_build(decoding_table)
for data, mapping, u, enc_mapping, errors in [
        (b"\x00\x01\x02", decoding_table, "ab\u20ac", encoding_map, None),
        (b"\x00\x05", decoding_table, "a\xe9", encoding_map, None), (b"\x00\x05", decoding_table, "a", encoding_map, "replace"),
        (b"\x01\x00", {0: "x", 1: 0x20ac}, "xz", {ord("x"): 0, ord("z"): b"ZZ"}, None),
        (b"\x02", {0: "x"}, "x", {ord("x"): None}, None), (b"ab", None, "\xe9t\xe9", None, None)]:
    print("charmap", data, type(mapping).__name__, ascii(u), type(enc_mapping).__name__, errors,
          ascii(ext.charmap(data, mapping, u, enc_mapping, errors)))
print("BuildEncodingMap", ascii(ext.build_encoding_map("abc")), ascii(ext.build_encoding_map("".join(chr(i) for i in range(256))[:256])))
print("BuildEncodingMap(int)", ext.build_encoding_map(5))

# ---- locale, fs, objects ----
print("DecodeLocale", ascii(ext.decode_locale(b"caf\xc3\xa9", None)), ascii(ext.decode_locale(b"x\xff", "surrogateescape")),
      ascii(ext.decode_locale(b"x\xff", None)), ascii(ext.decode_locale(b"x", "ignore")))
print("DecodeLocaleAndSize embedded NUL", ext.decode_locale_embedded_nul())
print("DecodeFSDefault", ascii(ext.decode_fs_default(b"caf\xc3\xa9")), ascii(ext.decode_fs_default(b"x\xffy")))
for o, enc, errors in [(b"h\xc3\xa9", None, None), (b"h\xe9", "latin-1", None), (b"h\xe9", None, None), (b"h\xe9", None, "replace"),
                       (bytearray(b"ba"), None, None), (memoryview(b"mv"), "ascii", None), (b"", "utf-8", None),
                       ("str", None, None), (5, None, None), (b"x", "rot13", None), (b"x", "nope", None)]:
    print("FromEncodedObject", ascii(o) if not isinstance(o, memoryview) else "memoryview", enc, errors,
          ascii(ext.from_encoded_object(o, enc, errors)))
for o in ["exact", StrSub("sub"), 5, b"b", None]:
    r = ext.from_object(o)
    print("FromObject", ascii(o), ascii(r), type(r[0]).__name__ if isinstance(r, tuple) else "")
for which, u, enc in [("AsEncodedObject", "x", "rot13"), ("AsEncodedObject", "h\xe9", "utf-8"), ("AsEncodedUnicode", "abc", "rot13"),
                      ("AsEncodedUnicode", "abc", "utf-8"), ("AsDecodedObject", "abc", "rot13"),
                      ("AsDecodedUnicode", "nop", "rot13"), ("AsDecodedUnicode", "x", "utf-8"), ("AsEncodedObject", 5, "utf-8")]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = ext.codec_object(which, u, enc)
    print(which, ascii(u), enc, ascii(r), [(w.category.__name__, str(w.message)) for w in caught])
with warnings.catch_warnings():
    warnings.simplefilter("error")
    print("AsEncodedObject warning as error", ext.codec_object("AsEncodedObject", "x", "utf-8"))


class PathLike:
    def __fspath__(self):
        return "from/fspath"


class BadPath:
    def __fspath__(self):
        return 5


for which in ["FSDecoder", "FSConverter"]:
    for o in ["text/path", b"bytes/path", "caf\xe9", b"caf\xc3\xa9", PathLike(), "a\x00b", b"a\x00b", 5, BadPath(), "x\udcff"]:
        print(which, ascii(o) if not isinstance(o, (PathLike, BadPath)) else type(o).__name__, ascii(ext.converter(which, o)))
print("GetDefaultEncoding", ext.default_encoding())

# ---- codecs.h ----
calls = []


class CodecProblem(ValueError):
    pass


def failing_encode(s, errors="strict"):
    raise TypeError("cannot encode that")


def failing_decode(b, errors="strict"):
    raise CodecProblem("plain subclass")


def search(name):
    calls.append(name)
    if name == "cpyext_failing_codec":
        return codecs.CodecInfo(failing_encode, failing_decode, name=name)
    if name == "cpyext_test_codec":
        return codecs.CodecInfo(lambda s, errors="strict": (s.upper().encode(), len(s)),
                                lambda b, errors="strict": (bytes(b).decode().lower(), len(b)), name="cpyext_test_codec")
    return None


print("KnownEncoding before", ext.known_encoding("cpyext_test_codec"), ext.known_encoding("utf-8"), ext.known_encoding("UTF8"))
print("Register", ext.codec_register(search))
print("Register non-callable", ext.codec_register(5))
print("KnownEncoding after", ext.known_encoding("cpyext_test_codec"), "search called", calls[-1:])
print("Encode via registered", ext.codec_encode("abc", "cpyext_test_codec", None, 0))
print("Decode via registered", ext.codec_encode(b"ABC", "cpyext_test_codec", None, 1))
print("str.encode sees it", "xy".encode("cpyext_test_codec"))
for o, enc, errors, dec in [("abc", "rot13", None, 0), (b"6162", "hex", None, 1), (b"ab", "base64", None, 0),
                            ("h\xe9", "utf-8", None, 0), ("h\xe9", "ascii", None, 0), ("h\xe9", "ascii", "replace", 0),
                            (b"\xff", "utf-8", None, 1), (b"\xff", "utf-8", "strict", 1), ("x", "nope", None, 0),
                            (b"x", "utf-8", "bogus", 1), ("x", "cpyext_failing_codec", None, 0), (b"x", "cpyext_failing_codec", None, 1),
                            ("x", "cpyext_test_codec", None, 0)]:
    print("PyCodec_%s" % ("Decode" if dec else "Encode"), ascii(o), enc, errors, ascii(ext.codec_encode(o, enc, errors, dec)))
print("Unregister", ext.codec_unregister(search))
for enc in ["utf-8", "latin-1", "nope"]:
    r = ext.coders(enc)
    print("Encoder/Decoder", enc, ascii(r if isinstance(r, str) else (r[0][0], r[1][0])))
for enc, errors, chunks in [("utf-8", None, [b"h\xc3", b"\xa9llo", b"\xe2\x82", b"\xac"]), ("utf-8", "replace", [b"a\xff", b"b"]),
                            ("utf-8", None, [b"a\xff"]), ("utf-16", None, [b"\xff\xfea", b"\x00b\x00"]), ("nope", None, [])]:
    print("Incremental", enc, errors, ascii(ext.incremental(enc, errors, chunks)))
raw = io.BytesIO("h\xe9llo\n".encode("latin-1"))
reader = ext.streams("latin-1", raw, None, 0)
print("StreamReader", type(reader).__name__, ascii(reader.read()), reader.errors)
out = io.BytesIO()
writer = ext.streams("utf-8", out, "replace", 1)
writer.write("\u20ac!")
print("StreamWriter", type(writer).__name__, out.getvalue(), writer.errors)
print("StreamReader unknown", ext.streams("nope", raw, None, 0))


def my_handler(exc):
    return ("<%d-%d>" % (exc.start, exc.end), exc.end)


print("RegisterError", ext.register_error("cpyext.test", my_handler))
print("RegisterError non-callable", ext.register_error("cpyext.bad", 5))
print("used by str.encode", "a\xe9\u20acb".encode("ascii", "cpyext.test"))
print("LookupError", ext.lookup_error("cpyext.test") is my_handler, ext.lookup_error(None) is codecs.strict_errors,
      ext.lookup_error("replace") is codecs.replace_errors, ext.lookup_error("nope"))
enc_err = UnicodeEncodeError("ascii", "a\xe9\u20acb", 1, 3, "ordinal not in range(128)")
dec_err = UnicodeDecodeError("utf-8", b"a\xff\xfeb", 1, 3, "invalid start byte")
tr_err = UnicodeTranslateError("a\xe9\u20acb", 1, 3, "character maps to <undefined>")
for which in ["strict", "ignore", "replace", "xmlcharrefreplace", "backslashreplace", "namereplace"]:
    print("handler", which, [ascii(ext.handler(which, e)) for e in (enc_err, dec_err, tr_err, ValueError("plain"), 5)])

for which, o, enc in [("lookup", None, "UTF8"), ("lookup", None, "rot13"), ("lookup", None, "nope"),
                      ("encode", "h\xe9", "latin-1"), ("encode", "h\u20ac", "latin-1"), ("encode", "x", "rot13"),
                      ("decode", b"h\xff", "utf-8"), ("decode", b"x", "hex"), ("decode", "str", "utf-8")]:
    print("text codec", which, ascii(o), enc, ascii(ext.text_codec(which, o, enc)))
for o, optional in [("wide \u20ac", 0), ("", 0), ("a\x00b", 0), (5, 0), (None, 0), (None, 1), ("x", 1), (b"x", 1)]:
    print("WideCharString converter", ascii(o), optional, ascii(ext.wide_converter(o, optional)))
for o in ["123", "\u0661\u0662\u0663", " \u00a0 4\u20035 ", "12\u20ac3", "\u0664\x7f9", "\U0001D7CE", 5]:
    print("TransformDecimalAndSpaceToASCII", ascii(o), ascii(ext.transform_decimal(o)))

print("DONE")
