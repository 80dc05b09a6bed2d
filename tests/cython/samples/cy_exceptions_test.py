import os
import sys
import traceback
import cy_exceptions as m

for kind in ["app", "key", "index", "attr", "chain", "context", "none"]:
    print(kind, m.catch(kind))
print(m.use_checked(4))
for f, arg in [(m.use_checked, -1), (m.use_star, 0)]:
    try:
        f(arg)
    except (ValueError, ZeroDivisionError) as e:
        print(type(e).__name__, e)
log = []
print(m.finally_order(log, False), log)
log = []
try:
    m.finally_order(log, True)
except ValueError:
    print("ValueError", log)
log = []
print(m.use_manager(log, True), log)
log = []
try:
    m.use_manager(log, False)
except TypeError as e:
    print("TypeError", e, log)
print(m.exc_info_inside())

try:
    m.reraise()
except LookupError as e:
    frames = traceback.extract_tb(e.__traceback__)
    # Only the frames of the .pyx file: file name, function and line.
    print([(os.path.basename(f.filename), f.name, f.lineno) for f in frames if f.filename.endswith(".pyx")])
try:
    m.use_checked(-5)
except ValueError as e:
    frames = traceback.extract_tb(e.__traceback__)
    print([(os.path.basename(f.filename), f.name, f.lineno) for f in frames if f.filename.endswith(".pyx")])
print(sys.exc_info())
print("DONE")
