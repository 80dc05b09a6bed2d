# cython: language_level=3
# Functions: cpdef, defaults and keyword-only arguments, closures, lambdas,
# generators (send/throw/close, yield from), decorators, coroutines.

cpdef long add(long a, long b=10):
    return a + b

cpdef double mean(list xs):
    cdef double total = 0
    for x in xs:
        total += x
    return total / len(xs) if xs else 0.0

def signature(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))

def make_adder(n):
    def adder(x):
        return x + n
    return adder

def make_counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc

def apply_all(fs, x):
    return [f(x) for f in fs]

def lambdas():
    return sorted(["bb", "a", "ccc"], key=lambda s: -len(s))

def gen(n):
    cdef int i
    for i in range(n):
        received = yield i
        if received is not None:
            yield ("got", received)

def delegating(n):
    result = yield from gen(n)
    yield "after"

def gen_with_return():
    yield 1
    return "ret"

def catch_return():
    g = gen_with_return()
    next(g)
    try:
        next(g)
    except StopIteration as e:
        return e.value

def closing_gen(list log):
    try:
        yield 1
        yield 2
    finally:
        log.append("closed")

def genexpr(xs):
    return sum(x * x for x in xs if x % 2)

def decorate(f):
    def wrapper(*args):
        return ("wrapped", f(*args))
    wrapper.__name__ = f.__name__
    return wrapper

@decorate
def decorated(x):
    return x * 3

async def coro(x):
    return x + 1

async def awaiting(x):
    y = await coro(x)
    return y * 2

def run_coro(c):
    try:
        c.send(None)
    except StopIteration as e:
        return e.value

def fib(int n):
    cdef long a = 0, b = 1
    for _ in range(n):
        a, b = b, a + b
    return a

def introspect():
    return add.__name__, signature.__name__, make_adder(1).__name__, decorated.__name__
