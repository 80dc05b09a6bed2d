# C code run by the library's constructors as the module loads finds the GIL
# held by the importing thread, and the thread stays usable after.
import json

import loadtime_ext as ext

print("GIL held while the constructors ran:", ext.gil_held_at_load)
print("dict made at load time, its size:", ext.dict_size_at_load)
print("Py_GetVersion in PyInit:", ext.version_ok)
print("Python runs after:", json.dumps([1, 2]))
print("DONE")
