"""Background jobs whose process died: how to tell, and what to do with their task rows.

django-tasks-db marks a task RUNNING when a worker takes it and finished when the task returns.
A worker killed in between (``kill -9``, out of memory, power cut) leaves the row RUNNING for
ever, and the import or report it was working on in a working state nobody will end. Nothing in
the row tells whether its worker still lives: worker ids are names, reused by a restarted
worker (the systemd unit names them ``host-instance``), and there is no heartbeat.

So a task holds a *lease* on its job while it works: a lock that the operating system or the
database server drops the moment the process holding it dies, however it dies.

- PostgreSQL: an advisory lock taken inside an open transaction of a connection of its own.
  The server releases it when that connection drops; and an open transaction keeps its server
  connection even behind PgBouncer in transaction mode, where a session lock would leak.
- SQLite (one machine by nature): an exclusive ``flock`` on a file in a folder beside the
  database file; the kernel releases it when the process exits.

A job is *orphaned* when it is in a working state, no task for it waits in the queue and no
process holds its lease. The sweeps (``danvan.imports.stale``, the reports' services, the
``sweep_jobs`` command) queue an orphaned job again or, after a bounded number of attempts,
mark it failed. Queueing a job twice is harmless by design: a task takes the job's lease before
anything else, one at a time, and checks the job's state once it holds it, so the second task
finds the job finished and does nothing.
"""

import contextlib
import datetime
import fcntl
import os
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

# A worker marks a task RUNNING, then imports the task's code and calls it, and the task's first
# step is to take its lease: a task this young may simply not hold it yet.
CLAIM_GRACE = datetime.timedelta(seconds=2)


class WorkerLost(Exception):
    """Recorded on a task row whose worker stopped before the task finished."""


WORKER_LOST_PATH = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
WORKER_LOST_TEXT = (
    "The worker running this task stopped before it finished (killed, out of memory or the "
    "machine restarted); the job was swept by danvan.core.jobs."
)


@dataclass
class Swept:
    """What a sweep did: jobs queued again, jobs marked failed, task rows of dead workers
    closed."""

    requeued: int = 0
    failed: int = 0
    closed: int = 0


@dataclass(frozen=True)
class Orphan:
    """A job no live process works on and no queued task will pick up."""

    attempts: int  # tasks ever queued for it, the dead ones included
    dead: list = field(default_factory=list)  # ids of its task rows still marked RUNNING


# Leases -----------------------------------------------------------------------------------


def _keys(name: str, key: int) -> tuple[int, int]:
    """Two non-negative 32-bit numbers for PostgreSQL's two-key advisory locks."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF, int(key) & 0x7FFFFFFF


def _uses_postgres() -> bool:
    return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"


def _lease_folder() -> Path:
    """Beside the SQLite file (its folder is writable: SQLite keeps its journal there), so every
    process on that database shares the leases and no other database does."""
    database = connections[DEFAULT_DB_ALIAS]
    if database.vendor != "sqlite" or database.is_in_memory_db():
        # An in-memory database lives in one process only; so do its leases.
        return Path(tempfile.gettempdir()) / f"danvan-leases-{os.getpid()}"
    path = Path(database.settings_dict["NAME"])
    return path.with_name(f"{path.name}.leases")


def _lease_file(name: str, key: int) -> Path:
    return _lease_folder() / f"{name}-{int(key)}.lock"


def _flock(path: Path, *, wait: bool) -> int | None:
    """Lock ``path`` exclusively; return the open descriptor, or None when it is held (and
    ``wait`` is false). A holder removes the file when it lets go, so after waiting, check that
    the locked file is still the one at ``path``; if not, lock the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(descriptor)
            return None
        except BaseException:
            os.close(descriptor)
            raise
        try:
            current = os.stat(path).st_ino == os.fstat(descriptor).st_ino
        except FileNotFoundError:
            current = False
        if current:
            return descriptor
        os.close(descriptor)


def _unflock(path: Path, descriptor: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    os.close(descriptor)


@contextlib.contextmanager
def lease(name: str, key: int) -> Iterator[None]:
    """Hold the lease on job ``key`` of kind ``name`` while the block runs, waiting for it if
    another live process holds it (that process is doing the same job: once it lets go, the
    caller finds the job done)."""
    if _uses_postgres():
        database = connections[DEFAULT_DB_ALIAS]
        # A connection of its own: the task's transactions on the default connection neither
        # end this one nor see it.
        own = type(database)(dict(database.settings_dict), alias=f"{DEFAULT_DB_ALIAS}-lease")
        try:
            own.ensure_connection()
            own.set_autocommit(False)
            with own.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(_keys(name, key)))
            yield
        finally:
            with contextlib.suppress(Exception):
                own.rollback()
            own.close()
        return
    path = _lease_file(name, key)
    descriptor = _flock(path, wait=True)
    try:
        yield
    finally:
        _unflock(path, descriptor)


def lease_held(name: str, key: int) -> bool:
    """Whether a live process holds the lease on job ``key`` of kind ``name``. Takes nothing
    (on SQLite it tidies away the file of a lease whose process died)."""
    if _uses_postgres():
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                " WHERE d.datname = current_database() AND l.locktype = 'advisory'"
                " AND l.classid::bigint = %s AND l.objid::bigint = %s AND l.objsubid = 2"
                " AND l.granted)",
                list(_keys(name, key)),
            )
            return bool(cursor.fetchone()[0])
    path = _lease_file(name, key)
    if not path.exists():
        return False
    descriptor = _flock(path, wait=False)
    if descriptor is None:
        return True
    _unflock(path, descriptor)  # left by a process that died: tidy it away
    return False


# Task rows --------------------------------------------------------------------------------
#
# django-tasks-db has no API to say "this task's worker is gone": its worker claims a row and
# records the end itself, and nothing else closes a RUNNING row. So the sweep reads the rows
# through the library's model and queryset (``DBTaskResult``, ``.running()``) and closes a
# dead one with the model's own ``set_failed``, exactly as its worker records a task that
# raised. What it relies on: a row per enqueued task, ``task_path`` and ``args_kwargs`` saying
# which task and arguments, ``status``/``started_at`` set by ``claim``. docs/development.md
# ("Libraries we rely on") says the same.


def uses_task_queue(task) -> bool:
    """Whether ``task`` goes through the database queue, the only one whose rows say what is
    queued and what was tried (the immediate backend runs a task inside the call that queues
    it, and keeps nothing)."""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def task_rows(task, key: int | None):
    """The queue's rows of ``task`` called with the single argument ``key`` (None: with any
    arguments), any status."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path=task.module_path)
    return rows if key is None else rows.filter(args_kwargs__args=[key])


def orphan_of(task, key: int, *, lease_name: str, needs_rows: bool = False) -> Orphan | None:
    """Return the job ``key`` of ``task`` as an :class:`Orphan` if nothing will finish it, else
    None. Call it only for a job in a working state.

    ``needs_rows``: a job with no task row at all counts as orphaned only when false (an import
    always goes through the queue, so no row means the request died between its commit and the
    enqueue; a report may also be built by a command, without a row).
    """
    from django_tasks import TaskResultStatus

    rows = list(task_rows(task, key).values_list("id", "status", "started_at"))
    if any(status == TaskResultStatus.READY for _id, status, _started in rows):
        return None
    if not rows and needs_rows:
        return None
    if lease_held(lease_name, key):
        return None
    young = timezone.now() - CLAIM_GRACE
    running = [(pk, started) for pk, status, started in rows if status == TaskResultStatus.RUNNING]
    if any(started and started > young for _pk, started in running):
        return None
    return Orphan(attempts=len(rows), dead=[pk for pk, _started in running])


def release_dead(ids: list) -> int:
    """Mark the RUNNING rows ``ids`` failed, as their worker would have recorded a task that
    raised ``WorkerLost``: their worker is gone, so /health/ stops counting them as stuck and
    the queue's history says what happened. A row that finished meanwhile is left alone (the
    rows are locked on PostgreSQL; SQLite's writer lock covers the whole transaction)."""
    if not ids:
        return 0
    from django_tasks_db.models import DBTaskResult

    released = 0
    with transaction.atomic():
        for row in DBTaskResult.objects.filter(pk__in=ids).running().select_for_update():
            row.set_failed(WorkerLost(WORKER_LOST_TEXT))
            released += 1
    return released


def release_abandoned(task, *, lease_name: str, working: set[int]) -> int:
    """Mark failed the RUNNING rows of ``task`` whose job is no longer in a working state
    (``working`` holds the keys of those that are) and whose lease is free: their worker died
    after the job's end but before recording it, or a sweep already settled the job."""
    young = timezone.now() - CLAIM_GRACE
    rows = (
        task_rows(task, None)
        .running()
        .filter(started_at__lt=young)
        .values_list("id", "args_kwargs")
    )
    dead = []
    for pk, args_kwargs in rows:
        args = (args_kwargs or {}).get("args") or []
        key = args[0] if len(args) == 1 else None
        if isinstance(key, int) and key not in working and not lease_held(lease_name, key):
            dead.append(pk)
    return release_dead(dead)
