import gc
import os

import cy_freelist as m


def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Payload:
    pass


for cls in (m.CdefClose, m.DefClose, m.CpdefClose, m.Sub):
    for i in range(3000):
        cls(Payload())
    gc.collect()
    before = rss()
    for i in range(30000):
        cls(Payload())
        if i % 3 == 0:
            # more than the free list parks (8): some structs are freed
            held = [cls(Payload()) for _ in range(10)]
            del held
    gc.collect()
    growth = rss() - before
    live = sum(1 for o in gc.get_objects() if type(o) is cls)
    payloads = sum(1 for o in gc.get_objects() if type(o) is Payload)
    print(cls.__name__, "flat:", growth < 4 * 2**20, "live:", live, "payloads:", payloads)
print("deallocs == closes:", m.stats()[0] == m.stats()[1], m.stats()[0])
print("DONE")
