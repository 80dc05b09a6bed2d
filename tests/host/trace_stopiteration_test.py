# The 'exception' trace event for the end of an iteration, as CPython 3.11
# gives it: only when the iterator raised StopIteration itself (a Python
# __next__ or send), not when a range, list or generator ran out, nor when
# a `yield from` or `await` finished (the host reported them all).
import asyncio
import sys


def tracer(frame, event, arg):
    if event == "exception" and frame.f_code.co_filename == __file__:
        print("exception in", frame.f_code.co_name, "line", frame.f_lineno - frame.f_code.co_firstlineno, arg[0].__name__)
    return tracer


def range_loop():
    for i in range(2):
        pass


def gen():
    yield 1


def generator_loop():
    for x in gen():
        pass


def list_loop():
    for x in [1, 2]:
        pass


class PyIter:
    def __iter__(self):
        return self

    def __next__(self):
        raise StopIteration


def python_iterator_loop():
    for x in PyIter():
        pass


def delegating():
    yield from gen()


def delegating_to_python_iterator():
    yield from PyIter()


async def inner():
    return 1


async def awaiting():
    return await inner()


sys.settrace(tracer)
range_loop()
generator_loop()
list_loop()
python_iterator_loop()
list(delegating())
list(delegating_to_python_iterator())
asyncio.run(awaiting())
sys.settrace(None)
print("DONE")
