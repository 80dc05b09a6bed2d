# A dealloc waiting (GIL released) for a lock whose holder runs gc.collect()
# before letting go: no deadlock, the dealloc finishes. A hang here is the
# bug (the harness's timeout ends it).
import gc, threading, time
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

# Python called back from inside such a dealloc runs attached again: it
# may collect itself. (With other threads collecting at the same time this
# can hang, before this change as after: docs/compatibility-tiers-2-4.md,
# session 53.)
seen = []
def callback():
    seen.append(1)
    gc.collect()
m.set_callback(callback)
for _ in range(20):
    c = m.Caller()
    del c
    gc.collect()
print("callbacks", len(seen), "deallocs", m.dealloc_count())
print("DONE")
