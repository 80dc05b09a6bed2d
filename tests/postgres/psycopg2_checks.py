"""psycopg2 checks that run under either interpreter and print comparable output.

    PSYCOPG2_TESTDB=... PSYCOPG2_TESTDB_HOST=... PSYCOPG2_TESTDB_PORT=... \\
    PSYCOPG2_TESTDB_USER=... PSYCOPG2_TESTDB_PASSWORD=... [PG_TEST_SOCKET_DIR=...] \\
        python psycopg2_checks.py SECTION [SECTION ...]     # or: all

(server.py's env() sets them.) test_psycopg2.py runs each section under
cpyext and under CPython 3.11 and requires the same output. Lines starting
with "#" are informational and are not compared; nothing prints a timing.
"""
import datetime
import decimal
import io
import os
import select
import sys
import threading
import time
import uuid
import zlib

import psycopg2
import psycopg2.errorcodes
import psycopg2.errors
import psycopg2.extensions
import psycopg2.extras
from psycopg2 import sql

UTC = datetime.timezone.utc


def kwargs(**over):
    kw = dict(dbname=os.environ.get("PSYCOPG2_TESTDB", "psycopg2_test"), host=os.environ["PSYCOPG2_TESTDB_HOST"],
              port=int(os.environ["PSYCOPG2_TESTDB_PORT"]), user=os.environ["PSYCOPG2_TESTDB_USER"],
              password=os.environ["PSYCOPG2_TESTDB_PASSWORD"])
    kw.update(over)
    return kw


def connect(**over):
    conn = psycopg2.connect(**kwargs(**over))
    return conn


def table(conn, name, ddl):
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")
        cur.execute(f"CREATE TABLE {name} ({ddl})")
    conn.commit()


def wait(conn):
    """The poll loop of an asynchronous connection, with select()."""
    polls = 0
    while True:
        state = conn.poll()
        polls += 1
        if state == psycopg2.extensions.POLL_OK:
            return polls
        if state == psycopg2.extensions.POLL_READ:
            select.select([conn.fileno()], [], [], 10)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [conn.fileno()], [], 10)
        else:
            raise psycopg2.OperationalError(f"poll() returned {state}")


# ---------------------------------------------------------------------- sections

def section_connect():
    print("version", psycopg2.__version__.split()[0], "apilevel", psycopg2.apilevel,
          "paramstyle", psycopg2.paramstyle, "threadsafety", psycopg2.threadsafety)
    print("libpq >= 10", psycopg2.extensions.libpq_version() >= 100000, psycopg2.__libpq_version__ >= 100000)
    conn = connect()
    print("closed", conn.closed, "status", conn.status, "encoding", conn.encoding,
          "server_version>=100000", conn.server_version >= 100000, "protocol", conn.protocol_version)
    info = conn.info
    print("info", info.dbname, info.user, info.host, info.port == int(os.environ["PSYCOPG2_TESTDB_PORT"]),
          info.transaction_status, info.ssl_in_use, info.backend_pid > 0)
    params = conn.get_dsn_parameters()
    print("dsn params", sorted(k for k in ("dbname", "user", "host", "port") if k in params),
          "password hidden", "password" not in conn.dsn or "xxx" in conn.dsn)
    cur = conn.cursor()
    cur.execute("SELECT current_database(), current_user, 1 + 1")
    print("select", cur.fetchone())
    print("server encoding", conn.get_parameter_status("server_encoding"),
          "client", conn.get_parameter_status("client_encoding"))
    conn.set_client_encoding("LATIN1")
    print("set_client_encoding", conn.encoding)
    conn.set_client_encoding("UTF8")
    cur.close()
    print("cursor closed", cur.closed)
    conn.close()
    print("closed", conn.closed)
    try:
        conn.cursor()
    except psycopg2.InterfaceError as e:
        print("after close:", type(e).__name__, e)
    # a DSN string, the unix socket, and the context manager
    dsn = psycopg2.extensions.make_dsn(**kwargs())
    print("make_dsn keys", sorted(psycopg2.extensions.parse_dsn(dsn)))
    c2 = psycopg2.connect(dsn)
    print("dsn connect", c2.closed)
    c2.close()
    if os.environ.get("PG_TEST_SOCKET_DIR"):
        c3 = psycopg2.connect(**kwargs(host=os.environ["PG_TEST_SOCKET_DIR"], password=None))
        cur = c3.cursor()
        cur.execute("SELECT 40 + 2")
        print("unix socket", cur.fetchall())
        c3.close()
    with connect() as c4:
        with c4.cursor() as cur:
            cur.execute("SELECT 'ctx'")
            print("with", cur.fetchone())
        print("with: still open", c4.closed)
    c4.close()


def section_queries():
    conn = connect()
    table(conn, "t_q", "id int PRIMARY KEY, name text, v double precision")
    cur = conn.cursor()
    cur.execute("INSERT INTO t_q VALUES (%s, %s, %s)", (0, "zero", 0.0))
    print("rowcount", cur.rowcount, "statusmessage", cur.statusmessage)
    cur.executemany("INSERT INTO t_q VALUES (%s, %s, %s)", [(i, f"n{i}", i / 4) for i in range(1, 30)])
    print("executemany rowcount", cur.rowcount)
    psycopg2.extras.execute_values(cur, "INSERT INTO t_q VALUES %s", [(i, f"v{i}", i * 1.5) for i in range(30, 60)])
    psycopg2.extras.execute_batch(cur, "INSERT INTO t_q VALUES (%s, %s, %s)", [(i, f"b{i}", -i) for i in range(60, 70)],
                                  page_size=4)
    conn.commit()
    cur.execute("SELECT count(*), sum(id), min(name), max(v) FROM t_q")
    print("aggregate", cur.fetchone())
    cur.execute("SELECT id, name, v FROM t_q WHERE id < %(lim)s ORDER BY id", {"lim": 3})
    print("pyformat", cur.fetchall(), "rowcount", cur.rowcount)
    print("description", [(d.name, d.type_code) for d in cur.description])
    print("query", cur.query)
    print("mogrify", cur.mogrify("SELECT %s, %s, %s, %s", ("it's", None, 3, [1, 2])))
    print("mogrify dict", cur.mogrify("SELECT %(a)s || %(a)s, %(b)s", {"a": "x", "b": 2.5}))
    cur.execute("SELECT %s, '%%'", ("%s",))
    print("percent", cur.fetchone())
    q = sql.SQL("SELECT {} FROM {} WHERE {} = %s").format(
        sql.SQL(", ").join([sql.Identifier("id"), sql.Identifier("name")]), sql.Identifier("t_q"),
        sql.Identifier("id"))
    print("sql as_string", q.as_string(conn))
    cur.execute(q, (5,))
    print("sql composed", cur.fetchone())
    print("quote_ident", psycopg2.extensions.quote_ident('we"ird', cur))
    print("adapt", psycopg2.extensions.adapt("it's").getquoted(), psycopg2.extensions.adapt(None).getquoted(),
          psycopg2.extensions.adapt(1.5).getquoted())
    cur.execute("CREATE OR REPLACE FUNCTION add_one(x int) RETURNS int AS 'SELECT x + 1' LANGUAGE sql")
    cur.callproc("add_one", (41,))
    print("callproc", cur.fetchone())
    cur.execute("SELECT generate_series(1, 5)")
    print("iterate", [r[0] for r in cur])
    cur.execute("UPDATE t_q SET v = v + 1 WHERE id < 10")
    print("update rowcount", cur.rowcount, cur.statusmessage)
    cur.execute("DELETE FROM t_q WHERE id >= 60 RETURNING id")
    print("delete returning", sorted(r[0] for r in cur.fetchall()))
    conn.commit()
    conn.close()


def show(v):
    if isinstance(v, (bytes, memoryview)):
        b = bytes(v)
        return (type(v).__name__, len(b), zlib.crc32(b)) if len(b) > 16 else (type(v).__name__, b)
    return (type(v).__name__, v)


def section_types():
    conn = connect()
    psycopg2.extras.register_uuid(conn_or_curs=conn)
    cur = conn.cursor()
    cur.execute("SET TIME ZONE 'UTC'")
    plus2 = datetime.timezone(datetime.timedelta(hours=2))
    blob = bytes(range(256)) * 64
    values = [
        ("int", 42), ("bigint", -2 ** 63), ("bigint max", 2 ** 63 - 1), ("huge int", 10 ** 30),
        ("float", 1.5), ("float small", 1e-300), ("float neg zero", -0.0), ("inf", float("inf")),
        ("Decimal", decimal.Decimal("12345678901234.123456")), ("Decimal neg", decimal.Decimal("-0.000001")),
        ("Decimal NaN", decimal.Decimal("NaN")),
        ("str", "héllo wörld ☃ 𝄞 日本語"), ("str quotes", "it's \"quoted\" \\ back"), ("str empty", ""),
        ("bytes", psycopg2.Binary(b"\x00\x01'\\\xff")), ("bytes big", psycopg2.Binary(blob)),
        ("None", None), ("True", True), ("False", False),
        ("date", datetime.date(2024, 2, 29)), ("date min", datetime.date(1, 1, 1)),
        ("time", datetime.time(23, 59, 58, 123456)), ("time tz", datetime.time(12, 30, tzinfo=plus2)),
        ("datetime", datetime.datetime(2024, 2, 29, 23, 59, 58, 123456)),
        ("datetime tz", datetime.datetime(2024, 2, 29, 23, 59, 58, 5, tzinfo=plus2)),
        ("datetime utc", datetime.datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("timedelta", datetime.timedelta(days=-3, hours=5, microseconds=7)),
        ("timedelta big", datetime.timedelta(days=1000, seconds=1)),
        ("list int", [1, 2, 3]), ("list str", ["a", "b'c", None, "ü"]), ("list 2d", [[1, 2], [3, 4]]),
        ("list float", [1.5, -2.25]), ("list date", [datetime.date(2020, 1, 1), datetime.date(2021, 12, 31)]),
        ("tuple", (1, 2, 3)),
        ("uuid", uuid.UUID("12345678-1234-5678-1234-567812345678")),
        ("list uuid", [uuid.UUID(int=1), uuid.UUID(int=2 ** 128 - 1)]),
    ]
    for label, v in values:
        if label == "tuple":
            cur.execute("SELECT 2 IN %s, 7 IN %s", (v, v))
        else:
            cur.execute("SELECT %s", (v,))
        got = cur.fetchone()
        print(label, show(got[0]) if len(got) == 1 else got)
    print("bytes big equal", bytes(cur.execute("SELECT %s", (psycopg2.Binary(blob),)) or cur.fetchone()[0]) == blob)
    # typed results from the server
    cur.execute("SELECT 1::smallint, 2::int, 3::bigint, 1.25::real, 2.5::float8, 3.75::numeric(10,3), "
                "'x'::char(3), 'y'::varchar, 'z'::text, true, NULL::int, 'NaN'::float8 <> 'NaN'::float8")
    print("typed", [show(v) for v in cur.fetchone()])
    cur.execute("SELECT '2024-01-02'::date, '03:04:05.5'::time, '2024-01-02 03:04:05+05:30'::timestamptz, "
                "'2024-01-02 03:04:05'::timestamp, '1 year 2 months 3 days 04:05:06'::interval, "
                "'infinity'::date, '-infinity'::timestamp")
    print("datetimes", [show(v) for v in cur.fetchone()])
    cur.execute("SELECT '12:00+02'::timetz, now() - now(), '00:00:00.000001'::interval")
    print("timetz", [show(v) for v in cur.fetchone()])
    cur.execute("SELECT ARRAY[1,2,NULL], ARRAY['a','b'], ARRAY[ARRAY[1.5,2.5]], '{}'::int[], "
                "ARRAY['2020-01-01'::date], ARRAY[true,false]")
    print("arrays", [show(v) for v in cur.fetchone()])
    doc = {"a": [1, 2, None], "b": "ü", "c": {"d": 1.5, "e": True}}
    cur.execute("SELECT %s::json, %s::jsonb, '[1, \"x\", null]'::jsonb, '\"s\"'::json",
                (psycopg2.extras.Json(doc), psycopg2.extras.Json(doc)))
    print("json", [show(v) for v in cur.fetchone()])
    cur.execute("SELECT %s", (psycopg2.extras.Json([1, {"k": "v"}], dumps=lambda o: str(o).replace("'", '"')),))
    print("json custom dumps", cur.fetchone())
    cur.execute("SELECT gen_random_uuid() IS NOT NULL, '00000000-0000-0000-0000-000000000001'::uuid")
    print("uuid", [show(v) for v in cur.fetchone()])
    cur.execute("SELECT int4range(1, 10), numrange(1.5, 2.5, '[]'), 'empty'::int4range")
    print("ranges", [str(v) for v in cur.fetchone()])
    cur.execute("SELECT %s, %s", (psycopg2.extras.NumericRange(1, 5), psycopg2.extras.DateRange(None, datetime.date(2020, 1, 1))))
    print("range params", [str(v) for v in cur.fetchone()])
    cur.execute("SELECT '192.168.0.1/24'::inet, '10.0.0.0/8'::cidr, 'ab:cd:ef:00:11:22'::macaddr, 42::oid, "
                "'{\"a\"=>\"1\"}'::text")
    print("misc", [show(v) for v in cur.fetchone()])
    oids = psycopg2.extras.HstoreAdapter.get_oids(conn)
    if oids and oids[0]:
        psycopg2.extras.register_hstore(conn)
        cur.execute("SELECT %s, 'a=>1, b=>NULL'::hstore", ({"k": "v", "n": None, "ü": "ß"},))
        print("hstore", [sorted(d.items(), key=str) for d in cur.fetchone()])
    else:
        print("hstore", "not available")
    # a table round trip of every type
    table(conn, "t_types", "id int PRIMARY KEY, i bigint, f float8, d numeric, s text, b bytea, n int, "
                           "bo boolean, da date, ti time, ts timestamp, tz timestamptz, iv interval, "
                           "ai int[], at text[], j jsonb, u uuid")
    row = (1, 2 ** 40, 0.1, decimal.Decimal("3.14159265358979323846"), "ünïcødé 𝄞", psycopg2.Binary(blob), None,
           True, datetime.date(2000, 1, 1), datetime.time(1, 2, 3), datetime.datetime(2001, 2, 3, 4, 5, 6, 7),
           datetime.datetime(2001, 2, 3, 4, 5, 6, tzinfo=plus2), datetime.timedelta(hours=25), [1, 2],
           ["x", None], psycopg2.extras.Json({"k": [1]}), uuid.UUID(int=5))
    cur.execute("INSERT INTO t_types VALUES (%s)" % ", ".join(["%s"] * len(row)), row)
    conn.commit()
    cur.execute("SELECT * FROM t_types")
    got = cur.fetchone()
    print("roundtrip", [show(v) for v in got])
    print("roundtrip bytes equal", bytes(got[5]) == blob)
    # a custom typecaster and adapter
    caster = psycopg2.extensions.new_type((25,), "UPPERTEXT", lambda v, c: v.upper() if v is not None else None)
    psycopg2.extensions.register_type(caster, cur)
    cur.execute("SELECT 'shout'::text, NULL::text")
    print("custom caster", cur.fetchone())

    class Point:
        def __init__(self, x, y):
            self.x, self.y = x, y

    def adapt_point(p):
        return psycopg2.extensions.AsIs("point(%s, %s)" % (psycopg2.extensions.adapt(p.x).getquoted().decode(),
                                                            psycopg2.extensions.adapt(p.y).getquoted().decode()))
    psycopg2.extensions.register_adapter(Point, adapt_point)
    cur2 = conn.cursor()
    cur2.execute("SELECT %s::text", (Point(1.5, -2),))
    print("custom adapter", cur2.fetchone())
    conn.close()


def section_fetch():
    conn = connect()
    table(conn, "t_f", "id int PRIMARY KEY, name text")
    cur = conn.cursor()
    psycopg2.extras.execute_values(cur, "INSERT INTO t_f VALUES %s", [(i, f"n{i}") for i in range(25)])
    conn.commit()
    cur.execute("SELECT id, name FROM t_f ORDER BY id")
    print("rowcount", cur.rowcount, "rownumber", cur.rownumber)
    print("fetchone", cur.fetchone(), cur.rownumber)
    print("fetchmany", cur.fetchmany(3))
    cur.arraysize = 4
    print("fetchmany arraysize", cur.fetchmany())
    cur.scroll(2)
    print("scroll relative", cur.fetchone())
    cur.scroll(0, mode="absolute")
    print("scroll absolute", cur.fetchone())
    try:
        cur.scroll(100)
    except (IndexError, psycopg2.ProgrammingError) as e:
        print("scroll out of range", type(e).__name__)
    cur.scroll(20, mode="absolute")
    print("fetchall", cur.fetchall())
    print("fetchone at end", cur.fetchone(), "fetchmany at end", cur.fetchmany(2), "fetchall at end", cur.fetchall())
    try:
        cur.execute("SELECT 1 WHERE false")
        print("empty", cur.fetchall(), cur.rowcount)
        cur.execute("CREATE TEMP TABLE t_nores (x int)")
        cur.fetchone()
    except psycopg2.ProgrammingError as e:
        print("fetch without results", type(e).__name__, e)
    for factory in (psycopg2.extras.DictCursor, psycopg2.extras.RealDictCursor, psycopg2.extras.NamedTupleCursor):
        c = conn.cursor(cursor_factory=factory)
        c.execute("SELECT id, name FROM t_f ORDER BY id LIMIT 3")
        first = c.fetchone()
        rest = c.fetchall()
        if factory is psycopg2.extras.DictCursor:
            shown = (first["id"], first[1], list(first.keys()), dict(rest[-1]))
        elif factory is psycopg2.extras.RealDictCursor:
            shown = (dict(first), [dict(r) for r in rest])
        else:
            shown = (first.id, first.name, type(first).__name__, first._fields, rest[-1])
        print(factory.__name__, shown)
        c.close()
    conn.close()


def section_copy():
    conn = connect()
    table(conn, "t_copy", "id int, name text, v float8, note text")
    cur = conn.cursor()
    data = io.StringIO("".join(f"{i}\tname {i}\t{i / 2}\t{'ü' * (i % 3)}\n" for i in range(100)) + "100\t\\N\t0\tx\n")
    cur.copy_from(data, "t_copy", columns=("id", "name", "v", "note"))
    print("copy_from rowcount", cur.rowcount)
    csv = io.StringIO('200,"with, comma",1.5,"quote ""q"""\n201,,2.5,\n')
    cur.copy_expert("COPY t_copy FROM STDIN WITH (FORMAT csv)", csv)
    print("copy_expert in rowcount", cur.rowcount)
    conn.commit()
    out = io.StringIO()
    cur.copy_expert("COPY (SELECT * FROM t_copy ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)", out)
    text = out.getvalue()
    print("copy_expert out lines", len(text.splitlines()), "crc", zlib.crc32(text.encode()))
    print("copy_expert head", text.splitlines()[:3], "tail", text.splitlines()[-2:])
    out2 = io.StringIO()
    cur.copy_to(out2, "t_copy", sep="|", null="NULL", columns=("id", "name"))
    print("copy_to lines", len(out2.getvalue().splitlines()), out2.getvalue().splitlines()[100])
    bout = io.BytesIO()
    cur.copy_expert("COPY (SELECT id, note FROM t_copy WHERE id < 4 ORDER BY id) TO STDOUT", bout)
    print("copy to bytes", bout.getvalue())
    cur.execute("SELECT count(*), sum(id), count(name) FROM t_copy")
    print("count", cur.fetchone())
    try:
        cur.copy_expert("COPY t_copy FROM STDIN", io.StringIO("not-a-number\tx\t1\ty\n"))
    except psycopg2.DataError as e:
        print("bad copy", type(e).__name__, e.pgcode)
    conn.rollback()
    conn.close()


def section_named_cursor():
    conn = connect()
    table(conn, "t_named", "id int PRIMARY KEY")
    cur = conn.cursor()
    cur.execute("INSERT INTO t_named SELECT generate_series(0, 999)")
    conn.commit()
    named = conn.cursor("big_cursor")
    named.itersize = 100
    named.execute("SELECT id FROM t_named ORDER BY id")
    print("name", named.name, "withhold", named.withhold, "scrollable", named.scrollable)
    print("fetchone", named.fetchone())
    print("fetchmany", named.fetchmany(3))
    total = sum(r[0] for r in named)
    print("iterate sum", total, "rownumber", named.rownumber)
    named.close()
    conn.commit()
    named = conn.cursor("scrolling", scrollable=True)
    named.execute("SELECT id FROM t_named ORDER BY id")
    named.scroll(500, mode="absolute")
    print("scroll absolute", named.fetchone())
    named.scroll(-11)
    print("scroll back", named.fetchone())
    print("fetchall len", len(named.fetchall()))
    named.close()
    conn.commit()
    held = conn.cursor("held", withhold=True)
    held.execute("SELECT id FROM t_named WHERE id < 5 ORDER BY id")
    conn.commit()
    print("withhold after commit", held.fetchall())
    held.close()
    dc = conn.cursor("dict_named", cursor_factory=psycopg2.extras.RealDictCursor)
    dc.execute("SELECT id, id * 2 AS twice FROM t_named ORDER BY id LIMIT 3")
    print("named RealDictCursor", [dict(r) for r in dc.fetchall()])
    dc.close()
    conn.rollback()
    conn.close()


def section_notices():
    conn = connect()
    cur = conn.cursor()
    cur.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 42; RAISE WARNING 'careful: %', 'ü'; END $$")
    print("notices", conn.notices)
    conn.notices.clear() if hasattr(conn.notices, "clear") else None
    cur.execute("SET client_min_messages TO notice")
    cur.execute("CREATE TEMP TABLE IF NOT EXISTS t_n (x int)")
    cur.execute("CREATE TEMP TABLE IF NOT EXISTS t_n (x int)")
    print("skip notice", [n.split(",")[0] for n in conn.notices])
    # a capped deque of notices
    import collections
    conn.notices = collections.deque(maxlen=2)
    for i in range(5):
        cur.execute("DO $$ BEGIN RAISE NOTICE 'n%', %s; END $$".replace("%s", str(i)))
    print("deque", list(conn.notices))
    # notifications
    conn.rollback()
    conn.autocommit = True
    cur.execute("LISTEN chan")
    other = connect(application_name="notifier")
    other.autocommit = True
    oc = other.cursor()
    oc.execute("NOTIFY chan, 'payload ü'")
    oc.execute("SELECT pg_notify('chan', 'second')")
    got = []
    deadline = time.monotonic() + 10
    while len(got) < 2 and time.monotonic() < deadline:  # the two may come in separate packets
        select.select([conn], [], [], 1)
        conn.poll()
        while conn.notifies:
            n = conn.notifies.pop(0)
            got.append((n.channel, n.payload, n.pid > 0))
    print("notifies", got)
    other.close()
    conn.close()


def section_errors():
    try:
        connect(password="wrong")
    except psycopg2.OperationalError as e:
        print("bad password", type(e).__name__, e.pgcode, "authentication failed" in str(e))
    try:
        connect(dbname="no_such_db")
    except psycopg2.OperationalError as e:
        print("bad database", type(e).__name__, "does not exist" in str(e))
    try:
        connect(port=1)
    except psycopg2.OperationalError as e:
        print("bad port", type(e).__name__)
    conn = connect()
    table(conn, "t_err", "id int PRIMARY KEY, v int NOT NULL CHECK (v >= 0)")
    cur = conn.cursor()
    cur.execute("INSERT INTO t_err VALUES (1, 1)")
    conn.commit()
    cases = ["INSERT INTO t_err VALUES (1, 2)", "INSERT INTO t_err VALUES (2, NULL)",
             "INSERT INTO t_err VALUES (3, -1)", "SELEC 1", "SELECT * FROM no_such_table", "SELECT 1/0",
             "SELECT 'x'::int", "SELECT no_such_col FROM t_err", "SELECT repeat('x', -1)::int"]
    for q in cases:
        try:
            cur.execute(q)
        except psycopg2.Error as e:
            d = e.diag
            print(f"{q[:32]:<32}", type(e).__name__, [c.__name__ for c in type(e).__mro__[1:3]], e.pgcode,
                  psycopg2.errorcodes.lookup(e.pgcode), d.severity, d.constraint_name, d.table_name,
                  e.pgerror.splitlines()[0] if e.pgerror else None, e.cursor is cur)
            conn.rollback()
    try:
        cur.execute("INSERT INTO t_err VALUES (1, 5)")
    except psycopg2.errors.UniqueViolation as e:
        print("UniqueViolation", isinstance(e, psycopg2.IntegrityError), e.pgcode, e.diag.message_primary,
              e.diag.message_detail)
        conn.rollback()
    print("lookup", psycopg2.errors.lookup("23505").__name__, psycopg2.errors.lookup("42P01").__name__)
    try:
        psycopg2.errors.lookup("XXXXX")
    except KeyError as e:
        print("lookup unknown", type(e).__name__)
    # an error leaves the transaction failed until rollback
    try:
        cur.execute("SELECT 1/0")
    except psycopg2.errors.DivisionByZero:
        pass
    try:
        cur.execute("SELECT 1")
    except psycopg2.errors.InFailedSqlTransaction as e:
        print("in failed transaction", type(e).__name__, e.pgcode, conn.info.transaction_status)
    conn.rollback()
    cur.execute("SELECT 'still usable'")
    print(cur.fetchone())
    try:
        cur.execute("SELECT %s, %s", (1,))
    except (TypeError, IndexError, psycopg2.ProgrammingError) as e:
        print("too few params", type(e).__name__)
    try:
        cur.execute("SELECT %(a)s", {"b": 1})
    except KeyError as e:
        print("missing key", type(e).__name__, e)
    try:
        cur.execute("SELECT %s", (object(),))
    except psycopg2.ProgrammingError as e:
        print("cannot adapt", type(e).__name__, str(e).split(" at ")[0])
    # an exception from a raise in plpgsql, with a custom SQLSTATE
    try:
        cur.execute("DO $$ BEGIN RAISE EXCEPTION 'custom %', 1 USING ERRCODE = 'P0099', HINT = 'a hint'; END $$")
    except psycopg2.Error as e:
        print("raise", type(e).__name__, e.pgcode, e.diag.message_primary, e.diag.message_hint)
    conn.rollback()
    # pickling an error keeps pgcode/pgerror
    import pickle
    try:
        cur.execute("SELECT 1/0")
    except psycopg2.Error as e:
        e2 = pickle.loads(pickle.dumps(e))
        print("pickled", type(e2).__name__, e2.pgcode, e2.pgerror == e.pgerror)
    conn.rollback()
    conn.close()
    print("hierarchy", [c.__name__ for c in psycopg2.errors.UniqueViolation.__mro__])


def section_transactions():
    conn = connect()
    for xid in conn.tpc_recover():  # left prepared by an interrupted earlier run, holding t_tx's locks
        if xid.gtrid == "gtrid-check":
            conn.tpc_rollback(xid)
    table(conn, "t_tx", "id int PRIMARY KEY")
    print("autocommit", conn.autocommit, "isolation", conn.isolation_level, "status", conn.status,
          "txn", conn.info.transaction_status)
    cur = conn.cursor()
    cur.execute("INSERT INTO t_tx VALUES (1)")
    print("in transaction", conn.status == psycopg2.extensions.STATUS_IN_TRANSACTION,
          conn.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_INTRANS)
    conn.commit()
    cur.execute("INSERT INTO t_tx VALUES (2)")
    other = connect()
    oc = other.cursor()
    oc.execute("SELECT count(*) FROM t_tx")
    print("other sees before commit", oc.fetchone())
    other.rollback()
    conn.rollback()
    cur.execute("SELECT id FROM t_tx ORDER BY id")
    print("after rollback", cur.fetchall())
    with conn:
        cur.execute("INSERT INTO t_tx VALUES (3)")
    oc.execute("SELECT id FROM t_tx ORDER BY id")
    print("other after with-commit", oc.fetchall())
    other.rollback()
    try:
        with conn:
            cur.execute("INSERT INTO t_tx VALUES (4)")
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    cur.execute("SELECT count(*) FROM t_tx")
    print("with-rollback", cur.fetchone())
    conn.rollback()
    # savepoints
    cur.execute("INSERT INTO t_tx VALUES (10)")
    cur.execute("SAVEPOINT sp")
    cur.execute("INSERT INTO t_tx VALUES (11)")
    cur.execute("ROLLBACK TO SAVEPOINT sp")
    conn.commit()
    cur.execute("SELECT id FROM t_tx ORDER BY id")
    print("savepoint", cur.fetchall())
    conn.commit()
    # autocommit
    conn.autocommit = True
    cur.execute("INSERT INTO t_tx VALUES (20)")
    conn.rollback()
    cur.execute("SELECT count(*) FROM t_tx")
    print("autocommit rollback has no effect", cur.fetchone(), conn.info.transaction_status)
    conn.autocommit = False
    # isolation levels and read-only sessions
    for level in ("READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"):
        conn.set_session(isolation_level=level)
        cur.execute("SHOW transaction_isolation")
        print("isolation", level, cur.fetchone(), conn.isolation_level)
        conn.rollback()
    conn.set_session(readonly=True, isolation_level=psycopg2.extensions.ISOLATION_LEVEL_DEFAULT)
    try:
        cur.execute("INSERT INTO t_tx VALUES (30)")
    except psycopg2.errors.ReadOnlySqlTransaction as e:
        print("readonly", type(e).__name__, e.pgcode)
    conn.rollback()
    conn.set_session(readonly=False)
    # a unique violation in the middle of a transaction, then rollback
    try:
        cur.execute("INSERT INTO t_tx VALUES (40)")
        cur.execute("INSERT INTO t_tx VALUES (40)")
    except psycopg2.IntegrityError as e:
        print("IntegrityError", type(e).__name__, e.pgcode)
        conn.rollback()
    cur.execute("SELECT count(*) FROM t_tx WHERE id = 40")
    print("after IntegrityError", cur.fetchone())
    # two-phase commit, if the server allows it
    cur.execute("SHOW max_prepared_transactions")
    if int(cur.fetchone()[0]) > 0:
        conn.rollback()
        xid = conn.xid(1, "gtrid-check", "bqual")
        conn.tpc_begin(xid)
        cur.execute("INSERT INTO t_tx VALUES (50)")
        conn.tpc_prepare()
        print("tpc prepared", [(x.format_id, x.gtrid, x.bqual) for x in other.tpc_recover() if x.gtrid == "gtrid-check"])
        other.rollback()
        conn.tpc_commit()
        cur.execute("SELECT count(*) FROM t_tx WHERE id = 50")
        print("tpc committed", cur.fetchone())
    conn.rollback()
    other.close()
    conn.close()


def section_async_():
    conn = psycopg2.connect(**kwargs(), async_=1)
    print("async", conn.async_, "isexecuting", conn.isexecuting())
    wait(conn)
    print("connected", conn.status == psycopg2.extensions.STATUS_READY, "autocommit", conn.autocommit)
    cur = conn.cursor()
    cur.execute("SELECT %s, %s::text, pg_sleep(0.1)", (42, "async ü"))
    print("executing", conn.isexecuting())
    wait(conn)
    print("result", cur.fetchone(), "executing", conn.isexecuting())
    cur.execute("SELECT 1")
    try:
        cur.execute("SELECT 2")
    except psycopg2.ProgrammingError as e:
        print("second execute", type(e).__name__, e)
    wait(conn)
    print("first", cur.fetchone())
    cur.execute("SELECT 1/0")
    try:
        wait(conn)
    except psycopg2.errors.DivisionByZero as e:
        print("async error", type(e).__name__, e.pgcode)
    cur.execute("SELECT generate_series(1, 5)")
    wait(conn)
    print("fetchall", cur.fetchall())
    for name in ("commit", "rollback"):
        try:
            getattr(conn, name)()
        except psycopg2.ProgrammingError as e:
            print(name, "in async", type(e).__name__)
    # several async connections in one select loop
    conns = [psycopg2.connect(**kwargs(), async_=True) for _ in range(3)]
    for c in conns:
        wait(c)
    curs = [c.cursor() for c in conns]
    for i, c in enumerate(curs):
        c.execute("SELECT %s * 10, pg_sleep(0.2)", (i,))
    pending = dict(zip(conns, curs))
    results = {}
    while pending:
        r, w, _ = select.select([c for c in pending if True], [], [], 10)
        for c in list(pending):
            if c.poll() == psycopg2.extensions.POLL_OK:
                results[conns.index(c)] = pending.pop(c).fetchone()[0]
    print("multiplexed", sorted(results.items()))
    for c in conns:
        c.close()
    conn.close()
    # the green hook: psycopg2.extras.wait_select as the wait callback
    psycopg2.extensions.set_wait_callback(psycopg2.extras.wait_select)
    try:
        g = connect()
        gc = g.cursor()
        gc.execute("SELECT 'green', pg_sleep(0.05)")
        print("green", gc.fetchone()[0], psycopg2.extensions.get_wait_callback() is psycopg2.extras.wait_select)
        g.close()
    finally:
        psycopg2.extensions.set_wait_callback(None)


def section_threads():
    """Two threads, each SELECT pg_sleep(1) on its own connection: they overlap only if the GIL is released."""
    conns = [connect() for _ in range(2)]
    results, errors = [None, None], []

    def work(i):
        try:
            cur = conns[i].cursor()
            cur.execute("SELECT pg_sleep(1), %s", (i,))
            results[i] = cur.fetchone()
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    print("results", results, "errors", errors)
    print("overlap", elapsed < 1.8)
    for c in conns:
        c.close()
    # one connection shared by threads (psycopg2's connections are thread safe)
    shared = connect()
    out = {}

    def use_shared(k):
        cur = shared.cursor()
        s = 0
        for j in range(50):
            cur.execute("SELECT %s + %s", (k, j))
            s += cur.fetchone()[0]
        out[k] = s

    threads = [threading.Thread(target=use_shared, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("shared connection", sorted(out.items()))
    shared.close()


def section_threads_hammer():
    """Six threads, each connecting and running 150 small queries at the same time."""
    out, errors = {}, []

    def hammer(k):
        try:
            c = connect()
            cur = c.cursor()
            s = 0
            for j in range(150):
                cur.execute("SELECT %s + %s, %s", (k, j, f"t{k}"))
                a, b = cur.fetchone()
                s += a
            c.close()
            out[k] = s
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    threads = [threading.Thread(target=hammer, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("hammer", sorted(out.items()), "errors", errors)


SECTIONS = {name[len("section_"):].rstrip("_"): fn for name, fn in globals().items() if name.startswith("section_")}


def main(argv):
    names = list(SECTIONS) if argv == ["all"] or not argv else argv
    for name in names:
        print(f"== {name}")
        SECTIONS[name]()
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
