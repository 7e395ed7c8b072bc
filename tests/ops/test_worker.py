"""``danvan db_worker`` outlives a locked or lost database and says it is alive.

The process test holds SQLite's write lock from another connection for longer than the
worker's busy timeout, as a large import's apply does: django-tasks-db's own loop died there
(its thread, leaving an idle process). The worker must keep running and take the next job.
"""

import sqlite3
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.models import DBTaskResult

from danvan.core import worker as worker_module
from danvan.core.worker import HEARTBEAT_KEY, Worker, heartbeat_age
from tests.faults.processes import kill_hard, one, start_worker, wait_for
from tests.ops.conftest import app_env, danvan
from tests.ops.tasks import noop

ENQUEUE = "from tests.ops.tasks import noop; print(noop.enqueue().id)"


def _status(database, task_id: str) -> str | None:
    found = one(
        database,
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
        (task_id.replace("-", ""),),
    )
    return found[0] if found else None


def test_a_worker_facing_a_locked_database_keeps_running_and_takes_the_next_job(
    sqlite_data_dir, tmp_path
):
    database = sqlite_data_dir / "danvan.sqlite3"
    # A cache the worker and this test share (files under the data folder): the heartbeat.
    env = app_env(sqlite_data_dir, WORKER_SQLITE_TIMEOUT="1", CACHE_URL="")
    first = danvan("shell", "-c", ENQUEUE, env=env).stdout.strip().splitlines()[-1]
    holder = sqlite3.connect(database, timeout=30, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    process = start_worker(env, tmp_path / "worker.log")
    try:
        log = tmp_path / "worker.log"
        # Claims refused one after the other: "database is locked" after 1 s each.
        assert wait_for(lambda: "database refused the worker" in log.read_text(), seconds=90)
        time.sleep(3)
        assert process.poll() is None, log.read_text()
        assert _status(database, first) == "READY"
        holder.execute("ROLLBACK")
        assert wait_for(lambda: _status(database, first) == "SUCCESSFUL", seconds=60)
        second = danvan("shell", "-c", ENQUEUE, env=env).stdout.strip().splitlines()[-1]
        assert wait_for(lambda: _status(database, second) == "SUCCESSFUL", seconds=60)
        assert process.poll() is None
        beat = (
            danvan(
                "shell",
                "-c",
                "from danvan.core.worker import heartbeat_age; print(heartbeat_age())",
                env=env,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        assert float(beat) < 30
    finally:
        holder.close()
        kill_hard(process)


@pytest.mark.django_db
def test_the_loop_waits_out_database_errors_and_saves_the_outcome_again(monkeypatch):
    """A lost database on the claim, then on saving the task's outcome: both are retried."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)  # the test's own
    monkeypatch.setattr(worker_module, "_drop_connections", lambda: None)
    monkeypatch.setattr(worker_module.time, "sleep", lambda seconds: None)
    result = noop.enqueue()
    claims, saves = [], []
    real_claim = Worker._claim
    real_save = DBTaskResult.set_successful

    def refuse_claim(self):
        claims.append(1)
        if len(claims) <= 2:
            raise OperationalError("database is locked")
        return real_claim(self)

    def refuse_save(self, value):
        saves.append(1)
        if len(saves) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_save(self, value)

    monkeypatch.setattr(Worker, "_claim", refuse_claim)
    monkeypatch.setattr(DBTaskResult, "set_successful", refuse_save)
    cache.delete(HEARTBEAT_KEY)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value) == ("SUCCESSFUL", "done")
    assert len(claims) >= 3 and len(saves) == 2
    assert heartbeat_age() is not None and heartbeat_age() < 60


@pytest.mark.django_db
def test_the_loop_folds_the_ledger_entries_a_save_left_pending(monkeypatch):
    """With the upkeep deferred, a save whose fold was cut short leaves entries pending; the
    worker folds them with each heartbeat (``tests/stats/test_deferred_upkeep.py`` folds real
    ones on PostgreSQL)."""
    from django_tasks_db.management.commands import db_worker

    from danvan.core import upkeep

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)  # the test's own
    folds = []
    monkeypatch.setattr(upkeep, "fold_pending", lambda: folds.append(1))
    cache.delete(HEARTBEAT_KEY)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    assert folds
