import gc
import pickle

import pybind11_basics as m


def show(label, value):
    print(f"{label}: {value!r}")


def attempt(label, f, *args, **kwargs):
    try:
        show(label, f(*args, **kwargs))
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}: {e}")


# --- module, functions, overloads ---------------------------------------------
show("doc", m.__doc__)
show("answer", m.ANSWER)
show("add", (m.add(1), m.add(3, b=4), m.add(a=5, b=6), m.add("x", "y")))
show("add doc", m.add.__doc__.splitlines())
attempt("add wrong types", m.add, 1.5j)
show("total", m.total([1, 2, 3]))
show("total of tuple", m.total((4, 5)))
show("shout", sorted(m.shout({"a": 1, "b": 2}).items()))
show("apply", m.apply(lambda x: x * 3, 5))
adder = m.make_adder(10)
show("adder", (adder(1), type(adder).__name__))
show("maybe", (m.maybe(), m.maybe(4), m.maybe(None)))
show("pair", m.pair())
show("everything", m.everything(1, "two", k=3))
show("dict keys", m.dict_keys({"p": 1, "q": 2}))
show("type name", (m.type_name(1), m.type_name([]), m.type_name(m.Pet("x"))))
show("submodule", (m.sub.twice(21), m.sub.__name__, m.sub.__doc__))

# --- exceptions ------------------------------------------------------------------
attempt("runtime_error", m.fail_runtime)
attempt("index_error", m.fail_index)
attempt("custom", m.fail_custom)
show("custom is a LookupError", issubclass(m.NotFound, LookupError))
try:
    m.fail_custom()
except LookupError as e:
    show("caught as LookupError", type(e).__name__)

# --- classes -----------------------------------------------------------------------
p = m.Pet("rex")
p.age = 3
p.extra = "dynamic"
show("pet", (repr(p), p.name, p.age, p.extra, p.speak(), p.greet(), m.Pet.kind()))
p.name = "max"
show("renamed", (p.name, p.__dict__))
d = m.Dog("fido")
show("dog", (d.speak(), d.fetch(), d.greet(), isinstance(d, m.Pet), type(d).__mro__[1].__name__))
show("greet through C++", m.greet(d))
a = m.adopt("spot")
show("adopted", (type(a).__name__, a.speak(), a.fetch()))


class Cat(m.Pet):
    def speak(self):
        return "meow"


c = Cat("tom")
show("python override seen by C++", (c.greet(), m.greet(c), isinstance(c, m.Pet)))


class Quiet(m.Pet):
    def __init__(self):
        super().__init__("quiet")


show("python subclass with __init__", (Quiet().greet(), Quiet().name))
attempt("abstract-less construct without args", m.Pet)
try:
    m.Vec2(1, 2).x = 5
except AttributeError:
    print("readonly: AttributeError")
show("class names", (m.Pet.__name__, m.Pet.__module__, m.Dog.__qualname__))
show("metaclass", type(m.Pet).__name__)

# --- operators, pickling ----------------------------------------------------------------
v = m.Vec2(1, 2) + m.Vec2(3, 4)
show("vec", (v.x, v.y, repr(v * 2), repr(v - m.Vec2(1, 1)), v == m.Vec2(4, 6), v != m.Vec2(4, 6)))
w = m.Vec2(1, 1)
w += m.Vec2(2, 2)
show("iadd", repr(w))
show("pickle", repr(pickle.loads(pickle.dumps(v))))

# --- enums ----------------------------------------------------------------------------------
show("enum", (m.Color.Red, int(m.Color.Blue), m.Color.Green.name, m.next_color(m.Color.Red)))
show("enum members", sorted(m.Color.__members__))
show("enum comparisons", (m.Color.Red < m.Color.Blue, m.Color.Red == m.Color.Red, m.Color(2), hash(m.Color.Green)))
show("enum conversions", (int(m.Color.Red) | int(m.Color.Blue), m.Color.Blue.__index__(), str(m.Color.Red)))

# --- sequences, iterators, buffers -----------------------------------------------------------
b = m.Bag([1.5, 2.5, 3.5])
show("bag", (len(b), b[1], list(b), sum(iter(b))))
attempt("bag index", b.__getitem__, 7)
mv = memoryview(b)
show("buffer", (mv.format, mv.itemsize, mv.shape, mv.tolist()))

# --- threads made in C++ ---------------------------------------------------------------------
show("callback on a C++ thread", m.call_on_cpp_thread(lambda x: x + 1, 41))
show("and again", m.call_on_cpp_thread(lambda x: x * 2, 21))

# --- lifetimes -------------------------------------------------------------------------------
pets = [m.Pet(str(i)) for i in range(1000)]
del pets
gc.collect()
show("after collect", m.Pet("last").greet())
print("DONE")
