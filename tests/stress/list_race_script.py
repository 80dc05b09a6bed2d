"""Threads that grow and shrink a list while others walk it in C."""
import sys
import threading

import list_race_ext

WALKS = int(sys.argv[1])
shared = [1, 2, 3, 4]
stop = threading.Event()
errors = []


def mutate():
    while not stop.is_set():
        shared.append(1000)
        shared.pop()
        shared.extend([7, 7])
        del shared[-2:]


def walk():
    try:
        for _ in range(WALKS):
            # Whatever moments the walk saw, each item was a live int
            # (the C side checks), and at least the four that stay.
            total = list_race_ext.walk(shared)
            assert total >= 10, total
    except BaseException as e:  # noqa: BLE001 - reported below
        errors.append(repr(e))


mutators = [threading.Thread(target=mutate) for _ in range(2)]
walkers = [threading.Thread(target=walk) for _ in range(4)]
for t in mutators + walkers:
    t.start()
for t in walkers:
    t.join()
stop.set()
for t in mutators:
    t.join()
print("errors", errors)
print("DONE")
