"""Real danvan processes on a SQLite file of a test's own, killed the way a crash kills them.

A process is killed with SIGKILL together with everything it started (an autoreloader's child,
gunicorn's workers), as the out-of-memory killer or a power cut would: no handler runs, no
transaction is closed, no task is marked finished.
"""

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from danvan.core.jobs import CLAIM_GRACE
from tests.ops.conftest import DANVAN, ROOT, danvan

WORKER = [*DANVAN, "db_worker", "--no-reload", "--no-startup-delay"]


def copy_data(source: Path, target: Path) -> Path:
    """Copy the data folder ``source`` to ``target``: its database with SQLite's online backup,
    its uploaded files and the files the scenes left beside them. Return the new database."""
    target.mkdir(parents=True, exist_ok=True)
    database = target / "danvan.sqlite3"
    original, copy = sqlite3.connect(source / "danvan.sqlite3"), sqlite3.connect(database)
    try:
        original.backup(copy)
    finally:
        copy.close()
        original.close()
    for item in source.iterdir():
        if item.name == "media":
            shutil.copytree(item, target / "media")
        elif item.is_file() and not item.name.startswith("danvan.sqlite3"):
            shutil.copy2(item, target / item.name)
    return database


def one(database: Path, sql: str, params: tuple = ()):
    """The first row of ``sql``, read on a connection of its own."""
    connection = sqlite3.connect(database, timeout=30)
    try:
        return connection.execute(sql, params).fetchone()
    finally:
        connection.close()


def rows(database: Path, sql: str, params: tuple = ()) -> list[tuple]:
    connection = sqlite3.connect(database, timeout=30)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def write_locked(database: Path) -> bool:
    """Whether a process holds SQLite's write lock (is inside a write transaction)."""
    connection = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        connection.close()


def wait_for(check, *, seconds: float = 60, every: float = 0.02) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return False


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """``danvan db_worker`` as the service runs it (no autoreloader), in a session of its own."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [*WORKER, "--interval", "0.1"],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill_hard(process: subprocess.Popen) -> None:
    """SIGKILL ``process`` and every process of its session."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (name) state ppid ...": the name may hold spaces and parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def kill_tree(process: subprocess.Popen) -> None:
    """SIGKILL ``process`` first (so it respawns nothing), then its children."""
    children = children_of(process.pid)
    process.kill()
    process.wait()
    for child in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
    for child in children:
        wait_for(lambda child=child: not Path(f"/proc/{child}").exists(), seconds=10)


def sweep(env: dict[str, str]) -> str:
    """``danvan sweep_jobs`` once a crash is over: a restart takes longer than a task needs to
    take its lease (systemd waits 5 s). Return what it reports."""
    time.sleep(CLAIM_GRACE.total_seconds())
    return danvan("sweep_jobs", env=env).stdout


def restart(env: dict[str, str]) -> str:
    """What happens after a crash: ``danvan sweep_jobs`` runs as the workers come back, and
    they work through the queue. Return the sweep's report."""
    swept = sweep(env)
    danvan(*WORKER[len(DANVAN) :], "--batch", "--interval", "0", env=env, timeout=300)
    return swept
