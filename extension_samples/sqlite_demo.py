"""The sqlite path: pysqlite3 (CPython's sqlite3 module, packaged on its
own), built from its source release against our headers."""
import pysqlite3.dbapi2 as sqlite3

cx = sqlite3.connect(":memory:")
cx.execute("create table fruit(name text, price real, photo blob)")
cx.executemany("insert into fruit values (?, ?, ?)",
               [("pomme", 1.25, b"\x89PNG"), ("poire", 2.5, None), ("prune ✓", 0.75, b"")])
cx.create_function("shout", 1, lambda s: s.upper() + "!")
cx.row_factory = sqlite3.Row
for row in cx.execute("select shout(name) as loud, price from fruit order by price"):
    print("sqlite row:", row["loud"], row["price"])
print("sqlite aggregate:", tuple(cx.execute("select count(*), sum(price) from fruit").fetchone()),
      "| SQLite", sqlite3.sqlite_version, "| module", sqlite3.__name__)
