import object_ext as ext


def show(label, fn, *args):
    """Print the repr of fn(*args), or the exception type name."""
    try:
        r = fn(*args)
    except Exception as e:
        print(label, "->", type(e).__name__)
    else:
        print(label, "=", repr(r))


def res(fn, *args):
    """repr of fn(*args) or the exception type name (for compact lines)."""
    try:
        return repr(fn(*args))
    except Exception as e:
        return type(e).__name__


def pair(label, fn1, fn2, *args):
    """Two C functions that must agree, printed on one line."""
    print(label, "=", res(fn1, *args), "/", res(fn2, *args))


def showmsg(label, fn, *args):
    """Like show, but also print the message (only for messages that come
    from the C code or from our own Python code in this script)."""
    try:
        r = fn(*args)
    except Exception as e:
        print(label, "->", type(e).__name__, str(e))
    else:
        print(label, "=", repr(r))


class Plain:
    cls_attr = "class-level"

    def __init__(self):
        self.x = 1


class Boom:
    @property
    def bad(self):
        raise ValueError("property failed")


class Slotted:
    __slots__ = ("a",)


p = Plain()

# ---- attributes ----
show("GetAttr x", ext.getattr, p, "x")
show("GetAttr cls_attr", ext.getattr, p, "cls_attr")
show("GetAttr missing", ext.getattr, p, "nope")
show("GetAttr non-str name", ext.getattr, p, 5)
show("GetAttr int.real", ext.getattr, 7, "real")
show("GetAttr str.upper callable", lambda: callable(ext.getattr("s", "upper")))
showmsg("GetAttr property raising", ext.getattr, Boom(), "bad")
show("GetAttrString x", ext.getattrstring, p, "x")
show("GetAttrString missing", ext.getattrstring, p, "nope")
show("GetAttrString __class__ is Plain", lambda: ext.getattrstring(p, "__class__") is Plain)
show("SetAttr y", ext.setattr, p, "y", [1, 2])
print("after SetAttr y", p.y)
show("SetAttr on int", ext.setattr, 5, "y", 1)
show("SetAttr on object()", ext.setattr, object(), "y", 1)
show("SetAttr non-str name", ext.setattr, p, 3, 1)
show("SetAttr slot a", ext.setattr, Slotted(), "a", 1)
show("SetAttr slot b", ext.setattr, Slotted(), "b", 1)
show("SetAttr NULL deletes y", ext.setattr_null, p, "y")
print("after SetAttr NULL hasattr y", hasattr(p, "y"))
show("SetAttr NULL missing", ext.setattr_null, p, "y")
show("SetAttrString z", ext.setattrstring, p, "z", "zed")
print("after SetAttrString z", p.z)
show("SetAttrString on str", ext.setattrstring, "abc", "z", 1)
show("SetAttrString on class", ext.setattrstring, Plain, "cls2", 99)
print("after SetAttrString class", Plain.cls2, p.cls2)
show("HasAttr x", ext.hasattr, p, "x")
show("HasAttr missing", ext.hasattr, p, "nope")
show("HasAttr property raising", ext.hasattr, Boom(), "bad")
show("HasAttr non-str name", ext.hasattr, p, 5)
show("HasAttr int.real", ext.hasattr, 1, "real")
show("HasAttrString z", ext.hasattrstring, p, "z")
show("HasAttrString missing", ext.hasattrstring, p, "nope")
show("HasAttrString property raising", ext.hasattrstring, Boom(), "bad")
show("DelAttr z", ext.delattr, p, "z")
print("after DelAttr hasattr z", hasattr(p, "z"))
show("DelAttr z again", ext.delattr, p, "z")
show("DelAttr on int", ext.delattr, 5, "real")
show("DelAttr non-str name", ext.delattr, p, 5)
p.w = 3
show("DelAttrString w", ext.delattrstring, p, "w")
print("after DelAttrString hasattr w", hasattr(p, "w"))
show("DelAttrString missing", ext.delattrstring, p, "w")
show("attr roundtrip", ext.attr_roundtrip, Plain())
show("attr roundtrip on int", ext.attr_roundtrip, 3)

# ---- repr / str ----


class R:
    def __repr__(self):
        return "R-repr"

    def __str__(self):
        return "R-str"


class OnlyRepr:
    def __repr__(self):
        return "only-repr"


class BadRepr:
    def __repr__(self):
        return 42

    def __str__(self):
        return b"bytes"


class RaisingRepr:
    def __repr__(self):
        raise KeyError("nope")

    def __str__(self):
        raise IndexError("nope")


class StrSub(str):
    pass


class StrSubRepr:
    def __repr__(self):
        return StrSub("sub-repr")


show("Repr int", ext.repr, 123)
show("Repr str", ext.repr, "a'b")
show("Repr bytes", ext.repr, b"\x00ab")
show("Repr None", ext.repr, None)
show("Repr float", ext.repr, 0.1)
show("Repr tuple", ext.repr, (1, "x", None))
show("Repr nested", ext.repr, {"k": [1, (2,)]})
show("Repr R", ext.repr, R())
show("Repr returns non-str", ext.repr, BadRepr())
show("Repr raising", ext.repr, RaisingRepr())
show("Repr str subclass result", ext.repr, StrSubRepr())
show("Repr str subclass result is str", ext.repr_is_str, StrSubRepr())
for label, v in [("int", 123), ("str", "h\xe9\U0001f600"), ("surrogate", "\ud800"), ("R", R()),
                 ("BadRepr", BadRepr()), ("RaisingRepr", RaisingRepr()), ("StrSubRepr", StrSubRepr()),
                 ("NULL", ...)]:
    show("ASCII " + label, ext.ascii, v)
show("Str int", ext.str, 123)
s = "some string"
print("Str exact str returns same object", ext.str(s) is s)
show("Str bytes", ext.str, b"ab")
show("Str R", ext.str, R())
show("Str falls back to repr", ext.str, OnlyRepr())
show("Str returns non-str", ext.str, BadRepr())
show("Str raising", ext.str, RaisingRepr())
show("Str float", ext.str, 1e22)
show("Str True", ext.str, True)

# ---- rich comparison ----
LT, LE, EQ, NE, GT, GE = ext.op_constants()
print("op constants", (LT, LE, EQ, NE, GT, GE))
OPS = [("LT", LT), ("LE", LE), ("EQ", EQ), ("NE", NE), ("GT", GT), ("GE", GE)]
for a, b in [(1, 2), (2, 2), ("b", "a"), (1, 1.0), ((1, 2), (1, 3))]:
    print("RichCompare", repr(a), repr(b),
          [ext.richcompare(a, b, op) for _, op in OPS])
    print("RichCompareBool", repr(a), repr(b),
          [ext.richcomparebool(a, b, op) for _, op in OPS])
print("RichCompare / RichCompareBool 1 vs 'a'",
      [(name, res(ext.richcompare, 1, "a", op), res(ext.richcomparebool, 1, "a", op)) for name, op in OPS])
nan = float("nan")
show("RichCompare nan==nan (same object)", ext.richcompare, nan, nan, EQ)
show("RichCompareBool nan==nan (same object)", ext.richcomparebool, nan, nan, EQ)
show("RichCompareBool nan!=nan (same object)", ext.richcomparebool, nan, nan, NE)
show("RichCompareBool nan<=nan (same object)", ext.richcomparebool, nan, nan, LE)
show("RichCompareBool nan==other nan", ext.richcomparebool, nan, float("nan"), EQ)


class Weird:
    def __eq__(self, other):
        return "yes"

    def __ne__(self, other):
        return 0

    def __lt__(self, other):
        return NotImplemented

    def __gt__(self, other):
        return NotImplemented


class BadBool:
    def __bool__(self):
        raise ZeroDivisionError("bad bool")


class ReturnsBadBool:
    def __eq__(self, other):
        return BadBool()


class NeverEqual:
    def __eq__(self, other):
        return False


w = Weird()
show("RichCompare Weird EQ", ext.richcompare, w, 1, EQ)
show("RichCompareBool Weird EQ", ext.richcomparebool, w, 1, EQ)
show("RichCompare Weird NE", ext.richcompare, w, 1, NE)
show("RichCompareBool Weird NE", ext.richcomparebool, w, 1, NE)
show("RichCompare Weird LT (NotImplemented both ways)", ext.richcompare, w, Weird(), LT)
show("RichCompare reflected 1 == Weird", ext.richcompare, 1, w, EQ)
show("RichCompareBool ReturnsBadBool", ext.richcomparebool, ReturnsBadBool(), 1, EQ)
show("RichCompare ReturnsBadBool type", lambda: type(ext.richcompare(ReturnsBadBool(), 1, EQ)).__name__)
ne = NeverEqual()
show("RichCompare NeverEqual self EQ", ext.richcompare, ne, ne, EQ)
show("RichCompareBool NeverEqual self EQ (identity shortcut)", ext.richcomparebool, ne, ne, EQ)
show("RichCompareBool NeverEqual self NE (identity shortcut)", ext.richcomparebool, ne, ne, NE)
o1, o2 = object(), object()
show("RichCompare object EQ other", ext.richcompare, o1, o2, EQ)
show("RichCompare object NE other", ext.richcompare, o1, o2, NE)
show("RichCompare object LT other", ext.richcompare, o1, o2, LT)
show("RichCompare None EQ None", ext.richcompare, None, None, EQ)
show("RichCompare big ints", ext.richcompare, 2**100, 2**100 + 1, LT)
show("RichCompare list EQ", ext.richcompare, [1, [2]], [1, [2]], EQ)

# ---- hashing ----
show("Hash 0", ext.hash, 0)
show("Hash 42", ext.hash, 42)
show("Hash -1", ext.hash, -1)
show("Hash -2", ext.hash, -2)
show("Hash True", ext.hash, True)
show("Hash 2**61-1", ext.hash, 2**61 - 1)
show("Hash 2**61", ext.hash, 2**61)
show("Hash 2**100", ext.hash, 2**100)
show("Hash -(2**100)", ext.hash, -(2**100))
print("Hash 1.5 matches hash()", ext.hash(1.5) == hash(1.5))
show("Hash 2.0", ext.hash, 2.0)
print("Hash (1, 2) matches hash()", ext.hash((1, 2)) == hash((1, 2)))
print("Hash (1, 2) equals hash of equal tuple", ext.hash((1, 2)) == ext.hash(tuple([1, 2])))
print("Hash str matches hash()", ext.hash("hello") == hash("hello"))
print("Hash bytes matches hash()", ext.hash(b"hello") == hash(b"hello"))
print("Hash equal strs built differently", ext.hash("".join(["ab", "c"])) == ext.hash("abc"))
print("Hash None matches hash()", ext.hash(None) == hash(None))
show("Hash list", ext.hash, [])
show("Hash dict", ext.hash, {})
show("Hash tuple with list", ext.hash, (1, []))


class H:
    def __init__(self, v):
        self.v = v

    def __hash__(self):
        return self.v


class Unhashable:
    __hash__ = None


show("Hash __hash__ 7", ext.hash, H(7))
show("Hash __hash__ -1", ext.hash, H(-1))
show("Hash __hash__ 2**100", ext.hash, H(2**100))
show("Hash __hash__ True", ext.hash, H(True))
show("Hash __hash__ returns str", ext.hash, H("x"))
show("Hash __hash__ returns float", ext.hash, H(1.0))
show("Hash __hash__ = None", ext.hash, Unhashable())

# ---- truth ----


class Len0:
    def __len__(self):
        return 0


class Len3:
    def __len__(self):
        return 3


class NegLen:
    def __len__(self):
        return -1


class HugeLen:
    def __len__(self):
        return 2**100


class StrLen:
    def __len__(self):
        return "3"


class BoolInt:
    def __bool__(self):
        return 1


for label, v in [("0", 0), ("1", 1), ("-1", -1), ("2**100", 2**100), ("0.0", 0.0),
                 ("nan", nan), ("''", ""), ("'a'", "a"), ("b''", b""), ("()", ()),
                 ("(0,)", (0,)), ("[]", []), ("{}", {}), ("None", None), ("True", True),
                 ("False", False), ("object()", object()), ("Len0", Len0()),
                 ("Len3", Len3())]:
    pair("IsTrue/Not " + label, ext.istrue, ext.not_, v)
for label, v in [("BadBool", BadBool()), ("NegLen", NegLen()), ("HugeLen", HugeLen()),
                 ("StrLen", StrLen()), ("BoolInt", BoolInt())]:
    pair("IsTrue/Not " + label, ext.istrue, ext.not_, v)

# ---- type ----
show("Type 5 is int", lambda: ext.type(5) is int)
show("Type True is bool", lambda: ext.type(True) is bool)
show("Type Plain() is Plain", lambda: ext.type(Plain()) is Plain)
show("Type int is type", lambda: ext.type(int) is type)
show("Type None", lambda: ext.type(None) is type(None))
for label, v in [("5", 5), ("True", True), ("2**100", 2**100), ("1.0", 1.0), ("'s'", "s"),
                 ("b'b'", b"b"), ("()", ()), ("StrSub", StrSub("x")), ("None", None),
                 ("Plain", Plain()), ("int type", int)]:
    print("PyObject_Type matches Py_TYPE / Py_TYPE / Py_REFCNT>=1", label, ext.type_matches(v),
          ext.type_name_c(v), ext.refcnt_positive(v))
print("INCREF/DECREF balanced", ext.incref_decref_balanced([1, 2, 3]))
print("INCREF/DECREF balanced on object()", ext.incref_decref_balanced(object()))

# ---- calling ----


def f(*args, **kwargs):
    return ("f", args, sorted(kwargs.items()))


def raiser(*args, **kwargs):
    raise ValueError("callee failed")


show("Call f ()", ext.call, f, (), None)
show("Call f (1, 2)", ext.call, f, (1, 2), None)
show("Call f kwargs", ext.call, f, (1,), {"a": 2, "b": 3})
show("Call f empty kwargs", ext.call, f, (), {})
show("Call int('12')", ext.call, int, ("12",), None)
show("Call int kwargs base", ext.call, int, ("ff",), {"base": 16})
show("Call type 1 arg", lambda: ext.call(type, (3,), None) is int)
show("Call non-callable", ext.call, 5, (), None)
showmsg("Call raiser", ext.call, raiser, (1,), None)
show("Call bound method", ext.call, [3, 1, 2].index, (2,), None)
show("Call class", lambda: type(ext.call(Plain, (), None)).__name__)
show("Call builtin len", ext.call, len, ("abcd",), None)
show("Call builtin len bad arity", ext.call, len, (), None)
show("CallObject f NULL args", ext.callobject, f, None)
show("CallObject f (1,)", ext.callobject, f, (1,))
showmsg("CallObject args not a tuple", ext.callobject, f, [1])
show("CallObject non-callable", ext.callobject, "str", None)
showmsg("CallObject raiser", ext.callobject, raiser, ())
show("CallNoArgs f", ext.callnoargs, f)
show("CallNoArgs int", ext.callnoargs, int)
show("CallNoArgs tuple", ext.callnoargs, tuple)
show("CallNoArgs non-callable", ext.callnoargs, None)
show("CallNoArgs requires arg", ext.callnoargs, abs)
showmsg("CallNoArgs raiser", ext.callnoargs, raiser)
show("CallOneArg f", ext.callonearg, f, "x")
show("CallOneArg abs", ext.callonearg, abs, -5)
show("CallOneArg str", ext.callonearg, str, 2**70)
show("CallOneArg tuple arg stays one arg", ext.callonearg, f, (1, 2))
show("CallOneArg non-callable", ext.callonearg, 1, 1)
showmsg("CallOneArg raiser", ext.callonearg, raiser, 1)
show("Call with C-built tuple", ext.call_built_tuple, f)
show("C-raised error", ext.call_built_tuple, lambda *a: ext.raise_value_error())
showmsg("C-raised error message", ext.raise_value_error)

# ---- length ----


class LenNotInt:
    def __len__(self):
        return 2.0


for label, v in [("[]", []), ("[1,2,3]", [1, 2, 3]), ("'héllo'", "héllo"), ("b'ab'", b"ab"),
                 ("{1:2}", {1: 2}), ("range(10)", range(10)), ("Len3", Len3())]:
    pair("Length/Size " + label, ext.length, ext.size, v)
for label, v in [("5", 5), ("None", None), ("NegLen", NegLen()), ("HugeLen", HugeLen()),
                 ("StrLen", StrLen()), ("LenNotInt", LenNotInt()), ("iter", iter([1]))]:
    pair("Length/Size " + label, ext.length, ext.size, v)

# ---- items ----
lst = [10, 20, 30]
d = {"a": 1}
show("GetItem list 0", ext.getitem, lst, 0)
show("GetItem list -1", ext.getitem, lst, -1)
show("GetItem list 5", ext.getitem, lst, 5)
show("GetItem list 2**100", ext.getitem, lst, 2**100)
show("GetItem list 'x'", ext.getitem, lst, "x")
show("GetItem list slice", ext.getitem, lst, slice(1, None))
show("GetItem list True", ext.getitem, lst, True)
show("GetItem tuple", ext.getitem, (1, 2), 1)
show("GetItem str", ext.getitem, "abc", 1)
show("GetItem bytes", ext.getitem, b"abc", 1)
show("GetItem dict", ext.getitem, d, "a")
show("GetItem dict missing", ext.getitem, d, "b")
show("GetItem dict unhashable key", ext.getitem, d, [])
show("GetItem int", ext.getitem, 5, 0)
show("GetItem None", ext.getitem, None, 0)
show("GetItem type generic alias", lambda: repr(ext.getitem(list, int)))


class Idx:
    def __index__(self):
        return 1


class GI:
    def __getitem__(self, k):
        if k == "boom":
            raise LookupError("custom")
        return ("GI", k)


show("GetItem list with __index__", ext.getitem, lst, Idx())
show("GetItem custom", ext.getitem, GI(), (1, 2))
showmsg("GetItem custom raising", ext.getitem, GI(), "boom")
show("SetItem list 0", ext.setitem, lst, 0, "zero")
show("SetItem list -1", ext.setitem, lst, -1, "last")
print("list after SetItem", lst)
show("SetItem list 9", ext.setitem, lst, 9, 0)
show("SetItem list 'x'", ext.setitem, lst, "x", 0)
show("SetItem dict", ext.setitem, d, "b", 2)
show("SetItem dict tuple key", ext.setitem, d, (1, 2), 3)
print("dict after SetItem", d)
show("SetItem dict unhashable", ext.setitem, d, {}, 0)
show("SetItem tuple", ext.setitem, (1,), 0, 2)
show("SetItem str", ext.setitem, "ab", 0, "c")
show("SetItem int", ext.setitem, 1, 0, 2)
show("DelItem list 0", ext.delitem, lst, 0)
print("list after DelItem", lst)
show("DelItem list 9", ext.delitem, lst, 9)
show("DelItem list slice", ext.delitem, lst, slice(None))
print("list after DelItem slice", lst)
show("DelItem dict", ext.delitem, d, "a")
show("DelItem dict missing", ext.delitem, d, "a")
print("dict after DelItem", d)
show("DelItem tuple", ext.delitem, (1,), 0)
show("DelItem None", ext.delitem, None, 0)

# ---- isinstance / issubclass ----


class Meta(type):
    def __instancecheck__(cls, inst):
        return inst == "magic"

    def __subclasscheck__(cls, sub):
        return sub is int


class Magic(metaclass=Meta):
    pass


class RaisingMeta(type):
    def __instancecheck__(cls, inst):
        raise RuntimeError("instancecheck failed")


class RaisingCheck(metaclass=RaisingMeta):
    pass


class IntSub(int):
    pass


show("IsInstance 1 int", ext.isinstance, 1, int)
show("IsInstance True int", ext.isinstance, True, int)
show("IsInstance 1 bool", ext.isinstance, 1, bool)
show("IsInstance 1 str", ext.isinstance, 1, str)
show("IsInstance 1 object", ext.isinstance, 1, object)
show("IsInstance IntSub int", ext.isinstance, IntSub(3), int)
show("IsInstance 1 (str, int)", ext.isinstance, 1, (str, int))
show("IsInstance 1 (str, (bytes, int))", ext.isinstance, 1, (str, (bytes, int)))
show("IsInstance 1 ()", ext.isinstance, 1, ())
show("IsInstance 1 int|str", ext.isinstance, 1, int | str)
show("IsInstance 'magic' Magic", ext.isinstance, "magic", Magic)
show("IsInstance 'other' Magic", ext.isinstance, "other", Magic)
showmsg("IsInstance raising __instancecheck__", ext.isinstance, 1, RaisingCheck)
show("IsInstance 1 5", ext.isinstance, 1, 5)
show("IsInstance 1 (int, 5) first matches", ext.isinstance, 1, (int, 5))
show("IsInstance 1 (5, int)", ext.isinstance, 1, (5, int))
show("IsInstance int type", ext.isinstance, int, type)
show("IsSubclass bool int", ext.issubclass, bool, int)
show("IsSubclass int bool", ext.issubclass, int, bool)
show("IsSubclass int int", ext.issubclass, int, int)
show("IsSubclass int object", ext.issubclass, int, object)
show("IsSubclass IntSub (str, int)", ext.issubclass, IntSub, (str, int))
show("IsSubclass int Magic", ext.issubclass, int, Magic)
show("IsSubclass str Magic", ext.issubclass, str, Magic)
show("IsSubclass 5 int", ext.issubclass, 5, int)
show("IsSubclass int 5", ext.issubclass, int, 5)
show("IsSubclass int int|str", ext.issubclass, int, int | str)

# ---- iteration ----


def drain(it):
    out = []
    while True:
        step = ext.iternext(it)
        if step == ():
            return out
        out.append(step[0])


class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        return self.n


class FailingIter:
    def __init__(self):
        self.i = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.i += 1
        if self.i > 2:
            raise ArithmeticError("iteration failed")
        return self.i


class BadIterResult:
    def __iter__(self):
        return 5


class SeqOnly:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return i * 10


class StopValue:
    def __iter__(self):
        return self

    def __next__(self):
        raise StopIteration("with value")


show("GetIter+Next list", lambda: drain(ext.getiter([1, 2, 3])))
show("GetIter+Next str", lambda: drain(ext.getiter("hé")))
show("GetIter+Next bytes", lambda: drain(ext.getiter(b"ab")))
show("GetIter+Next dict", lambda: drain(ext.getiter({"a": 1, "b": 2})))
show("GetIter+Next empty tuple", lambda: drain(ext.getiter(())))
show("GetIter+Next range", lambda: drain(ext.getiter(range(3))))
show("GetIter+Next generator", lambda: drain(ext.getiter(x * x for x in range(4))))
show("GetIter+Next Countdown", lambda: drain(ext.getiter(Countdown(3))))
show("GetIter+Next sequence protocol", lambda: drain(ext.getiter(SeqOnly())))
show("GetIter+Next StopIteration with value", lambda: drain(ext.getiter(StopValue())))
it = iter([1])
print("GetIter on iterator returns itself", ext.getiter(it) is it)
cd = Countdown(1)
print("GetIter on Countdown returns itself", ext.getiter(cd) is cd)
fi = ext.getiter(FailingIter())
show("Next FailingIter 1", ext.iternext, fi)
show("Next FailingIter 2", ext.iternext, fi)
showmsg("Next FailingIter 3", ext.iternext, fi)
exhausted = ext.getiter([])
show("Next exhausted", ext.iternext, exhausted)
show("Next exhausted again", ext.iternext, exhausted)
show("GetIter int", ext.getiter, 5)
show("GetIter None", ext.getiter, None)
show("GetIter __iter__ returns non-iterator", ext.getiter, BadIterResult())
show("count_and_sum range(101)", ext.count_and_sum, range(101))
show("count_and_sum list with str", ext.count_and_sum, [1, "x"])
show("count_and_sum FailingIter", ext.count_and_sum, FailingIter())
show("count_and_sum non-iterable", ext.count_and_sum, 3.5)

# ---- identity ----
a = [1]
show("Py_Is same", ext.is_, a, a)
show("Py_Is equal but different", ext.is_, a, [1])
show("Py_Is None None", ext.is_, None, None)
show("Py_IsNone None", ext.is_none, None)
show("Py_IsNone 0", ext.is_none, 0)
show("Py_IsNone False", ext.is_none, False)
show("Py_IsTrue True", ext.is_true, True)
show("Py_IsTrue 1", ext.is_true, 1)
show("Py_IsTrue bool(5)", ext.is_true, bool(5))
show("Py_IsTrue 1 == 1", ext.is_true, 1 == 1)
show("Py_IsFalse False", ext.is_false, False)
show("Py_IsFalse 0", ext.is_false, 0)
show("Py_IsFalse None", ext.is_false, None)
show("Py_IsFalse ''", ext.is_false, "")

print("DONE")
