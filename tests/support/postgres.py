"""A throwaway PostgreSQL server built from the machine's binaries.

initdb and pg_ctl on a temporary directory, listening on a free loopback
port. PostgreSQL refuses to run as root, so under root (as in CI) the
server runs as the ``postgres`` system user created by Debian's package.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def find_binaries() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="catalogue-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.as_user = None
        if os.geteuid() == 0:
            self.as_user = "postgres"
            entry = pwd.getpwnam("postgres")
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.root)

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "catalogue", "--auth=trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -F "
                   "-c full_page_writes=off -c synchronous_commit=off -c max_connections=100")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start; see {self.log}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://catalogue@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=catalogue dbname=postgres",
                             autocommit=True) as conn:
            if conn.info.server_version < 150000:  # no STRATEGY before 15: FILE_COPY was the only one
                statement = statement.replace(" STRATEGY FILE_COPY", "")
            conn.execute(statement)

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """A new database, empty or a copy of ``template`` (which nobody may be
        connected to). FILE_COPY: a copy of the files, after a checkpoint that
        costs little with fsync off; twice as quick as WAL_LOG on a small database."""
        copied = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self._admin(f'CREATE DATABASE "{name}"{copied}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop it, closing whatever connection a test left open."""
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)
