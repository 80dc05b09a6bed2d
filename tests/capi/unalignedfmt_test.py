# A C exporter's format the host's struct parser refuses: pybind11 gives a
# POD record "^T{d:value:d:variance:}" ('^': PEP 3118's native order without
# alignment). CPython makes a view of any format; boost-histogram's
# np.asarray(WeightedSum(1, 2)) came back as an object array.
import unalignedfmt_ext as ext

for fmt in ("^T{d:value:d:variance:}", "^dd", "=dd", "T{d:value:d:variance:}"):
    r = ext.Rec(1.0, 2.0, fmt)
    m = memoryview(r)
    print(fmt, "->", m.format, m.itemsize, m.nbytes, m.ndim, m.shape, bytes(m) == bytes(memoryview(r)))
    m.release()
print("DONE")
