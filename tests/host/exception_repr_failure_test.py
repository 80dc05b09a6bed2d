# repr() of an exception whose argument's repr() fails raises that error,
# as in CPython (the host wrote "<element repr() failed>"; hunter's
# printers show "!!! FAILED REPR" for such a value).
class Bad:
    def __repr__(self):
        raise RuntimeError("bad")


for obj in [(Bad(),), Exception(Bad()), KeyError(Bad()), ValueError(1, Bad()), Exception(), ValueError(1, "a")]:
    try:
        print(type(obj).__name__, repr(obj))
    except Exception as e:
        print(type(obj).__name__, "raised", type(e).__name__, e)
print("DONE")
