"""Threads free objects whose deallocator releases and retakes the GIL,
while other threads run Python from C with the GIL held and one thread
collects garbage (the host's collector stops every thread). It must end:
a thread waiting for the GIL back in a deallocator must not hold up the
collector while the GIL's holder waits for the collector."""
import gc
import sys
import threading
import time

import dealloc_gil_ext as ext

seconds = float(sys.argv[1])
stop = time.monotonic() + seconds
counts = {"freed": 0, "calls": 0, "collections": 0}


def free_objects():
    while time.monotonic() < stop:
        for _ in range(100):
            ext.Closing()
        counts["freed"] += 100


def call_python_from_c():
    while time.monotonic() < stop:
        ext.call_holding_gil(lambda: sum(range(200)))
        counts["calls"] += 1


def collect():
    while time.monotonic() < stop:
        gc.collect()
        counts["collections"] += 1


threads = [threading.Thread(target=f) for f in (free_objects, free_objects, call_python_from_c,
                                                 call_python_from_c, collect)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("every kind of work ran", all(counts.values()))
print("DONE")
