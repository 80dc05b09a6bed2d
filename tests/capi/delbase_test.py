import gc

import delbase_ext as ext


class Regular:
    __slots__ = ()

    def __del__(self):
        print("del of", type(self).__name__)


Sub = ext.make(Regular)
print("mro:", [c.__name__ for c in Sub.__mro__])
print("__del__ in the dict:", "__del__" in Sub.__dict__)
print("__del__ is the Python base's:", Sub.__del__ is Regular.__del__)
o = Sub()
o = None
gc.collect()
print("after the death")
print("DONE")
