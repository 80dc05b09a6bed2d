"""Creating and destroying a million instances of C types, plain and
GC-tracked (and GC cycles), keeps memory flat under cpyext."""
import os

import harness

# Allowed RSS growth over the measured loops. CPython grows by ~0; a leak of
# one 48-byte C struct per object would already add ~46 MiB per million.
LEAK_BOUND = 16 * 1024 * 1024

SCRIPT = """
import gc, sys
import statictype_ext, gctype_ext

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096

Point, Node = statictype_ext.Point, gctype_ext.Node
for i in range(20000):
    Point(i); Node()
gc.collect()
before = rss()
for i in range(1000000):
    p = Point(i)
    n = Node()
    if i % 10 == 0:
        n.next = Node()
        n.next.next = n   # a cycle, left to the collector
del p, n
gc.collect()
after = rss()
print("deallocs", statictype_ext.deallocs() >= 1000000, gctype_ext.counts()[0] >= 1100000)
print("RESULT", after - before)
"""


def run(flavor, tmp_path):
    path = None
    for name in ("statictype_ext", "gctype_ext"):
        path = harness.build(os.path.join(harness.CAPI, name + ".c"), flavor)
    script = tmp_path / f"type_leaks_{flavor}.py"
    script.write_text(SCRIPT)
    proc = harness.run_script(str(script), flavor, path, timeout=240)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "deallocs True True", proc.stdout
    return int(lines[-1].split()[1])


def test_million_c_objects_keep_memory_flat(tmp_path):
    assert run("cpython", tmp_path) < LEAK_BOUND
    growth = run("cpyext", tmp_path)
    print("cpyext RSS growth over a million C objects:", growth)
    assert growth < LEAK_BOUND
