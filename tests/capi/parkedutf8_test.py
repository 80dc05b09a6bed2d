# A str made in C that Python holds after C let go (its proxy is parked),
# which C gets back and then alone holds: PyUnicode_AsUTF8 lets go of its
# host (so the str may be written in place), and the parked list's sweep
# then met a parked proxy with no host (a NULL dereference; shapely's and
# boost-histogram's suites, pybind11's repr of an enum).
import gc
import parkedutf8_ext as m

# C calls Python, which returns a str another C call made; C reads its
# UTF-8 and lets go (pybind11's py::repr(x) into a std::string).
print(m.outer(lambda: m.make(1)))
gc.collect()

# The same, with C keeping the str across calls.
for i in range(3):
    s = m.make(i)
    m.keep(s)
    del s
    print(m.utf8())
    m.drop()
gc.collect()
print("DONE")
