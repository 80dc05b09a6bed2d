"""pysqlite3: insert 100,000 rows and select them back, under CPython 3.11
and under cpyext in one run; then cpyext's RSS over repeated connect, query
and close.

    python3 tests/sqlite/bench.py     (after run_suite.py has built pysqlite3)
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
WORK = Path(tempfile.gettempdir()) / "cpyext-sqlite-suite"

WORKLOAD = r'''
import os, sys, time
import pysqlite3.dbapi2 as sqlite3
N = 100_000
rows = [(i, f"name {i}", i * 0.5, b"x" * 16) for i in range(N)]
best = {}
for _ in range(3):
    cx = sqlite3.connect(":memory:")
    cx.execute("create table t(i integer, s text, f real, b blob)")
    t0 = time.perf_counter()
    cx.executemany("insert into t values (?, ?, ?, ?)", rows)
    cx.commit()
    t1 = time.perf_counter()
    got = cx.execute("select * from t").fetchall()
    t2 = time.perf_counter()
    assert len(got) == N and got[-1] == rows[-1]
    cx.close()
    for key, value in (("insert", t1 - t0), ("select", t2 - t1)):
        best[key] = min(best.get(key, 1e9), value)
print(best["insert"], best["select"])
if sys.argv[1:] == ["rss"]:
    def rss_kib():
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    marks = []
    for i in range(1, 3001):
        cx = sqlite3.connect(":memory:")
        cx.execute("create table t(x)")
        cx.executemany("insert into t values (?)", [(j,) for j in range(20)])
        cx.execute("select sum(x) from t").fetchone()
        cx.close()
        if i % 1000 == 0:
            marks.append(rss_kib())
    print(*marks)
'''


def run(interpreter, build, *args):
    env = dict(os.environ, PYTHONPATH=str(build))
    out = subprocess.run([interpreter, "-c", WORKLOAD, *args], env=env, capture_output=True, text=True, check=True)
    return out.stdout.split("\n")


def main():
    cpyext = os.environ.get("CPYEXT_BIN", str(REPO / "target/release/cpyext"))
    ours = run(cpyext, WORK / "build-cpyext", "rss")
    theirs = run(sys.executable, WORK / "build-cpython")
    ins_c, sel_c = map(float, theirs[0].split())
    ins_o, sel_o = map(float, ours[0].split())
    print("pysqlite3, 100,000 rows (best of 3)")
    print(f"{'':28}{'CPython 3.11':>14}{'cpyext':>10}{'ratio':>8}")
    print(f"{'executemany insert + commit':28}{ins_c:>13.3f}s{ins_o:>9.3f}s{ins_o / ins_c:>7.2f}x")
    print(f"{'select * + fetchall':28}{sel_c:>13.3f}s{sel_o:>9.3f}s{sel_o / sel_c:>7.2f}x")
    print("cpyext RSS after 1000/2000/3000 connect-query-close loops (KiB):", ours[1])


if __name__ == "__main__":
    main()
