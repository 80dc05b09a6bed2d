import sys
import memnogil_ext
memnogil_ext.run()
print("freed without the GIL: ok")
print("DONE")
