# A dealloc waiting (GIL released) for a lock whose holder runs gc.collect()
# before letting go: no deadlock, the dealloc finishes. A hang here is the
# bug (the harness's timeout ends it).
import gc, os, sys, threading, time
import deallocwait_ext as m

for attempt in range(3):
    m.hold()
    box = [m.Waiter()]
    t = threading.Thread(target=box.clear)   # the last reference dies there
    t.start()
    deadline = time.monotonic() + 30
    while not m.dealloc_waiting() and time.monotonic() < deadline:
        time.sleep(0.01)
    print("dealloc waiting:", bool(m.dealloc_waiting()))
    gc.collect()                             # while the dealloc waits
    print("collected")
    m.let_go()
    t.join(60)
    print("attempt", attempt, "hung" if t.is_alive() else "ok", "deallocs", m.dealloc_count())

# The same dealloc run by a collection on another thread (its object is in
# a cycle), while this thread collects too: this thread's collection ends
# at once (one runs at a time), and must leave the GIL to the other. Both
# were one shared "collection open" state, so this "stop" closed the other
# thread's too, whose own "stop" then kept the GIL: its thread ended
# holding it, and the next C call anywhere waited for ever.
def collect_a_cycle_with_a_waiter():
    cycle = [m.Waiter()]
    cycle.append(cycle)
    del cycle
    gc.collect()

m.hold()
t = threading.Thread(target=collect_a_cycle_with_a_waiter)
t.start()
deadline = time.monotonic() + 30
while not m.dealloc_waiting() and time.monotonic() < deadline:
    time.sleep(0.01)
print("dealloc in the other thread's collection waiting:", bool(m.dealloc_waiting()))
gc.collect()
m.let_go()
t.join(60)
print("collecting thread", "hung" if t.is_alive() else "ended")
probe = threading.Thread(target=m.dealloc_count)   # any C call takes the GIL
probe.start()
probe.join(30)
if probe.is_alive():
    print("the GIL was kept by the thread that ended")
    sys.stdout.flush()
    os._exit(1)
print("the GIL is free again")

# Python called back from inside such a dealloc runs attached again: it
# may collect itself, with other threads doing the same.
seen = []
def callback():
    seen.append(1)
    gc.collect()
m.set_callback(callback)
def churn():
    for _ in range(20):
        c = m.Caller()
        del c
        gc.collect()
for attempt in range(5):
    threads = [threading.Thread(target=churn) for _ in range(3)]
    for t in threads:
        t.start()
    churn()
    for t in threads:
        t.join(60)
    if any(t.is_alive() for t in threads):
        print("attempt", attempt, "hung")
        sys.stdout.flush()
        os._exit(1)
print("callbacks", len(seen), "deallocs", m.dealloc_count())
print("DONE")
