"""Run under CPython 3.11 and cpyext by tests/test_pyo3.py: the same output
is required."""
import gc
import threading

import pyo3_family as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, f, *args):
    try:
        show(label, f(*args))
    except BaseException as e:  # PanicException derives from BaseException
        show(label, f"raised {type(e).__name__} {e}")


show("signature, fewest", ext.signature(1))
show("signature, all kinds", ext.signature(1, 2, 3, 4, key="z", extra=5, more=6))
err("signature, missing", ext.signature)
err("signature, wrong type", ext.signature, "x")
show("dict items", ext.dict_items({"a": 1, "b": [1, 2], 3: None}))
d = {}
show("dict len, empty", ext.dict_len(d))
d.update(x=1, y=2)
show("dict len after Python added", ext.dict_len(d))
del d["x"]
show("dict len after Python deleted", ext.dict_len(d))
show("dict grown in Rust", (ext.dict_grow(d, 3), len(d)))
err("dict changed while Rust iterates", ext.dict_iter_mutated, {"k": 1, "j": 2})
made = ext.make_dict(5)
show("dict made in Rust", (made, len(made), ext.dict_len(made)))
show("list and tuple sums", ext.sums(list(range(100)), tuple(range(10))))
err("list with a str", ext.sums, [1, "2"], ())
show("list ops", ext.list_ops())
show("text", ext.text("grüße", b"bytes\xff"))
show("new bytes", ext.new_bytes(30))
show("numbers", ext.numbers(2 ** 100, 1.25, (1.5, 2.5)))
err("numbers, negative to u128", ext.numbers, -1, 1.0, (0, 0))
show("set and strings", ext.set_and_strings(["a", "b", "a", "ç"]))
show("callback with kwargs", ext.call_back(lambda x, scale: x * scale, 7))
err("callback raising", ext.call_back, lambda x, scale: 1 / 0, 1)
show("method call", ext.call_method_on("banana"))
err("raised in Rust", ext.raise_value, "bad value")
show("caught KeyError", ext.catch(lambda: {}["missing"]))
show("caught other", ext.catch(lambda: int("x")))
show("caught nothing", ext.catch(lambda: 42))
err("a panic", ext.panics)
results = []
threads = [threading.Thread(target=lambda: results.append(ext.without_gil(200000))) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
show("without the GIL, 4 threads", results)

c = ext.Counter(5, step=3)
show("class", (type(c).__name__, type(c).__module__, repr(c)))
show("methods", (c.bump(), c.bump(), c.value, c.step, len(c), c[1], list(c)))
c.step = 10
c.value = 1
show("after setters", (c.bump(), repr(c)))
err("setter refusing", setattr, c, "value", -5)
err("index out of range", c.__getitem__, 99)
show("static and class methods", (ext.Counter.unit(), ext.Counter.named(), c.unit()))
show("protocols", (c == ext.Counter(11), c != ext.Counter(1), hash(c), repr(c + 100)))
show("isinstance", (isinstance(c, ext.Counter), issubclass(ext.Doubler, ext.Counter)))
dbl = ext.Doubler()
show("Rust subclass", (dbl.twice(), dbl.value, dbl.history()))


class Py(ext.Counter):
    def bump(self):
        return super().bump() * 100


p = Py(1)
show("Python subclass", (p.bump(), p.value, type(p).__mro__[1].__name__))
err("no such attribute", getattr, c, "nothing")
objects = [ext.Counter(i) for i in range(10000)]
del objects
gc.collect()
show("module attribute", ext.VERSION)
print("DONE")
