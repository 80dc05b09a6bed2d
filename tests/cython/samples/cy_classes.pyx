# cython: language_level=3
# cdef classes: construction and destruction, attributes, special methods,
# inheritance in both directions, cyclic garbage.

cdef list events = []

def log():
    out = list(events)
    del events[:]
    return out

cdef class Counter:
    cdef public int count
    cdef readonly str name
    cdef object payload

    def __cinit__(self, name="c", *args, **kwargs):
        self.count = 0
        self.name = name
        events.append(("cinit", name))

    def __init__(self, name="c", start=0):
        self.count = start

    def __dealloc__(self):
        events.append(("dealloc", self.name))

    cpdef int bump(self, int by=1):
        self.count += by
        return self.count

    cdef int twice(self):
        return self.count * 2

    def call_twice(self):
        return self.twice()

    property payload_prop:
        def __get__(self):
            return self.payload
        def __set__(self, value):
            self.payload = value
        def __del__(self):
            self.payload = None

    @property
    def label(self):
        return f"{self.name}:{self.count}"

    def __repr__(self):
        return f"Counter({self.name!r}, {self.count})"

    def __len__(self):
        return self.count

    def __getitem__(self, i):
        if i >= self.count:
            raise IndexError(i)
        return i * 10

    def __contains__(self, x):
        return 0 <= x < self.count

    def __eq__(self, other):
        return isinstance(other, Counter) and (<Counter>other).count == self.count

    def __hash__(self):
        return hash(self.count)

    def __add__(self, other):
        if isinstance(other, int):
            return Counter(self.name + "+", self.count + other)
        return NotImplemented

    def __call__(self, *args, **kw):
        return (len(args), sorted(kw))

    def __iter__(self):
        return iter(range(self.count))

    def __bool__(self):
        return self.count != 0


cdef class Sub(Counter):
    cdef double factor

    def __cinit__(self, *args, **kwargs):
        self.factor = 1.5

    cpdef int bump(self, int by=1):
        return Counter.bump(self, by * 2)

    def scaled(self):
        return self.count * self.factor


cdef class Node:
    cdef public object other
    cdef public str tag

    def __init__(self, tag):
        self.tag = tag

    def __dealloc__(self):
        events.append(("node-dealloc", self.tag))


cdef class WithSlots:
    cdef int a
    cdef dict __dict__

    def __init__(self, a):
        self.a = a


def call_bump(Counter c, int n):
    # cpdef dispatch: a Python override of bump is called from C.
    return c.bump(n)


def make_cycle():
    a = Node("a")
    b = Node("b")
    a.other = b
    b.other = a
    return None


def type_checks(x):
    return isinstance(x, Counter), isinstance(x, Sub), type(x).__name__


# A cdef subclass overriding special methods of a cdef base and calling
# the base's own through its slot wrappers, as CPython's wrapper
# descriptors allow (Base.__add__(self, x), super().__len__()).
cdef class Vec2:
    cdef public double x, y
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, other):
        return ("Vec2.add", self.x + other)
    def __len__(self):
        return 2
    def __getitem__(self, i):
        return ("Vec2.item", i)

cdef class Vec3(Vec2):
    def __add__(self, other):
        return ("Vec3.add", Vec2.__add__(self, other))
    def __len__(self):
        return 1 + super().__len__()
    def __getitem__(self, i):
        return ("Vec3.item", Vec2.__getitem__(self, i))


# `cdef object __weakref__`: Cython sets tp_weaklistoffset after readying
# the type; weak references to instances work, and to a type without it not.
cdef class Weakly:
    cdef object __weakref__
    cdef public int n

cdef class NotWeakly:
    cdef public int n
