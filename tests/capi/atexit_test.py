# Py_IsInitialized() inside a Py_AtExit function: 0 in CPython 3.11 (Py_FinalizeEx clears
# runtime->initialized before call_ll_exitfuncs).  Run in a child so the exit-time output
# comes before DONE.
import os, subprocess, sys
import atexit_ext as ext

print("while running: Py_IsInitialized() =", ext.initialized())
child = r'''
import atexit, atexit_ext as ext
print("Py_AtExit ->", ext.register())
atexit.register(lambda: print("Python atexit handler: Py_IsInitialized() =", ext.initialized(), flush=True))
print("child body done", flush=True)
'''
env = dict(os.environ, PYTHONPATH=os.path.dirname(ext.__file__))
proc = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env, timeout=120)
print(proc.stdout, end="")
print("child exit status:", proc.returncode)
print("child stderr mentions a fatal error:", "Fatal" in proc.stderr)
print("DONE")
