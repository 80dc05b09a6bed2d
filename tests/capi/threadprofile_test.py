# A C profiler that walks the interpreter's thread states (yappi): the list
# holds every live Python thread, also one that never ran extension code,
# and _PyEval_SetProfile sets the function of another thread's state, which
# that thread then calls.
import threading
import threadprofile_ext as ext

go, done, finish = threading.Event(), threading.Event(), threading.Event()


def profiled_in_worker():
    return 1


def unprofiled_in_worker():
    return 2


def worker():
    # Runs no extension code: waits, calls, waits, calls.
    go.wait(30)
    profiled_in_worker()
    done.set()
    finish.wait(30)
    unprofiled_in_worker()


t = threading.Thread(target=worker)
t.start()
ids = ext.thread_ids()
print("this thread is listed:", threading.get_ident() in ids)
print("a thread that ran no C is listed:", t.ident in ids)
print("no duplicates:", len(ids) == len(set(ids)))

print("set on (states, refused):", ext.profile_all(True) == (len(ids), 0))
print("the worker's state holds the function:", ext.has_prof(t.ident))
go.set()
done.wait(30)
ext.profile_all(False)
print("the worker's state after clearing:", ext.has_prof(t.ident))
finish.set()
t.join()
events = ext.take_events()
worker_calls = [name for tid, what, name in events if tid == t.ident]
print("the worker reported its call:", "profiled_in_worker" in worker_calls)
print("no call after clearing:", "unprofiled_in_worker" not in worker_calls)
print("no call reported under another thread:",
      all(tid == t.ident for tid, what, name in events if name.endswith("_in_worker")))
print("a finished thread leaves the list:", t.ident not in ext.thread_ids())
print("DONE")
