import gc, threading, time
import clearrace_ext as clearrace
stop = False
def spinner():
    while not stop:
        clearrace.spin(2_000_000)
def cycles():
    for _ in range(20000):
        a, b = clearrace.Node(), clearrace.Node()
        a.set(b); b.set(a)
        del a, b
        [object() for _ in range(20)]   # allocations: let automatic collections run
t = threading.Thread(target=spinner); t.start()
cycles()
stop = True; t.join()
gc.collect()
clears, overlaps = clearrace.stats()
print("tp_clear ran:", clears > 0, " C ran in two threads at once:", overlaps > 0)
print("DONE")
