"""A PostgreSQL primary and a streaming replica of it, made on this machine with the server's
own tools: ``initdb`` for the primary, ``pg_basebackup --write-recovery-conf`` for the replica.

    with PostgresPair() as pair:
        pair.primary_url("danvan"), pair.replica_url("danvan")

Both clusters live in a temporary folder and listen on free ports of 127.0.0.1 only, with
trust authentication; they are stopped and deleted on exit. PostgreSQL refuses to run as root,
so as root the server programs run as the ``postgres`` system user. ``available()`` says why a
pair cannot be made here (no server programs, no such user), for tests to skip or fail with.

Used by ``tests/scaling`` (the router against a real replica) and by ``make load`` with
``--replica`` (what the replica takes off the primary under load).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_ROOTS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _bin_dir() -> Path | None:
    for root in PG_ROOTS:
        if (root / "initdb").exists() and (root / "pg_basebackup").exists():
            return root
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def available() -> str | None:
    """None when a pair can be made here, else the reason it cannot."""
    if _bin_dir() is None:
        return "PostgreSQL's server programs (initdb, pg_basebackup) are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' system user to run the servers as"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresPair:
    """A primary and one streaming replica in a temporary folder."""

    def __init__(self) -> None:
        reason = available()
        if reason:
            raise RuntimeError(reason)
        self.bin = _bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="danvan-pg-pair-"))
        self.primary_dir = self.folder / "primary"
        self.replica_dir = self.folder / "replica"
        self.primary_port = _free_port()
        self.replica_port = _free_port()
        self._as_postgres = os.geteuid() == 0

    # -- running the server's programs -----------------------------------------------------
    def _run(self, program: str, *args: str, timeout: float = 120) -> None:
        command = [str(self.bin / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stdout[-1500:]}{done.stderr[-1500:]}")

    def _start(self, data: Path) -> None:
        self._run("pg_ctl", "-D", str(data), "-l", str(data / "server.log"), "-w", "start")

    def __enter__(self) -> PostgresPair:
        if self._as_postgres:
            shutil.chown(self.folder, user="postgres", group="postgres")
        try:
            self._make_primary()
            self._make_replica()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _make_primary(self) -> None:
        self._run(
            "initdb", "-D", str(self.primary_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8"
        )
        settings = (
            f"port = {self.primary_port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.folder}'\n"
            "wal_level = replica\n"
            "max_wal_senders = 4\n"
            "hot_standby = on\n"
            "fsync = off\n"
            "synchronous_commit = off\n"
            "full_page_writes = off\n"
        )
        with open(self.primary_dir / "postgresql.conf", "a") as conf:
            conf.write(settings)
        with open(self.primary_dir / "pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        self._start(self.primary_dir)

    def _make_replica(self) -> None:
        self._run(
            "pg_basebackup",
            "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres",
            "-D", str(self.replica_dir), "--write-recovery-conf", "--wal-method=stream",
        )  # fmt: skip
        with open(self.replica_dir / "postgresql.auto.conf", "a") as conf:
            conf.write(f"port = {self.replica_port}\n")
        self._start(self.replica_dir)

    def __exit__(self, *exc) -> None:
        for data in (self.replica_dir, self.primary_dir):
            if (data / "postmaster.pid").exists():
                with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                    self._run(
                        "pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop", timeout=60
                    )
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- addresses and state ---------------------------------------------------------------
    def primary_url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.primary_port}/{database}"

    def replica_url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.replica_port}/{database}"

    def sql(self, port: int, statement: str, database: str = "postgres") -> list[tuple]:
        import psycopg

        dsn = f"postgresql://postgres@127.0.0.1:{port}/{database}"
        with psycopg.connect(dsn, autocommit=True) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def wait_for_replay(self, timeout: float = 30) -> None:
        """Return once the replica has replayed everything the primary has written so far.

        The position is where the primary has *inserted* WAL, not where it has written it: with
        ``synchronous_commit = off`` (set above) a commit returns before its record is written,
        so the written position can still be short of it and the replica, caught up to that,
        not show the commit yet."""
        (target,) = self.sql(self.primary_port, "SELECT pg_current_wal_insert_lsn()::text")[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            (caught_up,) = self.sql(
                self.replica_port, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
            )[0]
            if caught_up:
                return
            time.sleep(0.05)
        raise TimeoutError(f"the replica did not replay up to {target} in {timeout} s")
