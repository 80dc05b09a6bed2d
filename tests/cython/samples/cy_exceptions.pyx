# cython: language_level=3
# Exceptions: raising and catching across C functions, custom classes,
# chaining, finally, context managers, tracebacks through Cython frames.

class AppError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code

cdef int checked(int x) except -1:
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x * 2

cdef int star(int x) except *:
    if x == 0:
        raise ZeroDivisionError("zero")
    return 100 // x

def use_checked(int x):
    return checked(x)

def use_star(int x):
    return star(x)

def raiser(kind):
    if kind == "app":
        raise AppError(42, "application failed")
    if kind == "key":
        return {}["missing"]
    if kind == "index":
        return [][3]
    if kind == "attr":
        return object().nope
    if kind == "chain":
        try:
            1 / 0
        except ZeroDivisionError as e:
            raise RuntimeError("wrapped") from e
    if kind == "context":
        try:
            int("x")
        except ValueError:
            raise KeyError("during")
    return "ok"

def catch(kind):
    try:
        raiser(kind)
    except AppError as e:
        return ("AppError", e.code, str(e))
    except (KeyError, IndexError) as e:
        return (type(e).__name__, e.args)
    except Exception as e:
        return (type(e).__name__, str(e), type(e.__cause__).__name__, type(e.__context__).__name__)
    else:
        return "no error"
    finally:
        pass

def finally_order(list log, bint fail):
    try:
        log.append("body")
        if fail:
            raise ValueError("f")
        return "returned"
    finally:
        log.append("finally")

class Manager:
    def __init__(self, log, swallow):
        self.log = log
        self.swallow = swallow
    def __enter__(self):
        self.log.append("enter")
        return self
    def __exit__(self, t, v, tb):
        self.log.append(("exit", t.__name__ if t else None))
        return self.swallow

def use_manager(list log, bint swallow):
    with Manager(log, swallow) as mgr:
        log.append("inside")
        raise TypeError("in with")
    return "after"

def deep(int n):
    if n == 0:
        raise LookupError("bottom")
    return deep(n - 1)

def reraise():
    try:
        deep(2)
    except LookupError:
        raise

def exc_info_inside():
    import sys
    try:
        raise OSError(2, "No such file")
    except OSError:
        t, v, tb = sys.exc_info()
        return t.__name__, v.errno, v.strerror, tb is not None
