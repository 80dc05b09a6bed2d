"""Run by tests/test_thread_stress.py under CPython 3.11 and under cpyext:
THREADS threads each make CALLS calls of stress_ext.work on shared objects.
Prints the checks and ends with DONE."""
import gc
import os
import sys
import threading

import stress_ext

threads_n, calls = int(sys.argv[1]), int(sys.argv[2])
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE


class Sentinel:
    pass


shared_list, shared_dict, sentinel = [], {}, Sentinel()
stress_ext.setup(shared_list, shared_dict, sentinel)
errors = []


def worker(start, count):
    try:
        work = stress_ext.work
        for i in range(start, start + count):
            key, first, value = work(i)
            if value != i or key != i % 61:
                errors.append((i, key, value))
                return
    except BaseException as e:  # reported by the main thread
        errors.append(repr(e))


def run(count):
    workers = [threading.Thread(target=worker, args=(t * count, count)) for t in range(threads_n)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def settle():
    shared_list.clear()
    shared_dict.clear()
    gc.collect()


run(min(calls, 2000))  # warm-up: caches, free lists, the proxy arena
settle()
sentinel_refs = stress_ext.refcnt(sentinel)
list_refs = stress_ext.refcnt(shared_list)
before = rss()
run(calls)
print("errors", errors[:5])
print("list", len(shared_list) <= 200, "dict", sorted(k for k in shared_dict if k != "sentinel") == list(range(61)))
settle()
after = rss()
print("sentinel refcount back", stress_ext.refcnt(sentinel) == sentinel_refs)
print("list refcount back", stress_ext.refcnt(shared_list) == list_refs)
stress_ext.teardown()
print("RSS growth", after - before)
print("DONE")
