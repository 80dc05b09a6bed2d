# A C thread keeps its thread state between callbacks with an unpaired
# PyGILState_Ensure (cffi's callbacks on threads made in C: pycares's
# event thread). Each Release(UNLOCKED) must still give the GIL up, or the
# thread ends holding it and the next C call waits for ever.
import threading
import time

import gilkeep_ext as ext

seen = []


def callback(i):
    seen.append((i, threading.get_ident() != threading.main_thread().ident))
    if i == 2:
        raise ValueError("dropped by the C thread")
    return i


# Columns: had a state before, Ensure returned UNLOCKED, the same state as
# the first callback's, GIL held inside, GIL held after Release, call failed.
for row in ext.callbacks_while_joined(callback, 4):
    print("while joined:", row)
print("seen:", seen)
print("a C call after it:", ext.gil_check())

seen.clear()
ext.start_keeper(callback, 3)
deadline = time.monotonic() + 30
while len(seen) < 3 and time.monotonic() < deadline:
    time.sleep(0.01)   # Python runs on; the C thread takes the GIL in turns
print("seen while Python ran:", seen)
for row in ext.join_keeper():
    print("started earlier:", row)
print("a C call after it:", ext.gil_check())
print("DONE")
