"""Finding 3 (RustPython, not the C-API): dict.update() is not atomic for other threads.

psycopg2.errorcodes.lookup() (pure Python) fills its cache with one
`_cache.update(tmp)` and other threads test `if _cache: return _cache[code]`:
under CPython's GIL the update is seen all at once, so a non-empty cache
holds every code. The suite's test_lookup_threadsafe reloads the module and
races two threads 2000 times; under cpyext it sometimes gets KeyError.

This does the same without psycopg2: prints "KeyError seen: False" under
CPython 3.11; under cpyext it prints True (not necessarily on every run).
"""
import threading

KEYS = [f"k{i:05d}" for i in range(5000)]
LAST = KEYS[-1]
errors = []


def reader(cache):
    while not cache:
        pass
    try:
        cache[LAST]
    except KeyError:
        errors.append(LAST)


for _ in range(300):
    cache = {}
    t = threading.Thread(target=reader, args=(cache,))
    t.start()
    cache.update({k: k for k in KEYS})
    t.join()
    if errors:
        break
print("KeyError seen:", bool(errors))
