#!/usr/bin/env python3
"""A throw-away PostgreSQL server on loopback, for the psycopg2 tests.

    python3 tests/postgres/server.py                 # start, print settings, wait for Ctrl-C, stop
    python3 tests/postgres/server.py -- CMD ARGS...  # start, run CMD with PSYCOPG2_TESTDB* and PG* set, stop

From Python:

    from server import PostgreSQL, available
    with PostgreSQL() as db:
        db.host, db.port, db.socket_dir, db.user, db.password, db.database
        db.dsn()                # a libpq connection string (TCP)
        db.env()                # PSYCOPG2_TESTDB* (psycopg2's tests/testconfig.py) and PG* (libpq)

The cluster gets its own temporary directory (initdb), listens on 127.0.0.1
at a free port and on a unix socket in that directory, and is shut down and
deleted on exit. PostgreSQL refuses to run as root: when we are root, initdb
and postgres run as an unprivileged user (`nobody`, or $PG_TEST_OS_USER) that
owns the temporary directory. The superuser `postgres` has a password (TCP
connections must give it; the unix socket trusts). The database
`psycopg2_test` is created with the hstore extension (some of the suite's
tests need it) and max_prepared_transactions > 0 (the two-phase tests).
"""
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

DATABASE = "psycopg2_test"
USER = "postgres"
PASSWORD = "psycopg2-pw"
OS_USER = os.environ.get("PG_TEST_OS_USER", "nobody")

_SEARCH = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"]


def _pg_bindirs():
    """Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin (newest first)."""
    dirs = []
    base = "/usr/lib/postgresql"
    if os.path.isdir(base):
        majors = sorted((d for d in os.listdir(base) if d.isdigit()), key=int, reverse=True)
        dirs = [os.path.join(base, d, "bin") for d in majors]
    return dirs


def _which(name):
    path = os.pathsep.join([os.environ.get("PATH", "")] + _pg_bindirs() + _SEARCH)
    return shutil.which(name, path=path)


def server_binaries():
    """(initdb, postgres, psql) or None where missing; initdb and postgres from the same directory."""
    for d in _pg_bindirs():
        initdb, postgres = os.path.join(d, "initdb"), os.path.join(d, "postgres")
        if os.access(initdb, os.X_OK) and os.access(postgres, os.X_OK):
            psql = os.path.join(d, "psql") if os.access(os.path.join(d, "psql"), os.X_OK) else _which("psql")
            return initdb, postgres, psql
    return _which("initdb"), _which("postgres"), _which("psql")


def _drop_privileges_prefix():
    """The command prefix that runs a program as OS_USER (empty when we are not root)."""
    if os.geteuid() != 0:
        return []
    setpriv = _which("setpriv")
    if setpriv:  # setpriv execs: the Popen pid is postgres itself
        return [setpriv, f"--reuid={OS_USER}", f"--regid={pwd.getpwnam(OS_USER).pw_gid}", "--clear-groups", "--"]
    return [_which("runuser"), "-u", OS_USER, "--"]


def available():
    """None if a server can be started here, else the reason why not."""
    initdb, postgres, psql = server_binaries()
    missing = [n for n, p in (("initdb", initdb), ("postgres", postgres), ("psql", psql)) if not p]
    if missing:
        return "not installed: " + ", ".join(missing) + " (bash tests/postgres/setup.sh installs postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(OS_USER)
        except KeyError:
            return f"running as root and there is no user {OS_USER!r} to run postgres as (set PG_TEST_OS_USER)"
        if not (_which("setpriv") or _which("runuser")):
            return "running as root and neither setpriv nor runuser is installed (util-linux)"
    return None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgreSQL:
    def __init__(self, database=DATABASE, user=USER, password=PASSWORD, port=None, verbose=False):
        self.database, self.user, self.password = database, user, password
        self.host = "127.0.0.1"
        self.port = port
        self.verbose = verbose
        self.proc = None
        self.base = None

    # ------------------------------------------------------------------ paths
    @property
    def datadir(self):
        return os.path.join(self.base, "data")

    @property
    def socket_dir(self):
        return os.path.join(self.base, "sock")

    @property
    def log_path(self):
        return os.path.join(self.base, "postgres.log")

    # ------------------------------------------------------------------ life cycle
    def _as_user(self, cmd, **kw):
        return subprocess.run(_drop_privileges_prefix() + cmd, capture_output=True, text=True, **kw)

    def start(self, timeout=60):
        reason = available()
        if reason:
            raise RuntimeError(reason)
        initdb, postgres, psql = server_binaries()
        # unix socket paths are limited to ~107 bytes: keep the base directory short.
        self.base = tempfile.mkdtemp(prefix="pg-", dir="/tmp")
        os.makedirs(self.socket_dir)
        if os.geteuid() == 0:
            ent = pwd.getpwnam(OS_USER)
            for p in (self.base, self.socket_dir):
                os.chown(p, ent.pw_uid, ent.pw_gid)
        os.chmod(self.base, 0o700)
        if self.port is None:
            self.port = free_port()
        pwfile = os.path.join(self.base, "pw")
        with open(pwfile, "w") as f:
            f.write(self.password + "\n")
        if os.geteuid() == 0:
            os.chown(pwfile, pwd.getpwnam(OS_USER).pw_uid, -1)
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        for k in [k for k in env if k.startswith("PG")]:
            del env[k]
        proc = self._as_user([initdb, "-D", self.datadir, "-U", self.user, f"--pwfile={pwfile}",
                              "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8",
                              "--locale=C.UTF-8", "--no-sync"], env=env, cwd=self.base)
        os.remove(pwfile)
        if proc.returncode != 0:
            self.stop()
            raise RuntimeError(f"initdb failed:\n{proc.stdout}\n{proc.stderr}")
        cmd = _drop_privileges_prefix() + [
            postgres, "-D", self.datadir, "-p", str(self.port), "-c", "listen_addresses=127.0.0.1",
            "-c", f"unix_socket_directories={self.socket_dir}", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "max_prepared_transactions=20",
            "-c", "shared_buffers=32MB", "-c", "log_min_messages=warning", "-c", "timezone=UTC"]
        log = open(self.log_path, "w")
        if os.geteuid() == 0:
            os.chown(self.log_path, pwd.getpwnam(OS_USER).pw_uid, -1)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                     env=env, cwd=self.base, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        psql_cmd = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.socket_dir, "-p", str(self.port),
                    "-U", self.user]
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.proc.returncode}:\n{self._log_tail()}")
            ping = subprocess.run(psql_cmd + ["-d", "postgres", "-c", "SELECT 1"], capture_output=True, text=True,
                                  env=env)
            if ping.returncode == 0:
                break
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"postgres did not come up in {timeout} s:\n{self._log_tail()}")
            time.sleep(0.2)
        steps = [("postgres", f'CREATE DATABASE "{self.database}" TEMPLATE template0 ENCODING \'UTF8\''),
                 (self.database, "CREATE EXTENSION IF NOT EXISTS hstore")]
        for db, sql in steps:
            proc = subprocess.run(psql_cmd + ["-d", db, "-c", sql], capture_output=True, text=True, env=env)
            if proc.returncode != 0 and "hstore" not in sql:
                self.stop()
                raise RuntimeError(f"{sql} failed:\n{proc.stderr}")
        if self.verbose:
            print(f"postgres pid {self.proc.pid} on {self.host}:{self.port} and {self.socket_dir}", file=sys.stderr)
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # "fast" shutdown: ends the sessions, stops cleanly
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self.base:
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None

    def _log_tail(self, n=30):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return "(no log)"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ------------------------------------------------------------------ settings
    def dsn(self, **over):
        kw = dict(host=self.host, port=self.port, user=self.user, password=self.password, dbname=self.database)
        kw.update(over)
        return " ".join(f"{k}={v}" for k, v in kw.items())

    def env(self):
        """psycopg2's test settings (tests/testconfig.py), libpq's PG* and the socket directory."""
        return {"PSYCOPG2_TESTDB": self.database, "PSYCOPG2_TESTDB_HOST": self.host,
                "PSYCOPG2_TESTDB_PORT": str(self.port), "PSYCOPG2_TESTDB_USER": self.user,
                "PSYCOPG2_TESTDB_PASSWORD": self.password,
                "PGHOST": self.host, "PGPORT": str(self.port), "PGUSER": self.user, "PGPASSWORD": self.password,
                "PGDATABASE": self.database, "PG_TEST_SOCKET_DIR": self.socket_dir}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    cmd = argv[argv.index("--") + 1:] if "--" in argv else None
    reason = available()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    with PostgreSQL(verbose=True) as db:
        for k, v in db.env().items():
            print(f"{k}={v}")
        sys.stdout.flush()
        if cmd:
            return subprocess.call(cmd, env=dict(os.environ, **db.env()))
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    sys.exit(main())
