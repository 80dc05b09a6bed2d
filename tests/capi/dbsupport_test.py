import pathlib
import weakref

import dbsupport_ext as ext


def show(label, value):
    print(label + ":", repr(value))


def attempt(label, f, *args):
    try:
        show(label, f(*args))
    except Exception as e:
        print(label + ": raised", type(e).__name__)


c = ext.capsules()
show("capsules", c[:6] + (c[6].__name__ if isinstance(c[6], type) else c[6], c[7]))
cap = ext.make_capsule()
show("capsule repr", repr(cap).startswith('<capsule object "dbsupport_ext.api" at 0x'))
show("capsule type", type(cap).__name__)
ext.api = cap
show("import_capsule", ext.import_capsule())
del ext.api
attempt("import_capsule missing", ext.import_capsule)
attempt("import_capsule of a missing module", ext.import_capsule_named, "no_such_module_xyz.CAPI")
show("locks", ext.locks())
r = ext.run()
show("run", (r[0], r[1], r[2], r[3].__name__))
show("strings", ext.strings())
show("mapping dict", ext.mapping({"k": 1, "j": 2}))
show("mapping missing", (lambda t: t[:2] + (t[2].__name__,) + t[3:])(ext.mapping({"j": 2})))
show("mapping list", ext.mapping.__name__)
show("decode", (ext.decode(b"caf\xc3\xa9", "utf-8", None), ext.decode(b"caf\xe9", "latin-1", None),
                ext.decode(b"a\xffb", "utf-8", "replace"), ext.decode(b"a\xffb", "ascii", "ignore")))
attempt("decode strict", ext.decode, b"a\xffb", "utf-8", None)
attempt("decode unknown", ext.decode, b"a", "no-such-codec", None)
show("fsconvert", (ext.fsconvert("path/x"), ext.fsconvert(b"raw"), ext.fsconvert(pathlib.PurePosixPath("/tmp/p"))))
attempt("fsconvert nul", ext.fsconvert, "a\0b")
attempt("fsconvert int", ext.fsconvert, 3)
show("resize", (ext.resize(4), ext.resize(10), len(ext.resize(20)), ext.resize(20)[:10]))
show("resize after Python saw it", (ext.resize_seen(4), ext.resize_seen(13)))
show("misc", (ext.misc(5), ext.misc(2**40), ext.misc(2**70), ext.misc(-2**70)))
show("bytearray", ext.bytearray())
show("call_id", ext.call_id("banana"))


class C:
    pass


o = C()
show("weak_checks", (ext.weak_checks(weakref.ref(o)), ext.weak_checks(weakref.proxy(o)), ext.weak_checks(o)))
show("print", (ext.print_to_string("text", 0), ext.print_to_string("text", 1), ext.print_to_string([1, "a"], 0)))
print("DONE")
