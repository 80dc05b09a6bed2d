import collections
import pickle

import iter_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        msg = str(e)
        if isinstance(e, SystemError):
            msg = msg.endswith("bad argument to internal function")
        print(f"{label}: raised {type(e).__name__} {msg!r}")
        return
    print(f"{label}: returned {r!r}")


def gen():
    received = yield 1
    yield ("got", received)
    return "finished"


g = gen()
show("Send None starts", ext.send(g, None))
show("Send value", ext.send(g, "hello"))
show("Send to return", ext.send(g, None))
err("Send exhausted", ext.send, g, None)


def failing():
    yield 1
    raise ValueError("boom")


g = failing()
ext.send(g, None)
err("Send into a raising generator", ext.send, g, None)


def no_return():
    yield 1


g = no_return()
ext.send(g, None)
show("Return without value", ext.send(g, None))
it = iter([10, 20])
show("Send None to a list iterator", ext.send(it, None))
show("Send None to a list iterator 2", ext.send(it, None))
show("Exhausted list iterator", ext.send(it, None))
err("Send a value to a list iterator", ext.send, iter([1]), 5)


class Sender:
    def send(self, v):
        if v == "stop":
            raise StopIteration("done")
        return v * 2


show("Send to an object with send()", ext.send(Sender(), 21))
show("send() raising StopIteration", ext.send(Sender(), "stop"))


class AIter:
    def __aiter__(self):
        return self

    async def __anext__(self):
        raise StopAsyncIteration


class BadAIter:
    def __aiter__(self):
        return 5


a = AIter()
show("GetAIter", ext.get_aiter(a) is a)
err("GetAIter of a list", ext.get_aiter, [1])
err("GetAIter returning a non-iterator", ext.get_aiter, BadAIter())
show("AIter_Check", (ext.aiter_check(a), ext.aiter_check(iter([])), ext.aiter_check(5)))
show("Iter_Check", (ext.iter_check(iter([])), ext.iter_check([]), ext.iter_check(gen())))


class Seq:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError
        return i * 10


it, is_seq_iter = ext.seq_iter(Seq())
show("SeqIter", (list(it), is_seq_iter))
it, _ = ext.seq_iter([1, 2])
show("SeqIter over a list", list(it))
err("SeqIter of an int", ext.seq_iter, 5)
err("SeqIter of a dict", ext.seq_iter, {})
counter = iter(range(10)).__next__
it, is_call_iter = ext.call_iter(counter, 4)
show("CallIter", (list(it), is_call_iter))
err("CallIter not callable", lambda: list(ext.call_iter(5, 1)[0]))


class Hint:
    def __init__(self, value):
        self.value = value

    def __length_hint__(self):
        if isinstance(self.value, Exception):
            raise self.value
        return self.value


class BadLen:
    def __len__(self):
        raise TypeError("no len really")

    def __length_hint__(self):
        return 7


show("LengthHint list", ext.length_hint([1, 2, 3], 9))
show("LengthHint iterator", ext.length_hint(iter([1, 2, 3]), 9))
show("LengthHint generator (default)", ext.length_hint(gen(), 9))
show("LengthHint __length_hint__", ext.length_hint(Hint(4), 9))
show("LengthHint NotImplemented", ext.length_hint(Hint(NotImplemented), 9))
show("LengthHint hint raises TypeError", ext.length_hint(Hint(TypeError("x")), 9))
err("LengthHint hint raises ValueError", ext.length_hint, Hint(ValueError("bad")), 9)
err("LengthHint non-int", ext.length_hint, Hint("3"), 9)
err("LengthHint negative", ext.length_hint, Hint(-1), 9)
show("LengthHint __len__ raising TypeError", ext.length_hint(BadLen(), 9))
show("LengthHint int (default)", ext.length_hint(5, 0))

d = {"a": 1}
od = collections.OrderedDict(a=1)
for label, obj in [
    ("enumerate", enumerate([])), ("reversed", reversed([1, 2])), ("range", range(3)),
    ("range iterator", iter(range(3))), ("long range iterator", iter(range(2 ** 70))),
    ("sequence iterator", iter(Seq())), ("callable iterator", iter(int, 1)),
    ("list iterator", iter([])), ("list reverse iterator", reversed([])),
    ("tuple iterator", iter(())), ("set iterator", iter(set())), ("bytearray iterator", iter(bytearray())),
    ("dict keys", d.keys()), ("dict values", d.values()), ("dict items", d.items()),
    ("dict key iterator", iter(d)), ("dict value iterator", iter(d.values())),
    ("dict item iterator", iter(d.items())), ("dict reverse key iterator", reversed(d)),
    ("dict reverse value iterator", reversed(d.values())), ("dict reverse item iterator", reversed(d.items())),
    ("OrderedDict", od), ("OrderedDict iterator", iter(od)), ("OrderedDict keys", od.keys()),
    ("OrderedDict values", od.values()), ("OrderedDict items", od.items()),
    ("PickleBuffer", pickle.PickleBuffer(b"x")), ("memoryview", memoryview(b"")),
    ("bytearray", bytearray()), ("slice", slice(1)), ("list", []),
]:
    show(f"Type object of {label}", ext.type_object_of(obj))
for label, obj in [("keys", d.keys()), ("values", d.values()), ("items", d.items()), ("dict", d)]:
    show(f"Dict view checks {label}", ext.dict_view_checks(obj))

show("calling PyReversed_Type and PyEnum_Type", ext.call_types([1, 2, 3]))
show("calling them on a str", ext.call_types("ab"))
try:
    ext.call_types(5)
except TypeError:
    # (The host words the message differently: RustPython's own reversed().)
    show("calling them on an int", "TypeError")

print("DONE")
