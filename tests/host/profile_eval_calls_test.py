# A profile function gets C events only for the calls the eval loop makes,
# as in CPython 3.11: not for the calls a builtin makes itself (sorted's key,
# map's function, a weakref callback, a gc callback, print's writes), and
# still for a call site the host has specialized after a warm-up (len,
# isinstance, list.append, a method descriptor), which the host ran inline
# without events.
import gc
import sys
import weakref
from collections import Counter

events = []


def profile(frame, event, arg):
    if event.startswith("c_"):
        events.append((event, getattr(arg, "__name__", "?")))


class Thing:
    pass


def died(reference):
    pass


def on_gc(phase, info):
    pass


def warm(x, out):
    for _ in range(40):
        len(x)
        isinstance(x, list)
        out.append(1)
        x.count(1)
        abs(-1)
        str(1)          # a type: no event
        tuple(x)


for _ in range(5):
    warm([1], [])     # the call sites specialize here

thing = Thing()
watch = weakref.ref(thing, died)
gc.callbacks.append(on_gc)

sys.setprofile(profile)
sorted([[1], [2, 3]], key=len)
list(map(abs, [1, -2]))
del thing
gc.collect()
warm([1], [])
sys.setprofile(None)
gc.callbacks.remove(on_gc)

for (event, name), count in sorted(Counter(events).items()):
    print(event, name, count)
