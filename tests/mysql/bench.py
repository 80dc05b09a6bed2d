#!/usr/bin/env python3
"""MySQLdb throughput under cpyext and CPython 3.11, and cpyext's memory over connect/query/close loops.

    python3 tests/mysql/bench.py [--rows 100000] [--loops 2000] [--repeat 3]

Starts a throw-away MariaDB (server.py), then for each interpreter (a
subprocess with the package built for it, build.py):
  insert   executemany() of ROWS rows (id, name, value, created)
  insert1  ROWS/10 single-row execute() calls (per-call overhead)
  select   SELECT of all ROWS rows, fetchall() on a buffered cursor
  ss       the same through an SSCursor (rows fetched one by one)
  dict     the same through a DictCursor
Then, under cpyext only, RSS after every quarter of LOOPS iterations of
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
import MySQLdb, MySQLdb.cursors
kw = dict(host=os.environ["MYSQL_HOST"], port=int(os.environ["MYSQL_PORT"]), user=os.environ["MYSQL_USER"],
          password=os.environ["MYSQL_PASSWORD"], database=os.environ["MYSQL_DATABASE"], charset="utf8mb4")
mode, rows, loops, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

if mode == "speed":
    out = {}
    conn = MySQLdb.connect(**kw)
    cur = conn.cursor()
    table = "bench_" + sys.argv[5]
    data = [(i, "name-%d" % i, i * 0.5, datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=i))
            for i in range(rows)]
    def best(fn):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter(); r = fn(); times.append(time.perf_counter() - t0)
        return min(times), r
    def insert():
        cur.execute("DROP TABLE IF EXISTS %s" % table)
        cur.execute("CREATE TABLE %s (id INT PRIMARY KEY, name VARCHAR(40), value DOUBLE, created DATETIME) "
                    "ENGINE=InnoDB" % table)
        t0 = time.perf_counter()
        cur.executemany("INSERT INTO " + table + " VALUES (%s, %s, %s, %s)", data)
        conn.commit()
        return time.perf_counter() - t0
    out["insert"] = min(insert() for _ in range(repeat))
    def insert1():
        cur.execute("DROP TABLE IF EXISTS %s_1" % table)
        cur.execute("CREATE TABLE %s_1 (id INT PRIMARY KEY, name VARCHAR(40), value DOUBLE, created DATETIME) "
                    "ENGINE=InnoDB" % table)
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
    def ss():
        c = conn.cursor(MySQLdb.cursors.SSCursor)
        c.execute("SELECT id, name, value, created FROM %s ORDER BY id" % table)
        n = 0
        for row in c:
            n += 1
        c.close()
        return n
    out["ss"], n = best(ss)
    assert n == rows
    def dictsel():
        c = conn.cursor(MySQLdb.cursors.DictCursor)
        c.execute("SELECT id, name, value, created FROM %s ORDER BY id" % table)
        r = c.fetchall(); c.close(); return r
    out["dict"], r = best(dictsel)
    assert r[-1]["name"] == data[-1][1]
    cur.execute("DROP TABLE %s" % table); cur.execute("DROP TABLE %s_1" % table)
    conn.close()
    print(json.dumps(out))
else:  # memory
    marks = []
    def once(i):
        c = MySQLdb.connect(**kw)
        cur = c.cursor()
        cur.execute("SELECT %s, 'some text', 1.5, NOW(), NULL", (i,))
        cur.fetchall()
        d = c.cursor(MySQLdb.cursors.DictCursor)
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
    env = dict(os.environ, PYTHONPATH=path, PYTHONDONTWRITEBYTECODE="1", **db.env())
    env.pop("_PYTHON_SYSCONFIGDATA_NAME", None)
    proc = subprocess.run([argv0, "-c", WORKER, *map(str, args)], env=env, capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv0} {args[0]} exited with {proc.returncode}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--loops", type=int, default=2000)
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
    with server.MariaDB() as db:
        for name, (argv0, path) in interps.items():
            print(f"--- {name}: {args.rows} rows ...", flush=True)
            res[name] = run_worker(argv0, path, db, "speed", args.rows, 0, args.repeat,
                                   name.split()[0].lower())
        print(f"--- cpyext: memory over {args.loops} connect/query/close loops ...", flush=True)
        marks = run_worker(build.CPYEXT_BIN, build.OUT["cpyext"], db, "memory", 0, args.loops, 1)
        ref_marks = run_worker(sys.executable, build.OUT["cpython"], db, "memory", 0, args.loops, 1)

    labels = {"insert": f"executemany INSERT {args.rows:,} rows",
              "insert1": f"execute INSERT x {args.rows // 10:,}",
              "select": f"SELECT {args.rows:,} rows, fetchall",
              "ss": f"SELECT {args.rows:,} rows, SSCursor iter",
              "dict": f"SELECT {args.rows:,} rows, DictCursor"}
    a, b = res["CPython 3.11"], res["cpyext"]
    print()
    print(f"{'operation':<36} {'CPython 3.11':>13} {'cpyext':>10} {'ratio':>7}")
    for k, label in labels.items():
        print(f"{label:<36} {a[k]:>12.3f}s {b[k]:>9.3f}s {b[k] / a[k]:>6.2f}x")
    print()
    print(f"RSS (kB) after N connect/query/close loops, after gc.collect():")
    print(f"{'loops':>7} {'cpyext':>10} {'CPython 3.11':>13}")
    for (n, kb), (_, ref) in zip(marks, ref_marks):
        print(f"{n:>7} {kb:>10} {ref:>13}")
    growth = marks[-1][1] - marks[1][1]
    per_loop = growth * 1024 / max(1, marks[-1][0] - marks[1][0])
    print(f"cpyext growth from loop {marks[1][0]} to {marks[-1][0]}: {growth} kB ({per_loop:.0f} bytes/loop)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
