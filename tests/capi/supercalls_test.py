import gc

import supercalls_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


# --- a metaclass whose slots call PyType_Type's ------------------------------------
Base = ext.Base
show("types", (type(Base).__name__, type(ext.Meta).__name__, Base.__name__, Base.__module__, Base.__mro__[1].__name__))
b = Base()
show("instance", (type(b).__name__, isinstance(b, Base)))
b.anything = 1
show("managed dict", (b.anything, b.__dict__))
Base.shared = "class attribute"
show("class attribute", (Base.shared, b.shared, "shared" in Base.__dict__))
del Base.shared
show("deleted", hasattr(Base, "shared"))


class Sub(Base):
    def __init__(self, value):
        self.value = value


s = Sub(5)
show("python subclass", (s.value, type(Sub).__name__, isinstance(s, Base)))
gc.collect()

# --- a property subtype whose slots call property's -------------------------------------
store = {"v": 10}
Base.level = ext.classproperty(lambda cls: (cls.__name__, store["v"]), lambda cls, v: store.update(v=v))
show("class property", (Base.level, Sub.level, b.level))
b.level = 11
show("after set", (Base.level, store["v"]))

# --- an exception subtype whose tp_clear calls Exception's ---------------------------------
e = ext.MyError("message", 2)
e.extra = [e]
show("error", (e.args, str(e), isinstance(e, Exception), e.extra[0] is e))
try:
    raise ext.MyError("raised")
except ext.MyError as caught:
    show("caught", caught.args)
del e
gc.collect()

# --- a function whose ml_doc C writes after making it ------------------------------------------
show("doc before", ext.documented.__doc__)
ext.set_late_doc("documented()\nWritten after the function was made.")
show("doc after", ext.documented.__doc__)
ext.set_late_doc("documented($module, /)\n--\n\nWith a text signature.")
show("doc with signature", ext.documented.__doc__)

# --- tp_bases and tp_mro, and what __new__ is bound to ------------------------------------
show("object's bases and mro", ext.bases_and_mro(object))
show("int's", ext.bases_and_mro(int))
show("KeyError's", ext.bases_and_mro(KeyError))


class Both(dict, Sub):
    pass


show("a Python class's", ext.bases_and_mro(Both))
show("a C type's", ext.bases_and_mro(ext.MyError))
show("C type's __new__ is bound to it", ext.new_self(ext.MyError) is ext.MyError)
show("and a handmade type's", ext.new_self(Base) in (Base, object))

show("nested names", (ext.Inner.__name__, ext.Inner.__qualname__))

show("counters", ext.counters())
print("DONE")
