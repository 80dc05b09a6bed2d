# The 'c_call'/'c_return'/'c_exception' events a profile function gets, as
# CPython 3.11's eval loop gives them: only for built-in functions and
# methods; a method descriptor called with its object comes bound to it.
# Calling a type, a slot wrapper or a callable instance gives none (the
# host reported them; viztracer then read a type as a PyCFunctionObject).
import sys


class A:
    def f(self):
        return 1


class Callable:
    def __call__(self):
        return 2


events = []


def profile(frame, event, arg):
    if event.startswith("c_"):
        name = getattr(arg, "__name__", "?")
        owner = getattr(arg, "__self__", None)
        events.append((event, type(arg).__name__, name, type(owner).__name__))
    elif frame.f_code.co_name != "profile":
        events.append((event, frame.f_code.co_name))


def body():
    a = A()                      # a type: no event
    a.f()                        # a Python method: call/return
    len([1, 2])                  # a built-in function
    "abc".upper()                # a method descriptor, bound to "abc"
    str.upper("xyz")             # the same, called through the class
    [3, 1].sort()
    Callable()()                 # a callable instance: no C event
    int.__add__(1, 2)            # a slot wrapper: no event
    try:
        divmod(1, 0)             # c_exception
    except ZeroDivisionError:
        pass


sys.setprofile(profile)
body()
sys.setprofile(None)
for e in events:
    print(*e)
