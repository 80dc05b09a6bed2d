"""`from obj import *` asks the object for `__all__` (and `__dict__`) with
getattr and reads each name with getattr, as cffi's `Lib` needs (its type
answers them through tp_getattro); the host read the instance dict."""
import sys


class Lib:
    def __init__(self):
        self.in_dict = "instance dict"

    def __getattr__(self, name):
        if name == "__all__":
            return ["alpha", "beta"]
        if name in ("alpha", "beta"):
            return name.upper()
        raise AttributeError(name)


class NoAll:
    def __init__(self):
        self.public = 1
        self._private = 2

    def __getattribute__(self, name):
        value = object.__getattribute__(self, name)
        return value * 10 if name == "public" else value


class BadAll:
    __all__ = ["ok", 3]
    __name__ = "badmod"
    ok = 1


class Slots:
    __slots__ = ()


sys.modules["lib_like"] = Lib()
sys.modules["no_all"] = NoAll()
sys.modules["bad_all"] = BadAll()
sys.modules["slots_only"] = Slots()
for mod in ("lib_like", "no_all", "bad_all", "slots_only"):
    ns = {}
    try:
        exec("from %s import *" % mod, ns)
        print(mod, sorted((k, v) for k, v in ns.items() if k != "__builtins__"))
    except Exception as e:
        print(mod, type(e).__name__, e)


def in_function():
    ns = {}
    exec("from lib_like import *", ns)
    return ns["alpha"], ns["beta"]


print("exec in function:", in_function())
