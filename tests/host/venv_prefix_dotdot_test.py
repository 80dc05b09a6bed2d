# A venv run through a path with `..` (`../venv/bin/python`) has sys.prefix
# with the `..` resolved, and site.py (which checks sys.prefix against
# os.path.abspath of the program's directory) warns about nothing.
import os
import subprocess
import sys
import tempfile
import venv

with tempfile.TemporaryDirectory() as tmp:
    env_dir = os.path.join(tmp, "env")
    venv.EnvBuilder(symlinks=True, with_pip=False).create(env_dir)
    sub = os.path.join(tmp, "sub")
    os.mkdir(sub)
    report = "import sys; print(sys.prefix); print(sys.exec_prefix)"
    proc = subprocess.run([os.path.join("..", "env", "bin", "python"), "-c", report],
                          cwd=sub, capture_output=True, text=True)
    lines = proc.stdout.split()
    print("prefix is the venv:", lines == [env_dir, env_dir])
    print("warnings:", [l for l in proc.stderr.splitlines() if "Warning" in l])
print("DONE")
