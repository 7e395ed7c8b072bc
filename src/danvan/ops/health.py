"""The checks behind ``/health/``: database, task backlog, task workers, figures, disk.

Each check returns a small dict with ``ok``; nothing in it is secret (no host names, user
names, paths or exception texts), because the endpoint answers without signing in.
"""

import datetime
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from danvan.core.worker import heartbeat_age


def check_database() -> dict:
    """Run ``SELECT 1`` and time it."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    return {
        "ok": True,
        "vendor": connection.vendor,
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
    }


def check_tasks() -> dict:
    """Count the tasks ready to run that have waited longer than ``HEALTH_TASK_MAX_AGE_MINUTES``
    (more than ``HEALTH_TASK_BACKLOG_MAX`` of them: the workers are down or overwhelmed), and
    the tasks "running" for longer than ``HEALTH_TASK_MAX_RUNNING_MINUTES`` (their worker was
    killed: nothing will finish them)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return {"ok": True, "backend": backend.rsplit(".", 1)[-1], "backlog": 0, "stuck": 0}
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    minutes = settings.HEALTH_TASK_MAX_AGE_MINUTES
    running_minutes = settings.HEALTH_TASK_MAX_RUNNING_MINUTES
    try:
        backlog = (
            DBTaskResult.objects.ready()
            .filter(enqueued_at__lt=now - datetime.timedelta(minutes=minutes))
            .count()
        )
        stuck = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=now - datetime.timedelta(minutes=running_minutes))
            .count()
        )
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    return {
        "ok": backlog <= settings.HEALTH_TASK_BACKLOG_MAX and not stuck,
        "backlog": backlog,
        "older_than_minutes": minutes,
        "max": settings.HEALTH_TASK_BACKLOG_MAX,
        "stuck": stuck,
        "running_longer_than_minutes": running_minutes,
    }


def check_worker() -> dict:
    """Whether the task workers still take jobs: tasks ready for longer than
    ``HEALTH_WORKER_STALE_SECONDS`` while no worker wrote its heartbeat (``danvan.core.worker``)
    for as long mean they stopped (a worker whose loop died, a process gone). An idle queue
    needs no worker, so it is fine without one."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return {"ok": True, "backend": backend.rsplit(".", 1)[-1]}
    from django_tasks_db.models import DBTaskResult

    stale = settings.HEALTH_WORKER_STALE_SECONDS
    try:
        waiting = (
            DBTaskResult.objects.ready()
            .filter(enqueued_at__lt=timezone.now() - datetime.timedelta(seconds=stale))
            .exists()
        )
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    age = heartbeat_age()
    seconds = None if age is None else round(age)
    alive = age is not None and age <= stale
    return {
        "ok": alive or not waiting,
        "heartbeat_seconds_ago": seconds,
        "stale_after_seconds": stale,
        "tasks_waiting": waiting,
    }


def check_figures() -> dict:
    """Whether the figures keep up with the ledger: with the upkeep deferred
    (``DANVAN_STATS_UPKEEP=deferred``) a saved entry waits in a list for a few milliseconds
    until it is folded into the rollups, by the next save or by the task worker's sweep. An
    entry waiting longer than ``HEALTH_WORKER_STALE_SECONDS`` means neither is folding: the
    dashboards leave it out until one does."""
    from danvan.stats.models import PendingEntry

    stale = settings.HEALTH_WORKER_STALE_SECONDS
    try:
        oldest = PendingEntry.objects.order_by("pk").values_list("saved_at", flat=True).first()
        waiting = PendingEntry.objects.count() if oldest is not None else 0
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    age = None if oldest is None else (timezone.now() - oldest).total_seconds()
    return {
        "ok": age is None or age <= stale,
        "upkeep": settings.STATS_UPKEEP,
        "entries_pending": waiting,
        "oldest_pending_seconds": None if age is None else round(age),
        "stale_after_seconds": stale,
    }


def _free(folder: Path) -> dict:
    # The folder may not exist yet (no upload so far): measure the nearest existing parent.
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    usage = shutil.disk_usage(folder)
    return {
        "free_mb": usage.free // (1024 * 1024),
        "free_percent": round(100 * usage.free / usage.total, 1) if usage.total else 0.0,
    }


def check_disk() -> dict:
    """Free space where the data and the uploaded files live; below ``HEALTH_DISK_MIN_FREE_MB``
    uploads and backups start failing."""
    places = {"data": Path(settings.DATA_DIR), "media": Path(settings.MEDIA_ROOT)}
    try:
        found = {name: _free(folder) for name, folder in places.items()}
    except OSError as error:
        return {"ok": False, "error": type(error).__name__}
    minimum = settings.HEALTH_DISK_MIN_FREE_MB
    return {
        "ok": all(place["free_mb"] >= minimum for place in found.values()),
        "min_free_mb": minimum,
        **found,
    }


CHECKS = {
    "database": check_database,
    "tasks": check_tasks,
    "worker": check_worker,
    "figures": check_figures,
    "disk": check_disk,
}


def run_checks() -> tuple[bool, dict]:
    """Run every check; return whether all passed and the report."""
    results = {name: check() for name, check in CHECKS.items()}
    failing = [name for name, result in results.items() if not result["ok"]]
    report = {"status": "fail" if failing else "ok", "failing": failing, "checks": results}
    return not failing, report
