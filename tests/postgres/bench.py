#!/usr/bin/env python3
"""psycopg2 throughput under cpyext and CPython 3.11, and cpyext's memory over connect/query/close loops.

    python3 tests/postgres/bench.py [--rows 100000] [--loops 1000] [--repeat 3]

Starts a throw-away PostgreSQL (server.py), then for each interpreter (a
subprocess with the package built for it, build.py):
  insert   executemany() of ROWS rows (id, name, value, created)
  insert1  ROWS/10 single-row execute() calls (per-call overhead)
  select   SELECT of all ROWS rows, fetchall() on a plain cursor
  named    the same through a named (server-side) cursor, iterated
  dict     the same through a RealDictCursor (psycopg2.extras)
Then, under both, RSS after every quarter of LOOPS iterations of
connect / query / fetch / close, which stays flat when nothing leaks.
Times are the best of --repeat runs.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build  # noqa: E402
import server  # noqa: E402

WORKER = r'''
import gc, json, os, sys, time, datetime
import psycopg2, psycopg2.extras
dsn = os.environ["BENCH_DSN"]
mode, rows, loops, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

if mode == "speed":
    out = {}
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    table = "bench_" + sys.argv[5]
    data = [(i, "name-%d" % i, i * 0.5, datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=i))
            for i in range(rows)]
    def best(fn):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter(); r = fn(); times.append(time.perf_counter() - t0)
        return min(times), r
    def create(name):
        cur.execute("DROP TABLE IF EXISTS %s" % name)
        cur.execute("CREATE TABLE %s (id INT PRIMARY KEY, name VARCHAR(40), value DOUBLE PRECISION, "
                    "created TIMESTAMP)" % name)
        conn.commit()
    def insert():
        create(table)
        t0 = time.perf_counter()
        cur.executemany("INSERT INTO " + table + " VALUES (%s, %s, %s, %s)", data)
        conn.commit()
        return time.perf_counter() - t0
    out["insert"] = min(insert() for _ in range(repeat))
    def insert1():
        create(table + "_1")
        q = "INSERT INTO " + table + "_1 VALUES (%s, %s, %s, %s)"
        t0 = time.perf_counter()
        for row in data[: rows // 10]:
            cur.execute(q, row)
        conn.commit()
        return time.perf_counter() - t0
    out["insert1"] = min(insert1() for _ in range(repeat))
    def select():
        cur.execute("SELECT id, name, value, created FROM %s ORDER BY id" % table)
        return cur.fetchall()
    out["select"], got = best(select)
    assert len(got) == rows and got[-1] == data[-1], got[-1]
    def named():
        c = conn.cursor("bench_named")
        c.itersize = 2000
        c.execute("SELECT id, name, value, created FROM %s ORDER BY id" % table)
        n = 0
        for row in c:
            n += 1
        c.close()
        conn.commit()
        return n
    out["named"], n = best(named)
    assert n == rows
    def dictsel():
        c = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
        c.execute("SELECT id, name, value, created FROM %s ORDER BY id" % table)
        r = c.fetchall(); c.close(); return r
    out["dict"], r = best(dictsel)
    assert r[-1]["name"] == data[-1][1]
    cur.execute("DROP TABLE %s" % table); cur.execute("DROP TABLE %s_1" % table)
    conn.commit()
    conn.close()
    print(json.dumps(out))
else:  # memory
    marks = []
    def once(i):
        c = psycopg2.connect(dsn)
        cur = c.cursor()
        cur.execute("SELECT %s, 'some text', 1.5, now(), NULL", (i,))
        cur.fetchall()
        d = c.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
        d.execute("SELECT 1 AS a, 'x' AS b")
        d.fetchall()
        c.close()
    for i in range(50):   # warm-up: imports, caches, allocator arenas
        once(i)
    gc.collect()
    marks.append((0, rss_kb()))
    for q in range(4):
        for i in range(loops // 4):
            once(i)
        gc.collect()
        marks.append(((q + 1) * (loops // 4), rss_kb()))
    print(json.dumps(marks))
'''


def run_worker(argv0, path, db, *args, timeout=1800):
    env = dict(os.environ, PYTHONPATH=path, PYTHONDONTWRITEBYTECODE="1", BENCH_DSN=db.dsn(), **db.env())
    env.pop("_PYTHON_SYSCONFIGDATA_NAME", None)
    proc = subprocess.run([argv0, "-c", WORKER, *map(str, args)], env=env, capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv0} {args[0]} exited with {proc.returncode}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--loops", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    reason = server.available()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    if build.main(["--quiet"]) != 0:
        return 2
    interps = {"CPython 3.11": (sys.executable, build.OUT["cpython"]),
               "cpyext": (build.CPYEXT_BIN, build.OUT["cpyext"])}
    res = {}
    with server.PostgreSQL() as db:
        for name, (argv0, path) in interps.items():
            print(f"--- {name}: {args.rows} rows ...", flush=True)
            res[name] = run_worker(argv0, path, db, "speed", args.rows, 0, args.repeat,
                                   name.split()[0].lower())
        print(f"--- memory over {args.loops} connect/query/close loops ...", flush=True)
        marks = run_worker(build.CPYEXT_BIN, build.OUT["cpyext"], db, "memory", 0, args.loops, 1)
        ref_marks = run_worker(sys.executable, build.OUT["cpython"], db, "memory", 0, args.loops, 1)

    labels = {"insert": f"executemany INSERT {args.rows:,} rows",
              "insert1": f"execute INSERT x {args.rows // 10:,}",
              "select": f"SELECT {args.rows:,} rows, fetchall",
              "named": f"SELECT {args.rows:,} rows, named cursor",
              "dict": f"SELECT {args.rows:,} rows, RealDictCursor"}
    a, b = res["CPython 3.11"], res["cpyext"]
    print()
    print(f"{'operation':<36} {'CPython 3.11':>13} {'cpyext':>10} {'ratio':>7}")
    for k, label in labels.items():
        print(f"{label:<36} {a[k]:>12.3f}s {b[k]:>9.3f}s {b[k] / a[k]:>6.2f}x")
    print()
    print("RSS (kB) after N connect/query/close loops, after gc.collect():")
    print(f"{'loops':>7} {'cpyext':>10} {'CPython 3.11':>13}")
    for (n, kb), (_, ref) in zip(marks, ref_marks):
        print(f"{n:>7} {kb:>10} {ref:>13}")
    growth = marks[-1][1] - marks[1][1]
    per_loop = growth * 1024 / max(1, marks[-1][0] - marks[1][0])
    print(f"cpyext growth from loop {marks[1][0]} to {marks[-1][0]}: {growth} kB ({per_loop:.0f} bytes/loop)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
