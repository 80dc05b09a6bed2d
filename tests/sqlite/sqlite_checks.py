"""pysqlite3 end to end; run under CPython 3.11 and under cpyext, the output
must be the same (test_pysqlite3.py compares them)."""
import os
import sys
import tempfile
import threading

import pysqlite3.dbapi2 as sqlite3


def show(label, value):
    print(f"{label}: {value!r}")


def connecting(tmp):
    path = os.path.join(tmp, "file.db")
    with sqlite3.connect(path) as cx:
        cx.execute("create table t(x)")
        cx.execute("insert into t values (1)")
    cx.close()
    cx = sqlite3.connect(path)
    show("file", cx.execute("select x from t").fetchall())
    cx.close()
    show("memory", sqlite3.connect(":memory:").execute("select 1 + 1").fetchone())


def executing_and_types():
    cx = sqlite3.connect(":memory:")
    cx.execute("create table v(i integer, f real, s text, b blob, n)")
    rows = [(2**63 - 1, 1.5, "héllo ✓ 𝄞", b"\x00\xff", None), (-2**63, -0.0, "", b"", None)]
    cx.executemany("insert into v values (?, ?, ?, ?, ?)", rows)
    cx.execute("insert into v values (:i, :f, :s, :b, :n)", {"i": 7, "f": 2.25, "s": "named", "b": b"x", "n": None})
    cx.executescript("create table w(a); insert into w values (1); insert into w values (2);")
    show("rows", cx.execute("select * from v").fetchall())
    show("types", cx.execute("select typeof(i), typeof(f), typeof(s), typeof(b), typeof(n) from v").fetchone())
    show("script", cx.execute("select sum(a) from w").fetchone())
    try:
        cx.execute("insert into v(i) values (?)", (2**64,))
    except OverflowError as e:
        show("overflow", str(e))
    cur = cx.execute("select i from v order by i")
    show("fetchone", cur.fetchone())
    show("fetchmany", cur.fetchmany(1))
    show("fetchall", cur.fetchall())
    show("description", [d[0] for d in cx.execute("select i as first, s from v").description])
    cx.row_factory = sqlite3.Row
    row = cx.execute("select i, s from v where i = 7").fetchone()
    show("row", (row["i"], row[1], row.keys(), tuple(row)))
    cx.row_factory = None
    cx.text_factory = bytes
    show("text_factory", cx.execute("select s from v where i = 7").fetchone())
    cx.text_factory = str


def callbacks():
    cx = sqlite3.connect(":memory:")
    cx.create_function("twice", 1, lambda x: x * 2)
    cx.create_function("nested", 1, lambda x: cx.execute("select twice(?)", (x,)).fetchone()[0])

    class Total:
        def __init__(self):
            self.n = 0

        def step(self, v):
            self.n += v

        def finalize(self):
            return self.n

    cx.create_aggregate("total", 1, Total)
    cx.create_collation("backwards", lambda a, b: (a < b) - (a > b))
    cx.execute("create table c(x)")
    cx.executemany("insert into c values (?)", [(i,) for i in range(5)])
    show("function", cx.execute("select twice(21), twice('ab')").fetchone())
    show("c calls python calls c", cx.execute("select nested(4)").fetchone())
    show("aggregate", cx.execute("select total(x) from c").fetchone())
    show("collation", cx.execute("select x from c order by cast(x as text) collate backwards").fetchall())

    def boom(x):
        raise ValueError("no")

    cx.create_function("boom", 1, boom)
    try:
        cx.execute("select boom(1)")
    except sqlite3.OperationalError as e:
        show("function raised", str(e))
    calls = []

    def progress():
        calls.append(1)
        return 0

    cx.set_progress_handler(progress, 1)
    cx.execute("select count(*) from c").fetchone()
    show("progress called", len(calls) > 0)
    cx.set_progress_handler(lambda: 1, 1)
    try:
        cx.execute("select count(*) from c")
    except sqlite3.OperationalError as e:
        show("progress interrupts", str(e))
    cx.set_progress_handler(None, 1)

    def authorizer(action, arg1, arg2, db, source):
        return sqlite3.SQLITE_DENY if arg1 == "secret" or arg2 == "secret" else sqlite3.SQLITE_OK

    cx.execute("create table secret(x)")
    cx.set_authorizer(authorizer)
    try:
        cx.execute("select * from secret")
    except sqlite3.DatabaseError as e:
        show("authorizer", str(e))
    cx.set_authorizer(None)


def transactions(tmp):
    path = os.path.join(tmp, "tx.db")
    cx = sqlite3.connect(path)
    show("isolation_level", cx.isolation_level)
    cx.execute("create table t(x)")
    cx.execute("insert into t values (1)")
    show("in_transaction", cx.in_transaction)
    cx.rollback()
    show("after rollback", cx.execute("select count(*) from t").fetchone())
    cx.execute("insert into t values (2)")
    cx.commit()
    try:
        with cx:
            cx.execute("insert into t values (3)")
            raise KeyError("undo")
    except KeyError:
        pass
    show("context manager rolled back", cx.execute("select x from t").fetchall())
    cx.isolation_level = None
    cx.execute("insert into t values (4)")
    show("autocommit", sqlite3.connect(path).execute("select x from t").fetchall())


def errors():
    cx = sqlite3.connect(":memory:")
    show("hierarchy", [c.__name__ for c in sqlite3.IntegrityError.__mro__[:4]])
    for sql, params in (("selec 1", ()), ("select * from nowhere", ()), ("select ?", (1, 2))):
        try:
            cx.execute(sql, params)
        except sqlite3.Error as e:
            show("error", (type(e).__name__, str(e)))
    cx.execute("create table u(x unique)")
    cx.execute("insert into u values (1)")
    try:
        cx.execute("insert into u values (1)")
    except sqlite3.IntegrityError as e:
        show("integrity", str(e))
    cx.close()
    try:
        cx.execute("select 1")
    except sqlite3.ProgrammingError as e:
        show("closed", str(e))


def the_rest(tmp):
    cx = sqlite3.connect(":memory:")
    cx.execute("create table t(x, y)")
    cx.executemany("insert into t values (?, ?)", [(1, "a"), (2, "b")])
    cx.commit()
    if hasattr(cx, "iterdump"):  # pysqlite3 0.6.1 builds without it
        show("iterdump", list(cx.iterdump()))
    target = sqlite3.connect(":memory:")
    cx.backup(target)
    show("backup", target.execute("select * from t").fetchall())
    if hasattr(cx, "blobopen"):
        cx.execute("create table bl(b)")
        cx.execute("insert into bl values (zeroblob(8))")
        with cx.blobopen("bl", "b", 1) as blob:
            blob.write(b"abcd")
            blob.seek(0)
            show("blob", blob.read())
    path = os.path.join(tmp, "threads.db")
    setup = sqlite3.connect(path)
    setup.execute("create table th(x)")
    setup.commit()
    shared = sqlite3.connect(path)
    outcome = []

    def use_shared():
        try:
            shared.execute("select 1")
        except sqlite3.ProgrammingError as e:
            outcome.append(type(e).__name__)

    t = threading.Thread(target=use_shared)
    t.start()
    t.join()
    show("check_same_thread", outcome)

    def writer(n):
        own = sqlite3.connect(path, timeout=30)
        for i in range(50):
            with own:
                own.execute("insert into th values (?)", (n * 100 + i,))
        own.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    show("threads wrote", setup.execute("select count(*), sum(x) from th").fetchone())


def main():
    with tempfile.TemporaryDirectory() as tmp:
        connecting(tmp)
        executing_and_types()
        callbacks()
        transactions(tmp)
        errors()
        the_rest(tmp)
    print("DONE")


if __name__ == "__main__":
    main()
