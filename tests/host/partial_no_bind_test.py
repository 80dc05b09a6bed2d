# functools.partial has no __get__ in CPython 3.11: stored as a class
# attribute it is called without the instance (3.14's binds like a method;
# pyskein's tests keep their hasher so).
import functools


def show(*args, **kwargs):
    return args, sorted(kwargs.items())


class Holder:
    call = functools.partial(show, 1, key="k")


print(Holder().call(2))
print(Holder.call(3))
print(hasattr(functools.partial, "__get__"))


class Sub(functools.partial):
    pass


class Holder2:
    call = Sub(show, "sub")


print(Holder2().call())
