# printf/fprintf from C under -u and PYTHONUNBUFFERED (C stdio unbuffered as
# well, so the output keeps its order), and without them, where C's stdout
# is block-buffered on a pipe and comes out at exit, after Python's lines.
import os, subprocess, sys
import unbuffered_stdio_ext as ext

child = r'''
import sys
sys.path.insert(0, sys.argv[1])  # -E ignores PYTHONPATH
import unbuffered_stdio_ext as ext
print("python 1")
ext.c_print("from C")
print("python 2")
sys.stdout.flush()
'''
base = dict(os.environ, PYTHONPATH=os.path.dirname(ext.__file__))
base.pop("PYTHONUNBUFFERED", None)
cases = [
    ("PYTHONUNBUFFERED=1", ["-c", child], dict(base, PYTHONUNBUFFERED="1")),
    ("-u", ["-u", "-c", child], base),
    ("PYTHONUNBUFFERED=1 with -E", ["-E", "-c", child], dict(base, PYTHONUNBUFFERED="1")),
    ("buffered", ["-c", child], base),
]
for label, args, env in cases:
    proc = subprocess.run([sys.executable, *args, os.path.dirname(ext.__file__)], capture_output=True, text=True, env=env, timeout=120)
    print(f"{label}: exit {proc.returncode}")
    print("  stdout:", proc.stdout.splitlines())
    print("  stderr:", [l for l in proc.stderr.splitlines() if "from C" in l])
print("DONE")
