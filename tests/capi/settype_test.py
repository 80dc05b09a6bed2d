import settype_ext
print("type(T):", type(settype_ext.T).__name__)
print("Py_TYPE is Meta:", type(settype_ext.T) is settype_ext.Meta)
try:
    print("T.hello():", settype_ext.T.hello())
except Exception as e:
    print("T.hello():", type(e).__name__, e)
try:
    settype_ext.T.x = 1
    print("T.x = 1: stored", settype_ext.T.x)
except Exception as e:
    print("T.x = 1:", type(e).__name__, e)
print("isinstance(T(), T):", isinstance(settype_ext.T(), settype_ext.T))
print("T.__name__:", settype_ext.T.__name__)


class Sub(settype_ext.T):
    pass


print("type(Sub):", type(Sub).__name__)
print("DONE")
