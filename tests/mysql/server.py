#!/usr/bin/env python3
"""A throw-away MariaDB server on loopback, for the mysqlclient tests.

    python3 tests/mysql/server.py                 # start, print settings, wait for Ctrl-C, stop
    python3 tests/mysql/server.py -- CMD ARGS...  # start, run CMD with MYSQL_* and TESTDB set, stop

From Python:

    from server import MariaDB, available
    with MariaDB() as db:
        db.host, db.port, db.unix_socket, db.user, db.password, db.database
        db.connect_kwargs()     # for MySQLdb.connect(**...)
        db.cnf_path             # an option file with a [MySQLdb-tests] group (the suite's TESTDB)

The server gets its own temporary data directory (mariadb-install-db), listens
on 127.0.0.1 at a free port and on a unix socket in that directory, runs as
root when we are root (--user=root), and is shut down and deleted on exit.
A database `mysqldb_test` and a user `mysqldb`@`%` / `localhost` with a
password are created, with all privileges on that database.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

DATABASE = "mysqldb_test"
USER = "mysqldb"
PASSWORD = "mysqldb-pw"

_SEARCH = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"]


def _which(*names):
    path = os.pathsep.join([os.environ.get("PATH", "")] + _SEARCH)
    for name in names:
        found = shutil.which(name, path=path)
        if found:
            return found
    return None


def server_binaries():
    """(mariadbd, mariadb-install-db, mariadb client) or None where missing."""
    return (_which("mariadbd", "mysqld"), _which("mariadb-install-db", "mysql_install_db"),
            _which("mariadb", "mysql"))


def available():
    """'' if a server can be started here, else the reason why not."""
    daemon, install_db, client = server_binaries()
    missing = [n for n, p in (("mariadbd", daemon), ("mariadb-install-db", install_db), ("mariadb", client)) if not p]
    if missing:
        return "not installed: " + ", ".join(missing) + " (bash tests/mysql/setup.sh installs mariadb-server)"
    return ""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MariaDB:
    def __init__(self, database=DATABASE, user=USER, password=PASSWORD, port=None, basedir=None, verbose=False):
        self.database, self.user, self.password = database, user, password
        self.host = "127.0.0.1"
        self.port = port
        self._basedir = basedir
        self._own_basedir = basedir is None
        self.verbose = verbose
        self.proc = None

    # ------------------------------------------------------------------ paths
    @property
    def datadir(self):
        return os.path.join(self.base, "data")

    @property
    def unix_socket(self):
        return os.path.join(self.base, "mysqld.sock")

    @property
    def cnf_path(self):
        return os.path.join(self.base, "client.cnf")

    @property
    def log_path(self):
        return os.path.join(self.base, "mariadbd.err")

    # ------------------------------------------------------------------ life cycle
    def start(self, timeout=60):
        reason = available()
        if reason:
            raise RuntimeError(reason)
        daemon, install_db, client = server_binaries()
        # unix socket paths are limited to ~107 bytes: keep the base directory short.
        self.base = self._basedir or tempfile.mkdtemp(prefix="mdb-", dir="/tmp")
        os.makedirs(self.datadir, exist_ok=True)
        if self.port is None:
            self.port = free_port()
        root = os.geteuid() == 0
        user_opt = ["--user=root"] if root else []
        cmd = [install_db, "--no-defaults", f"--datadir={self.datadir}", "--auth-root-authentication-method=normal",
               "--skip-test-db", "--skip-name-resolve", *user_opt]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
        cmd = [daemon, "--no-defaults", f"--datadir={self.datadir}", f"--socket={self.unix_socket}",
               f"--port={self.port}", "--bind-address=127.0.0.1", f"--pid-file={self.base}/mariadbd.pid",
               f"--log-error={self.log_path}", "--skip-name-resolve", "--innodb-buffer-pool-size=64M",
               "--innodb-log-file-size=16M", "--innodb-flush-log-at-trx-commit=2", "--skip-log-bin",
               "--max-connections=500", "--character-set-server=utf8mb4",
               "--collation-server=utf8mb4_general_ci", *user_opt]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mariadbd exited with {self.proc.returncode}:\n{self._log_tail()}")
            if os.path.exists(self.unix_socket):
                ping = subprocess.run([client, "--no-defaults", "-uroot", f"--socket={self.unix_socket}",
                                       "-e", "SELECT 1"], capture_output=True, text=True)
                if ping.returncode == 0:
                    break
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"mariadbd did not come up in {timeout} s:\n{self._log_tail()}")
            time.sleep(0.2)
        sql = (f"CREATE DATABASE IF NOT EXISTS `{self.database}` DEFAULT CHARACTER SET utf8mb4;\n"
               f"CREATE USER IF NOT EXISTS '{self.user}'@'%' IDENTIFIED BY '{self.password}';\n"
               f"CREATE USER IF NOT EXISTS '{self.user}'@'localhost' IDENTIFIED BY '{self.password}';\n"
               f"GRANT ALL PRIVILEGES ON `{self.database}`.* TO '{self.user}'@'%';\n"
               f"GRANT ALL PRIVILEGES ON `{self.database}`.* TO '{self.user}'@'localhost';\n"
               "FLUSH PRIVILEGES;\n")
        proc = subprocess.run([client, "--no-defaults", "-uroot", f"--socket={self.unix_socket}"],
                              input=sql, capture_output=True, text=True)
        if proc.returncode != 0:
            self.stop()
            raise RuntimeError(f"creating the test database failed:\n{proc.stderr}")
        with open(self.cnf_path, "w") as f:
            f.write("[MySQLdb-tests]\n"
                    f"host = {self.host}\nport = {self.port}\nuser = {self.user}\n"
                    f"password = {self.password}\ndatabase = {self.database}\n"
                    "default-character-set = utf8mb4\n")
        if self.verbose:
            print(f"mariadbd pid {self.proc.pid} on {self.host}:{self.port} and {self.unix_socket}", file=sys.stderr)
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # mariadbd shuts down cleanly on SIGTERM
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self._own_basedir and getattr(self, "base", None):
            shutil.rmtree(self.base, ignore_errors=True)

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
    def connect_kwargs(self, **over):
        kw = dict(host=self.host, port=self.port, user=self.user, password=self.password, database=self.database)
        kw.update(over)
        return kw

    def env(self):
        """Environment variables that describe this server (TESTDB is the suite's option file)."""
        return {"MYSQL_HOST": self.host, "MYSQL_PORT": str(self.port), "MYSQL_UNIX_SOCKET": self.unix_socket,
                "MYSQL_USER": self.user, "MYSQL_PASSWORD": self.password, "MYSQL_DATABASE": self.database,
                "TESTDB": self.cnf_path}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    cmd = argv[argv.index("--") + 1:] if "--" in argv else None
    reason = available()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    with MariaDB(verbose=True) as db:
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
