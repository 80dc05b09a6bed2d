import gc

import nanobind_basics as m


def show(label, value):
    print(f"{label}: {value!r}")


def attempt(label, f, *args, **kwargs):
    try:
        show(label, f(*args, **kwargs))
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}: {e}")


show("doc", m.__doc__)
show("answer", m.ANSWER)
show("add", (m.add(2), m.add(2, b=5), m.add("x", "y")))
show("add doc", m.add.__doc__.splitlines())
attempt("add wrong types", m.add, 1.5j)
show("total", (m.total([1, 2, 3]), m.total((4, 5))))
show("shout", sorted(m.shout({"a": 1, "b": 2}).items()))
show("apply", m.apply(lambda x: x * 2, 21))
show("maybe", (m.maybe(), m.maybe(4)))
show("everything", m.everything(1, "two", k=3))
show("keys", m.keys({"p": 1, "q": 2}))
attempt("runtime_error", m.fail_runtime)
attempt("index_error", m.fail_index)

d = m.Dog("rex")
show("dog", (repr(d), d.bark(), d.name, m.Dog.kind(), type(d).__name__, type(d).__module__))
d.name = "max"
show("renamed", m.call_bark(d))


class Cat(m.Dog):
    def bark(self):
        return "meow"


show("python override seen by C++", (m.call_bark(Cat("tom")), isinstance(Cat("x"), m.Dog)))
attempt("construct without args", m.Dog)
try:
    m.Vec2(1, 2).x = 5
except AttributeError:
    print("readonly: AttributeError")
v = m.Vec2(1, 2) + m.Vec2(3, 4)
show("vec", (v.x, v.y, (v * 2).x, v == m.Vec2(4, 6)))
show("enum", (m.Shape.Circle.name, m.Shape.Square.value, m.other(m.Shape.Circle).name, len(m.Shape)))

show("callback on a C++ thread", m.call_on_cpp_thread(lambda x: x + 1, 41))
dogs = [m.Dog(str(i)) for i in range(1000)]
del dogs
gc.collect()
show("after collect", m.call_bark(m.Dog("last")))
print("DONE")
