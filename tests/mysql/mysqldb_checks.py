"""MySQLdb checks that run under either interpreter and print comparable output.

    MYSQL_HOST=... MYSQL_PORT=... MYSQL_USER=... MYSQL_PASSWORD=... MYSQL_DATABASE=... \\
        python mysqldb_checks.py SECTION [SECTION ...]     # or: all

test_mysqlclient.py runs each section under cpyext and under CPython 3.11
and requires the same output. Lines starting with "#" are informational
(timings) and are not compared.
"""
import datetime
import decimal
import os
import sys
import threading
import time
import zlib

import MySQLdb
import MySQLdb.cursors


def kwargs(**over):
    kw = dict(host=os.environ["MYSQL_HOST"], port=int(os.environ["MYSQL_PORT"]), user=os.environ["MYSQL_USER"],
              password=os.environ["MYSQL_PASSWORD"], database=os.environ["MYSQL_DATABASE"], charset="utf8mb4")
    kw.update(over)
    return kw


def connect(**over):
    return MySQLdb.connect(**kwargs(**over))


def table(conn, name, ddl):
    cur = conn.cursor()
    cur.execute(f"DROP TABLE IF EXISTS {name}")
    cur.execute(f"CREATE TABLE {name} ({ddl}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4")
    cur.close()


def section_connect():
    conn = connect()
    print("open", bool(conn.open), "server_version>", conn.get_server_info().split(".")[0].isdigit())
    print("character_set_name", conn.character_set_name())
    cur = conn.cursor()
    cur.execute("SELECT DATABASE(), CURRENT_USER() LIKE %s", (os.environ["MYSQL_USER"] + "@%",))
    print("select", cur.fetchone())
    print("ping", conn.ping())
    print("thread_id>0", conn.thread_id() > 0)
    conn.close()
    print("closed", conn.open)
    try:
        conn.cursor().execute("SELECT 1")
    except MySQLdb.Error as e:
        print("after close:", type(e).__name__)
    # the unix socket, as well as TCP
    if os.environ.get("MYSQL_UNIX_SOCKET"):
        c2 = MySQLdb.connect(unix_socket=os.environ["MYSQL_UNIX_SOCKET"], user=os.environ["MYSQL_USER"],
                             password=os.environ["MYSQL_PASSWORD"], database=os.environ["MYSQL_DATABASE"])
        cur = c2.cursor()
        cur.execute("SELECT 40 + 2")
        print("unix socket", cur.fetchall())
        c2.close()
    # context manager
    with connect() as c3:
        with c3.cursor() as cur:
            cur.execute("SELECT 'ctx'")
            print("with", cur.fetchone())


def section_cursors():
    conn = connect()
    table(conn, "t_cur", "id INT PRIMARY KEY, name VARCHAR(20), v DOUBLE")
    cur = conn.cursor()
    n = cur.executemany("INSERT INTO t_cur VALUES (%s, %s, %s)", [(i, f"n{i}", i / 4) for i in range(50)])
    print("executemany rowcount", n, cur.rowcount)
    conn.commit()
    cur.execute("SELECT * FROM t_cur ORDER BY id LIMIT 3")
    print("description", [d[0] for d in cur.description], "rowcount", cur.rowcount)
    print("fetchone", cur.fetchone())
    print("fetchmany", cur.fetchmany(2))
    print("fetchall", cur.fetchall())
    cur.execute("SELECT id, name FROM t_cur WHERE id < %(lim)s ORDER BY id", {"lim": 3})
    print("pyformat", cur.fetchall())
    for cls in (MySQLdb.cursors.DictCursor, MySQLdb.cursors.SSCursor, MySQLdb.cursors.SSDictCursor):
        cur = conn.cursor(cls)
        cur.execute("SELECT id, name, v FROM t_cur ORDER BY id")
        first = cur.fetchone()
        many = cur.fetchmany(3)
        rest = cur.fetchall()
        print(cls.__name__, first, many[-1], len(rest), rest[-1])
        cur.close()
    cur = conn.cursor(MySQLdb.cursors.SSCursor)
    cur.execute("SELECT id FROM t_cur ORDER BY id")
    print("SSCursor iter sum", sum(r[0] for r in cur))
    cur.close()
    cur = conn.cursor()
    cur.execute("SELECT id FROM t_cur ORDER BY id")
    cur.scroll(10, "absolute")
    print("scroll", cur.fetchone(), cur.rownumber)
    cur.callproc  # exists
    cur.execute("SELECT 1; SELECT 2")  if False else None
    print("lastrowid", cur.lastrowid)
    table(conn, "t_auto", "id INT AUTO_INCREMENT PRIMARY KEY, x INT")
    cur.execute("INSERT INTO t_auto (x) VALUES (7)")
    cur.execute("INSERT INTO t_auto (x) VALUES (8)")
    print("lastrowid", cur.lastrowid, conn.insert_id())
    conn.commit()
    conn.close()


def section_escaping():
    conn = connect()
    table(conn, "t_esc", "id INT PRIMARY KEY, s TEXT, b BLOB")
    nasty = ["it's", 'say "hi"', "back\\slash", "nul\x00byte", "semi; DROP TABLE t_esc; --", "%s %(x)s %%",
             "\n\r\t\x1a", "Robert'); DROP TABLE Students;--"]
    cur = conn.cursor()
    for i, s in enumerate(nasty):
        cur.execute("INSERT INTO t_esc VALUES (%s, %s, %s)", (i, s, s.encode()))
    conn.commit()
    cur.execute("SELECT s, b FROM t_esc ORDER BY id")
    rows = cur.fetchall()
    print("roundtrip", all(r[0] == s and r[1] == s.encode() for r, s in zip(rows, nasty)), len(rows))
    for s in nasty:
        cur.execute("SELECT %s = %s", (s, s))
        assert cur.fetchone()[0] == 1
    print("literal", conn.literal("it's"), conn.literal(b"a'b"), conn.literal(None), conn.literal(1.5),
          conn.literal((1, "a")))
    print("escape_string", conn.escape_string("a'b\"c\\"), MySQLdb._mysql.escape_string(b"x'y"))
    print("string_literal", conn.string_literal(b"it's"))
    print("mogrify", cur.mogrify("SELECT %s, %s, %s", ("a'b", None, 3)))
    cur.execute("SELECT %s", ("%s",))
    print("percent", cur.fetchone())
    conn.close()


def section_types():
    conn = connect()
    table(conn, "t_types", "id INT PRIMARY KEY, d DECIMAL(20,6), dt DATETIME(6), da DATE, ti TIME(6), "
                           "ts TIMESTAMP NULL, bl LONGBLOB, tx TEXT, n INT NULL, f DOUBLE, bi BIGINT, "
                           "u VARCHAR(100), bit1 BIT(8), js TEXT, y YEAR")
    cur = conn.cursor()
    blob = bytes(range(256)) * 400  # 100 kB, every byte value
    rows = [
        (1, decimal.Decimal("12345678901234.123456"), datetime.datetime(2024, 2, 29, 23, 59, 58, 123456),
         datetime.date(1999, 12, 31), datetime.timedelta(hours=-838, minutes=-59, seconds=-59),
         datetime.datetime(2038, 1, 19, 3, 14, 7), blob, "plain", None, 1.5e300, -2 ** 63,
         "héllo wörld ☃ 𝄞 日本語", b"\xff", '{"a": [1, 2]}', 2024),
        (2, decimal.Decimal("-0.000001"), datetime.datetime(1000, 1, 1), datetime.date(9999, 12, 31),
         datetime.timedelta(days=1, microseconds=5), None, b"", "", 0, -0.0, 2 ** 63 - 1, "", b"\x00", "", 1901),
    ]
    cur.executemany("INSERT INTO t_types VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
    conn.commit()
    cur.execute("SELECT * FROM t_types ORDER BY id")
    got = cur.fetchall()
    for row in got:
        shown = [(type(v).__name__, v if not isinstance(v, bytes) or len(v) < 20 else (len(v), zlib.crc32(v)))
                 for v in row]
        print(shown)
    print("blob equal", got[0][6] == blob)
    print("roundtrip equal", [tuple(r[:6]) for r in got] == [tuple(r[:6]) for r in rows])
    cur.execute("SELECT NULL, 1 IS NULL, CAST(NULL AS DATE), '2020-02-30' + INTERVAL 0 DAY")
    print("nulls", cur.fetchone())
    cur.execute("SELECT CAST('0000-00-00' AS DATE), CAST('12:34:56.789' AS TIME(3)), 1.5e10, 10/3, "
                "CAST(1 AS UNSIGNED), CHAR(65 USING utf8mb4), X'DEADBEEF', 2 > 1")
    print("exprs", cur.fetchone())
    print("unicode", repr(got[0][11]), len(got[0][11]))
    cur.execute("SELECT %s", ("𝄞" * 1000,))
    print("astral", cur.fetchone()[0] == "𝄞" * 1000)
    # a non-utf8 connection charset
    c2 = connect(charset="latin1")
    cur2 = c2.cursor()
    cur2.execute("SELECT %s, CONVERT(%s USING latin1)", ("é", "ß"))
    print("latin1", cur2.fetchone())
    c2.close()
    # use_unicode=False gives bytes
    c3 = connect(use_unicode=False)
    cur3 = c3.cursor()
    cur3.execute("SELECT 'abc', 5")
    print("bytes", cur3.fetchone())
    c3.close()
    conn.close()


def section_transactions():
    conn = connect()
    table(conn, "t_tx", "id INT PRIMARY KEY")
    print("autocommit", conn.get_autocommit())
    cur = conn.cursor()
    cur.execute("INSERT INTO t_tx VALUES (1)")
    conn.commit()
    cur.execute("INSERT INTO t_tx VALUES (2)")
    other = connect()
    oc = other.cursor()
    oc.execute("SELECT COUNT(*) FROM t_tx")
    print("other sees before commit", oc.fetchone())
    other.commit()
    conn.rollback()
    cur.execute("SELECT id FROM t_tx ORDER BY id")
    print("after rollback", cur.fetchall())
    cur.execute("INSERT INTO t_tx VALUES (3)")
    conn.commit()
    oc.execute("SELECT id FROM t_tx ORDER BY id")
    print("other after commit", oc.fetchall())
    conn.autocommit(True)
    print("autocommit", conn.get_autocommit())
    cur.execute("INSERT INTO t_tx VALUES (4)")
    conn.rollback()
    cur.execute("SELECT COUNT(*) FROM t_tx")
    print("autocommit rollback has no effect", cur.fetchone())
    conn.autocommit(False)
    conn.begin() if hasattr(conn, "begin") else None
    try:
        cur.execute("INSERT INTO t_tx VALUES (5)")
        cur.execute("INSERT INTO t_tx VALUES (5)")
    except MySQLdb.IntegrityError as e:
        print("IntegrityError", e.args[0])
        conn.rollback()
    cur.execute("SELECT COUNT(*) FROM t_tx")
    print("count", cur.fetchone())
    other.close()
    conn.close()


def section_errors():
    try:
        connect(password="wrong")
    except MySQLdb.OperationalError as e:
        print("bad password", type(e).__name__, e.args[0], isinstance(e, MySQLdb.DatabaseError))
    try:
        connect(user="nosuchuser")
    except MySQLdb.OperationalError as e:
        print("bad user", type(e).__name__, e.args[0])
    try:
        connect(port=1)
    except MySQLdb.OperationalError as e:
        print("bad port", type(e).__name__, e.args[0])
    try:
        connect(database="no_such_db")
    except MySQLdb.OperationalError as e:
        print("bad database", type(e).__name__, e.args[0])
    conn = connect()
    cur = conn.cursor()
    for sql in ("SELEC 1", "SELECT * FROM no_such_table", "SELECT no_such_col FROM DUAL"):
        try:
            cur.execute(sql)
        except MySQLdb.ProgrammingError as e:
            print("ProgrammingError", e.args[0], e.args[1].split("'")[0][:40])
        except MySQLdb.Error as e:
            print("other error", type(e).__name__, e.args[0])
    try:
        cur.execute("SELECT %s, %s", (1,))
    except (TypeError, MySQLdb.ProgrammingError) as e:
        print("too few params", type(e).__name__)
    table(conn, "t_err", "id INT PRIMARY KEY, v TINYINT NOT NULL")
    try:
        cur.execute("INSERT INTO t_err VALUES (1, NULL)")
    except MySQLdb.Error as e:
        print("null into not null", type(e).__name__, e.args[0])
    try:
        cur.execute("SELECT 1/0, CAST('x' AS SIGNED)")
        print("warnings", conn.warning_count() >= 1, cur.fetchone())
    except MySQLdb.Error as e:
        print("error", type(e).__name__)
    print("still usable", cur.execute("SELECT 1"), cur.fetchone())
    conn.close()
    # the exception hierarchy
    print("hierarchy", [c.__name__ for c in MySQLdb.OperationalError.__mro__])


def section_threads():
    n, sleep = 4, 0.5
    conns = [connect() for _ in range(n)]
    results = [None] * n
    errors = []

    def work(i):
        try:
            cur = conns[i].cursor()
            cur.execute("SELECT SLEEP(%s), %s", (sleep, i))
            results[i] = cur.fetchone()
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    print("results", results, "errors", errors)
    print(f"# {n} x SLEEP({sleep}) in threads took {elapsed:.3f} s")
    print("concurrent", elapsed < n * sleep * 0.75)
    for c in conns:
        c.close()


def section_threads_hammer():
    # more threads, each with its own connection, doing many small queries
    def hammer(k, out):
        c = connect()
        cur = c.cursor()
        s = 0
        for j in range(200):
            cur.execute("SELECT %s + %s", (k, j))
            s += cur.fetchone()[0]
        c.close()
        out[k] = s

    out = {}
    threads = [threading.Thread(target=hammer, args=(k, out)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("hammer", sorted(out.items()))


SECTIONS = {name[len("section_"):]: fn for name, fn in globals().items() if name.startswith("section_")}


def main(argv):
    names = list(SECTIONS) if argv == ["all"] or not argv else argv
    for name in names:
        print(f"== {name}")
        SECTIONS[name]()
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
